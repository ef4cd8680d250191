/**
 * `centroid fit FILE --init CENTRES.csv --k N` starts from known centres as the extension's
 * Start from Known Centres does: the same pipeline path (FitOptions.known), centres beyond the
 * file's rows placed by k-means++, and a clear error when k is below the number of rows.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';
import { parseCsv } from '../../../src/csv/read';
import { readKnownCentres } from '../../../src/pipeline/knownCentres';
import { runFit } from '../../../src/pipeline/fit';
import { Rng } from '../../../src/engine/rng';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

/** Four blobs of 25 rows around (0,0), (10,0), (0,10), (10,10). */
function blobs(): string {
  const rng = new Rng(7);
  const centres = [[0, 0], [10, 0], [0, 10], [10, 10]];
  const lines = ['x,y'];
  for (let i = 0; i < 100; i++) {
    const [cx, cy] = centres[i % 4];
    lines.push(`${(cx + rng.random() - 0.5).toFixed(4)},${(cy + rng.random() - 0.5).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

// Three of the four centres, one with a coordinate left to the data.
const CENTRES = 'x,y\n0,0\n10,\n0,10\n';

let dir: string;
let data: string;
let centres: string;
let text: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'centroid-known-cli-'));
  text = blobs();
  data = join(dir, 'blobs.csv');
  writeFileSync(data, text);
  centres = join(dir, 'centres.csv');
  writeFileSync(centres, CENTRES);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('centroid fit --init CENTRES.csv', () => {
  it('places the centres beyond the file\'s rows by k-means++, as the extension does', () => {
    const r = run(['fit', data, '--init', centres, '--k', '4', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { options: { k: number }; counts: number[]; clusterCenters: number[][]; inertia: number; labels: number[] };
    assert.equal(json.options.k, 4);
    assert.deepEqual(json.counts, [25, 25, 25, 25]);
    // Centre row j becomes cluster j; the fourth is the blob no row gave.
    const near = (c: number[], x: number, y: number): boolean => Math.hypot(c[0] - x, c[1] - y) < 0.5;
    assert.ok(near(json.clusterCenters[0], 0, 0) && near(json.clusterCenters[1], 10, 0) && near(json.clusterCenters[2], 0, 10), JSON.stringify(json.clusterCenters));
    assert.ok(near(json.clusterCenters[3], 10, 10), JSON.stringify(json.clusterCenters[3]));

    const known = { ...readKnownCentres(CENTRES, centres), dataName: data };
    const expected = runFit(parseCsv(text, { header: 'auto' }), { k: 4, known });
    assert.equal(json.inertia, expected.inertia);
    assert.deepEqual(json.labels, expected.labels);
  });

  it('uses the number of centre rows when --k is left out', () => {
    const r = run(['fit', data, '--init', centres, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as { options: { k: number } }).options.k, 3);
  });

  it('refuses a --k below the number of centre rows, naming both', () => {
    const r = run(['fit', data, '--init', centres, '--k', '2']);
    assert.equal(r.code, 2);
    assert.equal(r.err, `centroid: ${data}: ${centres} has 3 centre rows, more than k=2: raise k to at least 3 or remove rows`);
  });

  it('with --columns, lines the centres up by name', () => {
    const swapped = join(dir, 'swapped.csv');
    writeFileSync(swapped, 'y,x\n0,0\n,10\n10,0\n');
    const a = run(['fit', data, '--init', swapped, '--k', '4', '--columns', 'x,y', '--json']);
    const b = run(['fit', data, '--init', centres, '--k', '4', '--json']);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    assert.deepEqual(JSON.parse(a.out).labels, JSON.parse(b.out).labels);
  });

});
