/** Guessing the class column: the only text column, when it looks like classes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guessLabelColumn } from '../../../src/worker/labelGuess';

function fixture(name: string): { header: string[]; rows: string[][] } {
  // The dataset fixtures need no quoting (test/fixtures/README.md), so a split is exact.
  const lines = readFileSync(join(__dirname, '../../fixtures', name), 'utf8').trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('guessLabelColumn', () => {
  it("picks iris's species (3 classes of 50) and animals' animal column", () => {
    const iris = fixture('iris.csv');
    assert.equal(guessLabelColumn(iris.header, iris.rows, [0, 1, 2, 3]), 'species');
    const animals = fixture('animals.csv');
    const at = animals.header.indexOf('animal');
    const numeric = animals.header.map((_, c) => c).filter((c) => c !== at);
    assert.equal(guessLabelColumn(animals.header, animals.rows, numeric), 'animal');
  });

  it('guesses nothing with no text column, two text columns, or no header', () => {
    const header = ['a', 'b', 'c'];
    const rows = [['1', 'x', 'p'], ['2', 'x', 'q'], ['3', 'y', 'p'], ['4', 'y', 'q']];
    assert.equal(guessLabelColumn(header, rows, [0, 1, 2]), null);
    assert.equal(guessLabelColumn(header, rows, [0]), null);
    assert.equal(guessLabelColumn(null, rows, [0, 2]), null);
    assert.equal(guessLabelColumn(header, rows, [0, 2]), 'b');
  });

  it('guesses nothing for an id-like column (mostly distinct values) or a single class', () => {
    const header = ['x', 'name'];
    const ids = Array.from({ length: 10 }, (_, i) => [String(i), `row${i}`]);
    assert.equal(guessLabelColumn(header, ids, [0]), null);
    const one = Array.from({ length: 10 }, (_, i) => [String(i), 'same']);
    assert.equal(guessLabelColumn(header, one, [0]), null);
    // 6 rows, 3 classes: two rows per class on average, still classes.
    const three = ['a', 'b', 'c', 'a', 'b', 'c'].map((c, i) => [String(i), c]);
    assert.equal(guessLabelColumn(header, three, [0]), 'name');
  });

  it('gives up past 50 classes', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [String(i), `c${i % 51}`]);
    assert.equal(guessLabelColumn(['x', 'name'], rows, [0]), null);
    const fifty = Array.from({ length: 200 }, (_, i) => [String(i), `c${i % 50}`]);
    assert.equal(guessLabelColumn(['x', 'name'], fifty, [0]), 'name');
  });
});
