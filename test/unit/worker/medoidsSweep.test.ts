/**
 * The k-medoids sweep behind Choose k on files of distances: every row equals a single
 * k-medoids fit (the fixtures' brute-force optima), the silhouette is on the given distances,
 * the suggestion follows the silhouette, and questions and limits are errors by name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { DistanceChoiceError } from '../../../src/csv/distances';
import { medoidsSweepTable } from '../../../src/pipeline/medoidsSweep';
import { DEFAULT_DISTANCE_SETTINGS, DEFAULT_SETTINGS, type RunSettings } from '../../../src/protocol/messages';
import type { JobSweep, SweepRow } from '../../../src/protocol/sweep';
import { describeSweepFailure, runSweepJob } from '../../../src/worker/sweepJob';

const FIX = join(__dirname, '../../fixtures');
const table = (name: string): ReturnType<typeof parseCsv> => parseCsv(readFileSync(join(FIX, name), 'utf8'), { header: 'auto' });
interface Optimum { k: number; optimal_cost: number; optimal_medoid_sets: number[][]; labels_for_first_optimal_set: number[] }
const matrixRef = JSON.parse(readFileSync(join(FIX, 'distances_12.json'), 'utf8')) as { ids: string[]; kmedoids: { brute_force_pam_optimum: Optimum }[] };

describe('k-medoids sweep over k (Choose k on files of distances)', () => {
  it('each k is the exact optimum of distances_12.csv, named by id, streamed in order', () => {
    const streamed: number[] = [];
    const report = medoidsSweepTable(table('distances_12.csv'), 2, 4, {}, undefined, (row, index, total) => {
      streamed.push(row.k);
      assert.equal(total, 3);
      assert.equal(index, row.k - 2);
    });
    assert.deepEqual(streamed, [2, 3, 4]);
    for (const { brute_force_pam_optimum: ref } of matrixRef.kmedoids) {
      const row = report.results.find((r) => r.k === ref.k);
      assert.ok(row);
      assert.ok(Math.abs(row.inertia - ref.optimal_cost) < 1e-9, `k=${ref.k}: ${row.inertia} vs ${ref.optimal_cost}`);
      assert.deepEqual(row.medoids, ref.optimal_medoid_sets[0].map((i) => matrixRef.ids[i]));
      assert.match(row.method, /^exact/);
    }
    // The suggestion is the k of the highest silhouette.
    const best = report.results.reduce((a, b) => ((b.silhouette ?? -2) > (a.silhouette ?? -2) ? b : a));
    assert.equal(report.suggestedK, best.k);
    assert.match(report.why, new RegExp(`^silhouette peaks at k=${best.k}`));
    assert.doesNotMatch(report.why, /inertia/);
    assert.deepEqual(report.ids, matrixRef.ids);
  });

  it('asks the same questions as a single run, and refuses k above the number of items', () => {
    assert.throws(() => medoidsSweepTable(table('edges_10.csv'), 2, 3, { askWhenUnsure: true }), DistanceChoiceError);
    assert.equal(medoidsSweepTable(table('edges_10.csv'), 2, 3, { similarity: 'distance' }).results.length, 2);
    assert.throws(() => medoidsSweepTable(table('edges_10.csv'), 2, 11, { similarity: 'distance' }),
      { name: 'EngineError', message: 'the range of k 2..11 goes above the 10 items in the file; choose k of at most 10' });
  });

  it('progress only moves forward and ends at 1', () => {
    const fractions: number[] = [];
    medoidsSweepTable(table('distances_12.csv'), 1, 5, { method: 'fasterpam' }, { onProgress: (f) => fractions.push(f) });
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1], `${fractions[i - 1]} then ${fractions[i]}`);
    assert.equal(fractions[fractions.length - 1], 1);
  });
});

describe('Choose k job on files of distances', () => {
  const job = (file: string, distances?: RunSettings['distances']): JobSweep => ({
    type: 'job/sweep', id: 3, file: join(FIX, file),
    settings: { ...DEFAULT_SETTINGS, ...(distances ? { distances } : {}) },
    sweep: { kMin: 2, kMax: 4, inits: ['k-means++'], metrics: ['euclidean'], nSeeds: 1 },
    maxBytes: 1e9, cancelFlag: new SharedArrayBuffer(4),
  });

  it('sweeps k-medoids on a matrix, streaming each k as the single run gives it', () => {
    const rows: SweepRow[] = [];
    const out = runSweepJob(job('distances_12.csv'), (m) => {
      if (m.type === 'job/sweepRow') rows.push(m.row);
    });
    assert.deepEqual(rows.map((r) => r.k), [2, 3, 4]);
    for (const { brute_force_pam_optimum: ref } of matrixRef.kmedoids) {
      assert.ok(Math.abs((out.report.results.find((r) => r.k === ref.k)?.inertia ?? NaN) - ref.optimal_cost) < 1e-9);
    }
    assert.equal(out.labelColumn, null);
    assert.equal(out.nRows, 12);
  });

  it('an edge list raises the distances-or-similarities question until it is answered', () => {
    const failure = (() => {
      try {
        runSweepJob(job('edges_10.csv'), () => undefined);
      } catch (e) {
        return describeSweepFailure(3, 'edges_10.csv', e);
      }
      return null;
    })();
    assert.equal(failure?.choice?.kind, 'similarity');
    const out = runSweepJob(job('edges_10.csv', { ...DEFAULT_DISTANCE_SETTINGS, similarity: 'distance' }), () => undefined);
    assert.deepEqual(out.report.results.map((r) => r.k), [2, 3, 4]);
  });
});
