/**
 * Memory limits of the clustering worker. A worker that reaches its limit is stopped by
 * Node with ERR_WORKER_OUT_OF_MEMORY, which the job runner reports as "ran out of memory";
 * without a limit, a file too big for memory would take the extension host down with it.
 * No vscode import: tests start real workers with small limits.
 */
import { totalmem } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** Floor and ceiling of the worker's old-generation heap, in MB. */
export const MIN_WORKER_HEAP_MB = 512;
export const MAX_WORKER_HEAP_MB = 8192;

/**
 * The worker's heap limit: half the machine's memory, within [512, 8192] MB (V8's own
 * default for a worker is smaller than what a 1M-row file needs on large machines).
 */
export function workerResourceLimits(totalBytes = totalmem()): ResourceLimits {
  const half = Math.floor(totalBytes / 2 / 1048576);
  return { maxOldGenerationSizeMb: Math.min(MAX_WORKER_HEAP_MB, Math.max(MIN_WORKER_HEAP_MB, half)) };
}

/** Starts the clustering worker (dist/worker.js) with its memory limits. */
export function startClusterWorker(script: string, limits: ResourceLimits = workerResourceLimits()): Worker {
  return new Worker(script, { resourceLimits: limits });
}
