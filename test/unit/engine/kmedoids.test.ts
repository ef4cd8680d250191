import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { kMedoids, silhouettePrecomputed } from '../../../src/engine/kmedoids';
import { fromRows, type Matrix } from '../../../src/engine/matrix';
import { silhouetteScore } from '../../../src/engine/metrics/internal';
import { assertClose, readJson, type DatasetJson } from '../metrics/helpers';

const FIXTURES: { name: string; D: Matrix; json: DatasetJson }[] = ['distances_12', 'edges_10'].map((name) => {
  const json = readJson<DatasetJson>(`${name}.json`);
  return { name, json, D: fromRows((json.matrix ?? json.equivalent_matrix) as number[][]) };
});

function costOf(D: Matrix, medoids: number[]): number {
  let s = 0;
  for (let i = 0; i < D.nRows; i++) s += Math.min(...medoids.map((m) => D.data[i * D.nRows + m]));
  return s;
}

describe('k-medoids against the brute-force optimum and R cluster::pam', () => {
  for (const { name, D, json } of FIXTURES) {
    for (const c of json.kmedoids ?? []) {
      const opt = c.brute_force_pam_optimum;
      it(`${name} k=${opt.k}: exact search finds the optimum`, () => {
        const r = kMedoids(D, { nClusters: opt.k });
        assertClose(r.cost, opt.optimal_cost, 1e-9, 0, 'cost');
        assert.equal(r.method, `exact (exhaustive search over ${opt.n_subsets_checked} sets)`);
        assert.ok(opt.optimal_medoid_sets.some((s) => JSON.stringify(s) === JSON.stringify(r.medoids)), 'an optimal set');
        if (opt.optimal_medoid_sets.length === 1) {
          assert.deepEqual(r.medoids, opt.optimal_medoid_sets[0]);
          assert.deepEqual(Array.from(r.labels), opt.labels_for_first_optimal_set);
        }
        assertClose(costOf(D, r.medoids), r.cost, 1e-12, 0, 'reported cost is the sum');
      });
      it(`${name} k=${opt.k}: FasterPAM and PAM reach at most R's total`, () => {
        const fast = kMedoids(D, { nClusters: opt.k, method: 'fasterpam', seed: 3 });
        assert.ok(fast.cost <= c.r_cluster_pam.objective_swap_total + 1e-9, `FasterPAM ${fast.cost}`);
        assert.match(fast.method, /^FasterPAM, best of 10 restarts/);
        // Ten starts on 10-12 items find the optimum here (checked, not guaranteed in general).
        assertClose(fast.cost, opt.optimal_cost, 1e-9, 0, 'FasterPAM cost');
        const pam = kMedoids(D, { nClusters: opt.k, method: 'pam' });
        assert.ok(pam.cost <= c.r_cluster_pam.objective_swap_total + 1e-9, `PAM ${pam.cost}`);
        // R's BUILD + SWAP and ours should end on the same medoids.
        assert.deepEqual(pam.medoids, [...c.r_cluster_pam.medoids_0based].sort((a, b) => a - b));
      });
    }
  }
});

/** Euclidean distance matrix of random planar points. */
const pointsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { minLength: 3, maxLength: 14 });
function distanceMatrix(points: [number, number][]): Matrix {
  return fromRows(points.map((p) => points.map((q) => Math.hypot(p[0] - q[0], p[1] - q[1]))));
}

describe('k-medoids properties', () => {
  it('exact is never worse than FasterPAM or PAM, and their results admit no improving swap', () => {
    fc.assert(fc.property(pointsArb, fc.integer({ min: 2, max: 4 }), (points, k) => {
      fc.pre(k < points.length);
      const D = distanceMatrix(points);
      const exact = kMedoids(D, { nClusters: k, method: 'exact' });
      for (const method of ['fasterpam', 'pam'] as const) {
        const r = kMedoids(D, { nClusters: k, method, nInit: 2 });
        assert.ok(exact.cost <= r.cost + 1e-9, `${method} ${r.cost} beats exact ${exact.cost}`);
        // Local optimality: swapping any medoid for any other row does not lower the cost.
        for (let s = 0; s < k; s++) {
          for (let c = 0; c < points.length; c++) {
            if (r.medoids.includes(c)) continue;
            const swapped = r.medoids.map((m, t) => (t === s ? c : m));
            assert.ok(costOf(D, swapped) >= r.cost - 1e-9, `${method}: swap ${r.medoids[s]} -> ${c} improves`);
          }
        }
      }
    }), { seed: 31, numRuns: 80 });
  });

  it('labels point to the nearest medoid and k = 1 / k = n are exact', () => {
    const D = distanceMatrix([[0, 0], [1, 0], [5, 0], [9, 0]]);
    // Sums of distances: row 0: 15, row 1: 13, row 2: 15, row 3: 23 -> medoid 1, cost 13.
    assert.deepEqual(kMedoids(D, { nClusters: 1 }), { medoids: [1], labels: Int32Array.of(0, 0, 0, 0), cost: 13, method: 'exact (exhaustive search over 4 sets)' });
    const all = kMedoids(D, { nClusters: 4 });
    assert.deepEqual(all.medoids, [0, 1, 2, 3]);
    assert.equal(all.cost, 0);
  });

  it('validates the matrix and k', () => {
    assert.throws(() => kMedoids(fromRows([[0, 1]]), { nClusters: 1 }), /the distance matrix is 1 x 2: it should be square/);
    assert.throws(() => kMedoids(fromRows([[0, 1], [2, 0]]), { nClusters: 1 }), /D\[0\]\[1\]=1 and D\[1\]\[0\]=2 differ/);
    assert.throws(() => kMedoids(fromRows([[1, 1], [1, 0]]), { nClusters: 1 }), /D\[0\]\[0\]=1 should be 0/);
    assert.throws(() => kMedoids(fromRows([[0, -1], [-1, 0]]), { nClusters: 1 }), /D\[0\]\[1\]=-1 should be a finite number >= 0/);
    assert.throws(() => kMedoids(fromRows([[0, 1], [1, 0]]), { nClusters: 3 }), { name: 'EngineError', message: 'nClusters=3 should be an integer in [1, nSamples=2]' });
  });

  it('uses FasterPAM when the exhaustive search is too large, and says so', () => {
    // 300 points, k = 5: C(300, 5) is about 2e10 sets.
    const points: [number, number][] = Array.from({ length: 300 }, (_, i) => [(i * 37) % 101, (i * 53) % 89]);
    const r = kMedoids(distanceMatrix(points), { nClusters: 5, nInit: 2 });
    assert.equal(r.method, 'FasterPAM, best of 2 restarts (BUILD + 1 random starts)');
    assert.equal(r.medoids.length, 5);
    assert.throws(() => kMedoids(distanceMatrix(points), { nClusters: 5, method: 'exact' }), /use 'fasterpam'/);
  });
});

describe('silhouettePrecomputed', () => {
  it('equals the Euclidean silhouette of the points the matrix came from', () => {
    fc.assert(fc.property(pointsArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 14, maxLength: 14 }), (points, raw) => {
      const labels = Int32Array.from(raw.slice(0, points.length));
      const want = silhouetteScore(fromRows(points), labels).value;
      const got = silhouettePrecomputed(distanceMatrix(points), labels);
      if (want === null) assert.equal(got, null);
      else assertClose(got as number, want, 1e-12, 1e-12, 'silhouette');
    }), { seed: 32, numRuns: 100 });
  });
});
