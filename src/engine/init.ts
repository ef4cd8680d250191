/**
 * Seeding for the k-means family: greedy k-means++ (as scikit-learn's `_kmeans_plusplus`)
 * and uniform random rows. Both return new matrices of data rows; neither checks its input
 * beyond what is stated (callers validate once).
 */
import { type Matrix } from './matrix';
import { type Rng } from './rng';
import { chunkRowsFor, POOL_MIN_WORK } from './parallel/assigner';
import { serialExecutor, sharedF64, type ChunkExecutor } from './parallel/executor';
import { SEED_NEAREST, SEED_TRIALS, type KernelJob } from './parallel/kernels';

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii, "k-means++: the advantages of careful
 * seeding", SODA 2007; greedy variant as in scikit-learn). The first centre is a random row
 * (probability proportional to `sampleWeight`, uniform without weights); every further centre:
 * draw `nLocalTrials` candidate rows with probability proportional to weight x squared distance
 * to the nearest chosen centre, keep the candidate giving the smallest total potential.
 *
 * @param X `n x d` data, finite (not checked here).
 * @param nClusters `k`, 1 <= k <= n (not checked here).
 * @param rng the random stream; consumed.
 * @param sampleWeight optional length-`n` non-negative weights.
 * @param nLocalTrials candidates per step; default `2 + floor(ln k)` (scikit-learn's choice).
 * @param executor where the distances run (see {@link kmeansPlusPlusFrom}); default the calling thread.
 * @returns a new `k x d` matrix of data rows.
 * Complexity: O(n d k (nLocalTrials + 1)) time, O(n) extra memory.
 */
export function kmeansPlusPlus(
  X: Matrix,
  nClusters: number,
  rng: Rng,
  sampleWeight?: Float64Array,
  nLocalTrials?: number,
  executor?: ChunkExecutor,
): Matrix {
  return kmeansPlusPlusFrom(X, { data: new Float64Array(0), nRows: 0, nCols: X.nCols }, nClusters, rng, sampleWeight, nLocalTrials, executor);
}

/**
 * Greedy k-means++ continued from centres that are already placed: the first `existing.nRows`
 * rows of the result are `existing`, the remaining `nClusters - existing.nRows` are drawn as in
 * {@link kmeansPlusPlus} with the distances to the existing centres already counted. With no
 * existing centre this is exactly {@link kmeansPlusPlus}. Inputs are trusted (validated by callers).
 *
 * The distances run as the 'seed' chunk kernel (parallel/kernels.ts, seedChunk) on `executor`
 * (default: the calling thread alone). Each candidate's potential is the sum of its chunks'
 * partial sums, added in chunk order, with chunks of `chunkRowsFor(n, nLocalTrials, d)` rows: so
 * the centres do not depend on the number of threads, and for n up to one chunk (8192 rows or
 * more) they are the bits of the plain row-by-row loop. Rows not already in the executor's
 * memory are copied there once when the work is large enough to go to its threads.
 */
export function kmeansPlusPlusFrom(
  X: Matrix,
  existing: Matrix,
  nClusters: number,
  rng: Rng,
  sampleWeight?: Float64Array,
  nLocalTrials?: number,
  executor?: ChunkExecutor,
): Matrix {
  const n = X.nRows;
  const d = X.nCols;
  const centers = new Float64Array(nClusters * d);
  centers.set(existing.data.subarray(0, existing.nRows * d));
  const trials = Math.max(1, nLocalTrials ?? 2 + Math.floor(Math.log(nClusters)));
  const w = sampleWeight;
  const chunkRows = chunkRowsFor(n, trials, d);
  const nChunks = Math.ceil(n / chunkRows);
  const ex = executor !== undefined && n * trials * d >= POOL_MIN_WORK && nChunks > 1 ? executor : serialExecutor;
  const x = sharedF64(ex, n * d, X.data);
  const weights = w === undefined ? new Float64Array(0) : sharedF64(ex, n, w);

  // closest[i] = squared distance from row i to its nearest chosen centre.
  const closest = sharedF64(ex, n);
  closest.fill(Infinity);
  let first = existing.nRows;
  if (first === 0) {
    const id = w === undefined ? rng.int(n) : weightedIndex(w, rng);
    centers.set(x.subarray(id * d, id * d + d), 0);
    first = 1;
  }
  // (A copy: sharedF64 with a source may return the source itself.)
  const placed = sharedF64(ex, first * d);
  placed.set(centers.subarray(0, first * d));
  const none = new Float64Array(0);
  const nearest: KernelJob = { f64: [x, placed, closest, weights, none], i32: [], params: [n, d, first, chunkRows, SEED_NEAREST] };
  ex.run('seed', nearest, nChunks);
  if (first >= nClusters) return { data: centers, nRows: nClusters, nCols: d };

  const cumulative = new Float64Array(n);
  const candidates = sharedF64(ex, trials * d);
  const pots = sharedF64(ex, nChunks * trials);
  const job: KernelJob = { f64: [x, candidates, closest, weights, pots], i32: [], params: [n, d, trials, chunkRows, SEED_TRIALS] };
  // The chosen candidate lowers closest: the nearest pass with that one centre.
  nearest.params[2] = 1;
  const candidateIds = new Int32Array(trials);
  const candidatePot = new Float64Array(trials);
  for (let c = first; c < nClusters; c++) {
    let pot = 0;
    for (let i = 0; i < n; i++) {
      pot += w === undefined ? closest[i] : closest[i] * w[i];
      cumulative[i] = pot;
    }
    for (let t = 0; t < trials; t++) {
      // searchsorted(cumsum, r, side='left'), clipped to n - 1, as scikit-learn.
      const id = Math.min(lowerBound(cumulative, rng.random() * pot), n - 1);
      candidateIds[t] = id;
      candidates.set(x.subarray(id * d, id * d + d), t * d);
    }
    ex.run('seed', job, nChunks);
    for (let t = 0; t < trials; t++) {
      let p = 0;
      for (let q = 0; q < nChunks; q++) p += pots[q * trials + t];
      candidatePot[t] = p;
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if (candidatePot[t] < candidatePot[best]) best = t;
    const row = candidateIds[best];
    centers.set(x.subarray(row * d, row * d + d), c * d);
    if (c + 1 < nClusters) {
      placed.set(x.subarray(row * d, row * d + d), 0);
      ex.run('seed', nearest, nChunks);
    }
  }
  return { data: centers, nRows: nClusters, nCols: d };
}

/**
 * `nClusters` distinct rows drawn uniformly without replacement (scikit-learn's `init='random'`).
 * Inputs trusted: 1 <= nClusters <= n. O(n + k d).
 */
export function randomInit(X: Matrix, nClusters: number, rng: Rng): Matrix {
  const d = X.nCols;
  const rows = rng.sample(X.nRows, nClusters);
  const data = new Float64Array(nClusters * d);
  for (let c = 0; c < nClusters; c++) data.set(X.data.subarray(rows[c] * d, rows[c] * d + d), c * d);
  return { data, nRows: nClusters, nCols: d };
}

/** First index i with `sorted[i] >= value` (numpy searchsorted, side='left'); `length` if none. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A row index drawn with probability proportional to `w` (non-negative, positive sum). */
function weightedIndex(w: Float64Array, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < w.length; i++) total += w[i];
  const r = rng.random() * total;
  let acc = 0;
  for (let i = 0; i < w.length; i++) {
    acc += w[i];
    if (acc > r) return i;
  }
  // Rounding can leave r just above the running sum: take the last row with weight.
  for (let i = w.length - 1; i >= 0; i--) if (w[i] > 0) return i;
  return w.length - 1;
}
