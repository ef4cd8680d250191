/**
 * DBSCAN (Ester, Kriegel, Sander & Xu 1996) with scikit-learn 1.2.1's exact labelling, and
 * without an n x n matrix: a grid on the two widest coordinates limits each range query to
 * the rows in the 3 x 3 cells around it.
 */
import { check, throwIfCancelled, type RunControl } from './errors';
import type { Matrix } from './matrix';
import type { DistanceMetric } from './metrics/internal';

/** What `dbscan` returns. */
export interface DbscanResult {
  /** Cluster per row, 0..nClusters-1, or -1 for noise. */
  labels: Int32Array;
  /** Rows with at least minSamples neighbours (themselves included), ascending. */
  coreSampleIndices: number[];
  nClusters: number;
  nNoise: number;
}

/**
 * Grid range index on the two widest coordinates (one when d = 1), cells a little wider than
 * the search radius, rows sorted by cell key so that the 3 x 3 cells around a row are three
 * contiguous runs found by binary search (kernel: trusts its input). For the cosine metric it
 * holds the L2-normalised rows, where 1 - cos(x, y) <= eps  <=>  |u - v| <= sqrt(2 eps).
 */
class RangeIndex {
  /** Row indices sorted by cell key. */
  private readonly order: Int32Array;
  /** Cell keys in sorted order: cellX * ny + cellY. */
  private readonly keys: Float64Array;
  private readonly cellX: Int32Array;
  private readonly cellY: Int32Array;
  private readonly nx: number;
  private readonly ny: number;
  private readonly zeroRows: number[] = [];

  constructor(
    private readonly data: Float64Array,
    private readonly n: number,
    private readonly d: number,
    private readonly eps: number,
    private readonly cosine: boolean,
    private readonly isZero: Uint8Array | null,
  ) {
    // The two coordinates with the largest variance separate rows best.
    const variance = new Float64Array(d);
    for (let t = 0; t < d; t++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += data[i * d + t];
      mean /= n;
      for (let i = 0; i < n; i++) {
        const diff = data[i * d + t] - mean;
        variance[t] += diff * diff;
      }
    }
    let axisA = -1;
    let axisB = -1;
    for (let t = 0; t < d; t++) {
      if (axisA < 0 || variance[t] > variance[axisA]) {
        axisB = axisA;
        axisA = t;
      } else if (axisB < 0 || variance[t] > variance[axisB]) {
        axisB = t;
      }
    }
    // A pair within eps differs by at most eps (sqrt(2 eps) on unit vectors) on any coordinate.
    // Cells are slightly wider so that rounding in the cell arithmetic never separates a pair
    // by two cells; at most 2^24 cells per axis keep that rounding small and keys exact.
    const radius = cosine ? Math.sqrt(2 * eps) : eps;
    const cellsOn = (axis: number, cells: Int32Array): number => {
      if (axis < 0) return 1;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = data[i * d + axis];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const width = Math.max(radius * (1 + 1e-7), (hi - lo) / 16777216);
      let count = 1;
      for (let i = 0; i < n; i++) {
        const c = Math.floor((data[i * d + axis] - lo) / width);
        cells[i] = c;
        if (c + 1 > count) count = c + 1;
      }
      return count;
    };
    this.cellX = new Int32Array(n);
    this.cellY = new Int32Array(n);
    this.nx = cellsOn(axisA, this.cellX);
    this.ny = cellsOn(axisB, this.cellY);
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++) key[i] = this.cellX[i] * this.ny + this.cellY[i];
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[a] - key[b] || a - b);
    this.order = Int32Array.from(idx);
    this.keys = new Float64Array(n);
    for (let r = 0; r < n; r++) this.keys[r] = key[idx[r]];
    if (isZero) for (let i = 0; i < n; i++) if (isZero[i]) this.zeroRows.push(i);
  }

  /** First position in `keys` holding a key >= k. */
  private lowerBound(k: number): number {
    const keys = this.keys;
    let a = 0;
    let b = this.n;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (keys[mid] < k) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /** True when rows i and j are within eps (the exact test). */
  private within(i: number, j: number): boolean {
    const { data, d } = this;
    if (this.cosine) {
      const z = this.isZero as Uint8Array;
      // A zero row has cosine similarity 0 with every other row: distance 1.
      if (z[i] || z[j]) return i === j || 1 <= this.eps;
      let dot = 0;
      for (let t = 0; t < d; t++) dot += data[i * d + t] * data[j * d + t];
      let dist = 1 - dot;
      if (dist < 0) dist = 0;
      return dist <= this.eps;
    }
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = data[i * d + t] - data[j * d + t];
      s += diff * diff;
    }
    return Math.sqrt(s) <= this.eps;
  }

  /** Writes the neighbours of row i (itself included) into `out` (n entries) and returns how many. */
  neighbours(i: number, out: Int32Array): number {
    let count = 0;
    const zero = this.isZero;
    if (zero !== null && zero[i]) {
      for (let j = 0; j < this.n; j++) if (this.within(i, j)) out[count++] = j;
      return count;
    }
    const cx = this.cellX[i];
    const cy = this.cellY[i];
    const yLo = cy > 0 ? cy - 1 : 0;
    const yHi = cy + 1 < this.ny ? cy + 1 : this.ny - 1;
    for (let x = cx > 0 ? cx - 1 : 0; x <= cx + 1 && x < this.nx; x++) {
      const last = x * this.ny + yHi;
      for (let r = this.lowerBound(x * this.ny + yLo); r < this.n && this.keys[r] <= last; r++) {
        const j = this.order[r];
        if (zero !== null && zero[j]) continue; // zero rows are handled below
        if (this.within(i, j)) out[count++] = j;
      }
    }
    if (zero !== null && this.eps >= 1) for (const j of this.zeroRows) out[count++] = j;
    return count;
  }
}

/**
 * DBSCAN clustering with scikit-learn's rules: the neighbours of a row are the rows at
 * distance <= eps, itself included (duplicates count); a row is core when it has at least
 * `minSamples` neighbours; clusters are the connected components of core rows, numbered
 * 0, 1, ... in the order of their lowest-index core row; a non-core row within eps of a core
 * row joins the lowest-numbered such cluster; all other rows are noise (-1).
 *
 * Metrics: 'euclidean' (default) or 'cosine' (1 - cos, clipped at 0; an all-zero row is at
 * distance 1 from every other row, as scikit-learn's `normalize` leaves it at zero).
 *
 * Memory O(n d); no distance matrix and no stored neighbour lists (a core row's neighbours
 * are queried again when its cluster grows). Time O(n log n) plus, per row, the rows in the
 * 3 x 3 grid cells around it (cells of side eps on the two widest coordinates): close to
 * linear for low-dimensional data, O(n^2 d) at worst when eps spans the data.
 *
 * @throws EngineError when eps is not a finite number > 0, minSamples is not an integer >= 1,
 *   or X holds a non-finite value; CancelledError when `control` says so.
 */
export function dbscan(
  X: Matrix, options: { eps: number; minSamples: number; metric?: DistanceMetric }, control?: RunControl,
): DbscanResult {
  const { eps, minSamples } = options;
  const metric = options.metric ?? 'euclidean';
  check(Number.isFinite(eps) && eps > 0, `eps=${eps} should be a finite number > 0`);
  check(Number.isInteger(minSamples) && minSamples >= 1, `minSamples=${minSamples} should be an integer >= 1`);
  check(metric === 'euclidean' || metric === 'cosine', `metric=${String(metric)} should be 'euclidean' or 'cosine'`);
  const { nRows: n, nCols: d } = X;
  for (let k = 0; k < n * d; k++) {
    if (!Number.isFinite(X.data[k])) check(false, `X[${Math.floor(k / d)}][${k % d}]=${X.data[k]} should be a finite number`);
  }
  const cosine = metric === 'cosine';
  let data = X.data;
  let isZero: Uint8Array | null = null;
  if (cosine) {
    data = new Float64Array(n * d);
    isZero = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += X.data[i * d + t] * X.data[i * d + t];
      if (s === 0) {
        isZero[i] = 1;
        continue;
      }
      const inv = 1 / Math.sqrt(s);
      for (let t = 0; t < d; t++) data[i * d + t] = X.data[i * d + t] * inv;
    }
  }
  const index = new RangeIndex(data, n, d, eps, cosine, isZero);
  const buffer = new Int32Array(n);
  let lastReport = 0;
  const report = (fraction: number): void => {
    const now = Date.now();
    if (control?.onProgress && now - lastReport >= 100) {
      lastReport = now;
      control.onProgress(fraction, 'DBSCAN');
    }
  };

  // Pass 1: core rows.
  const isCore = new Uint8Array(n);
  const coreSampleIndices: number[] = [];
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) {
      throwIfCancelled(control);
      report((0.5 * i) / n);
    }
    if (index.neighbours(i, buffer) >= minSamples) {
      isCore[i] = 1;
      coreSampleIndices.push(i);
    }
  }

  // Pass 2: grow clusters from core rows in index order (scikit-learn's dbscan_inner).
  const labels = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let nClusters = 0;
  let expanded = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || !isCore[i]) continue;
    const label = nClusters++;
    labels[i] = label;
    let top = 0;
    stack[top++] = i;
    while (top > 0) {
      const v = stack[--top];
      if ((expanded++ & 255) === 0) {
        throwIfCancelled(control);
        report(0.5 + (0.5 * expanded) / Math.max(1, coreSampleIndices.length));
      }
      const count = index.neighbours(v, buffer);
      for (let r = 0; r < count; r++) {
        const u = buffer[r];
        if (labels[u] !== -1) continue;
        labels[u] = label;
        if (isCore[u]) stack[top++] = u;
      }
    }
  }
  let nNoise = 0;
  for (let i = 0; i < n; i++) if (labels[i] === -1) nNoise++;
  return { labels, coreSampleIndices, nClusters, nNoise };
}
