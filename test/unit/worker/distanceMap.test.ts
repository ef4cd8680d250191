/**
 * The panel's 2-D map of a distance matrix: classical MDS up to the limit, landmark MDS
 * beyond it. On distances between points of a plane both give back the points' distances.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/rng';
import { distanceMap } from '../../../src/pipeline/distanceMap';

/** Distances between n seeded points of the plane. */
function planar(n: number, seed: number): { D: Float64Array; n: number } {
  const rng = new Rng(seed);
  const p = Array.from({ length: n }, () => [rng.int(1000) / 10, rng.int(1000) / 25]);
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i * n + j] = Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]);
  return { D, n };
}

function worstError(D: Float64Array, n: number, coords: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.hypot(coords[2 * i] - coords[2 * j], coords[2 * i + 1] - coords[2 * j + 1]);
      worst = Math.max(worst, Math.abs(d - D[i * n + j]));
    }
  }
  return worst;
}

describe('distance map', () => {
  it('classical MDS of planar distances gives them back (stress 0, all of the structure in 2-D)', () => {
    const { D, n } = planar(60, 1);
    const map = distanceMap({ data: D, nRows: n, nCols: n }, 0);
    assert.equal(map.landmarks, null);
    assert.ok(worstError(D, n, map.coords.data) < 1e-8);
    assert.ok(map.stress < 1e-10 && Math.abs(map.explained - 1) < 1e-10);
  });

  it('above the limit, landmark MDS places every item where its distances say', () => {
    const { D, n } = planar(200, 2);
    const map = distanceMap({ data: D, nRows: n, nCols: n }, 3, undefined, 40);
    assert.equal(map.landmarks, 40);
    assert.equal(map.coords.nRows, 200);
    assert.ok(worstError(D, n, map.coords.data) < 1e-6, `worst error ${worstError(D, n, map.coords.data)}`);
  });
});
