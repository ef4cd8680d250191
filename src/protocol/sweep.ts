/**
 * The messages of "Choose k": the host asks the worker for a sweep over a range of k (crossed
 * with starting methods, metrics and seeds), the worker streams each scored row and then the
 * whole report, and the host forwards both to the panel, which can ask to fit one k.
 *
 * The report is the pipeline's own SweepReport (src/pipeline/sweep.ts), unchanged, so the
 * panel shows the numbers `centroid sweep` prints for the same file and options.
 *
 * Pure: no vscode, no Node, no DOM.
 */
import type { SweepReport, SweepRow } from '../pipeline/sweep';
import { INITS, MAX_K, METRICS, ProtocolError, type RunSettings } from './messages';

export type { SweepReport, SweepRow } from '../pipeline/sweep';

/** Most seeds per setting the panel offers (the pipeline allows 100). */
export const MAX_SWEEP_SEEDS = 100;

/** What to sweep: k from kMin to kMax (inclusive), crossed with each init and metric, nSeeds seeds each. */
export interface SweepRequest {
  kMin: number;
  kMax: number;
  inits: (typeof INITS)[number][];
  metrics: (typeof METRICS)[number][];
  nSeeds: number;
}

// ---------------------------------------------------------------------------------------------
// Host <-> worker
// ---------------------------------------------------------------------------------------------

/** Sweep `file` (absolute path) with the file's settings (all but k, init and metric apply). */
export interface JobSweep {
  type: 'job/sweep';
  id: number;
  file: string;
  settings: RunSettings;
  sweep: SweepRequest;
  maxBytes: number;
  /** As JobStart's: four shared bytes the host sets to 1 to cancel. */
  cancelFlag: SharedArrayBuffer;
}

/** One setting was scored: a partial result, sent as soon as it exists. */
export interface JobSweepRow {
  type: 'job/sweepRow';
  id: number;
  row: SweepRow;
  /** 0-based position in the grid, of `total` settings. */
  index: number;
  total: number;
}

/** What a finished sweep sends back. */
export interface SweepOutput {
  report: SweepReport;
  /** The class column left out of the features (and compared with each fit), if any. */
  labelColumn: { name: string; guessed: boolean } | null;
  /** Rows read (data rows, header excluded). */
  nRows: number;
  elapsedMs: number;
}

export interface JobSweepResult {
  type: 'job/sweepResult';
  id: number;
  ok: true;
  value: SweepOutput;
}

// ---------------------------------------------------------------------------------------------
// Host <-> webview
// ---------------------------------------------------------------------------------------------

/** A sweep started: clear the Choose k view and show its grid. */
export interface PanelSweepStart {
  type: 'panel/sweepStart';
  sweep: SweepRequest;
  fileName: string;
}
export interface PanelSweepProgress {
  type: 'panel/sweepProgress';
  fraction: number | null;
  message: string;
}
export interface PanelSweepRow {
  type: 'panel/sweepRow';
  row: SweepRow;
  index: number;
  total: number;
}
export interface PanelSweepResult {
  type: 'panel/sweepResult';
  output: SweepOutput;
}
export interface PanelSweepFailed {
  type: 'panel/sweepFailed';
  message: string;
  cancelled: boolean;
}

export type HostToWebviewSweep = PanelSweepStart | PanelSweepProgress | PanelSweepRow | PanelSweepResult | PanelSweepFailed;

export const SWEEP_PANEL_TYPES: readonly HostToWebviewSweep['type'][] = [
  'panel/sweepStart', 'panel/sweepProgress', 'panel/sweepRow', 'panel/sweepResult', 'panel/sweepFailed',
];

/** The panel's "Choose k…" button: run the command for the panel's file. */
export interface WebviewChooseK {
  type: 'webview/chooseK';
}
/** Stop the running sweep. */
export interface WebviewSweepCancel {
  type: 'webview/sweepCancel';
}
/** Fit this k (with the setting's init and metric) and show it in the cluster view. */
export interface WebviewFitK {
  type: 'webview/fitK';
  k: number;
  init: (typeof INITS)[number];
  metric: (typeof METRICS)[number];
}

export type WebviewToHostSweep = WebviewChooseK | WebviewSweepCancel | WebviewFitK;

// ---------------------------------------------------------------------------------------------
// Guards
// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function wholeNumber(o: Obj, name: string, where: string, min: number, max: number): number {
  const v = o[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError(`${where}: ${name}=${typeof v === 'number' ? v : typeof v} should be a whole number from ${min} to ${max}`);
  }
  return v;
}

function member<T extends string>(v: unknown, name: string, where: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ProtocolError(`${where}: ${name} should be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function nonEmptyList<T extends string>(v: unknown, name: string, where: string, allowed: readonly T[]): T[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > allowed.length) {
    throw new ProtocolError(`${where}: ${name} should be a non-empty list of ${allowed.join(', ')}`);
  }
  const out = v.map((x) => member(x, name, where, allowed));
  if (new Set(out).size !== out.length) throw new ProtocolError(`${where}: ${name} lists a value twice`);
  return out;
}

/** Checks a {@link SweepRequest} and returns a fresh copy; throws ProtocolError naming the bad field. */
export function parseSweepRequest(x: unknown, where = 'sweep'): SweepRequest {
  if (!isObj(x)) throw new ProtocolError(`${where} should be an object`);
  const kMin = wholeNumber(x, 'kMin', where, 1, MAX_K);
  const kMax = wholeNumber(x, 'kMax', where, kMin, MAX_K);
  return {
    kMin,
    kMax,
    inits: nonEmptyList(x.inits, 'inits', where, INITS),
    metrics: nonEmptyList(x.metrics, 'metrics', where, METRICS),
    nSeeds: wholeNumber(x, 'nSeeds', where, 1, MAX_SWEEP_SEEDS),
  };
}

/** Validates the sweep messages of the webview (the caller has read `type`). */
export function parseWebviewSweepMessage(x: Obj, type: WebviewToHostSweep['type']): WebviewToHostSweep {
  const where = `message "${type}"`;
  switch (type) {
    case 'webview/chooseK':
    case 'webview/sweepCancel':
      return { type };
    case 'webview/fitK':
      return {
        type,
        k: wholeNumber(x, 'k', where, 1, MAX_K),
        init: member(x.init, 'init', where, INITS),
        metric: member(x.metric, 'metric', where, METRICS),
      };
  }
}

export const SWEEP_WEBVIEW_TYPES: readonly WebviewToHostSweep['type'][] = ['webview/chooseK', 'webview/sweepCancel', 'webview/fitK'];
