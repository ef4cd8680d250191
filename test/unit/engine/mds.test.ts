import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromRows, type Matrix } from '../../../src/engine/matrix';
import { classicalMds } from '../../../src/engine/mds';
import { assertClose } from '../metrics/helpers';

function distances(points: number[][]): Matrix {
  return fromRows(points.map((p) => points.map((q) => Math.sqrt(p.reduce((s, v, t) => s + (v - q[t]) ** 2, 0)))));
}

/** Every pairwise distance of the embedding equals the given one (so it is the configuration up to rotation, reflection and translation). */
function assertSameDistances(coords: Matrix, D: Matrix, tol: number): void {
  const n = D.nRows;
  const p = coords.nCols;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += (coords.data[i * p + c] - coords.data[j * p + c]) ** 2;
      assertClose(Math.sqrt(s), D.data[i * n + j], tol, tol, `d(${i},${j})`);
    }
  }
}

describe('classical MDS', () => {
  it('recovers random planar configurations up to rotation (distances, explained = 1, stress = 0)', () => {
    const arb = fc.array(fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true })),
      { minLength: 3, maxLength: 40 });
    fc.assert(fc.property(arb, (pts) => {
      const spread = Math.max(...pts.flatMap((p) => p.map(Math.abs)));
      fc.pre(spread > 1e-3);
      const D = distances(pts);
      const r = classicalMds(D);
      assert.equal(r.coords.nRows, pts.length);
      assert.equal(r.coords.nCols, 2);
      // Coordinates come from square roots of eigenvalues, so an axis carrying less than
      // ~eps of the variance is lost in rounding: accuracy is ~sqrt(n eps) of the spread.
      assertSameDistances(r.coords, D, 1e-7 * spread);
      assertClose(r.explained, 1, 0, 1e-9, 'explained');
      assert.ok(r.stress < 1e-6, `stress ${r.stress}`);
    }), { seed: 41, numRuns: 150 });
  });

  it('handles repeated eigenvalues (a square, a regular hexagon) and duplicates', () => {
    for (const pts of [
      [[0, 0], [1, 0], [1, 1], [0, 1]],
      Array.from({ length: 6 }, (_, i) => [Math.cos((i * Math.PI) / 3), Math.sin((i * Math.PI) / 3)]),
      [[2, 3], [2, 3], [5, -1], [5, -1], [0, 0]],
    ]) {
      const D = distances(pts);
      const r = classicalMds(D);
      assertSameDistances(r.coords, D, 1e-9);
      assertClose(r.explained, 1, 0, 1e-12, 'explained');
    }
  });

  it('reports the share of the positive eigenvalues for a 3-D configuration', () => {
    // Points +-a e1, +-b e2, +-c e3 (centred): B = X X^T has eigenvalues 2a^2, 2b^2, 2c^2 and
    // zeros. With a = 3, b = 2, c = 1 two axes keep (18 + 8) / (18 + 8 + 2) = 26/28, and the
    // embedding is the projection on the first two axes.
    const pts = [[3, 0, 0], [-3, 0, 0], [0, 2, 0], [0, -2, 0], [0, 0, 1], [0, 0, -1]];
    const D = distances(pts);
    const r = classicalMds(D);
    assertClose(r.explained, 26 / 28, 1e-12, 0, 'explained');
    assertClose(r.eigenvalues[0], 18, 1e-12, 0, 'lambda 1');
    assertClose(r.eigenvalues[1], 8, 1e-12, 0, 'lambda 2');
    const projected = distances(pts.map((p) => [p[0], p[1]]));
    assertSameDistances(r.coords, projected, 1e-9);
    let num = 0;
    let den = 0;
    for (let i = 0; i < 6; i++) {
      for (let j = i + 1; j < 6; j++) {
        num += (D.data[i * 6 + j] - projected.data[i * 6 + j]) ** 2;
        den += D.data[i * 6 + j] ** 2;
      }
    }
    assertClose(r.stress, Math.sqrt(num / den), 1e-9, 0, 'stress');
    const three = classicalMds(D, 3);
    assertClose(three.explained, 1, 0, 1e-12, 'explained in 3-D');
    assert.ok(three.stress < 1e-9);
  });

  it('non-Euclidean distances give a negative eigenvalue and a positive stress', () => {
    // d(0,1) = 10 but d(0,2) = d(2,1) = 1 violates the triangle inequality.
    const r = classicalMds(fromRows([[0, 10, 1], [10, 0, 1], [1, 1, 0]]), 3);
    assert.ok(r.eigenvalues[2] < 0, `smallest eigenvalue ${r.eigenvalues[2]}`);
    assert.ok(r.stress > 0.01);
    assert.ok(r.explained === 1, 'all positive mass is kept in 3 dims');
  });

  it('edge cases: one point, all zeros, dims above n; validation', () => {
    assert.deepEqual(Array.from(classicalMds(fromRows([[0]])).coords.data), [0]);
    const zero = classicalMds(fromRows([[0, 0], [0, 0]]));
    assert.deepEqual(Array.from(zero.coords.data), [0, 0, 0, 0]);
    assert.equal(zero.explained, 1);
    assert.equal(zero.stress, 0);
    assert.equal(classicalMds(distances([[0], [1], [3]]), 5).coords.nCols, 3);
    assert.throws(() => classicalMds(fromRows([[0, 1], [2, 0]])), /D\[0\]\[1\]=1 and D\[1\]\[0\]=2 differ/);
    assert.throws(() => classicalMds(fromRows([[0, 1]])), /it should be square/);
    assert.throws(() => classicalMds(fromRows([[0]]), 0), /dims=0 should be an integer >= 1/);
  });

  it('scales to a few hundred points', () => {
    const pts = Array.from({ length: 300 }, (_, i) => [Math.sin(i) * 50, Math.cos(i * 0.7) * 20]);
    const D = distances(pts);
    const r = classicalMds(D);
    assertSameDistances(r.coords, D, 1e-7);
  });
});
