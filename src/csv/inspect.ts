/**
 * What the reader sees in a table: the CLI's `inspect` object. A column is numeric when
 * it has at least one finite number and all its non-missing cells are finite numbers
 * except at most one, which is reported as a non-numeric cell (a typo, usually).
 */
import type { CsvTable } from './read';
import { isMissing, parseNumber } from './numbers';

export interface Inspection {
  delimiter: string;
  header: string[] | null;
  nRows: number;
  nColumns: number;
  numericColumns: number[];
  /** [row, column]: empty, whitespace-only or NA cells, and fields absent from short rows. */
  missingCells: [number, number][];
  /** [row, column, text]: the one cell that breaks an otherwise numeric column. */
  nonNumericCells: [number, number, string][];
  raggedRows: number[];
  warnings: string[];
  hasBom: boolean;
  lineEndings: string;
}

/** The column types of a table (see the module comment for the rule). */
export function columnKinds(table: CsvTable): { numeric: boolean[]; nonNumeric: [number, number, string][]; missing: [number, number][] } {
  const nColumns = table.header ? table.header.length : table.rows.reduce((m, r) => Math.max(m, r.length), 0);
  const numbers = new Array<number>(nColumns).fill(0);
  const bad: [number, number, string][][] = Array.from({ length: nColumns }, () => []);
  const missing: [number, number][] = [];
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r];
    for (let c = 0; c < nColumns; c++) {
      const cell = c < row.length ? row[c] : '';
      if (c >= row.length || isMissing(cell)) {
        missing.push([r, c]);
        continue;
      }
      if (Number.isNaN(parseNumber(cell))) {
        if (bad[c].length < 2) bad[c].push([r, c, cell]);
      } else numbers[c]++;
    }
  }
  const numeric = numbers.map((count, c) => count > 0 && bad[c].length <= 1);
  const nonNumeric = bad.flatMap((cells, c) => (numeric[c] ? cells : []));
  return { numeric, nonNumeric, missing };
}

export function inspectTable(table: CsvTable): Inspection {
  const kinds = columnKinds(table);
  const nColumns = kinds.numeric.length;
  const warnings = [...table.warnings];
  for (const [r, c, text] of kinds.nonNumeric) {
    warnings.push(`row ${r} (line ${table.rowLine[r] + 1}), column ${columnName(table, c)}: "${text}" is not a number in an otherwise numeric column`);
  }
  return {
    delimiter: table.delimiter,
    header: table.header,
    nRows: table.rows.length,
    nColumns,
    numericColumns: kinds.numeric.flatMap((isNum, c) => (isNum ? [c] : [])),
    missingCells: kinds.missing,
    nonNumericCells: kinds.nonNumeric,
    raggedRows: table.raggedRows,
    warnings,
    hasBom: table.hasBom,
    lineEndings: table.lineEndings,
  };
}

/** A column's name for messages: its header name in quotes, or its 1-based number. */
export function columnName(table: CsvTable, c: number): string {
  const name = table.header?.[c];
  return name !== undefined ? `"${name}"` : `${c + 1}`;
}
