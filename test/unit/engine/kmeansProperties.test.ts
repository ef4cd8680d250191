import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { kmeansFit, predict, type KMeansOptions } from '../../../src/engine/kmeans';
import { fromRows, type Matrix } from '../../../src/engine/matrix';

/**
 * Random data sets with a k and k starting rows. `grid` data takes small integers, so exact ties,
 * duplicate rows and duplicate starting centres (empty clusters) are common; the other kind is
 * continuous.
 */
const dataArb = fc.record({
  grid: fc.boolean(),
  n: fc.integer({ min: 2, max: 40 }),
  d: fc.integer({ min: 1, max: 4 }),
  k: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
}).map(({ grid, n, d, k, seed }) => {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let t = 0; t < d; t++) row.push(grid ? Math.floor(next() * 5) : (next() - 0.5) * 20);
    rows.push(row);
  }
  const kk = Math.min(k, n);
  const init: number[][] = [];
  for (let j = 0; j < kk; j++) init.push(rows[Math.floor(next() * n)].slice());
  return { X: fromRows(rows), rows, init: fromRows(init), k: kk, next };
});

function distinctRows(M: Matrix): boolean {
  const seen = new Set<string>();
  for (let j = 0; j < M.nRows; j++) seen.add(Array.from(M.data.subarray(j * M.nCols, (j + 1) * M.nCols)).join(','));
  return seen.size === M.nRows;
}

function fit(X: Matrix, options: KMeansOptions) {
  return kmeansFit(X, options);
}

describe('k-means properties', () => {
  it('Lloyd and Elkan agree exactly (labels, centres, inertia, nIter) on random data', () => {
    fc.assert(fc.property(dataArb, fc.constantFrom(0, 1e-4), ({ X, init, k }, tol) => {
      const lloyd = fit(X, { nClusters: k, init, tol, algorithm: 'lloyd' });
      const elkan = fit(X, { nClusters: k, init, tol, algorithm: 'elkan' });
      assert.deepEqual(elkan.labels, lloyd.labels);
      assert.deepEqual(elkan.clusterCenters.data, lloyd.clusterCenters.data);
      assert.equal(elkan.inertia, lloyd.inertia);
      assert.equal(elkan.nIter, lloyd.nIter);
      assert.equal(elkan.convergedBy, lloyd.convergedBy);
    }), { numRuns: 300, seed: 42 });
  });

  it('Lloyd and Elkan agree with k-means++ restarts too', () => {
    fc.assert(fc.property(dataArb, fc.integer({ min: 0, max: 100 }), ({ X, k }, seed) => {
      const lloyd = fit(X, { nClusters: k, nInit: 3, seed, algorithm: 'lloyd' });
      const elkan = fit(X, { nClusters: k, nInit: 3, seed, algorithm: 'elkan' });
      assert.deepEqual(elkan.labels, lloyd.labels);
      assert.deepEqual(elkan.clusterCenters.data, lloyd.clusterCenters.data);
      assert.deepEqual(elkan.runInertias, lloyd.runInertias);
    }), { numRuns: 100, seed: 7 });
  });

  it('Lloyd and Elkan agree on a larger data set full of exact ties and duplicates', () => {
    // 3000 rows on a 10 x 10 integer grid: many rows are equidistant from two centres.
    let s = 1;
    const rows: number[][] = [];
    for (let i = 0; i < 3000; i++) {
      s = (s * 69069 + 1) % 4294967296;
      const a = Math.floor((s / 4294967296) * 10);
      s = (s * 69069 + 1) % 4294967296;
      rows.push([a, Math.floor((s / 4294967296) * 10)]);
    }
    const X = fromRows(rows);
    for (const seed of [0, 1, 2, 3]) {
      const lloyd = fit(X, { nClusters: 12, seed, nInit: 2, tol: 0 });
      const elkan = fit(X, { nClusters: 12, seed, nInit: 2, tol: 0, algorithm: 'elkan' });
      assert.deepEqual(elkan.labels, lloyd.labels);
      assert.deepEqual(elkan.clusterCenters.data, lloyd.clusterCenters.data);
      assert.equal(elkan.nIter, lloyd.nIter);
    }
  });

  it('Elkan breaks an exact tie like Lloyd when the row currently has the higher label', () => {
    // 1-D rows 0, 2, 3, 7 from centres 0 and 4. Iteration 1: 2 is a tie (2 vs 2) and goes to 0;
    // labels [0, 0, 1, 1], centres 1 and 5. Iteration 2: row 3 is exactly 2 from both centres,
    // so it moves to the lower index 0: labels [0, 0, 0, 1], centres 5/3 and 7. Iteration 3
    // repeats the labels: strict stop, nIter 3.
    const X = fromRows([[0], [2], [3], [7]]);
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const r = fit(X, { nClusters: 2, init: fromRows([[0], [4]]), algorithm });
      assert.deepEqual(Array.from(r.labels), [0, 0, 0, 1], algorithm);
      assert.deepEqual(Array.from(r.clusterCenters.data), [5 / 3, 7], algorithm);
      assert.equal(r.nIter, 3, algorithm);
      assert.equal(r.convergedBy, 'strict', algorithm);
    }
  });

  it('Lloyd and Elkan agree when the rows span several chunks of the assignment', () => {
    // 30000 rows (more than one chunk of the chunked Lloyd step), 3-D with coordinates on a
    // coarse grid plus a little noise, k = 9.
    let s = 7;
    const next = (): number => {
      s = (s * 69069 + 1) % 4294967296;
      return s / 4294967296;
    };
    const rows: number[][] = [];
    for (let i = 0; i < 30000; i++) rows.push([Math.floor(next() * 6), Math.floor(next() * 6) + next() * 0.1, next() * 3]);
    const X = fromRows(rows);
    const lloyd = fit(X, { nClusters: 9, seed: 1, tol: 0, maxIter: 60 });
    const elkan = fit(X, { nClusters: 9, seed: 1, tol: 0, maxIter: 60, algorithm: 'elkan' });
    assert.deepEqual(elkan.labels, lloyd.labels);
    assert.deepEqual(elkan.clusterCenters.data, lloyd.clusterCenters.data);
    assert.equal(elkan.nIter, lloyd.nIter);
    assert.equal(elkan.inertia, lloyd.inertia);
  });

  it('inertia never increases across Lloyd iterations', () => {
    // The fit stopped after m iterations (tol = 0, maxIter = m) is the state after m Lloyd
    // iterations with its rows re-assigned; the inertia of that state must not rise with m.
    fc.assert(fc.property(dataArb, ({ X, init, k }) => {
      let previous = Infinity;
      for (let m = 1; m <= 8; m++) {
        const r = fit(X, { nClusters: k, init, tol: 0, maxIter: m });
        assert.ok(r.inertia <= previous * (1 + 1e-12) + 1e-300, `iteration ${m}: ${r.inertia} > ${previous}`);
        previous = r.inertia;
      }
    }), { numRuns: 150, seed: 3 });
  });

  it('predict(X, centres) equals the fit labels after a strict stop (and after any stop)', () => {
    fc.assert(fc.property(dataArb, fc.constantFrom(0, 1e-4, 0.5), ({ X, init, k }, tol) => {
      const r = fit(X, { nClusters: k, init, tol });
      assert.deepEqual(predict(X, r.clusterCenters), r.labels);
    }), { numRuns: 200, seed: 5 });
  });

  it('integer sample weights give the same fit as duplicated rows', () => {
    // Only while no cluster runs empty: the relocation moves one row (with all its weight), and
    // one copy of a duplicated row is not the same move. Continuous data started from k distinct
    // rows keeps every cluster non-empty in practice.
    fc.assert(fc.property(dataArb.filter((c) => distinctRows(c.init)), ({ rows, init, k, next }) => {
      const weights = rows.map(() => 1 + Math.floor(next() * 3));
      const duplicated: number[][] = [];
      const origin: number[] = [];
      rows.forEach((row, i) => {
        for (let c = 0; c < weights[i]; c++) {
          duplicated.push(row);
          origin.push(i);
        }
      });
      for (const tol of [0, 1e-4]) {
        const weighted = fit(fromRows(rows), { nClusters: k, init, tol, sampleWeight: Float64Array.from(weights) });
        const dup = fit(fromRows(duplicated), { nClusters: k, init, tol });
        assert.equal(weighted.nIter, dup.nIter);
        for (let r = 0; r < duplicated.length; r++) assert.equal(dup.labels[r], weighted.labels[origin[r]]);
        for (let p = 0; p < weighted.clusterCenters.data.length; p++) {
          const a = weighted.clusterCenters.data[p];
          const b = dup.clusterCenters.data[p];
          assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `centre coordinate ${a} vs ${b}`);
        }
        assert.ok(Math.abs(weighted.inertia - dup.inertia) <= 1e-10 * Math.max(1, dup.inertia));
        assert.deepEqual(Array.from(weighted.counts), Array.from(dup.counts));
      }
    }), { numRuns: 150, seed: 11 });
  });

  it('frozen coordinates never move (Lloyd and Elkan)', () => {
    fc.assert(fc.property(dataArb, fc.boolean(), ({ X, init, k, next }, elkan) => {
      const frozen = new Uint8Array(k * X.nCols);
      for (let p = 0; p < frozen.length; p++) frozen[p] = next() < 0.5 ? 1 : 0;
      const r = fit(X, { nClusters: k, init, frozen, algorithm: elkan ? 'elkan' : 'lloyd' });
      for (let p = 0; p < frozen.length; p++) {
        if (frozen[p] === 1) assert.equal(r.clusterCenters.data[p], init.data[p]);
      }
      assert.deepEqual(predict(X, r.clusterCenters), r.labels);
    }), { numRuns: 200, seed: 13 });
  });

  it('frozen coordinates: a hand-made case', () => {
    // Two groups on the x axis around x = 0 and x = 10, both with y in {0, 2}. Centre 0 has its
    // y frozen at 5: its x still moves to the group mean 0, its y stays 5; centre 1 is free and
    // ends at the mean (10, 1) of its group.
    const X = fromRows([[-1, 0], [1, 2], [9, 0], [11, 2]]);
    const r = kmeansFit(X, { nClusters: 2, init: fromRows([[2, 5], [8, 0]]), frozen: Uint8Array.from([0, 1, 0, 0]) });
    assert.deepEqual(Array.from(r.labels), [0, 0, 1, 1]);
    assert.deepEqual(Array.from(r.clusterCenters.data), [0, 5, 10, 1]);
  });

  it('a hand-made weighted case', () => {
    // Rows 0 and 1 in one cluster with weights 1 and 3: centre = (0 x 1 + 4 x 3) / 4 = 3.
    // Inertia = 1 x 9 + 3 x 1 = 12 (row 2 sits on its own centre).
    const X = fromRows([[0], [4], [100]]);
    const r = kmeansFit(X, { nClusters: 2, init: fromRows([[1], [99]]), sampleWeight: Float64Array.from([1, 3, 2]) });
    assert.deepEqual(Array.from(r.clusterCenters.data), [3, 100]);
    assert.equal(r.inertia, 12);
    assert.deepEqual(Array.from(r.counts), [4, 2]);
  });
});
