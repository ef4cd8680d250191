/**
 * The cluster view and per-row results of a DBSCAN or HDBSCAN run, as the worker builds them:
 * the points of each colour are the engine's labels of their rows (noise as -1, its own
 * group), every cluster and the noise keep points in a small sample, HDBSCAN's membership
 * strengths travel with the rows and the points, and the silhouette leaves the noise out as
 * scikit-learn users compute it. Only the Density view's summary goes to the webview.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { takeRows } from '../../../src/engine/matrix';
import { silhouetteScore } from '../../../src/engine/metrics/internal';
import { dbscanTable } from '../../../src/pipeline/density';
import { prepareFeatures } from '../../../src/pipeline/features';
import { hdbscanTable } from '../../../src/pipeline/hdbscan';
import { DEFAULT_SETTINGS, type WorkerToHost } from '../../../src/protocol/messages';
import {
  densitySummary, densityTransferables, DROPPED_LABEL, NOISE_LABEL, type ClustersOutput, type DensityRequest, type JobDensity,
} from '../../../src/protocol/density';
import { runDensityJob } from '../../../src/worker/densityJob';
import { blobsCsv } from '../sweep/helpers';

let dir: string;
let file: string;
let text: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'centroid-density-view-'));
  file = join(dir, 'blobs.csv');
  // Three blobs of 60 rows, four far-away rows (noise) and one row with a missing value (dropped).
  text = blobsCsv(21, 3, 60, 2, 25) + '90,-70,0\n-60,95,1\n120,120,2\n-100,-100,0\n,3,1\n';
  writeFileSync(file, text);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const BASE = { label: 'blob', roles: 'auto' as const, metric: 'euclidean' as const, scale: 'auto' as const, missing: 'drop' as const };

function run(request: DensityRequest, maxPoints = 5000): ClustersOutput {
  const job: JobDensity = {
    type: 'job/density', id: 1, file, request, maxBytes: 1e9, maxPoints, cancelFlag: new SharedArrayBuffer(4),
    settings: { ...DEFAULT_SETTINGS, label: { mode: 'column', name: 'blob' } },
  };
  return runDensityJob(job, (_m: WorkerToHost) => undefined) as ClustersOutput;
}

/** Points per label (-1 = noise) in the plot. */
function pointCounts(out: ClustersOutput): Map<number, number> {
  const m = new Map<number, number>();
  for (const l of out.view.plot.labels) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

describe('the worker\'s view of a density result', () => {
  it('DBSCAN: the points of each colour are the engine\'s labels, noise is its own group, dropped rows are marked', () => {
    const table = parseCsv(text, { header: 'auto' });
    const engine = dbscanTable(table, { ...BASE, eps: 1, minSamples: 5 });
    const out = run({ mode: 'dbscan', eps: 1, minSamples: 5 });
    assert.equal(engine.nClusters, 3);
    assert.ok(engine.nNoise >= 4, `${engine.nNoise} noise rows`);
    // Per data row: the engine's labels, noise as -1, the dropped row as DROPPED_LABEL.
    assert.equal(out.labels.length, engine.labels.length);
    engine.labels.forEach((l, i) => assert.equal(out.labels[i], l === null ? DROPPED_LABEL : l, `row ${i}`));
    assert.equal(out.labels[engine.labels.length - 1], DROPPED_LABEL);
    assert.equal(out.probabilities, null);
    // Under maxPoints every clustered row is drawn, each in its own cluster's colour.
    const plot = out.view.plot;
    assert.equal(plot.rows.length, engine.labels.length - 1);
    const counts = pointCounts(out);
    for (let j = 0; j < engine.nClusters; j++) assert.equal(counts.get(j), engine.labels.filter((l) => l === j).length, `cluster ${j}`);
    assert.equal(counts.get(NOISE_LABEL), engine.nNoise, 'the noise points');
    for (let p = 0; p < plot.rows.length; p++) assert.equal(plot.labels[p], engine.labels[plot.rows[p]]);
    assert.equal(plot.centers.length, 0, 'DBSCAN has no centres to draw');
    assert.equal(plot.explained !== null && plot.explained > 0.99, true, 'two features: the two components explain all');
    assert.deepEqual(out.view.counts, out.counts);
    assert.deepEqual(out.view.density, { method: 'dbscan', eps: 1, minSamples: 5, minClusterSize: null, nClusters: 3, nNoise: engine.nNoise });
    assert.equal(out.view.nDropped, 1);
    assert.match(out.view.summary, new RegExp(`^DBSCAN \\(eps = 1, min_samples = 5\\), 3 clusters, ${engine.nNoise} noise rows, 2 features, 184 rows`));
  });

  it('a sample smaller than the file keeps every cluster and the noise, each point with its row\'s label', () => {
    const table = parseCsv(text, { header: 'auto' });
    const engine = dbscanTable(table, { ...BASE, eps: 1, minSamples: 5 });
    const out = run({ mode: 'dbscan', eps: 1, minSamples: 5 }, 100);
    const plot = out.view.plot;
    assert.equal(plot.rows.length, 100);
    assert.equal(plot.total, 184);
    const counts = pointCounts(out);
    assert.equal(counts.get(NOISE_LABEL), engine.nNoise, 'small groups (the noise) are kept whole');
    for (let j = 0; j < 3; j++) assert.ok((counts.get(j) ?? 0) >= 20, `cluster ${j} keeps ${counts.get(j)} points`);
    for (let p = 0; p < plot.rows.length; p++) assert.equal(plot.labels[p], engine.labels[plot.rows[p]]);
  });

  it('HDBSCAN: membership strengths per row and per point are the engine\'s, 0 for noise', () => {
    const table = parseCsv(text, { header: 'auto' });
    const engine = hdbscanTable(table, { ...BASE, minClusterSize: 10, minSamples: 5 });
    const out = run({ mode: 'hdbscan', minClusterSize: 10, minSamples: 5 });
    assert.ok(out.probabilities);
    engine.probabilities.forEach((p, i) => {
      if (p === null) assert.ok(Number.isNaN(out.probabilities?.[i]), `dropped row ${i}`);
      else assert.equal(out.probabilities?.[i], p, `row ${i}`);
    });
    const plot = out.view.plot;
    assert.ok(plot.probabilities);
    let below = 0;
    for (let p = 0; p < plot.rows.length; p++) {
      const want = engine.probabilities[plot.rows[p]] as number;
      assert.equal(plot.probabilities[p], Math.fround(want));
      assert.equal(plot.labels[p], engine.labels[plot.rows[p]]);
      if (plot.labels[p] === NOISE_LABEL) assert.equal(plot.probabilities[p], 0);
      else if (want < 1) below++;
    }
    assert.ok(below > 0, 'some clustered rows are at their cluster\'s edge (p < 1)');
    assert.equal(out.view.density?.method, 'hdbscan');
    assert.equal(out.view.density?.minClusterSize, 10);
    assert.equal(pointCounts(out).get(NOISE_LABEL) ?? 0, engine.nNoise);
  });

  it('the silhouette is computed on the non-noise rows, and says so', () => {
    const table = parseCsv(text, { header: 'auto' });
    const out = run({ mode: 'dbscan', eps: 1, minSamples: 5 });
    const { X, dataset } = prepareFeatures(table, BASE);
    const keep: number[] = [];
    for (let i = 0; i < X.nRows; i++) if (out.labels[dataset.rowIndex[i]] >= 0) keep.push(i);
    const labels = Int32Array.from(keep, (i) => out.labels[dataset.rowIndex[i]]);
    const want = silhouetteScore(takeRows(X, keep), labels).value;
    const row = out.view.metrics.find((m) => m.key === 'silhouette');
    assert.equal(row?.value, want);
    assert.match(row?.note ?? '', /noise left out \(as silhouette_score\(X\[labels != -1\], labels\[labels != -1\]\)\)/);
    assert.equal(out.view.metrics.find((m) => m.key === 'inertia'), undefined, 'no inertia without centres');
    assert.equal(out.view.metrics.find((m) => m.key === 'noiseShare')?.value, out.nNoise / 184);
  });

  it('the webview gets the summary only; the per-row arrays are transferred to the host', () => {
    const out = run({ mode: 'hdbscan', minClusterSize: 10, minSamples: 5 });
    const summary = densitySummary(out);
    assert.deepEqual(Object.keys(summary).sort(), ['counts', 'eps', 'minClusterSize', 'minSamples', 'mode', 'nClusters', 'nNoise', 'nRows', 'warnings']);
    const buffers = densityTransferables(out);
    assert.ok(buffers.includes(out.labels.buffer as ArrayBuffer));
    assert.ok(buffers.includes(out.probabilities?.buffer as ArrayBuffer));
    assert.ok(buffers.includes(out.view.plot.points.buffer as ArrayBuffer));
  });
});
