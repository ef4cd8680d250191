/**
 * Kneedle on hand-made curves whose knee is known, with the difference curve worked out by
 * hand in the comments (xn, yn = x and y scaled to [0, 1]; S = 1 unless said otherwise).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findKnee, kneedle } from '../../../src/engine/knee';
import { kneedle as kneedleFromSweep } from '../../../src/pipeline/sweep';
import { EngineError } from '../../../src/engine/errors';

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('Kneedle on convex decreasing curves (the inertia elbow)', () => {
  it('y = 1/x on x = 1..10: knee at x = 3', () => {
    // D(x) = 1 - xn - yn = 1 - (x - 1)/9 - (1/x - 0.1)/0.9: D(2) = 0.444, D(3) = 0.519,
    // D(4) = 0.5, D(5) = 0.444, D(6) = 0.370. The only local maximum is x = 3 (the continuous
    // maximum is at x = sqrt(10) = 3.16); its threshold 0.519 - 1/9 = 0.407 is crossed at x = 6.
    const x = range(1, 10);
    const knee = findKnee(x, x.map((v) => 1 / v));
    assert.ok(knee !== null);
    assert.equal(x[knee.index], 3);
    assert.ok(Math.abs(knee.difference - (1 - 2 / 9 - (1 / 3 - 0.1) / 0.9)) < 1e-12);
  });

  it('piecewise linear with a corner at x = 4 (slope -3, then -0.1)', () => {
    // y(1) = 10, y(4) = 1, y(10) = 0.4. D(4) = 1 - 3/9 - 0.6/9.6 = 0.604 is the maximum
    // (D is linear on each piece); threshold 0.604 - 1/9 = 0.493; D(5) = 0.503, D(6) = 0.403.
    const x = range(1, 10);
    const y = x.map((v) => (v <= 4 ? 10 - 3 * (v - 1) : 1 - 0.1 * (v - 4)));
    assert.equal(kneedle(x, y), 3);
    assert.equal(kneedle(x, y, { curve: 'convex', direction: 'decreasing' }), 3);
  });

  it('uneven x: the corner is found at its x, not its position', () => {
    const x = [2, 3, 5, 8, 9, 10, 20];
    // Steep to x = 5, then shallow: y = 100 - 40 (x - 2) up to x = 5, then -1 per unit.
    const y = x.map((v) => (v <= 5 ? 100 - 40 * (v - 2) : -20 - (v - 5)));
    assert.equal(x[kneedle(x, y) as number], 5);
  });

  it('the bend must exceed S mean x steps: a mild corner needs a lower sensitivity', () => {
    // x = 0..8, y falls by 1 per step to x = 4, then by 0.8: y = 8, 7, 6, 5, 4, 3.2, 2.4, 1.6, 0.8.
    // D(i) = 1 - i/8 - (y - 0.8)/7.2: D(4) = 0.5 - 3.2/7.2 = 0.0556, D(5) = 0.375 - 2.4/7.2 = 0.0417.
    // S = 1: threshold 0.0556 - 0.125 < 0 is never crossed, so no knee. S = 0.1: threshold
    // 0.0556 - 0.0125 = 0.0431 > D(5), so the knee is at x = 4.
    const x = range(0, 8);
    const y = [8, 7, 6, 5, 4, 3.2, 2.4, 1.6, 0.8];
    assert.equal(kneedle(x, y), null);
    assert.equal(kneedle(x, y, { sensitivity: 0.1 }), 4);
  });

  it('of two knees, the one further from the chord (not the first)', () => {
    // x = 0..10; slopes -1 to x = 2 (y = 8), -0.1 to x = 5 (7.7), -5 to x = 6 (2.7), -0.1 to
    // x = 10 (2.3); yn = (y - 2.3)/7.7. D(2) = 0.8 - 5.7/7.7 = 0.060 is a local maximum and D
    // falls below 0.060 - 0.1 at x = 4 (D(4) = 0.6 - 5.5/7.7 = -0.114): a knee. D(5) = -0.201 is
    // a minimum; D(6) = 0.4 - 0.4/7.7 = 0.348 is a maximum, and D(8) = 0.2 - 0.2/7.7 = 0.174 falls
    // below 0.248: a second knee, the larger. (The kneed package's offline mode returns the first.)
    const x = range(0, 10);
    const y = x.map((v) => (v <= 2 ? 10 - v : v <= 5 ? 8 - 0.1 * (v - 2) : v <= 6 ? 7.7 - 5 * (v - 5) : 2.7 - 0.1 * (v - 6)));
    const knee = findKnee(x, y);
    assert.ok(knee !== null);
    assert.equal(knee.index, 6);
    assert.ok(Math.abs(knee.difference - (0.4 - 0.4 / 7.7)) < 1e-12);
    assert.equal(kneedle(x.slice(0, 6), y.slice(0, 6)), 2, 'the first knee alone is found on its own');
  });
});

describe('Kneedle on other shapes', () => {
  it('convex increasing (a k-distance curve): flat, then a corner at x = 7, then steep', () => {
    // y = 0.1 (x - 1) to x = 7 (y = 0.6), then 0.6 + 3 (x - 7): y(10) = 9.6. The chord is y = x
    // in normalised units and D = xn - yn: D(7) = 6/9 - 0.6/9.6 = 0.604, the maximum; scanning
    // from the right, D(6) = 5/9 - 0.5/9.6 = 0.503 and D(5) = 0.403 < 0.604 - 1/9.
    const x = range(1, 10);
    const y = x.map((v) => (v <= 7 ? 0.1 * (v - 1) : 0.6 + 3 * (v - 7)));
    assert.equal(kneedle(x, y, { curve: 'convex', direction: 'increasing' }), 6);
    assert.equal(kneedle(x, y), 6, 'direction inferred from the endpoints');
  });

  it('concave increasing: steep rise to x = 4, then flat', () => {
    // The mirror image of the decreasing corner case: y = 9 - (that curve); D = yn - xn.
    const x = range(1, 10);
    const y = x.map((v) => 9 - (v <= 4 ? 10 - 3 * (v - 1) : 1 - 0.1 * (v - 4)));
    assert.equal(kneedle(x, y, { curve: 'concave', direction: 'increasing' }), 3);
  });

  it('concave decreasing: flat to x = 7, then a steep fall', () => {
    const x = range(1, 10);
    const y = x.map((v) => -(v <= 7 ? 0.1 * (v - 1) : 0.6 + 3 * (v - 7)));
    assert.equal(kneedle(x, y, { curve: 'concave', direction: 'decreasing' }), 6);
  });
});

describe('Kneedle finds no knee where there is none', () => {
  const x = range(2, 12);
  it('flat curves', () => {
    assert.equal(kneedle(x, x.map(() => 5)), null);
    assert.equal(findKnee(x, x.map(() => 0)), null);
  });

  it('straight lines, including ones with rounding in every value', () => {
    assert.equal(kneedle(x, x.map((v) => 0.1 * v)), null);
    assert.equal(kneedle(x, x.map((v) => 3 - 0.1 * v)), null);
    assert.equal(kneedle(x, x.map((v) => 1e6 - (v * 1e6) / 3)), null);
  });

  it('an increasing curve read as a decreasing elbow (what the inertia elbow does)', () => {
    assert.equal(kneedle(x, x.map((v) => v * v), { curve: 'convex', direction: 'decreasing' }), null);
    assert.equal(kneedle(x, x.map((v) => Math.sqrt(v)), { curve: 'convex', direction: 'decreasing' }), null);
  });

  it('a concave increasing curve read as convex (the default) has no knee', () => {
    // D = xn - yn < 0 everywhere inside: the curve lies above its chord.
    assert.equal(kneedle(x, x.map((v) => Math.log(v))), null);
  });

  it('fewer than three points', () => {
    assert.equal(kneedle([], []), null);
    assert.equal(kneedle([1], [3]), null);
    assert.equal(kneedle([1, 2], [3, 1]), null);
  });

  it('three points never bend by more than one step at S = 1', () => {
    // D(middle) = 1 - 0.5 - yn <= 0.5 and its threshold D - 0.5 <= 0 = D(last) is never crossed.
    assert.equal(kneedle([1, 2, 3], [10, 0.001, 0]), null);
  });
});

describe('Kneedle input checks', () => {
  it('names the rule that is broken', () => {
    assert.throws(() => kneedle([1, 3, 2], [1, 2, 3]), (e: Error) => e instanceof EngineError && /x\[2\]=2 should be > x\[1\]=3/.test(e.message));
    assert.throws(() => kneedle([1, 2], [1]), /x has 2 values and y 1/);
    assert.throws(() => kneedle([1, 2, 3], [1, NaN, 3]), /point 1 = \(2, NaN\) should be finite/);
    assert.throws(() => kneedle([1, 2, 3], [3, 2, 1], { sensitivity: -1 }), /sensitivity=-1 should be a finite number >= 0/);
  });

  it('is also exported from the sweep module (the extension imports it there)', () => {
    assert.equal(kneedleFromSweep, kneedle);
  });
});
