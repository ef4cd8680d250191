/**
 * The WebAssembly kernels, compiled from src/wasm/ by the build (scripts/wasm.mjs) and
 * embedded in the bundle as base64 (an esbuild `define`): nothing is fetched or read at
 * run time. Unbundled (the unit tests run the sources), the constant is not defined and
 * the programs keep the JavaScript kernels; the tests compile the source themselves.
 */
declare const CENTROID_WASM_LLOYD: string | undefined;
declare const CENTROID_WASM_LLOYD_SHARED: string | undefined;

/** The module of src/wasm/lloyd.ts, for KernelPool.create (kernels.ts, makeLloydWasm), or undefined unbundled. */
export const LLOYD_WASM: Uint8Array | undefined =
  typeof CENTROID_WASM_LLOYD === 'string' ? Uint8Array.from(Buffer.from(CENTROID_WASM_LLOYD, 'base64')) : undefined;

/**
 * The same module built to import a shared memory (scripts/wasm.mjs): makeLloydWasm runs it on
 * rows that live in a pool's WebAssembly memory, without copying them. Undefined unbundled.
 */
export const LLOYD_WASM_SHARED: Uint8Array | undefined =
  typeof CENTROID_WASM_LLOYD_SHARED === 'string' ? Uint8Array.from(Buffer.from(CENTROID_WASM_LLOYD_SHARED, 'base64')) : undefined;
