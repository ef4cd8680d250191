/**
 * The centres-file reader and its checks: every refusal names the file and the row, line or
 * column, and says why; the rows are lined up with the fit's features by name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  alignKnownCentres, checkKnownColumns, checkKnownCount, KnownCentresError, readKnownCentres,
} from '../../../src/pipeline/knownCentres';

const refused = (f: () => unknown, pattern: RegExp): void => {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof KnownCentresError, `a KnownCentresError, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
};

describe('readKnownCentres', () => {
  it('reads names and values, empty cells and NA as not known', () => {
    const t = readKnownCentres('x,y,z\n1,2,\n,5.5,NA\n-1e2,,3\n', 'c.csv');
    assert.deepStrictEqual(t, { fileName: 'c.csv', columns: ['x', 'y', 'z'], rows: [[1, 2, null], [null, 5.5, null], [-100, null, 3]] });
  });

  it('reads a semicolon file and a short row as missing cells', () => {
    const t = readKnownCentres('a;b\n1;2\n3\n', 'c.csv');
    assert.deepStrictEqual(t.rows, [[1, 2], [3, null]]);
  });

  it('refuses a cell that is not a number, naming row, line and column', () => {
    refused(() => readKnownCentres('x,y\n1,2\n3,abc\n', 'c.csv'), /^c\.csv, row 2 \(line 3\), column "y": "abc" is not a number/);
  });

  it('refuses an infinite value', () => {
    refused(() => readKnownCentres('x,y\n1,inf\n', 'c.csv'), /^c\.csv, row 1 \(line 2\), column "y": "inf" is not a number/);
  });

  it('refuses a file with no known coordinate', () => {
    refused(() => readKnownCentres('x,y\n,\n,\n', 'c.csv'), /^c\.csv gives no known coordinate: all the cells of its 2 rows are empty$/);
  });

  it('refuses a file with a header only, or empty', () => {
    refused(() => readKnownCentres('x,y\n', 'c.csv'), /^c\.csv has no centres/);
    refused(() => readKnownCentres('', 'c.csv'), /^c\.csv has no centres/);
  });

  it('refuses a column named twice and an empty header cell', () => {
    refused(() => readKnownCentres('x,x\n1,2\n', 'c.csv'), /^c\.csv, column "x": named twice in the header \(columns 1 and 2\)$/);
    refused(() => readKnownCentres('x,,y\n1,2,3\n', 'c.csv'), /^c\.csv, column 2: the header cell is empty/);
  });

  it('refuses a row with more values than the header names', () => {
    refused(() => readKnownCentres('x,y\n1,2,3\n', 'c.csv'), /^c\.csv, row 1 \(line 2\): it has 3 cells but the header names 2 columns$/);
  });
});

describe('checks against the data and k', () => {
  const known = readKnownCentres('y,x\n1,2\n3,\n', 'c.csv');

  it('refuses more centre rows than k', () => {
    refused(() => checkKnownCount(known, 1), /^c\.csv has 2 centre rows, more than k=1: raise k to at least 2 or remove rows$/);
    checkKnownCount(known, 2);
  });

  it('refuses a column the data does not have, and a text column', () => {
    const data = [{ name: 'x', numeric: true }, { name: 'kind', numeric: false }];
    refused(() => checkKnownColumns(known, 'd.csv', data), /^c\.csv, column "y": d\.csv has no such column \(its columns are "x", "kind"\)$/);
    const onText = readKnownCentres('kind\n1\n', 'c.csv');
    refused(() => checkKnownColumns(onText, 'd.csv', data), /^c\.csv, column "kind": it is a text column in d\.csv/);
    checkKnownColumns(known, 'd.csv', [...data, { name: 'y', numeric: true }]);
  });

  it('lines the rows up with the features and pads to k with free centres', () => {
    assert.deepStrictEqual(alignKnownCentres(known, ['x', 'z', 'y'], 3), [
      [2, null, 1],
      [null, null, 3],
      [null, null, null],
    ]);
  });

  it('refuses, when lining up, a column that is not a feature of the run, and too many rows', () => {
    refused(() => alignKnownCentres(known, ['x', 'z'], 3, 'd.csv'), /^c\.csv, column "y": it is not a feature column of d\.csv in this run \(the features are "x", "z"\)$/);
    refused(() => alignKnownCentres(known, ['x', 'y'], 1), /more than k=1/);
  });
});

describe('parseKnownSettings', () => {
  it('copies valid settings and refuses bad ones, naming the field', async () => {
    const { parseKnownSettings } = await import('../../../src/protocol/known');
    const { parseRunSettings, DEFAULT_SETTINGS } = await import('../../../src/protocol/messages');
    const known = { fileName: 'c.csv', columns: ['x', 'y'], rows: [[1, null]], freeze: true };
    assert.deepStrictEqual(parseKnownSettings(known, 's'), known);
    assert.deepStrictEqual(parseRunSettings({ ...DEFAULT_SETTINGS, known, extra: 1 }).known, known);
    assert.throws(() => parseKnownSettings({ ...known, rows: [[1]] }, 's'), /s\.known: row 0 should have one value per column \(2\)/);
    assert.throws(() => parseKnownSettings({ ...known, rows: [[1, Infinity]] }, 's'), /row 0, column 1 should be a finite number or null/);
    assert.throws(() => parseKnownSettings({ ...known, freeze: 'yes' }, 's'), /freeze should be true or false/);
    assert.throws(() => parseKnownSettings({ ...known, columns: [] }, 's'), /columns should be a non-empty list/);
  });
});
