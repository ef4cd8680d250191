import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NumericCsvStream, type NumericCsvResult, type NumericCsvStreamOptions } from '../../../src/csv/stream';
import { CsvError, parseCsv, tableWidth, type CsvTable } from '../../../src/csv/read';
import { inspectTable } from '../../../src/csv/inspect';
import { parseNumber } from '../../../src/csv/numbers';

const FIX = path.join(__dirname, '../../fixtures');
const MESSY = path.join(FIX, 'messy');

function streamed(text: string, chunk: number, options?: NumericCsvStreamOptions): NumericCsvResult {
  const reader = new NumericCsvStream(options);
  for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk));
  return reader.end();
}

/** What the stream must produce, derived from parseCsv: each cell's number or NaN. */
function assertSameAsTable(r: NumericCsvResult, t: CsvTable, label: string): void {
  assert.equal(r.delimiter, t.delimiter, label);
  assert.deepEqual(r.header, t.header, label);
  assert.equal(r.hasBom, t.hasBom, label);
  assert.equal(r.lineEndings, t.lineEndings, label);
  assert.equal(r.blankLines, t.blankLines, label);
  assert.deepEqual(Array.from(r.rowLine), Array.from(t.rowLine), label);
  const d = t.header !== null ? t.header.length : t.rows.length > 0 ? t.rows[0].length : 0;
  assert.equal(r.nColumns, d, label);
  assert.equal(r.X.nRows, t.rows.length, label);
  assert.equal(r.X.nCols, d, label);
  for (let i = 0; i < t.rows.length; i++) {
    for (let c = 0; c < d; c++) {
      const want = c < t.rows[i].length ? parseNumber(t.rows[i][c]) : NaN;
      assert.ok(Object.is(r.X.data[i * d + c], want), `${label}: row ${i} column ${c}: ${r.X.data[i * d + c]} vs ${want}`);
    }
  }
  const ragged: number[] = [];
  for (let i = 0; i < t.rows.length; i++) if (t.rows[i].length !== d) ragged.push(i);
  assert.deepEqual(r.raggedRows, ragged, label);
}

describe('NumericCsvStream agrees with parseCsv', () => {
  const names = fs.readdirSync(MESSY).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4));
  for (const name of names) {
    it(`messy/${name}, chunks of 1, 2, 3, 7, 64 characters and whole`, () => {
      const text = fs.readFileSync(path.join(MESSY, `${name}.csv`), 'utf8');
      const t = parseCsv(text);
      // With the delimiter given the stream starts at once, so every cut is exercised; the
      // last run sniffs the delimiter (the first 64 KiB are then read in one piece).
      for (const chunk of [1, 2, 3, 7, 64, text.length + 1]) {
        const r = streamed(text, chunk, chunk <= text.length ? { delimiter: t.delimiter } : {});
        assertSameAsTable(r, t, `${name}/${chunk}`);
        if (t.header !== null && tableWidth(t) === r.nColumns) assert.deepEqual(r.numericColumns, inspectTable(t).numericColumns, name);
      }
    });
  }

  it('non_numeric_cell lists the odd cell with row and column', () => {
    const r = streamed(fs.readFileSync(path.join(MESSY, 'non_numeric_cell.csv'), 'utf8'), 5);
    assert.deepEqual(r.nonNumericCells, [[1, 1, 'oops']]);
    assert.deepEqual(Array.from(r.nonNumeric), [0, 1, 0]);
    assert.match(r.warnings.join('\n'), /row 1 \(line 3\), column 1: "oops"/);
  });

  for (const name of ['iris', 'wine', 'text_counts']) {
    it(`${name}.csv: every number as Number() reads it`, () => {
      const text = fs.readFileSync(path.join(FIX, `${name}.csv`), 'utf8');
      const r = streamed(text, 4096);
      assertSameAsTable(r, parseCsv(text), name);
      const lines = text.split('\n').filter((l) => l.length > 0);
      const cells = lines[1].split(',');
      for (let c = 0; c < cells.length; c++) {
        const want = Number(cells[c]);
        if (Number.isFinite(want)) assert.ok(Object.is(r.X.data[c], want));
      }
      assert.equal(r.quotedRecords, 0, 'no quotes: all on the fast path');
    });
  }
});

describe('NumericCsvStream chunk boundaries and dialects', () => {
  const cases: [string, string, string][] = [
    ['CRLF cut between CR and LF', ',', 'a,b\r\n1,2\r\n3,4\r\n'],
    ['CRLF in quoted lines cut between CR and LF', ',', 'a,b\r\n"1",2\r\n"3","4"\r\n5,"6\r\n7"\r\n'],
    ['CR only', ',', 'a,b\r1,2\r3,4\r5,6'],
    ['quoted field spanning lines and chunks', ',', 'a,b\n1,"x\ny"\n2,"3"\n"4",5\n'],
    ['doubled quotes', ',', 'a,b\n"1""",2\n3,""""\n'],
    ['stray quote then a real quoted field (read to the end by csv-parse)', ',', 'a,b\n1,2"x\n3,"4\n5,6"\n7,8\n9,10\n'],
    ['tab with empty fields', '\t', 'a\tb\tc\n1\t\t3\n\t5\t\n7\t8\t9\n'],
    ['spaces, signs, exponents, NA tokens and text', ';', 'a;b;c;d\n 1 ;+2;-0;1e3\nNA;-1.5E-3;.5;5.\n1e309;Infinity;0x10;abc\n12345678901234567890;0.1;nan;\n'],
    ['blank lines and a BOM', ',', '\ufeffx,y\n\n1,2\n   \n\n3,4\n\n'],
    ['header-less numbers', ',', '1,2\n3,4\n5\n6,7,8\n'],
    ['a delimiter that can be part of a number', '.', 'a.b\n1.2\n3.4\n'],
  ];
  for (const [label, delimiter, text] of cases) {
    it(label, () => {
      const t = parseCsv(text, { delimiter });
      for (let chunk = 1; chunk <= text.length + 1; chunk++) assertSameAsTable(streamed(text, chunk, { delimiter }), t, `${label}/${chunk}`);
      if (delimiter !== '.') assertSameAsTable(streamed(text, 1), parseCsv(text), `${label}/sniffed`);
    });
  }

  it('past the 64 KiB the sniffer holds back, cuts anywhere give the same result', () => {
    const rows: string[] = ['x;y;z'];
    for (let i = 0; i < 9000; i++) rows.push(i % 50 === 0 ? `"${i}";"a\r\nb";${i}` : `${i};${i / 4};${i % 7 === 0 ? '' : -i}`);
    const text = rows.join('\r\n') + '\r\n';
    assert.ok(text.length > 2 * 65536);
    const t = parseCsv(text);
    for (const chunk of [4093, 65536, 65537, 100000]) assertSameAsTable(streamed(text, chunk), t, `chunk ${chunk}`);
  });

  it('counts quoted records, missing and non-numeric cells per column', () => {
    const r = streamed('a,b\n"1",\nx,NA\n3,4\n', 3);
    assert.equal(r.quotedRecords, 1);
    assert.deepEqual(Array.from(r.numbers), [2, 1]);
    assert.deepEqual(Array.from(r.missing), [0, 2]);
    assert.deepEqual(Array.from(r.nonNumeric), [1, 0]);
    assert.deepEqual(r.numericColumns, [0, 1]);
  });

  it('grows its buffer from one row', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${i},${i * 0.5}`);
    const r = streamed(`i,h\n${rows.join('\n')}\n`, 100, { initialRows: 1 });
    assert.equal(r.X.nRows, 1000);
    assert.equal(r.X.data.length, 2000);
    assert.equal(r.X.data[2 * 999 + 1], 499.5);
    assert.equal(r.rowLine[999], 1000);
  });

  it('header options and empty input', () => {
    assert.equal(streamed('1,2\n', 10, { header: true }).header?.join(), '1,2');
    assert.equal(streamed('a,b\n', 10, { header: false }).X.nRows, 1);
    const empty = new NumericCsvStream().end();
    assert.equal(empty.header, null);
    assert.equal(empty.X.nRows, 0);
    assert.deepEqual(empty.warnings, ['the file is empty']);
  });

  it('end() is idempotent; push() after end() is a programming error', () => {
    const reader = new NumericCsvStream();
    reader.push('a\n1\n');
    const first = reader.end();
    assert.deepEqual(Array.from(reader.end().X.data), Array.from(first.X.data));
    assert.throws(() => reader.push('2\n'), /push called after end/);
    assert.equal(reader.rowsRead, 1);
  });
});

describe('NumericCsvStream errors', () => {
  it('an unclosed quote: the same located CsvError as parseCsv, whatever the chunking', () => {
    for (const text of ['a,b\n1,"2\n3,4\n', 'a,b\n1,2"\n3,4\n5,"6', 'x\n"abc']) {
      let expected: CsvError | undefined;
      try {
        parseCsv(text);
      } catch (e) {
        expected = e as CsvError;
      }
      assert.ok(expected instanceof CsvError, text);
      for (const chunk of [1, 2, 5, 100]) {
        assert.throws(() => streamed(text, chunk), (e: unknown) => e instanceof CsvError && e.message === expected?.message && e.line === expected.line);
      }
    }
  });

  it('fields longer than maxFieldBytes, on the fast and the quoted path', () => {
    assert.throws(() => streamed('a,b\n1,123456\n', 3, { maxFieldBytes: 5 }), /line 2, column 3: a field of 6 characters is longer than maxFieldBytes=5/);
    assert.throws(() => streamed('a,b\n1,"123456"\n', 3, { maxFieldBytes: 5 }), /line 2, column 3: a field of 6 characters/);
  });

  it('invalid options', () => {
    assert.throws(() => new NumericCsvStream({ delimiter: '\n' }), CsvError);
    assert.throws(() => new NumericCsvStream({ initialRows: 0 }), /initialRows=0 should be a whole number >= 1/);
    assert.throws(() => new NumericCsvStream({ maxListed: -1 }), /maxListed=-1/);
  });
});

describe('NumericCsvStream on a large file', () => {
  it('200k x 5 rows in 1 MiB chunks equal the numbers Number() gives', () => {
    const n = 200000;
    const parts: string[] = ['a,b,c,d,e'];
    for (let i = 0; i < n; i++) parts.push(`${i},${(i * 0.37).toFixed(4)},${-i / 7},${i % 13 === 0 ? '' : i * 1e-3},${(i * 1.5e10).toExponential(6)}`);
    const text = parts.join('\n') + '\n';
    const t0 = Date.now();
    const r = streamed(text, 1 << 20);
    assert.ok(Date.now() - t0 < 15000, 'bounded time');
    assert.equal(r.X.nRows, n);
    for (let i = 0; i < n; i += 997) {
      const cells = parts[i + 1].split(',');
      for (let c = 0; c < 5; c++) {
        const want = cells[c] === '' ? NaN : Number(cells[c]);
        assert.ok(Object.is(r.X.data[i * 5 + c], want), `row ${i} column ${c}`);
      }
    }
    assert.equal(r.missing[3], Math.ceil(n / 13));
  });
});
