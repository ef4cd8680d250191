/**
 * The sweep over k: every row equals the single fit with the same options, the scores agree
 * with scikit-learn's fixtures, stability is the mean pairwise ARI of the seeds' fits, a table
 * with a known best k gets that k, and progress, partial rows and cancellation behave.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitTable } from '../../../src/pipeline/fit';
import { suggestK, sweepTable, type SweepRow } from '../../../src/pipeline/sweep';
import { adjustedRandScore } from '../../../src/engine/metrics/external';
import { CancelledError, EngineError } from '../../../src/engine/errors';
import { blobsTable, fixtureJson, fixtureTable } from './helpers';

const iris = fixtureTable('iris');

function close(actual: number | null | undefined, expected: number, rel: number, what: string): void {
  assert.ok(typeof actual === 'number', `${what}: ${actual} is not a number`);
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

describe('sweep rows equal single fits', () => {
  it('k = 2..6 on iris: every score, nIter and warning is what fitTable reports', () => {
    const report = sweepTable(iris, 2, 6, { label: 'species', seed: 4 });
    assert.deepEqual(report.results.map((r) => r.k), [2, 3, 4, 5, 6]);
    for (const row of report.results) {
      const single = fitTable(iris, { k: row.k, label: 'species', seed: 4 }).report;
      assert.equal(row.inertia, single.inertia, `k=${row.k} inertia`);
      assert.equal(row.silhouette, single.metrics.silhouette, `k=${row.k} silhouette`);
      assert.equal(row.daviesBouldin, single.metrics.daviesBouldin, `k=${row.k} Davies-Bouldin`);
      assert.equal(row.calinskiHarabasz, single.metrics.calinskiHarabasz, `k=${row.k} Calinski-Harabasz`);
      assert.equal(row.adjustedRand, single.metrics.adjustedRand, `k=${row.k} ARI vs species`);
      assert.equal(row.nIter, single.nIter);
      assert.deepEqual(row.warnings, single.warnings);
      assert.equal(row.seed, 4);
      assert.equal(row.stability, null, 'one seed: no stability');
      assert.deepEqual(row.seedInertias, [single.inertia]);
    }
  });

  it('with several seeds the row is the best seed\'s fit (lowest inertia, the first on a tie), and stability the mean pairwise ARI of all seeds', () => {
    const seeds = [7, 8, 9, 10];
    const report = sweepTable(iris, 3, 5, { label: 'species', seed: 7, nSeeds: 4 });
    assert.deepEqual(report.grid.seeds, seeds);
    for (const row of report.results) {
      const fits = seeds.map((seed) => fitTable(iris, { k: row.k, label: 'species', seed }));
      let best = 0;
      for (let s = 1; s < 4; s++) if (fits[s].report.inertia < fits[best].report.inertia) best = s;
      assert.equal(row.seed, seeds[best]);
      assert.equal(row.inertia, fits[best].report.inertia);
      assert.equal(row.inertia, Math.min(...fits.map((f) => f.report.inertia)));
      assert.equal(row.silhouette, fits[best].report.metrics.silhouette);
      assert.deepEqual(row.seedInertias, fits.map((f) => f.report.inertia));
      let sum = 0;
      for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) sum += adjustedRandScore(fits[a].fitLabels, fits[b].fitLabels);
      close(row.stability, sum / 6, 1e-15, `k=${row.k} stability`);
    }
  });

  it('crossed with init and metric: each row equals the fit with that init and metric', () => {
    const report = sweepTable(iris, 2, 4, {
      label: 'species', scale: 'standard', inits: ['k-means++', 'random'], metrics: ['euclidean', 'cosine'], nSeeds: 2,
    });
    assert.equal(report.results.length, 3 * 2 * 2);
    assert.deepEqual(report.settings.map((s) => `${s.init}/${s.metric}`),
      ['k-means++/euclidean', 'k-means++/cosine', 'random/euclidean', 'random/cosine']);
    assert.deepEqual(report.results.map((r) => `${r.init}/${r.metric}/${r.k}`).slice(0, 6),
      ['k-means++/euclidean/2', 'k-means++/euclidean/3', 'k-means++/euclidean/4', 'k-means++/cosine/2', 'k-means++/cosine/3', 'k-means++/cosine/4']);
    for (const row of report.results) {
      const fits = [0, 1].map((seed) => fitTable(iris, { k: row.k, label: 'species', scale: 'standard', init: row.init, metric: row.metric, seed }));
      const best = fits[1].report.inertia < fits[0].report.inertia ? 1 : 0;
      assert.equal(row.inertia, fits[best].report.inertia, `${row.init}/${row.metric}/${row.k}`);
      assert.equal(row.silhouette, fits[best].report.metrics.silhouette);
      assert.equal(row.daviesBouldin, fits[best].report.metrics.daviesBouldin);
      assert.equal(row.seedInertias[1], fits[1].report.inertia, 'the second seed runs the same fit');
      assert.equal(row.stability, adjustedRandScore(fits[0].fitLabels, fits[1].fitLabels));
    }
    // The top-level suggestion is one of the Euclidean settings (the first metric).
    assert.equal(report.suggestedSetting.metric, 'euclidean');
    const chosen = report.settings.find((s) => s.init === report.suggestedSetting.init && s.metric === 'euclidean');
    assert.equal(report.suggestedK, chosen?.suggestedK);
    assert.ok(report.why.startsWith(`with ${report.suggestedSetting.init} starts and euclidean distances, `), report.why);
  });

  it('a sampled silhouette is stated, with the same sample as the single fit', () => {
    const report = sweepTable(iris, 3, 3, { silhouetteSampleSize: 60, label: 'species' });
    const single = fitTable(iris, { k: 3, silhouetteSampleSize: 60, label: 'species' }).report;
    assert.equal(report.results[0].silhouetteSampleSize, 60);
    assert.equal(single.metrics.silhouetteSampleSize, 60);
    assert.equal(report.results[0].silhouette, single.metrics.silhouette);
    const exact = sweepTable(iris, 3, 3, { label: 'species' }).results[0];
    assert.equal('silhouetteSampleSize' in exact, false, 'absent when exact');
  });
});

describe('sweep scores against scikit-learn (iris.json)', () => {
  const fx = fixtureJson('iris');
  const pp = fx.kmeans_pp.find((c: { id: string }) => c.id === 'iris_k3_pp');
  // The best k-means++ clustering of iris at k=3 is the one of kmeans_explicit
  // iris_k3_rows_20_70_120 (same inertia as best_inertia); its metrics are internal_metrics[1].
  const metrics = fx.internal_metrics.find((c: { labeling: string }) => c.labeling.includes('iris_k3_rows_20_70_120'));

  it('k=3 over five seeds reaches scikit-learn\'s best inertia, and that fit has its silhouette, DB and CH', () => {
    const five = sweepTable(iris, 3, 3, { label: 'species', nSeeds: 5 }).results[0];
    const best = Math.min(...five.seedInertias);
    // README rule: the best of several seeds within 1.001 x best_inertia; here it reaches the optimum itself.
    assert.ok(best <= 1.001 * pp.best_inertia);
    close(best, pp.best_inertia, 1e-9, 'best inertia of five seeds');
    const bestSeed = five.seed + five.seedInertias.indexOf(best);
    const row = sweepTable(iris, 3, 3, { label: 'species', seed: bestSeed }).results[0];
    close(row.silhouette, metrics.silhouette_euclidean, 1e-9, 'silhouette');
    close(row.daviesBouldin, metrics.davies_bouldin, 1e-9, 'Davies-Bouldin');
    close(row.calinskiHarabasz, metrics.calinski_harabasz, 1e-9, 'Calinski-Harabasz');
  });

  it('k=4 inertia over three seeds within 1.001 x scikit-learn\'s best', () => {
    const k4 = fx.kmeans_pp.find((c: { id: string }) => c.id === 'iris_k4_pp');
    const row = sweepTable(iris, 4, 4, { nSeeds: 3, label: 'species' }).results[0];
    assert.ok(Math.min(...row.seedInertias) <= 1.001 * k4.best_inertia, `${row.seedInertias} vs ${k4.best_inertia}`);
  });
});

describe('a table with a known best k', () => {
  // Five Gaussian blobs (sd 1) in 3-D whose centres are at least 20 apart, 60 rows each.
  const blobs = blobsTable(11, 5, 60, 3, 20);

  it('gets k=5 suggested, with the elbow at 5 and stable runs', () => {
    const report = sweepTable(blobs, 2, 10, { label: 'blob', nSeeds: 3 });
    assert.equal(report.suggestedK, 5, report.why);
    assert.equal(report.elbowK, 5, report.why);
    const five = report.results.find((r) => r.k === 5) as SweepRow;
    assert.equal(five.stability, 1, 'every seed finds the same five blobs');
    assert.equal(five.adjustedRand, 1, 'and they are the true blobs');
    assert.match(report.why, /^silhouette peaks at k=5 \(0\.\d{3}\); the inertia elbow is at k=5; runs are stable, ARI 1\.00$/);
    assert.deepEqual(report.settings, [{ init: 'k-means++', metric: 'euclidean', suggestedK: 5, elbowK: 5, why: report.why }]);
  });

  it('a range up to k=100 runs (and still suggests 5)', () => {
    const small = blobsTable(3, 5, 24, 3, 20);
    let rows = 0;
    const report = sweepTable(small, 2, 100, {}, undefined, () => { rows++; });
    assert.equal(rows, 99);
    assert.equal(report.results.length, 99);
    assert.equal(report.results[98].k, 100);
    assert.equal(report.suggestedK, 5);
  });
});

describe('progress, partial rows and cancellation', () => {
  it('reports progress within [0, 1] that never goes back and ends at 1, and every row through onRow', () => {
    const fractions: number[] = [];
    const seen: [number, number, number][] = [];
    const report = sweepTable(iris, 2, 5, { nSeeds: 2 }, { onProgress: (f) => fractions.push(f) },
      (row, index, total) => seen.push([row.k, index, total]));
    assert.ok(fractions.length >= 1);
    for (let i = 0; i < fractions.length; i++) {
      assert.ok(fractions[i] >= 0 && fractions[i] <= 1, `fraction ${fractions[i]}`);
      if (i > 0) assert.ok(fractions[i] >= fractions[i - 1], `progress went back: ${fractions[i - 1]} -> ${fractions[i]}`);
    }
    assert.equal(fractions[fractions.length - 1], 1);
    assert.deepEqual(seen, [[2, 0, 4], [3, 1, 4], [4, 2, 4], [5, 3, 4]]);
    assert.deepEqual(report.results.map((r) => r.k), [2, 3, 4, 5]);
  });

  it('never goes back even when every inner step reports (clock stepped by 1 s per reading)', () => {
    const realNow = Date.now;
    let clock = 0;
    Date.now = () => (clock += 1000);
    const seen: { f: number; message: string }[] = [];
    try {
      sweepTable(fixtureTable('blobs_8d_k5'), 2, 4, { nSeeds: 2, label: 'blob' }, { onProgress: (f, message) => seen.push({ f, message }) });
    } finally {
      Date.now = realNow;
    }
    assert.ok(seen.length > 6, `only ${seen.length} reports`);
    assert.ok(seen.some((p) => /silhouette/.test(p.message)), 'the silhouette phase is reported');
    assert.ok(seen.some((p) => /seed 1:/.test(p.message)), 'the second seed is reported');
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].f >= seen[i - 1].f, `${seen[i - 1].f} (${seen[i - 1].message}) -> ${seen[i].f} (${seen[i].message})`);
    assert.equal(seen[seen.length - 1].f, 1);
  });

  it('stops with CancelledError when cancelled, after handing over the rows already scored', () => {
    const seen: number[] = [];
    assert.throws(() => sweepTable(iris, 2, 9, {}, { isCancelled: () => seen.length >= 2 }, (row) => seen.push(row.k)),
      (e: unknown) => e instanceof CancelledError);
    assert.deepEqual(seen, [2, 3]);
  });
});

describe('sweep input checks', () => {
  const engineError = (pattern: RegExp) => (e: unknown): boolean => e instanceof EngineError && pattern.test(e.message);
  it('names the value and the rule', () => {
    assert.throws(() => sweepTable(iris, 0, 3, {}), engineError(/the range of k 0\.\.3 should have 1 <= from <= to/));
    assert.throws(() => sweepTable(iris, 5, 3, {}), engineError(/5\.\.3/));
    assert.throws(() => sweepTable(iris, 2, 151, {}), engineError(/^the range of k 2\.\.151 goes above the 150 rows of the file; choose k of at most 150$/));
    assert.throws(() => sweepTable(iris, 2, 3, { init: [[1, 2, 3, 4], [2, 3, 4, 5]] }), engineError(/starting centres fix k/));
    assert.throws(() => sweepTable(iris, 2, 3, { nSeeds: 0 }), engineError(/nSeeds=0 should be a whole number in \[1, 100\]/));
    assert.throws(() => sweepTable(iris, 2, 3, { inits: [] }), engineError(/inits is empty/));
    assert.throws(() => sweepTable(iris, 2, 3, { metrics: ['manhattan' as 'cosine'] }), engineError(/metric=manhattan should be/));
  });
});

describe('suggestK', () => {
  const row = (k: number, inertia: number, silhouette: number | null, stability: number | null = null) => ({ k, inertia, silhouette, stability });
  // Inertia 100/k^2-like with a clear elbow at k=3 (hand-made, see knee.test.ts for Kneedle itself).
  const inertia = [1000, 300, 100, 90, 80, 70, 60, 50];

  it('the silhouette peak, the elbow and the stability of the suggested k in one sentence', () => {
    const rows = inertia.map((v, i) => row(i + 2, v, [0.5, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3][i], [1, 0.98, 0.9, 0.7, 0.6, 0.5, 0.5, 0.5][i]));
    // Elbow: D = 1 - xn - yn with yn = (y - 50)/950, xn = (k - 2)/7: D(3) = 0.857 - 0.263 = 0.594,
    // D(4) = 0.714 - 0.053 = 0.662 (the maximum), D(5) = 0.571 - 0.042 = 0.529 < 0.662 - 1/7.
    assert.deepEqual(suggestK(rows), {
      suggestedK: 3, elbowK: 4,
      why: 'silhouette peaks at k=3 (0.600); the inertia elbow is at k=4; runs are stable, ARI 0.98',
    });
  });

  it('in any order; ties go to the smaller k; unstable runs are flagged', () => {
    const rows = [row(4, 100, 0.7, 0.4), row(2, 1000, 0.5, 1), row(3, 300, 0.7, 0.5), row(5, 90, 0.1, 1)];
    const s = suggestK(rows);
    assert.equal(s.suggestedK, 3);
    // Elbow on k = 2..5: D(3) = 1 - 1/3 - 210/910 = 0.436, D(4) = 0.322, D(5) = 0 < 0.436 - 1/3.
    assert.equal(s.elbowK, 3);
    assert.equal(s.why, 'silhouette peaks at k=3 (0.700); the inertia elbow is at k=3; runs disagree between seeds, ARI 0.50, so treat this k with care');
  });

  it('falls back to the elbow when no silhouette is defined, and to null when there is neither', () => {
    const rows = inertia.map((v, i) => row(i + 2, v, null));
    assert.deepEqual(suggestK(rows), { suggestedK: 4, elbowK: 4, why: 'the silhouette is undefined for every k; the inertia elbow is at k=4' });
    const flat = [row(1, 5, null), row(2, 5, null), row(3, 5, null)];
    assert.deepEqual(suggestK(flat), {
      suggestedK: null, elbowK: null,
      why: 'no k can be suggested: the silhouette is undefined for every k and the inertia curve has no clear elbow',
    });
    assert.equal(suggestK([]).suggestedK, null);
  });

  it('a rising inertia curve has no elbow', () => {
    const rows = [1, 2, 4, 8, 16, 32].map((v, i) => row(i + 2, v, 0.1 * i));
    assert.equal(suggestK(rows).elbowK, null);
  });

  it('rejects rows of several settings', () => {
    assert.throws(() => suggestK([row(2, 3, 0.1), row(2, 2, 0.2)]), /k=2 appears twice/);
  });
});
