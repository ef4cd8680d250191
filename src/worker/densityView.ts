/**
 * The cluster view of a DBSCAN or HDBSCAN result, built in the worker next to the run, as
 * view.ts builds a k-means fit's: a bounded, cluster-stratified sample of the rows on the
 * principal components of the feature space the run used, coloured by cluster with the noise
 * rows kept as their own group (label -1), the sizes, and the internal metrics that apply.
 */
import type { Dataset } from '../csv/dataset';
import type { Matrix } from '../engine/matrix';
import { internalMetrics } from '../pipeline/metrics';
import { project2d } from '../pipeline/projection';
import { FIT_DEFAULTS } from '../pipeline/fit';
import { formatCount, formatNumber } from '../protocol/format';
import type { RunSettings } from '../protocol/messages';
import type { DensityInfo, MetricRow, PanelView } from '../protocol/view';
import { MAX_HOVER_VALUES, plotUnits } from './view';

export interface DensityViewInput {
  /** The rows the run clustered (scaled as it ran), and the dataset they came from. */
  X: Matrix;
  dataset: Dataset;
  /** Per row of X: cluster (>= 0) or -1 for noise. */
  labels: Int32Array;
  /** Per row of X: HDBSCAN's membership strength; null for DBSCAN. */
  probabilities: Float64Array | null;
  /** The scaling the run used, in words ('none' for none). */
  scale: string;
  info: DensityInfo;
  warnings: string[];
}

/**
 * Builds the panel's view of a density run.
 * @param maxPoints at most this many rows in the plot sample (every cluster and the noise keep some)
 * @param rowLine 0-based file line of each data row
 * Complexity O(n d) plus the projection's and the silhouette's (on at most 20,000 rows).
 */
export function buildDensityView(
  input: DensityViewInput, settings: RunSettings, fileName: string, maxPoints: number, rowLine: ArrayLike<number>, elapsedMs: number,
): PanelView {
  const { X, dataset, labels, probabilities, info } = input;
  const warnings = [...input.warnings];
  const names = dataset.featureNames;
  const nClusters = info.nClusters;
  const counts = new Array<number>(nClusters).fill(0);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) counts[labels[i]]++;

  const pair = plotUnits(X, { data: new Float64Array(0), nRows: 0, nCols: X.nCols });
  let projection = project2d(pair.X, pair.centers, { method: 'pca' }, maxPoints, settings.seed, names, labels);
  if (pair.exponent !== 0) {
    const axes = projection.axisNames.map((a) => (a === '' ? a : `${a} (×1e${pair.exponent})`)) as [string, string];
    projection = { ...projection, axisNames: axes };
    warnings.push(`values reach beyond what the chart can draw, so its axes are in units of 1e${pair.exponent}`);
  }
  const nPoints = projection.rows.length;
  const d = dataset.X.nCols;
  const nValues = Math.min(d, MAX_HOVER_VALUES);
  const rows = new Int32Array(nPoints);
  const lines = new Int32Array(nPoints);
  const pointLabels = new Int32Array(nPoints);
  const values = new Float64Array(nPoints * nValues);
  const strengths = probabilities ? new Float32Array(nPoints) : null;
  for (let p = 0; p < nPoints; p++) {
    const xRow = projection.rows[p];
    rows[p] = dataset.rowIndex[xRow];
    lines[p] = rows[p] < rowLine.length ? rowLine[rows[p]] : -1;
    pointLabels[p] = labels[xRow];
    if (strengths && probabilities) strengths[p] = probabilities[xRow];
    for (let t = 0; t < nValues; t++) values[p * nValues + t] = dataset.X.data[xRow * d + t];
  }

  const metrics = densityMetrics(X, labels, settings, info.nNoise, warnings);
  const method = info.method === 'dbscan'
    ? `DBSCAN (eps = ${formatNumber(info.eps, 4)}, min_samples = ${info.minSamples})`
    : `HDBSCAN (min_cluster_size = ${info.minClusterSize}, min_samples = ${info.minSamples})`;
  const used = X.nRows;
  const summary = `${method}, ${nClusters} cluster${nClusters === 1 ? '' : 's'}, ${formatCount(info.nNoise)} noise row${info.nNoise === 1 ? '' : 's'}, `
    + `${names.length} feature${names.length === 1 ? '' : 's'}, ${formatCount(used)} row${used === 1 ? '' : 's'}${input.scale === 'none' ? '' : `, ${input.scale} scaling`}`;
  return {
    fileName,
    summary,
    k: nClusters,
    featureNames: names,
    counts,
    centers: [],
    distinctions: [],
    metrics,
    plot: {
      points: projection.points,
      rows,
      lines,
      labels: pointLabels,
      centers: new Float32Array(0),
      values,
      valueNames: names.slice(0, nValues),
      axisNames: projection.axisNames,
      explained: projection.explained,
      total: used,
      noise: true,
      ...(strengths ? { probabilities: strengths } : {}),
    },
    warnings,
    nIter: 0,
    inertiaSpace: '',
    elapsedMs,
    nDataRows: dataset.nDataRows,
    nDropped: dataset.droppedRows.length,
    density: info,
  };
}

/**
 * The internal metrics that apply to a density result, on the clustered rows only: noise
 * (-1) is left out, as scikit-learn users compute them
 * (`silhouette_score(X[labels != -1], labels[labels != -1])`). Inertia does not apply (there
 * are no centres). The share of noise comes first.
 */
function densityMetrics(X: Matrix, labels: Int32Array, settings: RunSettings, nNoise: number, warnings: string[]): MetricRow[] {
  const m = internalMetrics(X, labels, settings.metric, FIT_DEFAULTS.silhouetteSampleSize, settings.seed, undefined, warnings);
  const clustered = X.nRows - nNoise;
  const on = `on the ${formatCount(clustered)} clustered rows, noise left out (as silhouette_score(X[labels != -1], labels[labels != -1]))`;
  const undef = 'undefined: needs 2 or more clusters among the clustered rows';
  return [
    { key: 'noiseShare', name: 'Noise rows (share of the rows clustered, 0 to 1)', value: X.nRows > 0 ? nNoise / X.nRows : null },
    {
      key: 'silhouette', name: 'Silhouette (−1 to 1, higher is better)', value: m.silhouette,
      note: m.silhouette === null ? undef : `${on}${m.silhouetteSampleSize !== undefined ? `, on a sample of ${m.silhouetteSampleSize} of them` : ''}`,
    },
    {
      key: 'daviesBouldin', name: 'Davies–Bouldin (0 or more, lower is better)', value: m.daviesBouldin,
      note: m.daviesBouldin === null ? undef : `on the ${formatCount(clustered)} clustered rows, noise left out`,
    },
    {
      key: 'calinskiHarabasz', name: 'Calinski–Harabasz (0 or more, higher is better)', value: m.calinskiHarabasz,
      note: m.calinskiHarabasz === null ? undef : `on the ${formatCount(clustered)} clustered rows, noise left out`,
    },
  ];
}
