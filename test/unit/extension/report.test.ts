/** Rebuilding the FitReport from the typed arrays of a job, and the status bar text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mappingOf, statusText, toFitReport } from '../../../src/extension/report';
import type { JobOutput } from '../../../src/protocol/messages';

function output(silhouette: number | null): JobOutput {
  return {
    report: {
      clusterCenters: [[0], [1]], inertia: 1, nIter: 2, warnings: [], featureNames: ['x'], counts: [1, 1], inertiaSpace: '',
      metrics: { silhouette, daviesBouldin: null, calinskiHarabasz: null,
        mapping: { clusterToLabel: { 0: 'a', 1: 7 }, accuracy: 1, unmatchedClusters: [], unmatchedLabels: [] } },
      options: { k: 2, seed: 0, metric: 'euclidean', scale: 'none', missing: 'drop', algorithm: 'lloyd', maxIter: 300, tol: 1e-4, nInit: 1, init: 'k-means++', label: null },
      nDataRows: 3, droppedRows: [1],
    },
    labels: Int32Array.from([0, -1, 1]),
    distances: Float64Array.from([0.5, NaN, 0]),
  } as unknown as JobOutput;
}

describe('toFitReport', () => {
  it('turns -1 labels and NaN distances back into null, as the pipeline reports them', () => {
    const r = toFitReport(output(0.5));
    assert.deepEqual(r.labels, [0, null, 1]);
    assert.deepEqual(r.distances, [0.5, null, 0]);
    assert.equal(r.inertia, 1);
    assert.deepEqual(r.droppedRows, [1]);
  });

  it('gives the mapping as strings and the status text', () => {
    assert.deepEqual(mappingOf(output(0.5)), { 0: 'a', 1: '7' });
    assert.equal(statusText(output(0.5512)), 'k=2 · silhouette 0.55');
    assert.equal(statusText(output(null)), 'k=2 · silhouette n/a');
  });
});
