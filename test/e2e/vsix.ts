/**
 * Packages the extension as users get it: `vsce package` (which runs the manifest's
 * vscode:prepublish, a production build) with no node_modules, since esbuild bundles
 * everything the extension needs.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './harness';

const VSCE = path.join(ROOT, 'node_modules/.bin/vsce');

function vsce(args: string[]): string {
  // No terminal: vsce must not stop to ask a question (stdin is closed).
  const r = spawnSync(VSCE, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  if (r.status !== 0) throw new Error(`vsce ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Builds and packages the extension into `file` (a .vsix path); returns `file`. About 5 s. */
export function packageExtension(file: string): string {
  vsce(['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', file]);
  return file;
}

/** The files `vsce package` puts in the .vsix, relative to the repository root. */
export function packagedFiles(): string[] {
  return vsce(['ls', '--no-dependencies']).split('\n').map((l) => l.trim()).filter((l) => l !== '');
}
