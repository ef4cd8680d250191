/**
 * `centroid fit FILE --minibatch`: the two-pass streaming fit against the engine's
 * partialFitStep run by hand over the same consecutive batches (after k-means++ on the first
 * 3 x batchSize rows), labels and inertia against brute force, independence from the chunk
 * size, skipped rows, the labels file and the refused options.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';
import { fitMiniBatchFile } from '../../../src/node/minibatchFile';
import { kmeansPlusPlus } from '../../../src/engine/init';
import { partialFitStep } from '../../../src/engine/minibatch';
import { Rng } from '../../../src/engine/rng';

function data(seed: number, n: number): { text: string; rows: number[][] } {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const lines = ['a,b,c,tag'];
  for (let i = 0; i < n; i++) {
    const b = Math.floor(rng.random() * 4);
    const row = [b * 5 + rng.random() * 3, -b * 2 + rng.random(), rng.random() * 4].map((x) => Math.round(x * 1e4) / 1e4);
    // Every 97th row misses a value: it is skipped.
    const cells = row.map(String);
    if (i % 97 === 5) cells[1] = 'NA';
    else rows.push(row);
    lines.push(`${cells.join(',')},${b}`);
  }
  return { text: `${lines.join('\n')}\n`, rows };
}

describe('fit --minibatch', () => {
  it('matches partialFitStep over the same batches, and brute-force labels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-mb-'));
    try {
      const { text, rows } = data(3, 5000);
      const file = join(dir, 'x.csv');
      writeFileSync(file, text);
      const batchSize = 256;
      const k = 4;
      const report = fitMiniBatchFile(file, { k, batchSize, seed: 5, columns: ['a', 'b', 'c'], chunkBytes: 3000 });

      // By hand: seed on the first 3 x batchSize usable rows, then consecutive batches.
      const flat = (rs: number[][]): Float64Array => Float64Array.from(rs.flat());
      const initRows = rows.slice(0, 3 * batchSize);
      const centers = kmeansPlusPlus({ data: flat(initRows), nRows: initRows.length, nCols: 3 }, k, new Rng(5));
      const state = { centers, counts: new Float64Array(k) };
      let steps = 0;
      for (let at = 0; at < rows.length; at += batchSize) {
        const batch = rows.slice(at, at + batchSize);
        partialFitStep(state, { data: flat(batch), nRows: batch.length, nCols: 3 });
        steps++;
      }
      assert.equal(report.nSteps, steps);
      for (let j = 0; j < k; j++) assert.deepEqual(report.clusterCenters[j], Array.from(centers.data.subarray(j * 3, j * 3 + 3)));

      let inertia = 0;
      const counts = new Array(k).fill(0);
      for (const r of rows) {
        let best = 0;
        let bestSq = Infinity;
        report.clusterCenters.forEach((c, j) => {
          const s = (r[0] - c[0]) ** 2 + (r[1] - c[1]) ** 2 + (r[2] - c[2]) ** 2;
          if (s < bestSq) { bestSq = s; best = j; }
        });
        inertia += bestSq;
        counts[best]++;
      }
      assert.deepEqual(report.counts, counts);
      assert.ok(Math.abs(report.inertia - inertia) <= 1e-9 * inertia, `${report.inertia} vs ${inertia}`);
      assert.equal(report.nDataRows, 5000);
      assert.equal(report.nSkipped, 5000 - rows.length);

      // The chunk size changes nothing; the default features leave out nothing numeric.
      const big = fitMiniBatchFile(file, { k, batchSize, seed: 5, columns: ['a', 'b', 'c'] });
      assert.deepEqual(big, report);
      const byDefault = fitMiniBatchFile(file, { k, batchSize, seed: 5, label: 'tag' });
      assert.deepEqual(byDefault.featureNames, ['a', 'b', 'c']);
      assert.deepEqual(byDefault.clusterCenters, report.clusterCenters);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('through the CLI: JSON, progress on stderr, a labels file, refused options', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-mb-'));
    try {
      const { text } = data(4, 3000);
      const file = join(dir, 'x.csv');
      writeFileSync(file, text);
      const out = join(dir, 'labels.csv');
      let stdout = '';
      let stderr = '';
      const io = { stdout: (t: string) => { stdout += t; }, stderr: (t: string) => { stderr += t; } };
      const code = main(['fit', file, '--k', '3', '--minibatch', '--batch-size', '500', '--label', 'tag', '--out', out, '--json'], io);
      assert.equal(code, 0, stderr);
      const json = JSON.parse(stdout) as { counts: number[]; nDataRows: number; nSkipped: number };
      assert.match(stderr, /pass 1 of 2 \(fit\)/);
      assert.match(stderr, /pass 2 of 2 \(label\)/);
      const labels = readFileSync(out, 'utf8').split('\n');
      assert.equal(labels[0], 'cluster');
      assert.equal(labels.length, 1 + json.nDataRows + 1, 'a header, one line per data row, a final newline');
      const counts = [0, 0, 0];
      let blank = 0;
      for (const l of labels.slice(1, -1)) {
        if (l === '') blank++;
        else counts[Number(l)]++;
      }
      assert.deepEqual(counts, json.counts);
      assert.equal(blank, json.nSkipped);

      let err = '';
      const refused = main(['fit', file, '--k', '3', '--minibatch', '--scale', 'standard'], { stdout: () => {}, stderr: (t) => { err += t; } });
      assert.equal(refused, 2);
      assert.equal(err.trim(), `centroid: ${file}: --scale is not available with --minibatch (it fits the raw values, seeded by k-means++ on the first rows) (see centroid --help)`);
      err = '';
      assert.equal(main(['fit', file, '--k', '3', '--batch-size', '10'], { stdout: () => {}, stderr: (t) => { err += t; } }), 2);
      assert.match(err, /--batch-size goes with --minibatch/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
