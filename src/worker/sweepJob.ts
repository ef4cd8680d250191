/**
 * The "Choose k" job, as the worker runs it: read and parse the file as a fit does, pick the
 * same label column, then run the pipeline's sweep (src/pipeline/sweep.ts) with the file's
 * settings, posting progress per setting and each scored row as soon as it exists. Node only
 * (fs); no vscode.
 */
import { basename } from 'node:path';
import { parseCsv } from '../csv/read';
import { CancelledError, type RunControl } from '../engine/errors';
import { sweepTable, type SweepOptions } from '../pipeline/sweep';
import { detectDistanceInput, looksLikeDistanceFile } from '../csv/distances';
import { medoidsSweepTable } from '../pipeline/medoidsSweep';
import { DEFAULT_DISTANCE_SETTINGS } from '../protocol/messages';
import { formatBytes } from '../protocol/format';
import type { JobError } from '../protocol/messages';
import type { JobSweep, SweepOutput } from '../protocol/sweep';
import { describeFailure, fitOptions, headerlessNames, InputError, notDistancesMessage, PROGRESS_INTERVAL_MS, readFileChunked, resolveLabel, type Post } from './job';

/** Where reading, parsing and the sweep sit in the overall progress fraction. */
const STAGES = { read: [0, 0.05], sweep: [0.06, 1] } as const;

/**
 * The options the pipeline's sweep gets for `job`: the file's settings (columns, scaling,
 * missing values, restarts, algorithm, first seed) without k, crossed with the request's
 * inits, metrics and number of seeds. `centroid sweep` with the same flags builds the same.
 */
export function sweepOptions(job: Pick<JobSweep, 'settings' | 'sweep'>, label: string | undefined): SweepOptions {
  const { k: _k, ...rest } = fitOptions(job.settings, label);
  return { ...rest, init: job.sweep.inits[0], metric: job.sweep.metrics[0], inits: job.sweep.inits, metrics: job.sweep.metrics, nSeeds: job.sweep.nSeeds };
}

/**
 * Runs `job` to completion and returns its output; throws on failure (see describeSweepFailure).
 * Progress goes through `post` at most every PROGRESS_INTERVAL_MS (and whenever a setting is
 * scored); rows go out as `job/sweepRow` in grid order; the shared cancel flag is checked
 * between chunks and inside every fit.
 */
export function runSweepJob(job: JobSweep, post: Post, now: () => number = Date.now): SweepOutput {
  const t0 = now();
  const flag = new Int32Array(job.cancelFlag, 0, 1);
  const isCancelled = (): boolean => Atomics.load(flag, 0) !== 0;
  let lastProgress = -Infinity;
  const progress = (fraction: number, message: string, force = false): void => {
    const t = now();
    if (!force && t - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = t;
    post({ type: 'job/progress', id: job.id, fraction, message });
  };
  const name = basename(job.file);

  progress(0, `Reading ${name}`, true);
  const { text, invalidUtf8 } = readFileChunked(job.file, job.maxBytes, (done, total) => {
    if (isCancelled()) throw new CancelledError();
    progress(lerp(STAGES.read, total === 0 ? 1 : done / total), `Reading ${name}: ${formatBytes(done)} of ${formatBytes(total)}`);
  });
  const table = parseCsv(text, { header: 'auto' });
  if (invalidUtf8) table.warnings.push('the file is not valid UTF-8: unreadable bytes were replaced by U+FFFD');
  if (isCancelled()) throw new CancelledError();
  const { kMin, kMax } = job.sweep;
  const control: RunControl = {
    isCancelled,
    onProgress: (fraction, message) => progress(lerp(STAGES.sweep, fraction), message),
  };
  // A file of distances: k-medoids over the range, as Cluster this CSV runs on it.
  const distanceKind = detectDistanceInput(table.header, table.rows);
  if (distanceKind.kind !== 'none') {
    const d = { ...DEFAULT_DISTANCE_SETTINGS, ...job.settings.distances };
    progress(STAGES.sweep[0], `k-medoids for k=${kMin}..${kMax} on ${name}`, true);
    const report = medoidsSweepTable(table, kMin, kMax, {
      seed: job.settings.seed, similarity: d.similarity, missing: d.missing, method: d.method, askWhenUnsure: true,
    }, control, (row, index, total) => {
      post({ type: 'job/sweepRow', id: job.id, row, index, total });
      progress(lerp(STAGES.sweep, (index + 1) / total), `${index + 1} of ${total} values of k scored (k=${row.k})`, true);
    });
    return { report, labelColumn: null, nRows: table.rows.length, elapsedMs: now() - t0 };
  }
  const broken = looksLikeDistanceFile(table.header, table.rows);
  if (broken !== null) throw new InputError(notDistancesMessage(name, broken, distanceKind.reason));
  const labelColumn = resolveLabel(job.settings, table, name);

  progress(STAGES.sweep[0], `Fitting k=${kMin}..${kMax} on ${name}`, true);
  const settings = headerlessNames(job.settings, table);
  const report = sweepTable(table, kMin, kMax, sweepOptions({ settings, sweep: job.sweep }, labelColumn?.name), control, (row, index, total) => {
    post({ type: 'job/sweepRow', id: job.id, row, index, total });
    progress(lerp(STAGES.sweep, (index + 1) / total), `${index + 1} of ${total} settings scored (k=${row.k})`, true);
  });
  return { report, labelColumn, nRows: table.rows.length, elapsedMs: now() - t0 };
}

/** As describeFailure, with a cancel worded for a sweep. */
export function describeSweepFailure(id: number, file: string, e: unknown): JobError {
  const out = describeFailure(id, file, e);
  if (out.kind === 'cancelled') out.error = `Choosing k for ${basename(file)} was cancelled`;
  return out;
}

function lerp(range: readonly [number, number], f: number): number {
  const t = Math.min(1, Math.max(0, Number.isFinite(f) ? f : 0));
  return range[0] + (range[1] - range[0]) * t;
}
