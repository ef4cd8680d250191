import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromRows, type Matrix } from '../../../src/engine/matrix';
import { EngineError } from '../../../src/engine/errors';
import {
  calinskiHarabasz, centroidIndices, daviesBouldin, inertiaOf, silhouetteSamples, silhouetteScore,
} from '../../../src/engine/metrics/internal';
import { Rng } from '../../../src/engine/rng';
import { internalMetrics } from '../../../src/pipeline/metrics';
import { assertClose, codesOf, loadDataset, type Dataset, type InternalCase } from './helpers';

const DATASETS = ['iris', 'wine', 'blobs_2d_k4', 'blobs_8d_k5', 'degenerate', 'text_counts', 'animals'];

/** The labelling an internal_metrics case describes. */
function labelsOf(ds: Dataset, c: InternalCase): Int32Array {
  if (c.labels) return Int32Array.from(c.labels);
  if (c.labeling.startsWith('column:')) return codesOf(ds.column(c.labeling.slice('column:'.length)));
  const km = /^kmeans_explicit:([^:]+):result\.labels$/.exec(c.labeling);
  if (km) {
    const run = (ds.json.kmeans_explicit ?? []).find((k) => k.id === km[1]);
    assert.ok(run, `kmeans_explicit case ${km[1]} exists`);
    return Int32Array.from(run.result.labels);
  }
  if (c.n_clusters === 1) return new Int32Array(ds.X.nRows);
  throw new Error(`unknown labelling ${c.labeling}`);
}

describe('internal metrics against scikit-learn fixtures', () => {
  for (const name of DATASETS) {
    const ds = loadDataset(name);
    for (const c of ds.json.internal_metrics ?? []) {
      it(`${name}: ${c.labeling}`, () => {
        const labels = labelsOf(ds, c);
        const sil = silhouetteScore(ds.X, labels).value;
        const silCos = silhouetteScore(ds.X, labels, { metric: 'cosine' }).value;
        const db = daviesBouldin(ds.X, labels);
        const ch = calinskiHarabasz(ds.X, labels);
        if (c.silhouette_euclidean === null) {
          // sklearn raises "Number of labels is 1": every metric is undefined.
          assert.equal(sil, null);
          assert.equal(silCos, null);
          assert.equal(db, null);
          assert.equal(ch, null);
          assert.throws(() => silhouetteSamples(ds.X, labels), EngineError);
          return;
        }
        assertClose(sil as number, c.silhouette_euclidean, 1e-9, 0, 'silhouette euclidean');
        assertClose(silCos as number, c.silhouette_cosine as number, 1e-9, 0, 'silhouette cosine');
        if (c.portable === false) {
          // degenerate.csv, clusters of identical rows: DB is 0 and CH is +infinity in exact
          // arithmetic; sklearn's DB/CH there are rounding artefacts. We return DB ~ 0 and
          // sklearn's documented special case 1.0 for an exactly-zero dispersion.
          assert.ok((db as number) < 1e-6, `DB ${db} should be ~0`);
          assert.equal(ch, 1.0);
          return;
        }
        assertClose(db as number, c.davies_bouldin as number, 1e-9, 0, 'davies-bouldin');
        assertClose(ch as number, c.calinski_harabasz as number, 1e-9, 0, 'calinski-harabasz');
        if (c.silhouette_samples_euclidean) {
          const samples = silhouetteSamples(ds.X, labels);
          assert.equal(samples.length, c.silhouette_samples_euclidean.length);
          for (let i = 0; i < samples.length; i++) {
            assertClose(samples[i], c.silhouette_samples_euclidean[i], 1e-9, 1e-12, `silhouette sample ${i}`);
          }
        }
      });
    }
  }

  it('text_counts: cosine silhouette of the spherical k-means reference result', () => {
    const ds = loadDataset('text_counts');
    const sph = (ds.json as unknown as { spherical_kmeans: { result: { labels: number[] }; silhouette_cosine_of_result: number }[] })
      .spherical_kmeans[0];
    const value = silhouetteScore(ds.X, Int32Array.from(sph.result.labels), { metric: 'cosine' }).value;
    assertClose(value as number, sph.silhouette_cosine_of_result, 1e-9, 0, 'cosine silhouette');
  });
});

/** Silhouette straight from the definition with a full distance matrix (test oracle). */
function naiveSilhouette(rows: number[][], labels: number[], cosine: boolean): number[] {
  const dist = (a: number[], b: number[]): number => {
    if (cosine) {
      let dot = 0; let na = 0; let nb = 0;
      for (let t = 0; t < a.length; t++) { dot += a[t] * b[t]; na += a[t] * a[t]; nb += b[t] * b[t]; }
      return na === 0 || nb === 0 ? 1 : Math.min(2, Math.max(0, 1 - dot / Math.sqrt(na * nb)));
    }
    return Math.hypot(...a.map((v, t) => v - b[t]));
  };
  const D = rows.map((a, i) => rows.map((b, j) => (i === j ? 0 : dist(a, b))));
  const clusters = [...new Set(labels)];
  return rows.map((_, i) => {
    const own = labels.filter((l, j) => l === labels[i] && j !== i).length;
    if (own === 0) return 0;
    const meanTo = (c: number): number => {
      const members = labels.map((l, j) => (l === c && j !== i ? j : -1)).filter((j) => j >= 0);
      return members.reduce((s, j) => s + D[i][j], 0) / members.length;
    };
    const a = meanTo(labels[i]);
    const b = Math.min(...clusters.filter((c) => c !== labels[i]).map(meanTo));
    const s = (b - a) / Math.max(a, b);
    return Number.isFinite(s) ? s : 0;
  });
}

describe('silhouette properties', () => {
  const dataArb = fc.integer({ min: 4, max: 40 }).chain((n) => fc.record({
    rows: fc.array(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
    labels: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
  })).filter(({ rows, labels }) => {
    const L = new Set(labels).size;
    return L >= 2 && L <= rows.length - 1;
  });

  it('chunked silhouette equals the naive full-matrix silhouette (euclidean and cosine)', () => {
    fc.assert(fc.property(dataArb, ({ rows, labels }) => {
      const X = fromRows(rows);
      for (const metric of ['euclidean', 'cosine'] as const) {
        const got = silhouetteSamples(X, Int32Array.from(labels), metric);
        const want = naiveSilhouette(rows, labels, metric === 'cosine');
        for (let i = 0; i < rows.length; i++) assertClose(got[i], want[i], 1e-9, 1e-12, `${metric} row ${i}`);
      }
    }), { seed: 1, numRuns: 150 });
  });

  it('metrics are invariant under relabelling of the clusters', () => {
    fc.assert(fc.property(dataArb, fc.integer({ min: 0, max: 1000 }), ({ rows, labels }, shift) => {
      const X = fromRows(rows);
      const a = Int32Array.from(labels);
      // A strictly decreasing renaming: a different encoding order and non-contiguous values.
      const b = Int32Array.from(labels.map((l) => 3 * (10 - l) + shift));
      assertClose(silhouetteScore(X, b).value as number, silhouetteScore(X, a).value as number, 1e-12, 1e-12, 'silhouette');
      assertClose(daviesBouldin(X, b) as number, daviesBouldin(X, a) as number, 1e-12, 1e-12, 'DB');
      assertClose(calinskiHarabasz(X, b) as number, calinskiHarabasz(X, a) as number, 1e-12, 1e-12, 'CH');
    }), { seed: 2, numRuns: 100 });
  });

  it('takes the big-label-count path (row blocks) with the same result', () => {
    // 2100 rows in 2000 clusters: n x L > 4e6 accumulators, so the row-block kernel runs.
    const n = 2100;
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      rows.push([Math.sin(i) * 10, Math.cos(i * 1.7) * 10]);
      labels.push(i < 2000 ? i : i - 2000);
    }
    const X = fromRows(rows);
    const got = silhouetteSamples(X, Int32Array.from(labels));
    // Oracle on a few rows only (the full naive matrix would be large).
    for (const i of [0, 5, 99, 150, 2000, 2099]) {
      const own: number[] = [];
      const byCluster = new Map<number, number[]>();
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const d = Math.hypot(rows[i][0] - rows[j][0], rows[i][1] - rows[j][1]);
        if (labels[j] === labels[i]) own.push(d);
        else byCluster.set(labels[j], [...(byCluster.get(labels[j]) ?? []), d]);
      }
      let want = 0;
      if (own.length > 0) {
        const a = own.reduce((s, v) => s + v, 0) / own.length;
        const b = Math.min(...[...byCluster.values()].map((v) => v.reduce((s, x) => s + x, 0) / v.length));
        want = (b - a) / Math.max(a, b);
      }
      assertClose(got[i], want, 1e-9, 1e-12, `row ${i}`);
    }
  });
});

describe('silhouette edge cases and sampling', () => {
  // Hand-computed: points 0, 1 (cluster 0) and 5 (cluster 1), 1-D.
  // Row 0: a = 1, b = 5 -> 0.8; row 1: a = 1, b = 4 -> 0.75; row 2 alone -> 0.
  const X: Matrix = fromRows([[0], [1], [5]]);
  it('matches a hand computation, singleton scores 0', () => {
    const s = silhouetteSamples(X, Int32Array.of(0, 0, 1));
    assert.deepEqual(Array.from(s), [0.8, 0.75, 0]);
    assert.equal(silhouetteScore(X, Int32Array.of(0, 0, 1)).value, (0.8 + 0.75) / 3);
  });

  it('is undefined (null, or an error for the per-row values) for 1 or n labels', () => {
    assert.deepEqual(silhouetteScore(X, Int32Array.of(0, 0, 0)), { value: null, sampled: null });
    assert.deepEqual(silhouetteScore(X, Int32Array.of(0, 1, 2)), { value: null, sampled: null });
    assert.throws(() => silhouetteSamples(X, Int32Array.of(0, 1, 2)),
      { name: 'EngineError', message: 'number of labels=3 should be in [2, nSamples - 1 = 2]: the metric is undefined otherwise' });
    assert.equal(daviesBouldin(X, Int32Array.of(3, 3, 3)), null);
    assert.equal(calinskiHarabasz(X, Int32Array.of(0, 1, 2)), null);
  });

  it('rejects negative labels and mismatched lengths', () => {
    assert.throws(() => silhouetteSamples(X, Int32Array.of(0, -1, 1)), /labels\[1\]=-1 should be >= 0/);
    assert.throws(() => daviesBouldin(X, Int32Array.of(0, 1)), /labels.length=2 should equal nSamples=3/);
  });

  it('identical rows split over two clusters score 0 (0/0 -> 0, as sklearn)', () => {
    const s = silhouetteSamples(fromRows([[1], [1], [1], [1]]), Int32Array.of(0, 0, 1, 1));
    assert.deepEqual(Array.from(s), [0, 0, 0, 0]);
  });

  it('samples by label with a seed, reports the sample size and stays close to the exact value', () => {
    const ds = loadDataset('blobs_2d_k4');
    const labels = codesOf(ds.column('blob'));
    const exact = silhouetteScore(ds.X, labels).value as number;
    const a = silhouetteScore(ds.X, labels, { sampleSize: 200, seed: 7 });
    const b = silhouetteScore(ds.X, labels, { sampleSize: 200, seed: 7 });
    assert.equal(a.sampled, 200);
    assert.equal(a.value, b.value, 'same seed, same sample');
    assert.ok(Math.abs((a.value as number) - exact) < 0.05, `${a.value} vs exact ${exact}`);
    assert.deepEqual(silhouetteScore(ds.X, labels, { sampleSize: 400 }), { value: exact, sampled: null });
    assert.throws(() => silhouetteScore(ds.X, labels, { sampleSize: 4 }), /sampleSize=4 should be an integer above the number of clusters=4/);
  });
});

describe('Davies-Bouldin, Calinski-Harabasz and inertia by hand', () => {
  // Clusters {0, 2} and {10, 12} on a line: centroids 1 and 11, S = 1 each, M = 10:
  // DB = (1 + 1) / 10 = 0.2. B = 2*25 + 2*25 = 100, W = 4, CH = (100 / 1) / (4 / 2) = 50.
  const X = fromRows([[0], [2], [10], [12]]);
  const labels = Int32Array.of(0, 0, 1, 1);
  it('DB and CH', () => {
    assertClose(daviesBouldin(X, labels) as number, 0.2, 1e-15, 0, 'DB');
    assertClose(calinskiHarabasz(X, labels) as number, 50, 1e-15, 0, 'CH');
  });
  it('CH is 1.0 when the within-cluster dispersion is exactly 0 (sklearn special case)', () => {
    assert.equal(calinskiHarabasz(fromRows([[0.1], [0.1], [0.1], [0.7], [0.7]]), Int32Array.of(0, 0, 0, 1, 1)), 1.0);
  });
  it('inertia with and without weights', () => {
    const centers = fromRows([[1], [11]]);
    assert.equal(inertiaOf(X, centers, labels), 4);
    assert.equal(inertiaOf(X, centers, labels, Float64Array.of(1, 2, 3, 0.5)), 1 + 2 + 3 + 0.5);
    assert.throws(() => inertiaOf(X, centers, Int32Array.of(0, 0, 2, 1)), /labels\[2\]=2 should be in \[0, 1\]/);
  });
});

describe('centroidIndices and the metrics pipeline’s label fast path', () => {
  const bitsOf = (v: number | null) => (v === null ? null : new BigUint64Array(Float64Array.of(v).buffer)[0]);
  it('gives daviesBouldin’s and calinskiHarabasz’s bits, null where they are null', () => {
    const rng = new Rng(41);
    for (const [n, d, L] of [[50, 3, 4], [501, 10, 8], [7, 2, 6], [9, 1, 1], [12, 4, 12], [300, 5, 2]]) {
      const data = new Float64Array(n * d);
      for (let i = 0; i < data.length; i++) data[i] = rng.random() * 10 - 5;
      const X = { data, nRows: n, nCols: d };
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) labels[i] = (rng.int(L) * 3) + 2; // sparse values
      const both = centroidIndices(X, labels);
      assert.equal(bitsOf(both.daviesBouldin), bitsOf(daviesBouldin(X, labels)), `DB n ${n} d ${d} L ${L}`);
      assert.equal(bitsOf(both.calinskiHarabasz), bitsOf(calinskiHarabasz(X, labels)), `CH n ${n} d ${d} L ${L}`);
    }
  });

  it('scores labels 0..k-1 as it scores the same partition under other label values (remapped)', () => {
    const rng = new Rng(43);
    const n = 400;
    const d = 3;
    const data = new Float64Array(n * d);
    for (let i = 0; i < data.length; i++) data[i] = rng.random() * 4;
    const X = { data, nRows: n, nCols: d };
    const dense = new Int32Array(n);
    for (let i = 0; i < n; i++) dense[i] = rng.int(5);
    const sparse = dense.map((v) => 10 * v + 7);
    const a = internalMetrics(X, dense, 'euclidean', 100, 0);
    const b = internalMetrics(X, sparse, 'euclidean', 100, 0);
    assert.equal(bitsOf(a.silhouette), bitsOf(b.silhouette));
    assert.equal(bitsOf(a.daviesBouldin), bitsOf(b.daviesBouldin));
    assert.equal(bitsOf(a.calinskiHarabasz), bitsOf(b.calinskiHarabasz));
    assert.notEqual(a.daviesBouldin, null);
  });
});
