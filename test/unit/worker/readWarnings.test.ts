/**
 * What the CSV reader notices about a file (rows with the wrong number of fields, a column
 * name used twice, bytes that are not UTF-8) reaches the panel's warnings, not only
 * `centroid inspect`. The expected texts come from parseCsv on the same bytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../../src/worker/job';
import { parseCsv } from '../../../src/csv/read';
import { DEFAULT_SETTINGS, type JobStart } from '../../../src/protocol/messages';

function start(file: string): JobStart {
  return {
    type: 'job/start', id: 1, file, settings: { ...DEFAULT_SETTINGS, k: 2, label: { mode: 'none' } },
    maxBytes: 1e9, maxPoints: 500, cancelFlag: new SharedArrayBuffer(4),
  };
}

describe('the reader\'s warnings reach the panel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'centroid-readwarn-'));

  it('ragged rows, a repeated column name and bytes that are not UTF-8, each once', () => {
    const file = join(dir, 'odd.csv');
    const bytes = Buffer.concat([Buffer.from('a,b,a\n1,2,3\n4,5\n7,8,9,10\n'), Buffer.from([0xff]), Buffer.from(',1,2\n3,3,3\n6,6,6\n')]);
    writeFileSync(file, bytes);
    const fromReader = parseCsv(bytes.toString('utf8'), { header: 'auto' }).warnings;
    assert.ok(fromReader.some((w) => /different number of fields/.test(w)) && fromReader.some((w) => /repeated column name/.test(w)));
    const warnings = runJob(start(file), () => undefined, Date.now, Infinity).view.warnings;
    for (const w of fromReader) assert.equal(warnings.filter((x) => x === w).length, 1, `${w} is shown once`);
    assert.equal(warnings.filter((w) => /not valid UTF-8/.test(w)).length, 1);
  });

  it('a clean file adds none', () => {
    const file = join(dir, 'clean.csv');
    writeFileSync(file, 'a,b\n1,2\n3,4\n10,11\n12,13\n');
    assert.deepEqual(runJob(start(file), () => undefined, Date.now, Infinity).view.warnings, []);
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
