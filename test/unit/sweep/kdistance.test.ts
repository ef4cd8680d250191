/**
 * The k-distance curve against a brute-force oracle (all pairwise distances, sorted per row),
 * against scikit-learn's DBSCAN core rows in the fixtures, and its suggested eps on data whose
 * two density scales are known by construction.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kDistances } from '../../../src/engine/kdistance';
import { dbscan } from '../../../src/engine/dbscan';
import { CancelledError, EngineError } from '../../../src/engine/errors';
import { fromRows, type Matrix } from '../../../src/engine/matrix';
import { Rng } from '../../../src/engine/rng';
import { kDistanceTable } from '../../../src/pipeline/kdistance';
import { hdbscanTable } from '../../../src/pipeline/hdbscan';
import { parseCsv } from '../../../src/csv/read';
import { fixtureJson, fixtureTable, gaussian } from './helpers';
import { loadDataset } from '../metrics/helpers';

/** Distance between two rows from the definitions (cosine: 1 - cos clipped at 0; a zero row is at 1 from others). */
function distance(a: ArrayLike<number>, b: ArrayLike<number>, cosine: boolean): number {
  const d = a.length;
  if (!cosine) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (a[t] - b[t]) ** 2;
    return Math.sqrt(s);
  }
  let na = 0;
  let nb = 0;
  let dot = 0;
  for (let t = 0; t < d; t++) {
    na += a[t] * a[t];
    nb += b[t] * b[t];
    dot += a[t] * b[t];
  }
  if (na === 0 || nb === 0) return 1;
  return Math.max(0, 1 - dot / Math.sqrt(na * nb));
}

/** Oracle: for each row, every distance (itself included, 0), sorted; the minSamples-th is the k-distance. */
function bruteForce(X: Matrix, minSamples: number, cosine: boolean): number[] {
  const { nRows: n, nCols: d } = X;
  const row = (i: number): Float64Array => X.data.subarray(i * d, i * d + d);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const all: number[] = [];
    for (let j = 0; j < n; j++) all.push(i === j ? 0 : distance(row(i), row(j), cosine));
    all.sort((a, b) => a - b);
    out.push(all[minSamples - 1]);
  }
  return out;
}

function randomMatrix(rng: Rng, n: number, d: number, options: { duplicates?: boolean; zeroRows?: boolean; grid?: boolean } = {}): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (options.duplicates && i > 0 && rng.random() < 0.2) {
      rows.push([...rows[rng.int(i)]]);
    } else if (options.zeroRows && rng.random() < 0.1) {
      rows.push(new Array<number>(d).fill(0));
    } else {
      // Integer grids make many exact ties between distances.
      rows.push(Array.from({ length: d }, () => (options.grid ? rng.int(5) : gaussian(rng) * (1 + 3 * rng.random()))));
    }
  }
  return fromRows(rows, d);
}

function assertClose(actual: ArrayLike<number>, expected: number[], rel: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    assert.ok(diff <= rel * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('k-distances equal brute force', () => {
  it('Euclidean on random data of 1 to 6 columns, with duplicates and ties', () => {
    const rng = new Rng(20240601);
    for (let trial = 0; trial < 40; trial++) {
      const n = 2 + rng.int(60);
      const d = 1 + rng.int(6);
      const X = randomMatrix(rng, n, d, { duplicates: trial % 2 === 0, grid: trial % 3 === 0 });
      const minSamples = 1 + rng.int(Math.min(n, 9));
      const r = kDistances(X, { minSamples });
      const expected = bruteForce(X, minSamples, false).sort((a, b) => a - b);
      // The same sum of squares in the same order: the same bits.
      assert.deepEqual(Array.from(r.distances), expected, `trial ${trial}: n=${n} d=${d} minSamples=${minSamples}`);
      assert.equal(r.sampled, false);
      assert.deepEqual(Array.from(r.rows).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
    }
  });

  it('cosine, with all-zero rows and duplicates', () => {
    const rng = new Rng(77);
    for (let trial = 0; trial < 30; trial++) {
      const n = 2 + rng.int(50);
      const d = 1 + rng.int(5);
      const X = randomMatrix(rng, n, d, { zeroRows: true, duplicates: trial % 2 === 1 });
      const minSamples = 1 + rng.int(Math.min(n, 8));
      const r = kDistances(X, { minSamples, metric: 'cosine' });
      const expected = bruteForce(X, minSamples, true).sort((a, b) => a - b);
      assertClose(r.distances, expected, 1e-12, `trial ${trial}`);
    }
  });

  it('each value belongs to the row it names', () => {
    const rng = new Rng(5);
    const X = randomMatrix(rng, 40, 3);
    const oracle = bruteForce(X, 4, false);
    const r = kDistances(X, { minSamples: 4 });
    for (let i = 0; i < r.rows.length; i++) assert.equal(r.distances[i], oracle[r.rows[i]]);
  });
});

describe('k-distances and DBSCAN core rows', () => {
  it('a row is a core row of scikit-learn\'s DBSCAN exactly when its k-distance is <= eps (fixtures)', () => {
    for (const name of ['iris', 'blobs_2d_k4', 'degenerate']) {
      const ds = loadDataset(name);
      for (const c of ds.json.dbscan ?? []) {
        const r = kDistances(ds.X, { minSamples: c.min_samples });
        const core: number[] = [];
        for (let i = 0; i < r.rows.length; i++) if (r.distances[i] <= c.eps) core.push(r.rows[i]);
        core.sort((a, b) => a - b);
        assert.deepEqual(core, c.core_sample_indices, `${name}: ${c.id}`);
      }
    }
  });

  it('the same under cosine, against the engine\'s DBSCAN', () => {
    const rng = new Rng(9);
    const X = randomMatrix(rng, 120, 3, { zeroRows: true, duplicates: true });
    const r = kDistances(X, { minSamples: 4, metric: 'cosine' });
    for (const eps of [0.001, 0.01, 0.05, 0.2]) {
      const core = new Set(dbscan(X, { eps, minSamples: 4, metric: 'cosine' }).coreSampleIndices);
      for (let i = 0; i < r.rows.length; i++) assert.equal(r.distances[i] <= eps, core.has(r.rows[i]), `eps=${eps}, row ${r.rows[i]}`);
    }
  });
});

describe('sampling on big data', () => {
  it('above sampleSize: a seeded sample of rows, each exact against all rows', () => {
    const rng = new Rng(31);
    const X = randomMatrix(rng, 300, 2);
    const oracle = bruteForce(X, 5, false);
    const a = kDistances(X, { minSamples: 5, sampleSize: 50, seed: 4 });
    const b = kDistances(X, { minSamples: 5, sampleSize: 50, seed: 4 });
    const c = kDistances(X, { minSamples: 5, sampleSize: 50, seed: 5 });
    assert.equal(a.sampled, true);
    assert.equal(a.distances.length, 50);
    assert.equal(new Set(a.rows).size, 50);
    for (let i = 0; i < 50; i++) assert.equal(a.distances[i], oracle[a.rows[i]]);
    for (let i = 1; i < 50; i++) assert.ok(a.distances[i] >= a.distances[i - 1]);
    assert.deepEqual(a, b, 'the same seed gives the same sample');
    assert.notDeepEqual(Array.from(a.rows).sort(), Array.from(c.rows).sort(), 'another seed another sample');
    assert.equal(kDistances(X, { minSamples: 5, sampleSize: 300 }).sampled, false, 'not above sampleSize: all rows');
  });
});

describe('the suggested eps', () => {
  /**
   * Three dense clusters, each a 10 x 10 grid of spacing 0.1, far apart, plus 30 isolated rows
   * at least 5 from everything. With minSamples = 5 (the row itself and 4 others) a grid row's
   * k-distance is 0.1 inside, 0.1414 (one diagonal) on an edge and 0.2 at a corner; an isolated
   * row's is at least 5. The curve is flat on [0.1, 0.2] for 300 rows and then jumps, so its
   * knee is at the last grid value, 0.2, and DBSCAN at that eps finds the 3 grids and 30 noise rows.
   */
  const rows: number[][] = [];
  for (let g = 0; g < 3; g++) for (let a = 0; a < 10; a++) for (let b = 0; b < 10; b++) rows.push([100 * g + 0.1 * a, 0.1 * b]);
  const rng = new Rng(2);
  for (let i = 0; i < 30; i++) rows.push([50 + 10 * i, 50 + 10 * (i % 7) + rng.random()]);
  const X = fromRows(rows, 2);

  it('sits at the knee between the two density scales', () => {
    const r = kDistances(X, { minSamples: 5 });
    assert.ok(r.suggestedEps !== null && r.kneeIndex !== null);
    assert.ok(Math.abs(r.suggestedEps - 0.2) < 1e-12, `suggested eps ${r.suggestedEps}`);
    assert.equal(r.kneeIndex, 299);
    const clusters = dbscan(X, { eps: r.suggestedEps, minSamples: 5 });
    assert.equal(clusters.nClusters, 3);
    assert.equal(clusters.nNoise, 30);
  });

  it('is null on a flat curve (a regular grid) and with minSamples = 1', () => {
    const grid: number[][] = [];
    for (let a = 0; a < 12; a++) for (let b = 0; b < 12; b++) grid.push([a, b]);
    // With minSamples = 2 (the row and one other) every grid row's nearest other row is at exactly 1.
    const r = kDistances(fromRows(grid, 2), { minSamples: 2 });
    assert.ok(r.distances.every((v) => v === 1));
    assert.equal(r.suggestedEps, null);
    const one = kDistances(X, { minSamples: 1 });
    assert.ok(one.distances.every((v) => v === 0));
    assert.equal(one.suggestedEps, null);
  });
});

describe('k-distance input checks, progress and cancellation', () => {
  const X = fromRows([[0, 0], [1, 0], [0, 1]], 2);
  it('names the value and the rule', () => {
    const err = (p: RegExp) => (e: unknown): boolean => e instanceof EngineError && p.test(e.message);
    assert.throws(() => kDistances(X, { minSamples: 4 }), err(/minSamples=4 should be an integer in \[1, nSamples=3\]/));
    assert.throws(() => kDistances(X, { minSamples: 0 }), err(/minSamples=0/));
    assert.throws(() => kDistances(X, { minSamples: 2.5 }), err(/minSamples=2.5/));
    assert.throws(() => kDistances(fromRows([[0, NaN]], 2), { minSamples: 1 }), err(/X\[0\]\[1\]=NaN should be a finite number/));
    assert.throws(() => kDistances(X, { minSamples: 2, sampleSize: 2 }), err(/sampleSize=2 should be an integer >= 3/));
    assert.throws(() => kDistances(X, { minSamples: 2, metric: 'manhattan' as 'cosine' }), err(/metric=manhattan/));
  });

  it('progress ends at 1; a cancel flag stops it', () => {
    const big = randomMatrix(new Rng(1), 500, 2);
    const fractions: number[] = [];
    kDistances(big, { minSamples: 3 }, { onProgress: (f) => fractions.push(f) });
    assert.equal(fractions[fractions.length - 1], 1);
    assert.throws(() => kDistances(big, { minSamples: 3 }, { isCancelled: () => true }), (e: unknown) => e instanceof CancelledError);
  });
});

describe('kDistanceTable', () => {
  it('iris with the class column left out: the curve of the four measurements, data rows named', () => {
    const report = kDistanceTable(fixtureTable('iris'), { label: 'species', minSamples: 5 });
    const ds = loadDataset('iris');
    const oracle = bruteForce(ds.X, 5, false);
    assert.deepEqual(report.distances, [...oracle].sort((a, b) => a - b));
    assert.equal(report.sampled, false);
    assert.deepEqual(report.featureNames, fixtureJson('iris').feature_columns);
    for (let i = 0; i < report.rows.length; i++) assert.equal(report.distances[i], oracle[report.rows[i]]);
    assert.ok(report.suggestedEps !== null && report.distances.includes(report.suggestedEps));
    assert.match(report.why, /^the distance to each row's 5th nearest row \(itself included\) turns up at [0-9.]+ over all 150 rows: at that eps about \d+% of rows are core rows$/);
  });

  it('rows are data rows when some were dropped for missing values, and the default minSamples is 5', () => {
    const table = parseCsv('a,b\n0,0\n1,\n0,1\n1,1\n2,2\n3,3\n0,2\n', { header: 'auto' });
    const report = kDistanceTable(table);
    assert.equal(report.minSamples, 5);
    assert.equal(report.nRows, 6);
    assert.ok(!report.rows.includes(1), 'row 1 was dropped');
    assert.equal(report.warnings.length > 0, true);
  });
});

describe('density helpers refuse values whose squares overflow, as DBSCAN does', () => {
  it('kDistanceTable and hdbscanTable name the column', () => {
    const table = parseCsv('a,b\n1e308,1\n-1e308,2\n1.5e308,3\n-1.7e308,0\n5,5\n6,6\n', { header: 'auto' });
    assert.throws(() => kDistanceTable(table, { minSamples: 2 }), (e: unknown) => e instanceof EngineError && /column "a"/.test(e.message));
    assert.throws(() => hdbscanTable(table, { minClusterSize: 2 }), (e: unknown) => e instanceof EngineError && /column "a"/.test(e.message));
  });
});
