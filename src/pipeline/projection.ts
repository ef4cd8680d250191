/**
 * The 2-D view of a fit for plotting: principal components (by default) or two chosen
 * columns, for a seeded, cluster-stratified sample of the rows, so the panel stays fluid
 * on big files. The covariance is estimated on at most `covarianceRows` rows.
 */
import { PCA } from 'ml-pca';
import { Rng } from '../engine/rng';
import type { Matrix } from '../engine/matrix';
import type { ProjectionBasis } from '../protocol/view';

/**
 * `pca` finds the principal axes of X, unless `basis` gives them (a saved model's, so its
 * predictions are drawn as its fit was); `columns` plots two columns as they are.
 */
export type ProjectionOptions = { method: 'pca'; basis?: ProjectionBasis } | { method: 'columns'; x: number; y: number };

export interface Projection {
  /** x, y of each plotted point. */
  points: Float32Array;
  /** Index (into the rows of X) of each plotted point. */
  rows: Int32Array;
  /** x, y of each centre. */
  centers: Float32Array;
  axisNames: [string, string];
  /** Number of rows in X (points.length / 2 of them are plotted). */
  total: number;
  /** Share of the variance the two axes explain (PCA only); null for columns, or rows without variance. */
  explained: number | null;
  /** The axes used (PCA only; null for columns). */
  basis: ProjectionBasis | null;
}

/**
 * Projects rows of X (and the centres) to 2-D. `labels` (optional, per row of X) makes the
 * sample keep every cluster in proportion, with at least a few rows of each.
 */
export function project2d(
  X: Matrix, centers: Matrix, options: ProjectionOptions, maxPoints: number, seed: number,
  featureNames: string[] = [], labels?: Int32Array, covarianceRows = 50000,
): Projection {
  const n = X.nRows;
  const d = X.nCols;
  const rows = sampleRows(n, maxPoints, seed, labels);
  const points = new Float32Array(rows.length * 2);
  const cent = new Float32Array(centers.nRows * 2);
  if (options.method === 'columns' || d < 2) {
    const cx = options.method === 'columns' ? options.x : 0;
    const cy = options.method === 'columns' ? options.y : Math.min(1, d - 1);
    for (let r = 0; r < rows.length; r++) {
      points[2 * r] = X.data[rows[r] * d + cx];
      points[2 * r + 1] = d < 2 ? 0 : X.data[rows[r] * d + cy];
    }
    for (let j = 0; j < centers.nRows; j++) {
      cent[2 * j] = centers.data[j * d + cx];
      cent[2 * j + 1] = d < 2 ? 0 : centers.data[j * d + cy];
    }
    const name = (c: number): string => featureNames[c] ?? `column ${c + 1}`;
    return { points, rows, centers: cent, axisNames: [name(cx), d < 2 ? '' : name(cy)], total: n, explained: null, basis: null };
  }
  const covRows = sampleRows(n, covarianceRows, seed + 1);
  const given = options.basis;
  if (given && given.mean.length === d && given.axes.every((a) => a.length === d)) {
    const mean = Float64Array.from(given.mean);
    const v1 = Float64Array.from(given.axes[0]);
    const v2 = Float64Array.from(given.axes[1]);
    projectAll(X, centers, rows, mean, v1, v2, points, cent);
    return {
      points, rows, centers: cent, axisNames: ['principal component 1', 'principal component 2'], total: n,
      explained: shareAlong(X, covRows, v1, v2), basis: given,
    };
  }
  const mean = new Float64Array(d);
  for (let r = 0; r < covRows.length; r++) {
    const o = covRows[r] * d;
    for (let t = 0; t < d; t++) mean[t] += X.data[o + t];
  }
  for (let t = 0; t < d; t++) mean[t] /= Math.max(1, covRows.length);
  const cov: number[][] = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const centred = new Float64Array(d);
  for (let r = 0; r < covRows.length; r++) {
    const o = covRows[r] * d;
    for (let t = 0; t < d; t++) centred[t] = X.data[o + t] - mean[t];
    for (let a = 0; a < d; a++) {
      const ca = centred[a];
      const rowA = cov[a];
      for (let b = a; b < d; b++) rowA[b] += ca * centred[b];
    }
  }
  const denom = Math.max(1, covRows.length - 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      cov[a][b] /= denom;
      cov[b][a] = cov[a][b];
    }
  }
  const pca = new PCA(cov, { isCovarianceMatrix: true });
  const vectors = pca.getEigenvectors();
  const v1 = new Float64Array(d);
  const v2 = new Float64Array(d);
  for (let t = 0; t < d; t++) {
    v1[t] = vectors.get(t, 0);
    v2[t] = vectors.get(t, 1);
  }
  // Fix the sign so the view does not flip between runs: the largest loading is positive.
  orient(v1);
  orient(v2);
  projectAll(X, centers, rows, mean, v1, v2, points, cent);
  const explainedAll = pca.getExplainedVariance();
  const share = (explainedAll[0] ?? 0) + (explainedAll[1] ?? 0);
  // Rows without any variance (one row, or all identical) have no share to explain: 0/0.
  const explained = Number.isFinite(share) ? share : null;
  return {
    points, rows, centers: cent, axisNames: ['principal component 1', 'principal component 2'], total: n, explained,
    basis: { mean: Array.from(mean), axes: [Array.from(v1), Array.from(v2)] },
  };
}

/** Points of the sampled rows and of the centres on the axes v1, v2 through `mean`. Kernel: trusts the shapes. */
function projectAll(
  X: Matrix, centers: Matrix, rows: Int32Array, mean: Float64Array, v1: Float64Array, v2: Float64Array, points: Float32Array, cent: Float32Array,
): void {
  const d = X.nCols;
  const project = (data: Float64Array, o: number, out: Float32Array, at: number): void => {
    let a = 0;
    let b = 0;
    for (let t = 0; t < d; t++) {
      const c = data[o + t] - mean[t];
      a += c * v1[t];
      b += c * v2[t];
    }
    out[at] = a;
    out[at + 1] = b;
  };
  for (let r = 0; r < rows.length; r++) project(X.data, rows[r] * d, points, 2 * r);
  for (let j = 0; j < centers.nRows; j++) project(centers.data, j * d, cent, 2 * j);
}

/**
 * Share of the variance of the rows `at` of X (sample variances, about their own mean) that
 * lies along the unit vectors v1 and v2; null when the rows have no variance.
 */
function shareAlong(X: Matrix, at: Int32Array, v1: Float64Array, v2: Float64Array): number | null {
  const d = X.nCols;
  const mean = new Float64Array(d);
  for (let r = 0; r < at.length; r++) for (let t = 0; t < d; t++) mean[t] += X.data[at[r] * d + t];
  for (let t = 0; t < d; t++) mean[t] /= Math.max(1, at.length);
  let total = 0;
  let along = 0;
  for (let r = 0; r < at.length; r++) {
    let a = 0;
    let b = 0;
    for (let t = 0; t < d; t++) {
      const c = X.data[at[r] * d + t] - mean[t];
      total += c * c;
      a += c * v1[t];
      b += c * v2[t];
    }
    along += a * a + b * b;
  }
  const share = along / total;
  return Number.isFinite(share) ? share : null;
}

function orient(v: Float64Array): void {
  let at = 0;
  for (let t = 1; t < v.length; t++) if (Math.abs(v[t]) > Math.abs(v[at])) at = t;
  if (v[at] < 0) for (let t = 0; t < v.length; t++) v[t] = -v[t];
}

/** Rows each cluster keeps in a sample when it has them, so small clusters stay visible. */
const MIN_PER_CLUSTER = 20;

/**
 * Up to `max` distinct row indices in increasing order. With labels, each cluster gets a
 * share proportional to its size, at least min(size, 20) so small clusters stay visible;
 * when those minimums push the total over `max`, the largest shares are cut down to a
 * common level so the total is exactly `max` (a plot never gets more than asked).
 * @complexity O(n + max) plus O(G log n) for G clusters.
 */
export function sampleRows(n: number, max: number, seed: number, labels?: Int32Array): Int32Array {
  if (n <= max) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const rng = new Rng(seed);
  if (!labels) return sortInt(rng.sample(n, max));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(labels[i]);
    if (g) g.push(i);
    else groups.set(labels[i], [i]);
  }
  const members = [...groups.values()];
  const wants = members.map((m) => Math.min(m.length, Math.max(Math.min(m.length, MIN_PER_CLUSTER), Math.round((m.length / n) * max))));
  capTotal(wants, max);
  const picked: number[] = [];
  for (let g = 0; g < members.length; g++) {
    const idx = rng.sample(members[g].length, wants[g]);
    for (let i = 0; i < idx.length; i++) picked.push(members[g][idx[i]]);
  }
  return sortInt(Int32Array.from(picked));
}

/**
 * Lowers `wants` in place so they sum to at most `max`: every want above a level L is cut to L
 * (L the largest level that fits), then the rows still free go one each to the groups that
 * were cut, in group order. Wants at or below L are untouched. Kernel: trusts max >= 0.
 */
function capTotal(wants: number[], max: number): void {
  let total = 0;
  for (const w of wants) total += w;
  if (total <= max) return;
  const sumAt = (level: number): number => {
    let s = 0;
    for (const w of wants) s += w < level ? w : level;
    return s;
  };
  let lo = 0;
  let hi = Math.max(...wants);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sumAt(mid) <= max) lo = mid;
    else hi = mid - 1;
  }
  let free = max - sumAt(lo);
  for (let g = 0; g < wants.length; g++) {
    if (wants[g] <= lo) continue;
    wants[g] = lo;
    if (free > 0) {
      wants[g]++;
      free--;
    }
  }
}

function sortInt(a: Int32Array): Int32Array {
  return a.sort();
}
