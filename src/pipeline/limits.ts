/**
 * The sentences users see when what they ask for does not fit their file: k above the rows
 * or items there are, min_samples above the rows, too many rows for HDBSCAN. The pipeline
 * checks these itself before calling the engine, so that the messages name the settings as
 * the panel, the Density view and the CLI name them (k, min_samples), not the engine's
 * parameters (nClusters, nSamples), which stay in the engine's messages for programmers.
 * Callers prefix the file's name.
 */
import { check } from '../engine/errors';
import { HDBSCAN_MAX_ROWS } from '../engine/hdbscan';

/** "the 4 rows" or "the 4 rows left after 2 rows with missing values were dropped". */
export function rowsLeft(n: number, dropped: number): string {
  return dropped > 0
    ? `the ${n} ${n === 1 ? 'row' : 'rows'} left after ${dropped} ${dropped === 1 ? 'row' : 'rows'} with missing values ${dropped === 1 ? 'was' : 'were'} dropped`
    : `the ${n} ${n === 1 ? 'row' : 'rows'} of the file`;
}

/** What to do besides lowering k when rows were dropped. */
function orImpute(dropped: number): string {
  return dropped > 0 ? ', or impute missing values with the column mean to keep every row' : '';
}

/**
 * k-means on `n` usable rows (`dropped` rows left out for missing values).
 * @throws EngineError `k = 9 is more than the 4 rows of the file; choose k of at most 4`.
 */
export function checkKForRows(k: number, n: number, dropped: number): void {
  check(k <= n, `k = ${k} is more than ${rowsLeft(n, dropped)}; choose k of at most ${n}${orImpute(dropped)}`);
}

/**
 * k on rows read in a stream, where rows with a missing or non-numeric feature were skipped
 * without being counted apart.
 */
export function checkKForUsableRows(k: number, n: number): void {
  check(k <= n, `k = ${k} is more than the ${n} usable ${n === 1 ? 'row' : 'rows'} of the file (rows with a missing or non-numeric feature value are left out); choose k of at most ${n}`);
}

/**
 * The cosine metric: rows whose features are all 0 have no direction and cannot be clustered.
 * @throws EngineError when fewer than k rows have a direction.
 */
export function checkKForDirections(k: number, withDirection: number, zeroRows: number): void {
  check(k <= withDirection, `k = ${k} is more than the ${withDirection} ${withDirection === 1 ? 'row that has' : 'rows that have'} a direction under the cosine metric `
    + `(${zeroRows} ${zeroRows === 1 ? 'row is' : 'rows are'} all zero); choose k of at most ${withDirection}, or use the euclidean metric`);
}

/** Choose k on `n` usable rows: the top of the range must not exceed them. */
export function checkKRangeForRows(kMin: number, kMax: number, n: number, dropped: number): void {
  check(kMax <= n, `the range of k ${kMin}..${kMax} goes above ${rowsLeft(n, dropped)}; choose k of at most ${n}${orImpute(dropped)}`);
}

/** k-medoids on a file of distances between `n` items. */
export function checkKForItems(k: number, n: number): void {
  check(Number.isInteger(k) && k >= 1, `k = ${k} should be a whole number from 1 to ${n}, the number of items in the file`);
  check(k <= n, `k = ${k} is more than the ${n} ${n === 1 ? 'item' : 'items'} in the file; choose k of at most ${n}`);
}

/** Choose k on a file of distances between `n` items. */
export function checkKRangeForItems(kMin: number, kMax: number, n: number): void {
  check(kMax <= n, `the range of k ${kMin}..${kMax} goes above the ${n} ${n === 1 ? 'item' : 'items'} in the file; choose k of at most ${n}`);
}

/**
 * The k-distance curve and HDBSCAN count each row's min_samples-th nearest row, itself included.
 * `defaulted` says where the value came from when min_samples was not given.
 */
export function checkMinSamplesForRows(minSamples: number, n: number, dropped: number, defaulted?: string): void {
  const value = defaulted === undefined ? `${minSamples}` : `${minSamples} (${defaulted})`;
  check(minSamples <= n, `min_samples = ${value} is more than ${rowsLeft(n, dropped)}; choose min_samples of at most ${n}${orImpute(dropped)}`);
}

/** HDBSCAN's spanning tree takes time and memory n^2. */
export function checkRowsForHdbscan(n: number): void {
  check(n <= HDBSCAN_MAX_ROWS, `HDBSCAN takes at most ${HDBSCAN_MAX_ROWS} rows (its time grows with the square of the rows), and the file has ${n} rows to cluster; use DBSCAN, or HDBSCAN on a sample of the rows`);
}
