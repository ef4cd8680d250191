/**
 * Choosing k without cross-validation: fit every k in a range with the same options,
 * score each fit, find the elbow of the inertia curve and suggest a k with a reason.
 */
import type { CsvTable } from '../csv/read';
import { check, throwIfCancelled, type RunControl } from '../engine/errors';
import { fitTable } from './fit';
import type { FitOptions } from './types';

export interface SweepRow {
  k: number;
  inertia: number;
  silhouette: number | null;
  daviesBouldin: number | null;
  calinskiHarabasz: number | null;
  nIter: number;
  warnings: string[];
}

export interface SweepReport {
  results: SweepRow[];
  suggestedK: number | null;
  /** The k at the elbow of the inertia curve (Kneedle), or null with fewer than 3 values of k. */
  elbowK: number | null;
  why: string;
}

/** Parses a range such as "2..10" (inclusive) or "3". Throws with the rule when malformed. */
export function parseKRange(text: string): { kMin: number; kMax: number } {
  const m = /^\s*(\d+)\s*(?:\.\.|-|:)\s*(\d+)\s*$/.exec(text) ?? /^\s*(\d+)\s*$/.exec(text);
  check(m !== null, `--k "${text}" should be a range such as 2..10`);
  const kMin = Number(m[1]);
  const kMax = Number(m[2] ?? m[1]);
  check(kMin >= 1 && kMax >= kMin, `the range ${kMin}..${kMax} should have 1 <= from <= to`);
  return { kMin, kMax };
}

/**
 * Fits k = kMin..kMax with `options` (k is overridden) and scores each fit with the same
 * code as a single fit, so every row equals what `fit` reports for that k.
 * `onRow` sees each row as soon as it is ready (for partial results in the panel).
 */
export function sweepTable(
  table: CsvTable, kMin: number, kMax: number, options: Omit<FitOptions, 'k'>,
  control?: RunControl, onRow?: (row: SweepRow, index: number, total: number) => void,
): SweepReport {
  check(Number.isInteger(kMin) && Number.isInteger(kMax) && kMin >= 1 && kMax >= kMin,
    `the range of k ${kMin}..${kMax} should have 1 <= from <= to`);
  const results: SweepRow[] = [];
  const total = kMax - kMin + 1;
  for (let k = kMin; k <= kMax; k++) {
    throwIfCancelled(control);
    const outcome = fitTable(table, { ...options, k }, {
      isCancelled: control?.isCancelled,
      onProgress: control?.onProgress
        ? (f, message) => control.onProgress?.((k - kMin + f) / total, `k=${k}: ${message}`)
        : undefined,
    });
    const r = outcome.report;
    const row: SweepRow = {
      k,
      inertia: r.inertia,
      silhouette: r.metrics.silhouette,
      daviesBouldin: r.metrics.daviesBouldin,
      calinskiHarabasz: r.metrics.calinskiHarabasz,
      nIter: r.nIter,
      warnings: r.warnings,
    };
    results.push(row);
    onRow?.(row, k - kMin, total);
  }
  return { results, ...suggestK(results) };
}

/**
 * The knee of a decreasing, roughly convex curve by Kneedle (Satopää, Albrecht, Irwin and
 * Raghavan, "Finding a 'Kneedle' in a Haystack", ICDCSW 2011): normalise both axes to
 * [0, 1] and take the point furthest below the chord from the first to the last point.
 * Returns the index into `x`, or null when there are fewer than 3 points or no bend.
 */
export function kneedle(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 3) return null;
  const x0 = x[0];
  const x1 = x[n - 1];
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const v of y) {
    yMin = Math.min(yMin, v);
    yMax = Math.max(yMax, v);
  }
  if (!(yMax > yMin) || !(x1 > x0)) return null;
  const decreasing = y[n - 1] < y[0];
  let best = -1;
  let bestGap = 0;
  for (let i = 1; i < n - 1; i++) {
    const xn = (x[i] - x0) / (x1 - x0);
    const yn = (y[i] - yMin) / (yMax - yMin);
    // Distance below the chord in normalised coordinates (chord from (0,1) to (1,0) for a decreasing curve).
    const gap = decreasing ? (1 - xn) - yn : xn - yn;
    if (gap > bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  return best < 0 ? null : best;
}

/** The suggested k and one sentence saying why: the silhouette peak, with the elbow for context. */
export function suggestK(rows: readonly SweepRow[]): { suggestedK: number | null; elbowK: number | null; why: string } {
  const elbowIndex = kneedle(rows.map((r) => r.k), rows.map((r) => r.inertia));
  const elbowK = elbowIndex === null ? null : rows[elbowIndex].k;
  let bestSil: SweepRow | null = null;
  for (const r of rows) {
    if (r.silhouette !== null && (bestSil === null || (bestSil.silhouette as number) < r.silhouette)) bestSil = r;
  }
  const elbowText = elbowK === null ? 'the inertia curve has no clear elbow' : `the inertia elbow is at k=${elbowK}`;
  if (bestSil !== null) {
    const sil = (bestSil.silhouette as number).toFixed(3);
    const agree = elbowK === bestSil.k ? ' (they agree)' : '';
    return { suggestedK: bestSil.k, elbowK, why: `silhouette peaks at k=${bestSil.k} (${sil}); ${elbowText}${agree}` };
  }
  if (elbowK !== null) return { suggestedK: elbowK, elbowK, why: `the silhouette is undefined here; ${elbowText}` };
  return { suggestedK: null, elbowK, why: 'no k could be scored: the silhouette is undefined and the inertia curve has no elbow' };
}
