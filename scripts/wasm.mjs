// Compiles the WebAssembly kernels from their AssemblyScript source (src/wasm/) with asc, and
// gives the esbuild `define` entries that embed the bytes in the bundles (base64), so nothing is
// fetched or read from disk at run time. The binary is never committed; every build compiles it
// again from the source.
import asc from 'assemblyscript/asc';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The options every build uses: SIMD on, optimised for speed, no assertions, no garbage collector. */
const OPTIONS = { optimizeLevel: 3, shrinkLevel: 0, noAssert: true, runtime: 'stub', enable: ['simd'] };

/**
 * What the shared-memory build adds: the module imports its memory (env.memory), shared, so it
 * can work on rows that already live there (a matrix the kernel pool allocated as WebAssembly
 * memory). The module has no data segment, so instantiating it writes nothing to that memory.
 */
const SHARED = { enable: ['simd', 'threads'], importMemory: true, sharedMemory: true, initialMemory: 1, maximumMemory: 65536 };

/**
 * Compiles src/wasm/NAME.ts (with `shared`, the build that imports a shared memory); throws
 * with the compiler's messages when it fails.
 */
export async function compileWasm(name, shared = false) {
  const source = readFileSync(join(root, 'src', 'wasm', `${name}.ts`), 'utf8');
  const result = await asc.compileString({ [`${name}.ts`]: source }, shared ? { ...OPTIONS, ...SHARED } : OPTIONS);
  if (result.error !== null || result.binary === null) {
    throw new Error(`AssemblyScript could not compile src/wasm/${name}.ts: ${result.stderr.toString() || result.error?.message}`);
  }
  return result.binary;
}

/**
 * esbuild `define` entries that embed every kernel's bytes in a bundle as base64:
 * CENTROID_WASM_LLOYD and CENTROID_WASM_LLOYD_SHARED (read by src/node/wasmKernels.ts).
 */
export async function wasmDefines() {
  const lloyd = Buffer.from(await compileWasm('lloyd')).toString('base64');
  const shared = Buffer.from(await compileWasm('lloyd', true)).toString('base64');
  return { CENTROID_WASM_LLOYD: JSON.stringify(lloyd), CENTROID_WASM_LLOYD_SHARED: JSON.stringify(shared) };
}
