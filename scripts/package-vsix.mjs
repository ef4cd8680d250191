// The one `vsce package` command line, shared by `npm start` (code-server) and the tests, and
// spelled out again by `npm run package` (a test checks that the two agree).
//   --no-dependencies           the esbuild bundles need no node_modules
//   --allow-missing-repository  the manifest names no repository
//   --skip-license              no LICENSE file is required
//   --no-rewrite-relative-links the README's links stay relative: its pictures (docs/images)
//                               are in the .vsix, and without a repository vsce has nothing to
//                               rewrite them to, so it would refuse to package
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VSCE_PACKAGE_OPTIONS = ['--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'];

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * Packages the extension in `cwd` (default: this checkout) into `out` with this checkout's vsce
 * (which runs the manifest's vscode:prepublish first, about 5 s). stdin is closed so vsce never
 * stops to ask; its output goes to `stdio` (default: inherited). Throws an Error with vsce's
 * exit status when packaging fails or takes over 3 minutes.
 */
export function packageVsix(out, { cwd = root, stdio = ['ignore', 'inherit', 'inherit'] } = {}) {
  const vsce = join(root, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', ...VSCE_PACKAGE_OPTIONS, '-o', out], { cwd, stdio, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) {
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    throw new Error(`vsce package failed (${r.error?.message ?? `exit ${r.status}`})${output ? `:\n${output}` : ''}`);
  }
}
