/**
 * Runs model jobs (predict, add rows) in a worker thread of their own, started for the job
 * and terminated after it: they are rare next to fits, and a separate worker keeps them from
 * queueing behind a long fit. Each job settles once: its value, or a JobFailure (worker error,
 * cancel, no message for `idleTimeoutMs`, crash). No vscode import.
 */
import { parseWorkerMessage } from '../protocol/messages';
import type { ModelJob, ModelRequest } from '../protocol/models';
import { JobFailure, type WorkerLike } from './jobRunner';

export interface ModelJobHandle<T> {
  result: Promise<T>;
  cancel(): void;
}

export class ModelJobRunner {
  private nextId = 1;
  private readonly live = new Set<WorkerLike>();

  constructor(
    private readonly createWorker: () => WorkerLike,
    private readonly options: { idleTimeoutMs?: number; cancelGraceMs?: number; log?: (line: string) => void } = {},
  ) {}

  /** Starts `request`; `onProgress` gets the worker's progress. Never throws: failures arrive through `result`. */
  run<T>(
    request: ModelRequest, limits: { maxBytes: number; maxPoints: number },
    onProgress?: (fraction: number | null, message: string) => void,
  ): ModelJobHandle<T> {
    const id = this.nextId++;
    const cancelFlag = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancelFlag);
    const idleMs = this.options.idleTimeoutMs ?? 120_000;
    const graceMs = this.options.cancelGraceMs ?? 3000;
    const log = this.options.log ?? (() => undefined);
    let settle: { resolve: (v: T) => void; reject: (e: JobFailure) => void } | undefined;
    const result = new Promise<T>((resolve, reject) => {
      settle = { resolve, reject };
    });
    let worker: WorkerLike | undefined;
    let idle: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const finish = (outcome: { value: T } | { error: JobFailure }): void => {
      if (done) return;
      done = true;
      if (idle) clearTimeout(idle);
      if (worker) {
        this.live.delete(worker);
        worker.terminate().catch(() => undefined);
      }
      if ('value' in outcome) settle?.resolve(outcome.value);
      else settle?.reject(outcome.error);
    };
    const touch = (): void => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => finish({ error: new JobFailure(`The model job sent nothing for ${Math.round(idleMs / 1000)} s; it was stopped, try again`, 'internal') }), idleMs);
    };
    try {
      worker = this.createWorker();
      this.live.add(worker);
      worker.on('message', (raw) => {
        let message;
        try {
          message = parseWorkerMessage(raw);
        } catch (e) {
          log(`ignored a malformed worker message: ${(e as Error).message}`);
          return;
        }
        if (message.id !== id) return;
        if (message.type === 'job/progress') {
          touch();
          onProgress?.(message.fraction, message.message);
        } else if (message.type === 'job/result') {
          finish({ value: message.value as unknown as T });
        } else if (message.type === 'job/error') {
          if (message.detail) log(`model job ${id}: ${message.detail}`);
          finish({ error: new JobFailure(message.error, message.kind, message.detail) });
        }
      });
      worker.on('error', (error) => finish({ error: new JobFailure(`The clustering worker stopped unexpectedly: ${error.message}`, 'internal', error.stack) }));
      worker.on('exit', (code) => finish({ error: new JobFailure(`The clustering worker exited (code ${code}) before finishing; you can run it again`, 'internal') }));
      const message: ModelJob = { type: 'model/job', id, request, maxBytes: limits.maxBytes, maxPoints: limits.maxPoints, cancelFlag };
      worker.postMessage(message);
      touch();
    } catch (e) {
      finish({ error: new JobFailure('The clustering worker could not be started', 'internal', (e as Error).stack) });
    }
    const cancel = (): void => {
      if (done) return;
      Atomics.store(flag, 0, 1);
      setTimeout(() => finish({ error: new JobFailure('The model job was cancelled', 'cancelled') }), graceMs);
    };
    return { result, cancel };
  }

  /** Terminates every running job's worker. */
  dispose(): void {
    for (const w of this.live) w.terminate().catch(() => undefined);
    this.live.clear();
  }
}
