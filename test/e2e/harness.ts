/**
 * A real VS Code for tests, headless and offline: code-server 4.100.3 (VS Code 1.100.3, the
 * web workbench with a real Node extension host) driven by Debian's Chromium through
 * playwright-core. Used by the end-to-end specs (test/e2e) and the integration launcher
 * (test/integration/launch.ts).
 *
 * Every run gets fresh folders (user data, extensions, XDG, browser profile) under one run
 * directory, code-server listens on 127.0.0.1 on a port the OS picks and runs in its own
 * process group, so stopping it (or the exit handler, if a test crashes) kills the server
 * and its extension host together. On failure the run directory, the logs and a screenshot
 * are kept under test/e2e/artifacts/<run>; on success they are removed.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { waitForWorkbench } from './workbench';
import { removeWorkspace } from './workspace';

/** Repository root. */
export const ROOT = path.resolve(__dirname, '../..');
/** Where failed runs and screenshots are kept (git-ignored). */
export const ARTIFACTS = path.join(ROOT, 'test/e2e/artifacts');
/** The code-server installed by scripts/e2e-install.sh. */
export const CODE_SERVER = path.join(ROOT, 'test/e2e/vscode/node_modules/.bin/code-server');
/** Debian's Chromium, unless CHROMIUM_PATH says otherwise. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Colour themes VS Code ships, for screenshots in each. */
export const THEMES = {
  light: 'Default Light Modern',
  dark: 'Default Dark Modern',
  highContrast: 'Default High Contrast',
} as const;

/** Settings that keep a fresh profile quiet: no welcome page, trust prompt, telemetry or updates. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
};

/** How long code-server may take to print its listening line. */
const START_TIMEOUT_MS = 30_000;
/** How long a stopped process group may take to exit before it is killed. */
const STOP_GRACE_MS = 5_000;

/** Throws when the test tooling is missing, naming the command that installs it. */
export function checkTooling(): void {
  if (!fs.existsSync(CODE_SERVER)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER}; run: bash scripts/e2e-install.sh`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}; run: bash scripts/e2e-install.sh (or set CHROMIUM_PATH)`);
  }
}

/** Rejects with `message` after `ms` milliseconds; the timer does not keep Node alive. */
export function rejectAfter(ms: number, message: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (after ${ms} ms)`)), ms);
    timer.unref();
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Awaits `p`, or rejects with `message` once `ms` have passed. */
export async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  const t = rejectAfter(ms, message);
  try {
    return await Promise.race([p, t.promise]);
  } finally {
    t.cancel();
  }
}

export interface RunDirs {
  /** The run's own folder (temporary). */
  root: string;
  userData: string;
  extensions: string;
  /** Browser profile. */
  profile: string;
  /** code-server's stdout and stderr. */
  log: string;
  /** Kept screenshots and, on failure, a copy of the run. */
  artifacts: string;
}

/** Makes the folders of one run. `name` is used in the artifacts folder's name. */
export function makeRunDirs(name: string): RunDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `centroid-${safeName(name)}-`));
  const dirs: RunDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    profile: path.join(root, 'browser'),
    log: path.join(root, 'code-server.log'),
    artifacts: path.join(ARTIFACTS, safeName(name)),
  };
  // Screenshots and logs of an earlier run of the same name would mislead.
  fs.rmSync(dirs.artifacts, { recursive: true, force: true });
  for (const d of [dirs.userData, dirs.extensions, dirs.profile, path.join(root, 'xdg-config'), path.join(root, 'xdg-data')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  return dirs;
}

export interface CodeServerOptions {
  /** Folder the workbench opens (its absolute path is what `url()` asks for). */
  workspace: string;
  /** .vsix files to install into the fresh extensions folder before starting. */
  vsix?: string[];
  /** A colour theme name (see THEMES); default: VS Code's default (dark). */
  theme?: string;
  /** More user settings, merged over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** More environment for code-server; the extension host inherits it. */
  env?: Record<string, string>;
}

/** A running code-server. */
export interface CodeServer {
  readonly port: number;
  readonly dirs: RunDirs;
  /** Workbench URL for `folder` (default: the workspace), with an optional `payload` parameter. */
  url(folder?: string, payload?: [string, string][]): string;
  /** `vscode-remote://` URI of a path on the server (what extensionDevelopmentPath needs). */
  remoteUri(p: string): string;
  /** Kills the process group; resolves once it has exited (SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts code-server for `options.workspace` in `dirs`, after installing the given .vsix
 * files. Resolves when it listens; rejects with the log's tail when it exits first or takes
 * longer than 30 s.
 */
export async function startCodeServer(dirs: RunDirs, options: CodeServerOptions): Promise<CodeServer> {
  checkTooling();
  const config = path.join(dirs.root, 'config.yaml');
  fs.writeFileSync(config, '');
  const settings = { ...QUIET_SETTINGS, ...(options.theme ? { 'workbench.colorTheme': options.theme } : {}), ...options.settings };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}',
    XDG_CONFIG_HOME: path.join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: path.join(dirs.root, 'xdg-data'),
    ...options.env,
  };
  // Not inherited: a password set for another code-server would turn auth back on.
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  for (const vsix of options.vsix ?? []) {
    const r = spawnSync(CODE_SERVER, [...common, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) {
      throw new Error(`code-server --install-extension ${vsix} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stdout}${r.stderr}`);
    }
  }

  const logFd = fs.openSync(dirs.log, 'a');
  const child = spawn(CODE_SERVER, [...common,
    '--bind-addr', '127.0.0.1:0', '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    options.workspace,
  ], { detached: true, stdio: ['ignore', logFd, logFd], env });
  fs.closeSync(logFd);
  const group = child.pid;
  if (group === undefined) throw new Error(`could not start ${CODE_SERVER}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Safety net: a crashed test must not leave code-server or its extension host behind.
  const onExit = (): void => killGroup(group, 'SIGKILL');
  process.once('exit', onExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killGroup(group, 'SIGTERM');
    const grace = new Promise<'late'>((resolve) => setTimeout(resolve, STOP_GRACE_MS, 'late').unref());
    if ((await Promise.race([exited, grace])) === 'late') {
      killGroup(group, 'SIGKILL');
      await withTimeout(exited, STOP_GRACE_MS, 'code-server did not exit after SIGKILL').catch(() => undefined);
    }
    // The group may outlive its leader (the extension host): make sure it is gone.
    killGroup(group, 'SIGKILL');
    process.removeListener('exit', onExit);
  };

  let port: number;
  try {
    port = await waitForListening(dirs.log, child);
  } catch (e) {
    await stop();
    throw e;
  }
  const remoteUri = (p: string): string => `vscode-remote://127.0.0.1:${port}${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`;
  return {
    port,
    dirs,
    url(folder = options.workspace, payload?: [string, string][]): string {
      let u = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(folder))}`;
      if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    remoteUri,
    stop,
  };
}

/** Sends `signal` to a whole process group; quiet when it is already gone. */
function killGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: nothing left to stop.
  }
}

/** Polls the log for "HTTP server listening on http://127.0.0.1:PORT" (about 0.5 s). */
async function waitForListening(log: string, child: ChildProcess): Promise<number> {
  const started = Date.now();
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? -1));
  for (;;) {
    const text = fs.readFileSync(log, 'utf8');
    const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
    if (m) return Number(m[1]);
    if (exitCode !== null) throw new Error(`code-server exited (${exitCode}) before listening:\n${tail(text, 20)}`);
    if (Date.now() - started > START_TIMEOUT_MS) throw new Error(`code-server did not listen within ${START_TIMEOUT_MS} ms:\n${tail(text, 20)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Launches headless Chromium with a fresh profile in `dirs.profile`. */
export async function launchBrowser(dirs: RunDirs): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dirs.profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Console lines of the page that mean the run cannot work, so waiting longer is pointless. */
export const FATAL_CONSOLE = [/No extension host found/];

/**
 * Code-server plus a browser page, with the bookkeeping of one test run: the page's console
 * is recorded (and checked for FATAL_CONSOLE), screenshots go to the artifacts folder, and
 * `close(passed)` keeps or removes the run directory.
 */
export class Session {
  /** Page console lines, "type: text". */
  readonly console: string[] = [];
  private fatal: string | undefined;
  private readonly fatalWaiters: ((message: string) => void)[] = [];

  private constructor(
    readonly dirs: RunDirs,
    readonly server: CodeServer,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (m) => this.onConsole(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.console.push(`pageerror: ${e.message}`));
  }

  /** Starts code-server and Chromium for `name`; on error nothing is left running. */
  static async open(name: string, options: CodeServerOptions, dirs = makeRunDirs(name)): Promise<Session> {
    let server: CodeServer | undefined;
    try {
      server = await startCodeServer(dirs, options);
      const context = await launchBrowser(dirs);
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(30_000);
      return new Session(dirs, server, context, page);
    } catch (e) {
      await server?.stop();
      keepRun(dirs, e);
      throw e;
    }
  }

  /** Rejects when a FATAL_CONSOLE line appears; race it against long waits. */
  fatalConsole(): Promise<never> {
    return new Promise<never>((_, reject) => {
      if (this.fatal !== undefined) reject(new Error(this.fatal));
      else this.fatalWaiters.push((message) => reject(new Error(message)));
    });
  }

  /** Full-page screenshot (animations off, so a toast is not caught mid fade-in) into the artifacts folder. */
  async screenshot(file: string): Promise<string> {
    const target = path.join(this.dirs.artifacts, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await this.page.screenshot({ path: target, animations: 'disabled' });
    return target;
  }

  /**
   * Closes the browser and stops code-server. When `error` is given the run is kept under
   * test/e2e/artifacts/<name>/run (logs, user data, workspace) with a last screenshot and
   * the page console; otherwise the run directory is removed.
   */
  async close(error?: unknown): Promise<void> {
    if (error !== undefined) {
      fs.mkdirSync(this.dirs.artifacts, { recursive: true });
      await withTimeout(this.screenshot('failure.png'), 10_000, 'failure screenshot').catch(() => undefined);
      fs.writeFileSync(path.join(this.dirs.artifacts, 'console.txt'), this.console.join('\n') + '\n');
    }
    await withTimeout(this.context.close(), 10_000, 'closing the browser').catch(() => undefined);
    await this.server.stop();
    if (error !== undefined) keepRun(this.dirs, error);
    else fs.rmSync(this.dirs.root, { recursive: true, force: true });
  }

  private onConsole(line: string): void {
    this.console.push(line);
    if (this.fatal === undefined && FATAL_CONSOLE.some((re) => re.test(line))) {
      this.fatal = `fatal workbench console message: ${line}`;
      for (const w of this.fatalWaiters.splice(0)) w(this.fatal);
    }
  }
}

/** What a spec's `setup` gives sessionHooks: the code-server options and the file to wait for. */
export interface SessionSetup extends CodeServerOptions {
  /** A file at the workspace's top level: the tests start once the explorer shows it. */
  file: string;
  /** Run folders the setup prepared (files in the user data, say); default: fresh ones. */
  dirs?: RunDirs;
}

export interface SessionHooksOptions {
  /** Time-out of the `before` hook (setup, packaging, start-up), default 300 s. */
  timeout?: number;
}

/**
 * Registers, in the calling `describe`, the lifecycle the end-to-end specs share:
 * - `before` runs `setup`, opens the Session `name` on the workspace it returns and waits
 *   until the explorer shows `file` (or a FATAL_CONSOLE line appears);
 * - `afterEach` remembers the first failed test;
 * - `after` (60 s) closes the session, which keeps the run in test/e2e/artifacts/<name> when
 *   a test or the start-up failed, and removes the workspace.
 * `setup` computes what the tests expect and makes the workspace as late as it can: a
 * workspace made before `setup` throws never reaches these hooks, so nothing removes it.
 * Returns `current()`, the open session; it fails the calling test when code-server did not
 * start.
 */
export function sessionHooks(name: string, setup: () => SessionSetup | Promise<SessionSetup>, options: SessionHooksOptions = {}): () => Session {
  let session: Session | undefined;
  let workspace = '';
  let failure: unknown;

  before(async function () {
    this.timeout(options.timeout ?? 300_000);
    try {
      const { file, dirs, ...open } = await setup();
      workspace = open.workspace;
      session = await Session.open(name, open, dirs);
      await session.page.goto(session.server.url());
      await Promise.race([waitForWorkbench(session.page, file), session.fatalConsole()]);
    } catch (e) {
      // No test runs after a failed `before`, so afterEach never sees it: keep the run for this.
      failure ??= e;
      throw e;
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') failure ??= this.currentTest.err ?? new Error('test failed');
  });

  after(async function () {
    this.timeout(60_000);
    await session?.close(failure);
    removeWorkspace(workspace);
  });

  return () => {
    assert.ok(session, 'code-server did not start');
    return session;
  };
}

/**
 * Moves a failed run's folder (minus the browser profile, which is large and says little)
 * to its artifacts folder and writes the error next to it.
 */
export function keepRun(dirs: RunDirs, error: unknown): void {
  try {
    fs.mkdirSync(dirs.artifacts, { recursive: true });
    const target = path.join(dirs.artifacts, 'run');
    fs.rmSync(target, { recursive: true, force: true });
    fs.rmSync(dirs.profile, { recursive: true, force: true });
    // Sockets and pipes (code-server's IPC) cannot be copied and say nothing afterwards.
    fs.cpSync(dirs.root, target, { recursive: true, filter: (src) => {
      const st = fs.lstatSync(src, { throwIfNoEntry: false });
      return st !== undefined && (st.isFile() || st.isDirectory() || st.isSymbolicLink());
    } });
    fs.writeFileSync(path.join(dirs.artifacts, 'error.txt'), `${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  } finally {
    fs.rmSync(dirs.root, { recursive: true, force: true });
  }
}

/** Last `n` lines of `text`. */
export function tail(text: string, n: number): string {
  return text.split('\n').slice(-n).join('\n');
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';
}
