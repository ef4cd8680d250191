/** Small helpers shared by our benchmark programs (bundled with each one). */
import { readF64 } from '../gen';
import type { Matrix } from '../../src/engine/matrix';
import { defaultExecutor, setDefaultExecutor, sharedF64 } from '../../src/engine/parallel/executor';
import { KernelPool } from '../../src/node/kernelPool';
import { LLOYD_WASM, LLOYD_WASM_SHARED } from '../../src/node/wasmKernels';

/**
 * Installs the kernel thread pool as the programs that ship do (the worker, the CLI):
 * CENTROID_THREADS threads in all (default: every core). Returns the thread count.
 */
export function installPool(): number {
  const wanted = process.env.CENTROID_THREADS;
  // CENTROID_WASM=0 keeps the JavaScript kernels (to measure what the WebAssembly ones give).
  const wasm = process.env.CENTROID_WASM === '0' ? undefined : LLOYD_WASM;
  // CENTROID_IN_PLACE=0 keeps the rows copied into the module block by block (to measure what reading them in place gives).
  const shared = wasm === undefined || process.env.CENTROID_IN_PLACE === '0' ? undefined : LLOYD_WASM_SHARED;
  const pool = KernelPool.create(wanted === undefined ? undefined : Number(wanted) - 1, undefined, wasm, shared);
  setDefaultExecutor(pool);
  return pool.threads;
}

/**
 * The first `nRows` rows of a raw float64 file as a Matrix, in the default executor's memory
 * (the pool's shared memory once installPool ran): where the CLI and the worker read a big CSV
 * straight into, so a fit works on it in place as it does there.
 */
export function loadMatrix(file: string, nRows: number, nCols: number): Matrix {
  return { data: sharedF64(defaultExecutor(), nRows * nCols, readF64(file, nRows * nCols)), nRows, nCols };
}

/** Prints the one JSON line the runner reads. */
export function printResult(result: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}
