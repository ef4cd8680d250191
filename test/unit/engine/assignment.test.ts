import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { linearSumAssignment } from '../../../src/engine/assignment';
import { assertClose, readJson } from '../metrics/helpers';

interface AssignmentCase {
  id: string; matrix: number[][]; maximize: boolean; row_ind: number[]; col_ind: number[]; total: number;
  optimum_is_unique: boolean;
}

/** Best total by trying every injective map from the shorter side (test oracle, tiny inputs). */
function bruteForce(cost: number[][], maximize: boolean): number {
  const r = cost.length;
  const c = cost[0].length;
  const tall = r > c;
  const small = tall ? c : r;
  const big = tall ? r : c;
  let best = maximize ? -Infinity : Infinity;
  const used = new Array<boolean>(big).fill(false);
  const walk = (i: number, acc: number): void => {
    if (i === small) {
      best = maximize ? Math.max(best, acc) : Math.min(best, acc);
      return;
    }
    for (let j = 0; j < big; j++) {
      if (used[j]) continue;
      used[j] = true;
      walk(i + 1, acc + (tall ? cost[j][i] : cost[i][j]));
      used[j] = false;
    }
  };
  walk(0, 0);
  return best;
}

describe('linearSumAssignment against SciPy fixtures', () => {
  for (const c of readJson<{ cases: AssignmentCase[] }>('assignment.json').cases) {
    it(c.id, () => {
      const got = linearSumAssignment(c.matrix, c.maximize);
      assertClose(got.total, c.total, 1e-12, 1e-12, 'total');
      if (c.optimum_is_unique) {
        assert.deepEqual(got.rowInd, c.row_ind);
        assert.deepEqual(got.colInd, c.col_ind);
      } else {
        assert.equal(got.rowInd.length, c.row_ind.length);
      }
    });
  }
});

describe('linearSumAssignment properties and edge cases', () => {
  it('reaches the brute-force optimum on random rectangular matrices', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([r, c]) =>
      fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));
    fc.assert(fc.property(arb, fc.boolean(), (m, maximize) => {
      const got = linearSumAssignment(m, maximize);
      assert.equal(got.total, bruteForce(m, maximize));
      assert.equal(got.rowInd.length, Math.min(m.length, m[0].length));
      assert.equal(new Set(got.rowInd).size, got.rowInd.length, 'rows used once');
      assert.equal(new Set(got.colInd).size, got.colInd.length, 'columns used once');
      for (let k = 1; k < got.rowInd.length; k++) assert.ok(got.rowInd[k] > got.rowInd[k - 1], 'rows ascending');
    }), { seed: 11, numRuns: 300 });
  });

  it('a constant matrix gives the identity matching (as SciPy)', () => {
    assert.deepEqual(linearSumAssignment([[2, 2, 2], [2, 2, 2], [2, 2, 2]]).colInd, [0, 1, 2]);
  });

  it('avoids forbidden (infinite) pairs and reports infeasibility', () => {
    // Row 0 may only take column 1, so row 1 gets column 0: total 5 + 1.
    assert.deepEqual(linearSumAssignment([[Infinity, 5], [1, 0]]), { rowInd: [0, 1], colInd: [1, 0], total: 6 });
    assert.throws(() => linearSumAssignment([[Infinity, Infinity], [1, 0]]), /infeasible/);
  });

  it('handles empty input and rejects ragged or NaN input', () => {
    assert.deepEqual(linearSumAssignment([]), { rowInd: [], colInd: [], total: 0 });
    assert.throws(() => linearSumAssignment([[1, 2], [3]]), /cost row 1 has 1 entries, row 0 has 2/);
    assert.throws(() => linearSumAssignment([[1, NaN]]), /cost\[0\]\[1\]=NaN should be a number/);
    assert.throws(() => linearSumAssignment([[1, Infinity]], true), /not allowed when maximising/);
  });
});
