/**
 * "Never overwrites" (issue 18) must hold against a file created at the target between the
 * check and the write, and against a dangling symbolic link at the target (a check through it
 * calls the name free). Writes claim the name with link(2), which fails when anything has it;
 * an explicit overwrite (--force, an earlier model for --save-model, a name confirmed in a save
 * dialog) still replaces.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileExistsError, uniquePath, writeFileAtomic, writeFileUnique } from '../../../src/node/files';
import { fitMiniBatchFile } from '../../../src/node/minibatchFile';
import { cli, scratch } from './helpers';

describe('writes never replace what appears at the target', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = scratch('overwrite')));
  after(() => remove());
  const noTemp = (): void => assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'a temporary file was left behind');

  it('a file created between the check and the write is kept, and the write fails', () => {
    const p = join(dir, 'race.csv');
    assert.throws(() => writeFileAtomic(p, 'ours\n', { beforeCommit: () => writeFileSync(p, 'theirs\n') }),
      (e: Error) => e instanceof FileExistsError && e.message === `${p} already exists`);
    assert.equal(readFileSync(p, 'utf8'), 'theirs\n');
    noTemp();
  });

  it('a dangling symbolic link at the target is neither replaced nor followed', () => {
    const p = join(dir, 'link.csv');
    const elsewhere = join(dir, 'elsewhere.csv');
    symlinkSync(elsewhere, p);
    assert.equal(uniquePath(p), join(dir, 'link (2).csv'), 'a dangling link is not a free name');
    assert.throws(() => writeFileAtomic(p, 'ours\n'), FileExistsError);
    assert.ok(lstatSync(p).isSymbolicLink());
    assert.equal(readlinkSync(p), elsewhere);
    assert.ok(!existsSync(elsewhere), 'nothing written through the link');
    noTemp();
  });

  it('writeFileUnique takes the next numbered name when the first is taken meanwhile', () => {
    const p = join(dir, 'report.md');
    const written = writeFileUnique(p, 'ours\n', { beforeCommit: () => writeFileSync(p, 'theirs\n') });
    assert.equal(written, join(dir, 'report (2).md'));
    assert.equal(readFileSync(p, 'utf8'), 'theirs\n');
    assert.equal(readFileSync(written, 'utf8'), 'ours\n');
    noTemp();
  });

  it('an explicit overwrite replaces', () => {
    const p = join(dir, 'mine.json');
    writeFileSync(p, 'old\n');
    writeFileAtomic(p, 'new\n', { replace: true });
    assert.equal(readFileSync(p, 'utf8'), 'new\n');
    noTemp();
  });

  it('the mini-batch labels file: a file created while the labels are written is kept', () => {
    const data = join(dir, 'mb.csv');
    writeFileSync(data, `a,b\n${Array.from({ length: 50 }, (_, i) => `${i % 7},${i % 3}`).join('\n')}\n`);
    const out = join(dir, 'mb.labels.csv');
    assert.throws(() => fitMiniBatchFile(data, {
      k: 2, batchSize: 10, seed: 0, out, chunkBytes: 64,
      onProgress: (pass) => { if (pass === 2 && !existsSync(out)) writeFileSync(out, 'theirs\n'); },
    }), FileExistsError);
    assert.equal(readFileSync(out, 'utf8'), 'theirs\n');
    noTemp();
  });

  it('the CLI: --out refuses a dangling link; --force replaces it; --save-model still replaces an earlier model', () => {
    const data = join(dir, 'cli.csv');
    writeFileSync(data, 'a,b\n0,0\n0,1\n5,5\n5,6\n9,9\n');
    const out = join(dir, 'cli.out.csv');
    symlinkSync(join(dir, 'nowhere.csv'), out);
    const r = cli(['fit', data, '--k', '2', '--out', out]);
    assert.equal(r.code, 2);
    assert.deepEqual(r.err, [`centroid: ${out} already exists; choose another --out name or add --force to replace it`]);
    assert.ok(lstatSync(out).isSymbolicLink() && !existsSync(join(dir, 'nowhere.csv')));
    assert.equal(cli(['fit', data, '--k', '2', '--out', out, '--force']).code, 0);
    assert.ok(lstatSync(out).isFile());
    const model = join(dir, 'cli.centroid.json');
    assert.equal(cli(['fit', data, '--k', '2', '--save-model', model]).code, 0);
    const first = readFileSync(model, 'utf8');
    assert.equal(cli(['partial-fit', data, '--model', model, '--save-model', model]).code, 0);
    assert.notEqual(readFileSync(model, 'utf8'), first, 'the earlier model was updated in place');
    noTemp();
  });
});
