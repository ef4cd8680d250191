/** Annotation text after a row and its hover. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { annotationHover, annotationMarker, annotationText, densityAnnotationText, densityHover, escapeMarkdown } from '../../../src/extension/annotationText';

describe('annotationText', () => {
  it('starts with "◀ cluster " and shows the distance with two significant digits', () => {
    assert.equal(annotationText(2, 0.41234), '◀ cluster 2 · d=0.41');
    assert.equal(annotationText(0, 12.7), '◀ cluster 0 · d=13');
    assert.ok(annotationText(5, 1).includes('cluster '));
  });

  it('names the mapped class, shortens long ones, and marks edited rows', () => {
    assert.equal(annotationText(1, 0.5, 'setosa'), '◀ cluster 1 (setosa) · d=0.5');
    assert.equal(annotationText(1, 0.5, 'a'.repeat(30)), `◀ cluster 1 (${'a'.repeat(23)}…) · d=0.5`);
    assert.equal(annotationText(1, NaN, undefined, true), '◀ cluster 1 · edited');
    assert.equal(annotationText(1, 0.5, 'two\nlines'), '◀ cluster 1 (two lines) · d=0.5');
  });

  it('marks rows predicted with a saved model; an edit since is what the row shows', () => {
    assert.equal(annotationText(3, 0.5, undefined, false, true), '◀ cluster 3 · d=0.5 · predicted');
    assert.equal(annotationText(3, 0.5, 'setosa', false, true), '◀ cluster 3 (setosa) · d=0.5 · predicted');
    assert.equal(annotationText(3, NaN, undefined, true, true), '◀ cluster 3 · edited');
  });
});

describe('annotationMarker', () => {
  it('names the cluster at the line\'s start, padded to the widest cluster number', () => {
    assert.equal(annotationMarker(2, 3), 'C2 ▶');
    assert.equal(annotationMarker(0, 1), 'C0 ▶');
    // k = 12: numbers up to 11, so one digit is padded with a figure space (as wide as a digit).
    assert.equal(annotationMarker(3, 12), 'C\u20073 ▶');
    assert.equal(annotationMarker(11, 12), 'C11 ▶');
    assert.equal(annotationMarker(7, 101), 'C\u2007\u20077 ▶');
    // Every marker of one fit has the same length, so the rows' text stays in one column.
    assert.equal(new Set(Array.from({ length: 12 }, (_, j) => annotationMarker(j, 12).length)).size, 1);
  });
});

describe('annotationHover', () => {
  it('lists the distance to every centre, nearest first, the row\'s own cluster in bold', () => {
    const md = annotationHover(1, Float64Array.from([2.5, 0.25, 1]), 'euclidean', undefined, false);
    const rows = md.split('\n').filter((l) => /^\| [^-c]/.test(l) || /^\| \*\*/.test(l));
    assert.deepEqual(rows, ['| **1** | 0.25 |', '| 2 | 1 |', '| 0 | 2.5 |']);
    assert.match(md, /^\*\*Cluster 1\*\*/);
  });

  it('escapes class names from the CSV so they cannot form markup', () => {
    const md = annotationHover(0, Float64Array.from([0.1]), 'cosine', { 0: '[x](http://evil) <b>' }, true);
    assert.ok(md.includes('\\[x\\]\\(http://evil\\) \\<b\\>'));
    assert.ok(!md.includes('](http'));
    assert.match(md, /Cosine distance/);
    assert.match(md, /re-assigned after an edit/);
  });

  it('names the model a predicted row was assigned with, escaped', () => {
    const md = annotationHover(2, Float64Array.from([1, 2, 0.5]), 'euclidean', undefined, false, 'iris_[v2].centroid.json');
    assert.equal(md.split('\n')[0], '**Cluster 2**, predicted with iris\\_\\[v2\\]\\.centroid\\.json');
    assert.ok(!annotationHover(2, null, 'euclidean', undefined, false).includes('predicted'));
    assert.match(annotationHover(2, null, 'euclidean', undefined, true, 'm.json'), /re-assigned after an edit/);
  });

  it('says when the distances cannot be computed for the line', () => {
    assert.match(annotationHover(0, null, 'euclidean', undefined, false), /not available/);
  });

  it('escapes every Markdown special character', () => {
    assert.equal(escapeMarkdown('*a*_b_`c`#'), '\\*a\\*\\_b\\_\\`c\\`\\#');
  });
});

describe('density annotation text', () => {
  const dbscan = { mode: 'dbscan' as const, eps: 0.35, minSamples: 5, minClusterSize: null, nClusters: 4, nNoise: 12, counts: [1, 2, 3, 4], nRows: 22, warnings: [] };
  const hdbscan = { ...dbscan, mode: 'hdbscan' as const, eps: null, minClusterSize: 10 };

  it('says noise for -1 and the cluster otherwise; HDBSCAN adds its membership strength', () => {
    assert.equal(densityAnnotationText(-1, null), '◀ noise');
    assert.equal(densityAnnotationText(-1, 0), '◀ noise', 'noise shows no strength (it is 0)');
    assert.equal(densityAnnotationText(2, null), '◀ cluster 2');
    assert.equal(densityAnnotationText(2, 0.8687), '◀ cluster 2 · p=0.87');
    assert.equal(densityAnnotationText(0, 1), '◀ cluster 0 · p=1.00');
    assert.equal(densityAnnotationText(3, NaN), '◀ cluster 3');
  });

  it('the hover names the method, its parameters and what noise means', () => {
    assert.equal(densityHover(-1, null, dbscan),
      '**Noise** (label −1): DBSCAN (eps = 0.35, min_samples = 5) put this row in no cluster: fewer than min_samples rows lie within eps of it, and it is within eps of no core row.');
    assert.equal(densityHover(1, null, dbscan), '**Cluster 1** of 4, found by DBSCAN (eps = 0.35, min_samples = 5).');
    assert.match(densityHover(1, 0.5, hdbscan), /^\*\*Cluster 1\*\* of 4, found by HDBSCAN \(min_cluster_size = 10, min_samples = 5\)\.\n\nMembership strength p = 0\.5 /);
  });
});
