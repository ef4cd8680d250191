/**
 * Bundles the integration tests for the extension host: the mocha index (index.ts) and each
 * suite/*.test.ts become CommonJS files in out/integration/. The engine and pipeline code the
 * tests compare against is bundled in; `vscode` and `mocha` stay external (the extension host
 * provides the first, the repository's node_modules the second).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** Output folder of the bundled tests (git-ignored). */
export const OUT_DIR = path.resolve(__dirname, '../../out/integration');

/** Builds the tests; resolves to the path of the test index (what extensionTestsPath names). */
export async function buildIntegrationTests(): Promise<string> {
  const suiteDir = path.join(__dirname, 'suite');
  const suites = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(suiteDir, f));
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'index.ts'), ...suites],
    outdir: OUT_DIR,
    outbase: __dirname,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(OUT_DIR, 'index.js');
}
