/**
 * Special files (issue 18): a path that is not a regular file (a symbolic link to /dev/zero,
 * /dev/null, a named pipe, a socket) is refused by every reader with one sentence naming the
 * file and what it is, before anything is read; a file that grows while it is read is read up
 * to the size it had when opened. Each reader runs in a child process (specialFiles.child.ts)
 * under a memory limit, so a reader that blocks in open() or reads forever fails this test on
 * a timeout instead of hanging it or exhausting the machine.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { readNumericFile, streamTextFile } from '../../../src/node/numericFile';
import { readFileChunked } from '../../../src/worker/job';
import { scratch } from './helpers';

const CHILD = join(__dirname, 'specialFiles.child.ts');
/** A hang guard, not a speed test: every reader refuses at once, so the child ends in the time it takes to start. */
const CHILD_TIMEOUT_MS = 60_000;

interface ReaderLine { reader: string; error?: string; ok?: string }

/** Runs every reader on `path` in a child process; the lines it printed before it ended or was stopped. */
function readAll(path: string): Promise<{ lines: ReaderLine[]; timedOut: boolean }> {
  return new Promise((resolve) => {
    // ulimit -d (data segment; -v would starve WebAssembly's reservations): a reader that reads /dev/zero forever is stopped by the limit, not by the machine.
    const child = spawn('/bin/sh', ['-c', 'ulimit -d 3000000; exec "$0" "$@"', process.execPath, '--import', 'tsx', CHILD, path],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, CHILD_TIMEOUT_MS);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ lines: out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ReaderLine), timedOut });
    });
  });
}

/** The message each reader gives for `path`, a `kind` ("a character device"). */
function expected(path: string, kind: string): Record<string, string> {
  const name = 'data.csv';
  return {
    readTextFile: `${path} is ${kind}, not a file`,
    readFileChunked: `${name} is ${kind}, not a CSV file`,
    streamTextFile: `${path} is ${kind}, not a file`,
    readNumericFile: `${path} is ${kind}, not a file`,
    fitMiniBatchFile: `${path} is ${kind}, not a file`,
    'cli inspect': `centroid: ${path} is ${kind}, not a file`,
    'cli fit': `centroid: ${path} is ${kind}, not a file`,
    'cli predict --model': `centroid: ${path} is ${kind}, not a model file`,
    readModelFile: `${name} is ${kind}, not a model file`,
    sha256OfFile: `${name} is ${kind}, not a file`,
    snapshotFile: `${name} is ${kind}, not a CSV file`,
  };
}

async function assertRefusedEverywhere(path: string, kind: string): Promise<void> {
  const { lines, timedOut } = await readAll(path);
  const want = expected(path, kind);
  const got: Record<string, string> = {};
  for (const l of lines) got[l.reader] = l.error ?? `read it: ${l.ok}`;
  for (const reader of Object.keys(want)) if (!(reader in got)) got[reader] = timedOut ? 'did not return (stopped after the timeout)' : 'the child ended before it';
  assert.deepEqual(got, want);
}

describe('special files are refused by every reader', { skip: process.platform === 'win32' }, () => {
  let dir: string;
  let remove: () => void;
  let server: Server | undefined;
  before(() => ({ dir, remove } = scratch('special')));
  after(() => {
    server?.close();
    remove();
  });

  it('a symbolic link to /dev/zero (endless, and stat says 0 bytes)', async () => {
    const sub = join(dir, 'zero');
    execFileSync('mkdir', [sub]);
    const p = join(sub, 'data.csv');
    symlinkSync('/dev/zero', p);
    await assertRefusedEverywhere(p, 'a character device');
  });

  it('a symbolic link to /dev/null', async () => {
    const sub = join(dir, 'null');
    execFileSync('mkdir', [sub]);
    const p = join(sub, 'data.csv');
    symlinkSync('/dev/null', p);
    await assertRefusedEverywhere(p, 'a character device');
  });

  it('a named pipe with no writer (its open would block forever)', async () => {
    const sub = join(dir, 'fifo');
    execFileSync('mkdir', [sub]);
    const p = join(sub, 'data.csv');
    execFileSync('mkfifo', [p]);
    await assertRefusedEverywhere(p, 'a named pipe (FIFO)');
  });

  it('a symbolic link to a named pipe', async () => {
    const sub = join(dir, 'fifolink');
    execFileSync('mkdir', [sub]);
    const fifo = join(sub, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const p = join(sub, 'data.csv');
    symlinkSync(fifo, p);
    await assertRefusedEverywhere(p, 'a named pipe (FIFO)');
  });

  it('a Unix socket', async () => {
    const sub = join(dir, 'sock');
    execFileSync('mkdir', [sub]);
    const p = join(sub, 'data.csv');
    server = createServer();
    await new Promise<void>((resolve) => (server as Server).listen(p, resolve));
    await assertRefusedEverywhere(p, 'a socket');
  });
});

describe('a file that grows while it is read is read up to its size when opened', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = scratch('grows')));
  after(() => remove());

  const start = 'a,b\n1,2\n3,4\n';
  const more = '5,6\n';
  /** Appends after every chunk, 200 times at most (an endless writer, as far as one read can tell). */
  const appender = (p: string): (() => void) => {
    let n = 0;
    return () => {
      if (n++ < 200) appendFileSync(p, more);
    };
  };

  it('readFileChunked (the worker)', () => {
    const p = join(dir, 'chunked.csv');
    writeFileSync(p, start);
    const r = readFileChunked(p, 1024 * 1024, appender(p));
    assert.equal(r.text, start);
    assert.equal(r.bytes, start.length);
  });

  it('streamTextFile (the CLI\'s mini-batch reader)', () => {
    const p = join(dir, 'stream.csv');
    writeFileSync(p, start);
    let text = '';
    const r = streamTextFile(p, (t) => { text += t; }, { chunkBytes: 4, onChunk: appender(p) });
    assert.equal(text, start);
    assert.equal(r.bytes, start.length);
  });

  it('readNumericFile (the CLI\'s and the worker\'s numeric reader)', () => {
    const p = join(dir, 'numeric.csv');
    writeFileSync(p, start);
    const r = readNumericFile(p, { chunkBytes: 4, parts: 1, onChunk: appender(p) });
    assert.equal(r.bytes, start.length);
    assert.equal(r.result.X.nRows, 2);
  });
});
