import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sphericalKMeansFit } from '../../../src/engine/spherical';
import { fromRows, takeRows, type Matrix } from '../../../src/engine/matrix';

const FIXTURES = path.join(__dirname, '../../fixtures');

interface SphericalCase {
  id: string;
  init_rows: number[];
  n_clusters: number;
  max_iter: number;
  result: { centers: number[][]; labels: number[]; n_iter: number; converged: boolean; sum_one_minus_cosine: number };
}

function load(name: string): { X: Matrix; meta: Record<string, unknown> } {
  const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
  const lines = fs.readFileSync(path.join(FIXTURES, `${name}.csv`), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const cols = (meta.feature_columns as string[]).map((c) => header.indexOf(c));
  return { X: fromRows(lines.slice(1).map((line) => { const f = line.split(','); return cols.map((c) => Number(f[c])); })), meta };
}

describe('sphericalKMeansFit matches the reference (text_counts.json spherical_kmeans)', () => {
  const { X, meta } = load('text_counts');
  for (const c of meta.spherical_kmeans as SphericalCase[]) {
    it(c.id, () => {
      const r = sphericalKMeansFit(X, { nClusters: c.n_clusters, init: takeRows(X, c.init_rows), maxIter: c.max_iter });
      assert.deepEqual(Array.from(r.labels), c.result.labels);
      assert.equal(r.nIter, c.result.n_iter);
      assert.equal(r.convergedBy, c.result.converged ? 'strict' : 'maxIter');
      const flat = c.result.centers.flat();
      const scale = Math.max(...flat.map(Math.abs));
      flat.forEach((v, p) => {
        assert.ok(Math.abs(r.clusterCenters.data[p] - v) <= 1e-9 * Math.max(Math.abs(v), scale), `centre ${p}`);
      });
      assert.ok(Math.abs(r.inertia - c.result.sum_one_minus_cosine) <= 1e-9 * c.result.sum_one_minus_cosine);
      assert.deepEqual(r.zeroRows, []);
      assert.deepEqual(r.warnings, []);
    });
  }

  it('k-means++ seeding reaches the same objective as the reference on this data', () => {
    // Both reference starts converge to sum(1 - cos) = 35.29...; the best of a few seeds should too.
    const cases = meta.spherical_kmeans as SphericalCase[];
    const target = cases[0].result.sum_one_minus_cosine;
    const r = sphericalKMeansFit(X, { nClusters: 4, nInit: 5, seed: 0 });
    assert.ok(r.inertia <= target * (1 + 1e-9), `${r.inertia} vs ${target}`);
    assert.equal(r.runInertias.length, 5);
    assert.equal(r.inertia, Math.min(...r.runInertias));
  });
});

describe('sphericalKMeansFit on hand-made data', () => {
  it('leaves all-zero rows out (label -1), reports them, and renormalises the centres', () => {
    // Directions: rows 0, 1 point along x (lengths 1 and 5), row 3 along y, row 4 along (1, 1);
    // row 2 is all zero. From centres x and y: row 4 is a tie (cos 1/sqrt2 to both) -> 0.
    // Centre 0 = normalise((1,0) + (1,0) + (1/sqrt2, 1/sqrt2)); centre 1 = (0, 1).
    const X = fromRows([[1, 0], [5, 0], [0, 0], [0, 3], [2, 2]]);
    const r = sphericalKMeansFit(X, { nClusters: 2, init: fromRows([[1, 0], [0, 1]]) });
    assert.deepEqual(r.zeroRows, [2]);
    assert.deepEqual(Array.from(r.labels), [0, 0, -1, 1, 0]);
    assert.deepEqual(r.warnings, ['1 all-zero row has no direction and was left out of the fit (label -1): row 2']);
    const h = Math.SQRT1_2;
    const norm = Math.hypot(2 + h, h);
    const c0 = [(2 + h) / norm, h / norm];
    assert.ok(Math.abs(r.clusterCenters.data[0] - c0[0]) < 1e-15 && Math.abs(r.clusterCenters.data[1] - c0[1]) < 1e-15);
    assert.deepEqual(Array.from(r.clusterCenters.data.subarray(2)), [0, 1]);
    // inertia = sum of (1 - cos): rows 0, 1 give 1 - c0x each, row 4 gives 1 - (c0x + c0y) / sqrt2, row 3 gives 0.
    const expected = 2 * (1 - c0[0]) + (1 - (c0[0] + c0[1]) * h);
    assert.ok(Math.abs(r.inertia - expected) < 1e-14);
    assert.deepEqual(Array.from(r.counts), [3, 1]);
    assert.equal(r.convergedBy, 'strict');
    assert.equal(r.nIter, 2);
  });

  it('an empty cluster keeps its previous centre', () => {
    // Centre 1 = (-1, 0) faces away from every row: it never gets a row and stays where it is.
    const X = fromRows([[1, 0.1], [1, -0.1], [0.2, 1]]);
    const r = sphericalKMeansFit(X, { nClusters: 2, init: fromRows([[1, 0], [-1, 0]]) });
    assert.deepEqual(Array.from(r.clusterCenters.data.subarray(2)), [-1, 0]);
    assert.match(r.warnings.join('\n'), /distinct clusters \(1\)/);
  });

  it('stops at maxIter and then relabels against the final centres', () => {
    const { X } = load('text_counts');
    const r = sphericalKMeansFit(X, { nClusters: 4, init: takeRows(X, [0, 1, 2, 3]), maxIter: 1 });
    assert.equal(r.nIter, 1);
    assert.equal(r.convergedBy, 'maxIter');
  });

  it('validates', () => {
    const X = fromRows([[0, 0], [1, 0], [0, 0]]);
    assert.throws(() => sphericalKMeansFit(X, { nClusters: 2 }), {
      name: 'EngineError', message: 'nSamples with a direction=1 (after 2 all-zero rows) should be >= nClusters=2',
    });
    assert.throws(() => sphericalKMeansFit(fromRows([[1, 0], [0, 1]]), { nClusters: 2, init: fromRows([[1, 0], [0, 0]]) }), {
      name: 'EngineError', message: 'initial centre 1 is all zeros: a cosine centre needs a direction',
    });
    assert.throws(() => sphericalKMeansFit(fromRows([[1, 0], [0, 1]]), { nClusters: 1, maxIter: 0 }), {
      name: 'EngineError', message: 'maxIter=0 should be a whole number >= 1',
    });
  });
});
