/**
 * Choosing k without cross-validation: fit every k in a range (optionally crossed with the
 * starting method, the metric and several seeds) with the same code as a single fit, score
 * each setting, measure how stable its clustering is across seeds, find the elbow of the
 * inertia curve and suggest a k with a one-sentence reason.
 */
import { MAX_K } from '../protocol/messages';
import type { CsvTable } from '../csv/read';
import { buildDataset } from '../csv/dataset';
import { decideRoles, tableRoleColumns } from './roles';
import { check, throwIfCancelled, type RunControl } from '../engine/errors';
import { kmeansFit } from '../engine/kmeans';
import { findKnee } from '../engine/knee';
import type { Matrix } from '../engine/matrix';
import { adjustedRandScore } from '../engine/metrics/external';
import { sphericalKMeansFit } from '../engine/spherical';
import { FIT_DEFAULTS, fitTable, resolveNInit } from './fit';
import { checkKRangeForRows } from './limits';
import type { FitOptions, MetricKind } from './types';

export { kneedle, findKnee, type Knee, type KneedleOptions } from '../engine/knee';

/** Starting methods a sweep can use (given centres fix k, so they cannot be swept). */
export type SweepInit = 'k-means++' | 'random';

/** Largest number of seeds per setting. */
export const MAX_SEEDS = 100;

/** A fit's options without k, plus what to cross with the range of k. */
export interface SweepOptions extends Omit<FitOptions, 'k'> {
  /** Starting methods to cross with k; default `[init ?? 'k-means++']`. */
  inits?: SweepInit[];
  /** Metrics to cross with k; default `[metric ?? 'euclidean']`. */
  metrics?: MetricKind[];
  /**
   * Fits per setting, default 1: seeds `seed, seed + 1, ...`. The row reports the fit with
   * the lowest inertia; all of them measure stability.
   */
  nSeeds?: number;
}

/** One setting of the grid: what `centroid fit` reports for it, plus stability across seeds. */
export interface SweepRow {
  k: number;
  inertia: number;
  silhouette: number | null;
  daviesBouldin: number | null;
  calinskiHarabasz: number | null;
  nIter: number;
  warnings: string[];
  init: SweepInit;
  metric: MetricKind;
  /** The seed of the reported fit (the seed with the lowest inertia; the first on a tie). */
  seed: number;
  /** Rows the silhouette was computed on when it was a stratified sample; absent when exact. */
  silhouetteSampleSize?: number;
  /** Mean adjusted Rand index over all pairs of the seeds' labelings (1 = identical clusterings); null with one seed. */
  stability: number | null;
  /** Inertia of each seed's fit, in seed order (the first is `inertia`). */
  seedInertias: number[];
  /** Adjusted Rand index against the class column, when one was given. */
  adjustedRand?: number;
}

/** The suggestion for one (init, metric) setting over the range of k. */
export interface SweepSetting {
  init: SweepInit;
  metric: MetricKind;
  suggestedK: number | null;
  elbowK: number | null;
  why: string;
}

export interface SweepReport {
  /** One row per setting, in grid order: init, then metric, then k ascending. */
  results: SweepRow[];
  /** The suggested k of `suggestedSetting`. */
  suggestedK: number | null;
  /** The k at the elbow of that setting's inertia curve (Kneedle), or null. */
  elbowK: number | null;
  /** One sentence: why that k. */
  why: string;
  /** The (init, metric) setting the top-level suggestion is for. */
  suggestedSetting: { init: SweepInit; metric: MetricKind };
  /** The suggestion for each (init, metric) setting, in grid order. */
  settings: SweepSetting[];
  /** What was swept. */
  grid: { kMin: number; kMax: number; inits: SweepInit[]; metrics: MetricKind[]; seeds: number[] };
}

/** Parses a range such as "2..10" (inclusive) or "3". Throws with the rule when malformed. */
export function parseKRange(text: string): { kMin: number; kMax: number } {
  const m = /^\s*(\d+)\s*(?:\.\.|-|:)\s*(\d+)\s*$/.exec(text) ?? /^\s*(\d+)\s*$/.exec(text);
  check(m !== null, `--k "${text}" should be a range such as 2..10`);
  const kMin = Number(m[1]);
  const kMax = Number(m[2] ?? m[1]);
  check(kMin >= 1 && kMax >= kMin, `the range ${kMin}..${kMax} should have 1 <= from <= to`);
  check(kMax <= MAX_K, `the range ${kMin}..${kMax} goes above k = ${MAX_K}, the most clusters a fit may have`);
  return { kMin, kMax };
}

/**
 * Fits every setting of the grid k = kMin..kMax x `inits` x `metrics`, each with `nSeeds`
 * seeds, and scores it. The row of a setting is exactly what `fitTable` reports with the
 * same options and its best seed (inertia, silhouette, Davies-Bouldin, Calinski-Harabasz,
 * nIter, warnings): the silhouette is exact, and above `silhouetteSampleSize` rows (default
 * 20,000) computed on the stated stratified sample. With several seeds the other fits run
 * with the same options on the same matrix, and `stability` is the mean pairwise adjusted
 * Rand index of all the seeds' labelings.
 *
 * `control.onProgress` sees the fraction of the whole grid and the setting being fitted;
 * `control.isCancelled` is checked inside every fit (CancelledError); `onRow` receives each
 * row as soon as it is scored (partial results), with its index and the number of settings.
 *
 * Cost: (kMax - kMin + 1) x |inits| x |metrics| x (nSeeds k-means fits + one silhouette).
 *
 * @throws EngineError for a bad range (k must satisfy 1 <= kMin <= kMax <= usable rows),
 *   given starting centres, unknown inits or metrics, or nSeeds outside [1, 100]; CsvError or
 *   EngineError from the fits; CancelledError when cancelled.
 */
export function sweepTable(
  table: CsvTable, kMin: number, kMax: number, options: SweepOptions,
  control?: RunControl, onRow?: (row: SweepRow, index: number, total: number) => void,
): SweepReport {
  check(Number.isInteger(kMin) && Number.isInteger(kMax) && kMin >= 1 && kMax >= kMin,
    `the range of k ${kMin}..${kMax} should have 1 <= from <= to`);
  const { inits: initList, metrics: metricList, nSeeds: nSeedsOption, ...fitOptions } = options;
  const givenInit = fitOptions.init;
  if (Array.isArray(givenInit)) {
    check(false, 'starting centres fix k, so they cannot be swept over a range of k: use init k-means++ or random');
  }
  const inits: SweepInit[] = dedupe(initList ?? [givenInit ?? 'k-means++']);
  const metrics: MetricKind[] = dedupe(metricList ?? [fitOptions.metric ?? FIT_DEFAULTS.metric]);
  check(inits.length >= 1, 'inits is empty: give at least one of k-means++, random');
  check(metrics.length >= 1, 'metrics is empty: give at least one of euclidean, cosine');
  for (const init of inits) check(init === 'k-means++' || init === 'random', `init=${String(init)} should be 'k-means++' or 'random'`);
  for (const metric of metrics) check(metric === 'euclidean' || metric === 'cosine', `metric=${String(metric)} should be 'euclidean' or 'cosine'`);
  const nSeeds = nSeedsOption ?? 1;
  check(Number.isInteger(nSeeds) && nSeeds >= 1 && nSeeds <= MAX_SEEDS, `nSeeds=${nSeeds} should be a whole number in [1, ${MAX_SEEDS}]`);
  const seed0 = fitOptions.seed ?? FIT_DEFAULTS.seed;
  check(Number.isInteger(seed0), `seed=${seed0} should be a whole number`);
  const seeds = Array.from({ length: nSeeds }, (_, s) => seed0 + s);

  // Check the range against the usable rows once, before any fit (with the fits' columns).
  const roles = fitOptions.roles === 'auto'
    ? decideRoles(tableRoleColumns(table), { columns: fitOptions.columns, label: fitOptions.label })
    : undefined;
  const label = roles ? roles.label : fitOptions.label ?? null;
  const dataset = buildDataset(table, {
    columns: roles?.featureColumns ? undefined : roles ? roles.features : fitOptions.columns,
    columnIndices: roles?.featureColumns,
    exclude: label !== null ? [label] : [],
    missing: fitOptions.missing ?? FIT_DEFAULTS.missing,
  });
  const nUsable = dataset.X.nRows;
  checkKRangeForRows(kMin, kMax, nUsable, dataset.droppedRows.length);

  const nK = kMax - kMin + 1;
  const total = nK * inits.length * metrics.length;
  const progress = new Throttle(control);
  const results: SweepRow[] = [];
  const settings: SweepSetting[] = [];
  let index = 0;
  for (const init of inits) {
    for (const metric of metrics) {
      const rows: SweepRow[] = [];
      for (let k = kMin; k <= kMax; k++) {
        throwIfCancelled(control);
        const at = index;
        const label = `k=${k}${inits.length > 1 ? `, ${init}` : ''}${metrics.length > 1 ? `, ${metric}` : ''}`;
        const row = sweepSetting(table, { ...fitOptions, init, metric, k }, seeds, control, (f, message) => {
          progress.report((at + f) / total, `${label}: ${message}`);
        });
        rows.push(row);
        results.push(row);
        index++;
        progress.report(index / total, `${label}: scored`);
        onRow?.(row, index - 1, total);
      }
      settings.push({ init, metric, ...suggestK(rows) });
    }
  }
  const chosen = chooseSetting(settings, results, metrics[0]);
  const crossed = settings.length > 1;
  return {
    results,
    suggestedK: chosen.suggestedK,
    elbowK: chosen.elbowK,
    why: crossed ? `with ${chosen.init} starts and ${chosen.metric} distances, ${chosen.why}` : chosen.why,
    suggestedSetting: { init: chosen.init, metric: chosen.metric },
    settings,
    grid: { kMin, kMax, inits, metrics, seeds },
  };
}

/**
 * One setting: every seed's fit (for stability), and the row of the best one (lowest inertia;
 * the first on a tie) as fitTable reports it, so each k is scored by its best clustering.
 */
function sweepSetting(
  table: CsvTable, options: FitOptions & { init: SweepInit; metric: MetricKind }, seeds: number[],
  control: RunControl | undefined, onProgress: (fraction: number, message: string) => void,
): SweepRow {
  const nSeeds = seeds.length;
  const inner = (s: number): RunControl => ({
    isCancelled: control?.isCancelled,
    onProgress: (f, message) => onProgress((s + f) / nSeeds, nSeeds > 1 ? `seed ${seeds[s]}: ${message}` : message),
  });
  let outcome = fitTable(table, { ...options, seed: seeds[0] }, inner(0));
  const labelings: Int32Array[] = [outcome.fitLabels];
  const seedInertias = [outcome.report.inertia];
  let best = 0;
  for (let s = 1; s < nSeeds; s++) {
    const fit = refit(outcome.fitX, options, seeds[s], inner(s));
    labelings.push(fit.labels);
    seedInertias.push(fit.inertia);
    if (fit.inertia < seedInertias[best]) best = s;
  }
  // The best seed's full report (metrics on its labels); refit gives the same clustering.
  if (best !== 0) outcome = fitTable(table, { ...options, seed: seeds[best] }, inner(nSeeds - 1));
  const r = outcome.report;
  let stability: number | null = null;
  if (nSeeds > 1) {
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < nSeeds; a++) {
      for (let b = a + 1; b < nSeeds; b++) {
        sum += adjustedRandScore(labelings[a], labelings[b]);
        pairs++;
      }
    }
    stability = sum / pairs;
  }
  const row: SweepRow = {
    k: options.k,
    inertia: r.inertia,
    silhouette: r.metrics.silhouette,
    daviesBouldin: r.metrics.daviesBouldin,
    calinskiHarabasz: r.metrics.calinskiHarabasz,
    nIter: r.nIter,
    warnings: r.warnings,
    init: options.init,
    metric: options.metric,
    seed: seeds[best],
    stability,
    seedInertias,
  };
  if (r.metrics.silhouetteSampleSize !== undefined) row.silhouetteSampleSize = r.metrics.silhouetteSampleSize;
  if (r.metrics.adjustedRand !== undefined) row.adjustedRand = r.metrics.adjustedRand;
  return row;
}

/** The fit fitTable runs, on its matrix, with another seed (labels and inertia only). */
function refit(
  fitX: Matrix, options: FitOptions & { init: SweepInit; metric: MetricKind }, seed: number, control: RunControl,
): { labels: Int32Array; inertia: number } {
  const nInit = resolveNInit(options.nInit, options.init);
  const maxIter = options.maxIter ?? FIT_DEFAULTS.maxIter;
  if (options.metric === 'cosine') {
    return sphericalKMeansFit(fitX, { nClusters: options.k, init: options.init, nInit, maxIter, seed }, control);
  }
  return kmeansFit(fitX, {
    nClusters: options.k, init: options.init, nInit, maxIter, seed,
    tol: options.tol ?? FIT_DEFAULTS.tol,
    algorithm: options.algorithm ?? FIT_DEFAULTS.algorithm,
  }, control);
}

/**
 * The setting whose suggested k has the highest silhouette among the settings with the first
 * metric (silhouettes under different metrics are not comparable); the first setting when
 * none has a suggestion.
 */
function chooseSetting(settings: SweepSetting[], rows: SweepRow[], metric: MetricKind): SweepSetting {
  let best: SweepSetting = settings[0];
  let bestSil = -Infinity;
  for (const s of settings) {
    if (s.metric !== metric || s.suggestedK === null) continue;
    const row = rows.find((r) => r.init === s.init && r.metric === s.metric && r.k === s.suggestedK);
    const sil = row?.silhouette ?? -Infinity;
    if (best.suggestedK === null || sil > bestSil) {
      best = s;
      bestSil = sil;
    }
  }
  return best;
}

/**
 * The suggested k of one setting's rows and one sentence saying why, such as
 * "silhouette peaks at k=3 (0.553); the inertia elbow is at k=3; runs are stable, ARI 0.98".
 * The suggestion is the k of the highest silhouette (the smallest such k on a tie); when the
 * silhouette is undefined for every k, the elbow of the inertia curve (Kneedle, convex and
 * decreasing, so a rising curve has none). The stability of the suggested k is quoted when the
 * rows have it.
 *
 * @param rows one setting's rows, in any order. @throws EngineError when a k appears twice.
 */
export function suggestK(
  rows: readonly (Pick<SweepRow, 'k' | 'inertia' | 'silhouette'> & { stability?: number | null })[],
): { suggestedK: number | null; elbowK: number | null; why: string } {
  const sorted = [...rows].sort((a, b) => a.k - b.k);
  for (let i = 1; i < sorted.length; i++) {
    check(sorted[i].k !== sorted[i - 1].k, `k=${sorted[i].k} appears twice: suggestK takes the rows of one setting`);
  }
  const knee = findKnee(sorted.map((r) => r.k), sorted.map((r) => r.inertia), { curve: 'convex', direction: 'decreasing' });
  const elbowK = knee === null ? null : sorted[knee.index].k;
  const elbowText = elbowK === null ? 'the inertia curve has no clear elbow' : `the inertia elbow is at k=${elbowK}`;
  let best: (typeof sorted)[number] | null = null;
  for (const r of sorted) {
    if (r.silhouette !== null && Number.isFinite(r.silhouette) && (best === null || r.silhouette > (best.silhouette as number))) best = r;
  }
  const stabilityText = (k: number): string => {
    const s = sorted.find((r) => r.k === k)?.stability;
    if (s === undefined || s === null) return '';
    const ari = s.toFixed(2);
    if (s >= 0.9) return `; runs are stable, ARI ${ari}`;
    if (s >= 0.7) return `; runs mostly agree, ARI ${ari}`;
    return `; runs disagree between seeds, ARI ${ari}, so treat this k with care`;
  };
  if (best !== null) {
    const sil = (best.silhouette as number).toFixed(3);
    return { suggestedK: best.k, elbowK, why: `silhouette peaks at k=${best.k} (${sil}); ${elbowText}${stabilityText(best.k)}` };
  }
  if (elbowK !== null) {
    return { suggestedK: elbowK, elbowK, why: `the silhouette is undefined for every k; ${elbowText}${stabilityText(elbowK)}` };
  }
  return { suggestedK: null, elbowK, why: 'no k can be suggested: the silhouette is undefined for every k and the inertia curve has no clear elbow' };
}

function dedupe<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * Calls onProgress at most every ~100 ms, and always for the end. The fraction never goes
 * back: a fit reports its k-means and then its silhouette each from 0 to 1, and the sweep maps
 * both into the same share of the grid.
 */
class Throttle {
  private last = 0;
  private highest = 0;
  constructor(private readonly control: RunControl | undefined) {}
  report(fraction: number, message: string): void {
    const onProgress = this.control?.onProgress;
    if (!onProgress) return;
    if (fraction > this.highest) this.highest = Math.min(1, fraction);
    const now = Date.now();
    if (now - this.last < 100 && this.highest < 1) return;
    this.last = now;
    onProgress(this.highest, message);
  }
}
