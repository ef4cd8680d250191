/**
 * What the reader sees in a table: column types, missing and non-numeric cells, and the
 * object `centroid inspect FILE --json` prints (the CLI contract of issue 3).
 *
 * The rule for a numeric column (shared with the dataset builder's default features): it
 * holds at least one finite plain number, and every non-missing cell is one except at most
 * one cell (a typo, usually), which is reported in `nonNumericCells`. Missing cells are
 * empty, whitespace-only or NA-token cells ({@link isMissing}) and fields absent from short
 * rows; extra fields of long rows belong to no column.
 */
import { tableWidth, type CsvTable } from './read';
import { isMissing, parseNumber } from './numbers';

/** The `centroid inspect --json` object. Rows and columns are 0-based. */
export interface Inspection {
  delimiter: string;
  header: string[] | null;
  /** Data rows (the header is not a row). */
  nRows: number;
  /** The header's length, or without a header the most common field count. */
  nColumns: number;
  /** Columns that are numeric by the module's rule, ascending. */
  numericColumns: number[];
  /** [row, column] of every missing cell, row-major order. */
  missingCells: [number, number][];
  /** [row, column, text] of the one cell that breaks an otherwise numeric column, row-major order. */
  nonNumericCells: [number, number, string][];
  /** Rows whose field count differs from nColumns. */
  raggedRows: number[];
  warnings: string[];
  hasBom: boolean;
  lineEndings: string;
}

/** Per-column findings of {@link classifyColumns}. */
export interface ColumnClasses {
  nColumns: number;
  /** numeric[c]: column c is numeric by the module's rule. */
  numeric: boolean[];
  /** Finite numbers per column. */
  numbers: Int32Array;
  /** [row, column, text] of the non-numeric cell of each numeric column that has one, row-major. */
  nonNumeric: [number, number, string][];
  /** [row, column] of every missing cell, row-major (empty unless asked for). */
  missing: [number, number][];
}

/**
 * Classifies the columns of a table (see the module comment for the rule).
 * @param collectMissing also list every missing cell (default true).
 * @complexity O(cells); a column is no longer parsed once two non-numeric cells show it is text.
 */
export function classifyColumns(table: Pick<CsvTable, 'header' | 'rows'>, collectMissing = true): ColumnClasses {
  const nColumns = tableWidth(table);
  const rows = table.rows;
  const numbers = new Int32Array(nColumns);
  const badCount = new Int32Array(nColumns);
  const firstBad: ([number, string] | null)[] = new Array(nColumns).fill(null);
  const missing: [number, number][] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const have = row.length < nColumns ? row.length : nColumns;
    for (let c = 0; c < have; c++) {
      const cell = row[c];
      if (isMissing(cell)) {
        if (collectMissing) missing.push([r, c]);
        continue;
      }
      if (badCount[c] >= 2) continue; // a text column: no need to parse further
      if (Number.isNaN(parseNumber(cell))) {
        if (badCount[c] === 0) firstBad[c] = [r, cell];
        badCount[c]++;
      } else {
        numbers[c]++;
      }
    }
    if (collectMissing) for (let c = have; c < nColumns; c++) missing.push([r, c]);
  }
  const numeric: boolean[] = new Array(nColumns);
  const nonNumeric: [number, number, string][] = [];
  for (let c = 0; c < nColumns; c++) {
    numeric[c] = numbers[c] > 0 && badCount[c] <= 1;
    const bad = firstBad[c];
    if (numeric[c] && bad !== null) nonNumeric.push([bad[0], c, bad[1]]);
  }
  nonNumeric.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { nColumns, numeric, numbers, nonNumeric, missing };
}

/**
 * The `centroid inspect FILE --json` object for a parsed table. Warnings are the table's
 * plus one per non-numeric cell in a numeric column; an empty table gets a warning too.
 * Never throws.
 * @complexity O(cells)
 */
export function inspectTable(table: CsvTable): Inspection {
  const classes = classifyColumns(table);
  const warnings = [...table.warnings];
  if (table.header === null && table.rows.length === 0 && warnings.length === 0) warnings.push('the file is empty');
  for (const [r, c, text] of classes.nonNumeric) {
    warnings.push(`row ${r} (line ${table.rowLine[r] + 1}), column ${columnLabel(table, c)}: ${quoteCell(text)} is not a number `
      + 'in an otherwise numeric column; it counts as a missing value');
  }
  const numericColumns: number[] = [];
  for (let c = 0; c < classes.nColumns; c++) if (classes.numeric[c]) numericColumns.push(c);
  return {
    delimiter: table.delimiter,
    header: table.header,
    nRows: table.rows.length,
    nColumns: classes.nColumns,
    numericColumns,
    missingCells: classes.missing,
    nonNumericCells: classes.nonNumeric,
    raggedRows: table.raggedRows,
    warnings,
    hasBom: table.hasBom,
    lineEndings: table.lineEndings,
  };
}

/** A column's name for messages: its header name in quotes, or `column3` (1-based) without a header. */
export function columnLabel(table: Pick<CsvTable, 'header'>, c: number): string {
  const name = table.header?.[c];
  return name !== undefined ? JSON.stringify(name) : `column${c + 1}`;
}

/** A cell's text for messages: JSON-quoted and cut to 40 characters. */
export function quoteCell(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
