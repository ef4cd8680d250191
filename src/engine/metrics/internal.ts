/**
 * Internal clustering metrics: how well a labelling fits the data it was computed on.
 * They follow scikit-learn 1.2.1 (`sklearn.metrics.silhouette_samples`, `silhouette_score`,
 * `davies_bouldin_score`, `calinski_harabasz_score`) including its special cases, but compute
 * distances directly (no `|x|^2 - 2 x.y + |y|^2` expansion), so they agree with the textbook
 * formulas to the last few bits.
 *
 * Labels here are cluster numbers >= 0 (rows without a cluster, such as DBSCAN noise, must be
 * left out by the caller). Any non-negative integers will do: they are re-encoded to 0..L-1
 * in increasing order, so a label that never occurs does not count as a cluster.
 */
import { check, throwIfCancelled, type RunControl } from '../errors';
import type { Matrix } from '../matrix';
import { defaultExecutor, sharedF64, sharedI32, type KernelJob } from '../parallel/executor';
import { CENTROID_CORRECTIONS, CENTROID_SPREADS, CENTROID_SUMS } from '../parallel/kernels';
import { Rng } from '../rng';

/** Distance between rows: Euclidean, or cosine distance 1 - cos (clipped to [0, 2], as scikit-learn). */
export type DistanceMetric = 'euclidean' | 'cosine';

/** Cluster-by-row accumulators above this many entries switch silhouette to its row-block kernel. */
const FULL_ACCUMULATOR_LIMIT = 4_000_000;
/**
 * Rows per block in the silhouette kernels (progress and cancellation are checked per block).
 * A multiple of 8, so only the last block has rows left over from the kernels' groups of 4 and
 * 8 rows (those go one at a time, the slow way).
 */
const SILHOUETTE_BLOCK = 256;
/**
 * Euclidean silhouettes of this many rows or fewer (and at least OWNED_MIN_ROWS) run on every
 * thread of a pool at once, each owning its rows' sums (kernels.ts, silhouetteSumsChunk's
 * owners): one run, so progress and cancel wait for its end (about 0.3 s at 20,000 rows on two
 * threads). Larger ones go block by block on the calling thread.
 */
const OWNED_MAX_ROWS = 30_000;
const OWNED_MIN_ROWS = 4_096;

/**
 * Sum of (weighted) squared Euclidean distances from each row to its cluster centre.
 *
 * @param X n x d data; `centers` k x d; `labels[i]` in [0, k).
 * @param sampleWeight optional n weights (default 1 each).
 * @returns sum_i w_i |x_i - c_{labels[i]}|^2. O(n d).
 * @throws EngineError when shapes disagree or a label is outside [0, k).
 */
export function inertiaOf(X: Matrix, centers: Matrix, labels: Int32Array, sampleWeight?: Float64Array): number {
  const n = X.nRows;
  const d = X.nCols;
  check(labels.length === n, `labels.length=${labels.length} should equal nSamples=${n}`);
  check(centers.nCols === d, `centers have ${centers.nCols} columns, X has ${d}: they should be equal`);
  check(sampleWeight === undefined || sampleWeight.length === n,
    `sampleWeight.length=${sampleWeight?.length} should equal nSamples=${n}`);
  const k = centers.nRows;
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0 || labels[i] >= k) check(false, `labels[${i}]=${labels[i]} should be in [0, ${k - 1}] (nClusters=${k})`);
  }
  const x = X.data;
  const c = centers.data;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    const cj = labels[i] * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[xi + t] - c[cj + t];
      s += diff * diff;
    }
    total += sampleWeight === undefined ? s : sampleWeight[i] * s;
  }
  return total;
}

/** Labels re-encoded to 0..nLabels-1 in increasing order, with the size of each cluster. */
interface EncodedLabels {
  codes: Int32Array;
  nLabels: number;
  counts: Float64Array;
}

function encodeLabels(labels: Int32Array): EncodedLabels {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) check(false, `labels[${i}]=${labels[i]} should be >= 0 (leave rows without a cluster out first)`);
    if (labels[i] > max) max = labels[i];
  }
  const n = labels.length;
  // Dense remapping when labels are small numbers (the usual case), else through a Map.
  const codes = new Int32Array(n);
  let nLabels = 0;
  if (max < 4 * n + 1024) {
    const present = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) present[labels[i]] = 0;
    for (let v = 0; v <= max; v++) if (present[v] === 0) present[v] = nLabels++;
    for (let i = 0; i < n; i++) codes[i] = present[labels[i]];
  } else {
    const sorted = Array.from(new Set(labels)).sort((a, b) => a - b);
    const map = new Map<number, number>();
    for (const v of sorted) map.set(v, map.size);
    nLabels = sorted.length;
    for (let i = 0; i < n; i++) codes[i] = map.get(labels[i]) as number;
  }
  const counts = new Float64Array(nLabels);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  return { codes, nLabels, counts };
}

function labelsDefined(nLabels: number, nSamples: number): boolean {
  return nLabels >= 2 && nLabels <= nSamples - 1;
}

function checkLabelCount(nLabels: number, nSamples: number): void {
  check(labelsDefined(nLabels, nSamples),
    `number of labels=${nLabels} should be in [2, nSamples - 1 = ${nSamples - 1}]: the metric is undefined otherwise`);
}

function checkShapes(X: Matrix, labels: Int32Array): void {
  check(labels.length === X.nRows, `labels.length=${labels.length} should equal nSamples=${X.nRows}`);
}

/** Row norms for the cosine distance (kernel: no checks). */
function rowNorms(X: Matrix): Float64Array {
  const { data, nRows: n, nCols: d } = X;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += data[i * d + t] * data[i * d + t];
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

/**
 * Distance between rows i and j (kernel: trusts its input). Cosine: 1 - x.y / (|x| |y|),
 * clipped to [0, 2]; a zero row has cosine similarity 0 with everything (scikit-learn's
 * `normalize` leaves it at zero), so its distance to any other row is 1.
 */
function rowDistance(data: Float64Array, d: number, i: number, j: number, cosine: boolean, norms: Float64Array | null): number {
  const xi = i * d;
  const xj = j * d;
  if (!cosine) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = data[xi + t] - data[xj + t];
      s += diff * diff;
    }
    return Math.sqrt(s);
  }
  const ni = (norms as Float64Array)[i];
  const nj = (norms as Float64Array)[j];
  if (ni === 0 || nj === 0) return 1;
  let dot = 0;
  for (let t = 0; t < d; t++) dot += data[xi + t] * data[xj + t];
  const dist = 1 - dot / (ni * nj);
  return dist < 0 ? 0 : dist > 2 ? 2 : dist;
}

/** Calls onProgress at most every ~100 ms. */
class ProgressThrottle {
  private last = 0;
  constructor(private readonly control: RunControl | undefined, private readonly message: string) {}
  report(fraction: number): void {
    const onProgress = this.control?.onProgress;
    if (!onProgress) return;
    const now = Date.now();
    if (now - this.last < 100 && fraction < 1) return;
    this.last = now;
    onProgress(fraction, this.message);
  }
}

/**
 * `out[i * L + c]` = sum of distances from row i to the rows of cluster c (excluding i).
 * Every pair is computed once and added to both rows: needs n x L accumulators (kernel).
 * Euclidean goes through the executor's 'silhouetteSums' kernel (kernels.ts, on WebAssembly
 * SIMD where the executor has it: the same bits), on the calling thread, block by block.
 */
function clusterDistanceSumsSymmetric(
  X: Matrix, codes: Int32Array, nLabels: number, cosine: boolean, norms: Float64Array | null,
  control: RunControl | undefined, progress: ProgressThrottle,
): Float64Array {
  const { data, nRows: n, nCols: d } = X;
  const L = nLabels;
  const executor = defaultExecutor();
  if (!cosine && executor.threads > 1 && n >= OWNED_MIN_ROWS && n <= OWNED_MAX_ROWS) {
    throwIfCancelled(control);
    // In the pool's memory, so the threads see the rows and write the sums in place.
    const sums = sharedF64(executor, n * L);
    const sharedCodes = sharedI32(executor, n);
    sharedCodes.set(codes);
    const owners = executor.threads;
    executor.run('silhouetteSums', { f64: [sharedF64(executor, n * d, data), sums], i32: [sharedCodes], params: [n, d, L, 0, 0, owners] }, owners);
    progress.report(1);
    return sums;
  }
  const out = new Float64Array(n * L);
  const totalPairs = (n * (n - 1)) / 2;
  const job: KernelJob = { f64: [data, out], i32: [codes], params: [n, d, L, 0, 0] };
  let donePairs = 0;
  for (let i0 = 0; i0 < n; i0 += SILHOUETTE_BLOCK) {
    throwIfCancelled(control);
    const i1 = Math.min(n, i0 + SILHOUETTE_BLOCK);
    if (!cosine) {
      job.params[3] = i0;
      job.params[4] = i1;
      executor.run('silhouetteSums', job, 1);
    } else {
      for (let i = i0; i < i1; i++) {
        const ci = codes[i];
        const rowI = i * L;
        for (let j = i + 1; j < n; j++) {
          const dist = rowDistance(data, d, i, j, true, norms);
          out[rowI + codes[j]] += dist;
          out[j * L + ci] += dist;
        }
      }
    }
    // Pairs (i, j > i) for i in [i0, i1).
    donePairs += (i1 - i0) * (n - 1) - ((i1 - i0) * (i0 + i1 - 1)) / 2;
    progress.report(totalPairs === 0 ? 1 : donePairs / totalPairs);
  }
  return out;
}

/** Silhouette value of row i from its per-cluster distance sums `sums[offset..offset+L)` (kernel). */
function silhouetteFromSums(sums: Float64Array, offset: number, ci: number, counts: Float64Array, L: number): number {
  if (counts[ci] <= 1) return 0; // a row alone in its cluster scores 0
  const a = sums[offset + ci] / (counts[ci] - 1);
  let b = Infinity;
  for (let c = 0; c < L; c++) {
    if (c === ci) continue;
    const mean = sums[offset + c] / counts[c];
    if (mean < b) b = mean;
  }
  const denom = a > b ? a : b;
  const s = (b - a) / denom;
  return Number.isFinite(s) ? s : 0; // a == b == 0 (identical rows in two clusters): 0, as nan_to_num
}

/**
 * Silhouette value of every row, computed exactly: s(i) = (b - a) / max(a, b) with a the mean
 * distance to the other rows of its cluster and b the smallest mean distance to another
 * cluster; 0 for a row alone in its cluster (scikit-learn's rule).
 *
 * Memory is O(n x L) accumulators when n x L <= 4e6 (each pair computed once), else
 * O(256 x L) with every pair computed twice; never an n x n matrix. Time O(n^2 d).
 *
 * @param X n x d data, row-major. @param labels n cluster numbers >= 0.
 * @param metric 'euclidean' (default) or 'cosine'.
 * @throws EngineError when the number of distinct labels is not in [2, n - 1], a label is
 *   negative or the shapes disagree; CancelledError when `control` says so.
 */
export function silhouetteSamples(X: Matrix, labels: Int32Array, metric: DistanceMetric = 'euclidean', control?: RunControl): Float64Array {
  checkShapes(X, labels);
  check(metric === 'euclidean' || metric === 'cosine', `metric=${String(metric)} should be 'euclidean' or 'cosine'`);
  const enc = encodeLabels(labels);
  checkLabelCount(enc.nLabels, X.nRows);
  return silhouetteKernel(X, enc, metric === 'cosine', control);
}

function silhouetteKernel(X: Matrix, enc: EncodedLabels, cosine: boolean, control: RunControl | undefined): Float64Array {
  const { data, nRows: n, nCols: d } = X;
  const { codes, nLabels: L, counts } = enc;
  const norms = cosine ? rowNorms(X) : null;
  const progress = new ProgressThrottle(control, 'silhouette');
  const result = new Float64Array(n);
  if (n * L <= FULL_ACCUMULATOR_LIMIT) {
    const sums = clusterDistanceSumsSymmetric(X, codes, L, cosine, norms, control, progress);
    for (let i = 0; i < n; i++) result[i] = silhouetteFromSums(sums, i * L, codes[i], counts, L);
    return result;
  }
  // Many clusters: per block of rows, accumulate their sums against every row.
  const block = new Float64Array(SILHOUETTE_BLOCK * L);
  for (let i0 = 0; i0 < n; i0 += SILHOUETTE_BLOCK) {
    throwIfCancelled(control);
    const i1 = Math.min(n, i0 + SILHOUETTE_BLOCK);
    block.fill(0);
    for (let i = i0; i < i1; i++) {
      const off = (i - i0) * L;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        block[off + codes[j]] += rowDistance(data, d, i, j, cosine, norms);
      }
      result[i] = silhouetteFromSums(block, off, codes[i], counts, L);
    }
    progress.report(i1 / n);
  }
  return result;
}

/**
 * Mean silhouette value, exact on all rows or, when `sampleSize` is given and below the
 * number of rows, on a stratified random sample: each cluster contributes rows in proportion
 * to its size (largest remainders, at least one row each), drawn with a seeded generator.
 * The silhouette of the sample is computed on the sample alone, as scikit-learn's `sample_size`.
 *
 * @param options.metric 'euclidean' (default) or 'cosine'; options.sampleSize rows to use above
 *   which sampling starts (default: all rows); options.seed for the sample (default 0).
 * @returns `value` null when undefined (fewer than 2 or more than n - 1 distinct labels);
 *   `sampled` the sample size used, null when all rows were used.
 * @throws EngineError for mismatched shapes, negative labels, or a sampleSize not above the
 *   number of clusters. Time O(m^2 d) for m rows used.
 */
export function silhouetteScore(
  X: Matrix, labels: Int32Array,
  options: { metric?: DistanceMetric; sampleSize?: number; seed?: number } = {},
  control?: RunControl,
): { value: number | null; sampled: number | null } {
  checkShapes(X, labels);
  const metric = options.metric ?? 'euclidean';
  check(metric === 'euclidean' || metric === 'cosine', `metric=${String(metric)} should be 'euclidean' or 'cosine'`);
  const enc = encodeLabels(labels);
  const n = X.nRows;
  if (!labelsDefined(enc.nLabels, n)) return { value: null, sampled: null };
  const sampleSize = options.sampleSize;
  if (sampleSize === undefined || sampleSize >= n) {
    return { value: mean(silhouetteKernel(X, enc, metric === 'cosine', control)), sampled: null };
  }
  check(Number.isInteger(sampleSize) && sampleSize > enc.nLabels,
    `sampleSize=${sampleSize} should be an integer above the number of clusters=${enc.nLabels}`);
  const rows = stratifiedSample(enc, sampleSize, options.seed ?? 0);
  const d = X.nCols;
  const sub = new Float64Array(rows.length * d);
  const subLabels = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    sub.set(X.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
    subLabels[r] = enc.codes[rows[r]];
  }
  const subEnc = encodeLabels(subLabels);
  const value = mean(silhouetteKernel({ data: sub, nRows: rows.length, nCols: d }, subEnc, metric === 'cosine', control));
  return { value, sampled: rows.length };
}

/** Row indices (ascending) of a stratified sample of `m` rows: proportional quotas, >= 1 per cluster. */
function stratifiedSample(enc: EncodedLabels, m: number, seed: number): Int32Array {
  const { codes, nLabels: L, counts } = enc;
  const n = codes.length;
  const quota = new Int32Array(L);
  const remainder = new Float64Array(L);
  let assigned = 0;
  for (let c = 0; c < L; c++) {
    const exact = (m * counts[c]) / n;
    quota[c] = Math.max(1, Math.floor(exact));
    remainder[c] = exact - Math.floor(exact);
    assigned += quota[c];
  }
  // Hand out what is left by largest remainder; take back from the largest quotas if over.
  const order = Array.from({ length: L }, (_, c) => c).sort((a, b) => remainder[b] - remainder[a] || a - b);
  for (let t = 0; assigned < m; t = (t + 1) % L) {
    const c = order[t];
    if (quota[c] < counts[c]) {
      quota[c]++;
      assigned++;
    }
  }
  while (assigned > m) {
    let big = 0;
    for (let c = 1; c < L; c++) if (quota[c] > quota[big]) big = c;
    quota[big]--;
    assigned--;
  }
  const members: number[][] = Array.from({ length: L }, () => []);
  for (let i = 0; i < n; i++) members[codes[i]].push(i);
  const rng = new Rng(seed);
  const picked: number[] = [];
  for (let c = 0; c < L; c++) {
    const draw = rng.sample(members[c].length, quota[c]);
    for (let t = 0; t < draw.length; t++) picked.push(members[c][draw[t]]);
  }
  picked.sort((a, b) => a - b);
  return Int32Array.from(picked);
}

function mean(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * Rows per chunk of the centroid passes: the sums are added chunk by chunk in chunk order, so
 * they do not depend on how many threads ran the chunks, and up to this many rows they are a
 * plain loop's (the bits the fixtures were made with).
 */
const CENTROID_CHUNK_ROWS = 65_536;

/** What the passes over the rows give the centroid indices (see centroidPasses). */
interface CentroidPasses {
  /** L x d cluster means. */
  centroids: Float64Array;
  /** The mean of all rows (d). */
  overall: Float64Array;
  /** Per cluster, the sum of the Euclidean distances from its rows to its mean (L). */
  spread: Float64Array;
  /** Sum over rows and coordinates of (x - its cluster's mean)^2. */
  within: number;
}

/**
 * The cluster means and the overall mean, each with a second, correcting pass (mean += mean
 * of residuals, so a cluster of identical rows gets exactly that row as its mean), and the
 * spreads around the cluster means: three passes over the rows in chunks
 * (kernels.ts, centroidSumsChunk), on every thread of a pool when there are several chunks.
 * Kernel: trusts its input. O(n d).
 */
function centroidPasses(X: Matrix, enc: EncodedLabels): CentroidPasses {
  const { data, nRows: n, nCols: d } = X;
  const { codes, nLabels: L, counts } = enc;
  const executor = defaultExecutor();
  const nChunks = Math.max(1, Math.ceil(n / CENTROID_CHUNK_ROWS));
  const pooled = executor.threads > 1 && nChunks > 1;
  const width = (L + 1) * d;
  const means = pooled ? sharedF64(executor, width) : new Float64Array(width);
  const out = pooled ? sharedF64(executor, nChunks * width) : new Float64Array(nChunks * width);
  let chunkCodes = codes;
  if (pooled) {
    chunkCodes = sharedI32(executor, n);
    chunkCodes.set(codes);
  }
  const job: KernelJob = { f64: [data, means, out], i32: [chunkCodes], params: [n, d, L, CENTROID_CHUNK_ROWS, CENTROID_SUMS] };
  const addChunks = (slot: number, at: number): number => {
    let total = 0;
    for (let c = 0; c < nChunks; c++) total += out[c * slot + at];
    return total;
  };
  executor.run('centroidSums', job, nChunks);
  for (let j = 0; j < width; j++) means[j] = addChunks(width, j) / (j < L * d ? counts[Math.floor(j / d)] : n);
  job.params[4] = CENTROID_CORRECTIONS;
  executor.run('centroidSums', job, nChunks);
  for (let j = 0; j < width; j++) means[j] += addChunks(width, j) / (j < L * d ? counts[Math.floor(j / d)] : n);
  job.params[4] = CENTROID_SPREADS;
  executor.run('centroidSums', job, nChunks);
  const spread = new Float64Array(L);
  for (let c = 0; c < L; c++) spread[c] = addChunks(L + 1, c);
  return { centroids: means.slice(0, L * d), overall: means.slice(L * d), spread, within: addChunks(L + 1, L) };
}

/**
 * Davies-Bouldin index (lower is better): S_i = mean Euclidean distance of cluster i's rows to
 * its centroid, M_ij = distance between centroids, DB = mean_i max_{j != i} (S_i + S_j) / M_ij.
 * scikit-learn's special cases: 0 when every S_i or every M_ij is within 1e-8 of 0
 * (`np.allclose`), and a pair of coinciding centroids contributes 0 (M_ij taken as infinite).
 * Always Euclidean.
 *
 * @returns null when undefined (fewer than 2 or more than n - 1 distinct labels). O(n d + L^2 d).
 * @throws EngineError for mismatched shapes or negative labels.
 */
export function daviesBouldin(X: Matrix, labels: Int32Array): number | null {
  checkShapes(X, labels);
  const enc = encodeLabels(labels);
  if (!labelsDefined(enc.nLabels, X.nRows)) return null;
  return daviesBouldinOf(X.nCols, enc, centroidPasses(X, enc));
}

/**
 * {@link daviesBouldin} and {@link calinskiHarabasz} of the same labels, with the same bits as
 * the two calls, sharing their label encoding and cluster means (one pass pair over X instead
 * of two). Null where undefined, as there. O(n d + L^2 d).
 * @throws EngineError for mismatched shapes or negative labels.
 */
export function centroidIndices(X: Matrix, labels: Int32Array): { daviesBouldin: number | null; calinskiHarabasz: number | null } {
  checkShapes(X, labels);
  const enc = encodeLabels(labels);
  if (!labelsDefined(enc.nLabels, X.nRows)) return { daviesBouldin: null, calinskiHarabasz: null };
  const passes = centroidPasses(X, enc);
  return { daviesBouldin: daviesBouldinOf(X.nCols, enc, passes), calinskiHarabasz: calinskiHarabaszOf(X.nRows, X.nCols, enc, passes) };
}

/** Davies-Bouldin of defined, encoded labels from their centroid passes (kernel). */
function daviesBouldinOf(d: number, enc: EncodedLabels, passes: CentroidPasses): number {
  const { nLabels: L, counts } = enc;
  const { centroids } = passes;
  const intra = passes.spread.slice();
  let intraAllZero = true;
  for (let c = 0; c < L; c++) {
    intra[c] /= counts[c];
    if (Math.abs(intra[c]) > 1e-8) intraAllZero = false;
  }
  const between = new Float64Array(L * L);
  let betweenAllZero = true;
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < L; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = centroids[a * d + t] - centroids[b * d + t];
        s += diff * diff;
      }
      between[a * L + b] = Math.sqrt(s);
      if (between[a * L + b] > 1e-8) betweenAllZero = false;
    }
  }
  if (intraAllZero || betweenAllZero) return 0;
  let total = 0;
  for (let a = 0; a < L; a++) {
    let worst = -Infinity;
    for (let b = 0; b < L; b++) {
      const m = between[a * L + b];
      // scikit-learn sets coinciding centroids (including a == b) to infinity: ratio 0.
      const ratio = m === 0 ? 0 : (intra[a] + intra[b]) / m;
      if (ratio > worst) worst = ratio;
    }
    total += worst;
  }
  return total / L;
}

/**
 * Calinski-Harabasz index (higher is better): [B / (L - 1)] / [W / (n - L)] with
 * B = sum_j n_j |c_j - c|^2 and W = sum_i |x_i - c_{label(i)}|^2. Always Euclidean.
 *
 * Degenerate case: when W is exactly 0 (every cluster made of identical rows) the ratio is
 * +infinity in exact arithmetic; this returns 1.0 there, scikit-learn's documented special case.
 * Cluster means are computed with a correcting second pass, so identical rows do give W = 0
 * here, where scikit-learn's rounding can leave a tiny W and an astronomically large value.
 *
 * @returns null when undefined (fewer than 2 or more than n - 1 distinct labels). O(n d).
 * @throws EngineError for mismatched shapes or negative labels.
 */
export function calinskiHarabasz(X: Matrix, labels: Int32Array): number | null {
  checkShapes(X, labels);
  const enc = encodeLabels(labels);
  if (!labelsDefined(enc.nLabels, X.nRows)) return null;
  return calinskiHarabaszOf(X.nRows, X.nCols, enc, centroidPasses(X, enc));
}

/** Calinski-Harabasz of defined, encoded labels from their centroid passes (kernel). */
function calinskiHarabaszOf(n: number, d: number, enc: EncodedLabels, passes: CentroidPasses): number {
  const { nLabels: L, counts } = enc;
  const { centroids, overall } = passes;
  let extra = 0;
  for (let c = 0; c < L; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = centroids[c * d + t] - overall[t];
      s += diff * diff;
    }
    extra += counts[c] * s;
  }
  const intra = passes.within;
  if (intra === 0) return 1.0;
  return (extra * (n - L)) / (intra * (L - 1));
}
