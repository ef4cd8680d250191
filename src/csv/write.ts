/**
 * Writing CSV safely for spreadsheets: RFC 4180 quoting, and text cells that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return)
 * are prefixed with a single quote. Cells that are plain numbers, negative ones
 * included, are written as they are so they stay numbers.
 */
import { parseNumber } from './numbers';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as a spreadsheet should see it: formula-like text is neutralised with a leading quote. */
export function neutraliseCell(cell: string): string {
  if (!FORMULA_START.test(cell)) return cell;
  if (!Number.isNaN(parseNumber(cell)) && cell.trim() === cell) return cell;
  return `'${cell}`;
}

/**
 * Quotes a field when it holds the delimiter, a quote, or a line break, or starts with
 * U+FEFF (first in a file, it would be read back as a byte order mark and dropped).
 */
export function quoteField(cell: string, delimiter: string): string {
  if (cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r') || cell.charCodeAt(0) === 0xfeff) {
    return `"${cell.replace(/"/g, '""')}"`;
  }
  return cell;
}

/** One CSV line (no line end) from cells: each neutralised, then quoted as needed. */
export function csvLine(cells: readonly string[], delimiter = ','): string {
  return cells.map((c) => quoteField(neutraliseCell(c), delimiter)).join(delimiter);
}

/** A whole CSV text with `\n` line ends and a final line end. */
export function toCsv(header: readonly string[] | null, rows: readonly (readonly string[])[], delimiter = ','): string {
  const lines: string[] = [];
  if (header) lines.push(csvLine(header, delimiter));
  for (const row of rows) lines.push(csvLine(row, delimiter));
  return lines.join('\n') + '\n';
}

/** Formats a number for CSV so that it reads back as the same double. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '';
  return String(x);
}
