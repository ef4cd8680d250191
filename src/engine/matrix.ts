/**
 * Dense row-major matrices of float64, the one data shape every kernel shares.
 * Row i occupies `data[i * nCols .. (i + 1) * nCols)`.
 */
export interface Matrix {
  readonly data: Float64Array;
  readonly nRows: number;
  readonly nCols: number;
}

/** A zero-filled `nRows x nCols` matrix. */
export function zeros(nRows: number, nCols: number): Matrix {
  return { data: new Float64Array(nRows * nCols), nRows, nCols };
}

/** Copies a `number[][]` (all rows of equal length) into a row-major matrix. */
export function fromRows(rows: ArrayLike<ArrayLike<number>>, nCols?: number): Matrix {
  const nRows = rows.length;
  const d = nCols ?? (nRows > 0 ? rows[0].length : 0);
  const data = new Float64Array(nRows * d);
  for (let i = 0; i < nRows; i++) {
    const row = rows[i];
    if (row.length !== d) {
      throw new RangeError(`row ${i} has ${row.length} values, expected ${d}`);
    }
    for (let j = 0; j < d; j++) data[i * d + j] = row[j];
  }
  return { data, nRows, nCols: d };
}

/** The rows of a matrix as plain arrays (for JSON output and tests, never in hot paths). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = new Array(m.nRows);
  for (let i = 0; i < m.nRows; i++) {
    out[i] = Array.from(m.data.subarray(i * m.nCols, (i + 1) * m.nCols));
  }
  return out;
}

/** A copy of row `i` as a new Float64Array. */
export function rowCopy(m: Matrix, i: number): Float64Array {
  return m.data.slice(i * m.nCols, (i + 1) * m.nCols);
}

/** A new matrix holding the given rows of `m`, in the given order. */
export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const d = m.nCols;
  const data = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) {
    data.set(m.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
  }
  return { data, nRows: rows.length, nCols: d };
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (kernel: no checks). */
export function sqDist(a: Float64Array, ai: number, b: Float64Array, bj: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = a[ai + k] - b[bj + k];
    s += t * t;
  }
  return s;
}
