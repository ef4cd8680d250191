import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyScaler, fitScaler, unscaleCenters, type Scaler } from '../../../src/engine/scale';
import { EngineError } from '../../../src/engine/errors';
import { fromRows, toRows, type Matrix } from '../../../src/engine/matrix';

function close(actual: number, expected: number, rel = 1e-15): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);
}

// Column 0: 1, 3, 5 -> mean 3, population variance (4 + 0 + 4) / 3 = 8/3, min 1, max 5.
// Column 1: constant 10.
// Column 2: -2, 0, 2 -> mean 0, variance 8/3, min -2, max 2.
const X = fromRows([[1, 10, -2], [3, 10, 0], [5, 10, 2]]);

describe('fitScaler', () => {
  it('standard: mean and population standard deviation; a constant column keeps scale 1', () => {
    const { scaler, warnings } = fitScaler(X, 'standard');
    assert.deepEqual(Array.from(scaler.offset), [3, 10, 0]);
    close(scaler.scale[0], Math.sqrt(8 / 3));
    assert.equal(scaler.scale[1], 1);
    close(scaler.scale[2], Math.sqrt(8 / 3));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^feature 1 is constant and kept scale 1 under standard scaling/);
    const Z = toRows(applyScaler(X, scaler));
    // (1 - 3) / sqrt(8/3) = -sqrt(3/2)
    close(Z[0][0], -Math.sqrt(1.5));
    close(Z[1][0], 0);
    close(Z[2][0], Math.sqrt(1.5));
    assert.deepEqual([Z[0][1], Z[1][1], Z[2][1]], [0, 0, 0]);
  });

  it('minmax: (x - min) / (max - min); a constant column keeps scale 1', () => {
    const { scaler, warnings } = fitScaler(X, 'minmax');
    assert.deepEqual(Array.from(scaler.offset), [1, 10, -2]);
    assert.deepEqual(Array.from(scaler.scale), [4, 1, 4]);
    assert.deepEqual(toRows(applyScaler(X, scaler)), [[0, 0, 0], [0.5, 0, 0.5], [1, 0, 1]]);
    assert.match(warnings[0], /^feature 1 is constant and kept scale 1 under minmax scaling/);
  });

  it('none: offset 0 and scale 1 for every column, no warnings', () => {
    const { scaler, warnings } = fitScaler(X, 'none');
    assert.deepEqual(Array.from(scaler.offset), [0, 0, 0]);
    assert.deepEqual(Array.from(scaler.scale), [1, 1, 1]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(toRows(applyScaler(X, scaler)), toRows(X));
  });

  it("uses scikit-learn's constant test, relative to the mean, not a fixed threshold", () => {
    // 1e9 and the next double above it (1e9 + 2^-23): std ~ 6e-8, far below what eps allows
    // at that magnitude ((n * mean * eps)^2 ~ 2e-13 > var ~ 4e-15): constant, as in sklearn.
    const near = fromRows([[1e9], [1e9 + 2 ** -23]]);
    const a = fitScaler(near, 'standard');
    assert.equal(a.scaler.scale[0], 1);
    assert.equal(a.warnings.length, 1);
    // -1e-20 and 1e-20 around mean 0: tiny but genuine spread, so it is scaled (std 1e-20).
    const tiny = fitScaler(fromRows([[-1e-20], [1e-20]]), 'standard');
    close(tiny.scaler.scale[0], 1e-20);
    assert.deepEqual(tiny.warnings, []);
  });

  it('values near the double range: no overflow to NaN', () => {
    // The plain sum 1.5e308 + 1.5e308 overflows; the mean is 0 and the std 1.5e308.
    const big = fromRows([[1.5e308], [1.5e308], [-1.5e308], [-1.5e308]]);
    const { scaler } = fitScaler(big, 'standard');
    assert.equal(scaler.offset[0], 0);
    close(scaler.scale[0], 1.5e308);
    assert.deepEqual(toRows(applyScaler(big, scaler)).map((r) => r[0]), [1, 1, -1, -1]);
    // max - min = 3e308 is not a double: a clear error rather than silent zeros.
    assert.throws(() => fitScaler(big, 'minmax'), (e: unknown) => e instanceof EngineError && /feature 0: max - min = 1\.5e\+308 - -1\.5e\+308 overflows/.test(e.message));
  });

  it('validates its input', () => {
    assert.throws(() => fitScaler(X, 'robust' as Scaler['kind']), /scale="robust" should be 'none', 'standard' or 'minmax'/);
    assert.throws(() => fitScaler(fromRows([[1, NaN]]), 'standard'), /X\[0\]\[1\]=NaN should be a finite number/);
    assert.throws(() => fitScaler(fromRows([], 2), 'minmax'), /nSamples=0 should be >= 1/);
    const { scaler } = fitScaler(X, 'standard');
    assert.throws(() => applyScaler(fromRows([[1, 2]]), scaler), /X has 2 columns but the scaler was fitted on 3/);
    assert.throws(() => unscaleCenters(fromRows([[1, 2]]), scaler), /the centres has 2 columns but the scaler was fitted on 3/);
  });
});

describe('scaling round trip', () => {
  // Magnitudes below 1e-100 are set to 0: at subnormal magnitudes a mean or a spread is
  // not representable to full precision, so no scaler can meet these tolerances there.
  const value = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => (Math.abs(x) < 1e-100 ? 0 : x));
  const matrix = fc.integer({ min: 1, max: 6 }).chain((d) => fc.array(
    fc.array(value, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 30 },
  ).map((rows) => fromRows(rows, d)));

  it('unscaleCenters(applyScaler(X)) gives X back to a few ulps, for every kind', () => {
    fc.assert(fc.property(matrix, fc.constantFrom<Scaler['kind']>('none', 'standard', 'minmax'), (M: Matrix, kind) => {
      const { scaler } = fitScaler(M, kind);
      const back = unscaleCenters(applyScaler(M, scaler), scaler);
      assert.equal(back.nRows, M.nRows);
      for (let i = 0; i < M.data.length; i++) {
        const j = i % M.nCols;
        const tol = 8 * Number.EPSILON * (Math.abs(M.data[i]) + Math.abs(scaler.offset[j]) + scaler.scale[j]);
        assert.ok(Math.abs(back.data[i] - M.data[i]) <= tol, `${back.data[i]} vs ${M.data[i]}`);
      }
    }), { seed: 11, numRuns: 300 });
  });

  it('standard-scaled columns have mean 0 and variance 1; minmax columns span [0, 1]', () => {
    fc.assert(fc.property(matrix, (M: Matrix) => {
      const d = M.nCols;
      const std = fitScaler(M, 'standard');
      const Z = applyScaler(M, std.scaler);
      const mm = applyScaler(M, fitScaler(M, 'minmax').scaler);
      const mmRange = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        let a = Infinity;
        let b = -Infinity;
        for (let i = 0; i < M.nRows; i++) {
          a = Math.min(a, M.data[i * d + j]);
          b = Math.max(b, M.data[i * d + j]);
        }
        mmRange[j] = b - a;
      }
      for (let j = 0; j < d; j++) {
        let s = 0;
        let s2 = 0;
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < M.nRows; i++) {
          s += Z.data[i * d + j];
          s2 += Z.data[i * d + j] ** 2;
          lo = Math.min(lo, mm.data[i * d + j]);
          hi = Math.max(hi, mm.data[i * d + j]);
        }
        // Only columns whose spread is well above their rounding: a spread of a few ulps of
        // the values (say 1e6 and 1e6 + 1e-9) is standardised as imprecisely here as in
        // scikit-learn, and a constant column keeps scale 1.
        let maxAbs = 0;
        for (let i = 0; i < M.nRows; i++) maxAbs = Math.max(maxAbs, Math.abs(M.data[i * d + j]));
        if (std.scaler.scale[j] > 1e-6 * maxAbs && !(std.scaler.scale[j] === 1 && std.warnings.length > 0)) {
          assert.ok(Math.abs(s / M.nRows) < 1e-9, `mean ${s / M.nRows}`);
          assert.ok(Math.abs(s2 / M.nRows - 1) < 1e-9, `variance ${s2 / M.nRows}`);
        }
        assert.ok(lo === 0, `min ${lo}`); // -0 counts as 0
        // A range below 10 eps counts as constant (scale 1), as in scikit-learn.
        if (mmRange[j] < 10 * Number.EPSILON) assert.ok(hi < 10 * Number.EPSILON, `max ${hi}`);
        else assert.ok(Math.abs(hi - 1) < 1e-15, `max ${hi}`);
      }
    }), { seed: 12, numRuns: 300 });
  });
});
