/**
 * Starting centres from partially given coordinates: the user fixes some coordinates of some
 * centres; the rest are derived from the data.
 */
import { check } from './errors';
import { type Matrix } from './matrix';
import { Rng } from './rng';
import { kmeansPlusPlusFrom } from './init';
import { validateK, validateMatrix } from './kmeans';

/**
 * Completes partially given starting centres.
 *
 * 1. Every row of `X` goes to the centre whose given coordinates are nearest, measured only on
 *    that centre's given coordinates as the mean squared difference per given coordinate (so
 *    centres with different numbers of given coordinates compare fairly; with the same given
 *    columns this is the plain squared distance). Ties go to the lowest index. Centres with no
 *    given coordinate take no part.
 * 2. Each free coordinate of such a centre = mean of that column over its rows. A centre that gets
 *    no row takes its free coordinates from the nearest row (same measure), with a warning.
 * 3. Centres with no given coordinate at all are then placed by greedy k-means++ (seeded by `seed`),
 *    counting the distances to the centres completed so far.
 *
 * @param X `n x d` data, finite.
 * @param given k rows of length d; `null` = free coordinate (a row of nulls = centre not given).
 * @param seed seed for the k-means++ step.
 * @returns `centers` (`k x d`), `frozen` (`k * d` mask, 1 = given coordinate, usable as
 * `KMeansOptions.frozen`) and `warnings`.
 * @throws EngineError when shapes differ, a given value is not finite, or k > n.
 * Complexity: O(n k d) plus the k-means++ step.
 */
export function partialInitCenters(
  X: Matrix, given: (number | null)[][], seed: number,
): { centers: Matrix; frozen: Uint8Array; warnings: string[] } {
  validateMatrix(X, 'X');
  const n = X.nRows;
  const d = X.nCols;
  const k = given.length;
  validateK(k, n);
  check(Number.isFinite(seed), `seed=${seed} should be a finite number`);
  const centers = new Float64Array(k * d);
  const frozen = new Uint8Array(k * d);
  const nGiven = new Int32Array(k);
  for (let j = 0; j < k; j++) {
    const row = given[j];
    check(row.length === d, `given centre ${j} has ${row.length} values, should have one per column (${d})`);
    for (let t = 0; t < d; t++) {
      const v = row[t];
      if (v === null) continue;
      check(Number.isFinite(v), `given centre ${j}, column ${t} is ${String(v)}: a given coordinate should be a finite number`);
      centers[j * d + t] = v;
      frozen[j * d + t] = 1;
      nGiven[j]++;
    }
  }
  const warnings: string[] = [];
  const x = X.data;

  // Step 1: assignment by given coordinates only.
  const sums = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  const nearestRow = new Int32Array(k).fill(-1);
  const nearestDist = new Float64Array(k).fill(Infinity);
  let anyPartial = false;
  for (let j = 0; j < k; j++) if (nGiven[j] > 0) anyPartial = true;
  if (anyPartial) {
    for (let i = 0; i < n; i++) {
      const xo = i * d;
      let best = -1;
      let bestDist = Infinity;
      for (let j = 0; j < k; j++) {
        if (nGiven[j] === 0) continue;
        const co = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          if (frozen[co + t] === 0) continue;
          const diff = x[xo + t] - centers[co + t];
          s += diff * diff;
        }
        s /= nGiven[j];
        if (s < nearestDist[j]) {
          nearestDist[j] = s;
          nearestRow[j] = i;
        }
        if (s < bestDist) {
          bestDist = s;
          best = j;
        }
      }
      sizes[best]++;
      for (let t = 0; t < d; t++) sums[best * d + t] += x[xo + t];
    }
  }

  // Step 2: free coordinates of partially given centres.
  const placed: number[] = [];
  for (let j = 0; j < k; j++) {
    if (nGiven[j] === 0) continue;
    placed.push(j);
    if (nGiven[j] === d) continue;
    const co = j * d;
    if (sizes[j] > 0) {
      for (let t = 0; t < d; t++) if (frozen[co + t] === 0) centers[co + t] = sums[co + t] / sizes[j];
    } else {
      const ro = nearestRow[j] * d;
      for (let t = 0; t < d; t++) if (frozen[co + t] === 0) centers[co + t] = x[ro + t];
      warnings.push(`starting centre ${j} is nearest to no row by its given coordinates; its free coordinates were taken from row ${nearestRow[j]}, the row closest to them`);
    }
  }

  // Step 3: centres not given at all, by k-means++ around the ones placed.
  const missing: number[] = [];
  for (let j = 0; j < k; j++) if (nGiven[j] === 0) missing.push(j);
  if (missing.length > 0) {
    const existing = new Float64Array(placed.length * d);
    placed.forEach((j, r) => existing.set(centers.subarray(j * d, j * d + d), r * d));
    const full = kmeansPlusPlusFrom(X, { data: existing, nRows: placed.length, nCols: d }, k, new Rng(seed));
    missing.forEach((j, r) => {
      const src = (placed.length + r) * d;
      centers.set(full.data.subarray(src, src + d), j * d);
    });
  }
  return { centers: { data: centers, nRows: k, nCols: d }, frozen, warnings };
}
