/**
 * The worker's Density steps, run in-process: the k-distance curve, DBSCAN and HDBSCAN give
 * the numbers `centroid dbscan` prints for the same file and flags; the curve sent to the
 * panel keeps its ends and knee when decimated; bad requests are refused with the field named.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';
import { DEFAULT_SETTINGS, parseWebviewMessage, type RunSettings, type WorkerToHost } from '../../../src/protocol/messages';
import { MAX_CURVE_POINTS, parseDensityRequest, type ClustersOutput, type DensityRequest, type JobDensity, type KDistanceOutput } from '../../../src/protocol/density';
import { decimate, describeDensityFailure, runDensityJob } from '../../../src/worker/densityJob';
import { blobsCsv, FIXTURES } from '../sweep/helpers';

let dir: string;
let blobs: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'centroid-density-'));
  blobs = join(dir, 'blobs.csv');
  writeFileSync(blobs, blobsCsv(21, 3, 60, 2, 25));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function job(file: string, request: DensityRequest, settings: Partial<RunSettings> = {}): JobDensity {
  return {
    type: 'job/density', id: 3, file, request, maxBytes: 1e9, maxPoints: 5000, cancelFlag: new SharedArrayBuffer(4),
    settings: { ...DEFAULT_SETTINGS, label: { mode: 'column', name: 'blob' }, ...settings },
  };
}
const sink = (): ((m: WorkerToHost) => void) => () => undefined;

function cli(args: string[]): Record<string, unknown> {
  let out = '';
  let err = '';
  const code = main([...args, '--json'], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  assert.equal(code, 0, `centroid ${args.join(' ')} failed: ${err}`);
  return JSON.parse(out) as Record<string, unknown>;
}

function countsOf(labels: (number | null)[]): number[] {
  const counts: number[] = [];
  for (const l of labels) if (l !== null && l >= 0) counts[l] = (counts[l] ?? 0) + 1;
  return Array.from(counts, (c) => c ?? 0);
}

describe('the worker\'s Density steps', () => {
  it('the k-distance curve and its eps are those of centroid dbscan --k-distance', () => {
    const out = runDensityJob(job(blobs, { mode: 'kdistance', minSamples: 6 }, { scale: 'standard' }), sink()) as KDistanceOutput;
    const printed = cli(['dbscan', blobs, '--k-distance', '--min-samples', '6', '--label', 'blob', '--scale', 'standard']);
    assert.equal(out.suggestedEps, printed.suggestedEps);
    assert.equal(out.why, printed.why);
    assert.equal(out.kneeIndex, printed.kneeIndex);
    assert.deepEqual(out.y, printed.distances, 'under 2,000 rows the whole curve is sent');
    assert.deepEqual(out.x, (printed.distances as number[]).map((_, i) => i));
    assert.ok(out.suggestedEps !== null && out.suggestedEps > 0);
  });

  it('DBSCAN with the suggested eps finds the 3 blobs, as centroid dbscan does', () => {
    const curve = runDensityJob(job(blobs, { mode: 'kdistance', minSamples: 5 }), sink()) as KDistanceOutput;
    const eps = curve.suggestedEps as number;
    const out = runDensityJob(job(blobs, { mode: 'dbscan', eps, minSamples: 5 }), sink()) as ClustersOutput;
    const printed = cli(['dbscan', blobs, '--eps', String(eps), '--min-samples', '5', '--label', 'blob']);
    assert.equal(out.nClusters, printed.nClusters);
    assert.equal(out.nNoise, printed.nNoise);
    assert.deepEqual(out.counts, countsOf(printed.labels as (number | null)[]));
    assert.equal(out.nClusters, 3);
    assert.equal(out.nRows, 180);
    assert.equal(out.counts.reduce((a, b) => a + b, 0) + out.nNoise, out.nRows);
    assert.equal(out.eps, eps);
  });

  it('HDBSCAN gives centroid dbscan --hdbscan\'s clusters and noise', () => {
    const out = runDensityJob(job(blobs, { mode: 'hdbscan', minClusterSize: 10, minSamples: 5 }), sink()) as ClustersOutput;
    const printed = cli(['dbscan', blobs, '--hdbscan', '--min-cluster-size', '10', '--min-samples', '5', '--label', 'blob']);
    assert.equal(out.nClusters, printed.nClusters);
    assert.equal(out.nNoise, printed.nNoise);
    assert.deepEqual(out.counts, countsOf(printed.labels as (number | null)[]));
    assert.equal(out.minClusterSize, 10);
  });

  it('a file of distances is refused in one sentence', () => {
    const matrix = join(FIXTURES, 'distances_12.csv');
    assert.throws(() => runDensityJob(job(matrix, { mode: 'kdistance', minSamples: 3 }, { label: { mode: 'auto' } }), sink()), (e: Error) => {
      assert.equal(describeDensityFailure(3, matrix, e).error,
        'distances_12.csv is a file of distances (a square matrix), and the k-distance curve works on feature columns; use Cluster this CSV, which runs k-medoids on the distances');
      return true;
    });
  });

  it('a long curve is decimated to at most 2,000 points, keeping both ends and the knee', () => {
    const y = Array.from({ length: 10_007 }, (_, i) => i * i);
    const { x, y: ys } = decimate(y, 4321);
    assert.ok(x.length <= MAX_CURVE_POINTS + 1, `${x.length} points`);
    assert.equal(x[0], 0);
    assert.equal(x[x.length - 1], 10_006);
    assert.ok(x.includes(4321));
    x.forEach((i, t) => assert.equal(ys[t], i * i));
    for (let t = 1; t < x.length; t++) assert.ok(x[t] > x[t - 1]);
  });

  it('requests are checked, from the worker side and from the webview', () => {
    assert.deepEqual(parseDensityRequest({ mode: 'dbscan', eps: 0.5, minSamples: 4, extra: 1 }), { mode: 'dbscan', eps: 0.5, minSamples: 4 });
    assert.throws(() => parseDensityRequest({ mode: 'dbscan', eps: 0, minSamples: 4 }), /eps=0 should be a number > 0/);
    assert.throws(() => parseDensityRequest({ mode: 'dbscan', eps: Number.NaN, minSamples: 4 }), /eps=NaN should be a number > 0/);
    assert.throws(() => parseDensityRequest({ mode: 'hdbscan', minClusterSize: 1, minSamples: 4 }), /minClusterSize=1 should be a whole number from 2 to 10000/);
    assert.throws(() => parseDensityRequest({ mode: 'optics' }), /mode should be one of kdistance, dbscan, hdbscan/);
    assert.deepEqual(parseWebviewMessage({ type: 'webview/density', request: { mode: 'kdistance', minSamples: 5 } }),
      { type: 'webview/density', request: { mode: 'kdistance', minSamples: 5 } });
    assert.throws(() => parseWebviewMessage({ type: 'webview/density', request: { mode: 'kdistance', minSamples: 0 } }), /minSamples=0/);
    assert.deepEqual(parseWebviewMessage({ type: 'webview/densityCancel' }), { type: 'webview/densityCancel' });
  });
});
