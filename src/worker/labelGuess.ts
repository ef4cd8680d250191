/**
 * Picks a column of known classes when the user did not choose one: the file must have
 * exactly one non-numeric column, and that column must look like classes (few distinct
 * values, most of them repeated), like iris's `species`. Anything else: no label column,
 * because a wrong guess would add misleading metrics.
 */

/** At most this many distinct classes. */
export const MAX_CLASSES = 50;

/**
 * The header name of the class column, or null.
 * @param header column names (null when the file has no header: then never a guess)
 * @param rows data records (strings)
 * @param numericColumns indices of the numeric columns (inspectTable's rule)
 * Complexity O(rows) for the one candidate column.
 */
export function guessLabelColumn(header: string[] | null, rows: readonly (readonly string[])[], numericColumns: readonly number[]): string | null {
  if (header === null || rows.length < 2) return null;
  const numeric = new Set(numericColumns);
  const candidates: number[] = [];
  for (let c = 0; c < header.length; c++) if (!numeric.has(c)) candidates.push(c);
  if (candidates.length !== 1) return null;
  const c = candidates[0];
  const distinct = new Set<string>();
  let present = 0;
  for (const row of rows) {
    const cell = (row[c] ?? '').trim();
    if (cell === '') continue;
    present++;
    distinct.add(cell);
    if (distinct.size > MAX_CLASSES) return null;
  }
  // Classes repeat: at least two of them, and on average at least two rows per class.
  if (distinct.size < 2 || distinct.size * 2 > present) return null;
  return header[c];
}
