/**
 * The numeric-file path (NumericCsvStream -> plainNumericTable -> fitNumeric) against the table
 * path (parseCsv -> fitTable): the same FitOutcome, value for value, on the reference fixtures
 * and on generated files (missing cells, no header, other delimiters, CRLF, quoted numbers,
 * chosen columns, a label column, scaling, imputing), and the same error sentences. Also the
 * CLI's chunked file reader against the whole-text reader.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { NumericCsvStream } from '../../../src/csv/stream';
import { plainNumericTable, type NumericTable } from '../../../src/csv/numericTable';
import { fitNumeric, fitTable } from '../../../src/pipeline/fit';
import type { FitOptions } from '../../../src/pipeline/types';
import { Rng } from '../../../src/engine/rng';
import { readNumericFile } from '../../../src/node/numericFile';

const FIX = join(__dirname, '../../fixtures');

function streamed(text: string, chunk = 97): NumericTable | null {
  const reader = new NumericCsvStream();
  for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk));
  return plainNumericTable(reader.end());
}

/** Everything the two paths hand back, with typed arrays as plain arrays (deepStrictEqual compares NaN and -0 exactly). */
function outcomeOf(f: () => ReturnType<typeof fitTable>): unknown {
  try {
    const o = f();
    return {
      report: o.report,
      X: Array.from(o.fitX.data),
      centers: Array.from(o.fitCenters.data),
      labels: Array.from(o.fitLabels),
      counts: Array.from(o.counts),
      rowIndex: Array.from(o.dataset.rowIndex),
      dataset: { ...o.dataset, X: undefined, rowIndex: undefined },
      scaler: { kind: o.scaler.kind, offset: Array.from(o.scaler.offset), scale: Array.from(o.scaler.scale) },
    };
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message };
  }
}

function same(text: string, options: FitOptions, what: string): void {
  const numeric = streamed(text);
  assert.ok(numeric !== null, `${what}: expected a plain numeric file`);
  const table = parseCsv(text, { header: 'auto' });
  assert.deepStrictEqual(Array.from(numeric.rowLine), Array.from(table.rowLine), `${what}: row lines`);
  const byTable = outcomeOf(() => fitTable(table, options));
  const byMatrix = outcomeOf(() => fitNumeric(numeric, options));
  assert.deepStrictEqual(byMatrix, byTable, what);
}

/** The numeric columns of a fixture (the label column, when there is one, is text: cut it off). */
function numericPart(name: string): string {
  const table = parseCsv(readFileSync(join(FIX, name), 'utf8'), { header: 'auto' });
  const keep = (table.header ?? []).map((_, c) => c).filter((c) => table.rows.every((r) => r[c] === '' || !Number.isNaN(Number(r[c]))));
  const lines = [keep.map((c) => table.header?.[c]).join(',')];
  for (const r of table.rows) lines.push(keep.map((c) => r[c]).join(','));
  return `${lines.join('\n')}\n`;
}

/** A generated numeric CSV: blobs, optional missing cells, header or not, delimiter, line ending. */
function generated(seed: number, opts: { n: number; d: number; missing?: number; header?: boolean; delim?: string; eol?: string; quoted?: boolean; label?: boolean }): string {
  const rng = new Rng(seed);
  const delim = opts.delim ?? ',';
  const eol = opts.eol ?? '\n';
  const lines: string[] = [];
  const names = Array.from({ length: opts.d }, (_, j) => `f${j}`);
  if (opts.label) names.push('cls');
  if (opts.header !== false) lines.push(names.join(delim));
  for (let i = 0; i < opts.n; i++) {
    const blob = i % 3;
    const cells: string[] = [];
    for (let j = 0; j < opts.d; j++) {
      if (opts.missing !== undefined && rng.random() < opts.missing) {
        cells.push(rng.random() < 0.5 ? '' : 'NA');
        continue;
      }
      const x = blob * 4 + (rng.random() - 0.5) * 3 + j;
      const text = rng.random() < 0.3 ? x.toExponential(6) : String(x);
      cells.push(opts.quoted && rng.random() < 0.1 ? `"${text}"` : text);
    }
    if (opts.label) cells.push(String(blob));
    lines.push(cells.join(delim));
    if (rng.random() < 0.01) lines.push('');
  }
  return lines.join(eol) + eol;
}

describe('fitNumeric gives what fitTable gives', () => {
  for (const name of ['iris.csv', 'wine.csv', 'blobs_2d_k4.csv', 'blobs_8d_k5.csv', 'degenerate.csv']) {
    it(`fixture ${name}`, () => {
      const text = numericPart(name);
      for (const k of [2, 3, 5]) {
        same(text, { k, seed: 1 }, `${name} k=${k}`);
        same(text, { k, seed: 2, scale: 'standard', algorithm: 'elkan' }, `${name} k=${k} standard elkan`);
      }
      same(text, { k: 3, init: 'random', nInit: 3, metric: 'cosine', scale: 'minmax' }, `${name} cosine minmax`);
    });
  }

  it('generated files: missing cells, no header, delimiters, CRLF, quoted numbers, blank lines', () => {
    const cases = [
      { n: 300, d: 4 },
      { n: 250, d: 3, missing: 0.05 },
      { n: 200, d: 5, header: false, delim: ';' },
      { n: 220, d: 2, eol: '\r\n', delim: '\t', quoted: true },
      { n: 180, d: 6, missing: 0.02, quoted: true, label: true },
    ];
    cases.forEach((c, i) => {
      const text = generated(100 + i, c);
      same(text, { k: 3, seed: i }, `case ${i}`);
      same(text, { k: 4, seed: i, missing: 'mean', scale: 'standard' }, `case ${i} mean`);
    });
  });

  it('chosen columns, a label column and header-less column names', () => {
    const text = generated(7, { n: 240, d: 4, missing: 0.03, label: true });
    same(text, { k: 3, columns: ['f2', 'f0'] }, 'columns');
    same(text, { k: 3, label: 'cls' }, 'label');
    same(text, { k: 3, label: 'cls', columns: ['f1', 'f3'], missing: 'mean' }, 'label + columns + mean');
    const bare = generated(8, { n: 150, d: 3, header: false });
    same(bare, { k: 2, columns: ['column3', 'column1'] }, 'column names without a header');
    same(bare, { k: 2, columns: ['2'] }, 'a column by number without a header');
  });

  it('the same error sentences', () => {
    const text = generated(9, { n: 50, d: 3, missing: 0.02 });
    same(text, { k: 3, columns: ['nope', 'f1'] }, 'unknown column');
    same(text, { k: 3, columns: ['f1', 'f1'] }, 'column listed twice');
    same(text, { k: 60 }, 'k above the rows');
    same(text, { k: 3, label: 'zzz' }, 'unknown label');
    same('a,b\n1,2\n', { k: 2 }, 'one row, two clusters');
    same('a,b\n1,NA\nNA,3\n', { k: 1 }, 'no row left');
    const allMissing = 'a,b\n1,NA\n2,\n3,5\n';
    same(allMissing, { k: 2 }, 'rows dropped');
    same('a,b\n1,2\n1e308,1e308\n', { k: 1 }, 'overflowing squares');
  });

  it('is not used for files that are not plain numeric', () => {
    assert.equal(streamed('a,b\n1,x\n2,3\n'), null, 'a text cell');
    assert.equal(streamed('a,b\n1,2\n3\n'), null, 'a ragged row');
    assert.equal(streamed('a,b\n'), null, 'no rows');
    assert.equal(streamed(''), null, 'empty');
    assert.equal(streamed('a,b\n1,\n2,\n'), null, 'a column without numbers');
  });
});

describe('readNumericFile', () => {
  it('reads a file in small chunks as the whole-text reader does, with progress', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-numeric-'));
    try {
      const text = `\uFEFF${generated(11, { n: 2000, d: 3, missing: 0.01, eol: '\r\n', quoted: true })}`;
      const path = join(dir, 'x.csv');
      writeFileSync(path, text);
      const calls: number[] = [];
      const read = readNumericFile(path, { chunkBytes: 1000, onChunk: (_done, _total, rows) => calls.push(rows) });
      const whole = new NumericCsvStream();
      whole.push(text);
      const expected = whole.end();
      assert.deepStrictEqual(Array.from(read.result.X.data), Array.from(expected.X.data));
      assert.deepStrictEqual(Array.from(read.result.rowLine), Array.from(expected.rowLine));
      assert.deepStrictEqual(read.result.header, expected.header);
      assert.equal(read.bytes, Buffer.byteLength(text));
      assert.equal(read.invalidUtf8, false);
      assert.ok(calls.length >= Buffer.byteLength(text) / 1000, 'one progress call per chunk');
      for (let i = 1; i < calls.length; i++) assert.ok(calls[i] >= calls[i - 1], 'rows read never go back');
      assert.equal(calls[calls.length - 1], expected.X.nRows);

      // Bytes that are not UTF-8 (in a header name): read again leniently, as U+FFFD.
      const bad = Buffer.concat([Buffer.from('a,b'), Buffer.from([0xff]), Buffer.from('\n1,2\n3,4\n')]);
      writeFileSync(path, bad);
      const lenient = readNumericFile(path, { chunkBytes: 2 });
      assert.equal(lenient.invalidUtf8, true);
      assert.deepStrictEqual(lenient.result.header, ['a', 'b\uFFFD']);
      assert.deepStrictEqual(Array.from(lenient.result.X.data), [1, 2, 3, 4]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readNumericFile: ASCII chunks, then characters of several bytes', () => {
  it('reads text that turns non-ASCII after ASCII chunks, split anywhere, as the whole text; a bad byte there is still found', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centroid-ascii-'));
    try {
      const rows = ['a,b,c'];
      for (let i = 0; i < 300; i++) rows.push(`${i},${i * 0.5},${-i}`);
      // A text cell in each numeric column after the ASCII start: 2-, 3- and 4-byte characters.
      rows.push('café,1,2', '3,€uro,4', '5,6,😀', 'naïve,7,8');
      for (let i = 0; i < 50; i++) rows.push(`${i},${i},${i}`);
      const text = `${rows.join('\n')}\n`;
      const path = join(dir, 'x.csv');
      writeFileSync(path, text);
      const whole = new NumericCsvStream();
      whole.push(text);
      const expected = whole.end();
      for (const chunkBytes of [7, 64, 1000, 1 << 20]) {
        const read = readNumericFile(path, { chunkBytes });
        assert.equal(read.invalidUtf8, false, `chunk ${chunkBytes}`);
        assert.deepStrictEqual(Array.from(read.result.X.data), Array.from(expected.X.data), `values, chunk ${chunkBytes}`);
        assert.deepStrictEqual(read.result.warnings, expected.warnings, `warnings quote the cells, chunk ${chunkBytes}`);
      }
      assert.ok(expected.warnings.some((w) => w.includes('"café"') && w.includes('"€uro"')), expected.warnings.join(' / '));

      // A byte that is not UTF-8 after 4 KB of ASCII: read again leniently, as U+FFFD.
      const bad = Buffer.concat([Buffer.from(rows.slice(0, 300).join('\n')), Buffer.from('\n9,'), Buffer.from([0xff]), Buffer.from(',9\n')]);
      writeFileSync(path, bad);
      const lenient = readNumericFile(path, { chunkBytes: 512 });
      assert.equal(lenient.invalidUtf8, true);
      assert.equal(lenient.result.X.nRows, 300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NumericCsvStream memory options', () => {
  it('alloc and reserveRows give the same matrix as a view of the given memory', () => {
    const text = generated(12, { n: 3000, d: 4, missing: 0.01 });
    const plain = new NumericCsvStream();
    plain.push(text);
    const expected = plain.end();
    const buffers: ArrayBufferLike[] = [];
    const shared = new NumericCsvStream({ initialRows: 16, alloc: (bytes) => { const b = new SharedArrayBuffer(bytes); buffers.push(b); return b; } });
    let atReserve = -1;
    for (let i = 0; i < text.length; i += 5000) {
      shared.push(text.slice(i, i + 5000));
      if (i === 100_000) {
        shared.reserveRows(4000);
        atReserve = buffers.length;
      }
    }
    const got = shared.end();
    assert.ok(got.X.data.buffer instanceof SharedArrayBuffer, 'the matrix lives in the given memory');
    assert.equal(got.X.data.length, expected.X.data.length);
    assert.deepStrictEqual(Array.from(got.X.data), Array.from(expected.X.data));
    assert.deepStrictEqual(Array.from(got.rowLine), Array.from(expected.rowLine));
    assert.ok(atReserve > 1, 'the reader had started and grown');
    assert.equal(buffers.length, atReserve, 'no buffer after reserveRows');
  });
});
