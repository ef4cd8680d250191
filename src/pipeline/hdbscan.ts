/** HDBSCAN over a table's feature columns, reported per data row (null for dropped rows). */
import type { CsvTable } from '../csv/read';
import type { RunControl } from '../engine/errors';
import { hdbscan } from '../engine/hdbscan';
import { prepareFeatures, type PreparedFeatures } from './features';
import { checkMinSamplesForRows, checkRowsForHdbscan } from './limits';
import type { MetricKind, MissingPolicy, ScaleKind } from './types';

export interface HdbscanTableOptions {
  /** Smallest cluster, default 5 (scikit-learn's default). */
  minClusterSize?: number;
  /** Core neighbourhood size (the row itself included), default minClusterSize. */
  minSamples?: number;
  columns?: string[];
  /** A class column: never a feature. */
  label?: string;
  metric?: MetricKind;
  scale?: ScaleKind | 'auto';
  roles?: 'auto' | 'numeric';
  missing?: MissingPolicy;
}

export interface HdbscanReport {
  /** Cluster of each data row (-1 noise, null when the row was dropped). */
  labels: (number | null)[];
  /** Membership strength of each data row in [0, 1] (0 for noise, null when dropped). */
  probabilities: (number | null)[];
  nClusters: number;
  nNoise: number;
  /** Excess-of-mass stability of each cluster, by label. */
  stability: number[];
  minClusterSize: number;
  minSamples: number;
  featureNames: string[];
  warnings: string[];
}

/**
 * HDBSCAN (see the engine's `hdbscan`) with the same feature selection, missing values and
 * scaling as `dbscanTable`.
 * @throws CsvError / EngineError with one sentence for unusable input, including values whose
 *   squares overflow a double (magnitude.ts), and bad options (hdbscan).
 */
export function hdbscanTable(table: CsvTable, options: HdbscanTableOptions = {}, control?: RunControl): HdbscanReport {
  return hdbscanPrepared(prepareFeatures(table, options), options, control);
}

/**
 * As hdbscanTable, on features already prepared with the same options (the worker keeps them
 * for the 2-D view of the result). Leaves `prepared.warnings` as it was.
 */
export function hdbscanPrepared(prepared: PreparedFeatures, options: HdbscanTableOptions = {}, control?: RunControl): HdbscanReport {
  const { dataset, X } = prepared;
  const warnings = [...prepared.warnings];
  const minClusterSize = options.minClusterSize ?? 5;
  const minSamples = options.minSamples ?? minClusterSize;
  checkRowsForHdbscan(X.nRows);
  checkMinSamplesForRows(minSamples, X.nRows, dataset.droppedRows.length, options.minSamples === undefined ? 'taken from min_cluster_size, as none was given' : undefined);
  const result = hdbscan(X, { minClusterSize, minSamples, metric: options.metric ?? 'euclidean' }, control);
  const labels = new Array<number | null>(dataset.nDataRows).fill(null);
  const probabilities = new Array<number | null>(dataset.nDataRows).fill(null);
  for (let i = 0; i < X.nRows; i++) {
    labels[dataset.rowIndex[i]] = result.labels[i];
    probabilities[dataset.rowIndex[i]] = result.probabilities[i];
  }
  if (result.nClusters === 0) {
    warnings.push(`no cluster formed: no level splits the rows into two groups of at least minClusterSize=${minClusterSize}, so every row is noise`);
  }
  return {
    labels,
    probabilities,
    nClusters: result.nClusters,
    nNoise: result.nNoise,
    stability: Array.from(result.stability),
    minClusterSize,
    minSamples,
    featureNames: dataset.featureNames,
    warnings,
  };
}
