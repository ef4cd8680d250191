/**
 * `centroid`: the command-line front end over the same engine and pipeline as the
 * extension, so a file gives the same numbers in both. Every verb takes `--json`, which
 * prints exactly one JSON object on stdout. Errors: exit code 2 and one line on stderr
 * naming the file (and row/column where there is one); a stack trace only with --debug.
 */
import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import { CsvError, parseCsv, type CsvTable } from '../csv/read';
import { inspectTable } from '../csv/inspect';
import { buildDataset, labelColumn } from '../csv/dataset';
import { parseNumber, isMissing } from '../csv/numbers';
import { toCsv, formatNumber } from '../csv/write';
import { CancelledError, EngineError } from '../engine/errors';
import { DistanceChoiceError } from '../csv/distances';
import { fitNumeric, fitTable, FIT_DEFAULTS, type FitOutcome } from '../pipeline/fit';
import { plainNumericTable, type NumericTable } from '../csv/numericTable';
import { defaultExecutor, setDefaultExecutor } from '../engine/parallel/executor';
import { KernelPool } from '../node/kernelPool';
import { LLOYD_WASM, LLOYD_WASM_SHARED } from '../node/wasmKernels';
import { readNumericFile } from '../node/numericFile';
import { fitMiniBatchFile } from '../node/minibatchFile';
import { formatMegabytes } from '../protocol/format';
import { externalReport, internalMetrics } from '../pipeline/metrics';
import { MODEL_LIMITS, modelFromCenters, modelFromFit, modelTooLargeMessage, parseModelText, partialFitTable, predictTable, type SavedModel } from '../pipeline/model';
import { MAX_SEEDS, parseKRange, sweepTable } from '../pipeline/sweep';
import { dbscanTable } from '../pipeline/density';
import { kDistanceTable } from '../pipeline/kdistance';
import { hdbscanTable } from '../pipeline/hdbscan';
import { checkMagnitudes } from '../pipeline/magnitude';
import { medoidsTable } from '../pipeline/medoids';
import { checkKnownCount, KnownCentresError } from '../pipeline/knownCentres';
import type { FitOptions, MetricKind, MetricsReport, MissingPolicy, ScaleKind } from '../pipeline/types';
import { FileError, FileExistsError, readRegularFile, readTextFile, taken, writeFileAtomic } from '../node/files';
import { DEFAULT_SETTINGS, MAX_K, MAX_N_INIT, SCALES } from '../protocol/messages';
import { mappedAccuracyNote } from '../protocol/view';
import { version as engineVersion } from '../../package.json';

/** A mistake in how the command was called. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = `centroid ${engineVersion}: cluster CSV files (k-means, spherical k-means, k-medoids, DBSCAN)

Usage: centroid VERB FILE [options] [--json] [--debug]

  inspect FILE                         what the reader sees: delimiter, header, numeric columns, problems
  fit FILE --k N                       k-means, the best of 10 k-means++ starts; without --columns the
                                       features are the columns a careful analyst would use (row ids, class
                                       columns, constants, dates and text left out; --json lists each
                                       column's role and why), and a class column becomes the label
                                       options: --columns a,b --label COL|none --init k-means++|random|CENTERS.csv
                                       --n-init N|auto (default 10) --seed S --algorithm lloyd|elkan --max-iter N --tol X
                                       --metric euclidean|cosine --scale auto|none|standard|minmax (default auto:
                                       standardise when feature ranges differ over 10x) --missing drop|mean
                                       --freeze (keep given centre coordinates fixed) --save-model M.json --out LABELED.csv
  fit FILE --k N --minibatch           mini-batch k-means in bounded memory for files of any size: two passes
                                       in file order (fit, then label); --batch-size N (default 1024)
                                       --columns a,b --label COL --seed S --out LABELS.csv (one cluster per row)
  predict FILE --model M.json          assign rows to a saved model's centres (centres unchanged)
                                       [--out LABELED.csv] (the rows with their cluster and distance)
  partial-fit FILE (--model M.json | --k N --init CENTERS.csv) --save-model M.json
                                       one online mini-batch update with all rows of FILE
  metrics FILE --labels COL [--truth COL] [--columns a,b] [--metric euclidean|cosine]
  sweep FILE --k 2..10 [--init k-means++,random] [--metric euclidean,cosine] [--n-seeds N]
                                       [--columns a,b] [--label COL] [--n-init N] [--seed S] [--scale ...]
                                       scores every k crossed with each init and metric; N seeds per
                                       setting (S, S+1, ...) give its stability (mean pairwise adjusted Rand)
  dbscan FILE --eps X --min-samples N [--columns a,b] [--label COL] [--metric euclidean|cosine]
  dbscan FILE --k-distance [--min-samples N]
                                       sorted distance of each row to its N-th nearest row (itself first;
                                       default 5) and the eps at the knee; above 2000 rows a seeded sample
  dbscan FILE --hdbscan [--min-cluster-size N] [--min-samples N]
                                       HDBSCAN: clusters of varying density, no eps (default N=5; at most
                                       50,000 rows); labels, membership strengths, cluster stabilities
  medoids FILE --k N                   FILE: a square distance matrix or an edge list source,target,weight
                                       [--similarity auto|distance|similarity] (auto: from the diagonal or
                                       the weight column's name) [--shortest-paths] (fill missing pairs)
                                       [--seed S]

Rows are 0-based data rows (the header is not a row). Column lists are names.
--out never replaces a file, and --save-model only an earlier Centroid model, unless --force is given.
`;

const OPTIONS = {
  k: { type: 'string' },
  columns: { type: 'string' },
  label: { type: 'string' },
  labels: { type: 'string' },
  truth: { type: 'string' },
  init: { type: 'string' },
  'n-init': { type: 'string' },
  'n-seeds': { type: 'string' },
  seed: { type: 'string' },
  algorithm: { type: 'string' },
  'max-iter': { type: 'string' },
  tol: { type: 'string' },
  metric: { type: 'string' },
  scale: { type: 'string' },
  missing: { type: 'string' },
  freeze: { type: 'boolean' },
  minibatch: { type: 'boolean' },
  'batch-size': { type: 'string' },
  'save-model': { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  model: { type: 'string' },
  eps: { type: 'string' },
  'min-samples': { type: 'string' },
  'k-distance': { type: 'boolean' },
  hdbscan: { type: 'boolean' },
  'min-cluster-size': { type: 'string' },
  similarity: { type: 'string' },
  'shortest-paths': { type: 'boolean' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export function main(argv: string[], io: Io = defaultIo): number {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (e) {
    // The FILE is named even here, from a lenient second reading of the arguments.
    const [, named] = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false }).positionals;
    io.stderr(`centroid: ${named !== undefined ? `${named}: ` : ''}${oneLine((e as Error).message)} (see centroid --help)`);
    return 2;
  }
  if (values.version) {
    io.stdout(engineVersion);
    return 0;
  }
  const [verb, file] = positionals;
  if (values.help || verb === undefined || verb === 'help') {
    io.stdout(USAGE);
    return verb === undefined && !values.help ? 2 : 0;
  }
  try {
    if (!VERBS[verb]) throw new UsageError(`unknown verb "${verb}"; verbs: ${Object.keys(VERBS).join(', ')}`);
    if (file === undefined) throw new UsageError(`${verb} needs a FILE`);
    if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
    const result = VERBS[verb](file, values, io);
    io.stdout(values.json ? JSON.stringify(result.json) : result.text);
    return 0;
  } catch (e) {
    io.stderr(`centroid: ${describeError(e, file)}`);
    if (values.debug && e instanceof Error && e.stack) io.stderr(e.stack);
    return 2;
  }
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** One line: the file, then what went wrong and where. */
function describeError(e: unknown, file: string | undefined): string {
  const where = file ?? '';
  if (e instanceof UsageError) return `${file !== undefined ? `${file}: ` : ''}${e.message} (see centroid --help)`;
  if (e instanceof FileError) return oneLine(e.message);
  if (e instanceof CsvError || e instanceof EngineError || e instanceof KnownCentresError) return `${where}: ${oneLine(e.message)}`;
  if (e instanceof CancelledError) return `${where}: cancelled`;
  if (e instanceof SyntaxError) return `${where}: ${oneLine(e.message)}`;
  return `${where}: unexpected error: ${e instanceof Error ? oneLine(e.message) : oneLine(String(e))} (run again with --debug for details)`;
}

/** A message on one line: its lines joined with spaces. */
function oneLine(text: string): string {
  return text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '').join(' ');
}

interface VerbResult {
  json: unknown;
  text: string;
}

const VERBS: Record<string, (file: string, v: Values, io: Io) => VerbResult> = {
  inspect: (file) => {
    const { table } = readTable(file);
    const json = inspectTable(table);
    const lines = [
      `${file}: ${json.nRows} rows x ${json.nColumns} columns, delimiter ${JSON.stringify(json.delimiter)}`,
      `header: ${json.header ? json.header.join(', ') : '(none)'}`,
      `numeric columns: ${json.numericColumns.map((c) => json.header?.[c] ?? c).join(', ') || '(none)'}`,
      `missing cells: ${json.missingCells.length}, non-numeric cells: ${json.nonNumericCells.length}, ragged rows: ${json.raggedRows.length}`,
      ...json.warnings.map((w) => `warning: ${w}`),
    ];
    return { json, text: lines.join('\n') };
  },

  fit: (file, v, io) => {
    // Refuse an existing --out before anything is fitted or written (the model included).
    if (v.out && !v.force) refuseExisting(v.out);
    if (v.minibatch) return miniBatchVerb(file, v, io);
    if (v['batch-size'] !== undefined) throw new UsageError('--batch-size goes with --minibatch');
    const replaceModel = v.force === true || (v['save-model'] !== undefined && refuseNonModel(v['save-model']));
    useKernelPool(file);
    // A plain numeric file goes straight into a matrix (no table of strings); --out needs the
    // rows' text, and any other file the table's checks and messages, so those are parsed.
    const numeric = v.out ? null : readNumericTable(file);
    let outcome: FitOutcome;
    let table: CsvTable | null = null;
    let sha256: string;
    if (numeric !== null) {
      outcome = fitNumeric(numeric.table, fitOptions(v, numeric.table, file));
      sha256 = numeric.sha256;
    } else {
      const read = readTable(file);
      table = read.table;
      outcome = fitTable(table, fitOptions(v, table, file));
      sha256 = read.read.sha256;
    }
    const r = outcome.report;
    if (v['save-model']) {
      const model = modelFromFit(outcome, engineVersion, { sha256, nRows: r.nDataRows, file: baseName(file) });
      writeOutput(v['save-model'], JSON.stringify(model, null, 1) + '\n', replaceModel, 'save-model');
    }
    if (v.out && table !== null) writeLabelled(v.out, table, r.labels, r.distances, r.metrics.mapping?.clusterToLabel, v.force === true);
    const { distances: _distances, ...json } = r;
    const leftOut = (r.roles ?? []).filter((c) => c.role !== 'feature');
    const text = [
      `k-means on ${file}: k=${r.options.k}, best of ${r.options.nInit} start${r.options.nInit === 1 ? '' : 's'}, `
        + `${r.featureNames.length} features (${r.featureNames.join(', ')}), ${r.labels.length - r.droppedRows.length} rows`,
      ...leftOut.map((c) => `column ${JSON.stringify(c.name)} is not a feature: ${c.reason}`),
      `scaling: ${r.scaling.kind}: ${r.scaling.reason}`,
      `inertia ${r.inertia} (${r.inertiaSpace}), ${r.nIter} iterations`,
      `cluster sizes: ${r.counts.join(', ')}`,
      ...metricLines(r.metrics),
      ...r.warnings.map((w) => `warning: ${w}`),
    ];
    return { json, text: text.join('\n') };
  },

  predict: (file, v) => {
    if (!v.model) throw new UsageError('predict needs --model M.json');
    if (v.out && !v.force) refuseExisting(v.out);
    const model = readModel(v.model);
    const { table } = readTable(file);
    const p = predictTable(table, model);
    if (v.out) {
      // The distance column is to the row's own centre, in the model's space, as fit --out writes it.
      const own = p.labels.map((label, i) => (label === null ? null : p.distances[i]?.[label] ?? null));
      writeLabelled(v.out, table, p.labels, own, undefined, v.force === true);
    }
    const text = [`${p.labels.filter((l) => l !== null).length} rows assigned to ${model.fitCenters.length} centres`,
      ...p.warnings.map((w) => `warning: ${w}`)];
    return { json: p, text: text.join('\n') };
  },

  'partial-fit': (file, v) => {
    if (!v['save-model']) throw new UsageError('partial-fit needs --save-model M.json to keep the updated centres and counts');
    const replaceModel = v.force === true || refuseNonModel(v['save-model']);
    let model: SavedModel;
    if (v.model) {
      model = readModel(v.model);
    } else {
      if (!v.init || v.init === 'k-means++' || v.init === 'random') {
        throw new UsageError('partial-fit needs --model M.json, or --k N with --init CENTERS.csv');
      }
      const centres = readCenters(v.init);
      if (centres.rows.some((row) => row.some((x) => x === null))) {
        throw new EngineError(`${v.init}: every coordinate of the starting centres must be given for a partial fit`);
      }
      if (v.k !== undefined && int(v.k, 'k') !== centres.rows.length) {
        throw new UsageError(`--k ${v.k} differs from the ${centres.rows.length} centres in ${v.init}`);
      }
      model = modelFromCenters(centres.names, centres.rows as number[][], engineVersion);
    }
    const { table } = readTable(file);
    const step = partialFitTable(table, model);
    writeOutput(v['save-model'], JSON.stringify(step.model, null, 1) + '\n', replaceModel, 'save-model');
    const json = {
      clusterCenters: step.model.clusterCenters,
      counts: step.model.counts,
      labels: step.labels,
      inertia: step.inertia,
      warnings: step.warnings,
    };
    return { json, text: [`updated ${json.counts.length} centres with ${step.labels.filter((l) => l !== null).length} rows`, ...step.warnings.map((w) => `warning: ${w}`)].join('\n') };
  },

  metrics: (file, v) => {
    if (!v.labels) throw new UsageError('metrics needs --labels COL (the column holding the cluster of each row)');
    const { table } = readTable(file);
    const report = metricsVerb(table, v.labels, v.truth, list(v.columns), metricOpt(v.metric));
    return { json: report, text: metricLines(report).join('\n') };
  },

  sweep: (file, v) => {
    if (!v.k) throw new UsageError('sweep needs --k FROM..TO, e.g. --k 2..10');
    const { kMin, kMax } = parseKRange(v.k);
    // --init and --metric take comma lists here: the sweep crosses k with each of them.
    const inits = v.init === undefined ? undefined : names(v.init, 'init').map((t) => oneOf(t, 'init', ['k-means++', 'random'] as const));
    const metrics = v.metric === undefined ? undefined : names(v.metric, 'metric').map((t) => metricOpt(t));
    const nSeeds = v['n-seeds'] === undefined ? 1 : intIn(v['n-seeds'], 'n-seeds', 1, MAX_SEEDS);
    const { table } = readTable(file);
    const options = fitOptions({ ...v, k: String(kMin), init: inits?.[0], metric: metrics?.[0] }, table, file);
    const { k: _k, ...rest } = options;
    const report = sweepTable(table, kMin, kMax, { ...rest, inits, metrics, nSeeds });
    const crossedInit = report.grid.inits.length > 1;
    const crossedMetric = report.grid.metrics.length > 1;
    const cell = (x: number | string | null): string => (x === null ? '-' : typeof x === 'number' && !Number.isInteger(x) ? x.toPrecision(6) : String(x));
    const head = ['k', ...(crossedInit ? ['init'] : []), ...(crossedMetric ? ['metric'] : []),
      'inertia', 'silhouette', 'davies-bouldin', 'calinski-harabasz', ...(nSeeds > 1 ? ['stability'] : [])];
    const text = [
      head.join('\t'),
      ...report.results.map((r) => [r.k, ...(crossedInit ? [r.init] : []), ...(crossedMetric ? [r.metric] : []),
        r.inertia, r.silhouette, r.daviesBouldin, r.calinskiHarabasz, ...(nSeeds > 1 ? [r.stability] : [])].map(cell).join('\t')),
      ...(report.results.some((r) => r.silhouetteSampleSize !== undefined)
        ? [`silhouette on a stratified sample of ${report.results.find((r) => r.silhouetteSampleSize !== undefined)?.silhouetteSampleSize} rows`] : []),
      `suggested k: ${report.suggestedK ?? '-'} (${report.why})`,
    ];
    return { json: report, text: text.join('\n') };
  },

  dbscan: (file, v) => {
    if (v['k-distance']) {
      if (v.eps !== undefined) throw new UsageError('--k-distance suggests an eps: leave out --eps');
      const { table } = readTable(file);
      const report = kDistanceTable(table, {
        minSamples: v['min-samples'] === undefined ? undefined : intFrom(v['min-samples'], 'min-samples', 1),
        columns: list(v.columns),
        roles: 'auto',
        label: v.label,
        metric: metricOpt(v.metric),
        scale: scaleOpt(v.scale),
        missing: missingOpt(v.missing),
        seed: v.seed === undefined ? 0 : int(v.seed, 'seed'),
      });
      const q = (f: number): string => cellNumber(report.distances[Math.round(f * (report.distances.length - 1))]);
      const text = [`suggested eps: ${report.suggestedEps === null ? '-' : cellNumber(report.suggestedEps)} (${report.why})`,
        `k-distances (${report.distances.length}${report.sampled ? ' sampled' : ''} rows): min ${q(0)}, 25% ${q(0.25)}, median ${q(0.5)}, 75% ${q(0.75)}, 90% ${q(0.9)}, max ${q(1)}`,
        ...report.warnings.map((w) => `warning: ${w}`)];
      return { json: report, text: text.join('\n') };
    }
    if (v.hdbscan) {
      if (v.eps !== undefined) throw new UsageError('--hdbscan needs no --eps: it finds the density levels itself');
      if (v['k-distance']) throw new UsageError('use --k-distance or --hdbscan, not both');
      const { table } = readTable(file);
      const report = hdbscanTable(table, {
        minClusterSize: v['min-cluster-size'] === undefined ? undefined : intFrom(v['min-cluster-size'], 'min-cluster-size', 2),
        minSamples: v['min-samples'] === undefined ? undefined : intFrom(v['min-samples'], 'min-samples', 1),
        columns: list(v.columns),
        roles: 'auto',
        label: v.label,
        metric: metricOpt(v.metric),
        scale: scaleOpt(v.scale),
        missing: missingOpt(v.missing),
      });
      const text = [`HDBSCAN (minClusterSize=${report.minClusterSize}, minSamples=${report.minSamples}): ${report.nClusters} clusters, ${report.nNoise} noise rows`,
        ...report.warnings.map((w) => `warning: ${w}`)];
      return { json: report, text: text.join('\n') };
    }
    if (v.eps === undefined || v['min-samples'] === undefined) throw new UsageError('dbscan needs --eps X and --min-samples N');
    const { table } = readTable(file);
    const report = dbscanTable(table, {
      eps: positive(v.eps, 'eps'),
      minSamples: intFrom(v['min-samples'], 'min-samples', 1),
      columns: list(v.columns),
      roles: 'auto',
      label: v.label,
      metric: metricOpt(v.metric),
      scale: scaleOpt(v.scale),
      missing: missingOpt(v.missing),
    });
    const text = [`${report.nClusters} clusters, ${report.nNoise} noise rows, ${report.coreSampleIndices.length} core rows`,
      ...report.warnings.map((w) => `warning: ${w}`)];
    return { json: report, text: text.join('\n') };
  },

  medoids: (file, v) => {
    if (!v.k) throw new UsageError('medoids needs --k N');
    const { table } = readTable(file);
    const similarity = v.similarity === undefined ? 'auto' : oneOf(v.similarity, 'similarity', ['auto', 'distance', 'similarity'] as const);
    let result: ReturnType<typeof medoidsTable>;
    try {
      result = medoidsTable(table, {
        k: kOpt(v.k),
        seed: v.seed === undefined ? 0 : seedOpt(v.seed),
        similarity,
        missing: v['shortest-paths'] ? 'shortest-path' : 'error',
      });
    } catch (e) {
      // The engine's question, answered here with the flag that answers it.
      if (!(e instanceof DistanceChoiceError)) throw e;
      const c = e.choice;
      throw new EngineError(c.kind === 'similarity'
        ? `${c.reason}: add --similarity distance (smaller = closer) or --similarity similarity (larger = closer)`
        : `${c.missingPairs} of ${c.totalPairs} pairs of items have no distance (for example ${JSON.stringify(c.example[0])} and `
          + `${JSON.stringify(c.example[1])}): give every pair, or add --shortest-paths to use shortest-path distances`);
    }
    const { D: _D, rowItems: _rowItems, ...report } = result;
    report.warnings = report.warnings.map((w) => w.replace(/choose similarity\)?$/, (m) => m.replace('choose similarity', 'add --similarity similarity')));
    const text = [`medoids: ${report.medoids.join(', ')} (total distance ${report.cost}; ${report.method})`,
      ...report.ids.map((id, i) => `${id}\t${report.medoids[report.labels[i]]}`),
      ...report.warnings.map((w) => `warning: ${w}`)];
    return { json: report, text: text.join('\n') };
  },
};

function readTable(file: string, options: { header?: boolean | 'auto' } = {}): { table: CsvTable; read: ReturnType<typeof readTextFile> } {
  const read = readTextFile(file);
  const table = parseCsv(read.text, { header: options.header ?? 'auto' });
  if (read.invalidUtf8) table.warnings.push('the file is not valid UTF-8: unreadable bytes were replaced by U+FFFD');
  return { table, read };
}

/** A model file, read and checked as the extension does (MODEL_LIMITS, parseModelText). */
function readModel(path: string): SavedModel {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, { name: path, noun: 'model file' }, MODEL_LIMITS.maxBytes, (size) => modelTooLargeMessage(path, size));
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return parseModelText(bytes.toString('utf8'), path);
  } catch (e) {
    throw new FileError((e as Error).message);
  }
}

/** CENTERS.csv: a header of feature names, one row per centre; an empty cell is a coordinate not given. */
function readCenters(path: string): { names: string[]; rows: (number | null)[][] } {
  const { text } = readTextFile(path);
  const table = parseCsv(text, { header: true });
  if (!table.header || table.rows.length === 0) throw new FileError(`${path}: expected a header of feature names and one row per centre`);
  const names = table.header;
  const rows = table.rows.map((row, i) => names.map((_, c) => {
    const cell = row[c] ?? '';
    if (isMissing(cell)) return null;
    const x = parseNumber(cell);
    if (Number.isNaN(x)) throw new FileError(`${path}: centre row ${i}, column ${JSON.stringify(names[c])}: ${JSON.stringify(cell)} is not a number`);
    return x;
  }));
  return { names, rows };
}

/** Options --minibatch cannot honour: it fits raw values in one pass, from k-means++ on the first rows. */
const NOT_WITH_MINIBATCH = ['init', 'n-init', 'algorithm', 'max-iter', 'tol', 'metric', 'scale', 'missing', 'freeze', 'save-model'] as const;

/** `centroid fit FILE --minibatch`: see src/node/minibatchFile.ts. Progress goes to stderr, about once a second. */
function miniBatchVerb(file: string, v: Values, io: Io): VerbResult {
  for (const name of NOT_WITH_MINIBATCH) {
    if (v[name] !== undefined && !(name === 'missing' && v.missing === 'drop') && !(name === 'metric' && v.metric === 'euclidean')
      && !(name === 'scale' && v.scale === 'none')) {
      throw new UsageError(`--${name} is not available with --minibatch (it fits the raw values, seeded by k-means++ on the first rows)`);
    }
  }
  if (v.k === undefined) throw new UsageError('fit needs --k N (the number of clusters)');
  const k = kOpt(v.k);
  const batchSize = v['batch-size'] === undefined ? 1024 : intIn(v['batch-size'], 'batch-size', 1, 1 << 24);
  let last = 0;
  const run = (): ReturnType<typeof fitMiniBatchFile> => fitMiniBatchFile(file, {
    k,
    batchSize,
    seed: v.seed === undefined ? FIT_DEFAULTS.seed : seedOpt(v.seed),
    columns: list(v.columns),
    label: v.label,
    out: v.out,
    replaceOut: v.force === true,
    onProgress: (pass, done, total, rows) => {
      const t = Date.now();
      if (t - last < 1000 && done < total) return;
      last = t;
      io.stderr(`centroid: ${file}: pass ${pass} of 2 (${pass === 1 ? 'fit' : 'label'}): ${rows.toLocaleString('en-US')} rows, `
        + `${formatMegabytes(done)} of ${formatMegabytes(total)}`);
    },
  });
  let report: ReturnType<typeof fitMiniBatchFile>;
  try {
    report = run();
  } catch (e) {
    if (e instanceof FileExistsError && v.out !== undefined) throw new FileError(outTakenMessage(v.out, 'out'));
    throw e;
  }
  const text = [
    `mini-batch k-means on ${file}: k=${k}, batch ${batchSize}, ${report.nSteps} steps, ${report.featureNames.length} features (${report.featureNames.join(', ')}), `
      + `${report.nDataRows - report.nSkipped} rows`,
    `inertia ${report.inertia} (sum of squared Euclidean distances to the nearest centre, in the original units)`,
    `cluster sizes: ${report.counts.join(', ')}`,
    ...report.warnings.map((w) => `warning: ${w}`),
  ];
  return { json: report, text: text.join('\n') };
}

/** Files at least this big get k-means spread over every core (a pool costs ~40 ms to start). */
const POOL_MIN_BYTES = 8 * 1024 * 1024;
let poolInstalled = false;

/** Installs the kernel thread pool (once per process) when `file` is big enough to repay it. */
function useKernelPool(file: string): void {
  if (poolInstalled) return;
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return; // the read reports the file
  }
  if (size < POOL_MIN_BYTES) return;
  poolInstalled = true;
  setDefaultExecutor(KernelPool.create(undefined, undefined, LLOYD_WASM, LLOYD_WASM_SHARED));
}

/**
 * A plain numeric file (numericTable.ts) read in chunks straight into a matrix, or null for
 * any other file (text cells, ragged rows, no rows, ...), which the caller parses as a table.
 */
function readNumericTable(file: string): { table: NumericTable; sha256: string } | null {
  // In the pool's memory when one runs, so k-means works on the matrix in place (no copy).
  const executor = defaultExecutor();
  const read = readNumericFile(file, executor.threads > 1 ? { alloc: (bytes) => executor.alloc(bytes) } : {});
  const table = plainNumericTable(read.result);
  return table === null ? null : { table, sha256: read.sha256 };
}

function fitOptions(v: Values, table: Pick<CsvTable, 'header'>, file: string): FitOptions {
  let init: FitOptions['init'];
  let known: FitOptions['known'];
  let columns = list(v.columns);
  if (v.init !== undefined && v.init !== 'k-means++' && v.init !== 'random') {
    if (!existsSync(v.init)) throw new UsageError(`--init should be k-means++, random or a CENTERS.csv file; "${v.init}" is none of these`);
    const centres = readCenters(v.init);
    if (columns === undefined) {
      const header = table.header ?? [];
      const unknown = centres.names.filter((n) => !header.includes(n));
      if (unknown.length > 0) throw new FileError(`${v.init}: columns ${unknown.map((n) => JSON.stringify(n)).join(', ')} are not in ${file}`);
      columns = centres.names;
    } else {
      const missingNames = columns.filter((n) => !centres.names.includes(n));
      if (missingNames.length > 0) throw new FileError(`${v.init}: no column ${missingNames.map((n) => JSON.stringify(n)).join(', ')} for the starting centres`);
    }
    // As Start from Known Centres does: the pipeline lines the centres up with the features by
    // name, and centres beyond the file's rows (--k above their number) are placed by k-means++.
    known = { fileName: v.init, columns: centres.names, rows: centres.rows, dataName: file };
    if (v.k !== undefined) checkKnownCount(known, kOpt(v.k));
  } else if (v.init !== undefined) {
    init = v.init;
  }
  const k = v.k !== undefined ? kOpt(v.k) : known !== undefined ? known.rows.length : undefined;
  if (k === undefined) throw new UsageError('fit needs --k N (the number of clusters)');
  return {
    k,
    columns,
    // The extension's first click makes the same choices: column roles, scaling, 10 starts.
    roles: 'auto',
    label: labelOpt(v.label),
    init,
    ...(known !== undefined ? { known } : {}),
    freezeGiven: v.freeze === true,
    nInit: v['n-init'] === undefined ? DEFAULT_SETTINGS.nInit
      : v['n-init'] === 'auto' ? 'auto' : intIn(v['n-init'], 'n-init', 1, MAX_N_INIT),
    seed: v.seed === undefined ? FIT_DEFAULTS.seed : seedOpt(v.seed),
    algorithm: v.algorithm === undefined ? FIT_DEFAULTS.algorithm : oneOf(v.algorithm, 'algorithm', ['lloyd', 'elkan'] as const),
    maxIter: v['max-iter'] === undefined ? FIT_DEFAULTS.maxIter : intFrom(v['max-iter'], 'max-iter', 1),
    tol: v.tol === undefined ? FIT_DEFAULTS.tol : atLeastZero(v.tol, 'tol'),
    metric: metricOpt(v.metric),
    scale: scaleOpt(v.scale),
    missing: missingOpt(v.missing),
  };
}

/** `centroid metrics`: score an existing labelling (a column) on the remaining numeric columns. */
function metricsVerb(table: CsvTable, labelsCol: string, truthCol: string | undefined, columns: string[] | undefined, metric: MetricKind): MetricsReport & { warnings: string[] } {
  const pred = labelColumn(table, labelsCol);
  const exclude = truthCol === undefined ? [labelsCol] : [labelsCol, truthCol];
  const warnings: string[] = [];
  let report: MetricsReport = { silhouette: null, daviesBouldin: null, calinskiHarabasz: null };
  const hasFeatures = columns !== undefined || inspectTable(table).numericColumns.some((c) => !exclude.includes(table.header?.[c] ?? ''));
  if (hasFeatures) {
    const dataset = buildDataset(table, { columns, exclude, missing: 'drop' });
    warnings.push(...dataset.warnings);
    warnings.push(...checkMagnitudes(dataset.X, dataset.featureNames, { rowIndex: dataset.rowIndex, rowLine: table.rowLine }));
    // Rows with no cluster value are left out; the others are coded 0..m-1 in sorted order.
    const keep: number[] = [];
    const codes = new Map<string, number>();
    const predValues: (string | number)[] = [];
    for (let r = 0; r < dataset.X.nRows; r++) {
      const value = pred.values[dataset.rowIndex[r]];
      if (value === '') continue;
      keep.push(r);
      predValues.push(value);
      const key = String(value);
      if (!codes.has(key)) codes.set(key, codes.size);
    }
    const labels = new Int32Array(dataset.X.nRows).fill(-1);
    keep.forEach((r, i) => { labels[r] = codes.get(String(predValues[i])) as number; });
    report = internalMetrics(dataset.X, labels, metric, FIT_DEFAULTS.silhouetteSampleSize, 0, undefined, warnings);
  }
  if (truthCol !== undefined) {
    const truth = labelColumn(table, truthCol);
    const predOrNull = pred.values.map((p) => (p === '' ? null : p));
    const ext = externalReport(truth.values, predOrNull, truthCol);
    Object.assign(report, ext.report);
    warnings.push(...ext.warnings);
  }
  return { ...report, warnings };
}

function writeLabelled(
  path: string, table: CsvTable, labels: (number | null)[], distances: (number | null)[],
  mapping: Record<string, string | number> | undefined, force: boolean,
): void {
  if (!force) refuseExisting(path);
  const header = [...(table.header ?? table.rows[0]?.map((_, c) => `column${c + 1}`) ?? []), 'cluster', 'distance'];
  if (mapping) header.push('mapped_label');
  const rows = table.rows.map((row, i) => {
    const out = [...row, labels[i] === null ? '' : String(labels[i]), formatNumber(distances[i])];
    if (mapping) out.push(labels[i] === null ? '' : String(mapping[String(labels[i])] ?? ''));
    return out;
  });
  writeOutput(path, toCsv(header, rows, table.delimiter), force, 'out');
}

/** Refuses an --out name that anything has (a dangling symbolic link included), before any work. */
function refuseExisting(path: string): void {
  if (taken(path)) throw new FileError(outTakenMessage(path, 'out'));
}

function outTakenMessage(path: string, option: 'out' | 'save-model'): string {
  return `${path} already exists; choose another --${option} name or add --force to replace it`;
}

/**
 * Writes an output file: replacing what is there only when `replace` (--force, or an earlier
 * Centroid model for --save-model), else failing if anything took the name meanwhile, however
 * late (writeFileAtomic claims it with a link).
 */
function writeOutput(path: string, content: string, replace: boolean, option: 'out' | 'save-model'): void {
  try {
    writeFileAtomic(path, content, { replace });
  } catch (e) {
    if (e instanceof FileExistsError) throw new FileError(outTakenMessage(path, option));
    throw e;
  }
}

/**
 * --save-model replaces an earlier Centroid model at that path (updating a model in place is
 * the point of partial-fit), but never another file the user owns: anything there that is not a
 * Centroid model is refused, before any fitting, unless --force is given. True when an earlier
 * model is there (and may be replaced).
 */
function refuseNonModel(path: string): boolean {
  if (!taken(path)) return false;
  try {
    readModel(path);
    return true;
  } catch {
    throw new FileError(`${path} already exists and is not a Centroid model; choose another --save-model name or add --force to replace it`);
  }
}

function metricLines(m: MetricsReport): string[] {
  const f = (x: number | null | undefined): string => (x === null || x === undefined ? 'undefined' : x.toPrecision(6));
  const lines = [
    `silhouette ${f(m.silhouette)}${m.silhouetteSampleSize ? ` (on a sample of ${m.silhouetteSampleSize} rows)` : ''}, Davies-Bouldin ${f(m.daviesBouldin)}, Calinski-Harabasz ${f(m.calinskiHarabasz)}`,
  ];
  if (m.adjustedRand !== undefined) {
    lines.push(`adjusted Rand ${f(m.adjustedRand)}, adjusted mutual info ${f(m.adjustedMutualInfo)}, normalized mutual info ${f(m.normalizedMutualInfo)}`);
    lines.push(`homogeneity ${f(m.homogeneity)}, completeness ${f(m.completeness)}, V-measure ${f(m.vMeasure)}, Fowlkes-Mallows ${f(m.fowlkesMallows)}`);
  }
  if (m.mapping) {
    lines.push(`mapping: ${Object.entries(m.mapping.clusterToLabel).map(([c, l]) => `${c} -> ${l}`).join(', ')}; accuracy after mapping ${f(m.mapping.accuracy)} (${mappedAccuracyNote(m.mapping)})`);
  }
  return lines;
}

function list(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--columns needs at least one column name');
  return names;
}

/** A comma list of values for --NAME (at least one). */
function names(text: string, name: string): string[] {
  const values = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (values.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return values;
}

function cellNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6);
}

/**
 * Plain decimal digits with an optional sign: "3", "-5". Number() also reads "0x3", "1e1",
 * "3.0" and " 3 " as whole numbers; a count or a seed is none of those.
 */
const WHOLE_NUMBER = /^[+-]?\d+$/;

function int(text: string, name: string): number {
  const x = WHOLE_NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(x)) throw new UsageError(`--${name} should be a whole number, not "${text}"`);
  return x;
}

/** A whole number >= min (k, min-samples, max-iter: the options that count something). */
function intFrom(text: string, name: string, min: number): number {
  const x = int(text, name);
  if (x < min) throw new UsageError(`--${name} should be a whole number >= ${min}, not "${text}"`);
  return x;
}

/** A whole number in [min, max] (e.g. seeds, which the generator reads as 32-bit integers). */
function intIn(text: string, name: string, min: number, max: number): number {
  const x = WHOLE_NUMBER.test(text) ? Number(text) : NaN;
  if (!(x >= min && x <= max)) throw new UsageError(`--${name} should be a whole number from ${min} to ${max}, not "${text}"`);
  return x;
}

/** k, 1..MAX_K as everywhere (the extension's settings, a model's centres). */
const kOpt = (text: string): number => intIn(text, 'k', 1, MAX_K);

/** The seeds the extension's settings accept too (a 32-bit integer, signed or not): larger ones would alias. */
const seedOpt = (text: string): number => intIn(text, 'seed', -2147483648, 4294967295);

function num(text: string, name: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x)) throw new UsageError(`--${name} should be a number, not "${text}"`);
  return x;
}

function positive(text: string, name: string): number {
  const x = num(text, name);
  if (!(x > 0)) throw new UsageError(`--${name} should be a number above 0, not "${text}"`);
  return x;
}

function atLeastZero(text: string, name: string): number {
  const x = num(text, name);
  if (x < 0) throw new UsageError(`--${name} should be a number >= 0, not "${text}"`);
  return x;
}

function oneOf<T extends string>(text: string, name: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${name} should be one of ${allowed.join(', ')}, not "${text}"`);
  return text as T;
}

const metricOpt = (t: string | undefined): MetricKind => (t === undefined ? 'euclidean' : oneOf(t, 'metric', ['euclidean', 'cosine'] as const));
const scaleOpt = (t: string | undefined): ScaleKind | 'auto' => (t === undefined ? DEFAULT_SETTINGS.scale : oneOf(t, 'scale', SCALES));
/** `--label COL`, `--label none` (no label column), or none given: the column roles pick one. */
const labelOpt = (t: string | undefined): string | null | undefined => (t === 'none' ? null : t);
const missingOpt = (t: string | undefined): MissingPolicy => (t === undefined ? 'drop' : oneOf(t, 'missing', ['drop', 'mean'] as const));
const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p;

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
