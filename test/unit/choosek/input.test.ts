/**
 * What the Choose k prompts and the panel may send: the range typed in the input box, the
 * webview's sweep messages through the same guard as every webview message, and the sweep
 * jobs of the worker pool (rows forwarded as they come, one settlement).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { DEFAULT_K_RANGE, fitsOf, readKRange } from '../../../src/extension/sweepInput';
import { JobFailure, JobRunner, type WorkerLike } from '../../../src/extension/jobRunner';
import { DEFAULT_SETTINGS, isHostToWebview, parseWebviewMessage } from '../../../src/protocol/messages';
import type { JobSweep, SweepOutput, SweepRequest, SweepRow } from '../../../src/protocol/sweep';

describe('the range of k typed in the input box', () => {
  it('accepts the default, other separators and ranges up to 1000', () => {
    assert.deepEqual(readKRange(DEFAULT_K_RANGE), { kMin: 2, kMax: 10 });
    assert.deepEqual(readKRange(' 3 - 7 '), { kMin: 3, kMax: 7 });
    assert.deepEqual(readKRange('1:100'), { kMin: 1, kMax: 100 });
    assert.deepEqual(readKRange('2..1000'), { kMin: 2, kMax: 1000 });
  });
  it('says what is wrong in one sentence', () => {
    assert.deepEqual(readKRange('ten'), { error: 'Type a range of k such as 2..10 (from..to).' });
    assert.deepEqual(readKRange('5'), { error: 'Type a range of k such as 2..10 (from..to).' });
    assert.deepEqual(readKRange('0..4'), { error: 'k starts at 1: 0..4 starts at 0.' });
    assert.deepEqual(readKRange('8..3'), { error: 'The range should go up, with at least two values of k: 8..3 does not.' });
    assert.deepEqual(readKRange('4..4'), { error: 'The range should go up, with at least two values of k: 4..4 does not.' });
    assert.deepEqual(readKRange('2..1001'), { error: 'k goes up to 1000: 2..1001 goes above it.' });
  });
  it('counts the fits of a grid', () => {
    // 9 values of k x 2 inits x 1 metric x 3 seeds.
    assert.equal(fitsOf(2, 10, 2, 1, 3), 54);
  });
});

describe('the webview\'s Choose k messages', () => {
  it('pass the guard with only their fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'webview/chooseK', extra: 1 }), { type: 'webview/chooseK' });
    assert.deepEqual(parseWebviewMessage({ type: 'webview/sweepCancel' }), { type: 'webview/sweepCancel' });
    assert.deepEqual(parseWebviewMessage({ type: 'webview/fitK', k: 4, init: 'random', metric: 'cosine', html: '<b>' }),
      { type: 'webview/fitK', k: 4, init: 'random', metric: 'cosine' });
  });
  it('are refused when a field is out of range or unknown', () => {
    assert.throws(() => parseWebviewMessage({ type: 'webview/fitK', k: 0, init: 'random', metric: 'cosine' }), /k=0 should be a whole number from 1 to 1000/);
    assert.throws(() => parseWebviewMessage({ type: 'webview/fitK', k: 2.5, init: 'random', metric: 'cosine' }), /k=2.5/);
    assert.throws(() => parseWebviewMessage({ type: 'webview/fitK', k: 3, init: 'given', metric: 'cosine' }), /init should be one of k-means\+\+, random/);
    assert.throws(() => parseWebviewMessage({ type: 'webview/fitK', k: 3, init: 'random' }), /metric should be one of euclidean, cosine/);
  });
  it('the panel accepts the host\'s sweep messages and nothing else', () => {
    for (const type of ['panel/sweepStart', 'panel/sweepProgress', 'panel/sweepRow', 'panel/sweepResult', 'panel/sweepFailed']) {
      assert.equal(isHostToWebview({ type }), true, type);
    }
    assert.equal(isHostToWebview({ type: 'panel/sweepOther' }), false);
  });
});

class FakeWorker extends EventEmitter implements WorkerLike {
  readonly received: unknown[] = [];
  constructor(private readonly behave: (w: FakeWorker, message: unknown) => void) {
    super();
  }
  postMessage(message: unknown): void {
    this.received.push(message);
    queueMicrotask(() => this.behave(this, message));
  }
  terminate(): Promise<number> {
    queueMicrotask(() => this.emit('exit', 1));
    return Promise.resolve(1);
  }
  reply(message: unknown): void {
    this.emit('message', message);
  }
}

const request: SweepRequest = { kMin: 2, kMax: 3, inits: ['k-means++'], metrics: ['euclidean'], nSeeds: 1 };
const isSweep = (m: unknown): m is JobSweep => (m as { type?: string }).type === 'job/sweep';

describe('JobRunner.startSweep', () => {
  it('posts the request, forwards rows and progress as they come and resolves with the output', async () => {
    const row = (k: number): SweepRow => ({ k, inertia: 10 / k } as unknown as SweepRow);
    const output = { marker: 'sweep' } as unknown as SweepOutput;
    const workers: FakeWorker[] = [];
    const runner = new JobRunner(() => {
      const w = new FakeWorker((self, m) => {
        if (!isSweep(m)) return;
        self.reply({ type: 'job/progress', id: m.id, fraction: 0.5, message: 'k=2: scored' });
        self.reply({ type: 'job/sweepRow', id: m.id, row: row(2), index: 0, total: 2 });
        self.reply({ type: 'job/sweepRow', id: m.id, row: row(3), index: 1, total: 2 });
        self.reply({ type: 'job/sweepResult', id: m.id, ok: true, value: output });
      });
      workers.push(w);
      return w;
    });
    const rows: [number, number, number][] = [];
    const progress: string[] = [];
    const handle = runner.startSweep('/data/a.csv', DEFAULT_SETTINGS, request, { maxBytes: 100 }, (_f, m) => progress.push(m), (r, i, n) => rows.push([r.k, i, n]));
    assert.equal(await handle.result, output);
    assert.deepEqual(rows, [[2, 0, 2], [3, 1, 2]]);
    assert.deepEqual(progress, ['k=2: scored']);
    const sent = workers[0].received[0] as JobSweep;
    assert.equal(sent.type, 'job/sweep');
    assert.deepEqual(sent.sweep, request);
    assert.equal(sent.maxBytes, 100);
    runner.dispose();
  });

  it('a cancel the worker does not answer settles as a cancelled sweep', async () => {
    const runner = new JobRunner(() => new FakeWorker(() => undefined), { cancelGraceMs: 20 });
    const handle = runner.startSweep('/data/slow.csv', DEFAULT_SETTINGS, request, { maxBytes: 100 });
    handle.cancel();
    await assert.rejects(handle.result, (e: Error) => e instanceof JobFailure && e.kind === 'cancelled' && e.message === 'Choosing k for slow.csv was cancelled');
    runner.dispose();
  });
});
