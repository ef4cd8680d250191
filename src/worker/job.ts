/**
 * One clustering job, as the worker runs it: read the file from disk (in chunks, with
 * progress), parse it, pick the label column, fit, and build the panel's view. Everything
 * the host needs comes back in one JobOutput with typed arrays; every failure becomes one
 * sentence (JobError). Node only (fs); no vscode.
 */
import { closeSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCsv, type CsvTable } from '../csv/read';
import { inspectTable } from '../csv/inspect';
import { DistanceChoiceError, detectDistanceInput, looksLikeDistanceFile } from '../csv/distances';
import { CancelledError, type RunControl } from '../engine/errors';
import { fitNumeric, fitTable, type FitOutcome } from '../pipeline/fit';
import { numericColumnNames, type NumericTable } from '../csv/numericTable';
import { FileError, openRegularFile, readPrefix, type OpenedFile } from '../node/files';
import { readPlainNumeric, STREAM_MIN_BYTES } from './numericRead';
import type { FitOptions } from '../pipeline/types';
import { fileTooLargeMessage, formatBytes, formatMegabytes } from '../protocol/format';
import type { ColumnInfo, FailureKind, JobError, JobOutput, JobStart, RunSettings, WorkerToHost } from '../protocol/messages';
import { decideRoles, tableRoleColumns } from '../pipeline/roles';
import { panelViewAndBasis } from './view';
import { runDistanceJob } from './distanceJob';

/** An error in what the user gave (file, settings); the message is for them as is. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Posts a message to the host, transferring the given buffers. */
export type Post = (message: WorkerToHost, transfer?: ArrayBuffer[]) => void;

/** Chunk size for reading: big enough to be fast, small enough for steady progress. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Least time between two progress messages. */
export const PROGRESS_INTERVAL_MS = 100;

/** Where each stage sits in the overall progress fraction. */
const STAGES = { read: [0, 0.3], parse: [0.3, 0.4], fit: [0.4, 0.97], view: [0.97, 1] } as const;

/**
 * Runs `start` to completion and returns its output; throws on failure (see describeFailure).
 * Progress goes through `post` at most every PROGRESS_INTERVAL_MS; the shared cancel flag
 * is checked between chunks and, through RunControl, between iterations of the fit.
 * Files of at least `streamMinBytes` that are plain numeric are read straight into a matrix.
 */
export function runJob(start: JobStart, post: Post, now: () => number = Date.now, streamMinBytes = STREAM_MIN_BYTES): JobOutput {
  const t0 = now();
  const flag = new Int32Array(start.cancelFlag, 0, 1);
  const isCancelled = (): boolean => Atomics.load(flag, 0) !== 0;
  let lastProgress = -Infinity;
  let lastMessage = '';
  const progress = (fraction: number | null, message: string, force = false): void => {
    const t = now();
    if (!force && t - lastProgress < PROGRESS_INTERVAL_MS && message === lastMessage) return;
    lastProgress = t;
    lastMessage = message;
    post({ type: 'job/progress', id: start.id, fraction, message });
  };
  const name = basename(start.file);

  progress(0, `Reading ${name}`, true);
  // Big plain numeric files stream into a matrix; everything else is parsed as a table.
  const numeric = fileSize(start.file) >= streamMinBytes
    ? readPlainNumeric(start.file, start.maxBytes, (f, message) => progress(lerp(STAGES.read, f), message), isCancelled)
    : null;
  let source: JobSource;
  /** What the reader noticed (ragged rows, repeated names, bytes that are not UTF-8): shown in the panel too. */
  let readWarnings: string[] = [];
  if (numeric !== null) {
    source = numericSource(numeric.table, numeric.bytes, start.settings, name);
  } else {
    const { text, bytes, invalidUtf8 } = readFileChunked(start.file, start.maxBytes, (done, total) => {
      if (isCancelled()) throw new CancelledError();
      progress(lerp(STAGES.read, total === 0 ? 1 : done / total), `Reading ${name}: ${formatBytes(done)} of ${formatBytes(total)}`);
    });
    progress(STAGES.parse[0], `Parsing ${name}`, true);
    const table = parseCsv(text, { header: 'auto' });
    if (invalidUtf8) table.warnings.push('the file is not valid UTF-8: unreadable bytes were replaced by U+FFFD');
    readWarnings = table.warnings;
    if (isCancelled()) throw new CancelledError();
    const info = inspectTable(table);
    const columns = columnInfo(table, info.numericColumns);
    // A file of distances (a square matrix, an edge list) is clustered as such, never as features.
    const distanceKind = detectDistanceInput(table.header, table.rows);
    if (distanceKind.kind !== 'none') {
      const file = {
        bytes, delimiter: table.delimiter, nColumns: table.header?.length ?? info.nColumns, hasHeader: table.header !== null,
        rowLine: Int32Array.from(table.rowLine), columns,
      };
      const tParsed = now();
      const out = runDistanceJob({
        start, table, kind: distanceKind.kind, name, file,
        control: { isCancelled, onProgress: (fraction, message) => progress(lerp(STAGES.fit, fraction), message) },
      });
      const t3 = now();
      out.view.elapsedMs = t3 - t0;
      out.view.warnings.unshift(...readWarnings.filter((w) => !out.view.warnings.includes(w)));
      return { ...out, timings: { readMs: tParsed - t0, parseMs: 0, fitMs: t3 - tParsed, totalMs: t3 - t0 } };
    }
    const broken = looksLikeDistanceFile(table.header, table.rows);
    if (broken !== null) throw new InputError(notDistancesMessage(name, broken, distanceKind.reason));
    source = tableSource(table, bytes, start.settings, name, info, columns);
  }
  const t1 = now();
  if (isCancelled()) throw new CancelledError();
  const t2 = now();

  const clustering = `Clustering ${formatRows(source.nRows)} of ${name}`;
  progress(STAGES.fit[0], clustering, true);
  // Every step of the fit says what runs on how many rows (a fast read leaves little else to see).
  const control: RunControl = {
    isCancelled,
    onProgress: (fraction, message) => progress(lerp(STAGES.fit, fraction), `${clustering}: ${message}`),
  };
  const outcome = source.fit(fitOptions(source.settings, source.labelColumn, name), control);
  const t3 = now();

  progress(STAGES.view[0], `Preparing the chart of ${formatRows(source.nRows)} of ${name}`, true);
  // The column roles of the fit decided the label column when the settings left it to them.
  const usedLabel = outcome.report.options.label;
  const labelColumn = usedLabel === null ? null : { name: usedLabel, guessed: source.labelColumn === undefined };
  const { view, basis } = panelViewAndBasis(outcome, start.settings, name, start.maxPoints, labelColumn, t3 - t0, source.rowLine);
  view.warnings.unshift(...readWarnings.filter((w) => !view.warnings.includes(w)));
  const { labels: rowLabels, distances: rowDistances, ...core } = outcome.report;
  const n = rowLabels.length;
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = rowLabels[i];
    labels[i] = l === null ? -1 : l;
    const dist = rowDistances[i];
    distances[i] = dist === null ? NaN : dist;
  }
  const { dataset, scaler, fitCenters } = outcome;
  const d = dataset.featureColumns.length;
  // Each column's role goes with the file's columns (Choose Columns pre-selects the features).
  const roles = outcome.report.roles;
  const columns = roles && roles.length === source.columns.length
    ? source.columns.map((c, i) => ({ ...c, role: roles[i].role, reason: roles[i].reason }))
    : source.columns;
  const t4 = now();
  view.elapsedMs = t4 - t0;
  return {
    report: core,
    labels,
    distances,
    file: {
      bytes: source.bytes,
      delimiter: source.delimiter,
      nColumns: source.nColumns,
      hasHeader: source.hasHeader,
      rowLine: Int32Array.from(source.rowLine),
      columns,
    },
    model: {
      featureColumns: Int32Array.from(dataset.featureColumns),
      offset: Float64Array.from(scaler.offset.length === d ? scaler.offset : new Float64Array(d)),
      scale: Float64Array.from(scaler.scale.length === d ? scaler.scale : new Float64Array(d).fill(1)),
      centers: Float64Array.from(fitCenters.data),
      metric: start.settings.metric,
      ...(basis ? { projection: basis } : {}),
    },
    labelColumn,
    view,
    timings: { readMs: t1 - t0, parseMs: t2 - t1, fitMs: t3 - t2, totalMs: t4 - t0 },
  };
}

/** What a job needs from the file, however it was read. */
interface JobSource {
  bytes: number;
  delimiter: string;
  nColumns: number;
  hasHeader: boolean;
  nRows: number;
  rowLine: Int32Array;
  columns: ColumnInfo[];
  /** The label column the settings name, null for none, undefined when the column roles decide. */
  labelColumn: string | null | undefined;
  /** The settings with header-less column names resolved. */
  settings: RunSettings;
  fit: (options: FitOptions, control: RunControl) => FitOutcome;
}

function tableSource(
  table: CsvTable, bytes: number, settings: RunSettings, name: string, info: ReturnType<typeof inspectTable>, columns: ColumnInfo[],
): JobSource {
  return {
    bytes,
    delimiter: table.delimiter,
    nColumns: table.header?.length ?? info.nColumns,
    hasHeader: table.header !== null,
    nRows: table.rows.length,
    rowLine: table.rowLine,
    columns,
    labelColumn: namedLabel(settings, table, name),
    settings: headerlessNames(settings, table),
    fit: (options, control) => fitTable(table, options, control),
  };
}

/** A plain numeric file: the same roles and label rules as a table, read from the matrix. */
function numericSource(table: NumericTable, bytes: number, settings: RunSettings, name: string): JobSource {
  const names = numericColumnNames(table);
  return {
    bytes,
    delimiter: table.delimiter,
    nColumns: table.X.nCols,
    hasHeader: table.header !== null,
    nRows: table.X.nRows,
    rowLine: table.rowLine,
    columns: names.map((n) => ({ name: n, numeric: true })),
    labelColumn: namedLabel(settings, { header: table.header }, name),
    settings: headerlessNames(settings, table),
    fit: (options, control) => fitNumeric(table, options, control),
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // the table path reports the unreadable file
  }
}

/**
 * The settings as the pipeline's FitOptions: column roles decided by the rules (roles.ts),
 * `label` a column name, null for none, undefined for the rules' choice.
 */
export function fitOptions(settings: RunSettings, label: string | null | undefined, dataName?: string): FitOptions {
  const known = settings.known;
  return {
    ...(known ? { known: { fileName: known.fileName, columns: known.columns, rows: known.rows, dataName }, freezeGiven: known.freeze } : {}),
    k: settings.k,
    columns: settings.columns ?? undefined,
    roles: 'auto',
    label,
    init: settings.init,
    nInit: settings.nInit,
    seed: settings.seed,
    algorithm: settings.algorithm,
    metric: settings.metric,
    scale: settings.scale,
    missing: settings.missing,
  };
}

/**
 * Without a header the panel names columns column1, column2, … (as the dataset does);
 * the dataset looks such columns up by their 1-based number.
 */
export function headerlessNames(settings: RunSettings, table: Pick<CsvTable, 'header'>): RunSettings {
  if (table.header !== null || settings.columns === null) return settings;
  return { ...settings, columns: settings.columns.map((n) => /^column(\d+)$/.exec(n)?.[1] ?? n) };
}

/**
 * The label column of a table as the settings ask: a named column, none, or (auto) the one the
 * column-role rules pick (roles.ts), as a fit of the same table picks it.
 */
export function resolveLabel(settings: RunSettings, table: CsvTable, name: string): { name: string; guessed: boolean } | null {
  const named = namedLabel(settings, table, name);
  if (named !== undefined) return named === null ? null : { name: named, guessed: false };
  const roles = decideRoles(tableRoleColumns(table), { columns: settings.columns ?? undefined });
  return roles.label === null ? null : { name: roles.label, guessed: true };
}

/**
 * The label column the settings name (checked against the header), null for none, undefined
 * when the column roles decide.
 * @throws InputError for a name the file does not have.
 */
export function namedLabel(settings: RunSettings, table: Pick<CsvTable, 'header'>, name: string): string | null | undefined {
  const choice = settings.label;
  if (choice.mode === 'none') return null;
  if (choice.mode === 'auto') return undefined;
  if (!table.header || !table.header.includes(choice.name)) {
    // JSON.stringify: a header holding quotes or line breaks still reads as one name on one line.
    const available = table.header ? table.header.map((h) => JSON.stringify(h)).join(', ') : 'none (the file has no header)';
    throw new InputError(`${name} has no column ${JSON.stringify(choice.name)} to use as labels; its columns are ${available}`);
  }
  return choice.name;
}

/** The file's columns for the panel's form: names (column1, … without a header) and whether each is numeric. */
export function columnInfo(table: CsvTable, numericColumns: number[]): ColumnInfo[] {
  const numeric = new Set(numericColumns);
  const n = table.header?.length ?? table.rows.reduce((m, r) => Math.max(m, r.length), 0);
  const out: ColumnInfo[] = [];
  for (let c = 0; c < n; c++) out.push({ name: table.header?.[c] ?? `column${c + 1}`, numeric: numeric.has(c) });
  return out;
}

/**
 * Reads a whole file as UTF-8 in chunks, calling `onChunk(bytesDone, bytesTotal)` after each.
 * Refuses, before reading, what is not a regular file (a device, a pipe, a socket: see
 * openRegularFile) and a file over `maxBytes`, naming its size and the setting. Reads at most
 * the size the file had when opened, however much it grows meanwhile.
 */
export function readFileChunked(
  path: string, maxBytes: number, onChunk: (done: number, total: number) => void,
): { text: string; bytes: number; invalidUtf8: boolean } {
  const name = basename(path);
  let opened: OpenedFile;
  try {
    opened = openRegularFile(path, { name, noun: 'CSV file' });
  } catch (e) {
    if (e instanceof FileError) throw new InputError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${name}: ${code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  const { fd, size } = opened;
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const parts: string[] = [];
  let done = 0;
  let replaced = false;
  let invalidUtf8 = false;
  try {
    if (size > maxBytes) throw new InputError(fileTooLargeMessage(name, size, maxBytes));
    const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, size)));
    while (done < size) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, size - done), done);
      if (got === 0) break;
      done += got;
      const part = decoder.decode(buf.subarray(0, got), { stream: true });
      if (!replaced && part.includes('\uFFFD')) replaced = true;
      parts.push(part);
      onChunk(done, size);
    }
    const tail = decoder.decode();
    if (tail.includes('\uFFFD')) replaced = true;
    parts.push(tail);
    // A U+FFFD already in the file is not a decoding error; tell them apart only when one was seen.
    if (replaced) {
      try {
        new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readPrefix(fd, done));
      } catch {
        invalidUtf8 = true;
      }
    }
  } finally {
    closeSync(fd);
  }
  let text: string;
  try {
    text = parts.join('');
  } catch (e) {
    if (e instanceof RangeError) {
      throw new InputError(`${name} (${formatMegabytes(done)}) is too large to hold as text in memory; split it into smaller files`);
    }
    throw e;
  }
  return { text, bytes: done, invalidUtf8 };
}

/** Turns anything a job threw into the one JobError the host gets. */
export function describeFailure(id: number, file: string, e: unknown): JobError {
  const name = basename(file);
  const err = e instanceof Error ? e : new Error(String(e));
  let kind: FailureKind;
  let error: string;
  if (err instanceof CancelledError || err.name === 'CancelledError') {
    kind = 'cancelled';
    error = `Clustering ${name} was cancelled`;
  } else if (['InputError', 'FileError', 'KnownCentresError'].includes(err.name)) {
    kind = 'input';
    error = firstLine(err.message);
  } else if (['CsvError', 'EngineError', 'ProtocolError'].includes(err.name)) {
    kind = 'input';
    error = `${name}: ${firstLine(err.message)}`;
  } else {
    kind = 'internal';
    error = `Clustering ${name} failed unexpectedly: ${firstLine(err.message) || err.name}`;
  }
  const out: JobError = { type: 'job/error', id, ok: false, error, kind };
  if (err instanceof DistanceChoiceError) out.choice = err.choice;
  if (kind !== 'cancelled' && err.stack) out.detail = err.stack;
  return out;
}

/**
 * The error for a file that looks like distances (`broken`, from looksLikeDistanceFile) but
 * fits no layout, with the part of the detection's reason that applies.
 */
export function notDistancesMessage(name: string, broken: string, reason: string): string {
  const m = /^not a distance matrix \((.*)\) and not an edge list \((.*)\)$/.exec(reason);
  const why = !m ? reason : broken.includes('edge list') ? `as an edge list, ${m[2]}` : `as a distance matrix, ${m[1]}`;
  return `${name} looks like a file of distances (${broken}) but cannot be read as one: ${why}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function lerp(range: readonly [number, number], f: number): number {
  const t = Math.min(1, Math.max(0, Number.isFinite(f) ? f : 0));
  return range[0] + (range[1] - range[0]) * t;
}

function formatRows(n: number): string {
  return `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
}
