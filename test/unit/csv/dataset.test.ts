import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CsvError, parseCsv } from '../../../src/csv/read';
import { buildDataset, columnIndex, columnNames, labelColumn } from '../../../src/csv/dataset';
import { toRows } from '../../../src/engine/matrix';

// a: 1, (empty), 3, 5, NA       -> numbers 1, 3, 5; missing in rows 1 and 4
// b: 2, 4, oops, 6, 8           -> one odd cell (row 2): still a numeric column
// label: text                   -> not numeric, and excluded anyway
const TEXT = 'a,b,label\n1,2,x\n,4,y\n3,oops,z\n5,6,w\nNA,8,v\n';

describe('buildDataset', () => {
  it("drop: rows with a missing or non-numeric feature are left out and listed", () => {
    const ds = buildDataset(parseCsv(TEXT), { exclude: ['label'] });
    assert.deepEqual(ds.featureNames, ['a', 'b']);
    assert.deepEqual(ds.featureColumns, [0, 1]);
    assert.deepEqual(toRows(ds.X), [[1, 2], [5, 6]]);
    assert.deepEqual(Array.from(ds.rowIndex), [0, 3]);
    assert.deepEqual(ds.droppedRows, [1, 2, 4]);
    assert.equal(ds.nDataRows, 5);
    assert.equal(ds.imputed, 0);
    assert.ok(ds.warnings.includes('3 rows dropped for missing values (rows 1, 2, 4)'), ds.warnings.join('\n'));
    assert.match(ds.warnings.join('\n'), /1 feature cell is not a number and counts as missing: row 2 \(line 4\), column "b": "oops"/);
  });

  it('mean: missing cells get the mean of their column\'s numbers', () => {
    const ds = buildDataset(parseCsv(TEXT), { exclude: ['label'], missing: 'mean' });
    // mean(a) = (1 + 3 + 5) / 3 = 3; mean(b) = (2 + 4 + 6 + 8) / 4 = 5
    assert.deepEqual(toRows(ds.X), [[1, 2], [3, 4], [3, 5], [5, 6], [3, 8]]);
    assert.deepEqual(Array.from(ds.rowIndex), [0, 1, 2, 3, 4]);
    assert.deepEqual(ds.droppedRows, []);
    assert.equal(ds.imputed, 3);
    assert.match(ds.warnings.join('\n'), /3 missing values imputed with the column mean \("a": 2, "b": 1\)/);
  });

  it('given columns are used in the given order', () => {
    const ds = buildDataset(parseCsv(TEXT), { columns: ['b', 'a'], missing: 'mean' });
    assert.deepEqual(ds.featureNames, ['b', 'a']);
    assert.deepEqual(ds.featureColumns, [1, 0]);
    assert.deepEqual(toRows(ds.X)[0], [2, 1]);
  });

  it('short rows miss their absent fields; nothing to drop gives no warning', () => {
    const ds = buildDataset(parseCsv('x,y\n1,2\n3\n4,5\n'));
    assert.deepEqual(ds.droppedRows, [1]);
    const clean = buildDataset(parseCsv('x,y\n1,2\n4,5\n'));
    assert.deepEqual(clean.warnings, []);
    assert.deepEqual(toRows(clean.X), [[1, 2], [4, 5]]);
  });

  it('lists at most ten dropped rows', () => {
    const rows = Array.from({ length: 14 }, (_, i) => (i < 13 ? `${i},` : `${i},${i}`));
    const ds = buildDataset(parseCsv(`p,q\n${rows.join('\n')}\n`), { columns: ['p', 'q'] });
    assert.ok(ds.warnings.includes('13 rows dropped for missing values (rows 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, and 3 more)'), ds.warnings.join('\n'));
  });

  it('unknown names: a CsvError naming them and listing the columns', () => {
    const t = parseCsv(TEXT);
    assert.throws(() => buildDataset(t, { columns: ['a', 'nope', 'zip'] }),
      (e: unknown) => e instanceof CsvError && /no columns named "nope", "zip"; the columns are "a", "b", "label"/.test(e.message));
    assert.throws(() => buildDataset(t, { exclude: ['species'] }), /no column named "species"; the columns are "a", "b", "label"/);
  });

  it('clear errors when nothing can be built', () => {
    const t = parseCsv(TEXT);
    assert.throws(() => buildDataset(t, { columns: ['label'] }), /column "label" holds no numbers \(it holds text such as "x"\)/);
    assert.throws(() => buildDataset(t, { columns: ['a', 'a'] }), /column "a" is listed twice/);
    assert.throws(() => buildDataset(t, { columns: [] }), /columns=\[\] should name at least one feature column/);
    assert.throws(() => buildDataset(t, { missing: 'zero' as 'drop' }), /missing="zero" should be 'drop' or 'mean'/);
    assert.throws(() => buildDataset(parseCsv('a,b\n1,\n,2\n')), /no rows left: all 2 rows miss a value in "a", "b"/);
    assert.throws(() => buildDataset(parseCsv('a,b\n')), /header but no data rows/);
    assert.throws(() => buildDataset(parseCsv('')), /no data/);
    assert.throws(() => buildDataset(parseCsv('name,city\nann,rome\n')), /no numeric column to use as a feature; the columns are "name", "city"/);
    assert.throws(() => buildDataset(parseCsv('x,label\n1,a\n'), { exclude: ['x'] }), /no numeric column to use as a feature other than "x"/);
  });

  it('headerless files name their columns column1, column2, ...', () => {
    const t = parseCsv('1,2,3\n4,5,6\n');
    assert.deepEqual(columnNames(t), ['column1', 'column2', 'column3']);
    assert.equal(columnIndex(t, 'column3'), 2);
    assert.equal(columnIndex(t, '2'), 1);
    const ds = buildDataset(t, { exclude: ['column2'] });
    assert.deepEqual(ds.featureNames, ['column1', 'column3']);
    assert.deepEqual(toRows(ds.X), [[1, 3], [4, 6]]);
  });
});

describe('labelColumn', () => {
  it('numbers when every non-missing cell is one; missing cells are empty strings', () => {
    const t = parseCsv('x,k\n1,2\n2,\n3,0\n4,NA\n5');
    assert.deepEqual(labelColumn(t, 'k'), { values: [2, '', 0, '', ''], numeric: true });
  });

  it('strings otherwise, as written', () => {
    const t = parseCsv('x,s\n1,CAT\n2,7\n3,\n4,DOG\n');
    assert.deepEqual(labelColumn(t, 's'), { values: ['CAT', '7', '', 'DOG'], numeric: false });
  });

  it('an all-missing column is not numeric; an unknown one throws', () => {
    const t = parseCsv('x,s\n1,\n2,NA\n');
    assert.deepEqual(labelColumn(t, 's'), { values: ['', ''], numeric: false });
    assert.throws(() => labelColumn(t, 'y'), /no column named "y"; the columns are "x", "s"/);
  });
});
