/**
 * Spherical k-means (I. S. Dhillon and D. S. Modha, "Concept decompositions for large sparse text
 * data using clustering", Machine Learning 42, 2001): k-means on the unit sphere with cosine
 * similarity, centres renormalised after every update.
 */
import { check, throwIfCancelled, type RunControl } from './errors';
import { type Matrix } from './matrix';
import { Rng } from './rng';
import { kmeansPlusPlus, randomInit } from './init';
import { Progress, resolveNInit, validateK, validateMatrix, validateMaxIter, type InitMethod, type KMeansResult } from './kmeans';

/** Options of {@link sphericalKMeansFit}. */
export interface SphericalOptions {
  /** Number of clusters k, 1 <= k <= number of non-zero rows. */
  nClusters: number;
  /** Default 'k-means++' (on the unit rows); a `k x d` Matrix = explicit centres, normalised here. */
  init?: InitMethod | Matrix;
  /** Restarts keeping the lowest inertia; 'auto' (default) = 1 for k-means++ or explicit, 10 for random. */
  nInit?: number | 'auto';
  /** Maximum iterations per run, default 300 (the fixtures' reference uses 100: pass it). */
  maxIter?: number;
  /** Seed, default 0. */
  seed?: number;
}

/**
 * Fits spherical k-means. Rows are L2-normalised; all-zero rows have no direction: they are listed
 * in `zeroRows` (with a warning), left out of the fit and labelled -1. Each iteration assigns every
 * row to the centre of largest cosine similarity (ties to the lowest index), then sets each centre
 * to the normalised sum of its members' unit vectors (an empty cluster, or one whose members sum
 * to zero, keeps its previous centre). A run stops when the labels repeat (`nIter` counts that
 * confirming iteration, convergedBy 'strict') or after `maxIter` iterations ('maxIter'; the rows
 * are then assigned once more so the labels match the returned centres). `tol` is not used.
 *
 * `inertia` = sum over fitted rows of (1 - cos(row, own centre)); `clusterCenters` are unit vectors;
 * `counts` = rows per cluster.
 *
 * @throws EngineError on invalid options, non-finite data, fewer non-zero rows than clusters, or an
 * explicit centre that is all zeros. @throws CancelledError when cancelled (between iterations).
 * Complexity: O(nInit x nIter x n k d).
 */
export function sphericalKMeansFit(
  X: Matrix, options: SphericalOptions, control?: RunControl,
): KMeansResult & { zeroRows: number[] } {
  validateMatrix(X, 'X');
  const n = X.nRows;
  const d = X.nCols;
  const k = options.nClusters;
  validateK(k, n);
  const init = options.init ?? 'k-means++';
  const explicit = typeof init !== 'string';
  if (explicit) {
    check(init.nRows === k && init.nCols === d, `init has shape ${init.nRows}x${init.nCols}, should be nClusters x nFeatures = ${k}x${d}`);
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
  const seed = options.seed ?? 0;
  check(Number.isFinite(seed), `seed=${seed} should be a finite number`);

  // Unit rows of the non-zero rows, and where they came from.
  const zeroRows: number[] = [];
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += X.data[i * d + t] * X.data[i * d + t];
    if (s === 0) zeroRows.push(i);
    else keep.push(i);
  }
  const m = keep.length;
  check(m >= k, `nSamples with a direction=${m} (after ${zeroRows.length} all-zero rows) should be >= nClusters=${k}`);
  if (zeroRows.length > 0) {
    const shown = zeroRows.slice(0, 10).join(', ');
    const one = zeroRows.length === 1;
    warnings.push(`${zeroRows.length} all-zero row${one ? ' has' : 's have'} no direction and ${one ? 'was' : 'were'} left out of the fit (label -1): ${one ? 'row' : 'rows'} ${shown}${zeroRows.length > 10 ? ', ...' : ''}`);
  }
  const U = new Float64Array(m * d);
  for (let r = 0; r < m; r++) normaliseInto(X.data, keep[r] * d, U, r * d, d);
  const unit: Matrix = { data: U, nRows: m, nCols: d };

  let start: Float64Array | undefined;
  if (explicit) {
    start = new Float64Array(k * d);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += init.data[j * d + t] * init.data[j * d + t];
      check(s > 0, `initial centre ${j} is all zeros: a cosine centre needs a direction`);
      normaliseInto(init.data, j * d, start, j * d, d);
    }
  }

  const rng = new Rng(seed);
  const progress = new Progress(control);
  const labels = new Int32Array(m);
  const labelsOld = new Int32Array(m);
  const sums = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  let best: { centers: Float64Array; labels: Int32Array; inertia: number; nIter: number; strict: boolean } | undefined;
  let bestRun = 0;
  const runInertias: number[] = [];
  for (let run = 0; run < nInit; run++) {
    throwIfCancelled(control);
    const runRng = rng.fork();
    let centers: Float64Array;
    if (start !== undefined) centers = Float64Array.from(start);
    else centers = (init === 'random' ? randomInit(unit, k, runRng) : kmeansPlusPlus(unit, k, runRng)).data;

    labelsOld.fill(-1);
    let strict = false;
    let it = 0;
    for (it = 1; it <= maxIter; it++) {
      if (it > 1) throwIfCancelled(control);
      assignByCosine(U, m, d, centers, k, labels);
      sums.fill(0);
      sizes.fill(0);
      for (let r = 0; r < m; r++) {
        const j = labels[r];
        sizes[j]++;
        for (let t = 0; t < d; t++) sums[j * d + t] += U[r * d + t];
      }
      for (let j = 0; j < k; j++) {
        if (sizes[j] === 0) continue;
        let s = 0;
        for (let t = 0; t < d; t++) s += sums[j * d + t] * sums[j * d + t];
        if (s === 0) continue;
        normaliseInto(sums, j * d, centers, j * d, d);
      }
      if (sameLabels(labels, labelsOld)) {
        strict = true;
        break;
      }
      labelsOld.set(labels);
      progress.report((run + it / maxIter) / nInit, `spherical k-means run ${run + 1}/${nInit}, iteration ${it}`);
    }
    const nIter = Math.min(it, maxIter);
    if (!strict) assignByCosine(U, m, d, centers, k, labels);
    let inertia = 0;
    for (let r = 0; r < m; r++) inertia += 1 - dot(U, r * d, centers, labels[r] * d, d);
    runInertias.push(inertia);
    if (best === undefined || inertia < best.inertia) {
      best = { centers, labels: Int32Array.from(labels), inertia, nIter, strict };
      bestRun = run;
    }
  }
  if (best === undefined) throw new Error('unreachable: nInit >= 1');

  const fullLabels = new Int32Array(n).fill(-1);
  const counts = new Float64Array(k);
  for (let r = 0; r < m; r++) {
    fullLabels[keep[r]] = best.labels[r];
    counts[best.labels[r]] += 1;
  }
  let nonEmpty = 0;
  for (let j = 0; j < k; j++) if (counts[j] > 0) nonEmpty++;
  if (nonEmpty < k) {
    warnings.push(`Number of distinct clusters (${nonEmpty}) found smaller than nClusters (${k}). Possibly due to duplicate directions in X.`);
  }
  progress.done('spherical k-means finished');
  return {
    clusterCenters: { data: best.centers, nRows: k, nCols: d },
    labels: fullLabels,
    inertia: best.inertia,
    nIter: best.nIter,
    convergedBy: best.strict ? 'strict' : 'maxIter',
    counts,
    warnings,
    runInertias,
    bestRun,
    zeroRows,
  };
}

/** Kernel: label = centre of largest dot product with the unit row, ties to the lowest index. */
function assignByCosine(U: Float64Array, m: number, d: number, c: Float64Array, k: number, labels: Int32Array): void {
  for (let r = 0; r < m; r++) {
    const ro = r * d;
    let best = 0;
    let bestCos = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = dot(U, ro, c, j * d, d);
      if (v > bestCos) {
        bestCos = v;
        best = j;
      }
    }
    labels[r] = best;
  }
}

function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[ao + t] * b[bo + t];
  return s;
}

/** Kernel: writes `src[so..so+d) / ||src[so..so+d)||` to `dst[do..)`; the norm must be positive. */
function normaliseInto(src: Float64Array, so: number, dst: Float64Array, dOff: number, d: number): void {
  let s = 0;
  for (let t = 0; t < d; t++) s += src[so + t] * src[so + t];
  const norm = Math.sqrt(s);
  for (let t = 0; t < d; t++) dst[dOff + t] = src[so + t] / norm;
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
