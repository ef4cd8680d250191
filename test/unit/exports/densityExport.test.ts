/**
 * The labelled CSV of a DBSCAN or HDBSCAN result: the original fields, then scikit-learn's
 * label (-1 for noise), a "noise" marker and HDBSCAN's membership strength; dropped rows
 * get empty cells; added names never clash with the file's columns. Expectations come from
 * the engine's labels of the same file, read back through the CSV parser.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../../src/csv/read';
import { densityLabelledCsv } from '../../../src/pipeline/exports';
import { dbscanTable } from '../../../src/pipeline/density';
import { hdbscanTable } from '../../../src/pipeline/hdbscan';
import { blobsCsv } from '../sweep/helpers';

const TEXT = blobsCsv(7, 2, 30, 2, 25) + '80,-80,0\n,1,1\n';

/** Labels as the worker sends them: cluster, -1 noise, -2 dropped. */
function wire(labels: (number | null)[]): Int32Array {
  return Int32Array.from(labels, (l) => (l === null ? -2 : l));
}

describe('the labelled CSV of a density result', () => {
  it('DBSCAN: cluster is the engine\'s label with -1 for noise, noise rows are marked, dropped rows are empty', () => {
    const table = parseCsv(TEXT, { header: 'auto' });
    const r = dbscanTable(table, { eps: 1.5, minSamples: 5, label: 'blob', roles: 'auto' });
    assert.ok(r.nNoise >= 1);
    const back = parseCsv(densityLabelledCsv(table, wire(r.labels), null), { header: 'auto' });
    assert.deepEqual(back.header, ['x0', 'x1', 'blob', 'cluster', 'noise']);
    assert.equal(back.rows.length, table.rows.length);
    back.rows.forEach((row, i) => {
      assert.deepEqual(row.slice(0, 3), table.rows[i].slice(0, 3), `row ${i} keeps its fields`);
      const l = r.labels[i];
      assert.equal(row[3], l === null ? '' : String(l), `row ${i} cluster`);
      assert.equal(row[4], l === -1 ? 'noise' : '', `row ${i} noise marker`);
    });
    assert.equal(back.rows.filter((row) => row[3] === '-1').length, r.nNoise);
    assert.equal(back.rows.filter((row) => row[4] === 'noise').length, r.nNoise);
    assert.deepEqual(back.rows[back.rows.length - 1].slice(3), ['', ''], 'the row with a missing value was not clustered');
  });

  it('HDBSCAN adds the membership strength, 0 for noise; names clash-free', () => {
    const text = TEXT.replace('x0,x1,blob', 'x0,x1,noise');
    const table = parseCsv(text, { header: 'auto' });
    const r = hdbscanTable(table, { minClusterSize: 10, minSamples: 5, label: 'noise', roles: 'auto' });
    const probabilities = Float64Array.from(r.probabilities, (p) => (p === null ? NaN : p));
    const back = parseCsv(densityLabelledCsv(table, wire(r.labels), probabilities), { header: 'auto' });
    assert.deepEqual(back.header, ['x0', 'x1', 'noise', 'cluster', 'noise_2', 'probability']);
    back.rows.forEach((row, i) => {
      const p = r.probabilities[i];
      assert.equal(row[5] === '' ? null : Number(row[5]), p, `row ${i} strength`);
      if (r.labels[i] === -1) assert.equal(row[5], '0');
    });
  });

  it('refuses a label array of another length', () => {
    const table = parseCsv(TEXT, { header: 'auto' });
    assert.throws(() => densityLabelledCsv(table, new Int32Array(3), null), /the density run has 3 rows but the file has 62/);
  });
});
