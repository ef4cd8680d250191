import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { partialInitCenters } from '../../../src/engine/partialInit';
import { kmeansFit } from '../../../src/engine/kmeans';
import { fromRows, toRows } from '../../../src/engine/matrix';

// Hand-made data: group A near x = 0 with y in {10, 12, 11}, group B near x = 100 with
// y in {-5, -7, -6}.
const X = fromRows([[0, 10], [0, 12], [1, 11], [100, -5], [100, -7], [101, -6]]);

describe('partialInitCenters', () => {
  it('derives free coordinates as the mean of the rows matched on the given ones', () => {
    // Given x only: rows 0-2 match x = 0, rows 3-5 match x = 100.
    // Free y: mean(10, 12, 11) = 11 and mean(-5, -7, -6) = -6.
    const r = partialInitCenters(X, [[0, null], [100, null]], 0);
    assert.deepEqual(toRows(r.centers), [[0, 11], [100, -6]]);
    assert.deepEqual(Array.from(r.frozen), [1, 0, 1, 0]);
    assert.deepEqual(r.warnings, []);
  });

  it('keeps fully given centres as they are', () => {
    const r = partialInitCenters(X, [[3, 4], [90, null]], 0);
    // Rows 0-2 are nearer (on both columns) to (3, 4); rows 3-5 match x = 90. Free y = -6.
    assert.deepEqual(toRows(r.centers), [[3, 4], [90, -6]]);
    assert.deepEqual(Array.from(r.frozen), [1, 1, 1, 0]);
  });

  it('compares centres with different given columns per given coordinate', () => {
    // Centre 0 gives x = 0 only; centre 1 gives (100, -6). Row (0, 10): 0 per coordinate vs
    // (100^2 + 16) / 2 -> centre 0. Row (100, -5): 100^2 vs (0 + 1) / 2 -> centre 1.
    // Centre 0's free y = mean of rows 0-2 = 11.
    const r = partialInitCenters(X, [[0, null], [100, -6]], 0);
    assert.deepEqual(toRows(r.centers), [[0, 11], [100, -6]]);
  });

  it('places centres given not at all by k-means++ around the derived ones', () => {
    // Centre 0 (x = 0) takes every row (it is the only partially given centre): y = mean of all
    // six = (10 + 12 + 11 - 5 - 7 - 6) / 6 = 2.5. Centre 1 is then drawn by k-means++ with
    // probability proportional to the squared distance to (0, 2.5): group B rows carry more than
    // 99 % of it and the greedy choice keeps the candidate with the lowest potential, a group B row.
    const r = partialInitCenters(X, [[0, null], [null, null]], 0);
    const centers = toRows(r.centers);
    assert.deepEqual(centers[0], [0, 2.5]);
    assert.ok([[100, -5], [100, -7], [101, -6]].some((row) => row[0] === centers[1][0] && row[1] === centers[1][1]), `${centers[1].join(',')}`);
    assert.deepEqual(Array.from(r.frozen), [1, 0, 0, 0]);
  });

  it('a centre matched by no row takes its free coordinates from the nearest row, with a warning', () => {
    // x = 5000 is nearest to no row; the nearest row on x is (101, -6).
    const r = partialInitCenters(X, [[0, null], [100, null], [5000, null]], 0);
    assert.deepEqual(toRows(r.centers), [[0, 11], [100, -6], [5000, -6]]);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /starting centre 2 is nearest to no row/);
  });

  it('the frozen mask keeps the given coordinates while the free ones move', () => {
    // Given x = 2 and x = 98 frozen: the fit may only move y, to the group means 11 and -6.
    const init = partialInitCenters(X, [[2, null], [98, null]], 0);
    const r = kmeansFit(X, { nClusters: 2, init: init.centers, frozen: init.frozen });
    assert.deepEqual(toRows(r.clusterCenters), [[2, 11], [98, -6]]);
    assert.deepEqual(Array.from(r.labels), [0, 0, 0, 1, 1, 1]);
  });

  it('validates', () => {
    assert.throws(() => partialInitCenters(X, [[0]], 0), {
      name: 'EngineError', message: 'given centre 0 has 1 values, should have one per column (2)',
    });
    assert.throws(() => partialInitCenters(X, [[NaN, null]], 0), {
      name: 'EngineError', message: 'given centre 0, column 0 is NaN: a given coordinate should be a finite number',
    });
    assert.throws(() => partialInitCenters(fromRows([[1, 1]]), [[0, null], [1, null]], 0), {
      name: 'EngineError', message: 'nSamples=1 should be >= nClusters=2',
    });
  });
});
