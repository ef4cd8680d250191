/** The metrics table rows: names in words, stable keys, exact values, notes for undefined ones. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mappedAccuracyNote, metricRows } from '../../../src/protocol/view';

describe('metricRows', () => {
  it('lists the internal metrics in words with their exact values', () => {
    const rows = metricRows(78.85, { silhouette: 0.55, daviesBouldin: 0.66, calinskiHarabasz: 561.6 });
    assert.deepEqual(rows.map((r) => r.key), ['inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz']);
    assert.deepEqual(rows.map((r) => r.value), [78.85, 0.55, 0.66, 561.6]);
    assert.equal(rows[1].name, 'Silhouette (−1 to 1, higher is better)');
    for (const r of rows) {
      assert.ok(r.name.length > 12 && /\(/.test(r.name), `${r.key} is named in words with its range`);
      assert.ok(!('note' in r), `${r.key} has no note`);
    }
  });

  it('says why a metric is undefined and when the silhouette was sampled', () => {
    const undefinedRows = metricRows(0, { silhouette: null, daviesBouldin: null, calinskiHarabasz: null });
    assert.equal(undefinedRows[1].value, null);
    assert.match(undefinedRows[1].note ?? '', /undefined/);
    const sampled = metricRows(1, { silhouette: 0.3, silhouetteSampleSize: 20000, daviesBouldin: 1, calinskiHarabasz: 2 });
    assert.equal(sampled[1].note, 'on a sample of 20000 rows');
  });

  it('adds the external metrics and the mapped accuracy when a label column was used', () => {
    const rows = metricRows(1, {
      silhouette: 0.5, daviesBouldin: 0.7, calinskiHarabasz: 500,
      adjustedRand: 0.73, adjustedMutualInfo: 0.75, normalizedMutualInfo: 0.76, homogeneity: 0.75, completeness: 0.76,
      vMeasure: 0.76, fowlkesMallows: 0.82,
      mapping: { clusterToLabel: { 0: 'setosa' }, accuracy: 0.89, unmatchedClusters: [], unmatchedLabels: [] },
    });
    assert.deepEqual(rows.map((r) => r.key).slice(4), [
      'adjustedRand', 'adjustedMutualInfo', 'normalizedMutualInfo', 'homogeneity', 'completeness', 'vMeasure', 'fowlkesMallows', 'mappedAccuracy',
    ]);
    assert.equal(rows.find((r) => r.key === 'adjustedRand')?.value, 0.73);
    assert.equal(rows.find((r) => r.key === 'mappedAccuracy')?.value, 0.89);
  });

  it('says what the one-to-one accuracy means when k differs from the number of classes, case by case', () => {
    const note = (unmatchedClusters: number[], unmatchedLabels: string[]): string | undefined => metricRows(1, {
      silhouette: 0.5, daviesBouldin: 0.7, calinskiHarabasz: 500,
      mapping: { clusterToLabel: { 0: 'a' }, accuracy: 0.5, unmatchedClusters, unmatchedLabels },
    }).find((r) => r.key === 'mappedAccuracy')?.note;
    assert.equal(note([3], []), 'pessimistic: 1 cluster has no class of its own, so its rows count as errors');
    assert.equal(note([3, 4], []), 'pessimistic: 2 clusters have no class of their own, so their rows count as errors');
    assert.equal(note([], ['b']), '1 class gets no cluster, so its rows count as errors');
    assert.equal(note([], ['b', 'c']), '2 classes get no cluster, so their rows count as errors');
    assert.doesNotMatch(note([], []) ?? '', /flattering/);
    assert.equal(mappedAccuracyNote({ unmatchedClusters: [], unmatchedLabels: [] }), note([], []));
  });
});
