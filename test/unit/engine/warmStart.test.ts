import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { warmRefit } from '../../../src/engine/warmStart';
import { kmeansFit } from '../../../src/engine/kmeans';
import { fromRows, type Matrix } from '../../../src/engine/matrix';

function loadIris(): Matrix {
  const dir = path.join(__dirname, '../../fixtures');
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'iris.json'), 'utf8')) as { feature_columns: string[] };
  const lines = fs.readFileSync(path.join(dir, 'iris.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const cols = meta.feature_columns.map((c) => header.indexOf(c));
  return fromRows(lines.slice(1).map((line) => { const f = line.split(','); return cols.map((c) => Number(f[c])); }));
}

describe('warmRefit', () => {
  it('started from the optimum keeps it', () => {
    const X = loadIris();
    // Ten restarts reach iris's k = 3 optimum, 78.851441426146 (iris.json best_known_inertia).
    const fit = kmeansFit(X, { nClusters: 3, seed: 0, nInit: 10, tol: 0 });
    assert.equal(fit.convergedBy, 'strict');
    assert.ok(Math.abs(fit.inertia - 78.851441426146) < 1e-9);
    const r = warmRefit(X, fit.clusterCenters, { nSeeds: 3 });
    // The centres already are the means of their rows: the first update moves nothing, so the
    // tol rule stops in iteration 1 (as scikit-learn, README kmeans_explicit step 2).
    assert.equal(r.warm.nIter, 1);
    assert.deepEqual(r.warm.clusterCenters.data, fit.clusterCenters.data);
    assert.deepEqual(r.warm.labels, fit.labels);
    assert.equal(r.warm.inertia, fit.inertia);
    assert.equal(r.bestIs, 'warm');
    assert.equal(r.best, r.warm);
    assert.equal(r.seeded.length, 3);
    assert.match(r.summary, /kept the warm start/);
  });

  it('a fresh seed replaces a warm start stuck in a poor local minimum, and says so', () => {
    // Three tight 1-D groups at 0, 10 and 20. Previous centres: two inside the group at 0 and
    // one halfway between the others; Lloyd stays there (groups 10 and 20 share a centre,
    // inertia 100 x 3 = 300 + ...), while k-means++ finds one centre per group.
    const rows: number[][] = [];
    for (const c of [0, 10, 20]) for (const e of [-0.3, -0.1, 0.1, 0.3]) rows.push([c + e]);
    const X = fromRows(rows);
    const r = warmRefit(X, fromRows([[-0.2], [0.2], [15]]), { nSeeds: 4, seed: 0 });
    assert.ok(r.warm.inertia > 100, `${r.warm.inertia}`);
    assert.notEqual(r.bestIs, 'warm');
    assert.equal(typeof r.bestIs, 'number');
    const chosen = r.seeded[r.bestIs as number];
    assert.equal(r.best, chosen);
    assert.ok(chosen.inertia < 1, `${chosen.inertia}`);
    assert.match(r.summary, /kept the fit from seed \d/);
  });

  it('with nSeeds 0 only the warm start runs', () => {
    const X = loadIris();
    const r = warmRefit(X, fromRows([[5, 3.4, 1.5, 0.2], [6, 2.8, 4.5, 1.4], [6.8, 3, 5.7, 2]]), { nSeeds: 0 });
    assert.deepEqual(r.seeded, []);
    assert.equal(r.bestIs, 'warm');
  });

  it('validates', () => {
    const X = loadIris();
    assert.throws(() => warmRefit(X, fromRows([[1, 2]]), { nSeeds: 1 }), {
      name: 'EngineError', message: 'previousCenters have 2 columns but X has 4: they should match',
    });
    assert.throws(() => warmRefit(X, fromRows([[1, 2, 3, 4]]), { nSeeds: -1 }), {
      name: 'EngineError', message: 'nSeeds=-1 should be a whole number >= 0',
    });
  });
});
