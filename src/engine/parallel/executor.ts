/**
 * How the engine spreads a kernel over chunks of rows without knowing about threads.
 *
 * A kernel (see kernels.ts) processes one chunk of rows and writes only that chunk's
 * slots of its output arrays; callers then reduce the per-chunk results in chunk
 * order. So the result never depends on how many threads ran the chunks, or in which
 * order: a pool of workers and the serial executor give the same bits.
 *
 * The engine stays pure: it only sees this interface. The Node worker pool that
 * implements it over SharedArrayBuffer lives in src/node/kernelPool.ts and is
 * installed by the program (CLI, worker) with setDefaultExecutor().
 */
import { KERNELS, type KernelJob, type KernelName } from './kernels';

export type { KernelJob, KernelName } from './kernels';

/** Runs kernels over chunks, synchronously. */
export interface ChunkExecutor {
  /** Threads that run chunks (1 for the serial executor). */
  readonly threads: number;
  /** True when 'lloyd' runs on WebAssembly SIMD (kernels.ts, makeLloydWasm): same bits, several times faster. */
  readonly simd?: boolean;
  /**
   * Memory that every thread can see: a SharedArrayBuffer for a pool, a plain
   * ArrayBuffer otherwise. Kernel arrays not allocated here still work, serially.
   */
  alloc(bytes: number): ArrayBufferLike;
  /** Runs `KERNELS[kernel](job, c)` for every chunk c in [0, nChunks) and returns when all are done. */
  run(kernel: KernelName, job: KernelJob, nChunks: number): void;
}

/** Runs the chunks in order on the calling thread. */
export const serialExecutor: ChunkExecutor = {
  threads: 1,
  alloc: (bytes: number) => new ArrayBuffer(bytes),
  run(kernel: KernelName, job: KernelJob, nChunks: number): void {
    const f = KERNELS[kernel];
    for (let c = 0; c < nChunks; c++) f(job, c);
  },
};

let current: ChunkExecutor = serialExecutor;

/** The executor engine functions use when none is passed (serial unless a program installed a pool). */
export function defaultExecutor(): ChunkExecutor {
  return current;
}

/** Installs `executor` as the default (pass serialExecutor to go back); returns the previous one. */
export function setDefaultExecutor(executor: ChunkExecutor): ChunkExecutor {
  const previous = current;
  current = executor;
  return previous;
}

/**
 * A Float64Array of `length` in the executor's memory; `source` is copied in when given.
 * O(length). Used to share X with the worker threads once per fit.
 */
export function sharedF64(executor: ChunkExecutor, length: number, source?: Float64Array): Float64Array {
  if (source !== undefined && executor.threads === 1) return source;
  if (source !== undefined && source.buffer instanceof SharedArrayBuffer) return source;
  const out = new Float64Array(executor.alloc(length * 8), 0, length);
  if (source !== undefined) out.set(source.subarray(0, length));
  return out;
}

/** An Int32Array of `length` in the executor's memory (zero-filled). */
export function sharedI32(executor: ChunkExecutor, length: number): Int32Array {
  return new Int32Array(executor.alloc(length * 4), 0, length);
}
