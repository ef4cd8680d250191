import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/rng';
import { kmeansPlusPlus, kmeansPlusPlusFrom } from '../../../src/engine/init';
import { kmeansFit } from '../../../src/engine/kmeans';
import { chunkRowsFor } from '../../../src/engine/parallel/assigner';
import { serialExecutor, setDefaultExecutor, sharedF64 } from '../../../src/engine/parallel/executor';
import { SEED_NEAREST, SEED_TRIALS } from '../../../src/engine/parallel/kernels';
import type { Matrix } from '../../../src/engine/matrix';
import { KernelPool } from '../../../src/node/kernelPool';
import { bits } from './bits';

// Greedy k-means++ with its distances on the 'seed' chunk kernel: against a reference written
// here as the plain loops (the distance of every row to every candidate, the minimum with the
// closest distance, the potential summed row by row), and serial against the pool bit for bit.

function sq(x: Float64Array, a: number, y: Float64Array, b: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const u = x[a + t] - y[b + t];
    s += u * u;
  }
  return s;
}

/**
 * Greedy k-means++ as plain loops, with every candidate's potential summed in row order over
 * blocks of `blockRows` rows and the block sums added in block order (blockRows >= n: one plain
 * sum). Draws from the random stream exactly as scikit-learn's _kmeans_plusplus: the first row
 * (weighted: by cumulative weight), then per step `trials` uniform numbers on the cumulative
 * potential, searched on the left and clipped to n - 1.
 */
function reference(X: Matrix, existing: Matrix, k: number, rng: Rng, w: Float64Array | undefined, trials: number, blockRows: number): Float64Array {
  const { data: x, nRows: n, nCols: d } = X;
  const centers = new Float64Array(k * d);
  centers.set(existing.data.subarray(0, existing.nRows * d));
  const closest = new Float64Array(n).fill(Infinity);
  let first = existing.nRows;
  if (first === 0) {
    let id: number;
    if (w === undefined) id = rng.int(n);
    else {
      let total = 0;
      for (let i = 0; i < n; i++) total += w[i];
      const r = rng.random() * total;
      let acc = 0;
      id = n - 1;
      for (let i = 0; i < n; i++) {
        acc += w[i];
        if (acc > r) {
          id = i;
          break;
        }
      }
    }
    centers.set(x.subarray(id * d, id * d + d));
    first = 1;
  }
  for (let i = 0; i < n; i++) for (let c = 0; c < first; c++) closest[i] = Math.min(closest[i], sq(x, i * d, centers, c * d, d));
  for (let c = first; c < k; c++) {
    const cumulative: number[] = [];
    let pot = 0;
    for (let i = 0; i < n; i++) {
      pot += w === undefined ? closest[i] : closest[i] * w[i];
      cumulative.push(pot);
    }
    const ids: number[] = [];
    for (let t = 0; t < trials; t++) {
      const r = rng.random() * pot;
      let id = cumulative.findIndex((v) => v >= r);
      if (id < 0 || id > n - 1) id = n - 1;
      ids.push(id);
    }
    let bestPot = Infinity;
    let bestDist: Float64Array | null = null;
    let bestId = -1;
    for (const id of ids) {
      const dist = new Float64Array(n);
      let total = 0;
      for (let b = 0; b < n; b += blockRows) {
        let block = 0;
        for (let i = b; i < Math.min(n, b + blockRows); i++) {
          dist[i] = Math.min(sq(x, i * d, x, id * d, d), closest[i]);
          block += w === undefined ? dist[i] : dist[i] * w[i];
        }
        total += block;
      }
      if (total < bestPot) {
        bestPot = total;
        bestDist = dist;
        bestId = id;
      }
    }
    if (bestDist === null) throw new Error('no candidate');
    closest.set(bestDist);
    centers.set(x.subarray(bestId * d, bestId * d + d), c * d);
  }
  return centers;
}

/** Overlapping blobs (so the potentials are close and the choice is not obvious), some rows repeated. */
function blobs(seed: number, n: number, d: number): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const g = rng.int(6);
    for (let t = 0; t < d; t++) data[i * d + t] = g * 1.5 + rng.random() * 4 - 2;
    if (i > 0 && rng.random() < 0.05) data.copyWithin(i * d, (i - 1) * d, i * d);
  }
  return { data, nRows: n, nCols: d };
}

function weightsFor(seed: number, n: number): Float64Array {
  const rng = new Rng(seed);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = rng.random() < 0.1 ? 0 : 0.25 + rng.random() * 3;
  return w;
}

const trialsFor = (k: number): number => 2 + Math.floor(Math.log(k));

describe('seed chunk kernel', () => {
  it('nearest: lowers the closest distances to the given centres; trials: row-order potentials of the minima per chunk', () => {
    for (const weighted of [false, true]) {
      const n = 1003; // chunks of 100: four-row blocks and a tail of 3 in the last chunk
      const d = 3;
      const m = 3;
      const X = blobs(4, n, d).data;
      const C = Float64Array.from([0, 0, 0, 5, 5, 5, X[6], X[7], X[8]]); // the last centre is row 2
      const W = weighted ? weightsFor(5, n) : new Float64Array(0);
      const closest = new Float64Array(n).fill(Infinity);
      closest[10] = 1e-3; // already nearer to an earlier centre than to these two
      const chunkRows = 100;
      const nChunks = Math.ceil(n / chunkRows);
      const none = new Float64Array(0);
      serialExecutor.run('seed', { f64: [X, C.subarray(0, 2 * d), closest, W, none], i32: [], params: [n, d, 2, chunkRows, SEED_NEAREST] }, nChunks);
      for (let i = 0; i < n; i++) {
        const want = i === 10 ? 1e-3 : Math.min(sq(X, i * d, C, 0, d), sq(X, i * d, C, d, d));
        assert.equal(closest[i], want, `closest, row ${i}`);
      }
      const before = Float64Array.from(closest);
      const pots = new Float64Array(nChunks * m).fill(-1);
      serialExecutor.run('seed', { f64: [X, C, closest, W, pots], i32: [], params: [n, d, m, chunkRows, SEED_TRIALS] }, nChunks);
      assert.deepEqual(closest, before, 'trials leave closest as it was');
      for (let t = 0; t < m; t++) {
        for (let chunk = 0; chunk < nChunks; chunk++) {
          let p = 0;
          for (let i = chunk * chunkRows; i < Math.min(n, (chunk + 1) * chunkRows); i++) {
            const v = Math.min(sq(X, i * d, C, t * d, d), closest[i]);
            p += weighted ? v * W[i] : v;
          }
          assert.equal(pots[chunk * m + t], p, `candidate ${t}, chunk ${chunk}`);
        }
      }
    }
  });
});

describe('kmeansPlusPlus on the seed kernel', () => {
  it('n up to one chunk: the plain loop’s bits (the reference with one sum), weighted or not, with or without placed centres', () => {
    for (const [n, d, k] of [[7, 2, 3], [150, 4, 3], [1001, 3, 12], [8192, 5, 8]] as const) {
      assert.ok(n <= chunkRowsFor(n, trialsFor(k), d), 'one chunk');
      const X = blobs(n + d, n, d);
      for (const w of [undefined, weightsFor(n, n)]) {
        for (const seed of [0, 1, 2]) {
          const want = reference(X, { data: new Float64Array(0), nRows: 0, nCols: d }, k, new Rng(seed), w, trialsFor(k), Infinity);
          const got = kmeansPlusPlus(X, k, new Rng(seed), w);
          assert.deepEqual(bits(got.data), bits(want), `n ${n}, d ${d}, k ${k}, seed ${seed}, ${w ? 'weighted' : 'unweighted'}`);
        }
        // Two centres placed beforehand (as partialInit places them).
        const placed: Matrix = { data: Float64Array.from(X.data.subarray(0, 2 * d)).map((v) => v + 0.5), nRows: 2, nCols: d };
        const want = reference(X, placed, k, new Rng(9), w, 2, Infinity);
        const got = kmeansPlusPlusFrom(X, placed, k, new Rng(9), w, 2);
        assert.deepEqual(bits(got.data), bits(want), `placed, n ${n}, k ${k}`);
      }
    }
  });

  describe('over several chunks, serial and on a pool', () => {
    let pool: KernelPool;
    before(() => {
      pool = KernelPool.create(2);
    });
    after(() => pool.close());

    it('sums each candidate’s potential per chunk in chunk order, the same bits on 1 or 3 threads', () => {
      assert.equal(pool.threads, 3);
      for (const [n, d, k] of [[60_001, 10, 8], [170_003, 3, 20], [35_003, 20, 5]] as const) {
        const trials = trialsFor(k);
        const chunkRows = chunkRowsFor(n, trials, d);
        assert.ok(n > 2 * chunkRows && n * trials * d >= 2_000_000, 'several chunks, past the pool’s work threshold');
        const X = blobs(d * k, n, d);
        const shared: Matrix = { data: sharedF64(pool, n * d, X.data), nRows: n, nCols: d };
        for (const w of [undefined, weightsFor(k, n)]) {
          const want = reference(X, { data: new Float64Array(0), nRows: 0, nCols: d }, k, new Rng(3), w, trials, chunkRows);
          const serial = kmeansPlusPlus(X, k, new Rng(3), w, undefined, serialExecutor);
          const before = pool.runs.parallel;
          const pooled = kmeansPlusPlus(shared, k, new Rng(3), w === undefined ? undefined : sharedF64(pool, n, w), undefined, pool);
          assert.equal(pool.runs.parallel - before, 2 * k - 2, `the nearest passes and every step's trials ran across threads (n ${n}, d ${d}, k ${k})`);
          // Rows not yet shared are copied for the pool, with the same result.
          const copied = kmeansPlusPlus(X, k, new Rng(3), w, undefined, pool);
          assert.deepEqual(bits(serial.data), bits(want), `serial vs reference, n ${n}, d ${d}, k ${k}, ${w ? 'weighted' : 'unweighted'}`);
          assert.deepEqual(bits(pooled.data), bits(serial.data), `pool vs serial, n ${n}, d ${d}, k ${k}`);
          assert.deepEqual(bits(copied.data), bits(serial.data), `copied rows, n ${n}, d ${d}, k ${k}`);
        }
        // Placed centres: the nearest pass over all of them, then the steps.
        const placed: Matrix = { data: Float64Array.from(X.data.subarray(0, 3 * d)).map((v) => v * 0.5), nRows: 3, nCols: d };
        const want = reference(X, placed, k, new Rng(8), undefined, trials, chunkRows);
        const serial = kmeansPlusPlusFrom(X, placed, k, new Rng(8), undefined, undefined, serialExecutor);
        const pooled = kmeansPlusPlusFrom(shared, placed, k, new Rng(8), undefined, undefined, pool);
        assert.deepEqual(bits(serial.data), bits(want), `placed, serial vs reference, n ${n}`);
        assert.deepEqual(bits(pooled.data), bits(serial.data), `placed, pool vs serial, n ${n}`);
      }
    });

    it('kmeansFit with default seeding gives the serial fit’s bits on the pool (labels, centres, inertia, nIter)', () => {
      const n = 50_001;
      const d = 10;
      const k = 8;
      const X = blobs(77, n, d);
      try {
        for (const sampleWeight of [undefined, weightsFor(78, n)]) {
          const options = { nClusters: k, maxIter: 10, seed: 4, sampleWeight };
          setDefaultExecutor(serialExecutor);
          const serial = kmeansFit(X, options);
          setDefaultExecutor(pool);
          const before = pool.runs.parallel;
          const pooled = kmeansFit(X, options);
          assert.ok(pool.runs.parallel - before >= k + 1, 'seeding and Lloyd ran across threads');
          assert.deepEqual(pooled.labels, serial.labels);
          assert.deepEqual(bits(pooled.clusterCenters.data), bits(serial.clusterCenters.data));
          assert.equal(pooled.inertia, serial.inertia);
          assert.equal(pooled.nIter, serial.nIter);
        }
      } finally {
        setDefaultExecutor(serialExecutor);
      }
    });
  });
});

