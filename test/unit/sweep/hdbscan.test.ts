/**
 * HDBSCAN on small cases worked out by hand (core distances, mutual reachability, hierarchy,
 * condensed tree, stabilities, excess-of-mass selection, labels, membership strengths), and on
 * random data against an independent oracle that builds the full distance matrix, the spanning
 * tree by Kruskal and the cluster tree by recursion.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hdbscan } from '../../../src/engine/hdbscan';
import { CancelledError, EngineError } from '../../../src/engine/errors';
import { fromRows } from '../../../src/engine/matrix';
import { Rng } from '../../../src/engine/rng';
import { hdbscanTable } from '../../../src/pipeline/hdbscan';
import { parseCsv } from '../../../src/csv/read';
import { blobsCsv, gaussian } from './helpers';

const column = (values: number[]) => fromRows(values.map((v) => [v]), 1);

function assertClose(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('HDBSCAN on hand-worked cases (one column, minSamples = 2, minClusterSize = 3)', () => {
  it('two groups and an outlier: two leaf clusters, the outlier is noise', () => {
    // Rows 0, 1, 2 | 10, 11, 12 | 30. Core distance (nearest other row): 1 for the groups, 18 for
    // 30. Mutual reachability: 1 inside a group, 8 between 2 and 10, 18 from 12 to 30. Hierarchy:
    // the groups form at distance 1, join at 8, and 30 joins at 18. Condensed: 30 leaves the root
    // at lambda 1/18; at 1/8 the root splits into two clusters of 3 (both >= 3), born at 1/8;
    // at lambda 1 each breaks into pieces smaller than 3, so its rows leave at 1.
    // Stability of each: 3 x (1 - 1/8) = 2.625. Both are leaves, so both are kept.
    const r = hdbscan(column([0, 1, 2, 10, 11, 12, 30]), { minClusterSize: 3, minSamples: 2 });
    assert.deepEqual(Array.from(r.labels), [0, 0, 0, 1, 1, 1, -1]);
    assert.equal(r.nClusters, 2);
    assert.equal(r.nNoise, 1);
    assertClose(r.stability, [2.625, 2.625], 1e-12, 'stability');
    assertClose(r.coreDistances, [1, 1, 1, 1, 1, 1, 18], 0, 'core distances');
    // Every clustered row leaves at the cluster's highest lambda (1): strength 1; noise 0.
    assert.deepEqual(Array.from(r.probabilities), [1, 1, 1, 1, 1, 1, 0]);
  });

  it('excess of mass keeps a parent whose split is weak, and drops its children', () => {
    // P = 0, 1, 2 | 3.2, 4.2, 5.2 (a gap of 1.2), Q = 100, 101, 102. Core distance 1 everywhere.
    // The root splits at distance 94.8 (5.2 to 100) into P and Q, born at lambda 1/94.8.
    // P splits at 1.2 into two clusters of 3, born at 1/1.2, whose rows leave at 1.
    // stability(P) = 6 x (1/1.2 - 1/94.8) = 4.9367; its children 3 x (1 - 1/1.2) = 0.5 each, sum
    // 1 < 4.94, so P is kept and its children dropped. stability(Q) = 3 x (1 - 1/94.8) = 2.968.
    const r = hdbscan(column([0, 1, 2, 3.2, 4.2, 5.2, 100, 101, 102]), { minClusterSize: 3, minSamples: 2 });
    assert.deepEqual(Array.from(r.labels), [0, 0, 0, 0, 0, 0, 1, 1, 1]);
    assertClose(r.stability, [6 * (1 / 1.2 - 1 / 94.8), 3 * (1 - 1 / 94.8)], 1e-12, 'stability');
    // P's highest lambda is 1/1.2 (its children's birth); its rows left later (at 1): strength 1.
    assert.deepEqual(Array.from(r.probabilities), [1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('and keeps the children when their split is strong', () => {
    // As before with P's halves 50 apart: P = 0, 1, 2 | 52, 53, 54; Q = 200, 201, 202.
    // Root splits at 146 (54 to 200); P (born 1/146) splits at 50 into halves born at 1/50.
    // stability(P) = 6 x (1/50 - 1/146) = 0.0789; each half 3 x (1 - 1/50) = 2.94, sum 5.88 > 0.0789.
    const r = hdbscan(column([0, 1, 2, 52, 53, 54, 200, 201, 202]), { minClusterSize: 3, minSamples: 2 });
    assert.deepEqual(Array.from(r.labels), [0, 0, 0, 1, 1, 1, 2, 2, 2]);
    assertClose(r.stability, [2.94, 2.94, 3 * (1 - 1 / 146)], 1e-12, 'stability');
  });

  it('a row that leaves its cluster early has a lower membership strength', () => {
    // X = 0, 1, 2, 4 and Y = 20, 21, 22, 24. Core distances: 1, 1, 1, 2 (4's nearest is 2) and the
    // same for Y. Mutual reachability 2 -> 4 is max(1, 2, 2) = 2; X to Y is 16 (4 to 20). The root
    // splits at 16 into X and Y (4 rows each, born at 1/16). In X, row 4 leaves at lambda 1/2, then
    // at 1 the rest breaks up: stability 0.5 - 1/16 + 3 x (1 - 1/16) = 3.25. Highest lambda in X
    // is 1, so row 4's strength is 0.5 / 1.
    const r = hdbscan(column([0, 1, 2, 4, 20, 21, 22, 24]), { minClusterSize: 3, minSamples: 2 });
    assert.deepEqual(Array.from(r.labels), [0, 0, 0, 0, 1, 1, 1, 1]);
    assertClose(r.stability, [3.25, 3.25], 1e-12, 'stability');
    assertClose(r.probabilities, [1, 1, 1, 0.5, 1, 1, 1, 0.5], 1e-15, 'probabilities');
    assertClose(r.coreDistances, [1, 1, 1, 2, 1, 1, 1, 2], 0, 'core distances');
  });

  it('with no split into two groups of minClusterSize, everything is noise (the root is never a cluster)', () => {
    // An evenly spaced chain: every merge is at distance 1 and adds one row at a time, so rows
    // leave the root one by one and no second cluster is ever born.
    const r = hdbscan(column([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { minClusterSize: 3, minSamples: 2 });
    assert.deepEqual(Array.from(r.labels), new Array(10).fill(-1));
    assert.equal(r.nClusters, 0);
    assert.equal(r.nNoise, 10);
    assert.equal(hdbscan(column([5]), { minClusterSize: 2, minSamples: 1 }).nNoise, 1);
  });

  it('minSamples = 3 and minClusterSize = 4: core distances from the second nearest other row', () => {
    // Rows 0, 1, 2, 3 | 6, 7, 8, 9 | 20. Core distances (2nd nearest other row): 2, 1, 1, 2 in
    // each group, and 12 for 20 (9 is 11 away, 8 is 12). Mutual reachability: 3 -> 6 is
    // max(2, 2, 3) = 3, 9 -> 20 is max(2, 12, 11) = 12. Condensed: 20 leaves the root at 1/12;
    // at 1/3 the root splits into the two groups of 4 (born at 1/3); inside a group the last
    // merge is at 2 with sides of 3 and 1 rows, both < 4, so all 4 rows leave at 1/2.
    // Stability of each group: 4 x (1/2 - 1/3) = 2/3.
    const r = hdbscan(column([0, 1, 2, 3, 6, 7, 8, 9, 20]), { minClusterSize: 4, minSamples: 3 });
    assertClose(r.coreDistances, [2, 1, 1, 2, 2, 1, 1, 2, 12], 0, 'core distances');
    assert.deepEqual(Array.from(r.labels), [0, 0, 0, 0, 1, 1, 1, 1, -1]);
    assertClose(r.stability, [2 / 3, 2 / 3], 1e-12, 'stability');
  });
});

/**
 * Independent oracle from the definitions of Campello et al.: the full mutual reachability
 * matrix, and a cluster followed down through the level sets: at the highest level below which
 * it falls apart (the largest edge of its own spanning tree), its parts are the connected
 * components of the edges strictly below that level.
 */
function oracle(rows: number[][], minClusterSize: number, minSamples: number): { labels: number[]; probabilities: number[] } {
  const n = rows.length;
  const D = rows.map((a) => rows.map((b) => Math.sqrt(a.reduce((s, v, t) => s + (v - b[t]) ** 2, 0))));
  const core = D.map((row) => [...row].sort((x, y) => x - y)[minSamples - 1]);
  const M = D.map((row, i) => row.map((v, j) => Math.max(core[i], core[j], v)));
  /** Components of `set` joined by edges of weight < level (level Infinity: the set must be connected). */
  const components = (set: number[], level: number): number[][] => {
    const seen = new Set<number>();
    const out: number[][] = [];
    for (const start of set) {
      if (seen.has(start)) continue;
      const comp = [start];
      seen.add(start);
      for (let q = 0; q < comp.length; q++) {
        for (const j of set) if (!seen.has(j) && M[comp[q]][j] < level) { seen.add(j); comp.push(j); }
      }
      out.push(comp);
    }
    return out;
  };
  /** The level at which `set` (connected) falls apart: the smallest w with set connected by edges <= w. */
  const splitLevel = (set: number[]): number => {
    const weights = [...new Set(set.flatMap((i) => set.filter((j) => j > i).map((j) => M[i][j])))].sort((a, b) => a - b);
    // Connected by edges <= weights[t] means connected by edges < weights[t + 1]: monotone in t.
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (components(set, weights[mid + 1]).length === 1) hi = mid;
      else lo = mid + 1;
    }
    return weights[lo];
  };
  type Cluster = { birth: number; leaves: { row: number; lambda: number }[]; kids: Cluster[]; size: number; stability: number; death: number };
  const lambdaOf = (w: number): number => (w > 0 ? 1 / w : Infinity);
  const follow = (set: number[], cluster: Cluster): void => {
    if (set.length === 1) {
      cluster.leaves.push({ row: set[0], lambda: Infinity });
      return;
    }
    const w = splitLevel(set);
    const lambda = lambdaOf(w);
    const parts = components(set, w);
    const big = parts.filter((p) => p.length >= minClusterSize);
    for (const p of parts) {
      if (p.length < minClusterSize) for (const r of p) cluster.leaves.push({ row: r, lambda });
    }
    if (big.length === 1) follow(big[0], cluster);
    if (big.length >= 2) {
      for (const p of big) {
        const child: Cluster = { birth: lambda, leaves: [], kids: [], size: p.length, stability: 0, death: 0 };
        cluster.kids.push(child);
        follow(p, child);
      }
    }
  };
  const top: Cluster = { birth: 0, leaves: [], kids: [], size: n, stability: 0, death: 0 };
  if (n > 1) follow(rows.map((_, i) => i), top);
  const score = (c: Cluster): void => {
    c.kids.forEach(score);
    c.stability = c.leaves.reduce((s, l) => s + (l.lambda === c.birth ? 0 : l.lambda - c.birth), 0)
      + c.kids.reduce((s, k) => s + (k.birth - c.birth) * k.size, 0);
    c.death = Math.max(0, ...c.leaves.map((l) => l.lambda), ...c.kids.map((k) => k.birth));
  };
  score(top);
  const select = (c: Cluster): { value: number; chosen: Cluster[] } => {
    const below = c.kids.map(select);
    const sum = below.reduce((s, b) => s + b.value, 0);
    if (c.kids.length > 0 && sum > c.stability) return { value: sum, chosen: below.flatMap((b) => b.chosen) };
    return { value: c.stability, chosen: [c] };
  };
  const chosen = top.kids.map(select).flatMap((s) => s.chosen);
  const collect = (c: Cluster, out: { row: number; lambda: number }[]): void => {
    out.push(...c.leaves);
    c.kids.forEach((k) => collect(k, out));
  };
  const labels = new Array<number>(n).fill(-1);
  const probabilities = new Array<number>(n).fill(0);
  const groups = chosen.map((c) => {
    const members: { row: number; lambda: number }[] = [];
    collect(c, members);
    return { c, members, first: Math.min(...members.map((m) => m.row)) };
  }).sort((a, b) => a.first - b.first);
  groups.forEach((g, label) => {
    for (const m of g.members) {
      labels[m.row] = label;
      probabilities[m.row] = g.c.death === 0 || !Number.isFinite(m.lambda) ? 1 : Math.min(m.lambda, g.c.death) / g.c.death;
    }
  });
  return { labels, probabilities };
}

describe('HDBSCAN against an independent full-matrix oracle', () => {
  it('random blobs with scattered rows, 1 to 3 columns, various minClusterSize and minSamples', () => {
    const rng = new Rng(424242);
    for (let trial = 0; trial < 60; trial++) {
      const d = 1 + rng.int(3);
      const nBlobs = 1 + rng.int(4);
      const rows: number[][] = [];
      for (let b = 0; b < nBlobs; b++) {
        const centre = Array.from({ length: d }, () => 20 * rng.random());
        const size = 3 + rng.int(20);
        const spread = 0.3 + 2 * rng.random();
        for (let i = 0; i < size; i++) rows.push(centre.map((c) => c + spread * gaussian(rng)));
      }
      if (trial % 3 === 0) {
        // Whole numbers: duplicated rows and many exact ties between distances.
        for (const row of rows) for (let t = 0; t < d; t++) row[t] = Math.round(row[t]);
      }
      const nNoise = rng.int(8);
      for (let i = 0; i < nNoise; i++) rows.push(Array.from({ length: d }, () => 30 * rng.random() - 5));
      // Shuffle so that cluster rows are not contiguous.
      for (let i = rows.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [rows[i], rows[j]] = [rows[j], rows[i]];
      }
      const minClusterSize = 2 + rng.int(8);
      const minSamples = 1 + rng.int(Math.min(rows.length, 8));
      const r = hdbscan(fromRows(rows, d), { minClusterSize, minSamples });
      const o = oracle(rows, minClusterSize, minSamples);
      const what = `trial ${trial}: n=${rows.length} d=${d} minClusterSize=${minClusterSize} minSamples=${minSamples}`;
      assert.deepEqual(Array.from(r.labels), o.labels, what);
      assertClose(r.probabilities, o.probabilities, 1e-12, what);
      assert.equal(r.nNoise, o.labels.filter((l) => l === -1).length);
      assert.equal(r.nClusters, new Set(o.labels.filter((l) => l >= 0)).size);
    }
  });

  it('well separated blobs are found whole', () => {
    const rng = new Rng(3);
    const rows: number[][] = [];
    const truth: number[] = [];
    for (let b = 0; b < 4; b++) {
      for (let i = 0; i < 40; i++) {
        rows.push([30 * b + gaussian(rng), 30 * (b % 2) + gaussian(rng)]);
        truth.push(b);
      }
    }
    const r = hdbscan(fromRows(rows, 2), { minClusterSize: 10 });
    assert.equal(r.nClusters, 4);
    // Blobs were generated in order, so numbering by lowest row gives the same numbers.
    for (let i = 0; i < rows.length; i++) if (r.labels[i] !== -1) assert.equal(r.labels[i], truth[i], `row ${i}`);
    assert.ok(r.nNoise <= 8, `${r.nNoise} noise rows`);
  });
});

describe('HDBSCAN input checks, progress and cancellation', () => {
  const X = column([0, 1, 2]);
  it('names the value and the rule', () => {
    const err = (p: RegExp) => (e: unknown): boolean => e instanceof EngineError && p.test(e.message);
    assert.throws(() => hdbscan(X, { minClusterSize: 1 }), err(/minClusterSize=1 should be an integer >= 2/));
    assert.throws(() => hdbscan(X, { minClusterSize: 3, minSamples: 4 }), err(/minSamples=4 should be an integer in \[1, nSamples=3\]/));
    assert.throws(() => hdbscan(X), err(/minSamples=5 should be an integer in \[1, nSamples=3\]/), 'minSamples defaults to minClusterSize = 5');
    assert.throws(() => hdbscan(column([0, NaN]), { minClusterSize: 2 }), err(/X\[1\]\[0\]=NaN should be a finite number/));
    assert.throws(() => hdbscan(X, { minClusterSize: 2, metric: 'manhattan' as 'cosine' }), err(/metric=manhattan/));
  });

  it('cosine: rows in the same direction cluster together whatever their length', () => {
    const rows: number[][] = [];
    for (let i = 1; i <= 6; i++) rows.push([i, 0.01 * (i % 3)]);
    for (let i = 1; i <= 6; i++) rows.push([0.01 * (i % 3), 10 * i]);
    const r = hdbscan(fromRows(rows, 2), { minClusterSize: 3, minSamples: 2, metric: 'cosine' });
    assert.equal(r.nClusters, 2);
    assert.deepEqual(Array.from(r.labels), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('progress ends at 1; a cancel flag stops it', () => {
    const rng = new Rng(8);
    const X2 = fromRows(Array.from({ length: 600 }, () => [gaussian(rng), gaussian(rng)]), 2);
    const fractions: number[] = [];
    hdbscan(X2, { minClusterSize: 10 }, { onProgress: (f) => fractions.push(f) });
    assert.equal(fractions[fractions.length - 1], 1);
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1]);
    assert.throws(() => hdbscan(X2, { minClusterSize: 10 }, { isCancelled: () => true }), (e: unknown) => e instanceof CancelledError);
  });
});

describe('hdbscanTable', () => {
  it('labels per data row (null for a dropped row), the class column left out', () => {
    // Three blobs 40 apart (sd 1), 30 rows each, then a row with a missing value.
    const text = blobsCsv(5, 3, 30, 2, 40).trimEnd() + '\n,3,1\n';
    const report = hdbscanTable(parseCsv(text, { header: 'auto' }), { label: 'blob', minClusterSize: 8 });
    assert.equal(report.labels.length, 91);
    assert.equal(report.labels[90], null);
    assert.equal(report.probabilities[90], null);
    assert.deepEqual(report.featureNames, ['x0', 'x1']);
    assert.equal(report.nClusters, 3);
    assert.equal(report.minSamples, 8, 'minSamples defaults to minClusterSize');
    // Blobs come in order, so numbering by lowest row follows them: every clustered row is in its blob.
    for (let i = 0; i < 90; i++) if (report.labels[i] !== -1) assert.equal(report.labels[i], Math.floor(i / 30), `row ${i}`);
    assert.ok(report.warnings.some((w) => /1 row/.test(w) || /dropped/.test(w)), report.warnings.join('; '));
  });

  it('says so when no cluster forms', () => {
    const text = 'x\n' + Array.from({ length: 12 }, (_, i) => String(i)).join('\n') + '\n';
    const report = hdbscanTable(parseCsv(text, { header: 'auto' }), { minClusterSize: 3, minSamples: 2 });
    assert.equal(report.nClusters, 0);
    assert.match(report.warnings.join(' '), /no cluster formed/);
  });
});
