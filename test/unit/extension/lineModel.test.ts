/** Per-line clusters kept in step with edits. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineClusters, NONE, PENDING } from '../../../src/extension/lineModel';

// A file: line 0 header, data rows 0..3 on lines 1..4, line 5 empty (trailing newline).
function model(): LineClusters {
  return new LineClusters(6, Int32Array.from([1, 2, 3, 4]), Int32Array.from([0, 1, -1, 2]), Float64Array.from([0.5, 1.5, NaN, 2.5]));
}

describe('LineClusters', () => {
  it('maps data rows to their lines', () => {
    const m = model();
    assert.deepEqual([...m.cluster], [NONE, 0, 1, NONE, 2, NONE]);
    assert.deepEqual([...m.row], [-1, 0, 1, 2, 3, -1]);
    assert.equal(m.distance[4], 2.5);
    assert.ok(Number.isNaN(m.distance[0]));
  });

  it('an edit in place makes the line pending but keeps its data row', () => {
    const m = model();
    m.replaceLines(2, 2, 1);
    assert.equal(m.lineCount, 6);
    assert.equal(m.cluster[2], PENDING);
    assert.equal(m.row[2], 1);
    assert.deepEqual(m.pendingLines(), [2]);
    assert.equal(m.edited[2], 1);
    m.setLine(2, 2, 0.75);
    assert.equal(m.cluster[2], 2);
    assert.deepEqual(m.pendingLines(), []);
  });

  it('inserted lines move the lines below and are pending', () => {
    const m = model();
    // Typing Enter plus a new row at the end of line 1: line 1 becomes two lines.
    m.replaceLines(1, 1, 2);
    assert.equal(m.lineCount, 7);
    assert.deepEqual([...m.cluster], [NONE, PENDING, PENDING, 1, NONE, 2, NONE]);
    assert.deepEqual([...m.row], [-1, 0, -1, 1, 2, 3, -1]);
    assert.equal(m.lineOfRow(3, 4), 5);
    assert.equal(m.distance[5], 2.5);
  });

  it('deleted lines move the lines below up, and a deleted row has no line', () => {
    const m = model();
    // Select from the start of line 2 to the start of line 4 and delete: lines 2..4 become one line.
    m.replaceLines(2, 4, 1);
    assert.equal(m.lineCount, 4);
    assert.deepEqual([...m.cluster], [NONE, 0, PENDING, NONE]);
    assert.equal(m.lineOfRow(0, 1), 1);
    assert.equal(m.lineOfRow(2, 3), -1);
    assert.equal(m.lineOfRow(3, 4), -1);
  });

  it('ignores rows whose line is outside the document', () => {
    const m = new LineClusters(2, Int32Array.from([1, 5]), Int32Array.from([0, 1]), Float64Array.from([1, 1]));
    assert.deepEqual([...m.cluster], [NONE, 0]);
  });
});
