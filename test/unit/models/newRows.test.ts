/**
 * Which rows are new when adding rows to a model (src/pipeline/newRows.ts) and whether a file
 * is the one a model was fitted on (src/node/fittedFile.ts): no row may count twice, whichever
 * file is active or chosen.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relationToFitted, sha256OfPrefix } from '../../../src/node/fittedFile';
import { chooseFitted, planNewRows, type FittedRows } from '../../../src/pipeline/newRows';

const TRAIN: FittedRows = { kind: 'file', path: '/w/train.csv', name: 'train.csv', nRows: 113 };
const MISSING: FittedRows = { kind: 'unavailable', why: 'train.csv was not found beside the model or in the workspace', nRows: 113 };

describe('planNewRows: the model\'s rows and the new rows, never the same row twice', () => {
  it('another CSV: the fitted file\'s rows as the model\'s, then all rows of the other file as new', () => {
    const plan = planNewRows('m.centroid.json', TRAIN, { path: '/w/new.csv', name: 'new.csv', relation: 'other' });
    assert.deepEqual(plan, { ok: true, sources: [{ file: '/w/train.csv', newFrom: null }, { file: '/w/new.csv', newFrom: 0 }], csvIndex: 0, warnings: [] });
  });

  it('the fitted file itself, unchanged (same SHA-256): refused, there are no new rows', () => {
    const plan = planNewRows('m.centroid.json', TRAIN, { path: '/w/train.csv', name: 'train.csv', relation: 'same' });
    assert.deepEqual(plan, {
      ok: false,
      message: 'train.csv is the file m.centroid.json was fitted on, unchanged (the same SHA-256), so it has no new rows; add rows at its end or choose another CSV',
    });
  });

  it('a copy of the fitted file under another name is refused the same way', () => {
    const plan = planNewRows('m.centroid.json', TRAIN, { path: '/w/copy.csv', name: 'copy.csv', relation: 'same' });
    assert.equal(plan.ok, false);
  });

  it('the fitted file with rows appended: one source, the rows after the fitted ones are new', () => {
    for (const path of ['/w/train.csv', '/elsewhere/train-more.csv']) {
      const plan = planNewRows('m.centroid.json', TRAIN, { path, name: 'x.csv', relation: 'appended' });
      assert.deepEqual(plan, { ok: true, sources: [{ file: path, newFrom: 113 }], csvIndex: 0, warnings: [] });
    }
  });

  it('the fitted file appended to, while the fitted file itself was not found: still only the rows after the fitted ones', () => {
    const plan = planNewRows('m.centroid.json', MISSING, { path: '/w/train.csv', name: 'train.csv', relation: 'appended' });
    assert.deepEqual(plan, { ok: true, sources: [{ file: '/w/train.csv', newFrom: 113 }], csvIndex: 0, warnings: [] });
  });

  it('the fitted file changed in another way: refused, which rows are new cannot be told', () => {
    const plan = planNewRows('m.centroid.json', TRAIN, { path: '/w/train.csv', name: 'train.csv', relation: 'other' });
    assert.deepEqual(plan, {
      ok: false,
      message: 'train.csv has changed since m.centroid.json was fitted on it (not only rows added at the end), so which of its rows are new cannot be told; cluster it again',
    });
  });

  it('the fitted file with no hash to compare (a fit made here): the rows after the fitted ones', () => {
    const plan = planNewRows('the fit of train.csv', TRAIN, { path: '/w/train.csv', name: 'train.csv', relation: null });
    assert.deepEqual(plan, { ok: true, sources: [{ file: '/w/train.csv', newFrom: 113 }], csvIndex: 0, warnings: [] });
  });

  it('fitted rows not available: only the new rows, and the panel is told why', () => {
    const plan = planNewRows('m.centroid.json', MISSING, { path: '/w/new.csv', name: 'new.csv', relation: 'other' });
    assert.deepEqual(plan, {
      ok: true, sources: [{ file: '/w/new.csv', newFrom: 0 }], csvIndex: null,
      warnings: ['the rows m.centroid.json was fitted on are not included (train.csv was not found beside the model or in the workspace), so the refits use only the new rows'],
    });
  });
});

describe('chooseFitted: the fitted file among the files of its name', () => {
  const recorded = { file: 'train.csv', nRows: 113 };
  it('the first candidate with the fitted bytes (or them with rows appended)', () => {
    assert.deepEqual(chooseFitted(recorded, [{ path: '/a/train.csv', relation: 'other' }, { path: '/b/train.csv', relation: 'appended' }], 'there'),
      { kind: 'file', path: '/b/train.csv', name: 'train.csv', nRows: 113 });
  });
  it('missing, changed, or not recorded: says which', () => {
    assert.deepEqual(chooseFitted(recorded, [], 'beside the model or in the workspace'),
      { kind: 'unavailable', why: 'train.csv was not found beside the model or in the workspace', nRows: 113 });
    assert.deepEqual(chooseFitted(recorded, [{ path: '/a/train.csv', relation: 'other' }], 'there'),
      { kind: 'unavailable', why: 'train.csv has changed since the fit: its SHA-256 differs from the one the model records', nRows: 113 });
    assert.deepEqual(chooseFitted(null, [], 'there'), { kind: 'unavailable', why: 'the model does not record the file it was fitted on', nRows: null });
  });
});

describe('relationToFitted: the fitted bytes, them with rows appended, or another file', () => {
  let dir = '';
  const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-fitted-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const fitted = 'a,b\n1,2\n3,4\n';
  it('the same bytes are "same"; rows appended are "appended"; an edit or a shorter file is "other"', async () => {
    const h = { sha256: sha(fitted) };
    assert.equal(await relationToFitted(file('same.csv', fitted), h), 'same');
    assert.equal(await relationToFitted(file('more.csv', `${fitted}5,6\n7,8\n`), h), 'appended');
    assert.equal(await relationToFitted(file('edit.csv', 'a,b\n1,9\n3,4\n5,6\n'), h), 'other');
    assert.equal(await relationToFitted(file('short.csv', 'a,b\n1,2\n'), h), 'other');
    assert.equal(await relationToFitted(file('new.csv', 'a,b\n5,6\n'), h), 'other');
  });

  it('a fitted file without a final line break, with rows appended after one (LF and CRLF)', async () => {
    assert.equal(await relationToFitted(file('lf.csv', 'a,b\n1,2\n5,6\n'), { sha256: sha('a,b\n1,2') }), 'appended');
    assert.equal(await relationToFitted(file('crlf.csv', 'a,b\r\n1,2\r\n5,6\r\n'), { sha256: sha('a,b\r\n1,2') }), 'appended');
    assert.equal(await relationToFitted(file('crlf2.csv', 'a,b\r\n1,2\r\n5,6\r\n'), { sha256: sha('a,b\r\n1,2\r\n') }), 'appended');
  });

  it('a prefix that does not end at a line boundary is not the fitted file', async () => {
    assert.equal(await relationToFitted(file('mid.csv', 'a,b\n1,23\n'), { sha256: sha('a,b\n1,2') }), 'other');
  });

  it('with the fitted length known, the prefix of that length is compared, across stream chunks', async () => {
    const big = `x,y\n${Array.from({ length: 20000 }, (_, i) => `${i},${i * 2}`).join('\n')}\n`;
    const path = file('big.csv', `${big}99,98\n`);
    assert.equal(await relationToFitted(path, { sha256: sha(big), bytes: Buffer.byteLength(big) }), 'appended');
    assert.equal(await relationToFitted(path, { sha256: sha(big) }), 'appended');
    assert.equal(await relationToFitted(path, { sha256: sha(`${big}99,98\n`), bytes: Buffer.byteLength(big) + 6 }), 'same');
    assert.equal(await sha256OfPrefix(path, Buffer.byteLength(big)), sha(big));
    assert.equal(await sha256OfPrefix(path, 10 ** 9), null);
  });
});
