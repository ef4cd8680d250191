/**
 * The messages the extension host, the clustering worker and the webview panel exchange.
 *
 * Tags are namespaced strings: `job/*` between host and worker, `webview/*` from the panel
 * to the host, `panel/*` and `host/reply` from the host to the panel. A message that is a
 * request carries an `id` and gets exactly one reply, `{ ok: true, value }` or
 * `{ ok: false, error }` (see rpc.ts for the bookkeeping, including time-outs).
 *
 * Numbers travel as exactly sized typed arrays (labels as Int32Array, distances and centres
 * as Float64Array, plot points as Float32Array) so that the big ones can be transferred
 * rather than copied. Everything that arrives from the webview is untrusted: parse it with
 * {@link parseWebviewMessage} before use.
 *
 * Pure: no vscode, no Node, no DOM, so the host, the worker and the webview all import it.
 */
import type { FitReport } from '../pipeline/types';
import type { ColumnRoleInfo } from './roles';
import { isLabelsMessageType, parseLabelsMessage, type LabelsToHost, type LabelsToWebview } from './labels';
import type { PanelView, ProjectionBasis } from './view';
import { parseKnownSettings, type KnownSettings } from './known';
import {
  parseSweepRequest, parseWebviewSweepMessage, SWEEP_PANEL_TYPES, SWEEP_WEBVIEW_TYPES,
  type HostToWebviewSweep, type JobSweep, type JobSweepResult, type JobSweepRow, type WebviewToHostSweep,
} from './sweep';
import {
  DENSITY_PANEL_TYPES, DENSITY_WEBVIEW_TYPES, parseDensityRequest, parseWebviewDensityMessage,
  type HostToWebviewDensity, type JobDensity, type JobDensityResult, type WebviewToHostDensity,
} from './density';

/** Thrown by the guards below; the message names the field and the rule it breaks. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** For the `default` of an exhaustive switch: a compile error when a case is missing, a clear throw at run time. */
export function assertNever(value: never, what = 'message'): never {
  const tag = typeof value === 'object' && value !== null && 'type' in value ? String((value as { type: unknown }).type) : String(value);
  throw new ProtocolError(`unexpected ${what} "${tag}"`);
}

// ---------------------------------------------------------------------------------------------
// What a run is asked to do (the settings, the panel's form, remembered per file)
// ---------------------------------------------------------------------------------------------

export const SCALES = ['auto', 'none', 'standard', 'minmax'] as const;
export const INITS = ['k-means++', 'random'] as const;
export const ALGORITHMS = ['lloyd', 'elkan'] as const;
export const METRICS = ['euclidean', 'cosine'] as const;
export const MISSING = ['drop', 'mean'] as const;

/** Which column holds known classes: guessed (`auto`), none, or a named column. */
export type LabelChoice = { mode: 'auto' } | { mode: 'none' } | { mode: 'column'; name: string };
/** The 2-D view: principal components of the fit space, or two feature columns in original units. */
export type ViewChoice = { method: 'pca' } | { method: 'columns'; x: string; y: string };

/** Everything a "Cluster this CSV" run needs besides the file. JSON-friendly. */
export interface RunSettings {
  /** Number of clusters, 1..{@link MAX_K}. */
  k: number;
  scale: (typeof SCALES)[number];
  seed: number;
  init: (typeof INITS)[number];
  /** Restarts: 'auto' (scikit-learn >= 1.4 rule) or a whole number >= 1. */
  nInit: 'auto' | number;
  algorithm: (typeof ALGORITHMS)[number];
  metric: (typeof METRICS)[number];
  missing: (typeof MISSING)[number];
  label: LabelChoice;
  /** Feature columns by name; null = the columns the role rules choose (src/pipeline/roles.ts). */
  columns: string[] | null;
  view: ViewChoice;
  /** For files of distances (a matrix or an edge list); absent = the defaults. */
  distances?: DistanceSettings;
  /** Start from centres the user partly knows (see known.ts); takes the place of `init`. */
  known?: KnownSettings;
}

export const MEDOID_METHODS = ['auto', 'exact', 'fasterpam', 'pam'] as const;
export const SIMILARITY_CHOICES = ['auto', 'distance', 'similarity'] as const;
export const MISSING_PAIRS = ['error', 'shortest-path'] as const;
export const DISTANCE_ALGORITHMS = ['k-medoids', 'mds-kmeans'] as const;

/** How a file that holds distances (a square matrix or an edge list) is clustered. */
export interface DistanceSettings {
  /** k-medoids on the distances, or k-means on the 2-D classical MDS map (an approximation). */
  algorithm: (typeof DISTANCE_ALGORITHMS)[number];
  /** k-medoids search: 'auto' = exact when affordable, else FasterPAM. */
  method: (typeof MEDOID_METHODS)[number];
  /** 'auto': decided from the diagonal; when unsure the run stops with a question (JobError.choice). */
  similarity: (typeof SIMILARITY_CHOICES)[number];
  /** Pairs without a value: 'error' stops with a question, 'shortest-path' fills them. */
  missing: (typeof MISSING_PAIRS)[number];
}

export const DEFAULT_DISTANCE_SETTINGS: DistanceSettings = { algorithm: 'k-medoids', method: 'auto', similarity: 'auto', missing: 'error' };

/** What a distance file's run could not decide alone (see DistanceChoiceError in src/csv/distances.ts). */
export type DistanceChoice =
  | { kind: 'similarity'; suggested: 'distance' | 'similarity'; reason: string }
  | { kind: 'missing'; missingPairs: number; totalPairs: number; example: [string, string] };

export const MAX_K = 1000;
export const MAX_N_INIT = 1000;

/**
 * The settings of a first click, and of `centroid fit FILE --k K` with no other flag: column
 * roles and scaling decided from the file (src/pipeline/roles.ts, autoScale.ts), the best of
 * 10 k-means++ starts (scikit-learn 1.2.1's n_init=10).
 */
export const DEFAULT_SETTINGS: RunSettings = {
  k: 3,
  scale: 'auto',
  seed: 0,
  init: 'k-means++',
  nInit: 10,
  algorithm: 'lloyd',
  metric: 'euclidean',
  missing: 'drop',
  label: { mode: 'auto' },
  columns: null,
  view: { method: 'pca' },
};

// ---------------------------------------------------------------------------------------------
// Host <-> worker
// ---------------------------------------------------------------------------------------------

/** Start a fit of `file` (an absolute path: the worker reads it from disk itself). */
export interface JobStart {
  type: 'job/start';
  id: number;
  file: string;
  settings: RunSettings;
  /** Refuse files larger than this, before reading them. */
  maxBytes: number;
  /** At most this many rows are sent for the scatter plot. */
  maxPoints: number;
  /**
   * Four bytes the host sets to 1 (Atomics.store on an Int32Array view) to cancel. A flag in
   * shared memory is seen even while the worker is busy in a long synchronous fit, when a
   * `job/cancel` message could not be read until the fit ended.
   */
  cancelFlag: SharedArrayBuffer;
}

/** Ask the worker to stop job `id` (also sets the shared flag; the message is the fallback). */
export interface JobCancel {
  type: 'job/cancel';
  id: number;
}

export type HostToWorker = JobStart | JobCancel | JobSweep | JobDensity;

/** At most every ~100 ms while a job runs. `fraction` is null when unknown. */
export interface JobProgress {
  type: 'job/progress';
  id: number;
  fraction: number | null;
  message: string;
}

/** What kind of failure: the user's input, a cancel, or a defect. */
export type FailureKind = 'input' | 'cancelled' | 'internal';

export interface JobResult {
  type: 'job/result';
  id: number;
  ok: true;
  value: JobOutput;
}

export interface JobError {
  type: 'job/error';
  id: number;
  ok: false;
  /** One sentence for the user. */
  error: string;
  kind: FailureKind;
  /** Stack or other details for the output channel; never shown in a notification. */
  detail?: string;
  /** Present when the user can answer a question and run again (distance files). */
  choice?: DistanceChoice;
}

export type WorkerToHost = JobProgress | JobResult | JobError | JobSweepRow | JobSweepResult | JobDensityResult;

/** A fit report without its two per-row arrays, which travel as typed arrays next to it. */
export type ReportCore = Omit<FitReport, 'labels' | 'distances'>;

/** One column of the file, for the panel's form. */
export interface ColumnInfo {
  name: string;
  numeric: boolean;
  /** The column's role in the fit and why (roles.ts); absent before a fit. */
  role?: ColumnRoleInfo['role'];
  reason?: string;
}

/** Everything the worker sends back for a finished job. */
export interface JobOutput {
  report: ReportCore;
  /** Per data row: cluster index, or -1 for a dropped or unassigned row. */
  labels: Int32Array;
  /** Per data row: distance to its centre in the fit space, NaN for a dropped row. */
  distances: Float64Array;
  file: {
    bytes: number;
    delimiter: string;
    /** Fields per record (header length, or the first row's). */
    nColumns: number;
    hasHeader: boolean;
    /** 0-based line of the file where each data row starts. */
    rowLine: Int32Array;
    columns: ColumnInfo[];
  };
  /** What the editor needs to re-assign a row to the current centres without a refit. */
  model: {
    /** Index into the record of each feature, in centre order. */
    featureColumns: Int32Array;
    /** Scaling in use: x_fit = (x - offset) / scale, per feature. */
    offset: Float64Array;
    scale: Float64Array;
    /** Centres in the fit space, k x d row-major. */
    centers: Float64Array;
    metric: RunSettings['metric'];
    /** The principal axes of the fit's chart, in the fit space, for the model (absent when there are none). */
    projection?: ProjectionBasis;
  };
  /** The label column used, and whether it was guessed. */
  labelColumn: { name: string; guessed: boolean } | null;
  view: PanelView;
  timings: { readMs: number; parseMs: number; fitMs: number; totalMs: number };
  /** Present when the file held distances (a matrix or an edge list) and was clustered as such. */
  medoids?: MedoidsOutput;
  /** The saved model's file name when the rows were predicted with it (centres unchanged), not fitted. */
  predictedWith?: string;
}

/** The clusters of a distance file's items, for the annotations and the status bar. */
export interface MedoidsOutput {
  kind: 'matrix' | 'edges';
  /** Item ids, in the order of the distance matrix. */
  ids: string[];
  /** Per item: its cluster. */
  itemLabels: Int32Array;
  /** Per item: distance to its cluster's medoid (NaN without medoids). */
  itemDistances: Float64Array;
  /** Per cluster: the item that is its medoid (-1 for MDS, then k-means). */
  medoids: Int32Array;
  /** Per data row, 2 entries: a matrix row's item and -1, or an edge's source and target (-1: none). */
  rowItems: Int32Array;
  /** The settings the run used (the form shows them). */
  settings: DistanceSettings;
}

/** The buffers of a JobOutput, for the transfer list of postMessage. */
export function transferablesOf(output: JobOutput): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [
    output.labels, output.distances, output.file.rowLine,
    output.model.featureColumns, output.model.offset, output.model.scale, output.model.centers,
    ...(output.view.plot.startCenters ? [output.view.plot.startCenters] : []),
    output.view.plot.points, output.view.plot.rows, output.view.plot.lines, output.view.plot.labels, output.view.plot.centers, output.view.plot.values,
  ];
  const m = output.medoids;
  if (m) arrays.push(m.itemLabels, m.itemDistances, m.medoids, m.rowItems);
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) {
    // Only whole, unshared buffers can be transferred; a view on part of a buffer is copied instead.
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) seen.add(a.buffer);
  }
  return [...seen];
}

// ---------------------------------------------------------------------------------------------
// Host <-> webview
// ---------------------------------------------------------------------------------------------

/** The webview has loaded its script and listens. */
export interface WebviewReady {
  type: 'webview/ready';
}
/** Run again with these settings (the form). Request: the reply comes when the run ends. */
export interface WebviewRerun {
  type: 'webview/rerun';
  id: number;
  settings: RunSettings;
}
/** Cancel the running fit, if any. */
export interface WebviewCancel {
  type: 'webview/cancel';
}
/** Reveal and select data row `row` (0-based, header not counted) in the CSV editor. */
export interface WebviewRevealRow {
  type: 'webview/revealRow';
  row: number;
}
/** Save the chart: a `data:image/png;base64,...` URL. Request: the reply carries the saved path or null. */
export interface WebviewSavePng {
  type: 'webview/savePng';
  id: number;
  dataUrl: string;
}
/** Something failed inside the webview; the host logs it. */
export interface WebviewError {
  type: 'webview/error';
  message: string;
}

export type WebviewToHost = WebviewReady | WebviewRerun | WebviewCancel | WebviewRevealRow | WebviewSavePng | WebviewError | LabelsToHost | WebviewToHostSweep | WebviewToHostDensity;

/** Show this form (settings and the file's columns) before or between runs. */
export interface PanelSettings {
  type: 'panel/settings';
  settings: RunSettings;
  columns: ColumnInfo[];
  fileName: string;
  /** The file's URI (string form), kept by the webview so a reload can restore the panel. */
  file: string;
}
/** A run started or moved on; the last result stays visible meanwhile. */
export interface PanelRunning {
  type: 'panel/running';
  fraction: number | null;
  message: string;
}
/** A run finished: show it. `run` counts results shown in this panel, from 1. */
export interface PanelResult {
  type: 'panel/result';
  run: number;
  view: PanelView;
  settings: RunSettings;
}
/** A run failed (one sentence) or was cancelled. */
export interface PanelFailed {
  type: 'panel/failed';
  message: string;
  cancelled: boolean;
}
/** The one reply to a webview request. */
export type HostReply = { type: 'host/reply'; id: number } & Reply<unknown>;

export type HostToWebview = PanelSettings | PanelRunning | PanelResult | PanelFailed | HostReply | LabelsToWebview | HostToWebviewSweep | HostToWebviewDensity;

/** The outcome of a request. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------
// Guards
// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function field(o: Obj, name: string, where: string): unknown {
  if (!(name in o)) throw new ProtocolError(`${where}: "${name}" is missing`);
  return o[name];
}

function int(o: Obj, name: string, where: string, min: number, max: number): number {
  const v = field(o, name, where);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError(`${where}: ${name}=${show(v)} should be a whole number from ${min} to ${max}`);
  }
  return v;
}

function oneOf<T extends string>(o: Obj, name: string, where: string, allowed: readonly T[]): T {
  const v = field(o, name, where);
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ProtocolError(`${where}: ${name}=${show(v)} should be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function str(o: Obj, name: string, where: string, maxLength = 10000): string {
  const v = field(o, name, where);
  if (typeof v !== 'string' || v.length > maxLength) {
    throw new ProtocolError(`${where}: ${name} should be a string of at most ${maxLength} characters`);
  }
  return v;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

/**
 * Checks that `x` is a complete, valid {@link RunSettings}, and returns a fresh copy holding
 * only the known fields. Throws ProtocolError naming the first bad field and its rule.
 */
export function parseRunSettings(x: unknown, where = 'settings'): RunSettings {
  if (!isObj(x)) throw new ProtocolError(`${where} should be an object`);
  const k = int(x, 'k', where, 1, MAX_K);
  const seed = int(x, 'seed', where, -2147483648, 4294967295);
  const nInitRaw = field(x, 'nInit', where);
  const nInit = nInitRaw === 'auto' ? 'auto' : int(x, 'nInit', where, 1, MAX_N_INIT);
  const label = parseLabel(field(x, 'label', where), where);
  const columnsRaw = field(x, 'columns', where);
  let columns: string[] | null = null;
  if (columnsRaw !== null) {
    if (!Array.isArray(columnsRaw) || columnsRaw.length === 0 || columnsRaw.length > 100000
      || !columnsRaw.every((c) => typeof c === 'string' && c.length <= 10000)) {
      throw new ProtocolError(`${where}: columns should be null (the features the column rules choose) or a non-empty list of column names`);
    }
    columns = [...(columnsRaw as string[])];
  }
  const view = parseView(field(x, 'view', where), where);
  const distances = x.distances === undefined ? undefined : parseDistanceSettings(x.distances, where);
  const known = x.known === undefined ? undefined : parseKnownSettings(x.known, where);
  return {
    k,
    scale: oneOf(x, 'scale', where, SCALES),
    seed,
    init: oneOf(x, 'init', where, INITS),
    nInit,
    algorithm: oneOf(x, 'algorithm', where, ALGORITHMS),
    metric: oneOf(x, 'metric', where, METRICS),
    missing: oneOf(x, 'missing', where, MISSING),
    label,
    columns,
    view,
    ...(distances !== undefined ? { distances } : {}),
    ...(known !== undefined ? { known } : {}),
  };
}

function parseDistanceSettings(x: unknown, where: string): DistanceSettings {
  if (!isObj(x)) throw new ProtocolError(`${where}: distances should be an object`);
  const w = `${where}.distances`;
  return {
    algorithm: oneOf(x, 'algorithm', w, DISTANCE_ALGORITHMS),
    method: oneOf(x, 'method', w, MEDOID_METHODS),
    similarity: oneOf(x, 'similarity', w, SIMILARITY_CHOICES),
    missing: oneOf(x, 'missing', w, MISSING_PAIRS),
  };
}

function parseLabel(x: unknown, where: string): LabelChoice {
  if (!isObj(x)) throw new ProtocolError(`${where}: label should be an object`);
  const mode = oneOf(x, 'mode', `${where}.label`, ['auto', 'none', 'column'] as const);
  if (mode === 'column') return { mode, name: str(x, 'name', `${where}.label`) };
  return { mode };
}

function parseView(x: unknown, where: string): ViewChoice {
  if (!isObj(x)) throw new ProtocolError(`${where}: view should be an object`);
  const method = oneOf(x, 'method', `${where}.view`, ['pca', 'columns'] as const);
  if (method === 'columns') return { method, x: str(x, 'x', `${where}.view`), y: str(x, 'y', `${where}.view`) };
  return { method };
}

/** Largest PNG (as a data URL) the host accepts from the webview: 32 MB of text. */
export const MAX_PNG_DATA_URL = 32 * 1024 * 1024;

/**
 * Validates a message from the webview. Returns the typed message, or throws ProtocolError
 * saying what is wrong. Unknown tags are errors: the webview is untrusted input.
 */
export function parseWebviewMessage(x: unknown): WebviewToHost {
  if (!isObj(x)) throw new ProtocolError('a webview message should be an object');
  const type = field(x, 'type', 'webview message');
  const where = `message ${show(type)}`;
  switch (type) {
    case 'webview/ready':
    case 'webview/cancel':
      return { type };
    case 'webview/rerun':
      return { type, id: int(x, 'id', where, 0, Number.MAX_SAFE_INTEGER), settings: parseRunSettings(field(x, 'settings', where), `${where} settings`) };
    case 'webview/revealRow':
      return { type, row: int(x, 'row', where, 0, 2 ** 31 - 1) };
    case 'webview/savePng': {
      const dataUrl = str(x, 'dataUrl', where, MAX_PNG_DATA_URL);
      if (!dataUrl.startsWith('data:image/png;base64,')) throw new ProtocolError(`${where}: dataUrl should start with data:image/png;base64,`);
      return { type, id: int(x, 'id', where, 0, Number.MAX_SAFE_INTEGER), dataUrl };
    }
    case 'webview/error':
      return { type, message: str(x, 'message', where, 100000) };
    default:
      // Clusters and labels, export (src/protocol/labels.ts).
      if (isLabelsMessageType(type)) return parseLabelsMessage(x, MAX_PNG_DATA_URL);
      if ((SWEEP_WEBVIEW_TYPES as readonly unknown[]).includes(type)) return parseWebviewSweepMessage(x, type as WebviewToHostSweep['type']);
      if ((DENSITY_WEBVIEW_TYPES as readonly unknown[]).includes(type)) return parseWebviewDensityMessage(x, type as WebviewToHostDensity['type']);
      throw new ProtocolError(`unknown webview message type ${show(type)}`);
  }
}

/**
 * Checks the envelope of a message from the worker (the worker is our own code, so the
 * payload of a result is trusted; the tag and id are still checked so a stray message
 * cannot settle the wrong request).
 */
export function parseWorkerMessage(x: unknown): WorkerToHost {
  if (!isObj(x)) throw new ProtocolError('a worker message should be an object');
  const type = field(x, 'type', 'worker message');
  const where = `message ${show(type)}`;
  int(x, 'id', where, 0, Number.MAX_SAFE_INTEGER);
  switch (type) {
    case 'job/progress':
      str(x, 'message', where);
      if (x.fraction !== null && typeof x.fraction !== 'number') throw new ProtocolError(`${where}: fraction should be a number or null`);
      return x as unknown as JobProgress;
    case 'job/result':
      if (x.ok !== true || !isObj(x.value)) throw new ProtocolError(`${where}: should carry ok: true and a value`);
      return x as unknown as JobResult;
    case 'job/error':
      if (x.ok !== false) throw new ProtocolError(`${where}: should carry ok: false`);
      str(x, 'error', where, 100000);
      oneOf(x, 'kind', where, ['input', 'cancelled', 'internal'] as const);
      return x as unknown as JobError;
    case 'job/sweepRow':
      if (!isObj(x.row)) throw new ProtocolError(`${where}: should carry a row`);
      return x as unknown as JobSweepRow;
    case 'job/sweepResult':
      if (x.ok !== true || !isObj(x.value)) throw new ProtocolError(`${where}: should carry ok: true and a value`);
      return x as unknown as JobSweepResult;
    case 'job/densityResult':
      if (x.ok !== true || !isObj(x.value)) throw new ProtocolError(`${where}: should carry ok: true and a value`);
      return x as unknown as JobDensityResult;
    default:
      throw new ProtocolError(`unknown worker message type ${show(type)}`);
  }
}

/** Checks a message the worker receives from the host. */
export function parseHostToWorker(x: unknown): HostToWorker {
  if (!isObj(x)) throw new ProtocolError('a host message should be an object');
  const type = field(x, 'type', 'host message');
  const where = `message ${show(type)}`;
  const id = int(x, 'id', where, 0, Number.MAX_SAFE_INTEGER);
  switch (type) {
    case 'job/cancel':
      return { type, id };
    case 'job/start': {
      const flag = field(x, 'cancelFlag', where);
      if (!(flag instanceof SharedArrayBuffer) || flag.byteLength < 4) throw new ProtocolError(`${where}: cancelFlag should be a SharedArrayBuffer of 4 bytes`);
      return {
        type, id,
        file: str(x, 'file', where),
        settings: parseRunSettings(field(x, 'settings', where), `${where} settings`),
        maxBytes: int(x, 'maxBytes', where, 1, Number.MAX_SAFE_INTEGER),
        maxPoints: int(x, 'maxPoints', where, 1, 10_000_000),
        cancelFlag: flag,
      };
    }
    case 'job/sweep': {
      const flag = field(x, 'cancelFlag', where);
      if (!(flag instanceof SharedArrayBuffer) || flag.byteLength < 4) throw new ProtocolError(`${where}: cancelFlag should be a SharedArrayBuffer of 4 bytes`);
      return {
        type, id,
        file: str(x, 'file', where),
        settings: parseRunSettings(field(x, 'settings', where), `${where} settings`),
        sweep: parseSweepRequest(field(x, 'sweep', where), `${where} sweep`),
        maxBytes: int(x, 'maxBytes', where, 1, Number.MAX_SAFE_INTEGER),
        cancelFlag: flag,
      };
    }
    case 'job/density': {
      const flag = field(x, 'cancelFlag', where);
      if (!(flag instanceof SharedArrayBuffer) || flag.byteLength < 4) throw new ProtocolError(`${where}: cancelFlag should be a SharedArrayBuffer of 4 bytes`);
      return {
        type, id,
        file: str(x, 'file', where),
        settings: parseRunSettings(field(x, 'settings', where), `${where} settings`),
        request: parseDensityRequest(field(x, 'request', where), `${where} request`),
        maxBytes: int(x, 'maxBytes', where, 1, Number.MAX_SAFE_INTEGER),
        maxPoints: int(x, 'maxPoints', where, 1, 10_000_000),
        cancelFlag: flag,
      };
    }
    default:
      throw new ProtocolError(`unknown host message type ${show(type)}`);
  }
}

/**
 * Checks a message the webview receives from the host. The host is trusted, so this checks
 * the tag only; it protects the webview from messages meant for someone else.
 */
export function isHostToWebview(x: unknown): x is HostToWebview {
  if (!isObj(x) || typeof x.type !== 'string') return false;
  return x.type === 'panel/settings' || x.type === 'panel/running' || x.type === 'panel/result'
    || x.type === 'panel/failed' || x.type === 'host/reply' || x.type === 'panel/labelMap' || x.type === 'panel/chartRequest'
    || (SWEEP_PANEL_TYPES as readonly string[]).includes(x.type) || (DENSITY_PANEL_TYPES as readonly string[]).includes(x.type);
}
