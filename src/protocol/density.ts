/**
 * The messages of the panel's Density view: the k-distance curve that suggests DBSCAN's eps,
 * then DBSCAN (or HDBSCAN) with the eps and min_samples the user chose. The worker runs the
 * pipeline's kDistanceTable, dbscanTable and hdbscanTable, the same code as `centroid dbscan`.
 *
 * Pure: no vscode, no Node, no DOM.
 */
import { ProtocolError, type JobOutput, type RunSettings } from './messages';
import type { PanelView } from './view';

/** Largest min_samples / min_cluster_size the panel accepts. */
export const MAX_DENSITY_SAMPLES = 10000;
/** The k-distance curve sent to the panel has at most this many points (the knee always among them). */
export const MAX_CURVE_POINTS = 2000;

export type DensityRequest =
  | { mode: 'kdistance'; minSamples: number }
  | { mode: 'dbscan'; eps: number; minSamples: number }
  | { mode: 'hdbscan'; minClusterSize: number; minSamples: number };

export interface KDistanceOutput {
  mode: 'kdistance';
  minSamples: number;
  /** The sorted k-distance curve, decimated: x is the rank (0-based) among `nCurve` rows, y the distance. */
  x: number[];
  y: number[];
  nCurve: number;
  /** The distance at the knee (Kneedle), or null; and the one-sentence reason. */
  suggestedEps: number | null;
  kneeIndex: number | null;
  why: string;
  sampled: boolean;
  warnings: string[];
}

/** A row's label in ClustersOutput.labels when it is noise (scikit-learn's -1). */
export const NOISE_LABEL = -1;
/** A row's label in ClustersOutput.labels when it was not clustered (dropped for a missing value). */
export const DROPPED_LABEL = -2;

/** What the Density view shows of a DBSCAN or HDBSCAN run: its numbers, without the per-row arrays. */
export interface ClustersSummary {
  mode: 'dbscan' | 'hdbscan';
  /** The parameters used (eps only for DBSCAN, minClusterSize only for HDBSCAN). */
  eps: number | null;
  minSamples: number;
  minClusterSize: number | null;
  nClusters: number;
  nNoise: number;
  /** Rows in each cluster, by cluster index. */
  counts: number[];
  /** Rows that were clustered (usable rows). */
  nRows: number;
  warnings: string[];
}

/**
 * A DBSCAN or HDBSCAN result as the worker sends it: the summary, then what the editor
 * annotations, the export and the cluster view need (as a k-means JobOutput carries them).
 */
export interface ClustersOutput extends ClustersSummary {
  /** Per data row: cluster (>= 0), NOISE_LABEL or DROPPED_LABEL. */
  labels: Int32Array;
  /** Per data row: HDBSCAN's membership strength in [0, 1] (0 for noise, NaN when dropped); null for DBSCAN. */
  probabilities: Float64Array | null;
  file: JobOutput['file'];
  /** The cluster view: the 2-D sample coloured by cluster with noise marked, the legend's sizes and the metrics. */
  view: PanelView;
}

export type DensityOutput = KDistanceOutput | ClustersOutput;

/** The Density view's part of an output: the per-row arrays and the cluster view stay with the host. */
export function densitySummary(output: DensityOutput): KDistanceOutput | ClustersSummary {
  if (output.mode === 'kdistance') return output;
  const { labels: _labels, probabilities: _probabilities, file: _file, view: _view, ...summary } = output;
  return summary;
}

/** The whole, unshared buffers of a ClustersOutput, for the transfer list of postMessage. */
export function densityTransferables(output: DensityOutput): ArrayBuffer[] {
  if (output.mode === 'kdistance') return [];
  const p = output.view.plot;
  const arrays: ArrayBufferView[] = [output.labels, output.file.rowLine, p.points, p.rows, p.lines, p.labels, p.centers, p.values];
  if (output.probabilities) arrays.push(output.probabilities);
  if (p.probabilities) arrays.push(p.probabilities);
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) seen.add(a.buffer);
  }
  return [...seen];
}

export interface JobDensity {
  type: 'job/density';
  id: number;
  file: string;
  settings: RunSettings;
  request: DensityRequest;
  maxBytes: number;
  /** At most this many rows are sent for the scatter plot of a DBSCAN or HDBSCAN result. */
  maxPoints: number;
  cancelFlag: SharedArrayBuffer;
}

export interface JobDensityResult {
  type: 'job/densityResult';
  id: number;
  ok: true;
  value: DensityOutput;
}

/** Host to panel. */
export interface PanelDensityStart {
  type: 'panel/densityStart';
  request: DensityRequest;
  fileName: string;
}
export interface PanelDensityProgress {
  type: 'panel/densityProgress';
  fraction: number | null;
  message: string;
}
export interface PanelDensityResult {
  type: 'panel/densityResult';
  output: KDistanceOutput | ClustersSummary;
}
export interface PanelDensityFailed {
  type: 'panel/densityFailed';
  message: string;
  cancelled: boolean;
}
export type HostToWebviewDensity = PanelDensityStart | PanelDensityProgress | PanelDensityResult | PanelDensityFailed;
export const DENSITY_PANEL_TYPES: readonly HostToWebviewDensity['type'][] = [
  'panel/densityStart', 'panel/densityProgress', 'panel/densityResult', 'panel/densityFailed',
];

/** Panel to host: run this density step on the panel's file; or cancel it. */
export interface WebviewDensity {
  type: 'webview/density';
  request: DensityRequest;
}
export interface WebviewDensityCancel {
  type: 'webview/densityCancel';
}
export type WebviewToHostDensity = WebviewDensity | WebviewDensityCancel;
export const DENSITY_WEBVIEW_TYPES: readonly WebviewToHostDensity['type'][] = ['webview/density', 'webview/densityCancel'];

type Obj = Record<string, unknown>;

function count(o: Obj, name: string, where: string, min: number): number {
  const v = o[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_DENSITY_SAMPLES) {
    throw new ProtocolError(`${where}: ${name}=${typeof v === 'number' ? v : typeof v} should be a whole number from ${min} to ${MAX_DENSITY_SAMPLES}`);
  }
  return v;
}

/** Checks a {@link DensityRequest}; throws ProtocolError naming the bad field and its rule. */
export function parseDensityRequest(x: unknown, where = 'density request'): DensityRequest {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new ProtocolError(`${where} should be an object`);
  const o = x as Obj;
  switch (o.mode) {
    case 'kdistance':
      return { mode: 'kdistance', minSamples: count(o, 'minSamples', where, 1) };
    case 'dbscan': {
      const eps = o.eps;
      if (typeof eps !== 'number' || !Number.isFinite(eps) || eps <= 0) {
        throw new ProtocolError(`${where}: eps=${typeof eps === 'number' ? eps : typeof eps} should be a number > 0`);
      }
      return { mode: 'dbscan', eps, minSamples: count(o, 'minSamples', where, 1) };
    }
    case 'hdbscan':
      return { mode: 'hdbscan', minClusterSize: count(o, 'minClusterSize', where, 2), minSamples: count(o, 'minSamples', where, 1) };
    default:
      throw new ProtocolError(`${where}: mode should be one of kdistance, dbscan, hdbscan`);
  }
}

/** Validates the density messages of the webview (the caller has read `type`). */
export function parseWebviewDensityMessage(x: Obj, type: WebviewToHostDensity['type']): WebviewToHostDensity {
  if (type === 'webview/densityCancel') return { type };
  return { type, request: parseDensityRequest(x.request, `message "${type}" request`) };
}
