/**
 * `npm start -- --web` as the README's quick start runs it: packages the extension, starts
 * code-server, prints the address; the address serves the workbench; Ctrl+C (SIGINT) stops
 * code-server with it; and no temporary folder of the packaging is left behind. The start
 * script gets a temporary folder of its own (TMPDIR) so what it leaves there can be seen.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, withTimeout } from './harness';

/** Process ids whose process group is `pgid` (Linux: field 5 of /proc/<pid>/stat). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) is in parentheses and may hold spaces; count fields after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) members.push(Number(name));
    } catch {
      // the process ended while being read
    }
  }
  return members;
}

/** Children of `pid` (field 4 of /proc/<pid>/stat is the parent). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(name));
    } catch {
      // the process ended while being read
    }
  }
  return children;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe('npm start -- --web', function () {
  this.timeout(180_000);
  let tmp = '';
  let start: ChildProcess | undefined;
  let serverGroup = 0;
  let out = '';

  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'centroid-start-test-')); });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`npm start's output:\n${out}`);
  });
  after(() => {
    if (start?.pid !== undefined && start.exitCode === null) killGroup(start.pid);
    if (serverGroup !== 0) killGroup(serverGroup);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves the workbench at the printed address, stops on Ctrl+C and leaves nothing behind', async () => {
    // Its own process group, so that the after hook can stop everything if the test fails.
    const child = spawn(process.execPath, ['scripts/start-vscode.mjs', '--web'],
      { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CENTROID_PORT: '0', TMPDIR: tmp } });
    start = child;
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const address = await withTimeout(new Promise<string>((resolve, reject) => {
      const look = (): void => {
        const m = /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(out);
        if (m) resolve(m[0]);
      };
      child.stdout?.on('data', look);
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before printing an address:\n${out}`)));
    }), 150_000, 'npm start printed no address within 150 s');

    const servers = childrenOf(child.pid!);
    assert.equal(servers.length, 1, `expected one code-server child, found ${servers.length}`);
    serverGroup = servers[0];
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.startsWith('centroid-start-')), [], 'the packaging folder is still there');

    const res = await fetch(address);
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /id="vscode-workbench-web-configuration"/);
    assert.match(page, /workbench\/workbench\.js/);

    process.kill(child.pid!, 'SIGINT');
    assert.equal(await withTimeout(exited, 15_000, 'npm start did not stop within 15 s of Ctrl+C'), 0);
    assert.deepEqual(groupMembers(serverGroup), [], 'code-server processes are left running');
    await assert.rejects(fetch(address), 'the address still answers');
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.startsWith('centroid-start-')), []);
  });
});
