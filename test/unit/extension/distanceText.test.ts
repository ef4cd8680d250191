/**
 * The words a file of distances gets in the editor and the questions it asks: annotation
 * text and hover per row (checked against the fixtures' brute-force labels), status text,
 * and the Quick Pick items with their default first.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJob } from '../../../src/worker/job';
import { DEFAULT_DISTANCE_SETTINGS, DEFAULT_SETTINGS, type JobOutput, type RunSettings } from '../../../src/protocol/messages';
import { distanceRowText } from '../../../src/extension/distanceText';
import { choiceQuestion, unansweredMessage, withAnswer } from '../../../src/extension/distanceChoiceText';
import { statusText } from '../../../src/extension/report';

const FIX = join(__dirname, '../../fixtures');

function fit(file: string, k: number, similarity: 'auto' | 'distance' = 'auto'): JobOutput {
  const settings: RunSettings = { ...DEFAULT_SETTINGS, k, distances: { ...DEFAULT_DISTANCE_SETTINGS, similarity } };
  return runJob({ type: 'job/start', id: 1, file: join(FIX, file), settings, maxBytes: 1e9, maxPoints: 5000, cancelFlag: new SharedArrayBuffer(4) }, () => undefined);
}

describe('annotations of a file of distances', () => {
  it('an edge row names both endpoints with their clusters (edges_10, k=3)', () => {
    const ref = (JSON.parse(readFileSync(join(FIX, 'edges_10.json'), 'utf8')) as {
      node_order_first_appearance: string[]; kmedoids: { brute_force_pam_optimum: { k: number; labels_for_first_optimal_set: number[]; optimal_medoid_sets: number[][] } }[];
    });
    const best = ref.kmedoids.find((c) => c.brute_force_pam_optimum.k === 3)?.brute_force_pam_optimum;
    assert.ok(best);
    const cluster = new Map(ref.node_order_first_appearance.map((id, i) => [id, best.labels_for_first_optimal_set[i]]));
    const out = fit('edges_10.csv', 3, 'distance');
    assert.ok(out.medoids);
    const rows = readFileSync(join(FIX, 'edges_10.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    rows.forEach(([a, b], r) => {
      const words = distanceRowText(out.medoids as NonNullable<JobOutput['medoids']>, r);
      assert.equal(words?.text, `◀ ${a}: ${cluster.get(a)} · ${b}: ${cluster.get(b)}`);
    });
    // Row 0 is "india,alpha,5.75"; india's medoid is juliet (2.2 away) in the optimum {echo, charlie, juliet}.
    const medoids = best.optimal_medoid_sets[0].map((i) => ref.node_order_first_appearance[i]);
    assert.deepEqual(medoids, ['echo', 'charlie', 'juliet']);
    const hover = distanceRowText(out.medoids, 0)?.hover ?? '';
    assert.match(hover, /^\*\*india\*\*: cluster 2 \(4 items\), medoid \*\*juliet\*\* at distance 2\.2\n\n\*\*alpha\*\*: cluster 1 \(4 items\), medoid \*\*charlie\*\* at distance 1\.39$/);
    assert.equal(statusText(out), `k=3 · k-medoids · silhouette ${out.report.metrics.silhouette?.toFixed(2)}`);
    assert.equal(distanceRowText(out.medoids, 45), null, 'no row 45');
  });

  it('a matrix row shows its item, its cluster and its medoid (distances_12, k=3)', () => {
    const out = fit('distances_12.csv', 3);
    assert.ok(out.medoids);
    // The optimum is {p01, p04, p09} with labels 0 0 0 0 1 1 1 1 1 2 2 2 (distances_12.json).
    assert.equal(distanceRowText(out.medoids, 0)?.text, '◀ p00: cluster 0 · medoid p01');
    assert.equal(distanceRowText(out.medoids, 1)?.text, '◀ p01: cluster 0 · medoid');
    assert.equal(distanceRowText(out.medoids, 1)?.hover, '**p01**: the medoid of cluster 0 (4 items)');
    assert.equal(distanceRowText(out.medoids, 11)?.text, '◀ p11: cluster 2 · medoid p09');
  });
});

describe('questions about a file of distances', () => {
  it('distances or similarities: the suggestion first, the conversion rule in words', () => {
    const q = choiceQuestion('net.csv', { kind: 'similarity', suggested: 'similarity', reason: 'the weight column "strength" sounds like similarities' });
    assert.deepEqual(q.items.map((i) => i.label), ['Similarities', 'Distances']);
    assert.match(q.items[0].detail, /d = max\(s\) − s/);
    assert.equal(q.placeholder, 'The weight column "strength" sounds like similarities. Which are they? (Remembered for this file.)');
    const d = choiceQuestion('net.csv', { kind: 'similarity', suggested: 'distance', reason: 'x' });
    assert.deepEqual(d.items.map((i) => i.answer), [{ similarity: 'distance' }, { similarity: 'similarity' }]);
  });

  it('an unanswered question ends the run with one sentence that says how to answer', () => {
    assert.equal(unansweredMessage('net.csv', { kind: 'similarity', suggested: 'distance', reason: 'the edge weights in "w" may be either' }, 'x'),
      'net.csv was not clustered: Centroid needs to know whether its numbers are distances or similarities (the edge weights in "w" may be either); '
      + 'run the command again to answer, or choose in the panel\'s form.');
    const stop = 'path.csv: 3 of 6 pairs of items have no distance (for example "a" and "c"): give every pair, or choose shortest-path distances';
    assert.equal(unansweredMessage('path.csv', { kind: 'missing', missingPairs: 3, totalPairs: 6, example: ['a', 'c'] }, stop), `${stop}.`);
  });

  it('missing pairs: how many, shortest paths first, Stop second', () => {
    const q = choiceQuestion('path.csv', { kind: 'missing', missingPairs: 3, totalPairs: 6, example: ['a', 'c'] });
    assert.equal(q.placeholder, '3 of 6 pairs of items have no distance (for example "a" and "c"). Fill them with shortest paths, or stop?');
    assert.deepEqual(q.items.map((i) => i.answer), [{ missing: 'shortest-path' }, null]);
    const next = withAnswer({ ...DEFAULT_SETTINGS, k: 4 }, { missing: 'shortest-path' });
    assert.deepEqual(next.distances, { ...DEFAULT_DISTANCE_SETTINGS, missing: 'shortest-path' });
    assert.equal(next.k, 4);
    assert.deepEqual(withAnswer(next, { similarity: 'similarity' }).distances, { ...DEFAULT_DISTANCE_SETTINGS, missing: 'shortest-path', similarity: 'similarity' });
  });
});
