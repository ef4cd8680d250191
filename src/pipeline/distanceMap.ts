/**
 * The 2-D map of a distance matrix for the panel: classical MDS of every item when that is
 * affordable, else of a seeded sample of landmark items with the others placed by landmark
 * MDS (de Silva & Tenenbaum, "Sparse multidimensional scaling using landmark points", 2004),
 * which gives the same map as classical MDS when the distances are Euclidean.
 */
import type { RunControl } from '../engine/errors';
import type { Matrix } from '../engine/matrix';
import { classicalMds } from '../engine/mds';
import { Rng } from '../engine/rng';

/** Classical MDS of all items up to this many (O(n^3): about 1 s at 1000 items). */
export const MDS_MAX_EXACT = 1000;

export interface DistanceMap {
  /** n x 2 coordinates, row i for item i. */
  coords: Matrix;
  /** Share of the positive eigenvalue mass the two axes carry (of the landmarks' MDS when sampled). */
  explained: number;
  /** Stress-1 of the map (over the landmarks when sampled). */
  stress: number;
  /** Landmark items used, or null when every item took part. */
  landmarks: number | null;
}

/**
 * 2-D map of the symmetric n x n distances D (zero diagonal).
 * @param maxExact above this many items, MDS runs on that many seeded landmarks.
 * @throws EngineError from classicalMds (D not square, not finite, not symmetric).
 * Complexity O(min(n, maxExact)^3 + n maxExact).
 */
export function distanceMap(D: Matrix, seed: number, control?: RunControl, maxExact = MDS_MAX_EXACT): DistanceMap {
  const n = D.nRows;
  if (n <= maxExact) {
    const mds = classicalMds(D, 2, control);
    return { coords: pad2(mds.coords), explained: mds.explained, stress: mds.stress, landmarks: null };
  }
  const m = maxExact;
  const chosen = Int32Array.from(new Rng(seed).sample(n, m)).sort();
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = D.data[chosen[a] * n + chosen[b]];
  const mds = classicalMds({ data: sub, nRows: m, nCols: m }, 2, control);
  const L = pad2(mds.coords);
  // Landmark MDS: x = -1/2 L# (delta^2 - mean column of the landmarks' squared distances),
  // with L# the pseudo-inverse transpose, row c = L[:, c] / lambda_c.
  const lambda = [0, 0];
  for (let c = 0; c < 2; c++) for (let a = 0; a < m; a++) lambda[c] += L.data[a * 2 + c] * L.data[a * 2 + c];
  const meanSq = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let s = 0;
    for (let b = 0; b < m; b++) s += sub[a * m + b] * sub[a * m + b];
    meanSq[a] = s / m;
  }
  const coords = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      if (!(lambda[c] > 0)) continue;
      let s = 0;
      for (let a = 0; a < m; a++) {
        const d = D.data[i * n + chosen[a]];
        s += L.data[a * 2 + c] * (d * d - meanSq[a]);
      }
      coords[i * 2 + c] = (-0.5 * s) / lambda[c];
    }
  }
  return { coords: { data: coords, nRows: n, nCols: 2 }, explained: mds.explained, stress: mds.stress, landmarks: m };
}

/** n x p coordinates as n x 2 (a single item gives one axis). */
function pad2(M: Matrix): Matrix {
  if (M.nCols === 2) return M;
  const out = new Float64Array(M.nRows * 2);
  for (let i = 0; i < M.nRows; i++) for (let c = 0; c < Math.min(2, M.nCols); c++) out[i * 2 + c] = M.data[i * M.nCols + c];
  return { data: out, nRows: M.nRows, nCols: 2 };
}
