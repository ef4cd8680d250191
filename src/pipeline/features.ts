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
import type { MetricKind, MissingPolicy, ScaleKind } from './types';
import { decideRoles, tableRoleColumns } from './roles';
import { decideScale } from './autoScale';

export interface FeatureOptions {
  columns?: string[];
  /** Excluded from the features (it holds known classes). */
  label?: string;
  /** 'auto': the features are the columns the role rules choose (roles.ts), as a k-means fit's. */
  roles?: 'auto' | 'numeric';
  /** 'auto': standardised when the ranges differ widely (autoScale.ts), as a k-means fit. */
  scale?: ScaleKind | 'auto';
  missing?: MissingPolicy;
  metric?: MetricKind;
}

export interface PreparedFeatures {
  dataset: Dataset;
  /** The rows to cluster: dataset.X, scaled when a scale was asked for. */
  X: Matrix;
  /** The scaling applied ('none' when the rows are as read). */
  scale: ScaleKind;
  /** Dropped rows, scaling and magnitude findings, in that order. */
  warnings: string[];
}

/**
 * @throws CsvError for bad columns; EngineError for values whose squares overflow a double
 *   (magnitude.ts), naming the column, row and line.
 */
export function prepareFeatures(table: CsvTable, options: FeatureOptions): PreparedFeatures {
  const roles = options.roles === 'auto'
    ? decideRoles(tableRoleColumns(table), { columns: options.columns, label: options.label ?? null })
    : undefined;
  const dataset = buildDataset(table, {
    columns: roles?.featureColumns ? undefined : roles ? roles.features : options.columns,
    columnIndices: roles?.featureColumns,
    exclude: options.label !== undefined ? [options.label] : [],
    missing: options.missing ?? 'drop',
  });
  const warnings = [...dataset.warnings];
  let scale: ScaleKind = 'none';
  if (options.scale === 'auto') {
    const decided = decideScale(dataset.X, dataset.featureNames, options.metric ?? 'euclidean');
    scale = decided.kind;
    if (scale !== 'none') warnings.push(`scaling: ${decided.reason}`);
  } else if (options.scale !== undefined) {
    scale = options.scale;
  }
  const { scaler, warnings: scaleWarnings } = fitScaler(dataset.X, scale, dataset.featureNames);
  warnings.push(...scaleWarnings);
  const X = scaler.kind === 'none' ? dataset.X : applyScaler(dataset.X, scaler);
  warnings.push(...checkMagnitudes(X, dataset.featureNames, { rowIndex: dataset.rowIndex, rowLine: table.rowLine }));
  return { dataset, X, scale: scaler.kind, warnings };
}
