/**
 * k-means (Lloyd and Elkan) that reproduces scikit-learn 1.2.1's `KMeans`: the same convergence
 * rule (strict label repeat, then `tol` on the summed squared centre shift), the same empty-cluster
 * relocation and the same final re-assignment when the loop did not stop strictly.
 * Reference: sklearn/cluster/_kmeans.py and _k_means_lloyd.pyx / _k_means_common.pyx.
 */
import { check, EngineError, throwIfCancelled, type RunControl } from './errors';
import { type Matrix } from './matrix';
import { Rng } from './rng';
import { kmeansPlusPlus, randomInit } from './init';
import { ChunkedAssigner } from './parallel/assigner';

export type InitMethod = 'k-means++' | 'random';

/** Options of {@link kmeansFit}; names and defaults follow scikit-learn's `KMeans`. */
export interface KMeansOptions {
  /** Number of clusters k, 1 <= k <= number of rows. */
  nClusters: number;
  /** Default 'k-means++'; a `k x d` Matrix = explicit starting centres (exactly one run). */
  init?: InitMethod | Matrix;
  /** Restarts; 'auto' (the default) = 1 for k-means++ or explicit centres, 10 for random (scikit-learn >= 1.4). */
  nInit?: number | 'auto';
  /** Maximum iterations per run, default 300. */
  maxIter?: number;
  /** Relative tolerance, default 1e-4: a run stops when the summed squared centre shift is <= tol x mean column variance. */
  tol?: number;
  /** 'lloyd' (default) or 'elkan'; both give identical labels, centres and nIter. */
  algorithm?: 'lloyd' | 'elkan';
  /** Seed of the random stream used for seeding, default 0. */
  seed?: number;
  /** Non-negative weight per row (length nRows), default all 1. */
  sampleWeight?: Float64Array;
  /** Optional `nClusters * nCols` mask: 1 = this centre coordinate keeps its starting value. */
  frozen?: Uint8Array;
}

/** What a k-means fit returns (scikit-learn's attributes in camelCase, plus diagnostics). */
export interface KMeansResult {
  /** `k x d` final centres. */
  clusterCenters: Matrix;
  /** Length n, cluster of each row (always consistent with `clusterCenters`). */
  labels: Int32Array;
  /** Sum over rows of weight x squared distance to the own centre. */
  inertia: number;
  /** Iterations of the kept run, including the one that detected convergence. */
  nIter: number;
  /** Why the kept run stopped. */
  convergedBy: 'strict' | 'tol' | 'maxIter';
  /** Total sample weight per cluster for the final labels. */
  counts: Float64Array;
  /** Recoverable findings, e.g. fewer non-empty clusters than asked. */
  warnings: string[];
  /** Inertia of every run, in run order. */
  runInertias: number[];
  /** Index of the kept run in `runInertias`. */
  bestRun: number;
}

const PROGRESS_INTERVAL_MS = 100;

/**
 * Fits k-means to the rows of `X`.
 *
 * Each run: seed the centres (k-means++, random rows, or the given matrix), then iterate
 * assignment (nearest centre by squared Euclidean distance, ties to the lowest index) and update
 * (weighted means; an empty cluster takes the row farthest from its current centre, as
 * scikit-learn), stopping when the labels repeat (strict), when the summed squared centre shift
 * is <= tol x mean column variance, or after `maxIter` iterations. Unless the stop was strict the
 * rows are assigned once more to the final centres. Of several runs the one with the lowest
 * inertia is kept (the earlier one when a later run only finds the same clustering again).
 *
 * Departures from scikit-learn 1.2.1, none of which changes a portable fixture case: the tol
 * variance is weighted by `sampleWeight` (identical with unit weights; makes integer weights
 * equivalent to repeated rows); k-means++ draws with the sample weights (as scikit-learn >= 1.3);
 * a row already on its centre is never relocated into an empty cluster, which then keeps its
 * previous centre (scikit-learn shuffles duplicate points around instead).
 *
 * @throws EngineError on invalid options or non-finite data, naming the value and the rule.
 * @throws CancelledError when `control.isCancelled()` turns true (checked between iterations).
 * Complexity: O(nInit x nIter x n k d) time (Elkan usually computes far fewer distances);
 * memory O(n + k d), plus n x k doubles for Elkan's lower bounds.
 */
export function kmeansFit(X: Matrix, options: KMeansOptions, control?: RunControl): KMeansResult {
  validateMatrix(X, 'X');
  const n = X.nRows;
  const d = X.nCols;
  const k = options.nClusters;
  validateK(k, n);
  const init = options.init ?? 'k-means++';
  const explicit = typeof init !== 'string';
  if (explicit) {
    check(init.nRows === k && init.nCols === d,
      `init has shape ${init.nRows}x${init.nCols}, should be nClusters x nFeatures = ${k}x${d}`);
    validateMatrix(init, 'init');
  } else {
    check(init === 'k-means++' || init === 'random', `init=${String(init)} should be 'k-means++', 'random' or a matrix of centres`);
  }
  const warnings: string[] = [];
  let nInit = resolveNInit(options.nInit, init);
  if (explicit && nInit !== 1) {
    warnings.push(`explicit initial centres were given, so nInit=${nInit} was reduced to 1 run`);
    nInit = 1;
  }
  const maxIter = options.maxIter ?? 300;
  validateMaxIter(maxIter);
  const tol = options.tol ?? 1e-4;
  validateTol(tol);
  const algorithm = options.algorithm ?? 'lloyd';
  check(algorithm === 'lloyd' || algorithm === 'elkan', `algorithm=${String(algorithm)} should be 'lloyd' or 'elkan'`);
  const seed = options.seed ?? 0;
  check(Number.isFinite(seed), `seed=${seed} should be a finite number`);
  const weights = resolveWeights(options.sampleWeight, n);
  const frozen = options.frozen;
  if (frozen !== undefined) {
    check(frozen.length === k * d, `frozen has ${frozen.length} entries, should be nClusters x nFeatures = ${k * d}`);
  }

  const tolAbsolute = tol === 0 ? 0 : tol * meanWeightedVariance(X, weights);
  const rng = new Rng(seed);
  const progress = new Progress(control);
  // Lloyd's assignment and sums run over chunks of rows, on every core when a pool is installed
  // (see parallel/executor.ts); the chunked sums are reduced in a fixed order, so the result
  // does not depend on the number of threads.
  // Elkan's bounded assignment writes into the same labels and takes its sums from the same
  // chunked reduction, so Lloyd and Elkan add the rows in the same order.
  const assigner = new ChunkedAssigner(X, k, options.sampleWeight);
  const buffers = createBuffers(n, d, k, assigner.labels);

  let best: RunOutcome | undefined;
  let bestRun = 0;
  const runInertias: number[] = [];
  for (let run = 0; run < nInit; run++) {
    throwIfCancelled(control);
    const runRng = rng.fork();
    let start: Matrix;
    if (explicit) start = init;
    else if (init === 'random') start = randomInit(X, k, runRng);
    else {
      // Seeded on the assigner's rows and executor: the same rows and weights, already shared.
      const on = assigner.shared();
      start = kmeansPlusPlus(on.X, k, runRng, on.sampleWeight, undefined, on.executor);
    }
    // Elkan's pruning margin: a tiny multiple of the data's extent (see parallel/kernels.ts).
    const elkanSlack = algorithm === 'elkan' ? 1e-9 * extent(X, start) : undefined;
    const outcome = singleRun(X, weights, start.data, k, maxIter, tolAbsolute, frozen, elkanSlack, assigner, buffers, control, progress, run, nInit);
    runInertias.push(outcome.inertia);
    if (best === undefined || (outcome.inertia < best.inertia && !isSameClustering(outcome.labels, best.labels, k))) {
      best = outcome;
      bestRun = run;
    }
  }
  if (best === undefined) throw new Error('unreachable: nInit >= 1');

  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[best.labels[i]] += weights[i];
  let nonEmpty = 0;
  for (let j = 0; j < k; j++) if (counts[j] > 0) nonEmpty++;
  if (nonEmpty < k) {
    warnings.push(`Number of distinct clusters (${nonEmpty}) found smaller than nClusters (${k}). Possibly due to duplicate points in X.`);
  }
  progress.done('k-means finished');
  return {
    clusterCenters: { data: best.centers, nRows: k, nCols: d },
    labels: best.labels,
    inertia: best.inertia,
    nIter: best.nIter,
    convergedBy: best.convergedBy,
    counts,
    warnings,
    runInertias,
    bestRun,
  };
}

/**
 * Nearest centre of every row (squared Euclidean distance; on an exact tie the lowest index).
 * @param X `n x d`; @param centers `k x d`. @returns length-n labels. O(n k d).
 * @throws EngineError when the column counts differ, a value is not finite or there is no centre.
 */
export function predict(X: Matrix, centers: Matrix): Int32Array {
  validatePair(X, centers);
  const labels = new Int32Array(X.nRows);
  assignLabels(X.data, X.nRows, X.nCols, centers.data, centers.nRows, labels);
  return labels;
}

/**
 * Euclidean distance of every row to every centre (scikit-learn's `transform`).
 * @returns an `n x k` matrix. O(n k d). @throws EngineError as {@link predict}.
 */
export function transform(X: Matrix, centers: Matrix): Matrix {
  validatePair(X, centers);
  const n = X.nRows;
  const d = X.nCols;
  const k = centers.nRows;
  const out = new Float64Array(n * k);
  const x = X.data;
  const c = centers.data;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    for (let j = 0; j < k; j++) {
      const co = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[xo + t] - c[co + t];
        s += diff * diff;
      }
      out[i * k + j] = Math.sqrt(s);
    }
  }
  return { data: out, nRows: n, nCols: k };
}

/**
 * Minus the inertia of `X` with respect to `centers` (each row at its nearest centre, optionally
 * weighted), as scikit-learn's `KMeans.score`. O(n k d). @throws EngineError as {@link predict},
 * or when the weights are not `n` finite non-negative numbers.
 */
export function score(X: Matrix, centers: Matrix, sampleWeight?: Float64Array): number {
  validatePair(X, centers);
  const weights = resolveWeights(sampleWeight, X.nRows);
  const labels = new Int32Array(X.nRows);
  assignLabels(X.data, X.nRows, X.nCols, centers.data, centers.nRows, labels);
  return -inertiaOf(X.data, X.nRows, X.nCols, centers.data, labels, weights);
}

// ---------------------------------------------------------------------------------------------
// Validation shared with the other k-means family modules.

/** Checks that a matrix is non-empty, consistently shaped and finite. */
export function validateMatrix(M: Matrix, name: string): void {
  check(Number.isInteger(M.nRows) && M.nRows >= 1, `${name} has ${M.nRows} rows, should have at least 1`);
  check(Number.isInteger(M.nCols) && M.nCols >= 1, `${name} has ${M.nCols} columns, should have at least 1`);
  check(M.data.length === M.nRows * M.nCols,
    `${name} holds ${M.data.length} values, should hold nRows x nCols = ${M.nRows * M.nCols}`);
  const data = M.data;
  for (let p = 0; p < data.length; p++) {
    if (!Number.isFinite(data[p])) {
      const i = Math.floor(p / M.nCols);
      throw new EngineError(`${name} contains ${String(data[p])} at row ${i}, column ${p - i * M.nCols}: all values should be finite numbers`);
    }
  }
}

/** Checks `nClusters` is a whole number in [1, nSamples]. */
export function validateK(k: number, n: number): void {
  check(Number.isInteger(k) && k >= 1, `nClusters=${k} should be a whole number >= 1`);
  check(n >= k, `nSamples=${n} should be >= nClusters=${k}`);
}

/** Checks `maxIter` is a whole number >= 1. */
export function validateMaxIter(maxIter: number): void {
  check(Number.isInteger(maxIter) && maxIter >= 1, `maxIter=${maxIter} should be a whole number >= 1`);
}

/** Checks `tol` is a finite number >= 0. */
export function validateTol(tol: number): void {
  check(Number.isFinite(tol) && tol >= 0, `tol=${tol} should be a finite number >= 0`);
}

/** 'auto' -> 1 for k-means++ or explicit centres, 10 for random; numbers must be whole and >= 1. */
export function resolveNInit(nInit: number | 'auto' | undefined, init: InitMethod | Matrix): number {
  if (nInit === undefined || nInit === 'auto') return init === 'random' ? 10 : 1;
  check(Number.isInteger(nInit) && nInit >= 1, `nInit=${String(nInit)} should be a whole number >= 1 or 'auto'`);
  return nInit;
}

/** The weights as given (checked: length n, finite, >= 0, positive sum) or n ones. */
export function resolveWeights(sampleWeight: Float64Array | undefined, n: number): Float64Array {
  if (sampleWeight === undefined) return new Float64Array(n).fill(1);
  check(sampleWeight.length === n, `sampleWeight has length ${sampleWeight.length}, should have length nSamples=${n}`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = sampleWeight[i];
    check(Number.isFinite(w) && w >= 0, `sampleWeight[${i}]=${w} should be a finite number >= 0`);
    total += w;
  }
  check(total > 0, `sampleWeight sums to ${total}, should have a positive sum`);
  return sampleWeight;
}

function validatePair(X: Matrix, centers: Matrix): void {
  validateMatrix(X, 'X');
  validateMatrix(centers, 'centers');
  check(X.nCols === centers.nCols, `X has ${X.nCols} columns but centers have ${centers.nCols}: they should match`);
}

// ---------------------------------------------------------------------------------------------
// Kernels. They trust their input: shapes and finiteness are checked by the public functions.

/**
 * Kernel: nearest centre per row, ties to the lowest index. O(n k d).
 * The loop is unrolled by two but adds the squared differences in the same order as every other
 * distance loop here, so the sums are bit-identical (this is what keeps Elkan equal to Lloyd).
 */
export function assignLabels(x: Float64Array, n: number, d: number, c: Float64Array, k: number, labels: Int32Array): void {
  const dEven = d - (d & 1);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let best = 0;
    let bestSq = Infinity;
    for (let j = 0; j < k; j++) {
      const co = j * d;
      let s = 0;
      let t = 0;
      for (; t < dEven; t += 2) {
        const d0 = x[xo + t] - c[co + t];
        const d1 = x[xo + t + 1] - c[co + t + 1];
        s += d0 * d0;
        s += d1 * d1;
      }
      if (t < d) {
        const d0 = x[xo + t] - c[co + t];
        s += d0 * d0;
      }
      if (s < bestSq) {
        bestSq = s;
        best = j;
      }
    }
    labels[i] = best;
  }
}

/** Kernel: sum of weight x squared distance to the labelled centre. O(n d). */
export function inertiaOf(
  x: Float64Array, n: number, d: number, c: Float64Array, labels: Int32Array, w: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const co = labels[i] * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[xo + t] - c[co + t];
      s += diff * diff;
    }
    total += w[i] * s;
  }
  return total;
}

/**
 * scikit-learn's rule: tol is relative to the mean over columns of the (here weighted; with unit
 * weights exactly numpy's ddof=0) variance.
 */
export function meanWeightedVariance(X: Matrix, w: Float64Array): number {
  const n = X.nRows;
  const d = X.nCols;
  const x = X.data;
  const mean = new Float64Array(d);
  let wSum = 0;
  for (let i = 0; i < n; i++) {
    wSum += w[i];
    for (let t = 0; t < d; t++) mean[t] += w[i] * x[i * d + t];
  }
  for (let t = 0; t < d; t++) mean[t] /= wSum;
  // Row by row (one pass over memory, not one strided pass per column): each column's sum
  // still receives its rows' terms in row order, so the bits are those of a column at a time.
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    const o = i * d;
    for (let t = 0; t < d; t++) {
      const diff = x[o + t] - mean[t];
      v[t] += wi * diff * diff;
    }
  }
  let total = 0;
  for (let t = 0; t < d; t++) total += v[t] / wSum;
  return total / d;
}

/** True when the two labelings are the same partition up to renaming (scikit-learn's `_is_same_clustering`). */
export function isSameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const m = map[a[i]];
    if (m === -1) map[a[i]] = b[i];
    else if (m !== b[i]) return false;
  }
  return true;
}

/** Length of the diagonal of the bounding box of X's rows and (optionally) some centres. */
function extent(X: Matrix, centers?: Matrix): number {
  const d = X.nCols;
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  const scan = (M: Matrix): void => {
    for (let i = 0; i < M.nRows; i++) {
      for (let t = 0; t < d; t++) {
        const v = M.data[i * d + t];
        if (v < lo[t]) lo[t] = v;
        if (v > hi[t]) hi[t] = v;
      }
    }
  };
  scan(X);
  if (centers !== undefined) scan(centers);
  let s = 0;
  for (let t = 0; t < d; t++) s += (hi[t] - lo[t]) * (hi[t] - lo[t]);
  return Math.sqrt(s);
}

interface Buffers {
  labels: Int32Array;
  sums: Float64Array;
  weightIn: Float64Array;
  shift: Float64Array;
}

function createBuffers(n: number, d: number, k: number, labels?: Int32Array): Buffers {
  return {
    labels: labels ?? new Int32Array(n),
    sums: new Float64Array(k * d),
    weightIn: new Float64Array(k),
    shift: new Float64Array(k),
  };
}

interface RunOutcome {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  convergedBy: 'strict' | 'tol' | 'maxIter';
}

/**
 * One k-means run from `start` (k x d, copied). Follows scikit-learn 1.2.1's `_kmeans_single_lloyd`
 * (and `_kmeans_single_elkan`, which differs only in how the assignment is computed).
 */
function singleRun(
  X: Matrix, w: Float64Array, start: Float64Array, k: number, maxIter: number, tolAbsolute: number,
  frozen: Uint8Array | undefined, elkanSlack: number | undefined, assigner: ChunkedAssigner, buf: Buffers,
  control: RunControl | undefined, progress: Progress, run: number, nRuns: number,
): RunOutcome {
  const n = X.nRows;
  const d = X.nCols;
  const x = X.data;
  let centers = Float64Array.from(start);
  let centersNew = new Float64Array(k * d);
  const { labels, shift } = buf;
  const move = new Float64Array(k);
  let strict = false;
  let convergedBy: RunOutcome['convergedBy'] = 'maxIter';
  let it = 0;
  for (it = 1; it <= maxIter; it++) {
    if (it > 1) throwIfCancelled(control);
    // The labels the kernels compare with are the previous iteration's (still there from
    // iteration 2 on): no label changed means the same labels as scikit-learn's strict check.
    const changed = elkanSlack === undefined
      ? assigner.assignAndSum(centers, centersNew, buf.weightIn)
      : assigner.assignElkan(centers, it === 1 ? null : move, elkanSlack, centersNew, buf.weightIn);

    updateCenters(x, n, d, w, labels, centers, centersNew, k, frozen, buf);
    let shiftTot = 0;
    for (let j = 0; j < k; j++) shiftTot += shift[j];
    for (let j = 0; j < k; j++) move[j] = Math.sqrt(shift[j]);
    const swap = centers;
    centers = centersNew;
    centersNew = swap;

    if (it > 1 && changed === 0) {
      strict = true;
      convergedBy = 'strict';
      break;
    }
    if (shiftTot <= tolAbsolute) {
      convergedBy = 'tol';
      break;
    }
    progress.report((run + it / maxIter) / nRuns, `k-means run ${run + 1}/${nRuns}, iteration ${it}`);
  }
  const nIter = Math.min(it, maxIter);
  // Labels computed before the last centre update are stale unless the stop was strict. The
  // new assignment's inertia is the inertia pass's bits (the same distances added in the same
  // order), so that pass runs only when there is none (strict, or NaN from a screened pass).
  let inertia = strict ? NaN : assigner.assign(centers);
  if (Number.isNaN(inertia)) inertia = assigner.inertia(centers);
  return { centers, labels: Int32Array.from(labels), inertia, nIter, convergedBy };
}

/**
 * Kernel: weighted means of the labelled rows into `centersNew`, relocating empty clusters as
 * scikit-learn's `_relocate_empty_clusters_dense`, restoring frozen coordinates, and writing the
 * squared shift of every centre into `buf.shift`. On entry `centersNew` and `buf.weightIn` hold
 * the weighted sums and weights of the clusters (made by the chunked assignment, parallel/assigner.ts).
 */
function updateCenters(
  x: Float64Array, n: number, d: number, w: Float64Array, labels: Int32Array,
  centersOld: Float64Array, centersNew: Float64Array, k: number, frozen: Uint8Array | undefined, buf: Buffers,
): void {
  const { weightIn, shift } = buf;
  let nEmpty = 0;
  for (let j = 0; j < k; j++) if (weightIn[j] === 0) nEmpty++;
  if (nEmpty > 0) relocateEmptyClusters(x, n, d, w, labels, centersOld, centersNew, weightIn, k, nEmpty);
  for (let j = 0; j < k; j++) {
    const wj = weightIn[j];
    if (wj > 0) {
      for (let t = 0; t < d; t++) centersNew[j * d + t] /= wj;
    } else {
      // Still empty (no row was farther than 0 from its centre): keep the previous centre.
      for (let t = 0; t < d; t++) centersNew[j * d + t] = centersOld[j * d + t];
    }
  }
  if (frozen !== undefined) {
    for (let p = 0; p < k * d; p++) if (frozen[p] === 1) centersNew[p] = centersOld[p];
  }
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = centersNew[j * d + t] - centersOld[j * d + t];
      s += diff * diff;
    }
    shift[j] = s;
  }
}

/**
 * Each empty cluster (in index order) takes one of the rows farthest from their current centre
 * (largest first; among equal distances the lowest row index, where numpy's argpartition order is
 * implementation-defined); the row's weight moves with it. Labels are not changed: the next
 * assignment step does that. Operates on weighted sums, before averaging.
 *
 * One deliberate difference from scikit-learn: a row at distance 0 from its centre is never
 * taken (moving it cannot lower the inertia; scikit-learn then shuffles duplicate points between
 * clusters, see the fixtures' `degenerate_k7_more_than_distinct`). A cluster left without a row
 * keeps its previous centre.
 */
function relocateEmptyClusters(
  x: Float64Array, n: number, d: number, w: Float64Array, labels: Int32Array,
  centersOld: Float64Array, sums: Float64Array, weightIn: Float64Array, k: number, nEmpty: number,
): void {
  const far = new Int32Array(nEmpty).fill(-1);
  const farDist = new Float64Array(nEmpty);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const co = labels[i] * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[xo + t] - centersOld[co + t];
      s += diff * diff;
    }
    if (s <= farDist[nEmpty - 1]) continue;
    // Insert into the descending list; equal distances keep the earlier row first.
    let p = nEmpty - 1;
    while (p > 0 && farDist[p - 1] < s) {
      farDist[p] = farDist[p - 1];
      far[p] = far[p - 1];
      p--;
    }
    farDist[p] = s;
    far[p] = i;
  }
  let e = 0;
  for (let j = 0; j < k && e < nEmpty; j++) {
    if (weightIn[j] !== 0) continue;
    const row = far[e++];
    if (row < 0) break;
    const wr = w[row];
    const from = labels[row];
    const xo = row * d;
    for (let t = 0; t < d; t++) {
      sums[from * d + t] -= x[xo + t] * wr;
      sums[j * d + t] = x[xo + t] * wr;
    }
    weightIn[j] = wr;
    weightIn[from] -= wr;
  }
}

/** Throttles `onProgress` to at most one call per ~100 ms. */
export class Progress {
  private last = 0;
  constructor(private readonly control: RunControl | undefined) {}

  report(fraction: number, message: string): void {
    const cb = this.control?.onProgress;
    if (cb === undefined) return;
    const now = Date.now();
    if (now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    cb(Math.min(1, Math.max(0, fraction)), message);
  }

  done(message: string): void {
    this.control?.onProgress?.(1, message);
  }
}
