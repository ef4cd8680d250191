/**
 * Model jobs, as the worker runs them: read the CSV(s) from disk, then predict with a saved
 * model (a JobOutput the panel and the annotations show like a fit) or take new rows into it
 * the three ways (src/pipeline/modelRows.ts). Node only (fs); no vscode.
 */
import { basename } from 'node:path';
import { parseCsv, type CsvTable } from '../csv/read';
import { inspectTable } from '../csv/inspect';
import { CancelledError, type RunControl } from '../engine/errors';
import { parseModel } from '../pipeline/model';
import { addRowsWays, predictOutcome, type RowSource } from '../pipeline/modelRows';
import type { ColumnInfo, JobOutput } from '../protocol/messages';
import type { AddRowsRequest, AddRowsResult, ModelJob, PredictRequest } from '../protocol/models';
import { readFileChunked, type Post, PROGRESS_INTERVAL_MS } from './job';
import { panelViewAndBasis } from './view';

/**
 * The summary of a prediction: which model (its name says whether it was updated since it was
 * saved) and that each row went to its nearest centre, then the fit-like summary.
 */
export function predictedSummary(modelName: string, summary: string): string {
  return `Predicted with ${modelName}, each row assigned to its nearest centre: ${summary}`;
}

/** Runs a model job to completion; throws on failure (the caller turns it into a JobError with describeFailure). */
export function runModelJob(job: ModelJob, post: Post, now: () => number = Date.now): JobOutput | AddRowsResult {
  const flag = new Int32Array(job.cancelFlag, 0, 1);
  const isCancelled = (): boolean => Atomics.load(flag, 0) !== 0;
  let last = -Infinity;
  const progress = (fraction: number | null, message: string, force = false): void => {
    const t = now();
    if (!force && t - last < PROGRESS_INTERVAL_MS) return;
    last = t;
    post({ type: 'job/progress', id: job.id, fraction, message });
  };
  const control: RunControl = { isCancelled, onProgress: (f, m) => progress(0.3 + 0.65 * f, m) };
  const read = (file: string): { table: CsvTable; bytes: number } => {
    const name = basename(file);
    progress(0, `Reading ${name}`, true);
    const { text, bytes, invalidUtf8 } = readFileChunked(file, job.maxBytes, () => {
      if (isCancelled()) throw new CancelledError();
    });
    const table = parseCsv(text, { header: 'auto' });
    if (invalidUtf8) table.warnings.push('the file is not valid UTF-8: unreadable bytes were replaced by U+FFFD');
    if (isCancelled()) throw new CancelledError();
    return { table, bytes };
  };
  // The model crossed a thread boundary: check it again, it costs nothing next to the fit.
  const model = parseModel(job.request.model, job.request.modelName);
  const request = { ...job.request, model };
  return request.kind === 'predict' ? predictJob(request, job, read, control, now) : addRowsJob(request, read, control);
}

function predictJob(
  request: PredictRequest, job: ModelJob, read: (file: string) => { table: CsvTable; bytes: number }, control: RunControl, now: () => number,
): JobOutput {
  const t0 = now();
  const name = basename(request.file);
  const { table, bytes } = read(request.file);
  const t1 = now();
  control.onProgress?.(0, `Assigning the rows of ${name} to ${request.model.fitCenters.length} centres`);
  const outcome = predictOutcome(table, request.model, name, control);
  const t2 = now();
  const labelColumn = outcome.report.options.label !== null ? { name: outcome.report.options.label, guessed: false } : null;
  // The model's own axes, when it has them: the chart of its predictions is oriented as the chart of its fit.
  const { view, basis } = panelViewAndBasis(outcome, request.settings, name, job.maxPoints, labelColumn, t2 - t0, table.rowLine, request.model.projection);
  view.summary = predictedSummary(request.modelName, view.summary);
  const { labels: rowLabels, distances: rowDistances, ...core } = outcome.report;
  const n = rowLabels.length;
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rowLabels[i] ?? -1;
    distances[i] = rowDistances[i] ?? NaN;
  }
  const info = inspectTable(table);
  const numeric = new Set(info.numericColumns);
  const width = table.header?.length ?? info.nColumns;
  const columns: ColumnInfo[] = [];
  for (let c = 0; c < width; c++) columns.push({ name: table.header?.[c] ?? `column${c + 1}`, numeric: numeric.has(c) });
  const { dataset, scaler, fitCenters } = outcome;
  const t3 = now();
  view.elapsedMs = t3 - t0;
  return {
    report: core,
    labels,
    distances,
    file: { bytes, delimiter: table.delimiter, nColumns: width, hasHeader: table.header !== null, rowLine: Int32Array.from(table.rowLine), columns },
    predictedWith: request.modelName,
    model: {
      featureColumns: Int32Array.from(dataset.featureColumns),
      offset: Float64Array.from(scaler.offset),
      scale: Float64Array.from(scaler.scale),
      centers: Float64Array.from(fitCenters.data),
      metric: request.model.metric,
      ...(basis ? { projection: basis } : {}),
    },
    labelColumn,
    view,
    timings: { readMs: t1 - t0, parseMs: 0, fitMs: t2 - t1, totalMs: t3 - t0 },
  };
}

function addRowsJob(request: AddRowsRequest, read: (file: string) => { table: CsvTable }, control: RunControl): AddRowsResult {
  const sources: RowSource[] = request.sources.map((s) => {
    const { table } = read(s.file);
    return { table, file: basename(s.file), newFrom: s.newFrom ?? Infinity };
  });
  control.onProgress?.(0, 'Adding the new rows three ways');
  const outcome = addRowsWays(sources, request.model, { nSeeds: request.nSeeds, seed: request.seed, ways: request.ways }, control);
  return { outcome, dataRows: sources.map((s) => s.table.rows.length) };
}
