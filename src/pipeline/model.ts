/**
 * Saved models (`*.centroid.json`) and what can be done with one: predict rows of any
 * CSV that has the model's feature columns, and update the centres online with new rows
 * (one MiniBatchKMeans.partial_fit step, counts carried in the model).
 *
 * Schema, version 1 (every field is written; readers check `format` and `version`):
 * ```
 * { format: "centroid-model", version: 1, engineVersion, createdAt,
 *   featureNames: string[], metric: "euclidean" | "cosine",
 *   scaler: { kind: "none" | "standard" | "minmax", offset: number[], scale: number[] },
 *   clusterCenters: number[][]   // original units
 *   fitCenters: number[][]       // the space the fit ran in: (x - offset) / scale
 *   counts: number[]             // rows (weight) seen per cluster, for online updates
 *   params: { k, init, nInit, seed, algorithm, maxIter, tol, missing },
 *   data: { sha256, nRows, file } | null,
 *   inertia: number | null, labelColumn: string | null,
 *   mapping: { clusterToLabel } | null,
 *   projection: { mean: number[], axes: number[][] } | null }   // absent in older files: null
 * ```
 */
import type { CsvTable } from '../csv/read';
import { buildDataset } from '../csv/dataset';
import { EngineError, check } from '../engine/errors';
import { fromRows, toRows, type Matrix } from '../engine/matrix';
import { partialFitStep } from '../engine/minibatch';
import { applyScaler, unscaleCenters, type Scaler } from '../engine/scale';
import type { ProjectionBasis } from '../protocol/view';
import type { FitOutcome } from './fit';
import { checkMagnitudes } from './magnitude';
import type { MetricKind } from './types';
import { formatMegabytes } from '../protocol/format';
import { MAX_K } from '../protocol/messages';

export const MODEL_FORMAT = 'centroid-model';
export const MODEL_VERSION = 1;

/**
 * What a model may hold, the same for the command line and the extension. Predicting costs
 * rows x k x d, and a model's numbers are held several times over while it is parsed and
 * used, so a model file must not be able to ask for more than a fit could have made:
 * - `maxBytes`: 64 MB of JSON, refused before it is read (a model is a few KB per cluster);
 * - `maxK`: centres, as for fits (MAX_K);
 * - `maxFeatures`: feature columns;
 * - `maxNumbers`: k x d, the numbers in one matrix of centres.
 */
export const MODEL_LIMITS = {
  maxBytes: 64 * 1024 * 1024,
  maxK: MAX_K,
  maxFeatures: 100_000,
  maxNumbers: 10_000_000,
} as const;

/**
 * Below this a scale (a standard deviation or a range) would blow ordinary values up past
 * 1e154 once divided by it, where squares overflow a double: every row would fail to predict.
 */
export const MIN_MODEL_SCALE = 1e-154;

/** "<source> is 65 MB, too large for a Centroid model (at most 64 MB)". */
export function modelTooLargeMessage(source: string, bytes: number): string {
  return `${source} is ${formatMegabytes(bytes)}, too large for a Centroid model (at most ${formatMegabytes(MODEL_LIMITS.maxBytes)})`;
}

/**
 * Parses a model file's text (a UTF-8 byte order mark, as some editors save, is skipped) and
 * checks it with {@link parseModel}. The caller has refused a file over MODEL_LIMITS.maxBytes
 * before reading it (see modelTooLargeMessage).
 * @throws EngineError naming `source`: not JSON, or the first field that is wrong.
 */
export function parseModelText(text: string, source = 'the model'): SavedModel {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (e) {
    throw new EngineError(`${source} is not a Centroid model: it is not valid JSON (${(e as Error).message})`);
  }
  return parseModel(value, source);
}

export interface SavedModel {
  format: typeof MODEL_FORMAT;
  version: number;
  engineVersion: string;
  createdAt: string;
  featureNames: string[];
  metric: MetricKind;
  scaler: { kind: Scaler['kind']; offset: number[]; scale: number[] };
  clusterCenters: number[][];
  fitCenters: number[][];
  counts: number[];
  params: Record<string, unknown>;
  data: { sha256: string; nRows: number; file: string } | null;
  inertia: number | null;
  labelColumn: string | null;
  mapping: { clusterToLabel: Record<string, string | number> } | null;
  /**
   * The principal axes the fit's chart was drawn on (fit space), so charts of predictions are
   * oriented the same way; null when not known (files written before it was kept read as null).
   */
  projection?: ProjectionBasis | null;
}

/**
 * The model of a fit. `data` identifies the CSV it was fitted on (hash computed by the caller).
 * Only the report, scaler, fit-space centres and counts are read, so a fit rebuilt from a
 * worker's output will do.
 */
export function modelFromFit(
  outcome: Pick<FitOutcome, 'report' | 'scaler' | 'fitCenters' | 'counts'>, engineVersion: string, data: SavedModel['data'], createdAt = new Date().toISOString(),
): SavedModel {
  const r = outcome.report;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    engineVersion,
    createdAt,
    featureNames: r.featureNames,
    metric: r.options.metric,
    scaler: scalerToJson(outcome.scaler),
    clusterCenters: r.clusterCenters,
    fitCenters: toRows(outcome.fitCenters),
    counts: Array.from(outcome.counts),
    params: { ...r.options },
    data,
    inertia: r.inertia,
    labelColumn: r.options.label,
    mapping: r.metrics.mapping ? { clusterToLabel: r.metrics.mapping.clusterToLabel } : null,
    projection: null,
  };
}

/** A model made from given centres (CENTERS.csv) with zero counts, for a first partial fit. */
export function modelFromCenters(featureNames: string[], centers: number[][], engineVersion: string): SavedModel {
  const d = featureNames.length;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    engineVersion,
    createdAt: new Date().toISOString(),
    featureNames,
    metric: 'euclidean',
    scaler: { kind: 'none', offset: new Array(d).fill(0), scale: new Array(d).fill(1) },
    clusterCenters: centers,
    fitCenters: centers,
    counts: new Array(centers.length).fill(0),
    params: { k: centers.length, init: 'given centres' },
    data: null,
    inertia: null,
    labelColumn: null,
    mapping: null,
    projection: null,
  };
}

export function scalerToJson(s: Scaler): SavedModel['scaler'] {
  return { kind: s.kind, offset: Array.from(s.offset), scale: Array.from(s.scale) };
}

export function scalerFromJson(s: SavedModel['scaler']): Scaler {
  return { kind: s.kind, offset: Float64Array.from(s.offset), scale: Float64Array.from(s.scale) };
}

/**
 * Checks a parsed JSON value is a model this version can use and returns it typed.
 * Throws EngineError naming the first field that is wrong.
 */
export function parseModel(value: unknown, source = 'the model'): SavedModel {
  const fail = (what: string): never => {
    throw new EngineError(`${source} is not a Centroid model: ${what}`);
  };
  if (typeof value !== 'object' || value === null) fail('expected a JSON object');
  const m = value as Record<string, unknown>;
  if (m.format !== MODEL_FORMAT) fail(`"format" should be "${MODEL_FORMAT}"`);
  if (typeof m.version !== 'number' || !Number.isInteger(m.version) || m.version < 1 || m.version > MODEL_VERSION) {
    fail(`"version" ${JSON.stringify(m.version) ?? 'is missing and'} is not supported (this version of Centroid reads version ${MODEL_VERSION})`);
  }
  const names = m.featureNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    fail('"featureNames" should be a non-empty list of column names');
  }
  const d = (names as string[]).length;
  if (d > MODEL_LIMITS.maxFeatures) fail(`"featureNames" lists ${d} columns; a model may have at most ${MODEL_LIMITS.maxFeatures}`);
  // Shapes before contents: an oversized model is refused without walking its numbers.
  for (const field of ['fitCenters', 'clusterCenters']) {
    const rows = m[field];
    if (!Array.isArray(rows) || rows.length === 0) fail(`"${field}" should be rows of ${d} finite numbers`);
    const k = (rows as unknown[]).length;
    if (k > MODEL_LIMITS.maxK) fail(`"${field}" holds ${k} centres; a model may have at most ${MODEL_LIMITS.maxK}, as a fit`);
    if (k * d > MODEL_LIMITS.maxNumbers) {
      fail(`"${field}" holds ${k} centres of ${d} features, ${k * d} numbers; a model may hold at most ${MODEL_LIMITS.maxNumbers} per matrix`);
    }
  }
  const isMatrix = (x: unknown): x is number[][] =>
    Array.isArray(x) && x.every((r) => Array.isArray(r) && r.length === d && r.every(Number.isFinite));
  if (!isMatrix(m.fitCenters)) fail(`"fitCenters" should be rows of ${d} finite numbers`);
  if (!isMatrix(m.clusterCenters)) fail(`"clusterCenters" should be rows of ${d} finite numbers`);
  const k = (m.fitCenters as number[][]).length;
  if ((m.clusterCenters as number[][]).length !== k) {
    fail(`"clusterCenters" has ${(m.clusterCenters as number[][]).length} rows and "fitCenters" ${k}; they should be the same centres, one row each`);
  }
  const counts = m.counts;
  if (!Array.isArray(counts) || counts.length !== k || !counts.every((c) => Number.isFinite(c) && c >= 0)) {
    fail(`"counts" should be ${k} non-negative numbers`);
  }
  if (m.metric !== 'euclidean' && m.metric !== 'cosine') fail('"metric" should be "euclidean" or "cosine"');
  const s = m.scaler as Record<string, unknown> | undefined;
  const vec = (x: unknown): boolean => Array.isArray(x) && x.length === d && x.every(Number.isFinite);
  if (!s || !['none', 'standard', 'minmax'].includes(String(s.kind)) || !vec(s.offset) || !vec(s.scale)) {
    fail(`"scaler" should have kind none|standard|minmax and ${d} offsets and scales`);
  }
  const scale = s?.scale as number[];
  // A zero scale would divide by zero when predicting: every value would become NaN or Infinity.
  if (scale.some((x) => x === 0)) fail('"scaler" has a scale of 0; scales should be non-zero');
  // A tiny one would make every value of the CSV overflow once scaled: the model's fault, not the CSV's.
  const tiny = scale.findIndex((x) => Math.abs(x) < MIN_MODEL_SCALE);
  if (tiny >= 0) {
    fail(`"scaler" has a scale of ${scale[tiny]} for ${JSON.stringify((names as string[])[tiny])}; scales should be at least ${MIN_MODEL_SCALE} `
      + 'in size, or every value would overflow once scaled');
  }
  // Absent reads as none; anything but a name or null would fail later, far from the file.
  if (m.labelColumn === undefined) m.labelColumn = null;
  if (m.labelColumn !== null && typeof m.labelColumn !== 'string') fail('"labelColumn" should be a column name or null');
  const p = m.projection as Record<string, unknown> | null | undefined;
  if (p !== undefined && p !== null) {
    if (typeof p !== 'object' || !vec(p.mean) || !Array.isArray(p.axes) || p.axes.length !== 2 || !p.axes.every(vec)) {
      fail(`"projection" should be null or have ${d} numbers as "mean" and two "axes" of ${d} numbers`);
    }
  }
  return { ...m, projection: p ?? null } as unknown as SavedModel;
}

/**
 * Labels and distances of a table's rows under a model: null for rows with missing feature values.
 * @throws CsvError for missing feature columns; EngineError for values whose squares overflow a double (magnitude.ts).
 */
export function predictTable(table: CsvTable, model: SavedModel): {
  labels: (number | null)[]; distances: (number[] | null)[]; warnings: string[];
} {
  const dataset = buildDataset(table, { columns: model.featureNames, missing: 'drop' });
  const scaler = scalerFromJson(model.scaler);
  const X = scaler.kind === 'none' ? dataset.X : applyScaler(dataset.X, scaler);
  const centers = fromRows(model.fitCenters, model.featureNames.length);
  const magnitudeWarnings = checkMagnitudes(X, model.featureNames, { rowIndex: dataset.rowIndex, rowLine: table.rowLine }, centers);
  const labels = new Array<number | null>(dataset.nDataRows).fill(null);
  const distances = new Array<number[] | null>(dataset.nDataRows).fill(null);
  const all = model.metric === 'cosine' ? cosineDistances(X, centers) : euclideanDistances(X, centers);
  const k = centers.nRows;
  for (let i = 0; i < X.nRows; i++) {
    const row = Array.from(all.subarray(i * k, i * k + k));
    if (row.some((v) => Number.isNaN(v))) continue;
    let best = 0;
    for (let j = 1; j < k; j++) if (row[j] < row[best]) best = j;
    labels[dataset.rowIndex[i]] = best;
    distances[dataset.rowIndex[i]] = row;
  }
  const warnings = [...dataset.warnings, ...magnitudeWarnings];
  return { labels, distances, warnings };
}

/**
 * One online update of a model with all usable rows of `table` as a single batch
 * (MiniBatchKMeans.partial_fit without random reassignment). Returns the updated model
 * (a new object) and the batch's labels per data row under the updated centres.
 * @throws EngineError for a cosine model, no usable rows, or values whose squares overflow a double (magnitude.ts).
 */
export function partialFitTable(table: CsvTable, model: SavedModel): {
  model: SavedModel; labels: (number | null)[]; inertia: number; warnings: string[];
} {
  if (model.metric !== 'euclidean') {
    throw new EngineError('online updates work with Euclidean models; refit this cosine model with the new rows instead');
  }
  const dataset = buildDataset(table, { columns: model.featureNames, missing: 'drop' });
  check(dataset.X.nRows > 0, 'no usable rows to add');
  const scaler = scalerFromJson(model.scaler);
  const X = scaler.kind === 'none' ? dataset.X : applyScaler(dataset.X, scaler);
  const state = {
    centers: fromRows(model.fitCenters, model.featureNames.length),
    counts: Float64Array.from(model.counts),
  };
  const magnitudeWarnings = checkMagnitudes(X, model.featureNames, { rowIndex: dataset.rowIndex, rowLine: table.rowLine }, state.centers);
  const step = partialFitStep(state, X);
  const labels = new Array<number | null>(dataset.nDataRows).fill(null);
  for (let i = 0; i < X.nRows; i++) labels[dataset.rowIndex[i]] = step.labels[i];
  const warnings = [...dataset.warnings, ...magnitudeWarnings];
  const starved = Array.from(state.counts).flatMap((c, j) => (c === 0 ? [j] : []));
  if (starved.length > 0) warnings.push(`clusters ${starved.join(', ')} have received no rows yet and keep their starting centres`);
  const updated: SavedModel = {
    ...model,
    createdAt: new Date().toISOString(),
    fitCenters: toRows(state.centers),
    clusterCenters: toRows(unscaleCenters(state.centers, scaler)),
    counts: Array.from(state.counts),
  };
  return { model: updated, labels, inertia: step.inertia, warnings };
}

function euclideanDistances(X: Matrix, C: Matrix): Float64Array {
  const n = X.nRows;
  const k = C.nRows;
  const d = X.nCols;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = X.data[i * d + t] - C.data[j * d + t];
        s += diff * diff;
      }
      out[i * k + j] = Math.sqrt(s);
    }
  }
  return out;
}

/** 1 - cos for every row and centre; NaN for an all-zero row (it has no direction). */
function cosineDistances(X: Matrix, C: Matrix): Float64Array {
  const n = X.nRows;
  const k = C.nRows;
  const d = X.nCols;
  const out = new Float64Array(n * k);
  const cn = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += C.data[j * d + t] ** 2;
    cn[j] = Math.sqrt(s);
  }
  for (let i = 0; i < n; i++) {
    let xn = 0;
    for (let t = 0; t < d; t++) xn += X.data[i * d + t] ** 2;
    xn = Math.sqrt(xn);
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += X.data[i * d + t] * C.data[j * d + t];
      out[i * k + j] = xn === 0 || cn[j] === 0 ? NaN : 1 - dot / (xn * cn[j]);
    }
  }
  return out;
}
