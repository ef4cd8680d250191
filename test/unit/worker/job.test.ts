/**
 * One worker job, run in-process on the reference fixtures: file reading with limits,
 * the class column guess, packing into typed arrays, progress, cancel, and one-sentence
 * failures. k-means++ inertia is checked against scikit-learn's (test/fixtures/README.md).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure, readFileChunked, runJob } from '../../../src/worker/job';
import { DEFAULT_SETTINGS, transferablesOf, type JobStart, type RunSettings, type WorkerToHost } from '../../../src/protocol/messages';

const FIX = join(__dirname, '../../fixtures');
const iris = JSON.parse(readFileSync(join(FIX, 'iris.json'), 'utf8')) as {
  kmeans_pp: { id: string; n_clusters: number; best_inertia: number; 'all_seeds_within_0.1pct_of_best_known': boolean }[];
  n_rows: number;
};

function start(file: string, settings: Partial<RunSettings> = {}, extra: Partial<JobStart> = {}): JobStart {
  return {
    type: 'job/start', id: 1, file, settings: { ...DEFAULT_SETTINGS, ...settings },
    maxBytes: 1e9, maxPoints: 5000, cancelFlag: new SharedArrayBuffer(4), ...extra,
  };
}

function collect(): { post: (m: WorkerToHost) => void; messages: WorkerToHost[] } {
  const messages: WorkerToHost[] = [];
  return { post: (m) => messages.push(m), messages };
}

describe('runJob on iris.csv', () => {
  it('fits with the defaults, guesses species as labels and packs every row', () => {
    const { post, messages } = collect();
    const out = runJob(start(join(FIX, 'iris.csv')), post);
    const ref = iris.kmeans_pp.find((c) => c.id === 'iris_k3_pp');
    assert.ok(ref && ref['all_seeds_within_0.1pct_of_best_known'], 'the fixture has the k=3 k-means++ case');
    assert.ok(out.report.inertia <= 1.001 * ref.best_inertia, `inertia ${out.report.inertia} vs scikit-learn ${ref.best_inertia}`);
    assert.deepEqual(out.labelColumn, { name: 'species', guessed: true });
    assert.equal(out.report.options.label, 'species');
    assert.ok(out.report.metrics.adjustedRand !== undefined, 'external metrics with the guessed labels');
    assert.equal(out.labels.length, iris.n_rows);
    assert.ok(out.labels.every((l) => l >= 0 && l < 3));
    assert.ok(out.distances.every((d) => Number.isFinite(d) && d >= 0));
    // The header is line 0 and every data row is one line.
    assert.deepEqual([...out.file.rowLine.slice(0, 3)], [1, 2, 3]);
    assert.equal(out.file.nColumns, 5);
    assert.deepEqual(out.file.columns.map((c) => c.numeric), [true, true, true, true, false]);
    assert.deepEqual([...out.model.featureColumns], [0, 1, 2, 3]);
    assert.equal(out.model.centers.length, 3 * 4);
    // Counts agree with the labels.
    const counts = [0, 0, 0];
    for (const l of out.labels) counts[l]++;
    assert.deepEqual(out.report.counts, counts);
    // The plot holds every row (150 < maxPoints) with its cluster.
    assert.equal(out.view.plot.rows.length, 150);
    for (let p = 0; p < 150; p++) assert.equal(out.view.plot.labels[p], out.labels[out.view.plot.rows[p]]);
    assert.equal(out.view.plot.total, 150);
    assert.ok(out.view.metrics.some((m) => m.key === 'adjustedRand'));
    assert.equal(out.view.labels?.column, 'species');
    assert.equal(transferablesOf(out).length, 13);
    // Progress: starts at 0, never goes back, one message per stage at least.
    const fractions = messages.filter((m) => m.type === 'job/progress').map((m) => (m.type === 'job/progress' ? m.fraction ?? 0 : 0));
    assert.equal(fractions[0], 0);
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1], 'progress only moves forward');
    assert.ok(messages.length >= 4);
  });

  it('uses no label column when told so, and the chosen one when named', () => {
    const none = runJob(start(join(FIX, 'iris.csv'), { label: { mode: 'none' } }), () => undefined);
    assert.equal(none.labelColumn, null);
    assert.equal(none.report.metrics.adjustedRand, undefined);
    assert.throws(() => runJob(start(join(FIX, 'iris.csv'), { label: { mode: 'column', name: 'kind' } }), () => undefined),
      { name: 'InputError', message: 'iris.csv has no column "kind" to use as labels; its columns are "sepal_length", "sepal_width", "petal_length", "petal_width", "species"' });
  });

  it('names header columns holding quotes and line breaks as JSON strings, on one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-job-label-'));
    try {
      const file = join(dir, 'quoted.csv');
      // Header cells: a"b (a quote inside) and "x<newline>y" (a line break inside a quoted field).
      writeFileSync(file, '"a""b","x\ny"\n1,2\n3,4\n5,6\n');
      const settings = { label: { mode: 'column', name: 'say "hi"' } } as const;
      assert.throws(() => runJob(start(file, settings), () => undefined), (e: Error) => {
        assert.equal(e.message, 'quoted.csv has no column "say \\"hi\\"" to use as labels; its columns are "a\\"b", "x\\ny"');
        assert.ok(!e.message.includes('\n'), 'one line');
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('projects two chosen columns in original units', () => {
    const out = runJob(start(join(FIX, 'iris.csv'), { view: { method: 'columns', x: 'petal_length', y: 'petal_width' } }), () => undefined);
    assert.deepEqual(out.view.plot.axisNames, ['petal_length', 'petal_width']);
    // Data row 0 is "5.1,3.5,1.4,0.2,setosa".
    const p = out.view.plot.rows.indexOf(0);
    assert.equal(out.view.plot.points[2 * p], Math.fround(1.4));
    assert.equal(out.view.plot.points[2 * p + 1], Math.fround(0.2));
  });

  it('stops with a cancel when the shared flag is set', () => {
    const job = start(join(FIX, 'iris.csv'));
    Atomics.store(new Int32Array(job.cancelFlag), 0, 1);
    let thrown: unknown;
    try {
      runJob(job, () => undefined);
    } catch (e) {
      thrown = e;
    }
    const failure = describeFailure(1, job.file, thrown);
    assert.equal(failure.kind, 'cancelled');
    assert.equal(failure.error, 'Clustering iris.csv was cancelled');
  });
});

describe('failures in one sentence', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-job-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file over the size limit before reading it, naming the size and the setting', () => {
    const file = join(dir, 'big.csv');
    writeFileSync(file, 'a,b\n'.repeat(1024 * 1024 / 4 * 3)); // 3 MB
    assert.throws(() => readFileChunked(file, 2 * 1048576, () => undefined),
      { name: 'InputError', message: 'big.csv is 3 MB, over the limit of 2 MB set by the setting centroid.maxFileSizeMB' });
  });

  it('names a missing file', () => {
    const e = (() => {
      try {
        runJob(start(join(dir, 'nope.csv')), () => undefined);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    const failure = describeFailure(3, join(dir, 'nope.csv'), e);
    assert.deepEqual({ kind: failure.kind, error: failure.error }, { kind: 'input', error: 'cannot read nope.csv: the file does not exist' });
  });

  it('gives one line for a file without numeric columns, and keeps the stack out of the sentence', () => {
    const file = join(dir, 'words.csv');
    writeFileSync(file, 'name,colour\nann,red\nbob,blue\ncid,green\n');
    let thrown: unknown;
    try {
      runJob(start(file), () => undefined);
    } catch (e) {
      thrown = e;
    }
    const failure = describeFailure(4, file, thrown);
    assert.equal(failure.kind, 'input');
    assert.match(failure.error, /^words\.csv: /);
    assert.ok(!failure.error.includes('\n') && !/\bat \S+ \(/.test(failure.error), failure.error);
  });

  it('reads in chunks with progress, and tells invalid UTF-8 from a real U+FFFD', () => {
    const file = join(dir, 'bytes.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('a,b\n1,2\nx'), Buffer.from([0xff]), Buffer.from(',3\n')]));
    const calls: [number, number][] = [];
    const r = readFileChunked(file, 1e6, (done, total) => calls.push([done, total]));
    assert.equal(r.invalidUtf8, true);
    // 'a,b\n1,2\nx' (9 bytes) + 0xff + ',3\n' (3 bytes) = 13 bytes, read in one chunk.
    assert.equal(r.bytes, 13);
    assert.deepEqual(calls, [[13, 13]]);
    const ok = join(dir, 'fffd.csv');
    writeFileSync(ok, 'a,b\n\uFFFD,1\n');
    assert.equal(readFileChunked(ok, 1e6, () => undefined).invalidUtf8, false);
  });

  it('describes an unexpected error as such', () => {
    const f = describeFailure(5, '/x/y.csv', new TypeError('boom'));
    assert.equal(f.kind, 'internal');
    assert.equal(f.error, 'Clustering y.csv failed unexpectedly: boom');
    assert.ok(f.detail?.includes('TypeError'));
  });
});
