/**
 * Seeding for the k-means family: greedy k-means++ (as scikit-learn's `_kmeans_plusplus`)
 * and uniform random rows. Both return new matrices of data rows; neither checks its input
 * beyond what is stated (callers validate once).
 */
import { type Matrix } from './matrix';
import { type Rng } from './rng';

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
 * @returns a new `k x d` matrix of data rows.
 * Complexity: O(n d k nLocalTrials) time, O(n nLocalTrials) extra memory.
 */
export function kmeansPlusPlus(
  X: Matrix,
  nClusters: number,
  rng: Rng,
  sampleWeight?: Float64Array,
  nLocalTrials?: number,
): Matrix {
  return kmeansPlusPlusFrom(X, { data: new Float64Array(0), nRows: 0, nCols: X.nCols }, nClusters, rng, sampleWeight, nLocalTrials);
}

/**
 * Greedy k-means++ continued from centres that are already placed: the first `existing.nRows`
 * rows of the result are `existing`, the remaining `nClusters - existing.nRows` are drawn as in
 * {@link kmeansPlusPlus} with the distances to the existing centres already counted. With no
 * existing centre this is exactly {@link kmeansPlusPlus}. Inputs are trusted (validated by callers).
 */
export function kmeansPlusPlusFrom(
  X: Matrix,
  existing: Matrix,
  nClusters: number,
  rng: Rng,
  sampleWeight?: Float64Array,
  nLocalTrials?: number,
): Matrix {
  const n = X.nRows;
  const d = X.nCols;
  const x = X.data;
  const centers = new Float64Array(nClusters * d);
  centers.set(existing.data.subarray(0, existing.nRows * d));
  const trials = Math.max(1, nLocalTrials ?? 2 + Math.floor(Math.log(nClusters)));
  const w = sampleWeight;

  // closest[i] = squared distance from row i to its nearest chosen centre.
  const closest = new Float64Array(n);
  let first = existing.nRows;
  if (first === 0) {
    const id = w === undefined ? rng.int(n) : weightedIndex(w, rng);
    centers.set(x.subarray(id * d, id * d + d), 0);
    for (let i = 0; i < n; i++) closest[i] = sqDistRow(x, i * d, centers, 0, d);
    first = 1;
  } else {
    closest.fill(Infinity);
    for (let c = 0; c < existing.nRows; c++) {
      for (let i = 0; i < n; i++) {
        const s = sqDistRow(x, i * d, centers, c * d, d);
        if (s < closest[i]) closest[i] = s;
      }
    }
  }
  if (first >= nClusters) return { data: centers, nRows: nClusters, nCols: d };

  const cumulative = new Float64Array(n);
  const candidateDist = new Float64Array(trials * n);
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
      candidateIds[t] = Math.min(lowerBound(cumulative, rng.random() * pot), n - 1);
    }
    for (let t = 0; t < trials; t++) {
      const co = candidateIds[t] * d;
      const off = t * n;
      let p = 0;
      for (let i = 0; i < n; i++) {
        const s = sqDistRow(x, i * d, x, co, d);
        const m = s < closest[i] ? s : closest[i];
        candidateDist[off + i] = m;
        p += w === undefined ? m : m * w[i];
      }
      candidatePot[t] = p;
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if (candidatePot[t] < candidatePot[best]) best = t;
    closest.set(candidateDist.subarray(best * n, best * n + n));
    const row = candidateIds[best];
    centers.set(x.subarray(row * d, row * d + d), c * d);
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

/** Kernel: squared distance between a row of `a` at offset `ao` and a row of `b` at `bo`. */
function sqDistRow(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = a[ao + t] - b[bo + t];
    s += diff * diff;
  }
  return s;
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
