/**
 * Runs an integration test index (the one @vscode/test-electron would use) inside the
 * extension host of code-server 4.100.3: the workbench reads the `payload` URL parameter
 * (extensionDevelopmentPath and extensionTestsPath as vscode-remote:// URIs), runs the
 * index, and calls window.codeAutomationExit(code) when it settles. Results come back
 * through mocha's JSON reporter, written to the file named by CENTROID_TEST_REPORT.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeRunDirs, Session, withTimeout } from '../e2e/harness';

export interface IntegrationOptions {
  /** Run name (artifacts folder). */
  name: string;
  /** Folder of the extension under test (its package.json). */
  extensionPath: string;
  /** The compiled test index (exports run()). */
  testsIndex: string;
  /** Folder the workbench opens. */
  workspace: string;
  /** More environment for the extension host. */
  env?: Record<string, string>;
  /** Whole-run limit (default 180 s): a hung test never calls the exit hook. */
  timeoutMs?: number;
}

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface IntegrationResult {
  /** What the workbench reported: 0 when run() resolved. */
  exitCode: number;
  tests: TestOutcome[];
  passed: number;
  failed: number;
  pending: number;
}

interface MochaJsonTest {
  fullTitle: string;
  duration?: number;
  err?: { message?: string; stack?: string; actual?: unknown; expected?: unknown };
}
interface MochaJson {
  stats: { passes: number; failures: number; pending: number };
  passes: MochaJsonTest[];
  failures: MochaJsonTest[];
  pending: MochaJsonTest[];
}

/**
 * Starts code-server and Chromium, loads the tests through the payload and waits for the
 * exit hook. Rejects (keeping the run under test/e2e/artifacts) when the run could not be
 * made or timed out, or when the extension host could not launch the tests; test failures
 * resolve with `failed > 0` (and the run is kept too).
 */
export async function runIntegration(options: IntegrationOptions): Promise<IntegrationResult> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const dirs = makeRunDirs(options.name);
  const report = path.join(dirs.root, 'mocha.json');
  // code-server's environment reaches the extension host, and so the test index.
  const env = { ...options.env, CENTROID_TEST_REPORT: report };
  const session = await Session.open(options.name, { workspace: options.workspace, env }, dirs);
  let failure: unknown;
  try {
    const result = await runInSession(session, options, report, timeoutMs);
    if (result.exitCode !== 0 || result.failed > 0 || result.passed === 0) {
      failure = new Error(`integration: exit code ${result.exitCode}, ${result.passed} passed, ${result.failed} failed`);
    }
    return result;
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    await session.close(failure);
  }
}

async function runInSession(session: Session, options: IntegrationOptions, report: string, timeoutMs: number): Promise<IntegrationResult> {
  const { page, server } = session;
  let done: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (done = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => done(code));
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', server.remoteUri(options.extensionPath)],
    ['extensionTestsPath', server.remoteUri(options.testsIndex)],
  ];
  await page.goto(server.url(options.workspace, payload));
  const exitCode = await withTimeout(Promise.race([exited, session.fatalConsole()]), timeoutMs, 'the integration tests did not finish');
  if (!fs.existsSync(report)) {
    throw new Error(`the tests ended with code ${exitCode} and wrote no report; last lines of the page console:\n${session.console.slice(-30).join('\n')}`);
  }
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as MochaJson;
  const tests: TestOutcome[] = [
    ...json.passes.map((t): TestOutcome => ({ title: t.fullTitle, state: 'passed', durationMs: t.duration })),
    ...json.failures.map((t): TestOutcome => ({ title: t.fullTitle, state: 'failed', durationMs: t.duration, error: describeError(t.err) })),
    ...json.pending.map((t): TestOutcome => ({ title: t.fullTitle, state: 'pending' })),
  ];
  return { exitCode, tests, passed: json.stats.passes, failed: json.stats.failures, pending: json.stats.pending };
}

function describeError(err: MochaJsonTest['err']): string {
  if (!err) return 'failed';
  let text = err.stack ?? err.message ?? 'failed';
  if ('expected' in err || 'actual' in err) {
    text += `\n  expected: ${JSON.stringify(err.expected)}\n  actual:   ${JSON.stringify(err.actual)}`;
  }
  return text;
}
