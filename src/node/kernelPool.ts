/**
 * A synchronous worker-thread pool for the engine's chunk kernels (Node only).
 *
 * The engine's fits are synchronous functions, so the pool is too: `run()` hands a
 * job to the workers through a MessagePort, wakes them with Atomics.notify, takes
 * chunks itself on the calling thread, and blocks in Atomics.wait until every worker
 * reported done. Workers pull chunk numbers from a shared counter (work stealing);
 * since every chunk writes only its own slots, the result equals the serial one bit
 * for bit. Arrays must live on SharedArrayBuffer (`alloc`); a job with any other
 * array runs serially on the calling thread.
 *
 * Workers run the kernels from src/engine/parallel/kernels.ts, shipped as source
 * text: no extra bundle to build, and the code is the code the serial path runs.
 * Given the bytes of the WebAssembly Lloyd kernel (src/node/wasmKernels.ts), every
 * thread builds it once at start (makeLloydWasm) and runs 'lloyd' on it: the same
 * bits, and where WebAssembly SIMD is missing the JavaScript kernel stays. The calling
 * thread and the workers also build the silhouette's pair sums on it (makeSilhouetteWasm,
 * same bytes): one block at a time on the calling thread, or one chunk per thread when each
 * chunk owns its rows' sums (silhouetteSumsChunk's owners). The k-means++
 * candidates' potentials ('seed', makeSeedWasm) and Elkan's bounded assignment ('elkan',
 * makeElkanWasm) come from the same module on every thread.
 *
 * Given also the module's build that imports a shared memory (LLOYD_WASM_SHARED), `alloc`
 * makes every array of 8 MiB or more a shared WebAssembly memory of its own (the rows, then
 * scratch for each thread), and a Lloyd job on such rows hands each thread the memory and its
 * scratch, so the kernel reads the rows in place instead of copying them block by block.
 *
 * Usage (once per process):
 * `setDefaultExecutor(KernelPool.create(undefined, undefined, LLOYD_WASM, LLOYD_WASM_SHARED))`.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { KERNELS, makeElkanWasm, makeLloydWasm, makeSeedWasm, makeSilhouetteWasm, type ChunkKernel, type KernelJob, type KernelName } from '../engine/parallel/kernels';
import type { ChunkExecutor } from '../engine/parallel/executor';

// Slots of the shared control array.
const GENERATION = 0; // bumped once per job; workers wait on it
const NEXT = 1; // next chunk to take
const DONE = 2; // workers finished with the current job
const READY = 3; // workers started
const FAILED = 4; // a worker's kernel threw

/**
 * Allocations of at least this many bytes are WebAssembly memories when the pool has the
 * shared-memory build of the Lloyd module: the kernel then reads the rows in place.
 */
const IN_PLACE_MIN_BYTES = 8 * 1024 * 1024;
/** Each thread's scratch after the rows of such a memory (centres, sums, the kernel's panels). */
const SCRATCH_BYTES = 4 * 1024 * 1024;

function workerSource(): string {
  const table = Object.entries(KERNELS)
    .map(([name, f]) => `${JSON.stringify(name)}: (${f.toString()})`)
    .join(',\n');
  return `'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const kernels = {\n${table}\n};
if (workerData.wasm !== undefined) {
  // The WebAssembly kernels from the same module; where one does not build, the JavaScript
  // kernel stays (same bits).
  const builds = {
    lloyd: (f) => (${makeLloydWasm.toString()})(workerData.wasm, f, 'auto', undefined, workerData.wasmShared),
    seed: (f) => (${makeSeedWasm.toString()})(workerData.wasm, f),
    elkan: (f) => (${makeElkanWasm.toString()})(workerData.wasm, f),
    silhouetteSums: (f) => (${makeSilhouetteWasm.toString()})(workerData.wasm, f),
  };
  for (const name of Object.keys(builds)) {
    try {
      const built = builds[name](kernels[name]);
      if (built !== null) kernels[name] = built;
    } catch (e) {
      // The JavaScript kernel stays.
    }
  }
}
const ctl = new Int32Array(workerData.control);
const port = workerData.port;
let seen = 0;
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
for (;;) {
  Atomics.wait(ctl, ${GENERATION}, seen);
  seen = Atomics.load(ctl, ${GENERATION});
  const received = receiveMessageOnPort(port);
  if (received === undefined || received.message.stop) break;
  const { kernel, job, nChunks, memory, scratchBase } = received.message;
  if (memory !== undefined) {
    // Rows in the pool's WebAssembly memory: this thread's scratch follows the calling thread's.
    job.memory = memory;
    job.scratch = scratchBase + workerData.index * ${SCRATCH_BYTES};
    job.scratchBytes = ${SCRATCH_BYTES};
  }
  try {
    const f = kernels[kernel];
    for (;;) {
      const c = Atomics.add(ctl, ${NEXT}, 1);
      if (c >= nChunks) break;
      f(job, c);
    }
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;
}

/** Every non-empty array on shared memory (an empty array, e.g. "no weights", carries nothing to share). */
function allShared(job: KernelJob): boolean {
  for (const a of job.f64) if (a.length > 0 && !(a.buffer instanceof SharedArrayBuffer)) return false;
  for (const a of job.i32) if (a.length > 0 && !(a.buffer instanceof SharedArrayBuffer)) return false;
  return true;
}

/** The ChunkExecutor over worker threads. The calling thread works too: `threads` = workers + 1. */
export class KernelPool implements ChunkExecutor {
  readonly threads: number;
  /**
   * Jobs run across the threads, jobs run on the calling thread alone, and Lloyd jobs whose rows
   * the threads read in place from the pool's WebAssembly memory (diagnostics).
   */
  readonly runs = { parallel: 0, serial: 0, inPlace: 0 };
  /**
   * True when 'lloyd' runs on WebAssembly SIMD (on this thread; the workers build theirs alike);
   * 'silhouetteSums', built from the same bytes, runs on it as well.
   */
  readonly simd: boolean;
  private readonly kernels: Record<KernelName, ChunkKernel>;
  private readonly control: Int32Array;
  private readonly workers: Worker[];
  private readonly ports: MessagePort[];
  private closed = false;

  /** The WebAssembly memories this pool allocated, by their buffer, and where the threads' scratch starts. */
  private readonly inPlace = new WeakMap<ArrayBufferLike, { memory: WebAssembly.Memory; scratchBase: number }>();
  private readonly wasmShared: Uint8Array | undefined;

  private constructor(control: Int32Array, workers: Worker[], ports: MessagePort[], wasm: Uint8Array | undefined, wasmShared: Uint8Array | undefined) {
    const lloydWasm = wasm === undefined ? null : makeLloydWasm(wasm, KERNELS.lloyd, 'auto', undefined, wasmShared);
    const silhouetteWasm = wasm === undefined ? null : makeSilhouetteWasm(wasm, KERNELS.silhouetteSums);
    const seedWasm = wasm === undefined ? null : makeSeedWasm(wasm, KERNELS.seed);
    const elkanWasm = wasm === undefined ? null : makeElkanWasm(wasm, KERNELS.elkan);
    this.kernels = {
      ...KERNELS,
      lloyd: lloydWasm ?? KERNELS.lloyd,
      silhouetteSums: silhouetteWasm ?? KERNELS.silhouetteSums,
      seed: seedWasm ?? KERNELS.seed,
      elkan: elkanWasm ?? KERNELS.elkan,
    };
    this.simd = lloydWasm !== null;
    this.wasmShared = lloydWasm !== null ? wasmShared : undefined;
    this.control = control;
    this.workers = workers;
    this.ports = ports;
    this.threads = workers.length + 1;
  }

  /**
   * Starts `workers` threads (default: one fewer than the cores, so with the calling
   * thread every core works) and waits up to `startTimeoutMs` for them. With 0
   * workers, or when they do not start in time, returns a pool with `threads` = 1
   * that runs everything on the calling thread. Workers are unref'd: they never keep
   * the process alive. `wasm`: the bytes of the WebAssembly Lloyd kernel (optional);
   * `wasmShared`: its build that imports a shared memory (optional; with it, big allocations
   * are WebAssembly memories whose rows the kernel reads in place).
   */
  static create(workers = availableParallelism() - 1, startTimeoutMs = 10_000, wasm?: Uint8Array, wasmShared?: Uint8Array): KernelPool {
    const control = new Int32Array(new SharedArrayBuffer(8 * 4));
    if (workers < 1) return new KernelPool(control, [], [], wasm, undefined);
    const source = workerSource();
    const started: Worker[] = [];
    const ports: MessagePort[] = [];
    for (let w = 0; w < workers; w++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(source, { eval: true, workerData: { control: control.buffer, port: port2, wasm, wasmShared, index: w + 1 }, transferList: [port2] });
      worker.unref();
      port1.unref();
      started.push(worker);
      ports.push(port1);
    }
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      const ready = Atomics.load(control, READY);
      if (ready >= workers) break;
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(control, READY, ready, left) === 'timed-out') {
        for (const w of started) void w.terminate();
        return new KernelPool(control, [], [], wasm, undefined);
      }
    }
    return new KernelPool(control, started, ports, wasm, wasmShared);
  }

  alloc(bytes: number): ArrayBufferLike {
    if (this.workers.length === 0) return new ArrayBuffer(bytes);
    if (this.wasmShared !== undefined && bytes >= IN_PLACE_MIN_BYTES) {
      // The rows, then each thread's scratch; a fixed size (a WebAssembly memory never shrinks,
      // so each big matrix has its own, freed with it).
      const scratchBase = Math.ceil(bytes / 64) * 64;
      const pages = Math.ceil((scratchBase + this.threads * SCRATCH_BYTES) / 65536);
      if (pages <= 65536) {
        try {
          const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
          this.inPlace.set(memory.buffer, { memory, scratchBase });
          return memory.buffer;
        } catch {
          // Not that much WebAssembly memory here: a plain shared buffer, rows copied per block.
        }
      }
    }
    return new SharedArrayBuffer(bytes);
  }

  run(kernel: KernelName, job: KernelJob, nChunks: number): void {
    const f = this.kernels[kernel];
    if (this.closed || this.workers.length === 0 || nChunks < 2 || !allShared(job)) {
      this.runs.serial++;
      for (let c = 0; c < nChunks; c++) f(job, c);
      return;
    }
    this.runs.parallel++;
    const ctl = this.control;
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, FAILED, 0);
    const place = kernel === 'lloyd' && job.f64.length > 0 ? this.inPlace.get(job.f64[0].buffer) : undefined;
    const message = place === undefined ? { kernel, job, nChunks } : { kernel, job, nChunks, memory: place.memory, scratchBase: place.scratchBase };
    for (const port of this.ports) port.postMessage(message);
    Atomics.add(ctl, GENERATION, 1);
    Atomics.notify(ctl, GENERATION);
    if (place !== undefined) {
      this.runs.inPlace++;
      job.memory = place.memory;
      job.scratch = place.scratchBase;
      job.scratchBytes = SCRATCH_BYTES;
    }
    let error: unknown = null;
    try {
      for (;;) {
        const c = Atomics.add(ctl, NEXT, 1);
        if (c >= nChunks) break;
        f(job, c);
      }
    } catch (e) {
      // Stop handing out chunks, but still wait: the workers write into our arrays.
      Atomics.store(ctl, NEXT, nChunks);
      error = e;
    }
    const n = this.workers.length;
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done >= n) break;
      Atomics.wait(ctl, DONE, done);
    }
    if (place !== undefined) {
      delete job.memory;
      delete job.scratch;
      delete job.scratchBytes;
    }
    if (error !== null) throw error;
    if (Atomics.load(ctl, FAILED) !== 0) throw new Error(`kernel ${kernel} failed in a worker thread`);
  }

  /** Stops the workers. The pool then runs everything on the calling thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const port of this.ports) {
      port.postMessage({ stop: true });
    }
    Atomics.add(this.control, GENERATION, 1);
    Atomics.notify(this.control, GENERATION);
  }
}
