/**
 * The integration test index, as @vscode/test-electron and the code-server launcher load it
 * (extensionTestsPath): runs every bundled suite/*.test.js next to it with mocha (BDD) and
 * rejects when a test fails, which the workbench turns into exit code 1.
 *
 * CENTROID_TEST_REPORT, when set, is the file the JSON reporter writes; the launcher reads
 * it to print the results. Without it the spec reporter writes to the console.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false });
  const report = process.env.CENTROID_TEST_REPORT;
  if (report) mocha.reporter('json', { output: report });
  const suiteDir = path.join(__dirname, 'suite');
  for (const file of fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(suiteDir, file));
  }
  return new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
