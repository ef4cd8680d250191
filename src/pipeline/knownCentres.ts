/**
 * Starting centres the user partly knows, from a small CSV: a header naming feature columns
 * of the data (a subset is fine), one row per known centre, an empty cell for a coordinate
 * that is not known. Reading, checking against the data and k, and lining the rows up with
 * the fit's features. Pure: the caller reads the file; no fs, vscode or DOM.
 */
import { parseCsv } from '../csv/read';
import { isMissing, parseNumber } from '../csv/numbers';

/** The centres as read from their file: `rows[i][c]` is the value of `columns[c]`, null = not known. */
export interface KnownCentresTable {
  /** Name of the centres file, used in every message. */
  fileName: string;
  columns: string[];
  rows: (number | null)[][];
}

/** A centres file that cannot be used; the message names the file, row or column and why. */
export class KnownCentresError extends Error {
  override readonly name = 'KnownCentresError';
}

/** At most this many centre rows (the form's k has the same bound). */
export const MAX_KNOWN_ROWS = 1000;

/**
 * Reads a centres file's text. Throws KnownCentresError for: no header or no row, a repeated or
 * empty column name, a cell that is not a number (naming its row, line and column), and a file
 * where no coordinate is known at all. Rows are numbered from 1 after the header.
 * Complexity O(size of the text).
 */
export function readKnownCentres(text: string, fileName: string): KnownCentresTable {
  let table;
  try {
    table = parseCsv(text, { header: true });
  } catch (e) {
    throw new KnownCentresError(`${fileName} cannot be read as CSV: ${(e as Error).message.split('\n')[0]}`);
  }
  const header = table.header ?? [];
  if (header.length === 0 || table.rows.length === 0) {
    throw new KnownCentresError(`${fileName} has no centres: it needs a header naming feature columns and one row per known centre`);
  }
  if (table.rows.length > MAX_KNOWN_ROWS) {
    throw new KnownCentresError(`${fileName} has ${table.rows.length} centre rows, more than the ${MAX_KNOWN_ROWS} clusters a fit can have`);
  }
  const columns = header.map((h) => h.trim());
  columns.forEach((name, c) => {
    if (name === '') throw new KnownCentresError(`${fileName}, column ${c + 1}: the header cell is empty; name the feature column it gives`);
    const first = columns.indexOf(name);
    if (first !== c) throw new KnownCentresError(`${fileName}, column ${JSON.stringify(name)}: named twice in the header (columns ${first + 1} and ${c + 1})`);
  });
  let known = 0;
  const rows = table.rows.map((row, i) => {
    if (row.length > columns.length && row.slice(columns.length).some((cell) => !isMissing(cell))) {
      throw new KnownCentresError(`${fileName}, row ${i + 1} (line ${table.rowLine[i] + 1}): it has ${row.length} cells but the header names ${columns.length} columns`);
    }
    return columns.map((name, c) => {
      const cell = row[c] ?? '';
      if (isMissing(cell)) return null;
      const x = parseNumber(cell);
      if (!Number.isFinite(x)) {
        throw new KnownCentresError(`${fileName}, row ${i + 1} (line ${table.rowLine[i] + 1}), column ${JSON.stringify(name)}: ${JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell)} is not a number (leave a coordinate that is not known empty)`);
      }
      known++;
      return x;
    });
  });
  if (known === 0) {
    throw new KnownCentresError(`${fileName} gives no known coordinate: all the cells of its ${rows.length} row${rows.length === 1 ? '' : 's'} are empty`);
  }
  return { fileName, columns, rows };
}

/** Throws KnownCentresError when the file has more centre rows than `k` clusters. */
export function checkKnownCount(known: KnownCentresTable, k: number): void {
  if (known.rows.length > k) {
    throw new KnownCentresError(`${known.fileName} has ${known.rows.length} centre rows, more than k=${k}: raise k to at least ${known.rows.length} or remove rows`);
  }
}

/**
 * Throws KnownCentresError for the first column of the centres file that `dataName` does not
 * have at all, or has but not as a numeric column. `dataColumns` are the data file's columns.
 */
export function checkKnownColumns(known: KnownCentresTable, dataName: string, dataColumns: { name: string; numeric: boolean }[]): void {
  for (const name of known.columns) {
    const column = dataColumns.find((c) => c.name === name);
    if (!column) {
      throw new KnownCentresError(`${known.fileName}, column ${JSON.stringify(name)}: ${dataName} has no such column (its columns are ${list(dataColumns.map((c) => c.name))})`);
    }
    if (!column.numeric) {
      throw new KnownCentresError(`${known.fileName}, column ${JSON.stringify(name)}: it is a text column in ${dataName}, and centres have coordinates only on numeric columns`);
    }
  }
}

/**
 * The starting centres in the fit's feature order: `k` rows of `featureNames.length` values,
 * the file's rows first, then rows of nulls (centres not given, placed by k-means++).
 * Features the file does not name are null (derived from the data).
 * Throws KnownCentresError for a column that is not among the features, or more rows than k.
 */
export function alignKnownCentres(known: KnownCentresTable, featureNames: string[], k: number, dataName = 'the data'): (number | null)[][] {
  checkKnownCount(known, k);
  const at = known.columns.map((name) => {
    const t = featureNames.indexOf(name);
    if (t < 0) {
      throw new KnownCentresError(`${known.fileName}, column ${JSON.stringify(name)}: it is not a feature column of ${dataName} in this run (the features are ${list(featureNames)})`);
    }
    return t;
  });
  const out: (number | null)[][] = [];
  for (let j = 0; j < k; j++) {
    const row = new Array<number | null>(featureNames.length).fill(null);
    const given = known.rows[j];
    if (given) at.forEach((t, c) => { row[t] = given[c]; });
    out.push(row);
  }
  return out;
}

function list(names: string[]): string {
  const shown = names.slice(0, 12).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 12 ? `${shown} and ${names.length - 12} more` : shown;
}
