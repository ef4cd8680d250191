/**
 * Feature scaling that can be undone: centres found in the scaled space are reported
 * back in the columns' original units. `x' = (x - offset) / scale` for each column.
 */
import type { Matrix } from './matrix';

export interface Scaler {
  kind: 'none' | 'standard' | 'minmax';
  offset: Float64Array;
  scale: Float64Array;
}

/**
 * standard: offset = mean, scale = population standard deviation (ddof 0, as scikit-learn's
 * StandardScaler); minmax: offset = min, scale = max - min. A constant column keeps scale 1
 * (as scikit-learn does) and is named in a warning. O(n d).
 */
export function fitScaler(X: Matrix, kind: Scaler['kind']): { scaler: Scaler; warnings: string[] } {
  const d = X.nCols;
  const n = X.nRows;
  const offset = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  const warnings: string[] = [];
  if (kind === 'none' || n === 0) return { scaler: { kind, offset, scale }, warnings };
  const constant: number[] = [];
  if (kind === 'standard') {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) offset[j] += X.data[i * d + j];
    for (let j = 0; j < d; j++) offset[j] /= n;
    const ss = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const t = X.data[i * d + j] - offset[j];
        ss[j] += t * t;
      }
    }
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(ss[j] / n);
      if (sd > 0) scale[j] = sd;
      else constant.push(j);
    }
  } else {
    const max = new Float64Array(d).fill(-Infinity);
    offset.fill(Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const x = X.data[i * d + j];
        if (x < offset[j]) offset[j] = x;
        if (x > max[j]) max[j] = x;
      }
    }
    for (let j = 0; j < d; j++) {
      const range = max[j] - offset[j];
      if (range > 0) scale[j] = range;
      else constant.push(j);
    }
  }
  if (constant.length > 0) {
    warnings.push(`${constant.length} feature column(s) are constant (column ${constant.map((j) => j + 1).join(', ')} of the features) and were left unscaled`);
  }
  return { scaler: { kind, offset, scale }, warnings };
}

/** A new matrix with every column scaled. */
export function applyScaler(X: Matrix, s: Scaler): Matrix {
  const d = X.nCols;
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < X.nRows; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = (X.data[i * d + j] - s.offset[j]) / s.scale[j];
  }
  return { data: out, nRows: X.nRows, nCols: d };
}

/** Centres (or any rows) from the scaled space back to the original units. */
export function unscaleCenters(C: Matrix, s: Scaler): Matrix {
  if (s.kind === 'none') return C;
  const d = C.nCols;
  const out = new Float64Array(C.data.length);
  for (let i = 0; i < C.nRows; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = C.data[i * d + j] * s.scale[j] + s.offset[j];
  }
  return { data: out, nRows: C.nRows, nCols: d };
}
