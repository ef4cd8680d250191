/**
 * What the cluster panel shows for one fit: the plot sample, sizes, centres, metrics and
 * label comparison. Built by the worker (see src/worker/view.ts), drawn by the webview.
 * Pure data: typed arrays for the plot, plain arrays and numbers elsewhere.
 */
import type { MetricsReport } from '../pipeline/types';
import type { KnownView } from './known';
import type { ColumnRoleInfo, ScalingInfo } from './roles';

/**
 * The principal axes a fit's chart was drawn on, kept with its model so rows predicted with
 * the model are drawn on the same axes: a point is ((x - mean) . axes[0], (x - mean) . axes[1])
 * for a row x in the fit space (unit-length rows for cosine models).
 */
export interface ProjectionBasis {
  /** Mean of the rows the axes were found on, one number per feature. */
  mean: number[];
  /** Two unit vectors, one number per feature each, the largest loading of each positive. */
  axes: [number[], number[]];
}
import { formatCount, formatNumber } from './format';

/** The rows drawn in the scatter plot: a seeded, cluster-stratified sample on big files. */
export interface PlotData {
  /** x, y of each plotted row (2 per point). */
  points: Float32Array;
  /** 0-based data row of each point (the header is not a row). */
  rows: Int32Array;
  /** 0-based file line where each point's row starts (for "line N" in the hover). */
  lines: Int32Array;
  /** Cluster of each point. */
  labels: Int32Array;
  /** x, y of each centre (2 per cluster). */
  centers: Float32Array;
  /** Original values of the plotted rows for the hover, `valueNames.length` per point (Float64: any finite value). */
  values: Float64Array;
  valueNames: string[];
  /** Features of each row left out of the hover (beyond the first `valueNames.length`); absent means 0. */
  valuesNotShown?: number;
  axisNames: [string, string];
  /** Share of the variance the two principal components explain; null for a column view. */
  explained: number | null;
  /** Rows that have a cluster (the sample is drawn from these). */
  total: number;
  /** Names of the centres (the medoids' ids), drawn next to them instead of C0, C1, … */
  centerNames?: string[];
  /** Name of each point (the item's id), for the hover. */
  pointNames?: string[];
  /** x, y of each known starting centre (2 per centre of the centres file), for runs from known centres. */
  startCenters?: Float32Array;
  /** HDBSCAN's membership strength of each point in [0, 1] (0 for noise), for the hover. */
  probabilities?: Float32Array;
  /** True for a density result: points labelled -1 are noise (drawn as grey crosses), not unassigned. */
  noise?: boolean;
}

/**
 * What a DBSCAN or HDBSCAN result adds to its view: the method and its parameters, and the
 * noise rows (their points carry the label -1, as scikit-learn's labels_ do).
 */
export interface DensityInfo {
  method: 'dbscan' | 'hdbscan';
  /** DBSCAN's eps (null for HDBSCAN). */
  eps: number | null;
  minSamples: number;
  /** HDBSCAN's min_cluster_size (null for DBSCAN). */
  minClusterSize: number | null;
  nClusters: number;
  nNoise: number;
}

/**
 * The hover's lines of values for plotted point `i`: `name: value` for each feature sent,
 * then "… and 290 more features" when some were left out, so none goes missing silently.
 */
export function hoverValueLines(plot: Pick<PlotData, 'valueNames' | 'values' | 'valuesNotShown'>, i: number): string[] {
  const m = plot.valueNames.length;
  const lines: string[] = [];
  for (let t = 0; t < m; t++) lines.push(`${plot.valueNames[t]}: ${formatNumber(plot.values[i * m + t], 4)}`);
  const more = plot.valuesNotShown ?? 0;
  if (more > 0) lines.push(`… and ${formatCount(more)} more feature${more === 1 ? '' : 's'}`);
  return lines;
}

/** What the panel shows about a file of distances (a matrix or an edge list). */
export interface MedoidsView {
  kind: 'matrix' | 'edges';
  algorithm: 'k-medoids' | 'mds-kmeans';
  /** How the clusters were found, in words, e.g. "exact (exhaustive search over 45 sets)". */
  method: string;
  /** Per cluster: its medoid's id and its size; null for MDS, then k-means. */
  medoids: { id: string; size: number }[] | null;
  nItems: number;
  /** Classical MDS of the distances into the 2-D map. */
  mds: { explained: number; stress: number };
  /** Why "MDS, then k-means" is an approximation; null for k-medoids. */
  caveat: string | null;
  /** The similarity-to-distance rule used, or null when the numbers were distances. */
  conversion: string | null;
  /** Pairs filled with shortest paths (0 when none were missing). */
  missingPairs: number;
  settings: { algorithm: 'k-medoids' | 'mds-kmeans'; method: 'auto' | 'exact' | 'fasterpam' | 'pam';
    similarity: 'auto' | 'distance' | 'similarity'; missing: 'error' | 'shortest-path' };
}

/** One line of the metrics table. */
export interface MetricRow {
  /** Stable key, used as `data-metric` in the panel. */
  key: string;
  /** The metric in words, with its range and direction. */
  name: string;
  value: number | null;
  /** Why a value is missing, or how it was computed (e.g. on a sample). */
  note?: string;
}

/**
 * A feature that sets a cluster apart. Euclidean fits: `z`, how far the centre lies from the
 * overall mean, in standard deviations. Cosine fits (where only the direction of a row counts,
 * so a mean and spread of the raw columns say nothing about a unit-length centre): `ratio`, the
 * feature's mean in the cluster over its mean in all rows (2 = twice as much as overall).
 */
export type Distinction = { feature: string; z: number; ratio?: undefined } | { feature: string; ratio: number; z?: undefined };

export interface PanelView {
  fileName: string;
  /** e.g. "k-means (Lloyd), k=3, 4 features, 150 rows". */
  summary: string;
  k: number;
  featureNames: string[];
  /** Rows per cluster. */
  counts: number[];
  /**
   * Centres in the original units of the file, k rows in feature order. With the cosine metric
   * (centersAre 'means') the mean row of each cluster instead: its centre is a unit-length
   * direction, which no column's units describe.
   */
  centers: number[][];
  /** What `centers` holds; absent means 'centres'. */
  centersAre?: 'centres' | 'means';
  /** Per cluster, up to three distinguishing features, largest |z| (or ratio) first. */
  distinctions: Distinction[][];
  metrics: MetricRow[];
  /** Present when a label column was used. */
  labels?: {
    column: string;
    guessed: boolean;
    contingency: { rows: string[]; cols: string[]; matrix: number[][] } | null;
    /** Cluster -> class, with the accuracy after mapping. */
    mapping: { cluster: string; label: string }[];
    accuracy: number | null;
  };
  plot: PlotData;
  warnings: string[];
  nIter: number;
  inertiaSpace: string;
  elapsedMs: number;
  nDataRows: number;
  nDropped: number;
  /** Present for a file of distances clustered as such. */
  medoids?: MedoidsView;
  /** Present for a run from known starting centres. */
  known?: KnownView;
  /** Every column's role and why (what the panel lists before the chart); absent for files of distances. */
  roles?: ColumnRoleInfo[];
  /** How the features were scaled and why; absent for files of distances. */
  scaling?: ScalingInfo;
  /** k-means starts the result is the best of. */
  nInit?: number;
  /** Present for a DBSCAN or HDBSCAN result (then `centers` and `distinctions` are empty). */
  density?: DensityInfo;
}

/**
 * What the one-to-one accuracy means for this mapping. With more clusters than classes the
 * extra clusters get no class and all their rows count as errors (pessimistic); with fewer,
 * the classes left without a cluster count as errors (at most k classes can be right); with
 * as many, it is the pairing that agrees best with the classes, chosen after seeing them.
 */
export function mappedAccuracyNote(mapping: { unmatchedClusters: unknown[]; unmatchedLabels: unknown[] }): string {
  const clusters = mapping.unmatchedClusters.length;
  const classes = mapping.unmatchedLabels.length;
  if (clusters > 0) {
    return `pessimistic: ${clusters === 1 ? '1 cluster has no class of its own, so its rows count' : `${clusters} clusters have no class of their own, so their rows count`} as errors`;
  }
  if (classes > 0) {
    return `${classes === 1 ? '1 class gets no cluster, so its rows count' : `${classes} classes get no cluster, so their rows count`} as errors`;
  }
  return 'the one-to-one pairing of clusters and classes that agrees best, chosen after seeing the classes';
}

/** The metrics of a report as table rows, each named in words. Order: internal, then external. */
export function metricRows(inertia: number, m: MetricsReport): MetricRow[] {
  const rows: MetricRow[] = [
    { key: 'inertia', name: 'Inertia (sum of squared distances to the centres, lower is better)', value: inertia },
    {
      key: 'silhouette', name: 'Silhouette (−1 to 1, higher is better)', value: m.silhouette,
      note: m.silhouette === null ? 'undefined for this labelling (needs 2 to n−1 clusters)'
        : m.silhouetteSampleSize !== undefined ? `on a sample of ${m.silhouetteSampleSize} rows` : undefined,
    },
    {
      key: 'daviesBouldin', name: 'Davies–Bouldin (0 or more, lower is better)', value: m.daviesBouldin,
      note: m.daviesBouldin === null ? 'undefined for this labelling' : undefined,
    },
    {
      key: 'calinskiHarabasz', name: 'Calinski–Harabasz (0 or more, higher is better)', value: m.calinskiHarabasz,
      note: m.calinskiHarabasz === null ? 'undefined for this labelling' : undefined,
    },
  ];
  const external: [keyof MetricsReport, string][] = [
    ['adjustedRand', 'Adjusted Rand index (−0.5 to 1, 1 = same grouping as the labels)'],
    ['adjustedMutualInfo', 'Adjusted mutual information (1 = same grouping as the labels)'],
    ['normalizedMutualInfo', 'Normalized mutual information (0 to 1)'],
    ['homogeneity', 'Homogeneity (0 to 1: each cluster holds one class)'],
    ['completeness', 'Completeness (0 to 1: each class is in one cluster)'],
    ['vMeasure', 'V-measure (0 to 1, mean of homogeneity and completeness)'],
    ['fowlkesMallows', 'Fowlkes–Mallows (0 to 1, higher is better)'],
  ];
  for (const [key, name] of external) {
    const v = m[key];
    if (typeof v === 'number') rows.push({ key, name, value: v });
  }
  if (m.mapping) {
    rows.push({
      key: 'mappedAccuracy', name: 'Accuracy after mapping clusters to labels (0 to 1)', value: m.mapping.accuracy,
      note: mappedAccuracyNote(m.mapping),
    });
  }
  for (const row of rows) if (row.note === undefined) delete row.note;
  return rows;
}
