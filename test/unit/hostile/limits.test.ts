/**
 * Limits (issue 9): a file over the size limit is refused before it is read, with its size,
 * the limit and the setting that raises it; files that cannot be held as text are refused
 * with a sentence, not a crash. The files are sparse (truncate), so they take no disk space.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileError, readTextFile } from '../../../src/node/files';
import { cli, LONG_RUN, scratch } from './helpers';

const MB = 1024 * 1024;

function throwsFile(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FileError, `a FileError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('readTextFile limits', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = scratch('limits')));
  after(() => remove());

  it('refuses a file over the limit before reading it, naming size, limit and setting', () => {
    const p = join(dir, 'big.csv');
    writeFileSync(p, '');
    // 3 GB: reading it would fail (Node reads at most 2 GB in one piece) and take seconds,
    // so the limit's own message, at once, shows that nothing was read.
    truncateSync(p, 3 * 1024 * MB);
    const t0 = Date.now();
    throwsFile(() => readTextFile(p), `${p} is 3072 MB, over the limit of 2048 MB set by the setting centroid.maxFileSizeMB`);
    assert.ok(Date.now() - t0 < 500, 'refused without reading');
    const small = join(dir, 'small.csv');
    writeFileSync(small, '');
    truncateSync(small, 1.5 * MB);
    throwsFile(() => readTextFile(small, MB), `${small} is 1.5 MB, over the limit of 1 MB set by the setting centroid.maxFileSizeMB`);
    // A file of exactly the limit is read.
    assert.equal(readTextFile(small, 1.5 * MB).bytes, 1.5 * MB);
  });

  it('the CLI passes the refusal on as one line', () => {
    const p = join(dir, 'huge.csv');
    writeFileSync(p, '');
    truncateSync(p, 2049 * MB);
    const r = cli(['inspect', p, '--json']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.err, [`centroid: ${p} is 2049 MB, over the limit of 2048 MB set by the setting centroid.maxFileSizeMB`]);
  });

  it('missing files and folders are named', () => {
    throwsFile(() => readTextFile(join(dir, 'nope.csv')), `cannot read ${join(dir, 'nope.csv')}: no such file`);
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    throwsFile(() => readTextFile(folder), `${folder} is a folder, not a file`);
  });

  it('non-UTF-8 bytes are replaced and flagged, a U+FFFD in the file is not', () => {
    const bad = join(dir, 'latin1.csv');
    writeFileSync(bad, Buffer.from([0x61, 0x0a, 0xe9, 0x0a]));
    const r = readTextFile(bad);
    assert.equal(r.text, 'a\n\ufffd\n');
    assert.equal(r.invalidUtf8, true);
    const good = join(dir, 'fffd.csv');
    writeFileSync(good, 'a\n\ufffd\n');
    assert.equal(readTextFile(good).invalidUtf8, false);
  });

  // About 3 s and 600 MB of memory: only on a long local run (CENTROID_FUZZ_RUNS set).
  it('a file too large for one string is refused with a sentence', { skip: !LONG_RUN && 'long run only (CENTROID_FUZZ_RUNS)' }, () => {
    const p = join(dir, 'too-long.csv');
    writeFileSync(p, '');
    truncateSync(p, 600 * MB);
    throwsFile(() => readTextFile(p), `${p} (600 MB) is too large to hold as text in memory; split it into smaller files`);
  });
});
