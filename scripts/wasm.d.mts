// Types of scripts/wasm.mjs for the TypeScript that imports it (tests, bench).
export function compileWasm(name: string, shared?: boolean): Promise<Uint8Array>;
export function wasmDefines(): Promise<Record<string, string>>;
