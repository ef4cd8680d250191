// Bundles the programs Centroid ships: the extension host entry, the worker,
// the webview app and the command-line tool. `--watch` rebuilds on change;
// `--production` minifies and drops source maps (used by `npm run package`).
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { wasmDefines } from './wasm.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

// The Node programs embed the WebAssembly kernels, compiled from src/wasm/ (scripts/wasm.mjs;
// in --watch, a change there needs a restart).
const node = { ...common, platform: 'node', target: 'node18', format: 'cjs', define: await wasmDefines() };

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/worker/worker.ts'], outfile: 'dist/worker.js' },
  { ...node, entryPoints: ['src/cli/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The helper threads that read the parts of a big CSV file (src/node/numericFile.ts), next to the worker and the CLI.
  { ...node, entryPoints: ['src/node/readPartWorker.ts'], outfile: 'dist/readPart.js' },
  { ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
  { ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['webview/models.ts'], outfile: 'dist/models.js' },
];

mkdirSync('dist', { recursive: true });
const copyStatic = () => {
  copyFileSync('webview/style.css', 'dist/webview.css');
  copyFileSync('webview/models.css', 'dist/models.css');
};

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  copyStatic();
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  copyStatic();
  chmodSync('dist/cli.js', 0o755);
}
