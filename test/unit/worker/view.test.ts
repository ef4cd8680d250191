/**
 * The panel's description of the clusters (src/worker/view.ts) on text_counts.csv: with the
 * cosine metric, each cluster's mean row in the file's units and the terms most
 * over-represented in it; with the Euclidean metric, the centres and |z| in standard deviations.
 * Expected values are computed here from the CSV text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { fitTable } from '../../../src/pipeline/fit';
import { DEFAULT_SETTINGS } from '../../../src/protocol/messages';
import { buildPanelView, MAX_HOVER_VALUES } from '../../../src/worker/view';
import { hoverValueLines } from '../../../src/protocol/view';

const TEXT = readFileSync(join(__dirname, '../../fixtures/text_counts.csv'), 'utf8');
const LINES = TEXT.trim().split('\n');
const NAMES = LINES[0].split(',').slice(0, -1);
const ROWS = LINES.slice(1).map((l) => l.split(',').slice(0, -1).map(Number));

function view(metric: 'cosine' | 'euclidean') {
  const outcome = fitTable(parseCsv(TEXT, { header: 'auto' }), { k: 4, seed: 0, label: 'topic', metric, scale: 'none' });
  const settings = { ...DEFAULT_SETTINGS, k: 4, metric };
  const v = buildPanelView(outcome, settings, 'text_counts.csv', 5000, { name: 'topic', guessed: false }, 1, new Int32Array(0));
  return { v, labels: outcome.report.labels as number[] };
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

describe('buildPanelView with the cosine metric (text_counts.csv, k = 4)', () => {
  const { v, labels } = view('cosine');
  const overall = NAMES.map((_, t) => ROWS.reduce((s, r) => s + r[t], 0) / ROWS.length);
  const means = [0, 1, 2, 3].map((j) => {
    const members = ROWS.filter((_, i) => labels[i] === j);
    return NAMES.map((_, t) => members.reduce((s, r) => s + r[t], 0) / members.length);
  });

  it('shows each cluster\'s mean row in the file\'s units, not its unit-length centre', () => {
    assert.equal(v.centersAre, 'means');
    assert.equal(v.centers.length, 4);
    v.centers.forEach((row, j) => {
      row.forEach((x, t) => assert.ok(close(x, means[j][t]), `cluster ${j}, ${NAMES[t]}: shown ${x}, mean ${means[j][t]}`));
      const norm = Math.hypot(...row);
      assert.ok(norm > 1.5, `cluster ${j}: the shown row has length ${norm}, like a unit vector`);
    });
  });

  it('describes each cluster by its three most over-represented terms: mean in the cluster over the overall mean', () => {
    v.distinctions.forEach((shown, j) => {
      const want = NAMES.map((feature, t) => ({ feature, ratio: means[j][t] / overall[t] }))
        .filter((f) => overall[NAMES.indexOf(f.feature)] > 0 && f.ratio > 1)
        .sort((a, b) => b.ratio - a.ratio).slice(0, 3);
      assert.equal(shown.length, 3, `cluster ${j}: ${JSON.stringify(shown)}`);
      assert.deepEqual(shown.map((f) => f.feature), want.map((f) => f.feature), `cluster ${j}`);
      shown.forEach((f, i) => {
        assert.equal(f.z, undefined, `cluster ${j}: no standard deviations under cosine`);
        assert.ok(f.ratio !== undefined && f.ratio > 1 && close(f.ratio, want[i].ratio), `cluster ${j}, ${f.feature}: ${f.ratio} vs ${want[i].ratio}`);
      });
    });
  });
});

describe('buildPanelView with the Euclidean metric keeps the centres and standard deviations', () => {
  it('shows the centres and |z|-ordered features', () => {
    const { v } = view('euclidean');
    assert.equal(v.centersAre, undefined);
    for (const list of v.distinctions) {
      assert.ok(list.length > 0);
      for (const f of list) assert.ok(f.z !== undefined && f.ratio === undefined);
      for (let i = 1; i < list.length; i++) assert.ok(Math.abs(list[i - 1].z as number) >= Math.abs(list[i].z as number));
    }
  });
});

describe('the scatter hover of a row with more features than it lists', () => {
  it('lists the first ten values and says how many more there are', () => {
    const { v } = view('euclidean');
    const p = v.plot;
    assert.equal(p.valueNames.length, MAX_HOVER_VALUES);
    assert.equal(p.valuesNotShown, NAMES.length - MAX_HOVER_VALUES);
    const row = p.rows[0];
    const lines = hoverValueLines(p, 0);
    assert.equal(lines.length, MAX_HOVER_VALUES + 1);
    assert.equal(lines[0], `${NAMES[0]}: ${ROWS[row][0]}`);
    assert.equal(lines[MAX_HOVER_VALUES], '… and 290 more features');
  });

  it('adds nothing when every feature is listed', () => {
    assert.deepEqual(hoverValueLines({ valueNames: ['a', 'b'], values: Float64Array.from([1, 2, 3, 4]) }, 1), ['a: 3', 'b: 4']);
  });
});
