/**
 * Runs clustering jobs in worker threads, off the extension host's main thread. One worker
 * per running job; one finished worker is kept for the next job so a re-run starts at once.
 * Each job settles exactly once: with its output, or with a JobFailure when the worker
 * reports an error, is cancelled, stops answering (no message for `idleTimeoutMs`), or
 * crashes (then the next job simply gets a fresh worker).
 *
 * No vscode import: tests drive it with a fake worker.
 */
import { parseWorkerMessage, type DistanceChoice, type FailureKind, type JobOutput, type JobStart, type RunSettings } from '../protocol/messages';
import type { JobSweep, SweepOutput, SweepRequest, SweepRow } from '../protocol/sweep';
import type { DensityOutput, DensityRequest, JobDensity } from '../protocol/density';
import { PendingRequests, RequestTimeoutError } from '../protocol/rpc';

/** The part of worker_threads.Worker the runner uses. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

/** A job that did not produce a result: `message` is one sentence for the user. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  /** `choice`: the user can answer it and run again (files of distances). */
  constructor(message: string, readonly kind: FailureKind, readonly detail?: string, readonly choice?: DistanceChoice) {
    super(message);
  }
}

export interface JobRunnerOptions {
  /** A job fails when its worker sends nothing (no progress) for this long. Default 120 s. */
  idleTimeoutMs?: number;
  /** After a cancel, the worker is terminated if it has not stopped within this time. Default 3 s. */
  cancelGraceMs?: number;
  /** Where details go (the output channel). */
  log?: (line: string) => void;
}

export interface JobHandle<T = JobOutput> {
  /** Settles once: the output, or a JobFailure. */
  result: Promise<T>;
  /** Asks the job to stop: sets the shared flag, sends job/cancel, terminates after the grace time. */
  cancel(): void;
}

interface Slot {
  worker: WorkerLike;
  /** The job running in this worker, if any. */
  jobId: number | null;
  file: string;
  dead: boolean;
  onProgress?: (fraction: number | null, message: string) => void;
  /** A sweep's partial results. */
  onRow?: (row: SweepRow, index: number, total: number) => void;
}

export class JobRunner {
  private readonly pending = new PendingRequests<unknown>();
  private readonly slots = new Set<Slot>();
  private readonly idleTimeoutMs: number;
  private readonly cancelGraceMs: number;
  private readonly log: (line: string) => void;
  private disposed = false;

  constructor(private readonly createWorker: () => WorkerLike, options: JobRunnerOptions = {}) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
    this.cancelGraceMs = options.cancelGraceMs ?? 3000;
    this.log = options.log ?? (() => undefined);
  }

  /** Workers alive (busy or idle); for tests and diagnostics. */
  get workerCount(): number {
    return this.slots.size;
  }

  /**
   * Starts fitting `file` (absolute path) with `settings`. `onProgress` gets the worker's
   * progress (fraction in [0, 1] or null, and a phrase). Never throws: failures arrive
   * through `result`.
   */
  start(
    file: string, settings: RunSettings, limits: { maxBytes: number; maxPoints: number },
    onProgress?: (fraction: number | null, message: string) => void,
  ): JobHandle {
    return this.launch<JobOutput>(file, `Clustering ${baseName(file)}`, (id, cancelFlag): JobStart => (
      { type: 'job/start', id, file, settings, maxBytes: limits.maxBytes, maxPoints: limits.maxPoints, cancelFlag }
    ), onProgress);
  }

  /**
   * Starts a "Choose k" sweep of `file` over `sweep` with the file's `settings`. `onRow` gets
   * each scored setting as soon as the worker has it (partial results). Never throws.
   */
  startSweep(
    file: string, settings: RunSettings, sweep: SweepRequest, limits: { maxBytes: number },
    onProgress?: (fraction: number | null, message: string) => void,
    onRow?: (row: SweepRow, index: number, total: number) => void,
  ): JobHandle<SweepOutput> {
    return this.launch<SweepOutput>(file, `Choosing k for ${baseName(file)}`, (id, cancelFlag): JobSweep => (
      { type: 'job/sweep', id, file, settings, sweep, maxBytes: limits.maxBytes, cancelFlag }
    ), onProgress, onRow);
  }

  /** Starts a density step (k-distance curve, DBSCAN or HDBSCAN) on `file` with the file's settings. Never throws. */
  startDensity(
    file: string, settings: RunSettings, request: DensityRequest, limits: { maxBytes: number; maxPoints: number },
    onProgress?: (fraction: number | null, message: string) => void,
  ): JobHandle<DensityOutput> {
    const what = request.mode === 'kdistance' ? `The k-distance curve of ${baseName(file)}` : `${request.mode === 'dbscan' ? 'DBSCAN' : 'HDBSCAN'} on ${baseName(file)}`;
    return this.launch<DensityOutput>(file, what, (id, cancelFlag): JobDensity => (
      { type: 'job/density', id, file, settings, request, maxBytes: limits.maxBytes, maxPoints: limits.maxPoints, cancelFlag }
    ), onProgress);
  }

  /** Posts the job `message(id, cancelFlag)` to a worker; `what` names it in time-out and cancel messages. */
  private launch<T>(
    file: string, what: string, message: (id: number, cancelFlag: SharedArrayBuffer) => JobStart | JobSweep | JobDensity,
    onProgress?: (fraction: number | null, message: string) => void,
    onRow?: (row: SweepRow, index: number, total: number) => void,
  ): JobHandle<T> {
    const { id, promise } = this.pending.create(what, this.idleTimeoutMs);
    const cancelFlag = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancelFlag);
    let slot: Slot | undefined;
    if (this.disposed) {
      this.pending.reject(id, new JobFailure('Centroid is shutting down', 'cancelled'));
    } else {
      try {
        slot = this.acquire();
        slot.jobId = id;
        slot.file = file;
        slot.onProgress = onProgress;
        slot.onRow = onRow;
        slot.worker.postMessage(message(id, cancelFlag));
      } catch (e) {
        if (slot) this.kill(slot);
        this.pending.reject(id, new JobFailure('The clustering worker could not be started', 'internal', (e as Error).stack));
      }
    }
    const result = promise.then(
      (value) => {
        this.release(slot);
        return value as T;
      },
      (e: unknown) => {
        if (e instanceof RequestTimeoutError && slot) {
          // A worker that stopped answering is of no further use.
          this.log(`job ${id}: ${e.message}; terminating its worker`);
          this.kill(slot);
          throw new JobFailure(`${e.message}; the clustering worker was stopped, try again`, 'internal');
        }
        this.release(slot);
        throw e instanceof JobFailure ? e : new JobFailure((e as Error).message, 'internal', (e as Error).stack);
      },
    );
    let cancelled = false;
    const cancel = (): void => {
      if (cancelled || !this.pending.has(id)) return;
      cancelled = true;
      Atomics.store(flag, 0, 1);
      try {
        slot?.worker.postMessage({ type: 'job/cancel', id });
      } catch {
        /* the worker is gone: the exit handler settles the job */
      }
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        this.log(`job ${id}: no answer ${this.cancelGraceMs} ms after cancel; terminating its worker`);
        if (slot) this.kill(slot);
        this.pending.reject(id, new JobFailure(`${what} was cancelled`, 'cancelled'));
      }, this.cancelGraceMs);
      void result.then(() => clearTimeout(timer), () => clearTimeout(timer));
    };
    return { result, cancel };
  }

  /**
   * Terminates the threads of the workers that are running a job, without marking them as
   * stopped on purpose, so their jobs fail as in a crash. For fault tests; returns how many.
   */
  crashBusyWorkers(): number {
    let n = 0;
    for (const slot of this.slots) {
      if (slot.jobId === null || slot.dead) continue;
      n++;
      slot.worker.terminate().catch(() => undefined);
    }
    return n;
  }

  /** Terminates every worker and fails the jobs still running. */
  dispose(): void {
    this.disposed = true;
    this.pending.rejectAll(new JobFailure('Centroid is shutting down', 'cancelled'));
    for (const slot of [...this.slots]) this.kill(slot);
  }

  private acquire(): Slot {
    for (const slot of this.slots) if (slot.jobId === null && !slot.dead) return slot;
    const worker = this.createWorker();
    const slot: Slot = { worker, jobId: null, file: '', dead: false };
    this.slots.add(slot);
    worker.on('message', (raw) => this.onMessage(slot, raw));
    worker.on('error', (error) => this.onCrash(slot, error));
    worker.on('exit', (code) => this.onCrash(slot, new Error(`worker exited with code ${code}`)));
    return slot;
  }

  /** Back to the idle pool (keeping at most one idle worker), or nothing when it died. */
  private release(slot: Slot | undefined): void {
    if (!slot || slot.dead) return;
    slot.jobId = null;
    slot.onProgress = undefined;
    slot.onRow = undefined;
    for (const other of this.slots) {
      if (other !== slot && other.jobId === null && !other.dead) {
        this.kill(slot);
        return;
      }
    }
  }

  private kill(slot: Slot): void {
    slot.dead = true;
    this.slots.delete(slot);
    slot.worker.terminate().catch(() => undefined);
  }

  private onMessage(slot: Slot, raw: unknown): void {
    let message;
    try {
      message = parseWorkerMessage(raw);
    } catch (e) {
      this.log(`ignored a malformed worker message: ${(e as Error).message}`);
      return;
    }
    if (message.id !== slot.jobId) {
      this.log(`ignored ${message.type} for job ${message.id}, which is not running in this worker`);
      return;
    }
    switch (message.type) {
      case 'job/progress':
        this.pending.touch(message.id);
        slot.onProgress?.(message.fraction, message.message);
        return;
      case 'job/result':
      case 'job/sweepResult':
      case 'job/densityResult':
        this.pending.resolve(message.id, message.value);
        return;
      case 'job/sweepRow':
        this.pending.touch(message.id);
        slot.onRow?.(message.row, message.index, message.total);
        return;
      case 'job/error':
        if (message.detail) this.log(`job ${message.id} (${slot.file}): ${message.detail}`);
        this.pending.reject(message.id, new JobFailure(message.error, message.kind, message.detail, message.choice));
        return;
    }
  }

  private onCrash(slot: Slot, error: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    this.slots.delete(slot);
    const id = slot.jobId;
    if (id === null) return;
    const code = (error as NodeJS.ErrnoException).code;
    const oom = code === 'ERR_WORKER_OUT_OF_MEMORY';
    const why = oom ? 'ran out of memory' : 'stopped unexpectedly';
    this.log(`job ${id} (${slot.file}): worker ${why}: ${error.stack ?? error.message}`);
    const advice = oom ? 'choose fewer feature columns or cluster a smaller file' : 'you can run it again';
    this.pending.reject(id, new JobFailure(`The clustering worker ${why} while working on ${baseName(slot.file)}; ${advice}`, 'internal', error.stack));
  }
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
