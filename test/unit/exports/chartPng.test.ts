/**
 * Save PNG's suggested name and write: `NAME.clusters.png` next to the CSV while it is free,
 * the numbered form once it exists (so Enter in the dialog never replaces an earlier chart),
 * and a write that replaces the chosen file whole with the PNG's bytes and leaves nothing else.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartPngPath, pngBytes, suggestedChartPath } from '../../../src/node/chartPng';
import { writeFileAtomic } from '../../../src/node/files';

// The 8-byte PNG signature, then an IHDR chunk's length and tag: enough to be a PNG's start.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const DATA_URL = `data:image/png;base64,${PNG.toString('base64')}`;

function withFolder(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'centroid-png-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Save PNG: the suggested name', () => {
  it('replaces the CSV\'s last extension with .clusters.png, in the same folder', () => {
    assert.equal(chartPngPath('/data/readings.csv'), '/data/readings.clusters.png');
    assert.equal(chartPngPath('/data/v1.2/readings.tsv'), '/data/v1.2/readings.clusters.png');
    assert.equal(chartPngPath('/data/archive.tar.csv'), '/data/archive.tar.clusters.png');
    assert.equal(chartPngPath('/data/v1.2/readings'), '/data/v1.2/readings.clusters.png');
  });

  it('is NAME.clusters.png while free, then NAME.clusters (2).png, (3), … as each one exists', () => {
    withFolder((dir) => {
      const csv = join(dir, 'readings.csv');
      writeFileSync(csv, 'x\n1\n');
      assert.equal(suggestedChartPath(csv), join(dir, 'readings.clusters.png'));
      writeFileSync(join(dir, 'readings.clusters.png'), 'first');
      assert.equal(suggestedChartPath(csv), join(dir, 'readings.clusters (2).png'));
      writeFileSync(join(dir, 'readings.clusters (2).png'), 'second');
      assert.equal(suggestedChartPath(csv), join(dir, 'readings.clusters (3).png'));
      assert.equal(readFileSync(join(dir, 'readings.clusters.png'), 'utf8'), 'first', 'choosing a name writes nothing');
    });
  });
});

describe('Save PNG: the bytes and the atomic write', () => {
  it('writes the data URL\'s bytes to the suggested file and leaves the existing chart as it was', () => {
    withFolder((dir) => {
      const csv = join(dir, 'readings.csv');
      writeFileSync(join(dir, 'readings.clusters.png'), 'earlier chart');
      const target = suggestedChartPath(csv);
      writeFileAtomic(target, pngBytes(DATA_URL));
      assert.deepEqual(readFileSync(target), PNG);
      assert.equal(readFileSync(join(dir, 'readings.clusters.png'), 'utf8'), 'earlier chart');
      assert.deepEqual(readdirSync(dir).sort(), ['readings.clusters (2).png', 'readings.clusters.png'], 'no temporary file is left');
    });
  });

  it('replaces a file the user picked with the whole new image', () => {
    withFolder((dir) => {
      const picked = join(dir, 'chart.png');
      writeFileSync(picked, Buffer.alloc(100_000, 7));
      // The save dialog asked before the user picked it: the controller writes with replace.
      writeFileAtomic(picked, pngBytes(DATA_URL), { replace: true });
      assert.deepEqual(readFileSync(picked), PNG);
      assert.deepEqual(readdirSync(dir), ['chart.png']);
    });
  });

  it('refuses a payload that is not a PNG, before anything is written', () => {
    const notPng = `data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}`;
    assert.throws(() => pngBytes(notPng), /^Error: the chart could not be encoded as a PNG image; try Save PNG again$/);
    withFolder((dir) => {
      assert.throws(() => writeFileAtomic(join(dir, 'chart.png'), pngBytes(notPng)));
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});
