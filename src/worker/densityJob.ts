/**
 * The panel's Density steps, as the worker runs them: read and parse the file as a fit does,
 * pick the same label column, then the pipeline's k-distance curve (to choose eps), DBSCAN or
 * HDBSCAN with the file's columns, metric, scaling and missing-value policy: the code behind
 * `centroid dbscan`. Node only (fs); no vscode.
 */
import { basename } from 'node:path';
import { detectDistanceInput } from '../csv/distances';
import { parseCsv, type CsvTable } from '../csv/read';
import { CancelledError, type RunControl } from '../engine/errors';
import { inspectTable } from '../csv/inspect';
import { dbscanPrepared } from '../pipeline/density';
import { prepareFeatures } from '../pipeline/features';
import { hdbscanPrepared } from '../pipeline/hdbscan';
import { kDistanceTable } from '../pipeline/kdistance';
import { formatBytes } from '../protocol/format';
import type { JobError } from '../protocol/messages';
import {
  DROPPED_LABEL, MAX_CURVE_POINTS, NOISE_LABEL, type ClustersOutput, type DensityOutput, type JobDensity, type KDistanceOutput,
} from '../protocol/density';
import { buildDensityView } from './densityView';
import { columnInfo, describeFailure, headerlessNames, InputError, PROGRESS_INTERVAL_MS, readFileChunked, resolveLabel, type Post } from './job';

/**
 * The options `centroid dbscan` builds from the same flags: the file's columns, label column,
 * metric, scaling and missing-value policy (and its seed for the k-distance sample).
 */
export function densityBase(job: Pick<JobDensity, 'settings'>, label: string | undefined): {
  columns?: string[]; label?: string; roles: 'auto'; metric: JobDensity['settings']['metric']; scale: JobDensity['settings']['scale']; missing: JobDensity['settings']['missing'];
} {
  const s = job.settings;
  return { columns: s.columns ?? undefined, label, roles: 'auto', metric: s.metric, scale: s.scale, missing: s.missing };
}

/** Runs one density step to completion; throws on failure (see describeDensityFailure). */
export function runDensityJob(job: JobDensity, post: Post, now: () => number = Date.now): DensityOutput {
  const t0 = now();
  const flag = new Int32Array(job.cancelFlag, 0, 1);
  const isCancelled = (): boolean => Atomics.load(flag, 0) !== 0;
  let last = -Infinity;
  const progress = (fraction: number, message: string, force = false): void => {
    const t = now();
    if (!force && t - last < PROGRESS_INTERVAL_MS) return;
    last = t;
    post({ type: 'job/progress', id: job.id, fraction, message });
  };
  const name = basename(job.file);
  progress(0, `Reading ${name}`, true);
  const { text, bytes, invalidUtf8 } = readFileChunked(job.file, job.maxBytes, (done, total) => {
    if (isCancelled()) throw new CancelledError();
    progress(0.1 * (total === 0 ? 1 : done / total), `Reading ${name}: ${formatBytes(done)} of ${formatBytes(total)}`);
  });
  const table = parseCsv(text, { header: 'auto' });
  if (invalidUtf8) table.warnings.push('the file is not valid UTF-8: unreadable bytes were replaced by U+FFFD');
  if (isCancelled()) throw new CancelledError();
  const request = job.request;
  refuseDistances(table, name, request.mode === 'kdistance' ? 'the k-distance curve' : request.mode === 'dbscan' ? 'DBSCAN' : 'HDBSCAN');
  const labelColumn = resolveLabel(job.settings, table, name);
  const base = densityBase({ settings: headerlessNames(job.settings, table) }, labelColumn?.name);
  const control: RunControl = { isCancelled, onProgress: (f, message) => progress(0.1 + 0.9 * f, message) };
  progress(0.1, request.mode === 'kdistance' ? `k-distances of ${name}` : `${request.mode === 'dbscan' ? 'DBSCAN' : 'HDBSCAN'} on ${name}`, true);

  if (request.mode === 'kdistance') {
    const r = kDistanceTable(table, { ...base, minSamples: request.minSamples, seed: job.settings.seed }, control);
    const curve = decimate(r.distances, r.kneeIndex);
    const out: KDistanceOutput = {
      mode: 'kdistance', minSamples: r.minSamples, x: curve.x, y: curve.y, nCurve: r.distances.length,
      suggestedEps: r.suggestedEps, kneeIndex: r.kneeIndex, why: r.why, sampled: r.sampled, warnings: r.warnings,
    };
    return out;
  }
  // The features are prepared once: the run clusters them and the view projects them.
  const prepared = prepareFeatures(table, base);
  const r = request.mode === 'dbscan'
    ? dbscanPrepared(prepared, { ...base, eps: request.eps, minSamples: request.minSamples }, control)
    : hdbscanPrepared(prepared, { ...base, minClusterSize: request.minClusterSize, minSamples: request.minSamples }, control);
  const n = r.labels.length;
  const labels = new Int32Array(n);
  const counts = new Array<number>(r.nClusters).fill(0);
  let nRows = 0;
  for (let i = 0; i < n; i++) {
    const l = r.labels[i];
    if (l === null) {
      labels[i] = DROPPED_LABEL;
      continue;
    }
    nRows++;
    labels[i] = l >= 0 ? l : NOISE_LABEL;
    if (l >= 0) counts[l]++;
  }
  const probabilities = 'probabilities' in r ? Float64Array.from(r.probabilities, (p) => (p === null ? NaN : p)) : null;
  // Per row of the feature matrix, as the engine labelled them (the view samples these).
  const { dataset, X } = prepared;
  const fitLabels = new Int32Array(X.nRows);
  const fitProbabilities = probabilities ? new Float64Array(X.nRows) : null;
  for (let i = 0; i < X.nRows; i++) {
    fitLabels[i] = labels[dataset.rowIndex[i]];
    if (fitProbabilities && probabilities) fitProbabilities[i] = probabilities[dataset.rowIndex[i]];
  }
  const minSamples = 'minSamples' in r ? r.minSamples : request.minSamples;
  const info = {
    method: request.mode,
    eps: request.mode === 'dbscan' ? request.eps : null,
    minSamples,
    minClusterSize: request.mode === 'hdbscan' ? request.minClusterSize : null,
    nClusters: r.nClusters,
    nNoise: r.nNoise,
  };
  progress(0.97, `Preparing the chart of ${name}`, true);
  const view = buildDensityView(
    { X, dataset, labels: fitLabels, probabilities: fitProbabilities, scale: prepared.scale, info, warnings: r.warnings },
    job.settings, name, job.maxPoints, table.rowLine, 0,
  );
  view.warnings.unshift(...table.warnings.filter((w) => !view.warnings.includes(w)));
  view.elapsedMs = now() - t0;
  const tableInfo = inspectTable(table);
  const out: ClustersOutput = {
    mode: request.mode,
    eps: info.eps,
    minSamples,
    minClusterSize: info.minClusterSize,
    nClusters: r.nClusters,
    nNoise: r.nNoise,
    counts,
    nRows,
    warnings: r.warnings,
    labels,
    probabilities,
    file: {
      bytes,
      delimiter: table.delimiter,
      nColumns: table.header?.length ?? tableInfo.nColumns,
      hasHeader: table.header !== null,
      rowLine: Int32Array.from(table.rowLine),
      columns: columnInfo(table, tableInfo.numericColumns),
    },
    view,
  };
  return out;
}

/**
 * The density steps work on feature columns: a file of distances (a square matrix, an edge
 * list) would be read as if its distances were coordinates, so it is refused.
 */
export function refuseDistances(table: CsvTable, name: string, what: string): void {
  const kind = detectDistanceInput(table.header, table.rows).kind;
  if (kind === 'none') return;
  throw new InputError(`${name} is a file of distances (${kind === 'matrix' ? 'a square matrix' : 'an edge list'}), and ${what} works on feature columns; use Cluster this CSV, which runs k-medoids on the distances`);
}

/** At most MAX_CURVE_POINTS evenly spaced points of a sorted curve, always with its ends and its knee. */
export function decimate(y: readonly number[], knee: number | null): { x: number[]; y: number[] } {
  const n = y.length;
  const keep = new Set<number>();
  if (n <= MAX_CURVE_POINTS) for (let i = 0; i < n; i++) keep.add(i);
  else {
    const step = (n - 1) / (MAX_CURVE_POINTS - 2);
    for (let t = 0; t < MAX_CURVE_POINTS - 1; t++) keep.add(Math.round(t * step));
    keep.add(n - 1);
    if (knee !== null) keep.add(knee);
  }
  const xs = [...keep].sort((a, b) => a - b);
  return { x: xs, y: xs.map((i) => y[i]) };
}

/** As describeFailure, with a cancel worded for the density step. */
export function describeDensityFailure(id: number, file: string, e: unknown): JobError {
  const out = describeFailure(id, file, e);
  if (out.kind === 'cancelled') out.error = `The density run on ${basename(file)} was cancelled`;
  return out;
}
