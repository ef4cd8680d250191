/**
 * The feature rows a density method (DBSCAN, HDBSCAN, the k-distance curve) runs on: the
 * table's feature columns after missing values and scaling, checked for values whose squares
 * overflow a double. k-means has its own path in fit.ts (it also keeps the scaler to report
 * centres in original units).
 */
import type { CsvTable } from '../csv/read';
import { buildDataset, type Dataset } from '../csv/dataset';
import type { Matrix } from '../engine/matrix';
import { applyScaler, fitScaler } from '../engine/scale';
import { checkMagnitudes } from './magnitude';
import type { MissingPolicy, ScaleKind } from './types';

export interface FeatureOptions {
  columns?: string[];
  /** Excluded from the features (it holds known classes). */
  label?: string;
  scale?: ScaleKind;
  missing?: MissingPolicy;
}

export interface PreparedFeatures {
  dataset: Dataset;
  /** The rows to cluster: dataset.X, scaled when a scale was asked for. */
  X: Matrix;
  /** Dropped rows, scaling and magnitude findings, in that order. */
  warnings: string[];
}

/**
 * @throws CsvError for bad columns; EngineError for values whose squares overflow a double
 *   (magnitude.ts), naming the column, row and line.
 */
export function prepareFeatures(table: CsvTable, options: FeatureOptions): PreparedFeatures {
  const dataset = buildDataset(table, {
    columns: options.columns,
    exclude: options.label !== undefined ? [options.label] : [],
    missing: options.missing ?? 'drop',
  });
  const warnings = [...dataset.warnings];
  const { scaler, warnings: scaleWarnings } = fitScaler(dataset.X, options.scale ?? 'none', dataset.featureNames);
  warnings.push(...scaleWarnings);
  const X = scaler.kind === 'none' ? dataset.X : applyScaler(dataset.X, scaler);
  warnings.push(...checkMagnitudes(X, dataset.featureNames, { rowIndex: dataset.rowIndex, rowLine: table.rowLine }));
  return { dataset, X, warnings };
}
