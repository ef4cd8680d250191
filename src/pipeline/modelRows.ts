/**
 * What a saved model does with rows it has not seen: assign them with the centres unchanged
 * (a fit-like outcome the panel can draw), and the three ways of taking new rows into the
 * model (an online mini-batch step, a warm refit from the model's centres, a refit from
 * several seeds), measured the same way so they can be compared side by side.
 *
 * Every way runs in the model's fit space: the model's scaling is kept as it is (not
 * re-estimated on the new rows), so inertias before and after are comparable.
 * Pure: no file system, no threads.
 */
import type { CsvTable } from '../csv/read';
import { buildDataset, labelColumn, type Dataset } from '../csv/dataset';
import { CsvError } from '../csv/read';
import { linearSumAssignment } from '../engine/assignment';
import { EngineError, check, throwIfCancelled, type RunControl } from '../engine/errors';
import { assignLabels, inertiaOf } from '../engine/kmeans';
import { fromRows, toRows, type Matrix } from '../engine/matrix';
import { partialFitStep } from '../engine/minibatch';
import { applyScaler, unscaleCenters } from '../engine/scale';
import { scalingInfo } from './autoScale';
import { warmRefit } from '../engine/warmStart';
import { FIT_DEFAULTS, distancesForRows, type FitOutcome } from './fit';
import { computeMetrics } from './metrics';
import { predictTable, scalerFromJson, type SavedModel } from './model';
import type { FitReport } from './types';

/** The model's feature columns that `table` lacks (none when it has no header: columns go by position). */
export function missingModelColumns(table: Pick<CsvTable, 'header'>, model: Pick<SavedModel, 'featureNames'>): string[] {
  if (table.header === null) return [];
  const have = new Set(table.header);
  return model.featureNames.filter((n) => !have.has(n));
}

/**
 * Throws one CsvError naming every feature column of the model that `table` lacks.
 * @param fileName the CSV's name, for the message; @param modelName the model file's name.
 */
export function checkModelColumns(table: Pick<CsvTable, 'header'>, model: Pick<SavedModel, 'featureNames'>, fileName: string, modelName = 'the model'): void {
  const missing = missingModelColumns(table, model);
  if (missing.length === 0) return;
  const list = missing.map((n) => JSON.stringify(n)).join(', ');
  throw new CsvError(`${fileName} has no column${missing.length === 1 ? '' : 's'} ${list}, which ${modelName} was fitted on; `
    + `it needs ${model.featureNames.map((n) => JSON.stringify(n)).join(', ')}`);
}

/**
 * Rows of `table` assigned to the model's centres (unchanged), as a fit outcome: report with
 * labels, distances, inertia (in the model's fit space), counts and metrics, plus the
 * matrices the panel's view needs. `nIter` is 0: nothing was fitted.
 * @throws CsvError for missing feature columns (all named) or no usable row; EngineError for
 * values whose squares overflow a double.
 * Complexity O(n k d) plus the metrics' cost.
 */
export function predictOutcome(table: CsvTable, model: SavedModel, fileName: string, control?: RunControl): FitOutcome {
  checkModelColumns(table, model, fileName);
  const predicted = predictTable(table, model);
  const dataset = buildDataset(table, { columns: model.featureNames, missing: 'drop' });
  const scaler = scalerFromJson(model.scaler);
  const fitX = scaler.kind === 'none' ? dataset.X : applyScaler(dataset.X, scaler);
  const d = model.featureNames.length;
  const fitCenters = fromRows(model.fitCenters, d);
  const k = fitCenters.nRows;
  const fitLabels = new Int32Array(fitX.nRows).fill(-1);
  for (let i = 0; i < fitX.nRows; i++) fitLabels[i] = predicted.labels[dataset.rowIndex[i]] ?? -1;
  throwIfCancelled(control);
  const distances = distancesForRows(dataset, fitX, fitCenters, fitLabels, model.metric);
  let inertia = 0;
  const countsByCluster = new Array<number>(k).fill(0);
  for (let i = 0; i < fitX.nRows; i++) {
    const j = fitLabels[i];
    if (j < 0) continue;
    countsByCluster[j]++;
    const dist = distances[dataset.rowIndex[i]] as number;
    inertia += model.metric === 'cosine' ? dist : dist * dist;
  }
  const params = model.params;
  const num = (key: string, fallback: number): number => (typeof params[key] === 'number' ? params[key] : fallback);
  const str = (key: string, fallback: string): string => (typeof params[key] === 'string' ? params[key] : fallback);
  const label = model.labelColumn !== null && table.header?.includes(model.labelColumn) ? model.labelColumn : undefined;
  const seed = num('seed', FIT_DEFAULTS.seed);
  const metrics = computeMetrics((name) => labelColumn(table, name).values, {
    X: fitX, labels: fitLabels, dataset, label, metric: model.metric, sampleSize: FIT_DEFAULTS.silhouetteSampleSize, seed,
  }, control);
  const warnings = [...predicted.warnings, ...metrics.warnings];
  const unassigned = fitX.nRows - countsByCluster.reduce((a, b) => a + b, 0);
  if (unassigned > 0) warnings.push(`${unassigned} all-zero rows have no direction and were left unassigned`);
  const report: FitReport = {
    clusterCenters: model.clusterCenters,
    labels: predicted.labels,
    inertia,
    nIter: 0,
    warnings,
    metrics: metrics.report,
    featureNames: model.featureNames,
    counts: countsByCluster,
    distances,
    inertiaSpace: inertiaSpaceOf(model),
    options: {
      k,
      seed,
      metric: model.metric,
      scale: model.scaler.kind,
      missing: 'drop',
      algorithm: str('algorithm', FIT_DEFAULTS.algorithm) === 'elkan' ? 'elkan' : 'lloyd',
      maxIter: num('maxIter', FIT_DEFAULTS.maxIter),
      tol: num('tol', FIT_DEFAULTS.tol),
      nInit: num('nInit', 1),
      init: 'saved model',
      label: label ?? null,
    },
    nDataRows: dataset.nDataRows,
    droppedRows: dataset.droppedRows,
    scaling: {
      ...scalingInfo(scaler.kind, false, 'the saved model\'s scaling'),
      offset: Array.from(scaler.offset.length === fitX.nCols ? scaler.offset : new Float64Array(fitX.nCols)),
      scale: Array.from(scaler.scale.length === fitX.nCols ? scaler.scale : new Float64Array(fitX.nCols).fill(1)),
    },
  };
  return { report, dataset, scaler, fitX, fitCenters, fitLabels, counts: Float64Array.from(countsByCluster) };
}

function inertiaSpaceOf(model: SavedModel): string {
  const kind = model.scaler.kind;
  const space = kind === 'none' ? 'the original units' : `${kind}-scaled units (centres are reported in the original units)`;
  return model.metric === 'cosine'
    ? `sum of (1 - cosine similarity) over rows, in ${space}`
    : `sum of squared Euclidean distances to the nearest centre, in ${space}`;
}

// ---------------------------------------------------------------------------------------------
// Adding rows to a model
// ---------------------------------------------------------------------------------------------

/** The three ways of taking new rows into a model. */
export const ADD_WAYS = ['online', 'warm', 'seeds'] as const;
export type AddWay = (typeof ADD_WAYS)[number];

/** A table and which of its data rows are new: rows with index >= `newFrom` (0: all; Infinity: none). */
export interface RowSource {
  table: CsvTable;
  /** The file's name, for messages and the list of changed rows. */
  file: string;
  newFrom: number;
}

/** Options of {@link addRowsWays}. */
export interface AddRowsOptions {
  /** Fresh k-means++ fits for the 'seeds' way (seeds `seed`, `seed + 1`, ...), at least 1. */
  nSeeds: number;
  /** First seed, default the model's seed or 0. */
  seed?: number;
  /** Which ways to compute, default all three. */
  ways?: readonly AddWay[];
  maxIter?: number;
  tol?: number;
}

/** A row whose cluster differs between the model's centres and a way's new centres. */
export interface ChangedRow {
  file: string;
  /** 0-based data row of that file. */
  row: number;
  /** 1-based line in that file. */
  line: number;
  from: number;
  to: number;
  /** The row is one of the new rows. */
  isNew: boolean;
}

/** One way's result: the candidate model and how it compares with the model it started from. */
export interface WayOutcome {
  way: AddWay;
  /** The model this way gives (counts carried on for 'online'; rows per cluster for the refits). */
  model: SavedModel;
  /** Inertia of all rows (old and new) under this way's centres, in the model's fit space. */
  inertiaAfter: number;
  /** Iterations (0 for the online step, which is one update). */
  nIter: number;
  /** Rows whose cluster changed, and how many of them are old or new rows. */
  changedCount: number;
  changedOld: number;
  changedNew: number;
  /** The first {@link MAX_CHANGED_LISTED} changed rows, in file order. */
  changed: ChangedRow[];
  /** Rows per cluster under the new centres (old and new rows). */
  counts: number[];
  /** 'seeds' only: the seed of the fit kept, and every seed's inertia in seed order. */
  seed?: number;
  seedInertias?: number[];
}

export interface AddRowsOutcome {
  /** Usable old and new rows (rows with missing feature values are left out). */
  nOld: number;
  nNew: number;
  /** Inertia of all rows under the model's centres, before any update. */
  inertiaBefore: number;
  /** Inertia of the new rows alone under the model's centres. */
  newInertiaBefore: number;
  ways: WayOutcome[];
  warnings: string[];
}

/** At most this many changed rows are listed per way (the count is always complete). */
export const MAX_CHANGED_LISTED = 200;

/**
 * Takes the new rows of `sources` into `model` in each of the requested ways, measured on all
 * rows (old and new) against the model's own centres:
 * - 'online': one MiniBatchKMeans.partial_fit step on the new rows only, counts carried on;
 * - 'warm': k-means on all rows starting from the model's centres (one run);
 * - 'seeds': k-means++ on all rows from `nSeeds` seeds, the lowest inertia kept (earliest on a
 *   tie); its clusters are renumbered to match the model's (best one-to-one overlap), so
 *   "changed cluster" means a real move, not a new numbering.
 * @throws EngineError for a cosine model, no new rows, fewer rows than clusters, bad options;
 * CsvError for missing columns; CancelledError when cancelled.
 * Complexity: one partial-fit step plus (1 + nSeeds) k-means fits on n = old + new rows.
 */
export function addRowsWays(sources: RowSource[], model: SavedModel, options: AddRowsOptions, control?: RunControl): AddRowsOutcome {
  if (model.metric !== 'euclidean') {
    throw new EngineError('adding rows works with Euclidean models; this model uses cosine distance, so cluster the file again instead');
  }
  const ways = options.ways ?? ADD_WAYS;
  check(ways.length > 0 && ways.every((w) => (ADD_WAYS as readonly string[]).includes(w)), `ways=${ways.join(',')} should name online, warm or seeds`);
  const nSeeds = options.nSeeds;
  check(Number.isInteger(nSeeds) && nSeeds >= 1 && nSeeds <= 1000, `nSeeds=${nSeeds} should be a whole number from 1 to 1000`);
  const seed = options.seed ?? (typeof model.params.seed === 'number' ? model.params.seed : 0);
  const d = model.featureNames.length;
  const scaler = scalerFromJson(model.scaler);
  const warnings: string[] = [];

  // All usable rows, old first then new, with where each came from.
  const parts: { dataset: Dataset; X: Matrix; source: RowSource }[] = [];
  for (const source of sources) {
    checkModelColumns(source.table, model, source.file);
    const dataset = buildDataset(source.table, { columns: model.featureNames, missing: 'drop' });
    warnings.push(...dataset.warnings.map((w) => `${source.file}: ${w}`));
    parts.push({ dataset, X: scaler.kind === 'none' ? dataset.X : applyScaler(dataset.X, scaler), source });
  }
  const refs: { part: number; i: number; isNew: boolean }[] = [];
  for (const isNew of [false, true]) {
    parts.forEach((p, part) => {
      for (let i = 0; i < p.X.nRows; i++) if ((p.dataset.rowIndex[i] >= p.source.newFrom) === isNew) refs.push({ part, i, isNew });
    });
  }
  const n = refs.length;
  const nNew = refs.filter((r) => r.isNew).length;
  const nOld = n - nNew;
  if (nNew === 0) {
    const where = sources.map((s) => (s.newFrom === 0 ? s.file : `${s.file} after row ${s.newFrom}`)).join(' or ');
    throw new EngineError(`there are no new rows with values in every feature column in ${where}`);
  }
  const all = new Float64Array(n * d);
  refs.forEach((r, at) => all.set(parts[r.part].X.data.subarray(r.i * d, r.i * d + d), at * d));
  const X: Matrix = { data: all, nRows: n, nCols: d };
  const Xnew: Matrix = { data: all.subarray(nOld * d), nRows: nNew, nCols: d };
  const ones = new Float64Array(n).fill(1);

  const centers = fromRows(model.fitCenters, d);
  const k = centers.nRows;
  const before = new Int32Array(n);
  assignLabels(X.data, n, d, centers.data, k, before);
  const inertiaBefore = inertiaOf(X.data, n, d, centers.data, before, ones);
  const newInertiaBefore = inertiaOf(Xnew.data, nNew, d, centers.data, before.subarray(nOld), ones);

  const describe = (way: AddWay, newCenters: Matrix, counts: number[], nIter: number, extra: Partial<WayOutcome> = {}): WayOutcome => {
    const after = new Int32Array(n);
    assignLabels(X.data, n, d, newCenters.data, k, after);
    const inertiaAfter = inertiaOf(X.data, n, d, newCenters.data, after, ones);
    const changed: ChangedRow[] = [];
    let changedOld = 0;
    let changedNew = 0;
    const perCluster = new Array<number>(k).fill(0);
    for (let at = 0; at < n; at++) {
      perCluster[after[at]]++;
      if (after[at] === before[at]) continue;
      const r = refs[at];
      if (r.isNew) changedNew++;
      else changedOld++;
      if (changed.length < MAX_CHANGED_LISTED) {
        const p = parts[r.part];
        const row = p.dataset.rowIndex[r.i];
        changed.push({ file: p.source.file, row, line: p.source.table.rowLine[row] + 1, from: before[at], to: after[at], isNew: r.isNew });
      }
    }
    const updated: SavedModel = {
      ...model,
      createdAt: new Date().toISOString(),
      fitCenters: toRows(newCenters),
      clusterCenters: toRows(unscaleCenters(newCenters, scaler)),
      counts,
      inertia: inertiaAfter,
    };
    return {
      way, model: updated, inertiaAfter, nIter, changedCount: changedOld + changedNew, changedOld, changedNew, changed,
      counts: perCluster, ...extra,
    };
  };

  const out: WayOutcome[] = [];
  if (ways.includes('online')) {
    const state = { centers: fromRows(model.fitCenters, d), counts: Float64Array.from(model.counts) };
    partialFitStep(state, Xnew);
    const starved = Array.from(state.counts).flatMap((c, j) => (c === 0 ? [j] : []));
    if (starved.length > 0) warnings.push(`online update: clusters ${starved.join(', ')} have received no rows yet and keep their centres`);
    out.push(describe('online', state.centers, Array.from(state.counts), 0));
  }
  throwIfCancelled(control);
  const wantWarm = ways.includes('warm');
  const wantSeeds = ways.includes('seeds');
  if (wantWarm || wantSeeds) {
    check(n >= k, `nSamples=${n} should be >= nClusters=${k} to refit (old and new rows with values in every feature column)`);
    const refit = warmRefit(X, centers, {
      nSeeds: wantSeeds ? nSeeds : 0, seed, maxIter: options.maxIter ?? FIT_DEFAULTS.maxIter, tol: options.tol ?? FIT_DEFAULTS.tol,
      algorithm: model.params.algorithm === 'elkan' ? 'elkan' : 'lloyd',
    }, control);
    if (wantWarm) {
      warnings.push(...refit.warm.warnings.map((w) => `warm refit: ${w}`));
      out.push(describe('warm', refit.warm.clusterCenters, Array.from(refit.warm.counts), refit.warm.nIter));
    }
    if (wantSeeds) {
      let best = 0;
      for (let s = 1; s < refit.seeded.length; s++) if (refit.seeded[s].inertia < refit.seeded[best].inertia) best = s;
      const won = refit.seeded[best];
      warnings.push(...won.warnings.map((w) => `refit from seed ${seed + best}: ${w}`));
      const order = matchClusters(before, won.labels, k);
      const renumbered = new Float64Array(k * d);
      const counts = new Array<number>(k);
      for (let j = 0; j < k; j++) {
        renumbered.set(won.clusterCenters.data.subarray(order[j] * d, order[j] * d + d), j * d);
        counts[j] = won.counts[order[j]];
      }
      out.push(describe('seeds', { data: renumbered, nRows: k, nCols: d }, counts, won.nIter, {
        seed: seed + best, seedInertias: refit.seeded.map((r) => r.inertia),
      }));
    }
  }
  return { nOld, nNew, inertiaBefore, newInertiaBefore, ways: out, warnings };
}

/**
 * For each old cluster j, the new cluster that overlaps it most under a one-to-one matching
 * (linear sum assignment on the k x k overlap counts, maximised): `order[j]` is the new index.
 */
export function matchClusters(oldLabels: Int32Array, newLabels: Int32Array, k: number): number[] {
  const overlap: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < oldLabels.length; i++) overlap[oldLabels[i]][newLabels[i]]++;
  const { rowInd, colInd } = linearSumAssignment(overlap, true);
  const order = new Array<number>(k).fill(-1);
  for (let t = 0; t < rowInd.length; t++) order[rowInd[t]] = colInd[t];
  return order;
}
