/**
 * The clustering worker (worker_threads): receives `job/start` and `job/cancel` from the
 * extension host, runs one job at a time (src/worker/job.ts) and answers each job with
 * exactly one `job/result` or `job/error`. The fit itself is synchronous, so a cancel is
 * seen through the job's shared flag; a `job/cancel` message that arrives before its job
 * starts marks it cancelled here.
 */
import { statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { setDefaultExecutor } from '../engine/parallel/executor';
import { KernelPool } from '../node/kernelPool';
import { LLOYD_WASM, LLOYD_WASM_SHARED } from '../node/wasmKernels';
import { parseHostToWorker, transferablesOf, type HostToWorker, type WorkerToHost, assertNever } from '../protocol/messages';
import { describeFailure, runJob } from './job';
import { describeSweepFailure, runSweepJob } from './sweepJob';
import { describeDensityFailure, runDensityJob } from './densityJob';
import { densityTransferables } from '../protocol/density';
import { isModelJobMessage, parseModelJob } from '../protocol/models';
import { runModelJob } from './modelJob';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

/** Files at least this big get the fit's hot loops spread over every core. */
const POOL_MIN_BYTES = 8 * 1024 * 1024;
let pool: KernelPool | undefined;

/** Starts the kernel thread pool the first time a big file comes (small files do not repay it). */
function ensurePool(file: string): void {
  if (pool) return;
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return; // the job itself reports the unreadable file
  }
  if (size < POOL_MIN_BYTES) return;
  pool = KernelPool.create(undefined, undefined, LLOYD_WASM, LLOYD_WASM_SHARED);
  setDefaultExecutor(pool);
}

/** Jobs cancelled before they started (message order: a cancel can overtake nothing, but be safe). */
const cancelledEarly = new Set<number>();

function post(message: WorkerToHost, transfer?: ArrayBuffer[]): void {
  port?.postMessage(message, transfer ?? []);
}

port.on('message', (raw: unknown) => {
  if (isModelJobMessage(raw)) {
    runModelMessage(raw);
    return;
  }
  let message: HostToWorker;
  try {
    message = parseHostToWorker(raw);
  } catch (e) {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : 0;
    post({ type: 'job/error', id, ok: false, kind: 'internal', error: `The clustering worker got a malformed request: ${(e as Error).message}` });
    return;
  }
  switch (message.type) {
    case 'job/cancel':
      cancelledEarly.add(message.id);
      return;
    case 'job/start': {
      if (cancelledEarly.delete(message.id)) Atomics.store(new Int32Array(message.cancelFlag, 0, 1), 0, 1);
      try {
        ensurePool(message.file);
        const output = runJob(message, post);
        post({ type: 'job/result', id: message.id, ok: true, value: output }, transferablesOf(output));
      } catch (e) {
        post(describeFailure(message.id, message.file, e));
      }
      cancelledEarly.clear();
      return;
    }
    case 'job/density': {
      if (cancelledEarly.delete(message.id)) Atomics.store(new Int32Array(message.cancelFlag, 0, 1), 0, 1);
      try {
        ensurePool(message.file);
        const value = runDensityJob(message, post);
        post({ type: 'job/densityResult', id: message.id, ok: true, value }, densityTransferables(value));
      } catch (e) {
        post(describeDensityFailure(message.id, message.file, e));
      }
      cancelledEarly.clear();
      return;
    }
    case 'job/sweep': {
      if (cancelledEarly.delete(message.id)) Atomics.store(new Int32Array(message.cancelFlag, 0, 1), 0, 1);
      try {
        ensurePool(message.file);
        const value = runSweepJob(message, post);
        post({ type: 'job/sweepResult', id: message.id, ok: true, value });
      } catch (e) {
        post(describeSweepFailure(message.id, message.file, e));
      }
      cancelledEarly.clear();
      return;
    }
    default:
      assertNever(message);
  }
});

/** A `model/job` (predict, add rows): one job/result or job/error, as for fits. */
function runModelMessage(raw: unknown): void {
  const id = (raw as { id?: unknown }).id;
  const file = (raw as { request?: { file?: unknown; sources?: { file?: unknown }[] } }).request;
  const name = typeof file?.file === 'string' ? file.file : typeof file?.sources?.[0]?.file === 'string' ? file.sources[0].file : 'the file';
  try {
    const job = parseModelJob(raw);
    if (cancelledEarly.delete(job.id)) Atomics.store(new Int32Array(job.cancelFlag, 0, 1), 0, 1);
    const value = runModelJob(job, post);
    post({ type: 'job/result', id: job.id, ok: true, value: value as never }, 'report' in value ? transferablesOf(value) : []);
  } catch (e) {
    post(describeFailure(typeof id === 'number' ? id : 0, name, e));
  }
  cancelledEarly.clear();
}
