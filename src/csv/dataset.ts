/**
 * From a table of strings to the numeric matrix a fit runs on: choose the feature
 * columns, drop or impute rows with missing values, and keep the map from each matrix row
 * back to its data row (and so to its file line through `table.rowLine`).
 */
import type { Matrix } from '../engine/matrix';
import { CsvError, tableWidth, type CsvTable } from './read';
import { classifyColumns, columnLabel, quoteCell } from './inspect';
import { isMissing, parseNumber } from './numbers';

/** A numeric matrix built from a table, with the bookkeeping to map results back. */
export interface Dataset {
  /** nRows x d, row-major: the rows used (after dropping), features in `featureColumns` order. */
  X: Matrix;
  /** Names of the feature columns (header names, or `column3` style without a header). */
  featureNames: string[];
  /** 0-based table column of each X column. */
  featureColumns: number[];
  /** Data-row index (into table.rows) of each X row, ascending. */
  rowIndex: Int32Array;
  /** table.rows.length */
  nDataRows: number;
  /** Data rows dropped for missing or non-numeric feature values, ascending. */
  droppedRows: number[];
  /** Cells imputed with the column mean (missing: 'mean'). */
  imputed: number;
  /** e.g. '3 rows dropped for missing values (rows 4, 9, 17)'. */
  warnings: string[];
}

/** Options of {@link buildDataset}. */
export interface DatasetOptions {
  /** Feature columns by name, in the order X should have them. Default: every numeric column not in `exclude`, in file order. */
  columns?: string[];
  /** Columns never chosen as default features (the label columns). */
  exclude?: string[];
  /** Feature columns by 0-based index, in order (when `columns` is not given): a header may repeat a name. */
  columnIndices?: number[];
  /** 'drop' (default): rows with a missing feature are left out; 'mean': the column mean (of its numbers) is used. */
  missing?: 'drop' | 'mean';
}

/** How many row numbers a warning lists before saying "and N more". */
const LISTED = 10;

/**
 * Names of a table's columns: the header, or `column1`, `column2`, ... without one.
 */
export function columnNames(table: Pick<CsvTable, 'header' | 'rows'>): string[] {
  if (table.header !== null) return table.header;
  const width = tableWidth(table);
  const names: string[] = new Array(width);
  for (let c = 0; c < width; c++) names[c] = `column${c + 1}`;
  return names;
}

/**
 * The 0-based index of a named column (the first one when a name repeats). Without a header,
 * columns are called `column1`, `column2`, ... (a bare 1-based number works too).
 * @throws CsvError naming the unknown column and listing the available ones.
 */
export function columnIndex(table: Pick<CsvTable, 'header' | 'rows'>, name: string): number {
  const c = findColumn(table, columnNames(table), name);
  if (c < 0) throw unknownColumns(table, [name]);
  return c;
}

/** As {@link columnIndex}, given the header and the column names. */
export function columnIndexIn(header: string[] | null, names: string[], name: string): number {
  const c = findColumn({ header }, names, name);
  if (c < 0) throw unknownColumnsIn(names, [name]);
  return c;
}

function findColumn(table: Pick<CsvTable, 'header'>, names: string[], name: string): number {
  const c = names.indexOf(name);
  if (c >= 0 || table.header !== null) return c;
  if (/^[1-9]\d*$/.test(name) && Number(name) <= names.length) return Number(name) - 1;
  return -1;
}

function unknownColumns(table: Pick<CsvTable, 'header' | 'rows'>, unknown: string[]): CsvError {
  return unknownColumnsIn(columnNames(table), unknown);
}

function unknownColumnsIn(names: string[], unknown: string[]): CsvError {
  const shown = names.slice(0, 30).map((n) => JSON.stringify(n)).join(', ') + (names.length > 30 ? `, … (${names.length} in all)` : '');
  const available = names.length === 0 ? 'the file has no columns' : `the columns are ${shown}`;
  const what = unknown.length === 1 ? `no column named ${JSON.stringify(unknown[0])}` : `no columns named ${unknown.map((n) => JSON.stringify(n)).join(', ')}`;
  return new CsvError(`${what}; ${available}`);
}

/**
 * Builds the feature matrix of a table.
 *
 * Features: `columns` when given (in that order), else every numeric column (the inspect
 * rule, {@link classifyColumns}) not named in `exclude`. A cell is missing when it is empty,
 * whitespace, an NA token or absent from a short row; a cell that is not a plain finite number
 * (`oops`, `Infinity`, `1e309`, `1,000`) is treated as missing and named in a warning. With
 * `missing: 'drop'` rows with any missing feature are dropped (listed in a warning); with
 * `'mean'` the cell gets the mean of its column's numbers.
 *
 * @throws CsvError for unknown column names (naming them and listing the available ones), a
 *   chosen column that holds no number, no data rows, no numeric column, or no row left.
 * @complexity O(rows x columns) to classify the columns (only without `columns`), then O(rows x d).
 */
export function buildDataset(table: CsvTable, options: DatasetOptions = {}): Dataset {
  const policy = options.missing ?? 'drop';
  if (policy !== 'drop' && policy !== 'mean') throw new CsvError(`missing=${JSON.stringify(policy)} should be 'drop' or 'mean'`);
  const names = columnNames(table);
  const exclude = options.exclude ?? [];
  const featureColumns = selectFeatures(table.header, names, options, () => classifyColumns(table, false).numeric);
  const rows = table.rows;
  const nDataRows = rows.length;
  if (nDataRows === 0) throw new CsvError(table.header === null ? 'the file has no data (no header, no rows)' : 'the file has a header but no data rows');
  checkFeatureColumns(featureColumns, names, exclude);
  const d = featureColumns.length;

  // Parse every feature cell once; NaN marks a missing (or non-numeric) value.
  const values = new Float64Array(nDataRows * d);
  const nonNumeric: string[] = [];
  let nonNumericCount = 0;
  for (let r = 0; r < nDataRows; r++) {
    const row = rows[r];
    const o = r * d;
    for (let j = 0; j < d; j++) {
      const c = featureColumns[j];
      let x = NaN;
      if (c < row.length) {
        const cell = row[c];
        if (!isMissing(cell)) {
          x = parseNumber(cell);
          if (x !== x) {
            nonNumericCount++;
            if (nonNumeric.length < 5) nonNumeric.push(`row ${r} (line ${table.rowLine[r] + 1}), column ${columnLabel(table, c)}: ${quoteCell(cell)}`);
          }
        }
      }
      values[o + j] = x;
    }
  }
  return finishDataset(values, nDataRows, featureColumns, featureColumns.map((c) => names[c]), policy, { count: nonNumericCount, listed: nonNumeric },
    (j) => {
      const c = featureColumns[j];
      const sample = rows.find((row) => c < row.length && !isMissing(row[c]));
      return sample !== undefined ? ` (it holds text such as ${quoteCell(sample[c])})` : ' (every cell is missing)';
    }, (c) => columnLabel(table, c));
}

/**
 * The feature columns `options` ask for (see {@link buildDataset}), given the table's header,
 * column names, and (only called without `options.columns`) which columns are numeric.
 * @throws CsvError for unknown or repeated column names.
 */
export function selectFeatures(
  header: string[] | null, names: string[], options: DatasetOptions, numeric: () => boolean[],
): number[] {
  const table = { header };
  const exclude = options.exclude ?? [];
  const unknown = [...(options.columns ?? []), ...exclude].filter((n) => findColumn(table, names, n) < 0);
  if (unknown.length > 0) throw unknownColumnsIn(names, [...new Set(unknown)]);
  if (options.columns === undefined && options.columnIndices !== undefined) return [...options.columnIndices];
  if (options.columns !== undefined) {
    if (options.columns.length === 0) throw new CsvError('columns=[] should name at least one feature column');
    const featureColumns = options.columns.map((n) => findColumn(table, names, n));
    const seen = new Set<number>();
    for (let j = 0; j < featureColumns.length; j++) {
      if (seen.has(featureColumns[j])) throw new CsvError(`column ${JSON.stringify(options.columns[j])} is listed twice among the features`);
      seen.add(featureColumns[j]);
    }
    return featureColumns;
  }
  const excluded = new Set(exclude.map((n) => findColumn(table, names, n)));
  const isNumeric = numeric();
  const featureColumns: number[] = [];
  for (let c = 0; c < isNumeric.length; c++) if (isNumeric[c] && !excluded.has(c)) featureColumns.push(c);
  return featureColumns;
}

/** Throws when no feature column was found (naming the columns), else returns. */
export function checkFeatureColumns(featureColumns: number[], names: string[], exclude: string[]): void {
  if (featureColumns.length === 0) {
    const why = exclude.length > 0 ? ` other than ${exclude.map((n) => JSON.stringify(n)).join(', ')}` : '';
    throw new CsvError(`no numeric column to use as a feature${why}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  }
}

/**
 * The part of building a dataset that no longer depends on where the numbers came from:
 * `values` is nDataRows x d (NaN = missing or not a number, in place of the feature cells).
 * Checks every column holds a number, then drops or imputes rows and writes the warnings.
 * Shared by {@link buildDataset} and the numeric-file path (numericTable.ts), so both give the
 * same dataset and the same sentences. `values` may become the returned X (no copy).
 * @param example text after "holds no numbers" for feature j, e.g. ` (every cell is missing)`.
 * @param label a table column's name for messages.
 */
export function finishDataset(
  values: Float64Array, nDataRows: number, featureColumns: number[], featureNames: string[], policy: 'drop' | 'mean',
  nonNumeric: { count: number; listed: string[] }, example: (j: number) => string, label: (c: number) => string,
): Dataset {
  const d = featureColumns.length;
  const rowMissing = new Uint8Array(nDataRows);
  const numbers = new Int32Array(d);
  const missingPerColumn = new Int32Array(d);
  for (let r = 0; r < nDataRows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) {
      const x = values[o + j];
      if (x !== x) {
        rowMissing[r] = 1;
        missingPerColumn[j]++;
      } else {
        numbers[j]++;
      }
    }
  }
  for (let j = 0; j < d; j++) {
    if (numbers[j] === 0) throw new CsvError(`column ${label(featureColumns[j])} holds no numbers${example(j)}, so it cannot be a feature`);
  }
  const warnings: string[] = [];
  const nonNumericCount = nonNumeric.count;
  if (nonNumericCount > 0) {
    warnings.push(`${nonNumericCount} feature ${nonNumericCount === 1 ? 'cell is not a number and counts' : 'cells are not numbers and count'} `
      + `as missing: ${nonNumeric.listed.join('; ')}${nonNumericCount > nonNumeric.listed.length ? `; and ${nonNumericCount - nonNumeric.listed.length} more` : ''}`);
  }

  const droppedRows: number[] = [];
  let imputed = 0;
  let X: Matrix;
  let rowIndex: Int32Array;
  if (policy === 'mean') {
    const sums = new Float64Array(d);
    for (let r = 0; r < nDataRows; r++) {
      const o = r * d;
      for (let j = 0; j < d; j++) if (values[o + j] === values[o + j]) sums[j] += values[o + j];
    }
    const means = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      means[j] = sums[j] / numbers[j];
      // Values near 1e308 overflow the plain sum; their mean is finite, so redo it in units of the largest.
      if (!Number.isFinite(means[j])) means[j] = scaledMean(values, nDataRows, d, j);
    }
    for (let r = 0; r < nDataRows; r++) {
      if (!rowMissing[r]) continue;
      const o = r * d;
      for (let j = 0; j < d; j++) {
        if (values[o + j] !== values[o + j]) {
          values[o + j] = means[j];
          imputed++;
        }
      }
    }
    if (imputed > 0) {
      const per: string[] = [];
      for (let j = 0; j < d; j++) if (missingPerColumn[j] > 0) per.push(`${JSON.stringify(featureNames[j])}: ${missingPerColumn[j]}`);
      warnings.push(`${imputed} missing ${imputed === 1 ? 'value' : 'values'} imputed with the column mean (${per.join(', ')})`);
    }
    X = { data: values, nRows: nDataRows, nCols: d };
    rowIndex = new Int32Array(nDataRows);
    for (let r = 0; r < nDataRows; r++) rowIndex[r] = r;
  } else {
    for (let r = 0; r < nDataRows; r++) if (rowMissing[r]) droppedRows.push(r);
    const kept = nDataRows - droppedRows.length;
    if (kept === 0) {
      throw new CsvError(`no rows left: ${nDataRows === 1 ? 'the only row misses' : `all ${nDataRows} rows miss`} a value in `
        + `${featureNames.map((n) => JSON.stringify(n)).join(', ')} (impute the column means instead of dropping rows, or choose other columns)`);
    }
    if (droppedRows.length > 0) {
      const shown = droppedRows.slice(0, LISTED).join(', ');
      const rest = droppedRows.length > LISTED ? `, and ${droppedRows.length - LISTED} more` : '';
      warnings.push(`${droppedRows.length} ${droppedRows.length === 1 ? 'row' : 'rows'} dropped for missing values (${droppedRows.length === 1 ? 'row' : 'rows'} ${shown}${rest})`);
      const data = new Float64Array(kept * d);
      rowIndex = new Int32Array(kept);
      let i = 0;
      for (let r = 0; r < nDataRows; r++) {
        if (rowMissing[r]) continue;
        data.set(values.subarray(r * d, r * d + d), i * d);
        rowIndex[i++] = r;
      }
      X = { data, nRows: kept, nCols: d };
    } else {
      X = { data: values, nRows: nDataRows, nCols: d };
      rowIndex = new Int32Array(nDataRows);
      for (let r = 0; r < nDataRows; r++) rowIndex[r] = r;
    }
  }
  return { X, featureNames, featureColumns, rowIndex, nDataRows, droppedRows, imputed, warnings };
}

/**
 * Mean of the numbers (NaN = missing) of column j of an n x d row-major block, computed on
 * the values divided by their largest magnitude M and scaled back: finite whenever the
 * values are, even when their plain sum overflows. Kernel: the column holds a number.
 */
function scaledMean(values: Float64Array, n: number, d: number, j: number): number {
  let big = 0;
  for (let r = 0; r < n; r++) {
    const v = Math.abs(values[r * d + j]);
    if (v > big) big = v;
  }
  let sum = 0;
  let count = 0;
  for (let r = 0; r < n; r++) {
    const v = values[r * d + j];
    if (v === v) {
      sum += v / big;
      count++;
    }
  }
  return (sum / count) * big;
}

/**
 * The values of a column of known classes (or of cluster labels). Numeric when the column
 * holds at least one number and every non-missing cell is a plain number: values are then
 * numbers; otherwise the cells' text. A missing cell (or a field absent from a short row) is ''.
 * @throws CsvError for an unknown column name (listing the available ones).
 * @complexity O(rows)
 */
export function labelColumn(table: CsvTable, name: string): { values: (string | number)[]; numeric: boolean } {
  const c = columnIndex(table, name);
  const n = table.rows.length;
  const parsed = new Float64Array(n);
  const missing = new Uint8Array(n);
  let numeric = true;
  let anyNumber = false;
  for (let r = 0; r < n; r++) {
    const row = table.rows[r];
    const cell = c < row.length ? row[c] : '';
    if (isMissing(cell)) {
      missing[r] = 1;
      continue;
    }
    if (!numeric) continue;
    const x = parseNumber(cell);
    if (x !== x) numeric = false;
    else {
      parsed[r] = x;
      anyNumber = true;
    }
  }
  numeric = numeric && anyNumber;
  const values: (string | number)[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row = table.rows[r];
    values[r] = missing[r] ? '' : numeric ? parsed[r] : row[c];
  }
  return { values, numeric };
}
