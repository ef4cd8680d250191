/**
 * The k-distance curve for choosing DBSCAN's eps (Ester, Kriegel, Sander & Xu 1996, section
 * 4.2): for each row, the distance to its minSamples-th nearest row, sorted; a good eps sits at
 * the knee where the curve turns up into the sparse rows. Exact nearest neighbours without a
 * distance matrix: rows sorted along their widest coordinate, each search walking outwards
 * from the row until that coordinate alone is further than the current candidates.
 */
import { check, throwIfCancelled, type RunControl } from './errors';
import type { Matrix } from './matrix';
import type { DistanceMetric } from './metrics/internal';
import { findKnee } from './knee';
import { Rng } from './rng';

/** Rows above which the curve is computed for a seeded random sample of rows (default). */
export const K_DISTANCE_SAMPLE_SIZE = 2000;

/**
 * A sample stops early, after at least K_DISTANCE_MIN_SAMPLE queries, once its searches have
 * looked at this many coordinates (about a few seconds): high-dimensional data, where the sorted
 * projection prunes little, gets fewer query rows instead of minutes of searching.
 */
export const K_DISTANCE_WORK_LIMIT = 2e9;
export const K_DISTANCE_MIN_SAMPLE = 200;

/** Options of {@link kDistances}. */
export interface KDistanceOptions {
  /** DBSCAN's minSamples (the row itself counts, as in scikit-learn); integer in [1, nRows]. */
  minSamples: number;
  /** 'euclidean' (default) or 'cosine' (1 - cos; an all-zero row is at distance 1 from every other row). */
  metric?: DistanceMetric;
  /** Query rows used when there are more rows than this (default 2000); each is still searched against all rows. */
  sampleSize?: number;
  /** Seed of the row sample (default 0). */
  seed?: number;
}

/** What {@link kDistances} returns. */
export interface KDistanceResult {
  /** Ascending: one value per query row, its distance to its minSamples-th nearest row (itself first). */
  distances: Float64Array;
  /** The query row of each entry of `distances` (indices into X). */
  rows: Int32Array;
  /** True when the query rows are a seeded sample (more rows than `sampleSize`); `rows.length` says how many. */
  sampled: boolean;
  /** The distance at the knee of the curve (Kneedle, convex increasing), or null when the curve has no knee. */
  suggestedEps: number | null;
  /** Index into `distances` of the knee, or null. */
  kneeIndex: number | null;
}

/**
 * The sorted k-distance curve. For row i, its minSamples-th nearest neighbour counting the
 * row itself as the first (scikit-learn's `NearestNeighbors(n_neighbors=minSamples)
 * .kneighbors(X)` on the training rows), so with DBSCAN's rule a row is a core row at radius
 * eps exactly when its value here is <= eps: the share of the curve below eps is the share of
 * core rows. Duplicated rows count (distance 0). With minSamples = 1 every value is 0.
 *
 * With more rows than `sampleSize`, the curve is computed for a seeded uniform sample of
 * `sampleSize` query rows, each searched exactly against every row: the values are exact for
 * those rows and the curve is a sample of the full one (`sampled` says so). Queries run in the
 * order they were drawn and stop early (after at least 200) once the searches have looked at
 * 2e9 coordinates; any prefix of a uniform draw is a uniform sample, and the work counted is
 * deterministic, so the result depends only on the data, the options and the seed.
 *
 * The suggested eps is the value at the knee of the curve by Kneedle (see findKnee; x = rank
 * / (m - 1)), null when the curve is flat or has no clear knee.
 *
 * Memory O(n d + m). Time O(n log n) plus, per query, the rows whose widest coordinate lies
 * within the current k-th distance: close to O(m log n) for well spread low-dimensional data,
 * O(m n d) at worst (high dimension, or eps-scale gaps spanning the data).
 *
 * @throws EngineError when minSamples is not an integer in [1, nRows], X has no rows or columns or holds a
 *   non-finite value, or sampleSize is not an integer >= 3; CancelledError when `control` says so.
 */
export function kDistances(X: Matrix, options: KDistanceOptions, control?: RunControl): KDistanceResult {
  const { nRows: n, nCols: d } = X;
  const minSamples = options.minSamples;
  const metric = options.metric ?? 'euclidean';
  const sampleSize = options.sampleSize ?? K_DISTANCE_SAMPLE_SIZE;
  check(n >= 1 && d >= 1, `X is ${n} x ${d}: the k-distance curve needs at least 1 row and 1 column`);
  check(Number.isInteger(minSamples) && minSamples >= 1 && minSamples <= n,
    `minSamples=${minSamples} should be an integer in [1, nSamples=${n}]`);
  check(metric === 'euclidean' || metric === 'cosine', `metric=${String(metric)} should be 'euclidean' or 'cosine'`);
  check(Number.isInteger(sampleSize) && sampleSize >= 3, `sampleSize=${sampleSize} should be an integer >= 3`);
  for (let t = 0; t < n * d; t++) {
    if (!Number.isFinite(X.data[t])) check(false, `X[${Math.floor(t / d)}][${t % d}]=${X.data[t]} should be a finite number`);
  }
  const cosine = metric === 'cosine';
  const sampled = n > sampleSize;
  let queries: Int32Array;
  if (sampled) {
    queries = new Rng(options.seed ?? 0).sample(n, sampleSize); // in draw order: any prefix is a uniform sample
  } else {
    queries = new Int32Array(n);
    for (let i = 0; i < n; i++) queries[i] = i;
  }
  const values = new Float64Array(queries.length);
  const search = new NeighbourSearch(X, cosine);
  const heap = new Float64Array(Math.max(1, minSamples - 1));
  let last = 0;
  let done = 0;
  for (let q = 0; q < queries.length; q++) {
    if ((q & 15) === 0) {
      throwIfCancelled(control);
      const now = Date.now();
      if (control?.onProgress && now - last >= 100) {
        last = now;
        control.onProgress(sampled ? Math.min(1, Math.max(q / queries.length, search.work / K_DISTANCE_WORK_LIMIT)) : q / queries.length, 'k-distances');
      }
      if (sampled && q >= K_DISTANCE_MIN_SAMPLE && search.work >= K_DISTANCE_WORK_LIMIT) break;
    }
    values[q] = minSamples === 1 ? 0 : search.kthDistance(queries[q], minSamples - 1, heap);
    done = q + 1;
  }
  control?.onProgress?.(1, 'k-distances');
  const order = Array.from({ length: done }, (_, i) => i).sort((a, b) => values[a] - values[b] || queries[a] - queries[b]);
  const distances = new Float64Array(order.length);
  const rows = new Int32Array(order.length);
  for (let r = 0; r < order.length; r++) {
    distances[r] = values[order[r]];
    rows[r] = queries[order[r]];
  }
  const m = distances.length;
  const ranks = new Float64Array(m);
  for (let r = 0; r < m; r++) ranks[r] = r;
  const knee = findKnee(ranks, distances, { curve: 'convex', direction: 'increasing' });
  return {
    distances,
    rows,
    sampled,
    suggestedEps: knee === null ? null : distances[knee.index],
    kneeIndex: knee === null ? null : knee.index,
  };
}

/**
 * Every row's distance to its minSamples-th nearest row, the row itself counted first (the
 * core distance of HDBSCAN and of DBSCAN's core rule), exact, in row order, with the search
 * used for it. Kernel of kDistances and hdbscan: trusts its input (finite X, 1 <= minSamples
 * <= nRows). Cancellable between rows.
 */
export function coreDistances(
  X: Matrix, minSamples: number, cosine: boolean, control?: RunControl,
): { core: Float64Array; search: NeighbourSearch } {
  const n = X.nRows;
  const search = new NeighbourSearch(X, cosine);
  const core = new Float64Array(n);
  if (minSamples === 1) return { core, search };
  const heap = new Float64Array(minSamples - 1);
  let last = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 63) === 0) {
      throwIfCancelled(control);
      const now = Date.now();
      if (control?.onProgress && now - last >= 100) {
        last = now;
        control.onProgress(i / n, 'core distances');
      }
    }
    core[i] = search.kthDistance(i, minSamples - 1, heap);
  }
  return { core, search };
}

/**
 * Exact k-nearest-neighbour distances by a sorted projection: rows are sorted by their
 * coordinate of largest variance; a search walks outwards from the query's position and stops
 * on each side once the gap on that coordinate alone exceeds the current k-th distance (a
 * lower bound of the full distance). Cosine works on the L2-normalised rows, where
 * 1 - cos(u, v) = |u - v|^2 / 2; all-zero rows are kept aside (distance 1 to every other row).
 */
export class NeighbourSearch {
  /** The rows searched: X itself, or its L2-normalised rows under cosine (zero rows stay zero). */
  readonly data: Float64Array;
  /** 1 for an all-zero row under cosine. */
  readonly isZero: Uint8Array;
  private readonly d: number;
  /** Row indices sorted by the projection (zero rows under cosine left out). */
  private readonly order: Int32Array;
  /** The projection of `order[r]`. */
  private readonly proj: Float64Array;
  /** Position of each row in `order` (-1 for zero rows under cosine). */
  private readonly position: Int32Array;
  private readonly nZero: number;
  /** Coordinates looked at so far (rows examined x columns), for the work limit. */
  work = 0;

  constructor(X: Matrix, private readonly cosine: boolean) {
    const { nRows: n, nCols: d } = X;
    this.d = d;
    let data = X.data;
    const isZero = new Uint8Array(n);
    let nZero = 0;
    if (cosine) {
      data = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += X.data[i * d + t] * X.data[i * d + t];
        if (s === 0) {
          isZero[i] = 1;
          nZero++;
          continue;
        }
        const inv = 1 / Math.sqrt(s);
        for (let t = 0; t < d; t++) data[i * d + t] = X.data[i * d + t] * inv;
      }
    }
    this.data = data;
    this.isZero = isZero;
    this.nZero = nZero;
    let axis = 0;
    let bestVariance = -1;
    for (let t = 0; t < d; t++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += data[i * d + t];
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (data[i * d + t] - mean) ** 2;
      if (v > bestVariance) {
        bestVariance = v;
        axis = t;
      }
    }
    const kept: number[] = [];
    for (let i = 0; i < n; i++) if (!isZero[i]) kept.push(i);
    kept.sort((a, b) => data[a * d + axis] - data[b * d + axis] || a - b);
    this.order = Int32Array.from(kept);
    this.proj = new Float64Array(kept.length);
    this.position = new Int32Array(n).fill(-1);
    for (let r = 0; r < kept.length; r++) {
      this.proj[r] = data[kept[r] * d + axis];
      this.position[kept[r]] = r;
    }
  }

  /**
   * Distance from row i to its k-th nearest other row, 1 <= k <= n - 1 (kernel: trusts its
   * input; `heap` has room for k values).
   */
  kthDistance(i: number, k: number, heap: Float64Array): number {
    const { data, d, order, proj } = this;
    const p = this.position[i];
    if (p < 0) return 1; // an all-zero row under cosine: distance 1 to every other row
    // `heap`: a max-heap of the k smallest squared distances (twice the cosine distance under
    // cosine, the squared chord between unit vectors up to rounding, hence the slack).
    const slack = this.cosine ? 1e-12 : 0;
    let size = 0;
    const xi = i * d;
    const pi = proj[p];
    let lo = p - 1;
    let hi = p + 1;
    const m = order.length;
    for (;;) {
      const gapLo = lo >= 0 ? pi - proj[lo] : Infinity;
      const gapHi = hi < m ? proj[hi] - pi : Infinity;
      const fromLo = gapLo <= gapHi;
      const gap = fromLo ? gapLo : gapHi;
      if (gap === Infinity) break;
      // Every squared distance is at least the squared gap on the sorted coordinate.
      if (size === k && gap * gap > heap[0] + slack) break;
      const xj = order[fromLo ? lo-- : hi++] * d;
      this.work += d;
      let s = 0;
      if (this.cosine) {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += data[xi + t] * data[xj + t];
        s = 1 - dot; // the cosine distance exactly as DBSCAN computes it, clipped at 0
        s = s < 0 ? 0 : 2 * s;
      } else if (size < k) {
        for (let t = 0; t < d; t++) {
          const diff = data[xi + t] - data[xj + t];
          s += diff * diff;
        }
      } else {
        // Partial distance: once the sum passes the k-th smallest, the row cannot enter.
        const bound = heap[0];
        for (let t = 0; t < d && s <= bound; t++) {
          const diff = data[xi + t] - data[xj + t];
          s += diff * diff;
        }
      }
      size = heapPush(heap, size, k, s);
    }
    if (this.cosine) {
      // All-zero rows are at distance 1 (2 in the heap's units).
      for (let z = 0; z < this.nZero && (size < k || heap[0] > 2); z++) size = heapPush(heap, size, k, 2);
      return heap[0] / 2;
    }
    return Math.sqrt(heap[0]);
  }
}

/**
 * Offers `value` to the max-heap `heap[0..size)` that keeps the k smallest values; returns the
 * new size (kernel: trusts its input).
 */
function heapPush(heap: Float64Array, size: number, k: number, value: number): number {
  if (size < k) {
    let c = size;
    while (c > 0) {
      const parent = (c - 1) >> 1;
      if (heap[parent] >= value) break;
      heap[c] = heap[parent];
      c = parent;
    }
    heap[c] = value;
    return size + 1;
  }
  if (!(value < heap[0])) return size;
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= k) break;
    const r = l + 1;
    const big = r < k && heap[r] > heap[l] ? r : l;
    if (heap[big] <= value) break;
    heap[c] = heap[big];
    c = big;
  }
  heap[c] = value;
  return size;
}
