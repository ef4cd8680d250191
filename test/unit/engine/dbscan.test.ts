import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dbscan } from '../../../src/engine/dbscan';
import { fromRows } from '../../../src/engine/matrix';
import { loadDataset } from '../metrics/helpers';

describe('DBSCAN against scikit-learn fixtures', () => {
  for (const name of ['iris', 'blobs_2d_k4', 'degenerate']) {
    const ds = loadDataset(name);
    for (const c of ds.json.dbscan ?? []) {
      it(`${name}: ${c.id}`, () => {
        const r = dbscan(ds.X, { eps: c.eps, minSamples: c.min_samples });
        assert.deepEqual(Array.from(r.labels), c.labels);
        assert.deepEqual(r.coreSampleIndices, c.core_sample_indices);
        assert.equal(r.nClusters, c.n_clusters);
        assert.equal(r.nNoise, c.n_noise);
        for (const b of c.border_points_reachable_from_several_clusters) {
          assert.equal(r.labels[b.row], b.sklearn_label, `ambiguous border row ${b.row}`);
          assert.equal(b.sklearn_label, Math.min(...b.clusters), 'the lowest-numbered cluster wins');
        }
      });
    }
  }
});

/** DBSCAN straight from its definition with a full distance matrix (test oracle). */
function bruteForce(rows: number[][], eps: number, minSamples: number, cosine: boolean): { labels: number[]; core: number[] } {
  const n = rows.length;
  const dist = (a: number[], b: number[]): number => {
    if (!cosine) return Math.sqrt(a.reduce((s, v, t) => s + (v - b[t]) ** 2, 0));
    const na = Math.hypot(...a);
    const nb = Math.hypot(...b);
    if (na === 0 || nb === 0) return 1;
    return Math.max(0, 1 - a.reduce((s, v, t) => s + (v / na) * (b[t] / nb), 0));
  };
  const nb = rows.map((a, i) => rows.map((_, j) => j).filter((j) => j === i || dist(a, rows[j]) <= eps));
  const core = nb.map((list) => list.length >= minSamples);
  const labels = new Array<number>(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (!core[i] || labels[i] !== -1) continue;
    // Connected component of core rows containing i (breadth first), then its border rows.
    const component = [i];
    labels[i] = next;
    for (let q = 0; q < component.length; q++) {
      for (const j of nb[component[q]]) {
        if (core[j] && labels[j] === -1) {
          labels[j] = next;
          component.push(j);
        }
      }
    }
    next++;
  }
  // Border rows: the lowest-numbered cluster among their core neighbours.
  for (let i = 0; i < n; i++) {
    if (core[i]) continue;
    const clusters = nb[i].filter((j) => core[j]).map((j) => labels[j]);
    labels[i] = clusters.length > 0 ? Math.min(...clusters) : -1;
  }
  return { labels, core: core.flatMap((c, i) => (c ? [i] : [])) };
}

describe('DBSCAN properties', () => {
  // Integer coordinates on a small grid give many exact ties and duplicates; eps avoids
  // lying exactly on a possible distance (distances are square roots of integers).
  const arb = fc.record({
    rows: fc.array(fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 60 })
      .map((rows) => rows.map((r) => (r.length === rows[0].length ? r : rows[0].map((_, t) => r[t] ?? 0)))),
    eps: fc.constantFrom(0.5, 1.1, 1.5, 2.3, 3.7),
    minSamples: fc.integer({ min: 1, max: 6 }),
  });

  it('euclidean: same labels and core rows as a brute-force definition', () => {
    fc.assert(fc.property(arb, ({ rows, eps, minSamples }) => {
      const r = dbscan(fromRows(rows), { eps, minSamples });
      const want = bruteForce(rows, eps, minSamples, false);
      assert.deepEqual(Array.from(r.labels), want.labels);
      assert.deepEqual(r.coreSampleIndices, want.core);
      assert.equal(r.nNoise, want.labels.filter((l) => l === -1).length);
      assert.equal(r.nClusters, new Set(want.labels.filter((l) => l >= 0)).size);
    }), { seed: 21, numRuns: 300 });
  });

  it('cosine: same labels as a brute-force definition (zero rows included)', () => {
    const cosArb = fc.record({
      rows: fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 40 }),
      eps: fc.constantFrom(0.013, 0.07, 0.21, 0.6, 1.3),
      minSamples: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(fc.property(cosArb, ({ rows, eps, minSamples }) => {
      const r = dbscan(fromRows(rows), { eps, minSamples, metric: 'cosine' });
      const want = bruteForce(rows, eps, minSamples, true);
      assert.deepEqual(Array.from(r.labels), want.labels);
      assert.deepEqual(r.coreSampleIndices, want.core);
    }), { seed: 22, numRuns: 300 });
  });

  it('finds close pairs when the data spans many more cells than the grid allows', () => {
    // Range 1e12 with eps 1e-8: cells are widened to range / 2^24, pairs must still be found.
    const X = fromRows([[0, 0], [5e-9, 0], [1e12, 1], [1e12 + 1e-4, 1], [3, 3]]);
    const r = dbscan(X, { eps: 1e-8, minSamples: 2 });
    assert.deepEqual(Array.from(r.labels), [0, 0, -1, -1, -1]);
  });

  it('validates its options with the value and the rule', () => {
    const X = fromRows([[0, 0], [1, 1]]);
    assert.throws(() => dbscan(X, { eps: 0, minSamples: 2 }), { name: 'EngineError', message: 'eps=0 should be a finite number > 0' });
    assert.throws(() => dbscan(X, { eps: 1, minSamples: 1.5 }), /minSamples=1.5 should be an integer >= 1/);
    assert.throws(() => dbscan(fromRows([[0, NaN]]), { eps: 1, minSamples: 1 }), /X\[0\]\[1\]=NaN should be a finite number/);
  });

  it('honours cancellation', () => {
    const X = fromRows(Array.from({ length: 600 }, (_, i) => [i % 7, i % 11]));
    assert.throws(() => dbscan(X, { eps: 1, minSamples: 3 }, { isCancelled: () => true }), { name: 'CancelledError' });
  });
});
