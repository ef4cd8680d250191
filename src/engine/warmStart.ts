/**
 * Refitting after the data changed (old plus new rows): continue from the previous centres, and
 * compare with fresh k-means++ fits from several seeds, reporting which one won.
 */
import { check, type RunControl } from './errors';
import { type Matrix } from './matrix';
import { isSameClustering, kmeansFit, validateMatrix, type KMeansResult } from './kmeans';

/** Options of {@link warmRefit}. */
export interface WarmRefitOptions {
  /** Number of fresh k-means++ fits (seeds `seed`, `seed + 1`, ...); 0 = only the warm start. */
  nSeeds: number;
  /** First seed, default 0. */
  seed?: number;
  /** As KMeansOptions.maxIter (300). */
  maxIter?: number;
  /** As KMeansOptions.tol (1e-4). */
  tol?: number;
  /** As KMeansOptions.algorithm ('lloyd'). */
  algorithm?: 'lloyd' | 'elkan';
}

/**
 * Fits k-means to `X` once from `previousCenters` (the warm start) and `nSeeds` times from
 * k-means++ with seeds `seed + s`, then keeps the lowest inertia. The warm start is kept unless a
 * seeded fit has a strictly lower inertia and a different clustering (so rounding noise on the
 * same partition never displaces it); among seeded fits the earliest lowest wins.
 *
 * @param X `n x d` rows (typically the old rows plus the new ones).
 * @param previousCenters `k x d` centres of the previous fit.
 * @returns every fit, the best one, `bestIs` ('warm' or the index into `seeded`) and a one-line
 * `summary` of the inertias.
 * @throws EngineError on invalid input (see kmeansFit); CancelledError when cancelled.
 * Complexity: (nSeeds + 1) k-means fits.
 */
export function warmRefit(
  X: Matrix, previousCenters: Matrix, options: WarmRefitOptions, control?: RunControl,
): { warm: KMeansResult; seeded: KMeansResult[]; best: KMeansResult; bestIs: 'warm' | number; summary: string } {
  validateMatrix(previousCenters, 'previousCenters');
  check(previousCenters.nCols === X.nCols,
    `previousCenters have ${previousCenters.nCols} columns but X has ${X.nCols}: they should match`);
  const nSeeds = options.nSeeds;
  check(Number.isInteger(nSeeds) && nSeeds >= 0, `nSeeds=${nSeeds} should be a whole number >= 0`);
  const seed = options.seed ?? 0;
  check(Number.isFinite(seed), `seed=${seed} should be a finite number`);
  const k = previousCenters.nRows;
  const common = { nClusters: k, maxIter: options.maxIter, tol: options.tol, algorithm: options.algorithm };
  const total = nSeeds + 1;
  const sub = (part: number): RunControl | undefined => (control === undefined ? undefined : {
    isCancelled: control.isCancelled,
    onProgress: control.onProgress === undefined
      ? undefined
      : (fraction: number, message: string): void => control.onProgress?.((part + fraction) / total, message),
  });

  const warm = kmeansFit(X, { ...common, init: previousCenters, seed }, sub(0));
  const seeded: KMeansResult[] = [];
  for (let s = 0; s < nSeeds; s++) {
    seeded.push(kmeansFit(X, { ...common, init: 'k-means++', nInit: 1, seed: seed + s }, sub(s + 1)));
  }
  let best = warm;
  let bestIs: 'warm' | number = 'warm';
  for (let s = 0; s < seeded.length; s++) {
    const r = seeded[s];
    if (r.inertia < best.inertia && !isSameClustering(r.labels, best.labels, k)) {
      best = r;
      bestIs = s;
    }
  }
  let summary = `warm start from the previous centres: inertia ${fmt(warm.inertia)} after ${warm.nIter} iteration${warm.nIter === 1 ? '' : 's'}`;
  if (nSeeds > 0) {
    let lowest = 0;
    for (let s = 1; s < seeded.length; s++) if (seeded[s].inertia < seeded[lowest].inertia) lowest = s;
    summary += `; best of ${nSeeds} fresh k-means++ fit${nSeeds === 1 ? '' : 's'}: inertia ${fmt(seeded[lowest].inertia)} (seed ${seed + lowest})`;
    if (bestIs === 'warm') {
      summary += '; kept the warm start';
    } else {
      const gain = warm.inertia > 0 ? (100 * (warm.inertia - best.inertia)) / warm.inertia : 0;
      summary += `; kept the fit from seed ${seed + bestIs} (${gain.toPrecision(3)}% lower inertia)`;
    }
  }
  return { warm, seeded, best, bestIs, summary };
}

function fmt(v: number): string {
  return Number(v.toPrecision(6)).toString();
}
