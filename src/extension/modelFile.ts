/**
 * Saved model files on the host side, without vscode (so they can be tested): the model of a
 * finished fit, reading and validating a `*.centroid.json`, the default name beside a CSV (a
 * numbered one when taken), and the run settings a model stands for.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileError, openRegularFileAsync, readRegularFileAsync } from '../node/files';
import { MODEL_FORMAT, MODEL_LIMITS, MODEL_VERSION, modelTooLargeMessage, parseModelText, type SavedModel } from '../pipeline/model';
import { DEFAULT_SETTINGS, type JobOutput, type RunSettings } from '../protocol/messages';

/** The file name ending of saved models. */
export const MODEL_SUFFIX = '.centroid.json';

/**
 * The model of a fit the worker finished. `data` identifies the CSV it was fitted on (null
 * when that file changed on disk since the fit).
 */
export function modelFromOutput(output: JobOutput, engineVersion: string, data: SavedModel['data'], createdAt = new Date().toISOString()): SavedModel {
  const r = output.report;
  const d = r.featureNames.length;
  const k = r.clusterCenters.length;
  const fitCenters: number[][] = [];
  for (let j = 0; j < k; j++) fitCenters.push(Array.from(output.model.centers.subarray(j * d, j * d + d)));
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    engineVersion,
    createdAt,
    featureNames: r.featureNames,
    metric: r.options.metric,
    scaler: { kind: r.options.scale, offset: Array.from(output.model.offset), scale: Array.from(output.model.scale) },
    clusterCenters: r.clusterCenters,
    fitCenters,
    counts: [...r.counts],
    params: { ...r.options },
    data,
    inertia: r.inertia,
    labelColumn: r.options.label,
    mapping: r.metrics.mapping ? { clusterToLabel: r.metrics.mapping.clusterToLabel } : null,
    projection: output.model.projection ?? null,
  };
}

/**
 * Reads and validates a model file.
 * @throws Error with one sentence naming the file: missing, too large, not JSON, not a
 * Centroid model (the first wrong field), or a newer version than this one reads.
 */
export async function readModelFile(path: string): Promise<SavedModel> {
  const name = basename(path);
  let text: string;
  try {
    const bytes = await readRegularFileAsync(path, { name, noun: 'model file' }, MODEL_LIMITS.maxBytes, (size) => modelTooLargeMessage(name, size));
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof FileError) throw new Error(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`Cannot load ${name}: the file does not exist`);
    if (code !== undefined) throw new Error(`Cannot load ${name}: ${(e as Error).message}`);
    throw e;
  }
  return parseModelText(text, name);
}

/**
 * The sentence saying which of the model's feature columns a CSV lacks (all of them named),
 * or undefined when it has them all. `columns` are the CSV's column names.
 */
export function missingColumnsMessage(model: Pick<SavedModel, 'featureNames'>, modelName: string, columns: readonly string[], csvName: string): string | undefined {
  const have = new Set(columns);
  const missing = model.featureNames.filter((n) => !have.has(n));
  if (missing.length === 0) return undefined;
  const list = missing.map((n) => JSON.stringify(n)).join(', ');
  return `${modelName} needs the column${missing.length === 1 ? '' : 's'} ${list}, which ${csvName} does not have; `
    + 'open a CSV with the model\'s columns, then load it again.';
}

/** `<dir>/<stem>.centroid.json` beside `csvPath`, or `<stem> (2).centroid.json`, … when taken. */
export function defaultModelPath(csvPath: string): string {
  const stem = basename(csvPath).replace(/\.[^.]*$/, '') || basename(csvPath);
  const dir = dirname(csvPath);
  const first = join(dir, `${stem}${MODEL_SUFFIX}`);
  if (!existsSync(first)) return first;
  for (let i = 2; ; i++) {
    const candidate = join(dir, `${stem} (${i})${MODEL_SUFFIX}`);
    if (!existsSync(candidate)) return candidate;
  }
}

/** The model as JSON text, as written to disk (one field per line at the top level, readable in diffs). */
export function modelJson(model: SavedModel): string {
  return `${JSON.stringify(model, null, 1)}\n`;
}

/**
 * SHA-256 (hex) of a file's bytes, read in chunks up to its size when opened.
 * @throws FileError when it is not a regular file (a device would never end).
 */
export async function sha256OfFile(path: string): Promise<string> {
  const { handle, size } = await openRegularFileAsync(path, { name: basename(path) });
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(Math.max(1, Math.min(size, 1024 * 1024)));
    for (let at = 0; at < size;) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, size - at), at);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/**
 * The name of a model after an update was taken into it: the name it had, with what updated
 * it ("iris.centroid.json (updated by a warm refit)"); an earlier update's note is replaced.
 */
export function updatedModelName(name: string, way: 'online' | 'warm' | 'seeds'): string {
  const how = way === 'online' ? 'updated online' : way === 'warm' ? 'updated by a warm refit' : 'updated by a refit from seeds';
  return `${name.replace(/ \(updated [^()]*\)$/, '')} (${how})`;
}

/** Run settings that describe a model (its features, k, scaling and metric), over `base` for the rest. */
export function settingsFromModel(model: SavedModel, base: RunSettings = DEFAULT_SETTINGS): RunSettings {
  const p = model.params;
  const seed = typeof p.seed === 'number' && Number.isInteger(p.seed) ? p.seed : base.seed;
  return {
    ...base,
    k: model.fitCenters.length,
    scale: model.scaler.kind,
    metric: model.metric,
    seed,
    algorithm: p.algorithm === 'elkan' ? 'elkan' : 'lloyd',
    missing: 'drop',
    label: model.labelColumn !== null ? { mode: 'column', name: model.labelColumn } : { mode: 'none' },
    columns: [...model.featureNames],
  };
}
