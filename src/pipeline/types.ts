/**
 * The shapes that the command line, the worker and the webview share: what a fit is
 * asked to do and what it reports. Plain JSON-friendly data (the CLI prints it as is),
 * apart from the typed arrays noted below.
 */
import type { Label } from '../engine/metrics/external';
import type { KnownCentresTable } from './knownCentres';
import type { ColumnRoleInfo, ScalingInfo } from '../protocol/roles';

export type ScaleKind = 'none' | 'standard' | 'minmax';
export type MetricKind = 'euclidean' | 'cosine';
export type MissingPolicy = 'drop' | 'mean';

/** What `centroid fit` and "Cluster this CSV" are asked to do. Defaults match the CLI contract. */
export interface FitOptions {
  k: number;
  /**
   * Feature columns by name; default: with `roles: 'auto'` the columns the role rules call
   * features (roles.ts), else every numeric column except `label`.
   */
  columns?: string[];
  /**
   * A column of known classes: never a feature; adds external metrics and the label mapping.
   * With `roles: 'auto'`: undefined lets the rules pick one, null means none.
   */
  label?: string | null;
  /**
   * 'auto' (the CLI's and the extension's default): row ids, class columns, constant columns,
   * dates and text are not features, and a class column becomes the label (see roles.ts).
   * 'numeric' (default here): every numeric column but `label` is a feature.
   */
  roles?: 'auto' | 'numeric';
  /**
   * 'k-means++' (default), 'random', or starting centres: k rows in feature order. A null
   * coordinate is not given: it is derived from the data (partially known centres).
   */
  init?: 'k-means++' | 'random' | (number | null)[][];
  /** With partially given centres: keep the given coordinates fixed while iterating. */
  freezeGiven?: boolean;
  /**
   * Starting centres by column name (see knownCentres.ts), lined up with the features once they
   * are known; takes the place of `init`. `dataName` names the data in messages.
   */
  known?: KnownCentresTable & { dataName?: string };
  /** 'auto' (default): 1 for k-means++ or explicit centres, 10 for random. */
  nInit?: number | 'auto';
  seed?: number;
  algorithm?: 'lloyd' | 'elkan';
  maxIter?: number;
  tol?: number;
  metric?: MetricKind;
  /** 'auto': standardise when the feature ranges differ widely (see autoScale.ts). */
  scale?: ScaleKind | 'auto';
  missing?: MissingPolicy;
  /** Rows above which the silhouette is computed on a stratified sample (default 20,000). */
  silhouetteSampleSize?: number;
}

export interface ContingencyReport {
  rows: Label[];
  cols: Label[];
  matrix: number[][];
}

export interface MappingReport {
  clusterToLabel: Record<string, Label>;
  accuracy: number;
  unmatchedClusters: Label[];
  unmatchedLabels: Label[];
}

/** Internal metrics (null where undefined for the labelling) and, with a label column, external ones. */
export interface MetricsReport {
  silhouette: number | null;
  /** Rows the silhouette was computed on when it was sampled; absent when exact on all rows. */
  silhouetteSampleSize?: number;
  daviesBouldin: number | null;
  calinskiHarabasz: number | null;
  adjustedRand?: number;
  adjustedMutualInfo?: number;
  normalizedMutualInfo?: number;
  homogeneity?: number;
  completeness?: number;
  vMeasure?: number;
  fowlkesMallows?: number;
  contingency?: ContingencyReport;
  mapping?: MappingReport;
}

/** Everything a fit reports. `labels[i]` belongs to data row i (null when the row was dropped). */
export interface FitReport {
  clusterCenters: number[][];
  labels: (number | null)[];
  inertia: number;
  nIter: number;
  warnings: string[];
  metrics: MetricsReport;
  /** Feature names, in the order of the centre coordinates. */
  featureNames: string[];
  /** Rows per cluster. */
  counts: number[];
  /** Distance from each data row to its centre (null when dropped), in the space the fit ran in. */
  distances: (number | null)[];
  /** Which space inertia and distances are in, in words. */
  inertiaSpace: string;
  options: Required<Pick<FitOptions, 'k' | 'seed' | 'metric' | 'missing' | 'algorithm' | 'maxIter' | 'tol'>> & {
    /** The scaling used ('auto' resolved). */
    scale: ScaleKind;
    nInit: number;
    init: string;
    label: string | null;
  };
  nDataRows: number;
  droppedRows: number[];
  /** How the features were scaled, and why; `offset`/`scale` per feature rebuild the clustered space. */
  scaling: ScalingInfo & { offset: number[]; scale: number[] };
  /** Every column's role and why (with `roles: 'auto'`). */
  roles?: ColumnRoleInfo[];
}
