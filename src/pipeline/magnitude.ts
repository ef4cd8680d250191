/**
 * Magnitudes a double cannot square. k-means, DBSCAN, the metrics and the saved-model
 * predictions all add up squared differences and squared row norms; a value near 1e308
 * (or a spread past about 1e153) overflows those sums to Infinity, and the results turn
 * silently into Infinity and NaN (centres, inertia, silhouette 0 by accident, every row
 * "noise").
 *
 * Policy, decided for issue 9: such data is refused with one clear EngineError before any
 * fit, naming the column and the row; it is not rescaled behind the user's back. A hidden
 * rescale would have to report the inertia and distances in original units, which are
 * themselves too large for a double, and would change the rounding, so ordinary data would
 * no longer give scikit-learn's numbers bit for bit. Standard scaling fits such columns
 * (the scaler computes its moments on the values divided by their largest magnitude), and
 * the message says so. scikit-learn has no defined behaviour here: NumPy overflows with a
 * RuntimeWarning and KMeans reports inf or nan.
 *
 * The opposite end is a warning, not an error: a column whose values differ by less than
 * about 1e-154 has squared differences below the smallest normal double, so in the
 * distances it counts as constant (exactly what scikit-learn computes too). The fit is
 * still defined; the warning names the column and suggests standard scaling.
 */
import { EngineError } from '../engine/errors';
import type { Matrix } from '../engine/matrix';

/**
 * Largest sum of squares accepted: 1/64 of the largest double, so the few further additions
 * kernels make on top of such a sum (Elkan's `||x||^2 + ||c||^2`, a cluster's sum over its
 * rows, the between-cluster dispersion) stay finite.
 */
export const SQUARE_SUM_LIMIT = Number.MAX_VALUE / 64;

/** A column spread below this loses its digits when squared (1e-308 is under the smallest normal double, 2.2e-308). */
export const TINY_SPREAD = 1e-154;

/** Where the rows of the checked matrix come from, for messages (both optional). */
export interface RowOrigin {
  /** Data-row index of each matrix row (Dataset.rowIndex). */
  rowIndex?: ArrayLike<number>;
  /** 0-based file line of each data row (CsvTable.rowLine). */
  rowLine?: ArrayLike<number>;
}

/**
 * Checks that every squared distance and squared norm over the rows of `X` (and of `extra`,
 * e.g. a saved model's centres, which share the box) and their sum over all rows are finite
 * doubles. With M_j the largest |value| of column j and R_j its range (max - min), it requires
 * `sum_j M_j^2 <= SQUARE_SUM_LIMIT` (row norms) and `n * sum_j R_j^2 <= SQUARE_SUM_LIMIT` (any
 * sum of n squared distances to points inside the data's bounding box, centres included).
 *
 * @param X n x d, every value finite (the fit space: after scaling).
 * @param names the d column names, for messages.
 * @returns warnings for columns whose spread vanishes when squared (0 < R_j < {@link TINY_SPREAD}).
 * @throws EngineError naming the column, the value and the row (data row and file line when
 *   `origin` says), when a bound is broken.
 * @complexity O((n + extra rows) d) time, O(d) memory.
 */
export function checkMagnitudes(X: Matrix, names: readonly string[], origin: RowOrigin = {}, extra?: Matrix): string[] {
  const d = X.nCols;
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  const scan = (M: Matrix): void => {
    const x = M.data;
    const n = M.nRows * d;
    for (let o = 0; o < n; o += d) {
      for (let j = 0; j < d; j++) {
        const v = x[o + j];
        if (v < lo[j]) lo[j] = v;
        if (v > hi[j]) hi[j] = v;
      }
    }
  };
  const withExtra = extra !== undefined && extra.nCols === d;
  scan(X);
  if (withExtra) scan(extra);
  const n = X.nRows + (withExtra ? extra.nRows : 0);
  // The largest magnitude is at an end of the range (NaN cells count in neither).
  const maxAbs = new Float64Array(d);
  for (let j = 0; j < d; j++) maxAbs[j] = Math.max(0, -lo[j], hi[j]);

  let normBound = 0;
  let spreadBound = 0;
  let biggest = 0;
  let widest = 0;
  const ranges = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    ranges[j] = hi[j] - lo[j];
    normBound += maxAbs[j] * maxAbs[j];
    spreadBound += ranges[j] * ranges[j];
    if (maxAbs[j] > maxAbs[biggest]) biggest = j;
    if (ranges[j] > ranges[widest] || !Number.isFinite(ranges[j])) widest = j;
  }
  const remedy = 'divide the column by a power of ten, or use standard scaling';
  if (!(normBound <= SQUARE_SUM_LIMIT)) {
    const at = firstAtMagnitude(X, withExtra ? extra : undefined, biggest, maxAbs[biggest]);
    throw new EngineError(`column ${JSON.stringify(names[biggest] ?? `#${biggest}`)} holds values as large as ${maxAbs[biggest]} `
      + `(${where(at, X.nRows, origin)}): their squares overflow a double, so distances cannot be computed; ${remedy}`);
  }
  if (!(n * spreadBound <= SQUARE_SUM_LIMIT)) {
    throw new EngineError(`column ${JSON.stringify(names[widest] ?? `#${widest}`)} spans ${lo[widest]} to ${hi[widest]} over ${n} rows: `
      + `the sum of squared distances could overflow a double; ${remedy}`);
  }
  const tiny: string[] = [];
  for (let j = 0; j < d; j++) if (ranges[j] > 0 && ranges[j] < TINY_SPREAD) tiny.push(`${JSON.stringify(names[j] ?? `#${j}`)} (${ranges[j]})`);
  if (tiny.length === 0) return [];
  return [`${tiny.length === 1 ? 'column' : 'columns'} ${tiny.join(', ')} ${tiny.length === 1 ? 'spans' : 'span'} less than ${TINY_SPREAD}: `
    + 'differences this small lose their digits when squared, so the distances treat '
    + `${tiny.length === 1 ? 'it' : 'them'} as constant; standard scaling would make ${tiny.length === 1 ? 'it' : 'them'} count`];
}

/** The first row (counting on into `extra`) whose column `j` has magnitude `size`. */
function firstAtMagnitude(X: Matrix, extra: Matrix | undefined, j: number, size: number): number {
  const d = X.nCols;
  for (let i = 0; i < X.nRows; i++) if (Math.abs(X.data[i * d + j]) === size) return i;
  if (extra !== undefined) for (let i = 0; i < extra.nRows; i++) if (Math.abs(extra.data[i * d + j]) === size) return X.nRows + i;
  return -1;
}

/** "row 3, line 5" for a matrix row, or "centre 2" for a row of `extra`. */
function where(i: number, nRows: number, origin: RowOrigin): string {
  if (i >= nRows) return `centre ${i - nRows}`;
  const row = origin.rowIndex !== undefined ? origin.rowIndex[i] : i;
  const line = origin.rowLine !== undefined && row < origin.rowLine.length ? `, line ${origin.rowLine[row] + 1}` : '';
  return `row ${row}${line}`;
}
