import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { classifyColumns, inspectTable } from '../../../src/csv/inspect';

const MESSY = path.join(__dirname, '../../fixtures/messy');
const names = fs.readdirSync(MESSY).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)).sort();

interface Expected {
  has_utf8_bom: boolean;
  delimiter: string;
  line_endings: string;
  header: string[] | null;
  n_columns: number;
  n_rows: number;
  ragged_rows: { row: number; n_fields: number }[];
  missing_cells: [number, number][];
  numeric_columns: number[];
  non_numeric_cells: { row: number; column: number; value: string }[];
}

describe('inspectTable equals messy/*.expected.json', () => {
  for (const name of names) {
    it(name, () => {
      const e = JSON.parse(fs.readFileSync(path.join(MESSY, `${name}.expected.json`), 'utf8')) as Expected;
      const info = inspectTable(parseCsv(fs.readFileSync(path.join(MESSY, `${name}.csv`), 'utf8')));
      assert.equal(info.delimiter, e.delimiter);
      assert.deepEqual(info.header, e.header);
      assert.equal(info.nRows, e.n_rows);
      assert.equal(info.nColumns, e.n_columns);
      assert.deepEqual(info.numericColumns, e.numeric_columns);
      assert.deepEqual(info.missingCells, e.missing_cells);
      assert.deepEqual(info.nonNumericCells, e.non_numeric_cells.map((c) => [c.row, c.column, c.value]));
      assert.deepEqual(info.raggedRows, e.ragged_rows.map((r) => r.row));
      assert.equal(info.hasBom, e.has_utf8_bom);
      assert.equal(info.lineEndings, e.line_endings);
      if (e.header === null && e.n_rows === 0) assert.ok(info.warnings.length > 0, 'an empty file is reported');
      // The object has exactly the CLI contract's keys (plus hasBom and lineEndings).
      assert.deepEqual(Object.keys(info).sort(), ['delimiter', 'hasBom', 'header', 'lineEndings', 'missingCells', 'nColumns', 'nRows',
        'nonNumericCells', 'numericColumns', 'raggedRows', 'warnings']);
    });
  }

  it('non_numeric_cell: the odd cell is named in a warning with row, line and column', () => {
    const info = inspectTable(parseCsv(fs.readFileSync(path.join(MESSY, 'non_numeric_cell.csv'), 'utf8')));
    assert.match(info.warnings.join('\n'), /row 1 \(line 3\), column "y": "oops" is not a number/);
  });
});

describe('column typing rule', () => {
  it('NA tokens are missing, one odd cell is tolerated, two make a text column', () => {
    const t = parseCsv('a,b,c,d,e\n1,x,NA,,1\n2,3,null,,y\nN/A,4,NaN,,z\n');
    const info = inspectTable(t);
    // a: 1, 2 and N/A (missing) -> numeric. b: x is the one odd cell -> numeric.
    // c: only NA tokens -> no number -> not numeric. d: all empty -> not numeric. e: y and z -> text.
    assert.deepEqual(info.numericColumns, [0, 1]);
    assert.deepEqual(info.nonNumericCells, [[0, 1, 'x']]);
    assert.deepEqual(info.missingCells, [[0, 2], [0, 3], [1, 2], [1, 3], [2, 0], [2, 2], [2, 3]]);
  });

  it('Infinity, 1e309 and thousand separators are not numbers', () => {
    const info = inspectTable(parseCsv('a,b,c\n1,1,1\nInfinity,1e309,"1,000"\n2,2,-0\n'));
    assert.deepEqual(info.numericColumns, [0, 1, 2]);
    assert.deepEqual(info.nonNumericCells, [[1, 0, 'Infinity'], [1, 1, '1e309'], [1, 2, '1,000']]);
  });

  it('absent fields of short rows are missing; extra fields of long rows belong to no column', () => {
    const t = parseCsv('a,b\n1\n2,3,x,y\n');
    const info = inspectTable(t);
    assert.equal(info.nColumns, 2);
    assert.deepEqual(info.missingCells, [[0, 1]]);
    assert.deepEqual(info.numericColumns, [0, 1]);
    assert.deepEqual(info.raggedRows, [0, 1]);
  });

  it('without a header the columns are counted from the most common row width', () => {
    const classes = classifyColumns(parseCsv('1,2\n3,4\n5\n'));
    assert.equal(classes.nColumns, 2);
    assert.deepEqual(classes.numeric, [true, true]);
    assert.deepEqual(Array.from(classes.numbers), [3, 2]);
  });

  it('header only: columns without rows, none numeric, no warning', () => {
    const info = inspectTable(parseCsv('x,y,z\n'));
    assert.equal(info.nColumns, 3);
    assert.deepEqual(info.numericColumns, []);
    assert.deepEqual(info.warnings, []);
  });
});
