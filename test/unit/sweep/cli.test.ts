/**
 * The CLI contract of `centroid sweep` and `centroid dbscan --k-distance`: the JSON keys the
 * contract names, the same numbers as the pipeline, crossed grids, and one-line errors.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';
import { sweepTable } from '../../../src/pipeline/sweep';
import { kDistanceTable } from '../../../src/pipeline/kdistance';
import { hdbscanTable } from '../../../src/pipeline/hdbscan';
import { parseCsv } from '../../../src/csv/read';
import { DEFAULT_SETTINGS } from '../../../src/protocol/messages';
import { blobsCsv, FIXTURES, fixtureTable } from './helpers';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

function json(args: string[]): Record<string, unknown> {
  const r = run([...args, '--json']);
  assert.equal(r.code, 0, `centroid ${args.join(' ')} failed: ${r.err}`);
  return JSON.parse(r.out) as Record<string, unknown>;
}

const IRIS = join(FIXTURES, 'iris.csv');
/** What the CLI adds when no flag says otherwise: the first click's column roles, scaling and starts. */
const CLI_DEFAULTS = { roles: 'auto', scale: DEFAULT_SETTINGS.scale, nInit: DEFAULT_SETTINGS.nInit } as const;
let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'centroid-sweep-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

describe('centroid sweep', () => {
  it('keeps the contract keys and gives the pipeline\'s numbers', () => {
    const out = json(['sweep', IRIS, '--k', '2..5', '--label', 'species']);
    for (const key of ['results', 'suggestedK', 'why', 'elbowK', 'settings', 'grid']) assert.ok(key in out, `key ${key}`);
    const results = out.results as Record<string, unknown>[];
    assert.equal(results.length, 4);
    for (const r of results) {
      for (const key of ['k', 'inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz', 'stability']) assert.ok(key in r, `results[].${key}`);
    }
    const expected = sweepTable(fixtureTable('iris'), 2, 5, { ...CLI_DEFAULTS, label: 'species' });
    assert.deepEqual(out, JSON.parse(JSON.stringify(expected)));
    assert.equal(typeof out.why, 'string');
  });

  it('crosses k with --init and --metric lists and measures stability with --n-seeds', () => {
    const out = json(['sweep', IRIS, '--k', '2..4', '--label', 'species', '--init', 'k-means++,random', '--metric', 'euclidean,cosine', '--n-seeds', '3', '--seed', '5']);
    const results = out.results as { k: number; init: string; metric: string; stability: number; seedInertias: number[] }[];
    assert.equal(results.length, 3 * 2 * 2);
    assert.deepEqual(out.grid, { kMin: 2, kMax: 4, inits: ['k-means++', 'random'], metrics: ['euclidean', 'cosine'], seeds: [5, 6, 7] });
    assert.equal((out.settings as unknown[]).length, 4);
    for (const r of results) {
      assert.ok(r.stability >= -0.5 && r.stability <= 1, `stability ${r.stability}`);
      assert.equal(r.seedInertias.length, 3);
    }
    const expected = sweepTable(fixtureTable('iris'), 2, 4, {
      ...CLI_DEFAULTS, label: 'species', inits: ['k-means++', 'random'], metrics: ['euclidean', 'cosine'], nSeeds: 3, seed: 5,
    });
    assert.deepEqual(out, JSON.parse(JSON.stringify(expected)));
  });

  it('suggests the known k of a seeded blob file, in text too', () => {
    const file = join(dir, 'blobs.csv');
    writeFileSync(file, blobsCsv(8, 4, 50, 2, 25));
    const out = json(['sweep', file, '--k', '2..8', '--label', 'blob', '--n-seeds', '2']);
    assert.equal(out.suggestedK, 4);
    const text = run(['sweep', file, '--k', '2..8', '--label', 'blob', '--n-seeds', '2']);
    assert.equal(text.code, 0);
    const lines = text.out.trim().split('\n');
    assert.equal(lines[0], 'k\tinertia\tsilhouette\tdavies-bouldin\tcalinski-harabasz\tstability');
    assert.equal(lines.length, 1 + 7 + 1);
    assert.match(lines[lines.length - 1], /^suggested k: 4 \(silhouette peaks at k=4 .*runs are stable, ARI 1\.00\)$/);
  });

  it('one-line errors with exit code 2', () => {
    const centres = join(dir, 'centres.csv');
    writeFileSync(centres, 'sepal_length,sepal_width,petal_length,petal_width\n5,3,1,0\n6,3,4,1\n');
    for (const [args, pattern] of [
      [['--k', '5..2'], /5\.\.2 should have 1 <= from <= to/],
      [['--k', '2..4', '--init', centres], /--init should be one of k-means\+\+, random/],
      [['--k', '2..4', '--n-seeds', '0'], /--n-seeds should be a whole number from 1 to 100, not "0"/],
      [['--k', '2..4', '--metric', 'euclidean,manhattan'], /--metric should be one of euclidean, cosine, not "manhattan"/],
      [['--k', '2..200'], /the range of k 2\.\.200 goes above the 150 rows of the file; choose k of at most 150/],
    ] as [string[], RegExp][]) {
      const r = run(['sweep', IRIS, ...args, '--label', 'species', '--json']);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '');
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});

describe('centroid dbscan --k-distance', () => {
  it('{distances (sorted), suggestedEps, sampled} as the pipeline computes them', () => {
    const out = json(['dbscan', IRIS, '--k-distance', '--min-samples', '4', '--label', 'species']);
    const distances = out.distances as number[];
    assert.equal(distances.length, 150);
    for (let i = 1; i < distances.length; i++) assert.ok(distances[i] >= distances[i - 1]);
    assert.equal(out.sampled, false);
    assert.equal(typeof out.suggestedEps, 'number');
    assert.deepEqual(out, JSON.parse(JSON.stringify(kDistanceTable(fixtureTable('iris'), { minSamples: 4, label: 'species' }))));
  });

  it('defaults to minSamples 5, samples big files, and refuses --eps', () => {
    assert.equal(json(['dbscan', IRIS, '--k-distance', '--label', 'species']).minSamples, 5);
    const file = join(dir, 'big.csv');
    writeFileSync(file, blobsCsv(2, 3, 800, 2, 10));
    const big = json(['dbscan', file, '--k-distance', '--label', 'blob', '--seed', '3']);
    assert.equal(big.sampled, true);
    assert.equal((big.distances as number[]).length, 2000);
    const r = run(['dbscan', IRIS, '--k-distance', '--eps', '0.5']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--k-distance suggests an eps: leave out --eps/);
    const text = run(['dbscan', IRIS, '--k-distance', '--label', 'species']);
    assert.match(text.out, /^suggested eps: [0-9.]+ \(the distance to each row's 5th nearest row/);
  });
});

describe('centroid dbscan --hdbscan', () => {
  it('gives the pipeline\'s report, and refuses --eps', () => {
    const file = join(dir, 'three.csv');
    writeFileSync(file, blobsCsv(6, 3, 40, 2, 30));
    const out = json(['dbscan', file, '--hdbscan', '--min-cluster-size', '10', '--label', 'blob']);
    for (const key of ['labels', 'probabilities', 'nClusters', 'nNoise', 'stability']) assert.ok(key in out, key);
    assert.equal(out.nClusters, 3);
    const expected = hdbscanTable(parseCsv(blobsCsv(6, 3, 40, 2, 30), { header: 'auto' }), { minClusterSize: 10, label: 'blob' });
    assert.deepEqual(out, JSON.parse(JSON.stringify(expected)));
    const r = run(['dbscan', file, '--hdbscan', '--eps', '1']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--hdbscan needs no --eps/);
    const text = run(['dbscan', file, '--hdbscan', '--min-cluster-size', '10', '--label', 'blob']);
    assert.equal(text.out.trim(), 'HDBSCAN (minClusterSize=10, minSamples=10): 3 clusters, ' + `${out.nNoise} noise rows`);
  });
});
