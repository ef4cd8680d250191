import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kmeansFit, predict, score, transform } from '../../../src/engine/kmeans';
import { fromRows, toRows, type Matrix } from '../../../src/engine/matrix';

const FIXTURES = path.join(__dirname, '../../fixtures');

interface ExplicitCase {
  id: string;
  n_clusters: number;
  init: number[][];
  max_iter: number;
  tol: number;
  portable: boolean;
  converged_by: 'strict' | 'tol' | 'max_iter' | null;
  n_nonempty_clusters: number;
  result: { cluster_centers: number[][]; labels: number[]; inertia: number; n_iter: number };
  elkan: { labels_equal_lloyd: boolean; n_iter: number; inertia: number };
}

interface PlusPlusCase {
  id: string;
  n_clusters: number;
  init: 'k-means++' | 'random';
  n_init: number;
  best_inertia: number;
  worst_inertia: number;
  'all_seeds_within_0.1pct_of_best_known': boolean;
}

/** Reads a fixture CSV (plain numeric columns, no quoting) and its JSON. */
function load(name: string): { X: Matrix; meta: Record<string, unknown> } {
  const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
  const lines = fs.readFileSync(path.join(FIXTURES, `${name}.csv`), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const cols = (meta.feature_columns as string[]).map((c) => header.indexOf(c));
  const rows = lines.slice(1).map((line) => {
    const f = line.split(',');
    return cols.map((c) => Number(f[c]));
  });
  return { X: fromRows(rows), meta };
}

/** Total sum of squares about the column means: the inertia of k = 1, a natural scale for inertia. */
function totalSumOfSquares(X: Matrix): number {
  let total = 0;
  for (let t = 0; t < X.nCols; t++) {
    let mean = 0;
    for (let i = 0; i < X.nRows; i++) mean += X.data[i * X.nCols + t];
    mean /= X.nRows;
    for (let i = 0; i < X.nRows; i++) total += (X.data[i * X.nCols + t] - mean) ** 2;
  }
  return total;
}

/**
 * |actual - expected| <= rel x max(|expected|, floor). The floor makes "relative" meaningful for
 * values that are 0 up to rounding (a centre coordinate of 5.6e-17 where the exact mean is 0, an
 * inertia of 1e-29 where every row sits on its centre).
 */
function assertClose(actual: number, expected: number, rel: number, floor: number, what: string): void {
  const tol = rel * Math.max(Math.abs(expected), floor);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tolerance ${tol})`);
}

function assertCentersClose(actual: Matrix, expected: number[][], what: string): void {
  const flat = expected.flat();
  const scale = Math.max(...flat.map(Math.abs));
  assert.equal(actual.data.length, flat.length, `${what}: shape`);
  for (let p = 0; p < flat.length; p++) assertClose(actual.data[p], flat[p], 1e-9, scale, `${what}[${p}]`);
}

const CONVERGED: Record<string, string> = { strict: 'strict', tol: 'tol', max_iter: 'maxIter' };
const DATASETS = ['iris', 'wine', 'blobs_2d_k4', 'blobs_8d_k5', 'degenerate'];

describe('kmeansFit with explicit centres matches scikit-learn 1.2.1 (kmeans_explicit)', () => {
  for (const name of DATASETS) {
    const { X, meta } = load(name);
    const sst = totalSumOfSquares(X);
    for (const c of meta.kmeans_explicit as ExplicitCase[]) {
      if (!c.portable) continue;
      for (const algorithm of ['lloyd', 'elkan'] as const) {
        it(`${name} ${c.id} (${algorithm})`, () => {
          const r = kmeansFit(X, { nClusters: c.n_clusters, init: fromRows(c.init), maxIter: c.max_iter, tol: c.tol, algorithm });
          assert.deepEqual(Array.from(r.labels), c.result.labels);
          assert.equal(r.nIter, algorithm === 'elkan' ? c.elkan.n_iter : c.result.n_iter);
          assert.equal(r.convergedBy, CONVERGED[c.converged_by ?? '']);
          assertCentersClose(r.clusterCenters, c.result.cluster_centers, 'centres');
          assertClose(r.inertia, algorithm === 'elkan' ? c.elkan.inertia : c.result.inertia, 1e-9, 1e-12 * sst, 'inertia');
          assert.deepEqual(r.warnings, []);
          assert.deepEqual(r.runInertias, [r.inertia]);
          assert.equal(r.bestRun, 0);
          // counts = rows per cluster of the returned labels (unit weights)
          const counts = new Array<number>(c.n_clusters).fill(0);
          for (const l of c.result.labels) counts[l]++;
          assert.deepEqual(Array.from(r.counts), counts);
        });
      }
    }
  }

  it('Elkan gives bit-identical labels, centres, inertia and nIter to Lloyd on every fixture case', () => {
    for (const name of DATASETS) {
      const { X, meta } = load(name);
      for (const c of meta.kmeans_explicit as ExplicitCase[]) {
        const opts = { nClusters: c.n_clusters, init: fromRows(c.init), maxIter: c.max_iter, tol: c.tol };
        const lloyd = kmeansFit(X, { ...opts, algorithm: 'lloyd' });
        const elkan = kmeansFit(X, { ...opts, algorithm: 'elkan' });
        assert.deepEqual(elkan.labels, lloyd.labels, c.id);
        assert.deepEqual(elkan.clusterCenters.data, lloyd.clusterCenters.data, c.id);
        assert.equal(elkan.inertia, lloyd.inertia, c.id);
        assert.equal(elkan.nIter, lloyd.nIter, c.id);
      }
    }
  });

  it('iris_k3_rows_0_50_100 (not portable: an exact tie in iteration 1) reaches the same clustering as rows 20, 70, 120', () => {
    // The README: same final clustering as iris_k3_rows_20_70_120, so the same inertia.
    const { X, meta } = load('iris');
    const cases = meta.kmeans_explicit as ExplicitCase[];
    const tied = cases.find((c) => c.id === 'iris_k3_rows_0_50_100');
    const clean = cases.find((c) => c.id === 'iris_k3_rows_20_70_120');
    assert.ok(tied !== undefined && clean !== undefined);
    const r = kmeansFit(X, { nClusters: 3, init: fromRows(tied.init), maxIter: tied.max_iter, tol: tied.tol });
    assertClose(r.inertia, clean.result.inertia, 1e-9, 0, 'inertia');
    assert.deepEqual(predict(X, r.clusterCenters), r.labels);
  });

  it('degenerate_k7_more_than_distinct (not portable): inertia 0, five non-empty clusters on the five distinct points, a warning', () => {
    const { X, meta } = load('degenerate');
    const c = (meta.kmeans_explicit as ExplicitCase[]).find((e) => e.id === 'degenerate_k7_more_than_distinct');
    assert.ok(c !== undefined);
    const sst = totalSumOfSquares(X);
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const r = kmeansFit(X, { nClusters: 7, init: fromRows(c.init), maxIter: c.max_iter, tol: c.tol, algorithm });
      assert.ok(r.inertia <= 1e-12 * sst, `inertia ${r.inertia}`);
      const distinct = new Map<string, number[]>();
      for (const row of toRows(X)) distinct.set(row.join(','), row);
      assert.equal(distinct.size, 5);
      const centers = toRows(r.clusterCenters);
      const used = [...new Set(Array.from(r.labels))];
      assert.equal(used.length, 5);
      for (const point of distinct.values()) {
        const near = used.filter((j) => centers[j].every((v, t) => Math.abs(v - point[t]) <= 1e-12 * Math.max(1, Math.abs(point[t]))));
        assert.equal(near.length, 1, `one non-empty centre at ${point.join(',')}`);
      }
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0], /distinct clusters \(5\) found smaller than nClusters \(7\)/);
    }
  });
});

describe('kmeansFit with k-means++ and random seeding (kmeans_pp, judged as the README says)', () => {
  for (const name of ['iris', 'wine', 'blobs_2d_k4', 'blobs_8d_k5']) {
    const { X, meta } = load(name);
    for (const c of meta.kmeans_pp as PlusPlusCase[]) {
      it(`${name} ${c.id}: best of seeds 0-2 within 0.1 %, every seed within 25 % of the worst`, () => {
        const reference = c['all_seeds_within_0.1pct_of_best_known'] ? c.best_inertia : c.worst_inertia;
        const inertias = [0, 1, 2].map((seed) => kmeansFit(X, { nClusters: c.n_clusters, init: c.init, nInit: c.n_init, seed }).inertia);
        assert.ok(Math.min(...inertias) <= 1.001 * reference, `best ${Math.min(...inertias)} vs reference ${reference}`);
        for (const v of inertias) assert.ok(v <= 1.25 * c.worst_inertia, `seed inertia ${v} vs worst ${c.worst_inertia}`);
      });
    }
  }

  it('keeps the run with the lowest inertia and reports every run', () => {
    const { X } = load('blobs_8d_k5');
    const r = kmeansFit(X, { nClusters: 10, nInit: 6, seed: 3 });
    assert.equal(r.runInertias.length, 6);
    assert.equal(r.inertia, r.runInertias[r.bestRun]);
    assert.equal(r.inertia, Math.min(...r.runInertias));
  });

  it("nInit 'auto' is 1 run for k-means++ and 10 for random", () => {
    const { X } = load('iris');
    assert.equal(kmeansFit(X, { nClusters: 3 }).runInertias.length, 1);
    assert.equal(kmeansFit(X, { nClusters: 3, init: 'random' }).runInertias.length, 10);
  });

  it('is reproducible from its seed', () => {
    const { X } = load('blobs_2d_k4');
    const a = kmeansFit(X, { nClusters: 8, seed: 11, nInit: 2 });
    const b = kmeansFit(X, { nClusters: 8, seed: 11, nInit: 2 });
    assert.deepEqual(a.clusterCenters.data, b.clusterCenters.data);
    assert.deepEqual(a.labels, b.labels);
  });

  it('explicit centres with nInit > 1 run once and say so', () => {
    const { X } = load('iris');
    const r = kmeansFit(X, { nClusters: 2, init: fromRows([[5, 3, 1.5, 0.2], [6.5, 3, 5, 1.8]]), nInit: 5 });
    assert.equal(r.runInertias.length, 1);
    assert.match(r.warnings.join('\n'), /nInit=5 was reduced to 1/);
  });
});

describe('predict, transform and score', () => {
  // Hand-made: centres (0,0) and (4,0); the point (2,0) is exactly halfway.
  const centers = fromRows([[0, 0], [4, 0]]);
  const X = fromRows([[1, 0], [2, 0], [5, 3]]);

  it('predict gives the nearest centre, the lowest index on an exact tie', () => {
    assert.deepEqual(Array.from(predict(X, centers)), [0, 0, 1]);
  });

  it('transform gives Euclidean distances to every centre', () => {
    // (1,0): 1 and 3; (2,0): 2 and 2; (5,3): sqrt(34) and sqrt(1 + 9) = sqrt(10).
    assert.deepEqual(toRows(transform(X, centers)), [[1, 3], [2, 2], [Math.sqrt(34), Math.sqrt(10)]]);
  });

  it('score is minus the (weighted) inertia', () => {
    // squared distances to the nearest centre: 1, 4, 10
    assert.equal(score(X, centers), -15);
    assert.equal(score(X, centers, new Float64Array([2, 0, 1])), -12);
  });

  it('rejects mismatched columns', () => {
    assert.throws(() => predict(fromRows([[1, 2, 3]]), centers), {
      name: 'EngineError', message: 'X has 3 columns but centers have 2: they should match',
    });
  });
});

describe('kmeansFit validation names the value and the rule', () => {
  const X = fromRows([[0, 0], [1, 1], [2, 2]]);
  const cases: [string, () => unknown, string][] = [
    ['k = 0', () => kmeansFit(X, { nClusters: 0 }), 'nClusters=0 should be a whole number >= 1'],
    ['k not whole', () => kmeansFit(X, { nClusters: 1.5 }), 'nClusters=1.5 should be a whole number >= 1'],
    ['k > n', () => kmeansFit(X, { nClusters: 5 }), 'nSamples=3 should be >= nClusters=5'],
    ['nInit = 0', () => kmeansFit(X, { nClusters: 2, nInit: 0 }), "nInit=0 should be a whole number >= 1 or 'auto'"],
    ['maxIter = 0', () => kmeansFit(X, { nClusters: 2, maxIter: 0 }), 'maxIter=0 should be a whole number >= 1'],
    ['tol < 0', () => kmeansFit(X, { nClusters: 2, tol: -1 }), 'tol=-1 should be a finite number >= 0'],
    ['tol NaN', () => kmeansFit(X, { nClusters: 2, tol: NaN }), 'tol=NaN should be a finite number >= 0'],
    ['NaN in X', () => kmeansFit(fromRows([[0, 0], [NaN, 1]]), { nClusters: 1 }),
      'X contains NaN at row 1, column 0: all values should be finite numbers'],
    ['weight length', () => kmeansFit(X, { nClusters: 2, sampleWeight: new Float64Array(2) }),
      'sampleWeight has length 2, should have length nSamples=3'],
    ['negative weight', () => kmeansFit(X, { nClusters: 2, sampleWeight: new Float64Array([1, -1, 1]) }),
      'sampleWeight[1]=-1 should be a finite number >= 0'],
    ['init shape', () => kmeansFit(X, { nClusters: 2, init: fromRows([[0, 0]]) }),
      'init has shape 1x2, should be nClusters x nFeatures = 2x2'],
    ['frozen length', () => kmeansFit(X, { nClusters: 2, frozen: new Uint8Array(3) }),
      'frozen has 3 entries, should be nClusters x nFeatures = 4'],
  ];
  for (const [what, run, message] of cases) {
    it(what, () => assert.throws(run, { name: 'EngineError', message }));
  }
});

describe('kmeansFit progress and cancellation', () => {
  it('reports progress ending at 1 and stops when cancelled', () => {
    const { X } = load('blobs_8d_k5');
    const fractions: number[] = [];
    kmeansFit(X, { nClusters: 5, nInit: 3 }, { onProgress: (f) => fractions.push(f) });
    assert.ok(fractions.length >= 1);
    assert.equal(fractions[fractions.length - 1], 1);
    for (const f of fractions) assert.ok(f >= 0 && f <= 1);
    let calls = 0;
    assert.throws(() => kmeansFit(X, { nClusters: 5, nInit: 3 }, { isCancelled: () => ++calls > 2 }), { name: 'CancelledError' });
  });
});

describe('kmeansFit inertia', () => {
  it('is the plain row-order sum of squared distances of its labels to its centres, whether the run stopped strictly or at maxIter', () => {
    let stopped = 0;
    for (const [seed, maxIter] of [[1, 1], [2, 2], [3, 3], [4, 300]] as const) {
      for (const algorithm of ['lloyd', 'elkan'] as const) {
        for (const weighted of [false, true]) {
          let state = seed;
          const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
          const n = 500;
          const d = 3;
          const data = new Float64Array(n * d).map((_, i) => (i % d) + Math.floor(i / d) % 5 + next() * 3);
          const X: Matrix = { data, nRows: n, nCols: d };
          const sampleWeight = weighted ? new Float64Array(n).map(() => 0.5 + next()) : undefined;
          const r = kmeansFit(X, { nClusters: 4, nInit: 1, maxIter, tol: 0, seed, algorithm, sampleWeight });
          let want = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let t = 0; t < d; t++) {
              const u = data[i * d + t] - r.clusterCenters.data[r.labels[i] * d + t];
              s += u * u;
            }
            want += sampleWeight === undefined ? s : sampleWeight[i] * s;
          }
          assert.ok(Object.is(r.inertia, want), `seed ${seed}, maxIter ${maxIter}, ${algorithm}, weighted ${weighted}: ${r.inertia} vs ${want}`);
          if (r.nIter < maxIter) stopped++;
        }
      }
    }
    assert.ok(stopped > 0, 'some runs stopped before maxIter');
  });
});
