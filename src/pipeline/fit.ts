/**
 * From a parsed CSV table to a complete fit report: feature selection, missing
 * values, scaling, k-means (Lloyd/Elkan) or spherical k-means, and the metrics.
 * Pure: no file system, no threads. The CLI and the worker both call this, so the
 * command line and the editor give the same numbers for the same file and options.
 */
import type { CsvTable } from '../csv/read';
import { buildDataset, labelColumn, type Dataset, type DatasetOptions } from '../csv/dataset';
import { buildNumericDataset, numericLabelColumn, type NumericTable } from '../csv/numericTable';
import { check, type RunControl } from '../engine/errors';
import { kmeansFit, type KMeansResult } from '../engine/kmeans';
import { sphericalKMeansFit } from '../engine/spherical';
import { partialInitCenters } from '../engine/partialInit';
import { alignKnownCentres } from './knownCentres';
import { fromRows, toRows, type Matrix } from '../engine/matrix';
import { applyScaler, fitScaler, unscaleCenters, type Scaler } from '../engine/scale';
import { checkKForDirections, checkKForRows } from './limits';
import { checkMagnitudes } from './magnitude';
import { computeMetrics, labelsForRows } from './metrics';
import type { FitOptions, FitReport, ScaleKind } from './types';
import { decideRoles, numericRoleColumns, tableRoleColumns, type RoleColumns } from './roles';
import { decideScale, scalingInfo } from './autoScale';
import { CsvError } from '../csv/read';

/** The defaults of the CLI contract, in one place. */
export const FIT_DEFAULTS = {
  seed: 0,
  metric: 'euclidean',
  scale: 'none',
  missing: 'drop',
  algorithm: 'lloyd',
  maxIter: 300,
  tol: 1e-4,
  silhouetteSampleSize: 20000,
} as const;

/** A fit report together with the pieces a saved model needs (not printed by the CLI). */
export interface FitOutcome {
  report: FitReport;
  dataset: Dataset;
  scaler: Scaler;
  /** The matrix the fit ran on (scaled; for cosine, not yet normalised). */
  fitX: Matrix;
  /** Centres in the space the fit ran in. */
  fitCenters: Matrix;
  /** Labels of the rows of `fitX` (-1 for a row that could not be assigned, e.g. an all-zero row under cosine). */
  fitLabels: Int32Array;
  /** Total weight per cluster, for online updates. */
  counts: Float64Array;
  /** With given starting centres: the centres the fit started from, in original units (given and derived coordinates). */
  startCenters?: number[][];
}

/** Resolves `nInit: 'auto'` as scikit-learn >= 1.4 does: 1 for k-means++ or given centres, 10 for random. */
export function resolveNInit(nInit: FitOptions['nInit'], init: FitOptions['init']): number {
  if (Array.isArray(init)) return 1;
  if (nInit === undefined || nInit === 'auto') return init === 'random' ? 10 : 1;
  check(Number.isInteger(nInit) && nInit >= 1, `nInit=${nInit} should be a whole number >= 1`);
  return nInit;
}

/**
 * Fits the table as `options` say and reports centres (original units), labels per
 * data row (null for dropped rows), inertia (in the space the fit ran in), metrics
 * and warnings. Throws CsvError/EngineError with one clear sentence for bad input,
 * including values whose squares overflow a double (see magnitude.ts).
 */
export function runFit(table: CsvTable, options: FitOptions, control?: RunControl): FitReport {
  return fitTable(table, options, control).report;
}

/** As runFit, and also hands back the matrices a saved model or a 2-D view needs. */
export function fitTable(table: CsvTable, options: FitOptions, control?: RunControl): FitOutcome {
  return fitSource({
    dataset: (o) => buildDataset(table, o),
    roleColumns: () => tableRoleColumns(table),
    rowLine: table.rowLine,
    truthOf: (name) => labelColumn(table, name).values,
  }, options, control);
}

/**
 * As fitTable for a plain numeric file read straight into a matrix (see numericTable.ts):
 * the same FitOutcome as fitTable gives for the same file parsed with parseCsv.
 */
export function fitNumeric(table: NumericTable, options: FitOptions, control?: RunControl): FitOutcome {
  return fitSource({
    dataset: (o) => buildNumericDataset(table, o),
    roleColumns: () => numericRoleColumns(table),
    rowLine: table.rowLine,
    truthOf: (name) => numericLabelColumn(table, name).values,
  }, options, control);
}

/** Where a fit's numbers come from: a parsed table or a numeric matrix. */
interface FitSource {
  dataset: (options: DatasetOptions) => Dataset;
  /** The cells as the column-role rules read them. */
  roleColumns: () => RoleColumns;
  /** 0-based file line of each data row. */
  rowLine: Int32Array;
  /** Values of a column of known classes per data row. */
  truthOf: (name: string) => (string | number)[];
}

function fitSource(source: FitSource, options: FitOptions, control?: RunControl): FitOutcome {
  const k = options.k;
  check(Number.isInteger(k) && k >= 1, `k=${k} should be a whole number >= 1`);
  const seed = options.seed ?? FIT_DEFAULTS.seed;
  const metric = options.metric ?? FIT_DEFAULTS.metric;
  const scaleSetting = options.scale ?? FIT_DEFAULTS.scale;
  const missing = options.missing ?? FIT_DEFAULTS.missing;
  const algorithm = options.algorithm ?? FIT_DEFAULTS.algorithm;
  const maxIter = options.maxIter ?? FIT_DEFAULTS.maxIter;
  const tol = options.tol ?? FIT_DEFAULTS.tol;
  const nInit = resolveNInit(options.nInit, options.known ? [] : options.init ?? 'k-means++');

  // Column roles (ids, classes, constants, dates and text left out) when asked for; else
  // every numeric column but the label is a feature.
  const roles = options.roles === 'auto'
    ? decideRoles(source.roleColumns(), { columns: options.columns, label: options.label })
    : undefined;
  const label = roles ? roles.label ?? undefined : options.label ?? undefined;
  if (roles && roles.features.length === 0) {
    throw new CsvError(`no column can be a feature: ${roles.columns.map((c) => `${c.name}: ${c.reason}`).join('; ')}; `
      + 'choose the feature columns yourself');
  }
  const dataset = source.dataset({
    columns: roles?.featureColumns ? undefined : roles ? roles.features : options.columns,
    columnIndices: roles?.featureColumns,
    exclude: label !== undefined ? [label] : [],
    missing,
  });
  // Known centres name their columns: line them up with this run's features.
  const init = options.known ? alignKnownCentres(options.known, dataset.featureNames, k, options.known.dataName)
    : options.init ?? 'k-means++';
  const warnings = [...dataset.warnings];
  const n = dataset.X.nRows;
  checkKForRows(k, n, dataset.droppedRows.length);

  // 'auto' decides from the features' ranges (autoScale.ts); the reason goes into the report.
  let scale: ScaleKind;
  let scaleReason: string | null = null;
  if (scaleSetting === 'auto') {
    const decided = decideScale(dataset.X, dataset.featureNames, metric);
    scale = decided.kind;
    scaleReason = decided.reason;
  } else {
    scale = scaleSetting;
  }
  const { scaler, warnings: scaleWarnings } = fitScaler(dataset.X, scale, dataset.featureNames);
  warnings.push(...scaleWarnings);
  const fitX = scale === 'none' ? dataset.X : applyScaler(dataset.X, scaler);

  let initMatrix: Matrix | 'k-means++' | 'random' = init === 'random' ? 'random' : 'k-means++';
  let frozen: Uint8Array | undefined;
  if (Array.isArray(init)) {
    // Spherical k-means renormalises every centre after each update, so no coordinate can stay put.
    const freeze = options.freezeGiven === true && metric !== 'cosine';
    const prepared = prepareInit(init, k, dataset, fitX, scaler, seed, freeze);
    initMatrix = prepared.centers;
    frozen = prepared.frozen;
    warnings.push(...prepared.warnings);
    if (options.freezeGiven === true && metric === 'cosine') {
      warnings.push('the given coordinates were only the start: with the cosine metric every centre is rescaled to length 1 '
        + 'after each update, so no coordinate can be kept fixed (use the euclidean metric to keep them)');
    }
  }
  // Values whose squares overflow are refused here, before any fit (policy in magnitude.ts).
  warnings.push(...checkMagnitudes(fitX, dataset.featureNames, { rowIndex: dataset.rowIndex, rowLine: source.rowLine },
    typeof initMatrix === 'string' ? undefined : initMatrix));

  let result: KMeansResult;
  let zeroRows: number[] = [];
  if (metric === 'cosine') {
    const zero = countZeroRows(fitX);
    checkKForDirections(k, n - zero, zero);
    const spherical = sphericalKMeansFit(fitX, { nClusters: k, init: initMatrix, nInit, maxIter, seed }, control);
    result = spherical;
    zeroRows = spherical.zeroRows;
  } else {
    result = kmeansFit(fitX, { nClusters: k, init: initMatrix, nInit, maxIter, tol, algorithm, seed, frozen }, control);
  }
  warnings.push(...result.warnings);
  if (zeroRows.length > 0 && !result.warnings.some((w) => /zero/i.test(w))) {
    warnings.push(`${zeroRows.length} all-zero rows have no direction and were left unassigned`);
  }

  const centersOriginal = unscaleCenters(result.clusterCenters, scaler);
  const labels = labelsForRows(dataset, result.labels);
  const distances = distancesForRows(dataset, fitX, result.clusterCenters, result.labels, metric);

  const metrics = computeMetrics(source.truthOf, {
    X: fitX,
    labels: result.labels,
    dataset,
    label,
    metric,
    sampleSize: options.silhouetteSampleSize ?? FIT_DEFAULTS.silhouetteSampleSize,
    seed,
  }, control);
  if (metrics.warnings.length > 0) warnings.push(...metrics.warnings);

  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < result.labels.length; i++) if (result.labels[i] >= 0) counts[result.labels[i]]++;

  const report: FitReport = {
    clusterCenters: toRows(centersOriginal),
    labels,
    inertia: result.inertia,
    nIter: result.nIter,
    warnings,
    metrics: metrics.report,
    featureNames: dataset.featureNames,
    counts,
    distances,
    inertiaSpace: inertiaSpace(metric, scale),
    options: {
      k, seed, metric, scale, missing, algorithm, maxIter, tol, nInit,
      init: Array.isArray(init) ? 'given centres' : init,
      label: label ?? null,
    },
    scaling: {
      ...scalingInfo(scale, scaleReason !== null, scaleReason ?? (scale === 'none' ? 'the values as they are (your choice)' : `${scale} scaling (your choice)`)),
      offset: Array.from(scaler.offset.length === dataset.X.nCols ? scaler.offset : new Float64Array(dataset.X.nCols)),
      scale: Array.from(scaler.scale.length === dataset.X.nCols ? scaler.scale : new Float64Array(dataset.X.nCols).fill(1)),
    },
    ...(roles ? { roles: roles.columns } : {}),
    nDataRows: dataset.nDataRows,
    droppedRows: dataset.droppedRows,
  };
  return {
    report, dataset, scaler, fitX,
    fitCenters: result.clusterCenters,
    fitLabels: result.labels,
    counts: result.counts,
    ...(typeof initMatrix === 'string' ? {} : { startCenters: toRows(unscaleCenters(initMatrix, scaler)) }),
  };
}

function inertiaSpace(metric: string, scale: string): string {
  const space = scale === 'none' ? 'the original units' : `${scale}-scaled units (centres are reported in the original units)`;
  return metric === 'cosine'
    ? `sum of (1 - cosine similarity) over rows, in ${space}`
    : `sum of squared Euclidean distances to the nearest centre, in ${space}`;
}

/**
 * Turns user-given starting centres (rows in feature order, null = not given) into a
 * full matrix in the fit space. Fully given centres are used as they are; with any gap
 * the free coordinates are derived from the data (see partialInitCenters).
 */
function prepareInit(
  init: (number | null)[][], k: number, dataset: Dataset, fitX: Matrix, scaler: Scaler, seed: number, freeze: boolean,
): { centers: Matrix; frozen?: Uint8Array; warnings: string[] } {
  const d = dataset.X.nCols;
  check(init.length === k, `the starting centres have ${init.length} rows, but k=${k}: give one row per cluster`);
  init.forEach((row, j) => check(row.length === d,
    `starting centre ${j} has ${row.length} values, but there are ${d} feature columns (${dataset.featureNames.join(', ')})`));
  const scaledRows = init.map((row) => row.map((v, c) => (v === null ? null : (v - scaler.offset[c]) / scaler.scale[c])));
  const complete = scaledRows.every((row) => row.every((v) => v !== null && Number.isFinite(v)));
  if (complete) {
    // Every coordinate given and kept: the centres stay where they are (only the labels follow).
    return { centers: fromRows(scaledRows as number[][], d), frozen: freeze ? new Uint8Array(k * d).fill(1) : undefined, warnings: [] };
  }
  const partial = partialInitCenters(fitX, scaledRows, seed);
  const given = scaledRows.reduce((s, row) => s + row.filter((v) => v !== null).length, 0);
  const warnings = [...partial.warnings,
    `${k * d - given} of ${k * d} starting coordinates were not given and were derived from the data`];
  return { centers: partial.centers, frozen: freeze ? partial.frozen : undefined, warnings };
}

/** Distance from each data row to its centre (Euclidean, or 1 - cos for cosine); null for unused rows. */
export function distancesForRows(
  dataset: Dataset, X: Matrix, centers: Matrix, labels: Int32Array, metric: 'euclidean' | 'cosine',
): (number | null)[] {
  const out = new Array<number | null>(dataset.nDataRows).fill(null);
  const d = X.nCols;
  const x = X.data;
  const c = centers.data;
  for (let i = 0; i < X.nRows; i++) {
    const j = labels[i];
    if (j < 0) continue;
    const xo = i * d;
    const co = j * d;
    let value: number;
    if (metric === 'cosine') {
      let dot = 0;
      let nx = 0;
      let nc = 0;
      for (let t = 0; t < d; t++) {
        dot += x[xo + t] * c[co + t];
        nx += x[xo + t] * x[xo + t];
        nc += c[co + t] * c[co + t];
      }
      value = nx === 0 || nc === 0 ? 1 : 1 - dot / Math.sqrt(nx * nc);
    } else {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[xo + t] - c[co + t];
        s += diff * diff;
      }
      value = Math.sqrt(s);
    }
    out[dataset.rowIndex[i]] = value;
  }
  return out;
}

/** Rows whose features are all 0 (no direction under the cosine metric; spherical k-means leaves them out). */
function countZeroRows(X: Matrix): number {
  const d = X.nCols;
  let zero = 0;
  for (let i = 0; i < X.nRows; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += X.data[i * d + t] * X.data[i * d + t];
    if (s === 0) zero++;
  }
  return zero;
}
