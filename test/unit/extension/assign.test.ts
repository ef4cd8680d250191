/** Re-assigning an edited line to the current centres: CSV line splitting and distances, checked by hand. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignFields, assignLine, splitCsvLine, type AssignModel } from '../../../src/extension/assign';

describe('splitCsvLine', () => {
  it('splits plain and quoted fields (RFC 4180)', () => {
    assert.deepEqual(splitCsvLine('1,2,abc', ','), ['1', '2', 'abc']);
    assert.deepEqual(splitCsvLine('1;"a;b";3', ';'), ['1', 'a;b', '3']);
    assert.deepEqual(splitCsvLine('"say ""hi""",2', ','), ['say "hi"', '2']);
    assert.deepEqual(splitCsvLine('a\tb\t', '\t'), ['a', 'b', '']);
    assert.deepEqual(splitCsvLine('1,2\r', ','), ['1', '2']);
    assert.deepEqual(splitCsvLine('', ','), ['']);
    assert.deepEqual(splitCsvLine('a"b,c', ','), ['a"b', 'c'], 'a quote inside an unquoted field is kept');
  });

  it('returns null for a record that continues on the next line', () => {
    assert.equal(splitCsvLine('1,"open', ','), null);
  });
});

// Two features in columns 1 and 2 of a 3-column record; standard scaling with
// offset (1, 10) and scale (2, 5); centres (in the scaled space) c0 = (0, 0), c1 = (1, 1).
const model: AssignModel = {
  featureColumns: Int32Array.from([1, 2]),
  offset: Float64Array.from([1, 10]),
  scale: Float64Array.from([2, 5]),
  centers: Float64Array.from([0, 0, 1, 1]),
  metric: 'euclidean',
};

describe('assignFields', () => {
  it('scales the features and picks the nearest centre (hand-computed)', () => {
    // x = ((3 - 1) / 2, (15 - 10) / 5) = (1, 1): distance 0 to c1, sqrt(2) to c0.
    const a = assignFields(['id', '3', '15'], model);
    assert.ok(a);
    assert.equal(a.cluster, 1);
    assert.equal(a.distance, 0);
    assert.deepEqual([...a.distances], [Math.SQRT2, 0]);
    // x = ((1.2 - 1) / 2, (10.5 - 10) / 5) = (0.1, 0.1): nearer to c0, at sqrt(0.02).
    const b = assignFields(['id', '1.2', '10.5'], model);
    assert.equal(b?.cluster, 0);
    assert.ok(Math.abs((b?.distance ?? 0) - Math.sqrt(0.02)) < 1e-15);
  });

  it('keeps the first centre on a tie, as scikit-learn does', () => {
    // x = (0.5, 0.5): sqrt(0.5) from both centres.
    assert.equal(assignFields(['id', '2', '12.5'], model)?.cluster, 0);
  });

  it('gives null for a missing or non-numeric feature', () => {
    assert.equal(assignFields(['id', '', '1'], model), null);
    assert.equal(assignFields(['id', 'NA', '1'], model), null);
    assert.equal(assignFields(['id', 'abc', '1'], model), null);
    assert.equal(assignFields(['id', '1'], model), null);
  });

  it('measures 1 - cosine similarity under the cosine metric', () => {
    const cos: AssignModel = { ...model, offset: Float64Array.from([0, 0]), scale: Float64Array.from([1, 1]), centers: Float64Array.from([1, 0, 0, 2]), metric: 'cosine' };
    // x = (3, 4): cos to (1, 0) = 3/5, to (0, 2) = 8/(5*2) = 4/5.
    const a = assignFields(['', '3', '4'], cos);
    assert.equal(a?.cluster, 1);
    assert.ok(Math.abs((a?.distances[0] ?? 0) - 0.4) < 1e-15);
    assert.ok(Math.abs((a?.distances[1] ?? 0) - 0.2) < 1e-15);
    assert.equal(assignFields(['', '0', '0'], cos), null, 'an all-zero row has no direction');
  });
});

describe('assignLine', () => {
  it('needs a complete record of the fit\'s column count', () => {
    assert.equal(assignLine('a,3,15', ',', 3, model)?.cluster, 1);
    assert.equal(assignLine('a,3,15,extra', ',', 3, model), null);
    assert.equal(assignLine('a,"3,15', ',', 3, model), null);
  });
});
