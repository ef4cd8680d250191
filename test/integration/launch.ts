/**
 * `npm run test:integration`: builds the extension and the tests, runs the tests inside
 * code-server's extension host (test/integration/launcher.ts) on a copy of examples/, prints
 * each test and every failure, and ends with "integration: N passed, N failed". Exits 1 on
 * any failure, when no test ran, or when the run could not be made.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { checkTooling, ROOT } from '../e2e/harness';
import { makeWorkspace, NO_NUMBERS_CSV, removeWorkspace } from '../e2e/workspace';
import { buildIntegrationTests } from './build';
import { runIntegration, type IntegrationResult } from './launcher';

async function main(): Promise<number> {
  checkTooling();
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
  if (build.status !== 0) throw new Error('the extension did not build (node scripts/build.mjs)');
  const testsIndex = await buildIntegrationTests();
  const workspace = makeWorkspace({ 'no_numbers.csv': NO_NUMBERS_CSV });
  let result: IntegrationResult;
  try {
    result = await runIntegration({ name: 'integration', extensionPath: ROOT, testsIndex, workspace });
  } finally {
    removeWorkspace(workspace);
  }
  for (const t of result.tests) {
    const mark = t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
  }
  for (const t of result.tests.filter((x) => x.state === 'failed')) {
    console.log(`\nFAILED: ${t.title}\n${t.error ?? ''}`);
  }
  if (result.failed > 0) console.log('\nThe run is kept in test/e2e/artifacts/integration (logs, screenshot, user data).');
  const pending = result.pending > 0 ? `, ${result.pending} skipped` : '';
  console.log(`integration: ${result.passed} passed, ${result.failed} failed${pending}`);
  return result.exitCode === 0 && result.failed === 0 && result.passed > 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`integration: the run failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  console.error('Logs and a screenshot, when there are any, are in test/e2e/artifacts/integration.');
  console.log('integration: 0 passed, 1 failed');
  process.exit(1);
});
