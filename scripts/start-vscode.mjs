// `npm start`: builds Centroid and opens VS Code with it on the examples/ folder.
//   - Desktop VS Code when `code` is on the PATH: loads this folder as a development
//     extension (--extensionDevelopmentPath), so a rebuild and "Reload Window" pick up changes.
//   - Otherwise code-server (VS Code in the browser), installed by scripts/e2e-install.sh when
//     missing: packages the extension (scripts/package-vsix.mjs) into a temporary folder, removed
//     again whether or not that works, installs it into .vscode-test/code-server/, serves
//     examples/ on 127.0.0.1 (a free port, or $CENTROID_PORT) and prints the URL. Ctrl+C stops it.
// `npm start -- --web` uses code-server even when `code` exists.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVsix } from './package-vsix.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const examples = join(root, 'examples');
const codeServer = join(root, 'test/e2e/vscode/node_modules/.bin/code-server');
const web = process.argv.includes('--web');

// Throws, so that `finally` blocks run (process.exit would skip them); the last lines print it.
function run(command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, name)));
}

function desktop() {
  console.log('start: building…');
  run(process.execPath, ['scripts/build.mjs']);
  console.log(`start: opening VS Code on ${examples} with Centroid loaded from ${root}`);
  run('code', ['--new-window', `--extensionDevelopmentPath=${root}`, examples]);
}

async function browser() {
  if (!existsSync(codeServer)) {
    console.log('start: code-server is not installed yet; installing it (scripts/e2e-install.sh, about a minute)…');
    run('bash', ['scripts/e2e-install.sh']);
  }
  const home = join(root, '.vscode-test/code-server');
  const userData = join(home, 'user-data');
  const extensions = join(home, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  const config = join(home, 'config.yaml');
  writeFileSync(config, '');
  const settings = join(userData, 'User/settings.json');
  if (!existsSync(settings)) {
    writeFileSync(settings, `${JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
    }, null, 2)}\n`);
  }
  const env = { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: join(home, 'xdg-config'), XDG_DATA_HOME: join(home, 'xdg-data') };
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

  console.log('start: building and packaging the extension…');
  const tmp = mkdtempSync(join(tmpdir(), 'centroid-start-'));
  try {
    const vsix = join(tmp, 'centroid.vsix');
    packageVsix(vsix, { stdio: ['ignore', 'ignore', 'inherit'] });
    run(codeServer, [...common, '--install-extension', vsix, '--force'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const port = process.env.CENTROID_PORT ?? '0';
  const log = join(home, 'code-server.log');
  const logFd = openSync(log, 'w');
  const child = spawn(codeServer, [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', examples],
  { detached: true, stdio: ['ignore', logFd, logFd], env });
  closeSync(logFd);

  let stopping = false;
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const force = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      process.exit(code);
    }, 5000);
    force.unref();
    child.once('exit', () => process.exit(code));
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('exit', () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  child.once('exit', (code) => {
    if (stopping) return;
    console.error(`start: code-server exited (${code}); its log is ${log}`);
    process.exit(1);
  });

  const started = Date.now();
  for (;;) {
    const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(log, 'utf8'));
    if (m) {
      console.log(`\nCentroid is ready in VS Code (code-server) at:\n\n  http://127.0.0.1:${m[1]}/?folder=${encodeURIComponent(examples)}\n`);
      console.log('Right-click a CSV in the Explorer and choose "Cluster this CSV". Press Ctrl+C to stop.');
      return;
    }
    if (Date.now() - started > 30_000) {
      console.error(`start: code-server did not start within 30 s; its log is ${log}`);
      stop(1);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

try {
  if (!web && onPath('code')) desktop();
  else await browser();
} catch (e) {
  console.error(`start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
