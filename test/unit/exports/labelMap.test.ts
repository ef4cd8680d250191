/**
 * Map Clusters to Labels: the study on a hand-worked case (contingency over every cluster,
 * one-to-one and many-to-one mappings, accuracy), metrics equal to the engine's functions
 * called one by one, edited mappings checked (host side) and their messages guarded
 * (protocol side), and the label-column choices of the Quick Pick.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../../src/csv/read';
import {
  adjustedMutualInfoScore, adjustedRandScore, homogeneityCompletenessVMeasure, normalizedMutualInfoScore,
} from '../../../src/engine/metrics/external';
import { checkMapping, classCountNote, studyLabels, summarizeMapping } from '../../../src/pipeline/labelMap';
import { parseWebviewMessage, ProtocolError } from '../../../src/protocol/messages';
import { labelColumnChoices, labelMapView } from '../../../src/extension/labelMapView';

// Rows: classes and clusters. Cluster 2 exists (k = 4) but cluster 3 is empty; one row
// has no class, one row no cluster.
const CLASSES = ['CAT', 'CAT', 'CAT', 'DOG', 'DOG', 'BIRD', 'BIRD', 'BIRD', '', 'DOG'];
const CLUSTERS = [0, 0, 1, 1, 1, 2, 2, 0, 1, -1];

describe('studyLabels on a hand-worked case', () => {
  const study = studyLabels(CLASSES, CLUSTERS, 4, 'animal');

  it('counts rows per class and cluster over all k clusters, in sorted class order', () => {
    assert.deepEqual(study.classes, ['BIRD', 'CAT', 'DOG']);
    // BIRD: rows 5,6 in 2, row 7 in 0. CAT: rows 0,1 in 0, row 2 in 1. DOG: rows 3,4 in 1.
    assert.deepEqual(study.matrix, [[1, 0, 2, 0], [2, 1, 0, 0], [0, 2, 0, 0]]);
    assert.equal(study.nRows, 8);
    assert.equal(study.missingClass, 1);
  });

  it('maps one-to-one (cluster 3 unmatched) and many-to-one by majority', () => {
    // Best total: 0->CAT (2) + 1->DOG (2) + 2->BIRD (2) = 6 of 8.
    assert.deepEqual(study.oneToOne, ['CAT', 'DOG', 'BIRD', null]);
    const s = summarizeMapping(study, study.oneToOne);
    assert.equal(s.accuracy, 6 / 8);
    assert.deepEqual(s.unmatchedClusters, [3]);
    assert.deepEqual(s.unmatchedClasses, []);
    assert.equal(s.flattering, false);
    // Majority: cluster 3 has no rows; the engine's rule takes the first class.
    assert.deepEqual(study.manyToOne.slice(0, 3), ['CAT', 'DOG', 'BIRD']);
  });

  it('says what k against the number of classes means, and names empty clusters', () => {
    assert.ok(study.notes.some((n) => n.includes('4 clusters but only 3 classes') && n.includes('1 cluster unmatched')));
    assert.ok(study.notes.some((n) => n.includes('cluster 3 has no labelled rows')));
    assert.ok(study.notes.some((n) => n.includes('1 row has no value in "animal"')));
    assert.equal(classCountNote(3, 3), null);
    assert.match(classCountNote(2, 5) as string, /2 clusters but 5 classes: a one-to-one mapping leaves 3 classes without a cluster/);
  });

  it('gives the engine\'s metrics for the rows with both a class and a cluster', () => {
    const keep = CLASSES.map((c, i) => c !== '' && CLUSTERS[i] >= 0);
    const t = CLASSES.filter((_, i) => keep[i]);
    const p = CLUSTERS.filter((_, i) => keep[i]);
    const hcv = homogeneityCompletenessVMeasure(t, p);
    assert.equal(study.metrics.homogeneity, hcv.homogeneity);
    assert.equal(study.metrics.completeness, hcv.completeness);
    assert.equal(study.metrics.vMeasure, hcv.vMeasure);
    assert.equal(study.metrics.adjustedRand, adjustedRandScore(t, p));
    assert.equal(study.metrics.adjustedMutualInfo, adjustedMutualInfoScore(t, p));
    assert.equal(study.metrics.normalizedMutualInfo, normalizedMutualInfoScore(t, p));
  });

  it('scores an edited mapping and flags a shared class as flattering', () => {
    const edited = checkMapping(study, ['CAT', 'DOG', 'BIRD', 'CAT']);
    const s = summarizeMapping(study, edited);
    assert.equal(s.accuracy, 6 / 8);
    assert.equal(s.flattering, true);
    const worse = summarizeMapping(study, checkMapping(study, ['BIRD', null, null, null]));
    assert.equal(worse.accuracy, 1 / 8);
    assert.deepEqual(worse.unmatchedClasses, ['CAT', 'DOG']);
    const view = labelMapView(study, edited, 'edited');
    assert.match(view.caveat, /flatters it further/);
    assert.deepEqual(view.metrics.map((m) => m.key), ['homogeneity', 'completeness', 'vMeasure', 'adjustedRand', 'adjustedMutualInfo', 'normalizedMutualInfo']);
  });

  it('refuses edited mappings of the wrong length or with unknown classes', () => {
    assert.throws(() => checkMapping(study, ['CAT', 'DOG', 'BIRD']), /the mapping has 3 entries but there are 4 clusters/);
    assert.throws(() => checkMapping(study, ['CAT', 'DOG', 'BIRD', 'COW']), /cluster 3 is mapped to "COW", which is not a class of "animal"/);
  });

  it('refuses a column with no usable rows and mismatched lengths', () => {
    assert.throws(() => studyLabels(['', ''], [0, 1], 2, 'c'), /no row has both a cluster and a value in "c"/);
    assert.throws(() => studyLabels(['a'], [0, 1], 2, 'c'), /has 1 rows but the fit has 2/);
  });

  it('keeps numeric classes as text in numeric order', () => {
    const s = studyLabels([10, 2, 2, 10], [0, 1, 1, 0], 2, 'n');
    assert.deepEqual(s.classes, ['2', '10']);
    assert.deepEqual(s.oneToOne, ['10', '2']);
  });
});

describe('webview/setMapping and webview/chartPng are guarded', () => {
  it('accepts a list of class names or nulls with a known basis', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'webview/setMapping', id: 3, mapping: ['a', null], basis: 'edited', extra: 1 }),
      { type: 'webview/setMapping', id: 3, mapping: ['a', null], basis: 'edited' });
    assert.deepEqual(parseWebviewMessage({ type: 'webview/export' }), { type: 'webview/export' });
    assert.deepEqual(parseWebviewMessage({ type: 'webview/chartPng', id: 1, dataUrl: null }), { type: 'webview/chartPng', id: 1, dataUrl: null });
  });

  it('refuses anything else with a message naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ type: 'webview/setMapping', id: 1, mapping: [3], basis: 'edited' }, /mapping\[0\] should be a class name or null/],
      [{ type: 'webview/setMapping', id: 1, mapping: [], basis: 'edited' }, /mapping should be a list of 1 to 1000 entries/],
      [{ type: 'webview/setMapping', id: 1, mapping: 'a', basis: 'edited' }, /mapping should be a list/],
      [{ type: 'webview/setMapping', id: 1, mapping: ['a'], basis: 'best' }, /basis should be one of oneToOne, manyToOne, edited/],
      [{ type: 'webview/setMapping', id: -1, mapping: ['a'], basis: 'edited' }, /id should be a whole number/],
      [{ type: 'webview/setMapping', id: 1, mapping: ['x'.repeat(10001)], basis: 'edited' }, /mapping\[0\]/],
      [{ type: 'webview/chartPng', id: 1, dataUrl: 'data:text/html,<b>' }, /dataUrl should be null or a data:image\/png;base64, URL/],
    ];
    for (const [message, why] of bad) assert.throws(() => parseWebviewMessage(message), (e: unknown) => e instanceof ProtocolError && why.test(e.message));
  });
});

describe('label-column choices', () => {
  const table = parseCsv('w,h,animal,id,color\n1,2,CAT,1,red\n3,4,DOG,2,blue\n5,6,CAT,3,red\n', { header: 'auto' });
  const numeric = new Set(['w', 'h', 'id']);

  it('lists the non-feature columns, the first short text column suggested first', () => {
    const choices = labelColumnChoices(table, numeric, ['w', 'h'], undefined);
    assert.deepEqual(choices.map((c) => c.name), ['animal', 'id', 'color']);
    assert.deepEqual(choices.map((c) => c.suggested), [true, false, false]);
    assert.deepEqual(choices.map((c) => c.distinct), [2, 3, 2]);
  });

  it('suggests the preferred column (the last one used) when given', () => {
    assert.equal(labelColumnChoices(table, numeric, ['w', 'h'], 'color')[0].name, 'color');
  });

  it('lists every column when all are features', () => {
    assert.equal(labelColumnChoices(table, numeric, ['w', 'h', 'animal', 'id', 'color'], undefined).length, 5);
  });
});
