/**
 * From a table of strings to the numeric matrix a fit runs on: choose the feature
 * columns, drop or impute rows with missing values, and keep the map from each matrix
 * row back to its data row.
 */
import type { Matrix } from '../engine/matrix';
import { CsvError, type CsvTable } from './read';
import { columnKinds, columnName } from './inspect';
import { isMissing, parseNumber } from './numbers';

export interface Dataset {
  /** Rows used (after dropping), features in column order. */
  X: Matrix;
  featureNames: string[];
  featureColumns: number[];
  /** Data-row index (into table.rows) of each X row. */
  rowIndex: Int32Array;
  /** table.rows.length */
  nDataRows: number;
  /** Data rows dropped for missing or non-numeric feature values. */
  droppedRows: number[];
  /** Cells imputed with the column mean (missing: 'mean'). */
  imputed: number;
  warnings: string[];
}

export interface DatasetOptions {
  /** Feature columns by name; default: every numeric column not in `exclude`. */
  columns?: string[];
  /** Columns never used as features (label columns). */
  exclude?: string[];
  /** 'drop' (default): rows with a missing feature are left out; 'mean': the column mean is used. */
  missing?: 'drop' | 'mean';
}

/** The index of a named column; throws CsvError listing the available names. */
export function columnIndex(table: CsvTable, name: string): number {
  const header = table.header ?? [];
  let c = header.indexOf(name);
  if (c < 0 && table.header === null && /^\d+$/.test(name)) c = Number(name) - 1;
  if (c < 0) {
    const available = header.length > 0 ? header.map((h) => `"${h}"`).join(', ') : 'none (the file has no header)';
    throw new CsvError(`no column named "${name}"; the columns are ${available}`);
  }
  return c;
}

export function buildDataset(table: CsvTable, options: DatasetOptions = {}): Dataset {
  const missingPolicy = options.missing ?? 'drop';
  const exclude = new Set(options.exclude ?? []);
  let featureColumns: number[];
  if (options.columns !== undefined) {
    const unknown = options.columns.filter((n) => {
      try {
        columnIndex(table, n);
        return false;
      } catch {
        return true;
      }
    });
    if (unknown.length > 0) {
      const available = (table.header ?? []).map((h) => `"${h}"`).join(', ') || 'none (the file has no header)';
      throw new CsvError(`no column named ${unknown.map((n) => `"${n}"`).join(', ')}; the columns are ${available}`);
    }
    featureColumns = options.columns.map((n) => columnIndex(table, n));
  } else {
    const kinds = columnKinds(table);
    featureColumns = kinds.numeric.flatMap((isNum, c) => (isNum && !exclude.has(table.header?.[c] ?? '') ? [c] : []));
  }
  const featureNames = featureColumns.map((c) => table.header?.[c] ?? `column${c + 1}`);
  if (table.rows.length === 0) throw new CsvError('the file has no data rows');
  if (featureColumns.length === 0) {
    throw new CsvError('no numeric columns to cluster: every column holds text (choose columns that hold numbers)');
  }
  const d = featureColumns.length;
  const nDataRows = table.rows.length;
  const values = new Float64Array(nDataRows * d);
  const rowOk = new Uint8Array(nDataRows).fill(1);
  const nonNumeric: string[] = [];
  let nonNumericCount = 0;
  for (let r = 0; r < nDataRows; r++) {
    const row = table.rows[r];
    for (let j = 0; j < d; j++) {
      const c = featureColumns[j];
      const cell = c < row.length ? row[c] : '';
      let x = NaN;
      if (!isMissing(cell)) {
        x = parseNumber(cell);
        if (Number.isNaN(x)) {
          nonNumericCount++;
          if (nonNumeric.length < 5) nonNumeric.push(`row ${r} (line ${table.rowLine[r] + 1}), column ${columnName(table, c)}: "${truncate(cell)}"`);
        }
      }
      values[r * d + j] = x;
      if (Number.isNaN(x)) rowOk[r] = 0;
    }
  }
  const warnings: string[] = [];
  if (nonNumericCount > 0) {
    warnings.push(`${nonNumericCount} feature cells are not numbers and were treated as missing: ${nonNumeric.join('; ')}${nonNumericCount > 5 ? '; …' : ''}`);
  }
  const droppedRows: number[] = [];
  let imputed = 0;
  let keep: number[];
  if (missingPolicy === 'mean') {
    const sums = new Float64Array(d);
    const counts = new Float64Array(d);
    for (let r = 0; r < nDataRows; r++) {
      for (let j = 0; j < d; j++) {
        const x = values[r * d + j];
        if (!Number.isNaN(x)) {
          sums[j] += x;
          counts[j]++;
        }
      }
    }
    for (let j = 0; j < d; j++) {
      if (counts[j] === 0) throw new CsvError(`column ${columnName(table, featureColumns[j])} has no numbers to take a mean of`);
    }
    for (let r = 0; r < nDataRows; r++) {
      for (let j = 0; j < d; j++) {
        if (Number.isNaN(values[r * d + j])) {
          values[r * d + j] = sums[j] / counts[j];
          imputed++;
        }
      }
    }
    keep = Array.from({ length: nDataRows }, (_, r) => r);
    if (imputed > 0) warnings.push(`${imputed} missing values were replaced by their column's mean`);
  } else {
    keep = [];
    for (let r = 0; r < nDataRows; r++) (rowOk[r] ? keep : droppedRows).push(r);
    if (droppedRows.length > 0) {
      const shown = droppedRows.slice(0, 10).join(', ');
      warnings.push(`${droppedRows.length} of ${nDataRows} rows were dropped for missing values (rows ${shown}${droppedRows.length > 10 ? ', …' : ''})`);
    }
  }
  if (keep.length === 0) {
    throw new CsvError(`no rows left to cluster: every row misses a value in ${featureNames.map((n) => `"${n}"`).join(', ')} (try missing values "mean")`);
  }
  let X: Matrix;
  if (keep.length === nDataRows) {
    X = { data: values, nRows: nDataRows, nCols: d };
  } else {
    const data = new Float64Array(keep.length * d);
    for (let i = 0; i < keep.length; i++) data.set(values.subarray(keep[i] * d, keep[i] * d + d), i * d);
    X = { data, nRows: keep.length, nCols: d };
  }
  return { X, featureNames, featureColumns, rowIndex: Int32Array.from(keep), nDataRows, droppedRows, imputed, warnings };
}

/**
 * A column of known classes. Numeric when every non-missing cell is a number (values are
 * then numbers), else strings; a missing cell is ''.
 */
export function labelColumn(table: CsvTable, name: string): { values: (string | number)[]; numeric: boolean } {
  const c = columnIndex(table, name);
  const raw = table.rows.map((row) => (c < row.length ? row[c] : ''));
  const numeric = raw.every((cell) => isMissing(cell) || !Number.isNaN(parseNumber(cell)));
  const values = raw.map((cell) => (isMissing(cell) ? '' : numeric ? parseNumber(cell) : cell));
  return { values, numeric };
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
