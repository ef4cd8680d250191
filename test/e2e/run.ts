/**
 * `npm run test:e2e`: runs test/e2e/*.spec.ts with mocha (BDD, one after the other: two
 * workbenches at once gain nothing on two cores), prints each test, and ends with
 * "e2e: N passed, N failed". Exits 1 on any failure or when no test ran.
 * `npm run test:e2e -- <filter>` runs only the tests whose full title contains <filter>.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { checkTooling } from './harness';

function main(): Promise<number> {
  checkTooling();
  const filter = process.argv[2];
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000, color: false, ...(filter ? { fgrep: filter } : {}) });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.spec.ts')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise<number>((resolve) => {
    let passed = 0;
    let failed = 0;
    const runner = mocha.run(() => {
      console.log(`e2e: ${passed} passed, ${failed} failed`);
      if (failed > 0) console.log('Screenshots, logs and the kept run are in test/e2e/artifacts/.');
      resolve(failed === 0 && passed > 0 ? 0 : 1);
    });
    runner.on('pass', () => passed++);
    // Also counts failed hooks (before/after), which stop the tests they guard.
    runner.on('fail', () => failed++);
  });
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`e2e: could not run: ${e instanceof Error ? e.message : String(e)}`);
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
});
