/**
 * A worker job on a plain numeric file read straight into a matrix (the big-file path) gives
 * the same output as the same job through the table path, with "rows read" progress.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../../src/worker/job';
import { Rng } from '../../../src/engine/rng';
import { DEFAULT_SETTINGS, type JobOutput, type JobStart, type RunSettings, type WorkerToHost } from '../../../src/protocol/messages';

function start(file: string, settings: Partial<RunSettings> = {}): JobStart {
  return {
    type: 'job/start', id: 1, file, settings: { ...DEFAULT_SETTINGS, ...settings },
    maxBytes: 1e9, maxPoints: 300, cancelFlag: new SharedArrayBuffer(4),
  };
}

/** The output without what depends on the clock. */
function stable(out: JobOutput): unknown {
  const { timings: _timings, view, ...rest } = out;
  return { ...rest, view: { ...view, elapsedMs: 0 } };
}

function blobs(seed: number, n: number, header: boolean, missing: number): string {
  const rng = new Rng(seed);
  const lines = header ? ['x,y,z,w'] : [];
  for (let i = 0; i < n; i++) {
    const b = i % 4;
    const cells = [0, 1, 2, 3].map((j) => (rng.random() < missing ? 'NA' : String(b * 3 + j + rng.random() * 2)));
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('runJob on a plain numeric file', () => {
  it('gives the table path\'s output, with rows-read progress', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-numjob-'));
    try {
      const cases: [string, Partial<RunSettings>][] = [
        [blobs(1, 1500, true, 0), {}],
        [blobs(2, 1200, true, 0.01), { k: 3, scale: 'standard', missing: 'mean' }],
        [blobs(3, 900, false, 0.02), { k: 5, columns: ['column2', 'column4'] }],
        [blobs(4, 800, true, 0), { k: 4, label: { mode: 'column', name: 'w' } }],
      ];
      cases.forEach(([text, settings], i) => {
        const file = join(dir, `f${i}.csv`);
        writeFileSync(file, text);
        const streamed: WorkerToHost[] = [];
        const parsed: WorkerToHost[] = [];
        const a = runJob(start(file, settings), (m) => streamed.push(m), Date.now, 0);
        const b = runJob(start(file, settings), (m) => parsed.push(m), Date.now, Infinity);
        assert.deepStrictEqual(stable(a), stable(b), `case ${i}`);
        const messages = streamed.map((m) => (m.type === 'job/progress' ? m.message : ''));
        assert.ok(messages.some((m) => /rows read/.test(m)), `case ${i}: a rows-read message`);
        assert.ok(!messages.some((m) => /^Parsing/.test(m)), `case ${i}: no parsing stage`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the table path for a file with text cells', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-numjob-'));
    try {
      const file = join(dir, 'mixed.csv');
      writeFileSync(file, `a,b,kind\n${Array.from({ length: 200 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? 'p' : 'q'}`).join('\n')}\n`);
      const messages: WorkerToHost[] = [];
      const out = runJob(start(file, { k: 2 }), (m) => messages.push(m), Date.now, 0);
      assert.deepEqual(out.labelColumn, { name: 'kind', guessed: true });
      assert.ok(messages.some((m) => m.type === 'job/progress' && /^Parsing/.test(m.message)));

      // Three numeric columns may be an edge list: the table path decides.
      const edges = join(dir, 'edges.csv');
      writeFileSync(edges, `x,y,z\n${Array.from({ length: 300 }, (_, i) => `${i % 13},${(i * 7) % 5},${i % 3}`).join('\n')}\n`);
      const seen: WorkerToHost[] = [];
      runJob(start(edges, { k: 2 }), (m) => seen.push(m), Date.now, 0);
      assert.ok(seen.some((m) => m.type === 'job/progress' && /^Parsing/.test(m.message)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
