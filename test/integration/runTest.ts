/**
 * `npm run test:electron`: the same integration tests in desktop VS Code, downloaded by
 * @vscode/test-electron (needs internet; CI uses code-server instead, see launch.ts).
 * Build first: `npm run build`.
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeWorkspace, NO_NUMBERS_CSV, removeWorkspace } from '../e2e/workspace';
import { buildIntegrationTests } from './build';

async function main(): Promise<void> {
  const extensionDevelopmentPath = path.resolve(__dirname, '../..');
  const extensionTestsPath = await buildIntegrationTests();
  const workspace = makeWorkspace({ 'no_numbers.csv': NO_NUMBERS_CSV });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    removeWorkspace(workspace);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
