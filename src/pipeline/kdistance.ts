/**
 * The k-distance curve of a table, for choosing DBSCAN's eps: the same feature selection,
 * missing-value policy and scaling as `dbscanTable`, so the suggested eps applies directly.
 */
import type { CsvTable } from '../csv/read';
import type { RunControl } from '../engine/errors';
import { K_DISTANCE_SAMPLE_SIZE, kDistances } from '../engine/kdistance';
import { prepareFeatures } from './features';
import { checkMinSamplesForRows } from './limits';
import type { MetricKind, MissingPolicy, ScaleKind } from './types';

/** DBSCAN's default minSamples in scikit-learn. */
export const DEFAULT_MIN_SAMPLES = 5;

export interface KDistanceTableOptions {
  /** Default 5 (scikit-learn's DBSCAN default); the row itself counts. */
  minSamples?: number;
  columns?: string[];
  /** A class column: never a feature. */
  label?: string;
  metric?: MetricKind;
  scale?: ScaleKind | 'auto';
  roles?: 'auto' | 'numeric';
  missing?: MissingPolicy;
  /** Rows above which a seeded sample of rows is used (default 2000). */
  sampleSize?: number;
  seed?: number;
}

/** The CLI's `dbscan --k-distance` report. */
export interface KDistanceReport {
  /** Ascending distances of the (sampled) rows to their minSamples-th nearest row, the row itself first. */
  distances: number[];
  /** The distance at the knee of the curve (Kneedle), or null when it has none. */
  suggestedEps: number | null;
  /** True when `distances` covers a seeded sample of rows (each still searched against all rows). */
  sampled: boolean;
  /** Index into `distances` of the knee, or null. */
  kneeIndex: number | null;
  /** Data row (0-based) of each entry of `distances`. */
  rows: number[];
  minSamples: number;
  metric: MetricKind;
  /** Rows in the fit after missing values. */
  nRows: number;
  /** One sentence on what the curve shows. */
  why: string;
  featureNames: string[];
  warnings: string[];
}

/**
 * The sorted k-distance curve of the table's feature rows and the eps at its knee. A row is a
 * core row of DBSCAN(eps, minSamples) exactly when its value is <= eps.
 * @throws CsvError / EngineError with one sentence for unusable input, including values whose
 *   squares overflow a double (magnitude.ts), and bad options (kDistances).
 */
export function kDistanceTable(table: CsvTable, options: KDistanceTableOptions = {}, control?: RunControl): KDistanceReport {
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  const metric = options.metric ?? 'euclidean';
  const { dataset, X, warnings } = prepareFeatures(table, options);
  checkMinSamplesForRows(minSamples, X.nRows, dataset.droppedRows.length, options.minSamples === undefined ? 'the default' : undefined);
  const sampleSize = options.sampleSize ?? K_DISTANCE_SAMPLE_SIZE;
  const r = kDistances(X, { minSamples, metric, sampleSize, seed: options.seed ?? 0 }, control);
  const n = X.nRows;
  const m = r.distances.length;
  const over = r.sampled ? `a seeded sample of ${m} of ${n} rows (each searched against all rows)` : `all ${n} rows`;
  let why: string;
  if (r.suggestedEps === null || r.kneeIndex === null) {
    why = `the distance to each row's ${ordinal(minSamples)} nearest row (itself included) has no clear knee over ${over}; pick eps by eye or try another minSamples`;
  } else {
    const share = (((r.kneeIndex + 1) / m) * 100).toFixed(0);
    why = `the distance to each row's ${ordinal(minSamples)} nearest row (itself included) turns up at ${formatEps(r.suggestedEps)} over ${over}: `
      + `at that eps about ${share}% of rows are core rows`;
  }
  return {
    distances: Array.from(r.distances),
    suggestedEps: r.suggestedEps,
    sampled: r.sampled,
    kneeIndex: r.kneeIndex,
    rows: Array.from(r.rows, (i) => dataset.rowIndex[i]),
    minSamples,
    metric,
    nRows: n,
    why,
    featureNames: dataset.featureNames,
    warnings,
  };
}

function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][k % 10] ?? 'th';
  return `${k}${suffix}`;
}

function formatEps(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
