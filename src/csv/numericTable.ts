/**
 * A plain numeric CSV file held as one matrix instead of a table of strings: what the
 * streaming reader ({@link NumericCsvStream}) makes of a big file. Every column is numeric
 * (missing cells allowed), no cell is text and every row has the header's field count; for
 * such a file {@link buildNumericDataset} and {@link numericLabelColumn} give exactly what
 * buildDataset and labelColumn give for the parsed table, at a tenth of the memory.
 */
import type { Matrix } from '../engine/matrix';
import { checkFeatureColumns, columnIndexIn, finishDataset, selectFeatures, type Dataset, type DatasetOptions } from './dataset';
import { CsvError } from './read';
import type { NumericCsvResult } from './stream';

/** A plain numeric file (see the module comment). Rows and columns are 0-based. */
export interface NumericTable {
  delimiter: string;
  /** Column names, or null when the first record is data. */
  header: string[] | null;
  /** nDataRows x nColumns, row-major; NaN for a missing cell. */
  X: Matrix;
  /** 0-based file line where each data row starts. */
  rowLine: Int32Array;
}

/**
 * The streaming reader's result as a NumericTable when the file is plain numeric: at least
 * one data row, every column holds a number and no text cell (missing cells are fine), no row
 * with another field count. Otherwise null: the caller then parses the file as a table, which
 * reports text cells, ragged rows and the like in its own words.
 * @complexity O(columns)
 */
export function plainNumericTable(result: NumericCsvResult): NumericTable | null {
  if (result.X.nRows === 0 || result.nColumns === 0 || result.raggedCount > 0) return null;
  for (let c = 0; c < result.nColumns; c++) {
    if (result.numbers[c] === 0 || result.nonNumeric[c] !== 0) return null;
  }
  return { delimiter: result.delimiter, header: result.header, X: result.X, rowLine: result.rowLine };
}

/** Column names: the header, or column1, column2, ... (as columnNames of a table). */
export function numericColumnNames(table: NumericTable): string[] {
  if (table.header !== null) return table.header;
  const names: string[] = new Array(table.X.nCols);
  for (let c = 0; c < names.length; c++) names[c] = `column${c + 1}`;
  return names;
}

/**
 * buildDataset for a plain numeric table: the same columns, rows, warnings and errors as
 * buildDataset gives for the same file parsed with parseCsv. With `missing: 'drop'` and every
 * column a feature in file order, X shares the table's matrix (no copy).
 * @throws CsvError as buildDataset.
 * @complexity O(rows x d)
 */
export function buildNumericDataset(table: NumericTable, options: DatasetOptions = {}): Dataset {
  const policy = options.missing ?? 'drop';
  if (policy !== 'drop' && policy !== 'mean') throw new CsvError(`missing=${JSON.stringify(policy)} should be 'drop' or 'mean'`);
  const names = numericColumnNames(table);
  const exclude = options.exclude ?? [];
  const width = table.X.nCols;
  const featureColumns = selectFeatures(table.header, names, options, () => new Array<boolean>(width).fill(true));
  checkFeatureColumns(featureColumns, names, exclude);
  const n = table.X.nRows;
  const d = featureColumns.length;
  const x = table.X.data;
  let identity = d === width;
  for (let j = 0; j < d && identity; j++) identity = featureColumns[j] === j;
  let values: Float64Array;
  if (identity && policy === 'drop') {
    values = x;
  } else {
    values = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      const s = r * width;
      for (let j = 0; j < d; j++) values[o + j] = x[s + featureColumns[j]];
    }
  }
  const label = (c: number): string => (table.header?.[c] !== undefined ? JSON.stringify(table.header[c]) : `column${c + 1}`);
  // A plain numeric table holds no text cell: a column without numbers has only missing cells.
  return finishDataset(values, n, featureColumns, featureColumns.map((c) => names[c]), policy, { count: 0, listed: [] },
    () => ' (every cell is missing)', label);
}

/**
 * labelColumn for a plain numeric table: the column's numbers, '' for a missing cell.
 * @throws CsvError for an unknown column name (listing the available ones).
 * @complexity O(rows)
 */
export function numericLabelColumn(table: NumericTable, name: string): { values: (string | number)[]; numeric: boolean } {
  const c = columnIndexIn(table.header, numericColumnNames(table), name);
  const n = table.X.nRows;
  const d = table.X.nCols;
  const values: (string | number)[] = new Array(n);
  let any = false;
  for (let r = 0; r < n; r++) {
    const v = table.X.data[r * d + c];
    if (v === v) any = true;
    values[r] = v === v ? v : '';
  }
  return { values, numeric: any };
}
