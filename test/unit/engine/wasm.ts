// Shared by the WebAssembly kernel tests: the module compiled from its source with the build's
// own options (scripts/wasm.mjs), and the kernels built from it.
import assert from 'node:assert/strict';
import type { ChunkKernel } from '../../../src/engine/parallel/kernels';

/** The bytes of src/wasm/lloyd.ts; `shared`: its build that imports a shared memory. */
export async function lloydBytes(shared = false): Promise<Uint8Array> {
  const { compileWasm } = await import('../../../scripts/wasm.mjs');
  return compileWasm('lloyd', shared);
}

/** A kernel from a make*Wasm, which must build: this Node has WebAssembly SIMD. */
export function built(kernel: ChunkKernel | null): ChunkKernel {
  assert.ok(kernel !== null, 'this Node has WebAssembly SIMD, so the kernel builds');
  return kernel;
}
