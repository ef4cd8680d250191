/**
 * Column roles (src/pipeline/roles.ts) and the scaling rule (autoScale.ts) on small tables
 * made for each rule, and formatPercent's never-rounded-to-100% rule.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../../src/csv/read';
import { decideRoles, nameWords, tableRoleColumns } from '../../../src/pipeline/roles';
import { decideScale, RANGE_RATIO } from '../../../src/pipeline/autoScale';
import { fromRows } from '../../../src/engine/matrix';
import { formatPercent } from '../../../src/protocol/format';
import { runFit } from '../../../src/pipeline/fit';

/** A CSV text from a header and columns of values (one array per column). */
function csv(header: string[], columns: (string | number)[][]): string {
  const n = columns[0].length;
  const lines = [header.join(',')];
  for (let r = 0; r < n; r++) lines.push(columns.map((c) => String(c[r])).join(','));
  return lines.join('\n') + '\n';
}
const range = (n: number, f: (i: number) => number | string): (number | string)[] => Array.from({ length: n }, (_, i) => f(i));
/** Continuous values, different in every row. */
const cont = (n: number, seed: number): number[] => range(n, (i) => Math.round(1000 * Math.sin(seed * 7.1 + i * 1.37)) / 100 + seed) as number[];
function roles(text: string, choices = {}): ReturnType<typeof decideRoles> {
  return decideRoles(tableRoleColumns(parseCsv(text, { header: 'auto' })), choices);
}
const roleOf = (r: ReturnType<typeof decideRoles>, name: string): string => r.columns.find((c) => c.name === name)?.role ?? '?';

describe('column roles', () => {
  it('splits names into words', () => {
    assert.deepEqual(nameWords('patient_id'), ['patient', 'id']);
    assert.deepEqual(nameWords('speciesCode'), ['species', 'code']);
    assert.deepEqual(nameWords('Unnamed: 0'), ['unnamed', '0']);
  });

  it('an id-named column of unique values is a row id, in any order; a shuffled 1..n run without the name too', () => {
    const n = 40;
    const shuffled = range(n, (i) => ((i * 17) % n) + 1);
    const r = roles(csv(['patient_id', 'seq', 'a', 'b'], [range(n, (i) => 9000 + ((i * 13) % n) * 7), shuffled, cont(n, 1), cont(n, 2)]));
    assert.equal(roleOf(r, 'patient_id'), 'id');
    assert.equal(roleOf(r, 'seq'), 'id');
    assert.deepEqual(r.features, ['a', 'b']);
    assert.match(r.columns[1].reason, /unique whole numbers, 1 to 40/);
  });

  it('unique whole numbers that are not a run, without an id name, stay a feature', () => {
    const n = 30;
    const r = roles(csv(['income', 'a'], [range(n, (i) => 20000 + i * i * 31), cont(n, 3)]));
    assert.deepEqual(r.features, ['income', 'a']);
  });

  it('an id-named column with a repeated value is not an id', () => {
    const n = 30;
    const r = roles(csv(['id', 'a', 'b'], [range(n, (i) => (i === 5 ? 1 : i)), cont(n, 1), cont(n, 2)]));
    assert.equal(roleOf(r, 'id'), 'feature');
  });

  it('constant, empty, date and free-text columns are not features', () => {
    const n = 20;
    const r = roles(csv(['const', 'empty', 'when', 'note', 'a', 'b'], [
      range(n, () => 7), range(n, () => ''), range(n, (i) => `2024-01-${String(i + 1).padStart(2, '0')}`),
      range(n, (i) => `note number ${i}`), cont(n, 1), cont(n, 2)]));
    assert.equal(roleOf(r, 'const'), 'constant');
    assert.equal(roleOf(r, 'empty'), 'empty');
    assert.equal(roleOf(r, 'when'), 'date');
    assert.equal(roleOf(r, 'note'), 'text');
    assert.deepEqual(r.features, ['a', 'b']);
    assert.equal(r.label, null);
  });

  it('a text column of few repeated values is the label', () => {
    const n = 30;
    const r = roles(csv(['a', 'b', 'kind'], [cont(n, 1), cont(n, 2), range(n, (i) => ['x', 'y', 'z'][i % 3])]));
    assert.equal(r.label, 'kind');
    assert.equal(r.labelGuessed, true);
    assert.equal(roleOf(r, 'kind'), 'label');
  });

  it('a numeric column whose name says classes is the label, before a text one', () => {
    const n = 30;
    const r = roles(csv(['target', 'a', 'b', 'colour'], [range(n, (i) => i % 2), cont(n, 1), cont(n, 2), range(n, (i) => ['red', 'blue'][i % 2])]));
    assert.equal(r.label, 'target');
    assert.equal(roleOf(r, 'colour'), 'category');
    assert.deepEqual(r.features, ['a', 'b']);
  });

  it('whole-number codes in the last column next to continuous columns are the label; in the middle they stay features', () => {
    const n = 60;
    const last = roles(csv(['a', 'b', 'c', 'blob'], [cont(n, 1), cont(n, 2), cont(n, 3), range(n, (i) => i % 4)]));
    assert.equal(last.label, 'blob');
    const middle = roles(csv(['a', 'blob', 'b', 'c'], [cont(n, 1), range(n, (i) => i % 4), cont(n, 2), cont(n, 3)]));
    assert.equal(middle.label, null);
    assert.deepEqual(middle.features, ['a', 'blob', 'b', 'c']);
  });

  it('codes among whole-number features need balance: a skewed last column stays a feature', () => {
    const n = 100;
    // Pixel-like: mostly 0, the rest spread over 0..16 (no column of balanced codes).
    const pix = (s: number): number[] => range(n, (i) => (i % 3 === 0 ? (i * s) % 17 : 0)) as number[];
    const skewed = roles(csv(['p1', 'p2', 'p3', 'p4'], [pix(3), pix(5), pix(7), range(n, (i) => (i < 95 ? 0 : 1 + (i % 3)))]));
    assert.equal(skewed.label, null);
    const balanced = roles(csv(['p1', 'p2', 'p3', 'digit'], [pix(3), pix(5), pix(7), range(n, (i) => i % 10)]));
    assert.equal(balanced.label, 'digit');
  });

  it('`y` beside an `x` is a coordinate; a balanced first column among whole numbers is not a class', () => {
    const n = 60;
    const grid = roles(csv(['x', 'y', 'v'], [range(n, (i) => i % 6), range(n, (i) => Math.floor(i / 6) % 5), cont(n, 1)]));
    assert.equal(grid.label, null);
    assert.deepEqual(grid.features, ['x', 'y', 'v']);
    const alone = roles(csv(['a', 'b', 'y'], [cont(n, 1), cont(n, 2), range(n, (i) => i % 2)]));
    assert.equal(alone.label, 'y');
    const first = roles(csv(['m', 'p', 'q'], [range(n, (i) => i % 12), range(n, (i) => (i * 7) % 9), range(n, (i) => (i % 4 === 0 ? i % 7 : 0))]));
    assert.equal(first.label, null);
  });

  it('the user\'s choices win: a named label, no label, chosen columns', () => {
    const n = 30;
    const text = csv(['id', 'a', 'b', 'species'], [range(n, (i) => i + 1), cont(n, 1), cont(n, 2), range(n, (i) => ['s', 't'][i % 2])]);
    const none = roles(text, { label: null });
    assert.equal(none.label, null);
    assert.equal(roleOf(none, 'species'), 'category');
    const chosen = roles(text, { columns: ['id', 'a'] });
    assert.deepEqual(chosen.features, ['id', 'a']);
    assert.equal(roleOf(chosen, 'id'), 'feature');
    assert.equal(chosen.columns[0].chosen, true);
    assert.equal(roleOf(chosen, 'b'), 'unused');
    const named = roles(text, { label: 'a' });
    assert.equal(named.label, 'a');
    assert.equal(roleOf(named, 'a'), 'label');
  });

  it('a guessed label the user lists as a feature is not a label', () => {
    const n = 30;
    const r = roles(csv(['a', 'b', 'class'], [cont(n, 1), cont(n, 2), range(n, (i) => i % 3)]), { columns: ['a', 'class'] });
    assert.equal(r.label, null);
    assert.deepEqual(r.features, ['a', 'class']);
  });

  it('without a header no name is read: a shuffled run is still an id, codes still a label', () => {
    const n = 40;
    const text = csv(['x', 'y', 'z', 'w'], [range(n, (i) => ((i * 7) % n)), cont(n, 1), cont(n, 2), range(n, (i) => i % 2)]).split('\n').slice(1).join('\n');
    const r = decideRoles(tableRoleColumns(parseCsv(text, { header: false })));
    assert.equal(r.columns[0].role, 'id');
    assert.equal(r.label, 'column4');
  });

  it('a fit with roles auto leaves the id and label out and reports every role; with no feature left it says why', () => {
    const n = 30;
    const text = csv(['id', 'a', 'b', 'class'], [range(n, (i) => i + 1), cont(n, 1), cont(n, 2), range(n, (i) => i % 3)]);
    const report = runFit(parseCsv(text, { header: 'auto' }), { k: 2, roles: 'auto' });
    assert.deepEqual(report.featureNames, ['a', 'b']);
    assert.equal(report.options.label, 'class');
    assert.deepEqual(report.roles?.map((c) => c.role), ['id', 'feature', 'feature', 'label']);
    const legacy = runFit(parseCsv(text, { header: 'auto' }), { k: 2 });
    assert.deepEqual(legacy.featureNames, ['id', 'a', 'b', 'class']);
    assert.throws(() => runFit(parseCsv(csv(['id', 'c'], [range(n, (i) => i), range(n, () => 1)]), { header: 'auto' }), { k: 2, roles: 'auto' }),
      /no column can be a feature: id: looks like a row id.*c: the same value \(1\)/);
  });
});

describe('automatic scaling', () => {
  const m = (rows: number[][]): ReturnType<typeof fromRows> => fromRows(rows, rows[0].length);
  it(`keeps ranges within ${RANGE_RATIO}x, standardises beyond`, () => {
    const near = decideScale(m([[0, 0], [RANGE_RATIO, 1]]), ['a', 'b'], 'euclidean');
    assert.equal(near.kind, 'none');
    const far = decideScale(m([[0.5, 0], [RANGE_RATIO + 0.5 + 0.01, 1]]), ['a', 'b'], 'euclidean');
    assert.equal(far.kind, 'standard');
    assert.match(far.reason, /differ 10× \(a 10 vs b 1\)/);
  });
  it('whole numbers from one floor are one scale (pixels); a different floor or a fraction is not', () => {
    assert.equal(decideScale(m([[0, 0, 0], [16, 1, 3]]), ['p', 'q', 'r'], 'euclidean').kind, 'none');
    assert.equal(decideScale(m([[0, 1, 0], [16, 2, 3]]), ['p', 'q', 'r'], 'euclidean').kind, 'standard');
    assert.equal(decideScale(m([[0, 0, 0], [16, 1.5, 3]]), ['p', 'q', 'r'], 'euclidean').kind, 'standard');
  });
  it('never scales under the cosine metric, nor with one varying feature', () => {
    assert.equal(decideScale(m([[0, 0], [1000, 0.1]]), ['a', 'b'], 'cosine').kind, 'none');
    assert.equal(decideScale(m([[0, 5], [1000, 5]]), ['a', 'b'], 'euclidean').kind, 'none');
  });
});

describe('formatPercent', () => {
  it('never rounds a share below 1 up to 100%, nor above 0 down to 0%', () => {
    assert.equal(formatPercent(0.998), '99.8');
    assert.equal(formatPercent(0.99983), '99.98');
    assert.equal(formatPercent(0.9999996), '99.99996');
    assert.equal(formatPercent(1), '100');
    assert.equal(formatPercent(0.4567), '45.7');
    assert.equal(formatPercent(0), '0');
  });
});
