/**
 * The first click on real public data sets (test/fixtures/real, made by make_real.py from the
 * copies scikit-learn 1.2.1 bundles): `centroid fit FILE --k K` with no other flag, which the
 * extension's "Cluster this CSV" also runs, picks the columns, label and scaling a careful
 * analyst would, and its inertia is at most 1.002 x scikit-learn's KMeans(n_init=10) in the
 * same space.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';
import { parseCsv } from '../../../src/csv/read';
import { fitTable } from '../../../src/pipeline/fit';
import { fitOptions } from '../../../src/worker/job';
import { DEFAULT_SETTINGS } from '../../../src/protocol/messages';

const REAL = join(__dirname, '../../fixtures/real');
const FILES = ['iris', 'iris_messy', 'wine', 'wine_messy', 'breast_cancer', 'digits', 'blobs_20d'];

interface Reference {
  k: number;
  expected: { features: string[]; label: string; ids: string[]; constant: string[]; scale: 'none' | 'standard' };
  reference: { n_init_10: { inertia: number; ari: number }; n_init_1: { inertia: number; ari: number } };
}

function cli(file: string, k: number): Record<string, unknown> & {
  featureNames: string[]; inertia: number; scaling: { kind: string; auto: boolean; offset: number[]; scale: number[] };
  options: { label: string | null; nInit: number }; roles: { name: string; role: string; reason: string }[];
  metrics: { adjustedRand?: number };
} {
  let out = '';
  let err = '';
  const code = main(['fit', file, '--k', String(k), '--json'], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  assert.equal(code, 0, err);
  return JSON.parse(out);
}

describe('the first click on real data sets', () => {
  for (const name of FILES) {
    it(`${name}: the columns, label and scaling of a careful analyst, and sklearn's n_init=10 inertia or better`, () => {
      const ref = JSON.parse(readFileSync(join(REAL, `${name}.json`), 'utf8')) as Reference;
      const file = join(REAL, `${name}.csv`);
      const r = cli(file, ref.k);
      assert.deepEqual(r.featureNames, ref.expected.features, 'features');
      assert.equal(r.options.label, ref.expected.label, 'label column');
      assert.equal(r.scaling.kind, ref.expected.scale, 'scaling');
      assert.equal(r.scaling.auto, true);
      assert.equal(r.options.nInit, 10);
      const roleOf = (c: string): string | undefined => r.roles.find((x) => x.name === c)?.role;
      for (const id of ref.expected.ids) assert.equal(roleOf(id), 'id', `${id} is a row id`);
      for (const c of ref.expected.constant) assert.equal(roleOf(c), 'constant', `${c} is constant`);
      assert.equal(roleOf(ref.expected.label), 'label');
      assert.equal(r.roles.length, ref.expected.features.length + ref.expected.ids.length + ref.expected.constant.length + 1, 'one role per column');
      const sklearn = ref.reference.n_init_10.inertia;
      assert.ok(r.inertia <= 1.002 * sklearn, `inertia ${r.inertia} vs scikit-learn n_init=10 ${sklearn} (ratio ${r.inertia / sklearn})`);
      assert.ok(typeof r.metrics.adjustedRand === 'number', 'the label column scores the clustering');

      // The extension's first click (fresh settings) gives the same numbers.
      const table = parseCsv(readFileSync(file, 'utf8'), { header: 'auto' });
      const ext = fitTable(table, fitOptions({ ...DEFAULT_SETTINGS, k: ref.k }, undefined, `${name}.csv`)).report;
      assert.equal(ext.inertia, r.inertia);
      assert.deepEqual(ext.featureNames, r.featureNames);
      assert.deepEqual(ext.counts, r.counts);
    });
  }

  it('--json gives what rebuilds the clustered space: offset and scale per feature', () => {
    const ref = JSON.parse(readFileSync(join(REAL, 'wine.json'), 'utf8')) as Reference;
    const r = cli(join(REAL, 'wine.csv'), ref.k);
    const table = parseCsv(readFileSync(join(REAL, 'wine.csv'), 'utf8'), { header: 'auto' });
    const j = table.header?.indexOf('proline') ?? -1;
    const values = table.rows.map((row) => Number(row[j]));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    const f = r.featureNames.indexOf('proline');
    assert.ok(Math.abs(r.scaling.offset[f] - mean) <= 1e-9 * mean);
    assert.ok(Math.abs(r.scaling.scale[f] - sd) <= 1e-9 * sd);
  });
});
