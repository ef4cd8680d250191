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

/** Compiles src/wasm/NAME.ts; throws with the compiler's messages when it fails. */
export async function compileWasm(name) {
  const source = readFileSync(join(root, 'src', 'wasm', `${name}.ts`), 'utf8');
  const result = await asc.compileString({ [`${name}.ts`]: source }, OPTIONS);
  if (result.error !== null || result.binary === null) {
    throw new Error(`AssemblyScript could not compile src/wasm/${name}.ts: ${result.stderr.toString() || result.error?.message}`);
  }
  return result.binary;
}

/**
 * esbuild `define` entries that embed every kernel's bytes in a bundle as base64:
 * CENTROID_WASM_LLOYD (read by src/node/wasmKernels.ts).
 */
export async function wasmDefines() {
  const lloyd = Buffer.from(await compileWasm('lloyd')).toString('base64');
  return { CENTROID_WASM_LLOYD: JSON.stringify(lloyd) };
}
