/**
 * Real worker threads failing under the job runner: a worker that outgrows its memory limit
 * is reported as out of memory (one sentence naming the file, with what to do), a worker that
 * dies mid-job as stopped, and the runner starts a fresh worker for the next job.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { JobFailure, JobRunner } from '../../../src/extension/jobRunner';
import { MAX_WORKER_HEAP_MB, MIN_WORKER_HEAP_MB, workerResourceLimits } from '../../../src/extension/workerLimits';
import { DEFAULT_SETTINGS } from '../../../src/protocol/messages';

const limits = { maxBytes: 1e9, maxPoints: 100 };

/** A worker that, on job/start, allocates until its heap limit stops it. */
const GREEDY = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => {
  const hoard = [];
  for (;;) hoard.push(new Array(1 << 16).fill(Math.random()));
});`;

/** A worker that, on job/start, reports progress and then exits hard (as a crash would). */
const CRASHING = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  parentPort.postMessage({ type: 'job/progress', id: m.id, fraction: 0.1, message: 'Reading' });
  setTimeout(() => process.exit(7), 20);
});`;

/** A worker that answers job/start with a minimal valid result (what a fresh worker would do). */
const ANSWERING = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => { if (m.type === 'job/start') parentPort.postMessage({ type: 'job/result', id: m.id, ok: true, value: { fresh: true } }); });`;

async function failureOf(p: Promise<unknown>): Promise<JobFailure> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof JobFailure, `not a JobFailure: ${String(e)}`);
    return e;
  }
  assert.fail('the job did not fail');
}

describe('worker faults (real worker threads)', () => {
  it('a worker over its memory limit is reported as out of memory, naming the file and what to do', async () => {
    const runner = new JobRunner(() => new Worker(GREEDY, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } }));
    try {
      const failure = await failureOf(runner.start('/data/big.csv', DEFAULT_SETTINGS, limits).result);
      assert.equal(failure.kind, 'internal');
      assert.equal(failure.message, 'The clustering worker ran out of memory while working on big.csv; choose fewer feature columns or cluster a smaller file');
      assert.equal(runner.workerCount, 0, 'the dead worker is not kept');
    } finally {
      runner.dispose();
    }
  });

  it('a worker that dies mid-job gives one failure, and the next job gets a fresh worker', async () => {
    let made = 0;
    const runner = new JobRunner(() => new Worker(made++ === 0 ? CRASHING : ANSWERING, { eval: true }));
    try {
      const progress: string[] = [];
      const failure = await failureOf(runner.start('/data/a.csv', DEFAULT_SETTINGS, limits, (_f, m) => progress.push(m)).result);
      assert.deepEqual(progress, ['Reading']);
      assert.equal(failure.message, 'The clustering worker stopped unexpectedly while working on a.csv; you can run it again');
      const next = await runner.start('/data/a.csv', DEFAULT_SETTINGS, limits).result;
      assert.deepEqual(next, { fresh: true });
      assert.equal(made, 2);
    } finally {
      runner.dispose();
    }
  });

  it('the heap limit is half the memory, within its floor and ceiling', () => {
    const MB = 1048576;
    assert.deepEqual(workerResourceLimits(24_000 * MB), { maxOldGenerationSizeMb: 8192 });
    assert.deepEqual(workerResourceLimits(4_000 * MB), { maxOldGenerationSizeMb: 2000 });
    assert.deepEqual(workerResourceLimits(600 * MB), { maxOldGenerationSizeMb: MIN_WORKER_HEAP_MB });
    assert.ok(MAX_WORKER_HEAP_MB === 8192 && MIN_WORKER_HEAP_MB === 512);
  });
});

describe('crashBusyWorkers (the fault tests\' hook)', () => {
  it('stops only busy workers, and their jobs fail as a crash, not as a cancel', async () => {
    const BUSY = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => { if (m.type === 'job/start') parentPort.postMessage({ type: 'job/progress', id: m.id, fraction: 0.5, message: 'Clustering' }); });`;
    const runner = new JobRunner(() => new Worker(BUSY, { eval: true }));
    try {
      let started!: () => void;
      const progressed = new Promise<void>((resolve) => (started = resolve));
      const job = runner.start('/data/long.csv', DEFAULT_SETTINGS, limits, () => started());
      await progressed;
      assert.equal(runner.crashBusyWorkers(), 1);
      const failure = await failureOf(job.result);
      assert.equal(failure.kind, 'internal');
      assert.equal(failure.message, 'The clustering worker stopped unexpectedly while working on long.csv; you can run it again');
      assert.equal(runner.crashBusyWorkers(), 0, 'nothing busy any more');
    } finally {
      runner.dispose();
    }
  });
});
