/**
 * The worker job on files of distances: the reference fixtures (exact k-medoids optimum by
 * brute force, test/fixtures/README.md) as a matrix and as an edge list, the questions it
 * asks (distances or similarities, missing pairs), symmetrising, broken distance files,
 * MDS then k-means, and plain tables that must stay k-means.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure, runJob } from '../../../src/worker/job';
import { parseCsv } from '../../../src/csv/read';
import { medoidsItemsCsv } from '../../../src/pipeline/medoidsExport';
import {
  DEFAULT_DISTANCE_SETTINGS, DEFAULT_SETTINGS, parseRunSettings, transferablesOf,
  type DistanceSettings, type JobStart, type RunSettings,
} from '../../../src/protocol/messages';

const FIX = join(__dirname, '../../fixtures');

interface Optimum { k: number; optimal_cost: number; optimal_medoid_sets: number[][]; labels_for_first_optimal_set: number[] }
const matrixRef = JSON.parse(readFileSync(join(FIX, 'distances_12.json'), 'utf8')) as {
  ids: string[]; matrix: number[][];
  kmedoids: { brute_force_pam_optimum: Optimum; r_cluster_pam: { medoids_0based: number[]; clustering_0based_cluster_index: number[]; objective_swap_total: number } }[];
};
const edgesRef = JSON.parse(readFileSync(join(FIX, 'edges_10.json'), 'utf8')) as {
  node_order_first_appearance: string[]; equivalent_matrix: number[][]; kmedoids: { brute_force_pam_optimum: Optimum }[];
};

function start(file: string, settings: Partial<RunSettings> = {}, distances: Partial<DistanceSettings> = {}): JobStart {
  return {
    type: 'job/start', id: 7, file,
    settings: { ...DEFAULT_SETTINGS, ...settings, distances: { ...DEFAULT_DISTANCE_SETTINGS, ...distances } },
    maxBytes: 1e9, maxPoints: 5000, cancelFlag: new SharedArrayBuffer(4),
  };
}

function run(file: string, settings: Partial<RunSettings> = {}, distances: Partial<DistanceSettings> = {}): ReturnType<typeof runJob> {
  return runJob(start(file, settings, distances), () => undefined);
}

function failure(file: string, settings: Partial<RunSettings> = {}, distances: Partial<DistanceSettings> = {}): ReturnType<typeof describeFailure> {
  try {
    run(file, settings, distances);
  } catch (e) {
    return describeFailure(7, file, e);
  }
  throw new Error(`${file} did not fail`);
}

/** Mean silhouette by the textbook formula (a row alone in its cluster scores 0). */
function silhouette(D: number[][], labels: number[]): number {
  const n = labels.length;
  const k = Math.max(...labels) + 1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Array<number>(k).fill(0);
    const counts = new Array<number>(k).fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      sums[labels[j]] += D[i][j];
      counts[labels[j]]++;
    }
    if (counts[labels[i]] === 0) continue;
    const a = sums[labels[i]] / counts[labels[i]];
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== labels[i] && counts[c] > 0) b = Math.min(b, sums[c] / counts[c]);
    total += (b - a) / Math.max(a, b);
  }
  return total / n;
}

describe('distance job: the square matrix distances_12.csv', () => {
  for (const { brute_force_pam_optimum: ref } of matrixRef.kmedoids) {
    it(`k=${ref.k}: the exact optimum's medoids, labels and cost, named by id`, () => {
      const out = run(join(FIX, 'distances_12.csv'), { k: ref.k });
      const m = out.medoids;
      assert.ok(m, 'clustered as distances');
      assert.equal(m.kind, 'matrix');
      assert.deepEqual(m.ids, matrixRef.ids);
      const set = Array.from(m.medoids);
      assert.ok(ref.optimal_medoid_sets.some((s) => s.join() === set.join()), `medoids ${set} are an optimal set`);
      // Ties keep the lexicographically first set, which is the fixture's first.
      assert.deepEqual(set, ref.optimal_medoid_sets[0]);
      assert.deepEqual(Array.from(m.itemLabels), ref.labels_for_first_optimal_set);
      // Row r of the file is item r: its annotation label is the item's cluster.
      assert.deepEqual(Array.from(out.labels), ref.labels_for_first_optimal_set);
      assert.ok(Math.abs(out.report.inertia - ref.optimal_cost) < 1e-9, `cost ${out.report.inertia} vs ${ref.optimal_cost}`);
      const view = out.view.medoids;
      assert.ok(view);
      assert.deepEqual(view.medoids?.map((x) => x.id), ref.optimal_medoid_sets[0].map((i) => matrixRef.ids[i]));
      assert.match(view.method, /^exact/);
      assert.deepEqual(out.view.plot.centerNames, view.medoids?.map((x) => x.id));
      const sil = out.view.metrics.find((r) => r.key === 'silhouette')?.value;
      assert.ok(typeof sil === 'number' && Math.abs(sil - silhouette(matrixRef.matrix, ref.labels_for_first_optimal_set)) < 1e-12);
      // Every row's distance to its medoid is the matrix entry.
      for (let r = 0; r < 12; r++) {
        const medoid = ref.optimal_medoid_sets[0][ref.labels_for_first_optimal_set[r]];
        assert.equal(out.distances[r], matrixRef.matrix[r][medoid]);
      }
    });
  }

  it('draws every item on the MDS map with distances close to the given ones', () => {
    const out = run(join(FIX, 'distances_12.csv'), { k: 3 });
    const p = out.view.plot;
    assert.equal(p.rows.length, 12);
    assert.deepEqual(p.axisNames, ['MDS axis 1', 'MDS axis 2']);
    const stress = out.view.metrics.find((r) => r.key === 'mdsStress')?.value as number;
    const explained = out.view.medoids?.mds.explained as number;
    assert.ok(explained > 0 && explained <= 1);
    // Stress-1 recomputed here from the plotted points (Float32) and the fixture's matrix.
    let num = 0;
    let den = 0;
    for (let a = 0; a < 12; a++) {
      for (let b = a + 1; b < 12; b++) {
        const i = p.rows[a];
        const j = p.rows[b];
        const d = Math.hypot(p.points[2 * a] - p.points[2 * b], p.points[2 * a + 1] - p.points[2 * b + 1]);
        num += (matrixRef.matrix[i][j] - d) ** 2;
        den += matrixRef.matrix[i][j] ** 2;
      }
    }
    assert.ok(Math.abs(Math.sqrt(num / den) - stress) < 1e-5, `stress ${stress} vs ${Math.sqrt(num / den)}`);
    // Each medoid is drawn where its item is.
    const medoids = Array.from(out.medoids?.medoids ?? []);
    medoids.forEach((item, j) => {
      const at = Array.from(p.rows).indexOf(item);
      assert.equal(p.centers[2 * j], p.points[2 * at]);
      assert.equal(p.centers[2 * j + 1], p.points[2 * at + 1]);
    });
    assert.equal(transferablesOf(out).length, 17);
  });

  it('runs the k-medoids method asked for and says which; PAM is R\'s cluster::pam', () => {
    for (const c of matrixRef.kmedoids) {
      const pam = run(join(FIX, 'distances_12.csv'), { k: c.brute_force_pam_optimum.k }, { method: 'pam' });
      assert.match(pam.view.medoids?.method ?? '', /^PAM/);
      assert.deepEqual(Array.from(pam.medoids?.medoids ?? []), c.r_cluster_pam.medoids_0based);
      assert.deepEqual(Array.from(pam.medoids?.itemLabels ?? []), c.r_cluster_pam.clustering_0based_cluster_index);
      assert.ok(Math.abs(pam.report.inertia - c.r_cluster_pam.objective_swap_total) < 1e-9);
    }
    const fast = run(join(FIX, 'distances_12.csv'), { k: 3 }, { method: 'fasterpam' });
    assert.match(fast.view.medoids?.method ?? '', /^FasterPAM/);
    assert.ok(fast.report.inertia >= matrixRef.kmedoids[1].brute_force_pam_optimum.optimal_cost - 1e-9);
  });

  it('MDS, then k-means: states its caveat, has no medoids, scores the silhouette on the distances', () => {
    const out = run(join(FIX, 'distances_12.csv'), { k: 3 }, { algorithm: 'mds-kmeans' });
    const view = out.view.medoids;
    assert.ok(view);
    assert.equal(view.medoids, null);
    assert.match(view.caveat ?? '', /^k-means ran on the 2-D MDS map, not on the distances/);
    assert.equal(out.view.plot.centerNames, undefined);
    const labels = Array.from(out.medoids?.itemLabels ?? []);
    const sil = out.view.metrics.find((r) => r.key === 'silhouette')?.value;
    assert.ok(typeof sil === 'number' && Math.abs(sil - silhouette(matrixRef.matrix, labels)) < 1e-12);
  });
});

describe('distance job: the edge list edges_10.csv', () => {
  const file = join(FIX, 'edges_10.csv');
  const edges = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));

  it('asks whether the weights are distances or similarities, suggesting distances', () => {
    const f = failure(file);
    assert.equal(f.kind, 'input');
    assert.deepEqual(f.choice && { kind: f.choice.kind, suggested: f.choice.kind === 'similarity' ? f.choice.suggested : null },
      { kind: 'similarity', suggested: 'distance' });
    assert.match(f.error, /^edges_10\.csv: the edge weights in "weight" may be distances/);
  });

  for (const { brute_force_pam_optimum: ref } of edgesRef.kmedoids) {
    it(`k=${ref.k}: the exact optimum named by id; every edge row knows both endpoints`, () => {
      const out = run(file, { k: ref.k }, { similarity: 'distance' });
      const m = out.medoids;
      assert.ok(m);
      assert.equal(m.kind, 'edges');
      assert.deepEqual(m.ids, edgesRef.node_order_first_appearance);
      assert.deepEqual(Array.from(m.medoids), ref.optimal_medoid_sets[0]);
      assert.deepEqual(Array.from(m.itemLabels), ref.labels_for_first_optimal_set);
      assert.ok(Math.abs(out.report.inertia - ref.optimal_cost) < 1e-9);
      assert.deepEqual(out.view.medoids?.medoids?.map((x) => x.id), ref.optimal_medoid_sets[0].map((i) => edgesRef.node_order_first_appearance[i]));
      const byId = new Map(edgesRef.node_order_first_appearance.map((id, i) => [id, ref.labels_for_first_optimal_set[i]]));
      assert.equal(out.labels.length, 45);
      edges.forEach(([source, target], r) => {
        assert.equal(m.ids[m.rowItems[2 * r]], source);
        assert.equal(m.ids[m.rowItems[2 * r + 1]], target);
        assert.equal(out.labels[r], byId.get(source), `row ${r} is coloured by its source`);
      });
      assert.deepEqual(out.view.counts, [0, 1, 2].slice(0, ref.k).map((j) => ref.labels_for_first_optimal_set.filter((l) => l === j).length));
      const sil = out.view.metrics.find((r) => r.key === 'silhouette')?.value;
      assert.ok(typeof sil === 'number' && Math.abs(sil - silhouette(edgesRef.equivalent_matrix, ref.labels_for_first_optimal_set)) < 1e-12);
    });
  }

  it('every plotted item names its id and the first row it appears on', () => {
    const out = run(file, { k: 2 }, { similarity: 'distance' });
    const p = out.view.plot;
    assert.equal(p.pointNames?.length, 10);
    p.pointNames?.forEach((id, q) => {
      const first = edges.findIndex(([s, t]) => s === id || t === id);
      assert.equal(p.rows[q], first);
      assert.equal(p.lines[q], first + 1);
    });
  });
});

describe('distance job: questions, warnings and broken files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-distances-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('missing pairs: says how many, and fills them with shortest paths when asked', () => {
    // A path a - b - c - d: 3 of the 6 pairs are given.
    const p = write('path.csv', 'source,target,distance\na,b,1\nb,c,2\nc,d,4\n');
    const f = failure(p, { k: 2 });
    assert.deepEqual(f.choice, { kind: 'missing', missingPairs: 3, totalPairs: 6, example: ['a', 'c'] });
    assert.match(f.error, /^path\.csv: 3 of 6 pairs of items have no distance/);
    const out = run(p, { k: 2 }, { missing: 'shortest-path' });
    assert.equal(out.view.medoids?.missingPairs, 3);
    assert.ok(out.view.warnings.some((w) => w.startsWith('3 of 6 pairs had no distance')));
    // By hand, with d(a,c)=3, d(a,d)=7, d(b,d)=6, the costs of the 2-medoid sets are
    // {a,b} 8, {a,c} 5, {a,d} 4, {b,c} 5, {b,d} 3, {c,d} 5: the best is {b,d}.
    assert.equal(out.report.inertia, 3);
    assert.deepEqual(out.view.medoids?.medoids?.map((x) => x.id), ['b', 'd']);
  });

  it('similarities: asks for a matrix with no clear diagonal, converts with the rule it shows', () => {
    const p = write('sim.csv', 'id,a,b,c\na,5,4,1\nb,4,3,1\nc,1,1,2\n');
    const f = failure(p, { k: 2 });
    assert.equal(f.choice?.kind, 'similarity');
    const out = run(p, { k: 2 }, { similarity: 'similarity' });
    assert.equal(out.view.medoids?.conversion, 'd = max(s) - s, with max(s) = 5');
    const clear = write('sim2.csv', 'id,a,b,c\na,1,0.9,0.1\nb,0.9,1,0.2\nc,0.1,0.2,1\n');
    const auto = run(clear, { k: 2 });
    assert.equal(auto.view.medoids?.conversion, 'd = max(s) - s, with max(s) = 1');
    assert.deepEqual(Array.from(auto.medoids?.itemLabels ?? []), [0, 0, 1]);
  });

  it('an asymmetric matrix is symmetrised by the mean, with a warning that says so', () => {
    const p = write('asym.csv', 'id,a,b,c\na,0,1,6\nb,3,0,5\nc,6,5,0\n');
    const out = run(p, { k: 2 });
    assert.ok(out.view.warnings.some((w) => /^the matrix is not symmetric: 1 pairs differ .*mean of its two values$/.test(w)), out.view.warnings.join('; '));
    assert.equal(out.distances[1], 2, 'b is 2 = (1 + 3) / 2 from its medoid a');
  });

  it('a file that looks like distances but is broken gets one clear error', () => {
    const edges = write('broken-edges.csv', 'source,target,weight\na,b,1\nb,c,far\n');
    assert.throws(() => run(edges), {
      name: 'InputError',
      message: 'broken-edges.csv looks like a file of distances (its columns "source", "target", "weight" name an edge list) but cannot be read as one: '
        + 'as an edge list, row 1, column 2 holds "far", not a number (weight)',
    });
    const matrix = write('broken-matrix.csv', 'id,a,b,c\na,0,1,2\nb,1,0,3\n');
    assert.throws(() => run(matrix), {
      name: 'InputError',
      message: /^broken-matrix\.csv looks like a file of distances \(its header repeats the ids of its first column, as a distance matrix does\) but cannot be read as one: as a distance matrix, a square matrix needs/,
    });
  });

  it('a plain numeric table is still clustered with k-means', () => {
    const p = write('plain.csv', 'x,y,z\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n');
    const out = run(p, { k: 2 });
    assert.equal(out.medoids, undefined);
    assert.equal(out.view.medoids, undefined);
    assert.equal(out.model.centers.length, 2 * 3);
    assert.equal(run(join(FIX, 'iris.csv')).medoids, undefined);
  });

  it('settings for distance files pass the guard and bad ones are refused by name', () => {
    const s = { ...DEFAULT_SETTINGS, distances: { algorithm: 'mds-kmeans', method: 'pam', similarity: 'similarity', missing: 'shortest-path' } };
    assert.deepEqual(parseRunSettings(JSON.parse(JSON.stringify(s))), s);
    assert.equal('distances' in parseRunSettings({ ...DEFAULT_SETTINGS }), false);
    assert.throws(() => parseRunSettings({ ...s, distances: { ...s.distances, method: 'clara' } }),
      { message: 'settings.distances: method="clara" should be one of auto, exact, fasterpam, pam' });
  });
});

describe('export of a file of distances: one row per item', () => {
  it('items, clusters, medoids and distances read back as the fixture says (edges_10, k=2)', () => {
    const out = run(join(FIX, 'edges_10.csv'), { k: 2 }, { similarity: 'distance' });
    assert.ok(out.medoids);
    const table = parseCsv(medoidsItemsCsv(out.medoids), { header: 'auto' });
    assert.deepEqual(table.header, ['item', 'cluster', 'medoid', 'distance_to_medoid', 'is_medoid']);
    const best = edgesRef.kmedoids[0].brute_force_pam_optimum;
    const ids = edgesRef.node_order_first_appearance;
    table.rows.forEach(([item, cluster, medoid, distance, isMedoid], i) => {
      const m = best.optimal_medoid_sets[0][best.labels_for_first_optimal_set[i]];
      assert.deepEqual([item, Number(cluster), medoid, Number(distance), isMedoid],
        [ids[i], best.labels_for_first_optimal_set[i], ids[m], edgesRef.equivalent_matrix[i][m], String(m === i)]);
    });
  });

  it('neutralises ids a spreadsheet would run, and leaves medoid columns empty for MDS then k-means', () => {
    const csv = medoidsItemsCsv({
      ids: ['=cmd', 'b'], itemLabels: Int32Array.from([0, 1]), itemDistances: Float64Array.from([NaN, NaN]), medoids: Int32Array.from([-1, -1]),
    });
    assert.equal(csv, "item,cluster,medoid,distance_to_medoid,is_medoid\n'=cmd,0,,,\nb,1,,,\n");
  });
});
