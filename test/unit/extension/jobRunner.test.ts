/**
 * The worker pool, driven by a fake worker: one settlement per job whatever happens
 * (result, error, crash, silence, cancel), crashed workers replaced, idle workers re-used.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { JobFailure, JobRunner, type WorkerLike } from '../../../src/extension/jobRunner';
import { DEFAULT_SETTINGS, type JobOutput, type JobStart } from '../../../src/protocol/messages';

class FakeWorker extends EventEmitter implements WorkerLike {
  readonly received: unknown[] = [];
  terminated = false;
  constructor(private readonly behave: (w: FakeWorker, message: unknown) => void) {
    super();
  }
  postMessage(message: unknown): void {
    this.received.push(message);
    queueMicrotask(() => this.behave(this, message));
  }
  terminate(): Promise<number> {
    this.terminated = true;
    queueMicrotask(() => this.emit('exit', 1));
    return Promise.resolve(1);
  }
  reply(message: unknown): void {
    this.emit('message', message);
  }
}

const limits = { maxBytes: 1e9, maxPoints: 100 };
const fakeOutput = { marker: 'output' } as unknown as JobOutput;
const isStart = (m: unknown): m is JobStart => (m as { type?: string }).type === 'job/start';

function pool(behave: (w: FakeWorker, message: unknown) => void, options = {}): { runner: JobRunner; workers: FakeWorker[]; log: string[] } {
  const workers: FakeWorker[] = [];
  const log: string[] = [];
  const runner = new JobRunner(() => {
    const w = new FakeWorker(behave);
    workers.push(w);
    return w;
  }, { log: (l) => log.push(l), ...options });
  return { runner, workers, log };
}

describe('JobRunner', () => {
  it('forwards progress and resolves with the result; re-uses the idle worker for the next job', async () => {
    const { runner, workers } = pool((w, m) => {
      if (!isStart(m)) return;
      w.reply({ type: 'job/progress', id: m.id, fraction: 0.5, message: 'half way' });
      w.reply({ type: 'job/result', id: m.id, ok: true, value: fakeOutput });
    });
    const progress: [number | null, string][] = [];
    const a = runner.start('/data/a.csv', DEFAULT_SETTINGS, limits, (f, msg) => progress.push([f, msg]));
    assert.equal(await a.result, fakeOutput);
    assert.deepEqual(progress, [[0.5, 'half way']]);
    const b = runner.start('/data/b.csv', DEFAULT_SETTINGS, limits);
    assert.equal(await b.result, fakeOutput);
    assert.equal(workers.length, 1, 'the finished worker was re-used');
    const start = workers[0].received[0] as JobStart;
    assert.equal(start.file, '/data/a.csv');
    assert.ok(start.cancelFlag instanceof SharedArrayBuffer);
    runner.dispose();
    assert.equal(workers[0].terminated, true, 'dispose terminates the workers');
  });

  it('rejects with the worker\'s one-sentence error and keeps details for the log', async () => {
    const { runner, log } = pool((w, m) => {
      if (isStart(m)) w.reply({ type: 'job/error', id: m.id, ok: false, kind: 'input', error: 'a.csv: no numeric column', detail: 'stack…' });
    });
    const job = runner.start('/data/a.csv', DEFAULT_SETTINGS, limits);
    await assert.rejects(job.result, (e: unknown) => e instanceof JobFailure && e.kind === 'input' && e.message === 'a.csv: no numeric column');
    assert.ok(log.some((l) => l.includes('stack…')));
    runner.dispose();
  });

  it('survives a crash: the job fails with one clear sentence and the next job gets a new worker', async () => {
    let crash = true;
    const { runner, workers } = pool((w, m) => {
      if (!isStart(m)) return;
      if (crash) {
        crash = false;
        const error = Object.assign(new Error('heap'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
        w.emit('error', error);
        w.emit('exit', 1);
      } else {
        w.reply({ type: 'job/result', id: m.id, ok: true, value: fakeOutput });
      }
    });
    const first = runner.start('/data/big.csv', DEFAULT_SETTINGS, limits);
    await assert.rejects(first.result, (e: unknown) => e instanceof JobFailure && e.kind === 'internal'
      && e.message === 'The clustering worker ran out of memory while working on big.csv; choose fewer feature columns or cluster a smaller file');
    const second = runner.start('/data/big.csv', DEFAULT_SETTINGS, limits);
    assert.equal(await second.result, fakeOutput);
    assert.equal(workers.length, 2);
    runner.dispose();
  });

  it('fails a job whose worker stops answering, and terminates that worker', async () => {
    const { runner, workers } = pool(() => undefined, { idleTimeoutMs: 30 });
    const job = runner.start('/data/a.csv', DEFAULT_SETTINGS, limits);
    await assert.rejects(job.result, /Clustering a\.csv got no answer within 30 ms; the clustering worker was stopped, try again/);
    assert.equal(workers[0].terminated, true);
    assert.equal(runner.workerCount, 0);
    runner.dispose();
  });

  it('cancel sets the shared flag and sends job/cancel; the worker\'s cancelled reply settles the job', async () => {
    let flag: Int32Array | undefined;
    const { runner, workers } = pool((w, m) => {
      if (isStart(m)) flag = new Int32Array(m.cancelFlag);
      else w.reply({ type: 'job/error', id: (m as { id: number }).id, ok: false, kind: 'cancelled', error: 'Clustering a.csv was cancelled' });
    });
    const job = runner.start('/data/a.csv', DEFAULT_SETTINGS, limits);
    await new Promise((resolve) => setTimeout(resolve, 5));
    job.cancel();
    assert.equal(flag?.[0], 1, 'the shared flag is set at once');
    await assert.rejects(job.result, (e: unknown) => e instanceof JobFailure && e.kind === 'cancelled');
    assert.deepEqual(workers[0].received[1], { type: 'job/cancel', id: (workers[0].received[0] as JobStart).id });
    assert.equal(workers[0].terminated, false, 'a worker that stopped in time is kept');
    runner.dispose();
  });

  it('terminates a worker that ignores a cancel past the grace time', async () => {
    const { runner, workers } = pool(() => undefined, { cancelGraceMs: 20 });
    const job = runner.start('/data/a.csv', DEFAULT_SETTINGS, limits);
    job.cancel();
    await assert.rejects(job.result, (e: unknown) => e instanceof JobFailure && e.kind === 'cancelled' && e.message === 'Clustering a.csv was cancelled');
    assert.equal(workers[0].terminated, true);
    runner.dispose();
  });

  it('ignores malformed messages and messages for other jobs', async () => {
    const { runner, log } = pool((w, m) => {
      if (!isStart(m)) return;
      w.reply('garbage');
      w.reply({ type: 'job/result', id: m.id + 100, ok: true, value: {} });
      w.reply({ type: 'job/result', id: m.id, ok: true, value: fakeOutput });
    });
    const job = runner.start('/data/a.csv', DEFAULT_SETTINGS, limits);
    assert.equal(await job.result, fakeOutput);
    assert.equal(log.length, 2);
    runner.dispose();
  });

  it('fails jobs still running when disposed, and refuses new ones', async () => {
    const { runner } = pool(() => undefined);
    const job = runner.start('/data/a.csv', DEFAULT_SETTINGS, limits);
    runner.dispose();
    await assert.rejects(job.result, /shutting down/);
    await assert.rejects(runner.start('/data/b.csv', DEFAULT_SETTINGS, limits).result, /shutting down/);
  });

  it('runs two jobs at once in two workers', async () => {
    const pending: (() => void)[] = [];
    const { runner, workers } = pool((w, m) => {
      if (isStart(m)) pending.push(() => w.reply({ type: 'job/result', id: m.id, ok: true, value: fakeOutput }));
    });
    const a = runner.start('/a.csv', DEFAULT_SETTINGS, limits);
    const b = runner.start('/b.csv', DEFAULT_SETTINGS, limits);
    assert.equal(workers.length, 2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    pending.forEach((f) => f());
    assert.equal(await a.result, fakeOutput);
    assert.equal(await b.result, fakeOutput);
    assert.equal(runner.workerCount, 1, 'one idle worker is kept');
    runner.dispose();
  });
});
