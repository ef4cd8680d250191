/**
 * What counts as a number and what counts as missing in a CSV cell.
 *
 * Numbers are plain decimal literals (optional sign, digits, optional fraction,
 * optional exponent), surrounded by optional spaces, read with JavaScript's correctly
 * rounded `Number()`, so a cell gives exactly the double that NumPy/pandas would. Hex,
 * thousand separators, `Infinity` and overflowing literals such as `1e309` are not
 * finite numbers here: clustering needs finite values.
 *
 * Missing: an empty or whitespace-only cell, or one of pandas' default NA tokens.
 */

const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** pandas' default `na_values` (read_csv), so files mean the same in both tools. */
export const NA_TOKENS: ReadonlySet<string> = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);

/** The finite number a cell holds, or NaN when it holds none. */
export function parseNumber(cell: string): number {
  if (cell.length === 0 || cell.length > 400 || !DECIMAL.test(cell)) return NaN;
  const x = Number(cell);
  return Number.isFinite(x) ? x : NaN;
}

/** True for an empty or whitespace-only cell, or a pandas NA token such as NA, N/A, NaN or null. */
export function isMissing(cell: string): boolean {
  if (cell.length > 16) return false;
  const t = cell.trim();
  return NA_TOKENS.has(t);
}
