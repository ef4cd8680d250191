import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CsvError, parseCsv } from '../../../src/csv/read';
import { buildDataset } from '../../../src/csv/dataset';
import { NumericCsvStream } from '../../../src/csv/stream';

const FIX = path.join(__dirname, '../../fixtures');
const MESSY = path.join(FIX, 'messy');
const messyNames = fs.readdirSync(MESSY).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)).sort();

interface Expected {
  has_utf8_bom: boolean;
  delimiter: string;
  line_endings: string;
  header: string[] | null;
  n_columns: number;
  n_rows: number;
  rows: string[][];
  ragged_rows: { row: number; n_fields: number }[];
  blank_lines_skipped: number;
}

function expected(name: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(MESSY, `${name}.expected.json`), 'utf8')) as Expected;
}

/** RFC 4180 writer written for the tests (quote a field holding a quote, delimiter, CR or LF, or edge spaces). */
function writeCsv(records: string[][], delimiter: string, eol: string): string {
  const quote = (f: string): string => (/["\r\n]/.test(f) || f.includes(delimiter) ? `"${f.replace(/"/g, '""')}"` : f);
  return records.map((r) => r.map(quote).join(delimiter)).join(eol) + eol;
}

function expectThrowsAt(fn: () => unknown, line: number, column: number, what: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CsvError, `a CsvError, got ${String(e)}`);
    assert.equal(e.name, 'CsvError');
    assert.equal(e.line, line, e.message);
    assert.equal(e.column, column, e.message);
    assert.match(e.message, new RegExp(`^line ${line}, column ${column}: `));
    assert.match(e.message, what);
    return true;
  });
}

describe('parseCsv on test/fixtures/messy', () => {
  assert.ok(messyNames.length >= 8, 'the messy fixtures are present');
  for (const name of messyNames) {
    it(name, () => {
      const e = expected(name);
      const t = parseCsv(fs.readFileSync(path.join(MESSY, `${name}.csv`), 'utf8'));
      assert.equal(t.delimiter, e.delimiter);
      assert.deepEqual(t.header, e.header);
      assert.deepEqual(t.rows, e.rows);
      assert.equal(t.rows.length, e.n_rows);
      assert.equal(t.hasBom, e.has_utf8_bom);
      assert.equal(t.lineEndings, e.line_endings);
      assert.deepEqual(t.raggedRows, e.ragged_rows.map((r) => r.row));
      for (const r of e.ragged_rows) assert.equal(t.rows[r.row].length, r.n_fields);
      assert.equal(t.blankLines, e.blank_lines_skipped);
      assert.equal(t.rowLine.length, t.rows.length);
      if (e.header === null && e.n_rows === 0) assert.ok(t.warnings.length > 0, 'an empty file is reported');
    });
  }

  it('quoted_fields: rowLine counts the line breaks inside quoted fields', () => {
    const t = parseCsv(fs.readFileSync(path.join(MESSY, 'quoted_fields.csv'), 'utf8'));
    // Line 0 header; row 0 on line 1; row 1 spans lines 2-3; row 2 on line 4; row 3 spans lines 5-6.
    assert.deepEqual(Array.from(t.rowLine), [1, 2, 4, 5]);
  });

  for (const [label, delimiter, eol] of [['CRLF', ',', '\r\n'], ['CR', ',', '\r'], ['tab', '\t', '\n'], ['pipe', '|', '\n'], ['semicolon + CRLF', ';', '\r\n']] as const) {
    it(`every messy file rewritten with ${label} reads the same (delimiter sniffed)`, () => {
      for (const name of messyNames) {
        const e = expected(name);
        if (e.header === null) continue;
        const text = (e.has_utf8_bom ? '\ufeff' : '') + writeCsv([e.header, ...e.rows], delimiter, eol);
        const t = parseCsv(text);
        assert.equal(t.delimiter, delimiter, name);
        assert.deepEqual(t.header, e.header, name);
        assert.deepEqual(t.rows, e.rows, name);
        assert.deepEqual(t.raggedRows, e.ragged_rows.map((r) => r.row), name);
        assert.equal(t.hasBom, e.has_utf8_bom);
        const embedded = e.rows.some((r) => r.some((f) => f.includes('\n')));
        const style = eol === '\r\n' ? 'CRLF' : eol === '\r' ? 'CR' : 'LF';
        assert.equal(t.lineEndings, embedded && style !== 'LF' ? 'mixed' : style, name);
      }
    });
  }
});

describe('parseCsv records and lines', () => {
  it('multi-line quoted fields, blank lines and mixed line ends keep each record on its first line', () => {
    const text = 'id,text\n1,"a\nb"\n\n2,"x\r\ny"\r\n   \n3,z';
    // line 0: header; 1-2: row 0; 3: blank; 4-5: row 1; 6: blank (spaces); 7: row 2
    const t = parseCsv(text);
    assert.deepEqual(t.header, ['id', 'text']);
    assert.deepEqual(t.rows, [['1', 'a\nb'], ['2', 'x\r\ny'], ['3', 'z']]);
    assert.deepEqual(Array.from(t.rowLine), [1, 4, 7]);
    assert.equal(t.blankLines, 2);
    assert.equal(t.lineEndings, 'mixed');
  });

  it('CR-only files and doubled quotes', () => {
    const t = parseCsv('a,b\r"say ""hi""",2\r"",3\r');
    assert.deepEqual(t.rows, [['say "hi"', '2'], ['', '3']]);
    assert.deepEqual(Array.from(t.rowLine), [1, 2]);
    assert.equal(t.lineEndings, 'CR');
  });

  it('a quote inside an unquoted field is text (as pandas reads it)', () => {
    const t = parseCsv('size,n\n12",3\n5,6\n');
    assert.deepEqual(t.rows, [['12"', '3'], ['5', '6']]);
  });

  it('a stray quote that fools the run detection is still read as csv-parse reads the whole text', () => {
    // Row 0 holds a stray quote; row 1 then opens a quoted field that spans two lines.
    const t = parseCsv('a,b\n1,2"x\n3,"4\n5,6"\n7,8\n');
    assert.deepEqual(t.rows, [['1', '2"x'], ['3', '4\n5,6'], ['7', '8']]);
    assert.deepEqual(Array.from(t.rowLine), [1, 2, 4]);
  });

  it('trailing delimiters give empty fields; a tab-only line is a record with a tab delimiter, blank otherwise', () => {
    assert.deepEqual(parseCsv('a,b,c\n1,2,\n').rows, [['1', '2', '']]);
    const tsv = parseCsv('a\tb\n\t\n1\t2\n');
    assert.deepEqual(tsv.rows, [['', ''], ['1', '2']]);
    const csv = parseCsv('a,b\n\t\n1,2\n');
    assert.deepEqual(csv.rows, [['1', '2']]);
    assert.equal(csv.blankLines, 1);
  });

  it('header detection', () => {
    assert.equal(parseCsv('1,2\n3,4\n').header, null, 'all numbers: data');
    assert.equal(parseCsv('1,,NA\n3,4,5\n').header, null, 'numbers and missing values: data');
    assert.deepEqual(parseCsv('x,2\n3,4\n').header, ['x', '2'], 'one text field: a header');
    assert.deepEqual(parseCsv('1,2\n3,4\n', { header: true }).header, ['1', '2']);
    const none = parseCsv('a,b\n3,4\n', { header: false });
    assert.equal(none.header, null);
    assert.deepEqual(none.rows, [['a', 'b'], ['3', '4']]);
    assert.deepEqual(Array.from(none.rowLine), [0, 1]);
  });

  it('without a header, ragged rows are measured against the most common width', () => {
    const t = parseCsv('1,2\n3\n4,5\n6,7,8\n');
    assert.deepEqual(t.raggedRows, [1, 3]);
    assert.match(t.warnings.join('\n'), /2 rows have a different number of fields than the usual 2/);
  });

  it('warns about ragged rows, repeated names and NUL characters with rows and lines', () => {
    const t = parseCsv('a,b,a\n1,2\n3,4,5\n6,7,8,9\n0\u0000,1,2\n');
    assert.deepEqual(t.raggedRows, [0, 2]);
    const w = t.warnings.join('\n');
    assert.match(w, /row 0 \(line 2\) has 2, row 2 \(line 4\) has 4/);
    assert.match(w, /repeated column name: "a" \(columns 1 and 3\)/);
    assert.match(w, /NUL characters/);
  });

  it('empty and blank-only text give no header, no rows and a warning', () => {
    for (const text of ['', '\n\n', '\r\n  \r\n', '\ufeff']) {
      const t = parseCsv(text);
      assert.equal(t.header, null);
      assert.deepEqual(t.rows, []);
      assert.equal(t.rowLine.length, 0);
      assert.equal(t.warnings.length, 1, JSON.stringify(text));
    }
  });

  it('lines of vertical tabs and form feeds are blank, for the table reader and the numeric stream alike', () => {
    const text = 'a,b\n1,2\n\u000b\n\f \f\n3,4\n';
    const t = parseCsv(text);
    assert.deepEqual(t.rows, [['1', '2'], ['3', '4']]);
    assert.equal(t.blankLines, 2);
    const stream = new NumericCsvStream();
    stream.push(text);
    const r = stream.end();
    assert.equal(r.X.nRows, 2);
    assert.deepEqual(Array.from(r.rowLine), Array.from(t.rowLine));
  });

  it('a given delimiter is used as is', () => {
    const t = parseCsv('a;b,c\n1;2,3\n', { delimiter: ',' });
    assert.deepEqual(t.header, ['a;b', 'c']);
    assert.equal(t.delimiter, ',');
  });
});

describe('parseCsv errors name line and column', () => {
  it('an unclosed quote points at its opening quote', () => {
    expectThrowsAt(() => parseCsv('a,b\n1,"2\n3,4\n'), 2, 3, /never closed/);
    expectThrowsAt(() => parseCsv('a,b\n\n\n"1","1\n2\n3"\n"x","y"\n"q'), 8, 1, /never closed/);
    expectThrowsAt(() => parseCsv('a,b\r\n1,2\r\n3,"x""y\r\n'), 3, 3, /never closed/);
  });

  it('a field longer than maxFieldBytes, in plain and in quoted lines', () => {
    expectThrowsAt(() => parseCsv('a,b\n1,12345\n', { maxFieldBytes: 4 }), 2, 3, /5 characters is longer than maxFieldBytes=4/);
    expectThrowsAt(() => parseCsv('a,b\n"1","12345"\n', { maxFieldBytes: 4 }), 2, 5, /longer than maxFieldBytes=4/);
    assert.equal(parseCsv('a,b\n1,1234\n', { maxFieldBytes: 4 }).rows.length, 1);
    // A blank line is no field, however many spaces it holds (the csv-parse path agrees).
    const blank = parseCsv('a\n      \n1\n', { maxFieldBytes: 1 });
    assert.deepEqual(blank.rows, [['1']]);
    assert.equal(blank.blankLines, 1);
    assert.deepEqual(Array.from(blank.rowLine), [2]);
  });

  it('invalid options', () => {
    assert.throws(() => parseCsv('a', { delimiter: '::' }), /delimiter="::" should be a single character/);
    assert.throws(() => parseCsv('a', { delimiter: '"' }), CsvError);
    assert.throws(() => parseCsv('a', { maxFieldBytes: 0 }), /maxFieldBytes=0 should be a whole number >= 1/);
    assert.throws(() => parseCsv('a', { header: 'yes' as unknown as boolean }), /header="yes" should be true, false or 'auto'/);
  });
});

describe('the dataset fixtures parse into exactly the numbers Number() gives', () => {
  const datasets = ['iris', 'wine', 'blobs_2d_k4', 'blobs_8d_k5', 'degenerate', 'text_counts', 'animals'];
  for (const name of datasets) {
    it(name, () => {
      const text = fs.readFileSync(path.join(FIX, `${name}.csv`), 'utf8');
      const meta = JSON.parse(fs.readFileSync(path.join(FIX, `${name}.json`), 'utf8')) as { feature_columns: string[]; label_column: string; n_rows: number };
      // The fixture files hold no quotes (README), so a plain split is an independent reading.
      const lines = text.split('\n').filter((l) => l.length > 0);
      const names = lines[0].split(',');
      const t = parseCsv(text);
      assert.deepEqual(t.header, names);
      assert.equal(t.rows.length, meta.n_rows);
      const ds = buildDataset(t, { exclude: [meta.label_column] });
      assert.deepEqual(ds.featureNames, meta.feature_columns);
      assert.equal(ds.X.nRows, meta.n_rows);
      assert.deepEqual(ds.warnings, []);
      for (let i = 0; i < meta.n_rows; i++) {
        const cells = lines[i + 1].split(',');
        for (let j = 0; j < ds.featureColumns.length; j++) {
          const want = Number(cells[names.indexOf(meta.feature_columns[j])]);
          assert.ok(Object.is(ds.X.data[i * ds.X.nCols + j], want), `${name} row ${i} column ${meta.feature_columns[j]}`);
        }
      }
    });
  }

  it('distances_12 gives the matrix in its JSON', () => {
    const t = parseCsv(fs.readFileSync(path.join(FIX, 'distances_12.csv'), 'utf8'));
    const meta = JSON.parse(fs.readFileSync(path.join(FIX, 'distances_12.json'), 'utf8')) as { ids: string[]; matrix: number[][] };
    assert.deepEqual(t.rows.map((r) => r[0]), meta.ids);
    const ds = buildDataset(t);
    assert.deepEqual(ds.featureNames, t.header?.slice(1));
    for (let i = 0; i < meta.matrix.length; i++) {
      assert.deepEqual(Array.from(ds.X.data.subarray(i * 12, i * 12 + 12)), meta.matrix[i]);
    }
  });
});

describe('parseCsv stays linear', () => {
  // Quadratic rescans on these shapes would take minutes; the bound only detects a hang.
  it('one-column, CR-only and quoted files of 100k lines', () => {
    const n = 100000;
    const shapes = [
      ['x\n' + '1\n'.repeat(n), 'LF'],
      ['x,y\r' + '1,2\r'.repeat(n), 'CR'],
      ['x,y\n' + '"a",1\n'.repeat(n), 'LF'],
      ['x,y\n' + '1,2\n'.repeat(n - 1) + '"3",4\n', 'LF'],
    ] as const;
    for (const [text, style] of shapes) {
      const t0 = Date.now();
      const t = parseCsv(text);
      assert.equal(t.rows.length, n);
      assert.equal(t.lineEndings, style);
      assert.equal(t.rowLine[n - 1], n);
      assert.ok(Date.now() - t0 < 60_000, `took ${Date.now() - t0} ms`);
    }
  });
});
