/**
 * Mini-batch k-means (D. Sculley, "Web-scale k-means clustering", WWW 2010) as scikit-learn
 * 1.2.1's `MiniBatchKMeans`: per-cluster running means with count-based learning rates
 * (`_minibatch_update_dense`), optional random reassignment of starved centres, and the
 * exponentially weighted inertia / no-improvement stopping rule of `fit`.
 */
import { check, throwIfCancelled, type RunControl } from './errors';
import { type Matrix } from './matrix';
import { Rng } from './rng';
import { kmeansPlusPlus, randomInit } from './init';
import { ChunkedAssigner } from './parallel/assigner';
import { defaultExecutor } from './parallel/executor';
import { LLOYD_ASSIGN_UPDATE } from './parallel/kernels';
import {
  assignLabels, inertiaOf, meanWeightedVariance, Progress, resolveNInit, resolveWeights, validateK, validateMatrix, validateTol,
  type InitMethod, type KMeansResult,
} from './kmeans';

/** The state `partial_fit` carries between batches. */
export interface MiniBatchState {
  /** `k x d` current centres (updated in place). */
  centers: Matrix;
  /** scikit-learn's `_counts`: total weight each centre has absorbed so far (updated in place). */
  counts: Float64Array;
}

/**
 * One `MiniBatchKMeans.partial_fit` step over `batch` with `reassignment_ratio=0`: label every row
 * with the nearest current centre (ties to the lowest index), then for each cluster j with batch
 * weight m_j > 0: `c_j <- (c_j N_j + sum of w x) / (N_j + m_j)`, `N_j <- N_j + m_j`. A centre that
 * gets no row keeps its position and count. Mutates `state`.
 *
 * @returns the batch's labels and inertia computed with the UPDATED centres (as scikit-learn's
 * `labels_` / `inertia_` after `partial_fit`).
 * @throws EngineError when shapes differ, values are not finite or weights are invalid.
 * Complexity: O(m k d) for a batch of m rows.
 */
export function partialFitStep(
  state: MiniBatchState, batch: Matrix, sampleWeight?: Float64Array,
): { labels: Int32Array; inertia: number } {
  validateMatrix(batch, 'batch');
  validateMatrix(state.centers, 'centers');
  const k = state.centers.nRows;
  const d = batch.nCols;
  check(state.centers.nCols === d, `batch has ${d} columns but the centres have ${state.centers.nCols}: they should match`);
  check(state.counts.length === k, `counts has length ${state.counts.length}, should have one entry per centre (${k})`);
  for (let j = 0; j < k; j++) {
    check(Number.isFinite(state.counts[j]) && state.counts[j] >= 0, `counts[${j}]=${state.counts[j]} should be a finite number >= 0`);
  }
  const w = resolveWeights(sampleWeight, batch.nRows);
  const m = batch.nRows;
  const labels = new Int32Array(m);
  const scratch = new Float64Array(k * d + k);
  miniBatchUpdate(batch.data, d, w, null, m, state.centers.data, state.counts, k, labels, scratch);
  assignLabels(batch.data, m, d, state.centers.data, k, labels);
  const inertia = inertiaOf(batch.data, m, d, state.centers.data, labels, w);
  return { labels, inertia };
}

/** Options of {@link miniBatchFit}. */
export interface MiniBatchOptions {
  /** Number of clusters k, 1 <= k <= number of rows. */
  nClusters: number;
  /** Rows per step (drawn with replacement), default 1024, capped at the number of rows. */
  batchSize?: number;
  /** Step limit; default ceil(100 x nRows / batchSize) (scikit-learn's max_iter=100 epochs). */
  maxSteps?: number;
  /** Default 'k-means++' (on a random subsample of 3 x batchSize rows); a Matrix = explicit centres. */
  init?: InitMethod | Matrix;
  /** Seeding runs scored on a validation sample; 'auto' (default) = 1, or 3 for random init. */
  nInit?: number | 'auto';
  /** Seed, default 0. */
  seed?: number;
  /** Relative tolerance on the squared centre change per step (x mean column variance); default 0 = off. */
  tol?: number;
  /** Stop after this many steps without improvement of the smoothed batch inertia; default 10. */
  maxNoImprovement?: number;
  /** Centres whose count is below this fraction of the largest count are moved to random batch rows; default 0.01. */
  reassignmentRatio?: number;
}

/**
 * Fits mini-batch k-means: seeds the centres, then repeats {@link partialFitStep}-style updates on
 * random batches, with scikit-learn's random reassignment of starved centres and its stopping
 * rules (smoothed inertia without improvement for `maxNoImprovement` steps, or the `tol` rule, or
 * `maxSteps`). Final labels and inertia come from a full assignment pass over all rows.
 *
 * The result's `counts` is the weight per cluster of the final labels (as {@link kmeansFit});
 * `runningCounts` is scikit-learn's `_counts` (what later partial fits continue from).
 * `nIter` is epochs (ceil(steps x batchSize / n), as scikit-learn's `n_iter_`), `nSteps` steps;
 * `convergedBy` is 'tol' for either early stop and 'maxIter' at the step limit.
 * A warning is added whenever fewer than k clusters end non-empty.
 *
 * @throws EngineError on invalid options or data; CancelledError when cancelled.
 * Complexity: O(steps x batchSize x k d + n k d).
 */
export function miniBatchFit(
  X: Matrix, options: MiniBatchOptions, control?: RunControl,
): KMeansResult & { counts: Float64Array; runningCounts: Float64Array; nSteps: number; stoppedBy: 'tol' | 'noImprovement' | 'maxSteps' } {
  validateMatrix(X, 'X');
  const n = X.nRows;
  const d = X.nCols;
  const k = options.nClusters;
  validateK(k, n);
  const batchSizeOption = options.batchSize ?? 1024;
  check(Number.isInteger(batchSizeOption) && batchSizeOption >= 1, `batchSize=${batchSizeOption} should be a whole number >= 1`);
  const batchSize = Math.min(batchSizeOption, n);
  const maxSteps = options.maxSteps ?? Math.ceil((100 * n) / batchSize);
  check(Number.isInteger(maxSteps) && maxSteps >= 1, `maxSteps=${maxSteps} should be a whole number >= 1`);
  const init = options.init ?? 'k-means++';
  const explicit = typeof init !== 'string';
  if (explicit) {
    check(init.nRows === k && init.nCols === d, `init has shape ${init.nRows}x${init.nCols}, should be nClusters x nFeatures = ${k}x${d}`);
    validateMatrix(init, 'init');
  } else {
    check(init === 'k-means++' || init === 'random', `init=${String(init)} should be 'k-means++', 'random' or a matrix of centres`);
  }
  const warnings: string[] = [];
  let nInit = options.nInit === undefined || options.nInit === 'auto'
    ? (init === 'random' ? 3 : 1)
    : resolveNInit(options.nInit, init);
  if (explicit && nInit !== 1) {
    warnings.push(`explicit initial centres were given, so nInit=${nInit} was reduced to 1 run`);
    nInit = 1;
  }
  const tol = options.tol ?? 0;
  validateTol(tol);
  const maxNoImprovement = options.maxNoImprovement ?? 10;
  check(Number.isInteger(maxNoImprovement) && maxNoImprovement >= 1,
    `maxNoImprovement=${maxNoImprovement} should be a whole number >= 1`);
  const ratio = options.reassignmentRatio ?? 0.01;
  check(Number.isFinite(ratio) && ratio >= 0, `reassignmentRatio=${ratio} should be a finite number >= 0`);
  const seed = options.seed ?? 0;
  check(Number.isFinite(seed), `seed=${seed} should be a finite number`);

  const ones = new Float64Array(n).fill(1);
  const tolAbsolute = tol === 0 ? 0 : tol * meanWeightedVariance(X, ones);
  const rng = new Rng(seed);
  const progress = new Progress(control);

  // Seeding, as scikit-learn: each candidate is seeded on its own random subsample of
  // init_size rows (drawn with replacement) and scored on one shared validation subsample.
  let initSize = Math.max(3 * batchSize, 3 * k);
  initSize = Math.min(initSize, n);
  const validation = drawIndices(rng, n, initSize);
  const Xvalid = gather(X, validation);
  const onesValid = new Float64Array(initSize).fill(1);
  const validLabels = new Int32Array(initSize);
  let centers = new Float64Array(0);
  let bestValidInertia = Infinity;
  for (let r = 0; r < nInit; r++) {
    let candidate: Matrix;
    if (explicit) {
      candidate = { data: Float64Array.from(init.data), nRows: k, nCols: d };
    } else {
      const sample = gather(X, drawIndices(rng, n, initSize));
      const runRng = rng.fork();
      candidate = init === 'random' ? randomInit(sample, k, runRng) : kmeansPlusPlus(sample, k, runRng);
    }
    assignLabels(Xvalid.data, initSize, d, candidate.data, k, validLabels);
    const inertia = inertiaOf(Xvalid.data, initSize, d, candidate.data, validLabels, onesValid);
    if (inertia < bestValidInertia) {
      bestValidInertia = inertia;
      centers = Float64Array.from(candidate.data);
    }
  }

  const runningCounts = new Float64Array(k);
  const batchIdx = new Int32Array(batchSize);
  // The batch's rows copied together first (gatherRows), where the distance loop would wait for
  // each random row in turn. Same values, same order.
  const batchX = new Float64Array(batchSize * d);
  const batchOnes = new Float64Array(batchSize).fill(1);
  const batchLabels = new Int32Array(batchSize);
  const scratch = new Float64Array(k * d + k);
  const previous = new Float64Array(k * d);
  let ewa = NaN;
  let ewaMin = NaN;
  let noImprovement = 0;
  let sinceReassign = 0;
  let stoppedBy: 'tol' | 'noImprovement' | 'maxSteps' = 'maxSteps';
  let step = 0;
  for (step = 1; step <= maxSteps; step++) {
    throwIfCancelled(control);
    for (let b = 0; b < batchSize; b++) batchIdx[b] = rng.int(n);
    // scikit-learn's _random_reassign: counted per call with the batch size.
    sinceReassign += batchSize;
    let reassign = false;
    for (let j = 0; j < k; j++) if (runningCounts[j] === 0) reassign = true;
    if (reassign || sinceReassign >= 10 * k) {
      sinceReassign = 0;
      reassign = true;
    }
    if (tolAbsolute > 0) previous.set(centers);
    gatherRows(X.data, d, batchIdx, batchSize, batchX);
    let batchInertia = miniBatchUpdate(batchX, d, batchOnes, null, batchSize, centers, runningCounts, k, batchLabels, scratch);
    if (reassign && ratio > 0) reassignStarved(X.data, d, batchIdx, batchSize, centers, runningCounts, k, ratio, rng);

    // scikit-learn's _mini_batch_convergence.
    batchInertia /= batchSize;
    if (step === 1) continue;
    if (Number.isNaN(ewa)) {
      ewa = batchInertia;
    } else {
      const alpha = Math.min(1, (batchSize * 2) / (n + 1));
      ewa = ewa * (1 - alpha) + batchInertia * alpha;
    }
    if (tolAbsolute > 0) {
      let diff = 0;
      for (let p = 0; p < k * d; p++) diff += (centers[p] - previous[p]) ** 2;
      if (diff <= tolAbsolute) {
        stoppedBy = 'tol';
        break;
      }
    }
    if (Number.isNaN(ewaMin) || ewa < ewaMin) {
      noImprovement = 0;
      ewaMin = ewa;
    } else {
      noImprovement++;
    }
    if (noImprovement >= maxNoImprovement) {
      stoppedBy = 'noImprovement';
      break;
    }
    progress.report(step / maxSteps, `mini-batch k-means, step ${step}`);
  }
  const nSteps = Math.min(step, maxSteps);

  // The final labelling pass over every row runs over chunks, on every core when a pool is installed.
  const assigner = new ChunkedAssigner(X, k, undefined);
  assigner.assign(centers);
  const labels = Int32Array.from(assigner.labels);
  const inertia = assigner.inertia(centers);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[labels[i]] += 1;
  let nonEmpty = 0;
  for (let j = 0; j < k; j++) if (counts[j] > 0) nonEmpty++;
  if (nonEmpty < k) {
    warnings.push(`only ${nonEmpty} of nClusters=${k} clusters have rows after mini-batch k-means; the others are empty`);
  }
  progress.done('mini-batch k-means finished');
  return {
    clusterCenters: { data: centers, nRows: k, nCols: d },
    labels,
    inertia,
    nIter: Math.ceil((nSteps * batchSize) / n),
    convergedBy: stoppedBy === 'maxSteps' ? 'maxIter' : 'tol',
    counts,
    warnings,
    runInertias: [inertia],
    bestRun: 0,
    runningCounts,
    nSteps,
    stoppedBy,
  };
}

/**
 * Kernel: one mini-batch update (scikit-learn's `_mini_batch_step` without reassignment). Rows are
 * `rows[b]` of `x` (or row b when `rows` is null), weights `w` indexed like the rows of `x`.
 * Writes the labels with the OLD centres into `labels`, updates `centers` and `counts` in place and
 * returns the batch inertia with the old centres. `scratch` holds k x d + k doubles. Trusts input.
 */
function miniBatchUpdate(
  x: Float64Array, d: number, w: Float64Array, rows: Int32Array | null, m: number,
  centers: Float64Array, counts: Float64Array, k: number, labels: Int32Array, scratch: Float64Array,
): number {
  const sums = scratch.subarray(0, k * d);
  const wIn = scratch.subarray(k * d, k * d + k);
  const executor = defaultExecutor();
  let inertia = 0;
  if (rows === null && executor.simd === true) {
    // The executor's 'lloyd' kernel on WebAssembly SIMD, on this thread (one chunk): it has the
    // loop below's bits (labels with ties to the lowest index, sums of w * x = x * w, weight
    // sums and inertia added row by row in row order; see src/wasm/lloyd.ts), about 3x faster.
    const stats = new Float64Array(2);
    executor.run('lloyd', { f64: [x, centers, sums, wIn, w, stats], i32: [labels], params: [m, d, k, m, LLOYD_ASSIGN_UPDATE] }, 1);
    inertia = stats[0];
    applyBatchSums(sums, wIn, centers, counts, k, d);
    return inertia;
  }
  sums.fill(0);
  wIn.fill(0);
  for (let b = 0; b < m; b++) {
    const i = rows === null ? b : rows[b];
    const xo = i * d;
    let best = 0;
    let bestSq = Infinity;
    for (let j = 0; j < k; j++) {
      const co = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[xo + t] - centers[co + t];
        s += diff * diff;
      }
      if (s < bestSq) {
        bestSq = s;
        best = j;
      }
    }
    labels[b] = best;
    const wi = w[i];
    inertia += wi * bestSq;
    wIn[best] += wi;
    const so = best * d;
    for (let t = 0; t < d; t++) sums[so + t] += x[xo + t] * wi;
  }
  applyBatchSums(sums, wIn, centers, counts, k, d);
  return inertia;
}

/** The centre update of a batch: `c_j <- (c_j N_j + sums_j) / (N_j + m_j)` where the batch gave cluster j weight m_j > 0. */
function applyBatchSums(sums: Float64Array, wIn: Float64Array, centers: Float64Array, counts: Float64Array, k: number, d: number): void {
  for (let j = 0; j < k; j++) {
    if (wIn[j] <= 0) continue;
    const total = counts[j] + wIn[j];
    const co = j * d;
    for (let t = 0; t < d; t++) centers[co + t] = (centers[co + t] * counts[j] + sums[co + t]) / total;
    counts[j] = total;
  }
}

/**
 * scikit-learn's random reassignment: centres whose count is below `ratio x max count` move to
 * rows of the batch drawn without replacement (at most half the batch), and their counts are set
 * to the smallest count among the centres that stay.
 */
function reassignStarved(
  x: Float64Array, d: number, rows: Int32Array, m: number,
  centers: Float64Array, counts: Float64Array, k: number, ratio: number, rng: Rng,
): void {
  let max = 0;
  for (let j = 0; j < k; j++) if (counts[j] > max) max = counts[j];
  const moving: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] < ratio * max) moving.push(j);
  if (moving.length === 0) return;
  const limit = Math.floor(0.5 * m);
  if (moving.length > limit) {
    // Keep only the `limit` smallest counts (stable by index).
    moving.sort((a, b) => counts[a] - counts[b] || a - b);
    moving.length = limit;
    moving.sort((a, b) => a - b);
    if (moving.length === 0) return;
  }
  const picks = rng.sample(m, moving.length);
  const isMoving = new Uint8Array(k);
  for (let r = 0; r < moving.length; r++) {
    const j = moving[r];
    isMoving[j] = 1;
    const xo = rows[picks[r]] * d;
    for (let t = 0; t < d; t++) centers[j * d + t] = x[xo + t];
  }
  let minStay = Infinity;
  for (let j = 0; j < k; j++) if (isMoving[j] === 0 && counts[j] < minStay) minStay = counts[j];
  if (Number.isFinite(minStay)) for (const j of moving) counts[j] = minStay;
}

/** Keeps gatherRows' first pass: its loads feed this, so the compiler cannot drop them. */
const touched = { value: 0 };

/**
 * Copies rows `rows[0..m)` of `x` (`d` values each) into `out`, in that order. Two passes: the
 * first only loads each row's first and last value, loads that do not wait for each other, so
 * the CPU has many cache misses in flight at once; the copy then finds the rows in cache. On
 * 1M x 10 rows (80 MB) that is about 5x faster than the copy alone, which waits for each random
 * row in turn. Complexity O(m d).
 */
function gatherRows(x: Float64Array, d: number, rows: Int32Array, m: number, out: Float64Array): void {
  let sink = 0;
  for (let b = 0; b < m; b++) {
    const from = rows[b] * d;
    sink += x[from] + x[from + d - 1];
  }
  touched.value = sink;
  for (let b = 0; b < m; b++) {
    const from = rows[b] * d;
    const to = b * d;
    for (let t = 0; t < d; t++) out[to + t] = x[from + t];
  }
}

function drawIndices(rng: Rng, n: number, m: number): Int32Array {
  const out = new Int32Array(m);
  for (let b = 0; b < m; b++) out[b] = rng.int(n);
  return out;
}

function gather(X: Matrix, rows: Int32Array): Matrix {
  const d = X.nCols;
  const data = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) data.set(X.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return { data, nRows: rows.length, nCols: d };
}

/**
 * One mini-batch update over the `m` rows of `batch` (all of them, in order, weight 1), as
 * {@link partialFitStep} without its relabelling pass: for streaming fits that see each row
 * once. Mutates `state`; `labels` (length >= m) gets each row's centre before the update and
 * `scratch` needs k x d + k values.
 * Kernel: trusts that shapes match and values are finite (the caller checked).
 * @returns the batch's inertia against the centres before the update.
 * Complexity: O(m k d).
 */
export function miniBatchStreamStep(state: MiniBatchState, batch: Float64Array, m: number, ones: Float64Array, labels: Int32Array, scratch: Float64Array): number {
  return miniBatchUpdate(batch, state.centers.nCols, ones, null, m, state.centers.data, state.counts, state.centers.nRows, labels, scratch);
}
