/**
 * Property-based fuzzing of the CSV reader (issue 9): random records written with proper
 * quoting come back identically, the quote-free fast path agrees with csv-parse, and random
 * or mutated hostile text never fails with anything but a located CsvError, in bounded time.
 *
 * Fixed seeds and bounded runs keep CI fast and repeatable. For a longer local run (the
 * same variable as the hostile-input suites in test/unit/hostile):
 *   CENTROID_FUZZ_RUNS=10000 node scripts/test-unit.mjs csv/fuzz
 * (CENTROID_FUZZ_SEED=n changes the seed; CSV_FUZZ_RUNS and CSV_FUZZ_SEED are read too).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvError, parseCsv, parseRun, scanRecords, type CsvTable } from '../../../src/csv/read';
import { inspectTable } from '../../../src/csv/inspect';
import { buildDataset, labelColumn } from '../../../src/csv/dataset';
import { NumericCsvStream } from '../../../src/csv/stream';

const RUNS = Number(process.env.CENTROID_FUZZ_RUNS ?? process.env.CSV_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.CENTROID_FUZZ_SEED ?? process.env.CSV_FUZZ_SEED ?? 20240611);
/** Longest any single input may take: a hang detector, not a benchmark. */
const PER_INPUT_MS = 30_000; // far above any real run, so a loaded machine never fails it

const DELIMITERS = [',', ';', '\t', '|'] as const;
const EOLS = ['\n', '\r\n', '\r'] as const;

/**
 * RFC 4180 writer, independent of the code under test. `eol` is one line ending, or a list
 * used in turn after each record (mixed line endings).
 */
function writeCsv(records: string[][], delimiter: string, eol: string | readonly string[]): string {
  const quote = (f: string): string => (/["\r\n]/.test(f) || f.includes(delimiter) ? `"${f.replace(/"/g, '""')}"` : f);
  const ends = typeof eol === 'string' ? [eol] : eol;
  return records.map((r, i) => r.map(quote).join(delimiter) + ends[i % ends.length]).join('');
}

function linesIn(field: string): number {
  return (field.match(/\r\n|\r|\n/g) ?? []).length;
}

/** A record the reader skips as a blank line: one field of whitespace only. */
function isBlankRecord(r: string[]): boolean {
  return r.length === 1 && /^[ \t\n\r\v\f]*$/.test(r[0]);
}

// No lone surrogates: text decoded from bytes never holds one (bad bytes become U+FFFD), and
// csv-parse, which works on UTF-8 bytes, would turn one into U+FFFD where the fast path keeps it.
const nasty = fc.constantFrom('"', ',', ';', '\t', '|', '\n', '\r', '\r\n', ' ', '  ', '\v', '\f', '""', '\ufeff', '\u0000', '\ufffd', 'NaN', 'Infinity',
  '-Infinity', '1e309', '-1e309', '1e308', '-0', '1,000', 'NA', '', 'a', 'é', '😀', '1', '2.5', '-3e-2', 'x"y');
const field = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.array(nasty, { maxLength: 5 }).map((parts) => parts.join('')),
  fc.double({ noNaN: true }).map(String),
  fc.integer().map(String),
);
const records = fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 })
  .map((rs) => rs.filter((r) => !isBlankRecord(r)))
  .filter((rs) => rs.length > 0);

function timed<T>(fn: () => T): T {
  const t0 = Date.now();
  const out = fn();
  const ms = Date.now() - t0;
  assert.ok(ms < PER_INPUT_MS, `one input took ${ms} ms`);
  return out;
}

function streamOf(text: string, cuts: number[]): NumericCsvStream {
  const reader = new NumericCsvStream();
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(text.length, cut);
    if (to > at) reader.push(text.slice(at, to));
    at = Math.max(at, to);
  }
  reader.push(text.slice(at));
  return reader;
}

describe('CSV fuzz: round trip', () => {
  it('records written with proper quoting parse back identically with every delimiter and line ending, mixed ones too', () => {
    const eols = fc.oneof(fc.constantFrom(...EOLS), fc.array(fc.constantFrom(...EOLS), { minLength: 2, maxLength: 6 }));
    fc.assert(fc.property(records, fc.constantFrom(...DELIMITERS), eols, fc.boolean(), (recs, delimiter, eol, bom) => {
      const written = writeCsv(recs, delimiter, eol);
      // A text that starts with U+FEFF starts with a byte order mark, whatever was meant.
      fc.pre(bom || !written.startsWith('\ufeff'));
      const text = (bom ? '\ufeff' : '') + written;
      const t = timed(() => parseCsv(text, { delimiter, header: false }));
      assert.deepEqual(t.rows, recs);
      assert.equal(t.hasBom, bom);
      // Each record starts after the lines of the records before it.
      const lines: number[] = [];
      let line = 0;
      for (const r of recs) {
        lines.push(line);
        line += 1 + r.reduce((s, f) => s + linesIn(f), 0);
      }
      assert.deepEqual(Array.from(t.rowLine), lines);
    }), { seed: SEED, numRuns: RUNS });
  });

  it('the stream sees the same records and lines, however the text is cut', () => {
    fc.assert(fc.property(records, fc.constantFrom(...DELIMITERS), fc.constantFrom(...EOLS), fc.array(fc.nat(400), { maxLength: 6 }), (recs, delimiter, eol, cuts) => {
      const text = writeCsv(recs, delimiter, eol);
      const t = parseCsv(text, { delimiter, header: false });
      const reader = new NumericCsvStream({ delimiter, header: false });
      let at = 0;
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        if (cut > at && cut < text.length) {
          reader.push(text.slice(at, cut));
          at = cut;
        }
      }
      reader.push(text.slice(at));
      const r = timed(() => reader.end());
      assert.equal(r.X.nRows, t.rows.length);
      assert.deepEqual(Array.from(r.rowLine), Array.from(t.rowLine));
      assert.equal(r.lineEndings, t.lineEndings);
    }), { seed: SEED + 1, numRuns: RUNS });
  });
});

describe('CSV fuzz: the quote-free fast path', () => {
  it('splits exactly as csv-parse does (blank lines aside)', () => {
    const piece = fc.constantFrom('a', '1', '2.5', ',', ';', '\t', '|', ' ', '\n', '\r', '\r\n', '-', '', 'NA', '\u0000', 'é');
    const text = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(fc.property(text, fc.constantFrom(...DELIMITERS), (s, delimiter) => {
      const mine = timed(() => parseCsv(s, { delimiter, header: false }));
      const theirs = (parse(s, {
        delimiter, bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, relax_quotes: true, skip_empty_lines: false,
      }) as string[][]).filter((r) => !isBlankRecord(r));
      assert.deepEqual(mine.rows, theirs);
    }), { seed: SEED + 2, numRuns: RUNS * 3 });
  });

  it('gives the same records, start lines and blank-line count as the reader\'s csv-parse path on the same text', () => {
    // parseRun is the path quoted lines take; called on quote-free text it must agree with
    // the direct split, line numbers and blank lines included, with every maxField too.
    const piece = fc.constantFrom('a', '1', ',', ';', '\t', '|', ' ', '\n', '\r', '\r\n', '', 'NA', '\u0000', 'é', 'xyz');
    const text = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(fc.property(text, fc.constantFrom(...DELIMITERS), fc.constantFrom(Infinity, 1, 3), (s, delimiter, maxField) => {
      const run = (path: 'direct' | 'csv-parse'): { records: [string[], number][]; blank: number } | string => {
        const records: [string[], number][] = [];
        try {
          const blank = path === 'direct'
            ? scanRecords(s, 0, delimiter, maxField, (fields, line) => records.push([fields, line]))
            : parseRun(s, 0, s.length, delimiter, maxField, 0, true, (fields, line) => records.push([fields, line]))?.blank;
          return { records, blank: blank ?? -1 };
        } catch (e) {
          assert.ok(e instanceof CsvError, String(e));
          return e.message;
        }
      };
      assert.deepEqual(run('direct'), run('csv-parse'));
    }), { seed: SEED + 5, numRuns: RUNS * 3 });
  });
});

/** Runs everything a file meets (reader, inspect, dataset, labels, stream) and checks that only located CsvErrors come out. */
function survive(text: string, cuts: number[]): void {
  let table: CsvTable | undefined;
  let readError: CsvError | undefined;
  try {
    table = timed(() => parseCsv(text));
  } catch (e) {
    assert.ok(e instanceof CsvError, `parseCsv threw ${String(e)}`);
    assert.ok(e.line !== undefined && e.line >= 1 && e.column !== undefined && e.column >= 1, `located: ${e.message}`);
    readError = e;
  }
  let streamError: unknown;
  let streamRows = -1;
  try {
    streamRows = timed(() => streamOf(text, cuts).end()).X.nRows;
  } catch (e) {
    streamError = e;
  }
  if (readError !== undefined) {
    assert.ok(streamError instanceof CsvError && streamError.message === readError.message, `stream: ${String(streamError)} vs ${readError.message}`);
    return;
  }
  assert.equal(streamError, undefined, `the stream threw ${String(streamError)}`);
  if (table === undefined) return;
  const t: CsvTable = table;
  assert.equal(streamRows, t.rows.length);
  const info = timed(() => inspectTable(t));
  assert.equal(info.nRows, t.rows.length);
  for (const [r, c] of info.missingCells) assert.ok(r < t.rows.length && c < info.nColumns);
  for (const missing of ['drop', 'mean'] as const) {
    try {
      const ds = timed(() => buildDataset(t, { missing }));
      for (let i = 0; i < ds.X.data.length; i++) assert.ok(Number.isFinite(ds.X.data[i]), 'no NaN or Infinity reaches the matrix');
      assert.equal(ds.rowIndex.length, ds.X.nRows);
    } catch (e) {
      assert.ok(e instanceof CsvError, `buildDataset threw ${String(e)}`);
    }
  }
  if (t.header !== null && t.header.length > 0) {
    assert.equal(timed(() => labelColumn(t, t.header?.[0] ?? '')).values.length, t.rows.length);
  }
}

describe('CSV fuzz: hostile input never crashes', () => {
  it('random strings of quotes, delimiters, BOMs, NULs, replacement characters and odd numbers', () => {
    const text = fc.array(fc.oneof(nasty, fc.string({ maxLength: 3 }), fc.constantFrom('\n', ',')), { maxLength: 80 }).map((p) => p.join(''));
    fc.assert(fc.property(text, fc.array(fc.nat(200), { maxLength: 4 }), (s, cuts) => survive(s, cuts)), { seed: SEED + 3, numRuns: RUNS * 2 });
  });

  it('mutated fixture files', () => {
    const dir = path.join(__dirname, '../../fixtures');
    const sources = [
      ...fs.readdirSync(path.join(dir, 'messy')).filter((f) => f.endsWith('.csv')).map((f) => fs.readFileSync(path.join(dir, 'messy', f), 'utf8')),
      fs.readFileSync(path.join(dir, 'iris.csv'), 'utf8').slice(0, 600),
      fs.readFileSync(path.join(dir, 'animals.csv'), 'utf8').slice(0, 600),
    ];
    const mutation = fc.record({ at: fc.nat(), cut: fc.nat(4), insert: nasty });
    fc.assert(fc.property(fc.nat(sources.length - 1), fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(700), { maxLength: 4 }), (k, muts, cuts) => {
      let s = sources[k];
      for (const m of muts) {
        const at = s.length === 0 ? 0 : m.at % (s.length + 1);
        s = s.slice(0, at) + m.insert + s.slice(at + m.cut);
      }
      survive(s, cuts);
    }), { seed: SEED + 4, numRuns: RUNS * 2 });
  });
});

describe('CSV fuzz: huge lines and fields', () => {
  it('a one-line file of several megabytes', () => {
    const numbers = Array.from({ length: 600000 }, (_, i) => String(i % 1000)).join(',');
    assert.ok(numbers.length > 2e6);
    const t = timed(() => parseCsv(numbers));
    assert.equal(t.header, null, 'all numbers: a data row');
    assert.equal(t.rows.length, 1);
    assert.equal(t.rows[0].length, 600000);
    const r = timed(() => streamOf(numbers, [1 << 16, 1 << 20, 3 << 20]).end());
    assert.equal(r.X.nCols, 600000);
    assert.equal(r.X.data[599999], 599999 % 1000);
  });

  it('a quoted field of several megabytes, closed and unclosed', () => {
    const big = 'x'.repeat(3e6);
    const ok = timed(() => parseCsv(`a,b\n1,"${big}\n${big}"\n2,3\n`));
    assert.equal(ok.rows[0][1].length, 6e6 + 1);
    assert.deepEqual(Array.from(ok.rowLine), [1, 3]);
    assert.throws(() => timed(() => parseCsv(`a,b\n1,2\n"${big}`)), /^CsvError: line 3, column 1: a quoted field starts here and is never closed/);
    assert.throws(() => timed(() => streamOf(`a,b\n1,2\n"${big}`, [1 << 20]).end()), /line 3, column 1/);
    assert.throws(() => parseCsv(`a\n${big}\n`, { maxFieldBytes: 1 << 20 }), /line 2, column 1: a field of 3000000 characters is longer than maxFieldBytes=1048576/);
  });
});
