/**
 * The worker's "Choose k" job, run in-process: every row it streams is the single fit
 * src/pipeline/fit.ts gives for that k (so the panel shows fit numbers), the whole report is
 * what `centroid sweep` prints as JSON for the same file and flags, progress never goes
 * back, a cancel stops it, and failures read as one sentence.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';
import { parseCsv } from '../../../src/csv/read';
import { adjustedRandScore } from '../../../src/engine/metrics/external';
import { fitTable } from '../../../src/pipeline/fit';
import { DEFAULT_SETTINGS, parseHostToWorker, type RunSettings, type WorkerToHost } from '../../../src/protocol/messages';
import { fitOptions } from '../../../src/worker/job';
import type { JobSweep, SweepRequest, SweepRow } from '../../../src/protocol/sweep';
import { describeSweepFailure, runSweepJob } from '../../../src/worker/sweepJob';
import { blobsCsv, FIXTURES } from '../sweep/helpers';

let dir: string;
let blobs: string;
let blobsText: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'centroid-choosek-'));
  blobs = join(dir, 'blobs.csv');
  blobsText = blobsCsv(11, 4, 40, 2, 20);
  writeFileSync(blobs, blobsText);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const BLOB_LABEL: RunSettings['label'] = { mode: 'column', name: 'blob' };

function job(file: string, sweep: Partial<SweepRequest> = {}, settings: Partial<RunSettings> = {}): JobSweep {
  return {
    type: 'job/sweep', id: 7, file,
    settings: { ...DEFAULT_SETTINGS, ...settings },
    sweep: { kMin: 2, kMax: 6, inits: ['k-means++'], metrics: ['euclidean'], nSeeds: 1, ...sweep },
    maxBytes: 1e9, cancelFlag: new SharedArrayBuffer(4),
  };
}

function collect(): { post: (m: WorkerToHost) => void; messages: WorkerToHost[] } {
  const messages: WorkerToHost[] = [];
  return { post: (m) => messages.push(m), messages };
}

function cli(args: string[]): unknown {
  let out = '';
  let err = '';
  const code = main([...args, '--json'], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  assert.equal(code, 0, `centroid ${args.join(' ')} failed: ${err}`);
  return JSON.parse(out);
}

describe('the worker\'s Choose k job', () => {
  it('streams one row per k, each the single fit of that k, and suggests the 4 blobs', () => {
    const { post, messages } = collect();
    const out = runSweepJob(job(blobs, { nSeeds: 3 }, { label: BLOB_LABEL, seed: 4 }), post);
    const streamed = messages.filter((m): m is Extract<WorkerToHost, { type: 'job/sweepRow' }> => m.type === 'job/sweepRow');
    assert.deepEqual(streamed.map((m) => [m.index, m.total, m.row.k]), [[0, 5, 2], [1, 5, 3], [2, 5, 4], [3, 5, 5], [4, 5, 6]]);
    assert.deepEqual(streamed.map((m) => m.row), out.report.results, 'the partial rows are the final rows');
    assert.deepEqual(out.labelColumn, { name: 'blob', guessed: false });
    assert.equal(out.nRows, 160);
    const table = parseCsv(blobsText, { header: 'auto' });
    for (const row of out.report.results) {
      // The row is the best of the job's seeds, fitted as the first click fits.
      const single = fitTable(table, { ...fitOptions({ ...DEFAULT_SETTINGS, k: row.k }, 'blob'), seed: row.seed }).report;
      assert.equal(row.inertia, single.inertia, `inertia at k=${row.k}`);
      assert.equal(row.silhouette, single.metrics.silhouette, `silhouette at k=${row.k}`);
      assert.equal(row.daviesBouldin, single.metrics.daviesBouldin, `Davies-Bouldin at k=${row.k}`);
      assert.equal(row.calinskiHarabasz, single.metrics.calinskiHarabasz, `Calinski-Harabasz at k=${row.k}`);
      assert.equal(row.nIter, single.nIter, `iterations at k=${row.k}`);
      assert.equal(row.adjustedRand, single.metrics.adjustedRand, `adjusted Rand against the blobs at k=${row.k}`);
      assert.equal(row.seedInertias.length, 3);
      assert.equal(Math.min(...row.seedInertias), row.inertia);
    }
    // Stability at k=4 by hand: the mean ARI of the three seeds' labelings, each a single fit.
    const labelings = [4, 5, 6].map((seed) => fitTable(table, { k: 4, label: 'blob', seed }).report.labels.map((l) => l ?? -1));
    const pairs = [[0, 1], [0, 2], [1, 2]].map(([a, b]) => adjustedRandScore(Int32Array.from(labelings[a]), Int32Array.from(labelings[b])));
    const k4 = out.report.results.find((r) => r.k === 4) as SweepRow;
    assert.ok(Math.abs((k4.stability as number) - (pairs[0] + pairs[1] + pairs[2]) / 3) < 1e-12, `stability ${k4.stability}`);
    assert.equal(out.report.suggestedK, 4);
    assert.match(out.report.why, /^silhouette peaks at k=4 /);
  });

  it('gives the numbers `centroid sweep` prints for the same file and flags (crossed grid)', () => {
    const sweep: SweepRequest = { kMin: 2, kMax: 5, inits: ['k-means++', 'random'], metrics: ['euclidean', 'cosine'], nSeeds: 2 };
    const panel = runSweepJob(job(blobs, sweep, { label: BLOB_LABEL, seed: 9, scale: 'standard' }), collect().post);
    const printed = cli(['sweep', blobs, '--k', '2..5', '--label', 'blob', '--init', 'k-means++,random', '--metric', 'euclidean,cosine',
      '--n-seeds', '2', '--seed', '9', '--scale', 'standard']);
    assert.deepEqual(JSON.parse(JSON.stringify(panel.report)), printed);
  });

  it('guesses the class column as a fit does and matches the CLI given that column (iris)', () => {
    const iris = join(FIXTURES, 'iris.csv');
    const panel = runSweepJob(job(iris, { kMin: 2, kMax: 5 }), collect().post);
    assert.deepEqual(panel.labelColumn, { name: 'species', guessed: true });
    assert.deepEqual(JSON.parse(JSON.stringify(panel.report)), cli(['sweep', iris, '--k', '2..5', '--label', 'species']));
  });

  it('reports progress per setting that never goes back, ending at 1', () => {
    const { post, messages } = collect();
    let t = 0;
    runSweepJob(job(blobs, { kMin: 2, kMax: 5, nSeeds: 2 }, { label: BLOB_LABEL }), post, () => (t += 50));
    const fractions = messages.filter((m) => m.type === 'job/progress').map((m) => (m as { fraction: number }).fraction);
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1], `progress went back: ${fractions.join(', ')}`);
    assert.equal(fractions[fractions.length - 1], 1);
    const scored = messages.filter((m) => m.type === 'job/progress' && /settings scored/.test(m.message));
    assert.equal(scored.length, 4, 'one progress message per scored setting');
  });

  it('stops when the shared flag is set, after the rows already scored', () => {
    const start = job(blobs, { kMin: 2, kMax: 12 }, { label: BLOB_LABEL });
    const flag = new Int32Array(start.cancelFlag);
    const rows: number[] = [];
    assert.throws(() => runSweepJob(start, (m) => {
      if (m.type === 'job/sweepRow') {
        rows.push(m.row.k);
        if (m.row.k === 3) Atomics.store(flag, 0, 1);
      }
    }), (e: Error) => e.name === 'CancelledError');
    assert.deepEqual(rows, [2, 3]);
    const failure = describeSweepFailure(7, blobs, new (class CancelledError extends Error { override name = 'CancelledError'; })());
    assert.equal(failure.error, 'Choosing k for blobs.csv was cancelled');
    assert.equal(failure.kind, 'cancelled');
  });

  it('a range above the usable rows fails as one sentence naming the file', () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'a,b\n1,2\n3,4\n5,7\n');
    try {
      runSweepJob(job(small, { kMin: 2, kMax: 10 }), collect().post);
      assert.fail('a range above 3 rows should fail');
    } catch (e) {
      const failure = describeSweepFailure(7, small, e);
      assert.equal(failure.kind, 'input');
      assert.equal(failure.error, 'small.csv: the range of k 2..10 goes above the 3 rows of the file; choose k of at most 3');
    }
  });

  it('the host-to-worker guard accepts a sweep request and refuses a bad one with the field named', () => {
    const good = job(blobs);
    assert.deepEqual(parseHostToWorker(good), good);
    assert.throws(() => parseHostToWorker({ ...good, sweep: { ...good.sweep, kMax: 1 } }), /kMax=1 should be a whole number from 2 to 1000/);
    assert.throws(() => parseHostToWorker({ ...good, sweep: { ...good.sweep, inits: [] } }), /inits should be a non-empty list/);
    assert.throws(() => parseHostToWorker({ ...good, sweep: { ...good.sweep, metrics: ['manhattan'] } }), /metrics should be one of euclidean, cosine/);
    assert.throws(() => parseHostToWorker({ ...good, sweep: { ...good.sweep, nSeeds: 0 } }), /nSeeds=0 should be a whole number from 1 to 100/);
  });
});
