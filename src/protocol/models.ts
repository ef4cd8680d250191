/**
 * Messages of the model commands: the host asks the worker to predict with a saved model or to
 * add rows to it (`model/job`; the worker answers with the usual `job/progress`, `job/result`
 * and `job/error`), and the "Add Rows" panel shows the three ways side by side and sends back
 * the one the user adopts. Pure: no vscode, no Node, no DOM.
 */
import type { AddRowsOutcome, AddWay, WayOutcome } from '../pipeline/modelRows';
import type { SavedModel } from '../pipeline/model';
import { ProtocolError, parseRunSettings, type RunSettings } from './messages';

/** Rows of `file` assigned to the model's centres, unchanged. The result is a JobOutput. */
export interface PredictRequest {
  kind: 'predict';
  file: string;
  model: SavedModel;
  /** The model file's name (or "the fit of data.csv"), shown as where the centres came from. */
  modelName: string;
  /** For the panel's form and its 2-D view. */
  settings: RunSettings;
}

/** New rows into a model, the ways asked (default all three). The result is an {@link AddRowsResult}. */
export interface AddRowsRequest {
  kind: 'addRows';
  model: SavedModel;
  modelName: string;
  /** Files and the first new data row of each (0: all rows are new; null: none, the model's own rows). */
  sources: { file: string; newFrom: number | null }[];
  nSeeds: number;
  seed?: number;
  ways?: AddWay[];
}

export type ModelRequest = PredictRequest | AddRowsRequest;

export interface ModelJob {
  type: 'model/job';
  id: number;
  request: ModelRequest;
  maxBytes: number;
  maxPoints: number;
  /** As JobStart.cancelFlag. */
  cancelFlag: SharedArrayBuffer;
}

/** What an add-rows job returns: the outcome and the number of data rows of each source. */
export interface AddRowsResult {
  outcome: AddRowsOutcome;
  dataRows: number[];
}

/** A way as the panel shows it (the candidate model stays in the host). */
export type WayView = Omit<WayOutcome, 'model'>;

export interface AddRowsView {
  fileName: string;
  modelName: string;
  nOld: number;
  nNew: number;
  inertiaBefore: number;
  newInertiaBefore: number;
  ways: WayView[];
  warnings: string[];
  /** The seeds tried by the 'seeds' way. */
  nSeeds: number;
}

// Host -> Add Rows panel
export interface ModelsShow { type: 'models/show'; run: number; view: AddRowsView }
export interface ModelsRunning { type: 'models/running'; fraction: number | null; message: string }
export interface ModelsFailed { type: 'models/failed'; message: string }
/** The user's choice was adopted (or `adopted` is null when adopting failed, with `message` saying why). */
export interface ModelsAdopted { type: 'models/adopted'; adopted: AddWay | null; message: string }
export type HostToModelsPanel = ModelsShow | ModelsRunning | ModelsFailed | ModelsAdopted;

// Add Rows panel -> host
export interface ModelsReady { type: 'models/ready' }
export interface ModelsAdopt { type: 'models/adopt'; run: number; way: AddWay }
export interface ModelsCancel { type: 'models/cancel' }
export type ModelsPanelToHost = ModelsReady | ModelsAdopt | ModelsCancel;

export const WAY_TITLES: Record<AddWay, string> = {
  online: 'Online update (mini-batch step on the new rows)',
  warm: 'Warm refit from the current centres (all rows)',
  seeds: 'Refit from several seeds, best kept (all rows)',
};

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Validates a message from the Add Rows panel (untrusted); throws ProtocolError naming what is wrong. */
export function parseModelsPanelMessage(x: unknown): ModelsPanelToHost {
  if (!isObj(x)) throw new ProtocolError('a panel message should be an object');
  switch (x.type) {
    case 'models/ready':
    case 'models/cancel':
      return { type: x.type };
    case 'models/adopt': {
      const run = x.run;
      if (typeof run !== 'number' || !Number.isInteger(run) || run < 1) throw new ProtocolError('models/adopt: run should be a whole number >= 1');
      if (x.way !== 'online' && x.way !== 'warm' && x.way !== 'seeds') throw new ProtocolError('models/adopt: way should be online, warm or seeds');
      return { type: 'models/adopt', run, way: x.way };
    }
    default:
      throw new ProtocolError(`unknown panel message type ${JSON.stringify(String(x.type)).slice(0, 60)}`);
  }
}

/** True for messages the Add Rows panel's script should handle. */
export function isHostToModelsPanel(x: unknown): x is HostToModelsPanel {
  return isObj(x) && ['models/show', 'models/running', 'models/failed', 'models/adopted'].includes(String(x.type));
}

/** True when a message to the worker is a model job (the worker then parses it with {@link parseModelJob}). */
export function isModelJobMessage(x: unknown): boolean {
  return isObj(x) && x.type === 'model/job';
}

/**
 * Checks the envelope of a model job (the host is our own code: the model inside was validated
 * when it was loaded). Throws ProtocolError naming the first bad field.
 */
export function parseModelJob(x: unknown): ModelJob {
  if (!isObj(x) || x.type !== 'model/job') throw new ProtocolError('a model job should be an object of type model/job');
  const id = x.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new ProtocolError('model/job: id should be a whole number >= 0');
  if (!(x.cancelFlag instanceof SharedArrayBuffer) || x.cancelFlag.byteLength < 4) throw new ProtocolError('model/job: cancelFlag should be a SharedArrayBuffer of 4 bytes');
  for (const key of ['maxBytes', 'maxPoints'] as const) {
    const v = x[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ProtocolError(`model/job: ${key} should be a whole number >= 1`);
  }
  const r = x.request;
  if (!isObj(r) || !isObj(r.model) || typeof r.modelName !== 'string') throw new ProtocolError('model/job: request should carry a model and its name');
  if (r.kind === 'predict') {
    if (typeof r.file !== 'string') throw new ProtocolError('model/job: predict needs a file');
    parseRunSettings(r.settings, 'model/job settings');
  } else if (r.kind === 'addRows') {
    const ok = Array.isArray(r.sources) && r.sources.length > 0 && r.sources.every((s) => isObj(s) && typeof s.file === 'string'
      && (s.newFrom === null || (typeof s.newFrom === 'number' && Number.isInteger(s.newFrom) && s.newFrom >= 0)));
    if (!ok) throw new ProtocolError('model/job: addRows needs sources of {file, newFrom}');
    if (typeof r.nSeeds !== 'number') throw new ProtocolError('model/job: addRows needs nSeeds');
  } else {
    throw new ProtocolError('model/job: request.kind should be predict or addRows');
  }
  return x as unknown as ModelJob;
}
