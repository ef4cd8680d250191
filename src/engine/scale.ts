/**
 * Feature scaling that can be undone, so centres found in the scaled space are reported
 * back in the columns' original units. Every kind is the affine map
 * `x' = (x - offset[j]) / scale[j]` per column j, and its inverse `x = x' * scale[j] + offset[j]`.
 *
 * - `standard`: offset = mean, scale = population standard deviation (ddof 0), as
 *   scikit-learn's `StandardScaler` (sklearn/preprocessing/_data.py): the variance uses the
 *   two-pass formula with its correction term, and a column is constant, and keeps scale 1,
 *   when `var <= n * eps * var + (n * mean * eps)^2` (`_is_constant_feature`).
 * - `minmax`: offset = min, scale = max - min, so values land in [0, 1] as with
 *   `MinMaxScaler`; a range below `10 * eps` keeps scale 1 (`_handle_zeros_in_scale`).
 * - `none`: offset 0, scale 1.
 */
import { check, EngineError } from './errors';
import type { Matrix } from './matrix';

/** A fitted per-column affine map; `offset` and `scale` have one entry per column. */
export interface Scaler {
  kind: 'none' | 'standard' | 'minmax';
  offset: Float64Array;
  scale: Float64Array;
}

const EPS = Number.EPSILON;

/** Below this a variance may have lost digits to underflow (squares of values under 1e-100). */
const TINY_VARIANCE = 1e-200;

/**
 * Fits a scaler to the columns of X (n x d, every value finite).
 * Constant columns keep scale 1 (their scaled values are then `x - offset`, all 0) and are
 * named in a warning: by `names[j]` when given, else by 0-based feature index.
 * @throws EngineError for an unknown kind, an empty matrix, a non-finite value (naming row
 *   and column) or a column whose spread overflows a double.
 * @complexity O(n d) time, O(d) extra memory.
 */
export function fitScaler(X: Matrix, kind: Scaler['kind'], names?: readonly string[]): { scaler: Scaler; warnings: string[] } {
  const label = (j: number): string => (names?.[j] !== undefined ? `column ${JSON.stringify(names[j])}` : `feature ${j}`);
  check(kind === 'none' || kind === 'standard' || kind === 'minmax', `scale=${JSON.stringify(kind)} should be 'none', 'standard' or 'minmax'`);
  const n = X.nRows;
  const d = X.nCols;
  const x = X.data;
  const offset = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  if (kind === 'none') return { scaler: { kind, offset, scale }, warnings: [] };
  check(n >= 1, `nSamples=${n} should be >= 1 to fit a ${kind} scaler`);
  for (let i = 0; i < n * d; i++) {
    if (!Number.isFinite(x[i])) {
      throw new EngineError(`X[${Math.floor(i / d)}][${i % d}]=${x[i]} should be a finite number to fit a ${kind} scaler`);
    }
  }
  const constant: number[] = [];
  if (kind === 'standard') {
    const sum = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) sum[j] += x[o + j];
    }
    for (let j = 0; j < d; j++) offset[j] = sum[j] / n;
    const sq = new Float64Array(d);
    const corr = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const t = x[o + j] - offset[j];
        corr[j] += t;
        sq[j] += t * t;
      }
    }
    for (let j = 0; j < d; j++) {
      const mean = offset[j];
      const variance = (sq[j] - (corr[j] * corr[j]) / n) / n;
      if (Number.isFinite(mean) && Number.isFinite(variance) && variance >= TINY_VARIANCE) {
        if (variance <= n * EPS * variance + (n * mean * EPS) ** 2) constant.push(j);
        else scale[j] = Math.sqrt(variance);
        continue;
      }
      // Values near the ends of the double range overflow (or underflow) the plain sums: redo
      // the column divided by its largest magnitude (the constant test is scale-free, so it
      // is done in those units). A constant column (variance 0) lands here too.
      const m = scaledMoments(X, j);
      offset[j] = m.mean;
      if (m.constant) constant.push(j);
      else if (Number.isFinite(m.std)) scale[j] = m.std;
      else throw new EngineError(`${label(j)}: the standard deviation overflows a double; rescale this column before fitting`);
    }
  } else {
    const max = new Float64Array(d).fill(-Infinity);
    offset.fill(Infinity);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const v = x[o + j];
        if (v < offset[j]) offset[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    for (let j = 0; j < d; j++) {
      const range = max[j] - offset[j];
      if (!Number.isFinite(range)) {
        throw new EngineError(`${label(j)}: max - min = ${max[j]} - ${offset[j]} overflows a double; use standard scaling or rescale this column before fitting`);
      }
      if (range < 10 * EPS) constant.push(j);
      else scale[j] = range;
    }
  }
  const warnings: string[] = [];
  if (constant.length > 0) {
    const named = names !== undefined && constant.every((j) => names[j] !== undefined);
    const what = named
      ? `${constant.length === 1 ? 'column' : 'columns'} ${constant.map((j) => JSON.stringify(names[j])).join(', ')}`
      : `${constant.length === 1 ? 'feature' : 'features'} ${constant.join(', ')}`;
    warnings.push(`${what} ${constant.length === 1 ? 'is' : 'are'} constant `
      + `and kept scale 1 under ${kind} scaling (as scikit-learn does); ${constant.length === 1 ? 'it adds' : 'they add'} nothing to the distances`);
  }
  return { scaler: { kind, offset, scale }, warnings };
}

/**
 * Mean, population standard deviation and scikit-learn's constant test of column j, computed
 * on the values divided by their largest magnitude M (then scaled back by M).
 */
function scaledMoments(X: Matrix, j: number): { mean: number; std: number; constant: boolean } {
  const n = X.nRows;
  const d = X.nCols;
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(X.data[i * d + j]));
  if (big === 0) return { mean: 0, std: 0, constant: true };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += X.data[i * d + j] / big;
  const mean = sum / n;
  let sq = 0;
  let corr = 0;
  for (let i = 0; i < n; i++) {
    const t = X.data[i * d + j] / big - mean;
    corr += t;
    sq += t * t;
  }
  const variance = (sq - (corr * corr) / n) / n;
  return { mean: mean * big, std: Math.sqrt(variance) * big, constant: variance <= n * EPS * variance + (n * mean * EPS) ** 2 };
}

function checkShape(what: string, M: Matrix, s: Scaler): void {
  check(s.offset.length === M.nCols && s.scale.length === M.nCols,
    `${what} has ${M.nCols} columns but the scaler was fitted on ${s.offset.length}`);
}

/**
 * A new matrix `(X - offset) / scale`, column by column.
 * @throws EngineError when the column counts differ.
 * @complexity O(n d)
 */
export function applyScaler(X: Matrix, s: Scaler): Matrix {
  checkShape('X', X, s);
  const d = X.nCols;
  const src = X.data;
  const out = new Float64Array(src.length);
  const offset = s.offset;
  const scale = s.scale;
  for (let i = 0; i < X.nRows; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) out[o + j] = (src[o + j] - offset[j]) / scale[j];
  }
  return { data: out, nRows: X.nRows, nCols: d };
}

/**
 * Centres (or any rows) from the scaled space back to the original units: a new matrix
 * `C * scale + offset`. For every scaler, `unscaleCenters(applyScaler(X, s), s)` gives X
 * back up to rounding (a few ulps).
 * @throws EngineError when the column counts differ.
 * @complexity O(k d)
 */
export function unscaleCenters(C: Matrix, s: Scaler): Matrix {
  checkShape('the centres', C, s);
  const d = C.nCols;
  const src = C.data;
  const out = new Float64Array(src.length);
  const offset = s.offset;
  const scale = s.scale;
  for (let i = 0; i < C.nRows; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) out[o + j] = src[o + j] * scale[j] + offset[j];
  }
  return { data: out, nRows: C.nRows, nCols: d };
}
