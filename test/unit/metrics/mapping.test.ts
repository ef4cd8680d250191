import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapClustersToLabels } from '../../../src/engine/metrics/mapping';
import { readJson, type DatasetJson, type ExternalCase } from './helpers';

function cases(): ExternalCase[] {
  return [
    ...(readJson<DatasetJson>('animals.json').external_metrics ?? []),
    ...readJson<{ cases: ExternalCase[] }>('label_pairs.json').cases,
    ...(readJson<DatasetJson>('iris.json').external_metrics ?? []),
  ];
}

describe('mapClustersToLabels against the fixtures\' Hungarian results', () => {
  for (const c of cases()) {
    it(c.id, () => {
      const m = mapClustersToLabels(c.labels_true, c.labels_pred);
      const h = c.hungarian;
      assert.equal(m.accuracy, h.accuracy_after_mapping);
      assert.deepEqual(m.contingency.matrix, c.contingency.matrix);
      const nClusters = c.contingency.col_labels_pred.length;
      const nClasses = c.contingency.row_labels_true.length;
      if (h.optimum_is_unique) {
        assert.deepEqual(m.clusterToLabel, h.mapping_pred_to_true);
        assert.deepEqual(m.unmatchedClusters, h.unmatched_pred_labels);
      } else {
        assert.equal(Object.keys(m.clusterToLabel).length, Math.min(nClusters, nClasses));
        assert.equal(m.unmatchedClusters.length, Math.max(0, nClusters - nClasses));
      }
      assert.equal(m.unmatchedLabels.length, Math.max(0, nClasses - nClusters));
      assert.equal(m.warnings.length > 0, nClusters !== nClasses, 'a warning exactly when the counts differ');
    });
  }

  it('names the unmatched side in the warning', () => {
    const k5 = (readJson<DatasetJson>('animals.json').external_metrics ?? []).find((c) => c.id === 'animal_vs_animals_k5');
    assert.ok(k5);
    const m = mapClustersToLabels(k5.labels_true, k5.labels_pred);
    assert.deepEqual(m.unmatchedClusters, k5.hungarian.unmatched_pred_labels);
    assert.match(m.warnings[0], /there are 5 clusters but 4 classes: cluster 4 has no class of its own, so its rows count/);
    const k3 = (readJson<DatasetJson>('animals.json').external_metrics ?? []).find((c) => c.id === 'animal_vs_animals_k3');
    assert.ok(k3);
    const m3 = mapClustersToLabels(k3.labels_true, k3.labels_pred);
    // Hungarian on the k3 contingency leaves DOG unmatched (fixture: row_ind [0, 1, 2]).
    assert.deepEqual(m3.unmatchedLabels, ['DOG']);
    assert.match(m3.warnings[0], /: class "DOG" gets no cluster, so its rows count/);
  });

  it('lists several unmatched clusters or classes with "and", in the plural', () => {
    // 4 clusters, 2 classes: clusters 2 and 3 are left over; 1 cluster, 3 classes: two classes are.
    const more = mapClustersToLabels(['a', 'a', 'b', 'b', 'a', 'b'], [0, 0, 1, 1, 2, 3]);
    assert.deepEqual(more.unmatchedClusters, [2, 3]);
    assert.match(more.warnings[0], /: clusters 2 and 3 have no class of their own, so their rows count/);
    const fewer = mapClustersToLabels(['a', 'b', 'c'], [0, 0, 0]);
    assert.match(fewer.warnings[0], /: classes "[abc]" and "[abc]" get no cluster, so their rows count/);
  });
});

describe('many-to-one mapping', () => {
  it('maps each cluster to its majority class and warns that this flatters accuracy', () => {
    // Hand example: cluster 0 = {A, A, B}, cluster 1 = {A, A}, cluster 2 = {C}.
    // Majorities: 0 -> A, 1 -> A, 2 -> C; correct = 2 + 2 + 1 = 5 of 6. B gets no cluster.
    const m = mapClustersToLabels(['A', 'A', 'B', 'A', 'A', 'C'], [0, 0, 0, 1, 1, 2], { manyToOne: true });
    assert.deepEqual(m.clusterToLabel, { 0: 'A', 1: 'A', 2: 'C' });
    assert.equal(m.accuracy, 5 / 6);
    assert.deepEqual(m.unmatchedLabels, ['B']);
    assert.deepEqual(m.unmatchedClusters, []);
    assert.match(m.warnings[0], /flatters the accuracy/);
    // One-to-one on the same data: 0 -> B (1), 1 -> A (2), 2 -> C (1) matches 4 rows; giving A to
    // cluster 0 instead leaves cluster 1 with B (0 rows): 2 + 0 + 1 = 3. The optimum is 4 of 6.
    assert.equal(mapClustersToLabels(['A', 'A', 'B', 'A', 'A', 'C'], [0, 0, 0, 1, 1, 2]).accuracy, 4 / 6);
  });
});
