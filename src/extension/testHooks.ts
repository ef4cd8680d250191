/**
 * Commands for the fault tests only. They are registered when the extension host runs with
 * CENTROID_TEST_HOOKS=1 (the test harness sets it on code-server), are not contributed in
 * the manifest, so users never see them, and do nothing else.
 */
import * as vscode from 'vscode';
import type { JobRunner } from './jobRunner';
import type { Log } from './log';

/** The environment variable that turns the hooks on. */
export const TEST_HOOKS_ENV = 'CENTROID_TEST_HOOKS';

/** Registers the test-only commands when TEST_HOOKS_ENV is "1"; returns what to dispose. */
export function registerTestHooks(runner: JobRunner, log: Log, env: NodeJS.ProcessEnv = process.env): vscode.Disposable[] {
  if (env[TEST_HOOKS_ENV] !== '1') return [];
  log.info(`${TEST_HOOKS_ENV}=1: test-only commands are registered`);
  return [
    // Stops the busy workers' threads the way a crash would (the runner sees an exit, not a cancel).
    vscode.commands.registerCommand('centroid.test.crashWorkers', () => runner.crashBusyWorkers()),
  ];
}
