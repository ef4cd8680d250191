/** DBSCAN over a table's feature columns, reported per data row (null for dropped rows). */
import type { CsvTable } from '../csv/read';
import { dbscan } from '../engine/dbscan';
import type { RunControl } from '../engine/errors';
import { prepareFeatures, type PreparedFeatures } from './features';
import type { MetricKind, MissingPolicy, ScaleKind } from './types';

export interface DbscanOptions {
  eps: number;
  minSamples: number;
  columns?: string[];
  label?: string;
  metric?: MetricKind;
  scale?: ScaleKind | 'auto';
  roles?: 'auto' | 'numeric';
  missing?: MissingPolicy;
}

export interface DbscanReport {
  labels: (number | null)[];
  coreSampleIndices: number[];
  nClusters: number;
  nNoise: number;
  featureNames: string[];
  warnings: string[];
}

/**
 * DBSCAN on the table's feature columns (after missing values and scaling).
 * @throws CsvError/EngineError for bad columns or options, and for values whose squares
 *   overflow a double (see magnitude.ts).
 */
export function dbscanTable(table: CsvTable, options: DbscanOptions, control?: RunControl): DbscanReport {
  return dbscanPrepared(prepareFeatures(table, options), options, control);
}

/**
 * As dbscanTable, on features already prepared with the same options (the worker keeps them
 * for the 2-D view of the result). Leaves `prepared.warnings` as it was.
 */
export function dbscanPrepared(prepared: PreparedFeatures, options: DbscanOptions, control?: RunControl): DbscanReport {
  const { dataset, X } = prepared;
  const warnings = [...prepared.warnings];
  const result = dbscan(X, { eps: options.eps, minSamples: options.minSamples, metric: options.metric ?? 'euclidean' }, control);
  const labels = new Array<number | null>(dataset.nDataRows).fill(null);
  for (let i = 0; i < X.nRows; i++) labels[dataset.rowIndex[i]] = result.labels[i];
  if (result.nClusters === 0) warnings.push(`no cluster formed: every row is noise at eps=${options.eps}, minSamples=${options.minSamples}`);
  return {
    labels,
    coreSampleIndices: result.coreSampleIndices.map((i) => dataset.rowIndex[i]),
    nClusters: result.nClusters,
    nNoise: result.nNoise,
    featureNames: dataset.featureNames,
    warnings,
  };
}
