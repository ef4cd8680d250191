/**
 * The scaling rule of `scale: 'auto'` (the default of the CLI and the extension): standardise
 * the features when their ranges differ more than {@link RANGE_RATIO}-fold, unless they look
 * like one scale (whole numbers with one common lower bound, such as pixel intensities 0–16,
 * counts, ratings). Under the cosine metric nothing is scaled: directions are compared, and
 * centring would change them.
 */
import type { Matrix } from '../engine/matrix';
import type { ScalingInfo } from '../protocol/roles';
import type { MetricKind, ScaleKind } from './types';

/** Ranges that differ more than this many times call for standardising. */
export const RANGE_RATIO = 10;

/** How a scaling transforms each feature, in words. */
export const SCALE_FORMULAS: Record<ScaleKind, string> = {
  none: 'none: the values as they are',
  standard: 'standard: (x − mean) / population standard deviation, per feature',
  minmax: 'minmax: (x − min) / (max − min), per feature',
};

/**
 * Decides the scaling for `X` (rows kept for the fit, features in order).
 * @returns the kind and the reason in words.
 * @complexity O(n d)
 */
export function decideScale(X: Matrix, names: readonly string[], metric: MetricKind): { kind: ScaleKind; reason: string } {
  if (metric === 'cosine') return { kind: 'none', reason: 'the cosine metric compares directions, so the columns are used as they are' };
  const n = X.nRows;
  const d = X.nCols;
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  let integer = true;
  const x = X.data;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[o + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
      if (integer && !Number.isInteger(v)) integer = false;
    }
  }
  let wide = -1;
  let narrow = -1;
  for (let j = 0; j < d; j++) {
    const r = max[j] - min[j];
    if (!(r > 0)) continue;
    if (wide < 0 || r > max[wide] - min[wide]) wide = j;
    if (narrow < 0 || r < max[narrow] - min[narrow]) narrow = j;
  }
  if (wide < 0 || wide === narrow) return { kind: 'none', reason: 'fewer than two features vary, so there is nothing to balance' };
  const big = max[wide] - min[wide];
  const small = max[narrow] - min[narrow];
  const ratio = big / small;
  const pair = `${names[wide]} ${formatValue(big)} vs ${names[narrow]} ${formatValue(small)}`;
  if (ratio <= RANGE_RATIO) {
    return { kind: 'none', reason: `the feature ranges are within ${RANGE_RATIO}× of each other (${pair}), so the original units are kept` };
  }
  let sameFloor = integer;
  for (let j = 1; j < d && sameFloor; j++) if (min[j] !== min[0]) sameFloor = false;
  if (sameFloor) {
    let top = -Infinity;
    for (let j = 0; j < d; j++) if (max[j] > top) top = max[j];
    return {
      kind: 'none',
      reason: `every feature holds whole numbers from ${formatValue(min[0])} up to at most ${formatValue(top)}, which looks like one scale (pixels, counts, ratings), so the original units are kept`,
    };
  }
  return { kind: 'standard', reason: `the feature ranges differ ${formatRatio(ratio)}× (${pair}), so each feature was standardised` };
}

/** A scaling as the report states it. */
export function scalingInfo(kind: ScaleKind, auto: boolean, reason: string): ScalingInfo {
  return { kind, auto, reason, formula: SCALE_FORMULAS[kind] };
}

function formatValue(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  return String(Number(x.toPrecision(3)));
}

function formatRatio(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en-US') : String(Number(r.toPrecision(2)));
}
