import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { NumericCsvStream, type NumericCsvResult } from '../../../src/csv/stream';
import { readNumericFile, type NumericFileOptions, type NumericFileRead } from '../../../src/node/numericFile';
import { Rng } from '../../../src/engine/rng';

/** Everything a read gives, typed arrays as plain arrays (deepStrictEqual then compares NaN and -0 exactly). */
function plain(r: NumericCsvResult): unknown {
  return { ...r, X: { ...r.X, data: Array.from(r.X.data) }, rowLine: Array.from(r.rowLine) };
}

function plainRead(r: NumericFileRead): unknown {
  return { ...r, result: plain(r.result) };
}

/** Lines of numbers (some in exponent form, some missing), with what `extra` adds after some rows. */
function numericLines(seed: number, n: number, d: number, extra: (i: number, rng: Rng) => string | null = () => null): string[] {
  const rng = new Rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < d; j++) {
      const x = (rng.random() - 0.5) * 100;
      const r = rng.random();
      cells.push(r < 0.02 ? '' : r < 0.3 ? x.toExponential(5) : String(x));
    }
    lines.push(cells.join(','));
    const more = extra(i, rng);
    if (more !== null) lines.push(more);
  }
  return lines;
}

describe('NumericCsvStream in parts: continuation readers joined with appendPart', () => {
  /** Reads `text` as parts cut at `cuts` (line starts), joined; null when a cut is not at a record boundary. */
  function joined(text: string, cuts: number[], chunk: number, shared: boolean): NumericCsvResult | null {
    const first = new NumericCsvStream({ delimiter: ',' });
    const push = (reader: NumericCsvStream, s: string): void => {
      for (let i = 0; i < s.length; i += chunk) reader.push(s.slice(i, i + chunk));
    };
    const bounds = [0, ...cuts, text.length];
    push(first, text.slice(0, bounds[1]));
    const d = first.nColumns;
    // The parts' regions in one buffer, as readNumericFile lays them out (small: they overflow).
    const own = Math.max(64, first.rowsRead);
    const at = (i: number): number => own + 64 * (i - 1);
    const storage = new Float64Array(new SharedArrayBuffer(8 * d * at(bounds.length)));
    if (shared) first.useStorage(storage, own);
    for (let i = 1; i < bounds.length - 1; i++) {
      if (!first.atRecordBoundary()) return null;
      const part = new NumericCsvStream({ delimiter: ',', continuation: { nColumns: d } });
      if (shared) part.useStorage(storage.subarray(at(i) * d, at(i + 1) * d), 64);
      push(part, text.slice(bounds[i], bounds[i + 1]));
      const clean = part.atRecordBoundary();
      part.end();
      if (!clean && i < bounds.length - 2) return null;
      first.appendPart(part.part(), shared ? at(i + 1) : undefined);
    }
    return first.end();
  }

  function lineStarts(text: string): number[] {
    const starts: number[] = [];
    for (let i = text.indexOf('\n'); i >= 0 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }

  it('gives the one-reader result for cuts at line starts: text cells, ragged rows, blank lines, quoted numbers, CRLF', () => {
    const rng = new Rng(5);
    const lines = ['a,b,c', ...numericLines(3, 400, 3, (i) => (i % 37 === 0 ? '' : i % 41 === 0 ? 'x,"2",y' : i % 43 === 0 ? '1,2' : i % 47 === 0 ? '1,2,3,4' : null))];
    for (const eol of ['\n', '\r\n']) {
      const text = lines.join(eol) + eol;
      const whole = new NumericCsvStream({ delimiter: ',' });
      whole.push(text);
      const expected = plain(whole.end());
      const starts = lineStarts(text);
      for (let trial = 0; trial < 30; trial++) {
        const cuts = [...new Set(Array.from({ length: 1 + (trial % 4) }, () => starts[Math.floor(rng.random() * starts.length)]))].sort((x, y) => x - y);
        for (const chunk of [5, 100, 1e6]) {
          const got = joined(text, cuts, chunk, trial % 2 === 0);
          assert.ok(got !== null, `cuts ${cuts} are record boundaries`);
          assert.deepStrictEqual(plain(got), expected, `eol ${JSON.stringify(eol)}, cuts ${cuts}, chunk ${chunk}`);
        }
      }
    }
  });

  it('lists at most maxListed cells and rows across parts, with rows and lines counted from the file start', () => {
    const lines = ['a,b', ...Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? `t${i},1` : `${i},2,3`))];
    const text = `${lines.join('\n')}\n`;
    const whole = new NumericCsvStream({ delimiter: ',' });
    whole.push(text);
    const expected = whole.end();
    assert.equal(expected.nonNumericCells.length, 100);
    assert.equal(expected.raggedRows.length, 100);
    const starts = lineStarts(text);
    const got = joined(text, [starts[40], starts[100], starts[200]], 50, true);
    assert.ok(got !== null);
    assert.deepStrictEqual(plain(got), plain(expected));
  });

  it('a quoted field across a cut leaves the reader off a record boundary', () => {
    const text = 'a,b\n1,"x\n2,3\n4,5"\n6,7\n';
    const starts = lineStarts(text);
    assert.equal(joined(text, [starts[1]], 3, false), null);
    assert.equal(joined(text, [starts[2]], 3, false), null);
    // After the quoted field closes the cut is fine again.
    const whole = new NumericCsvStream({ delimiter: ',' });
    whole.push(text);
    assert.deepStrictEqual(plain(joined(text, [starts[3]], 3, false) as NumericCsvResult), plain(whole.end()));
  });

  it('refuses misuse: continuation without a delimiter, appendPart off a boundary or of another width, part() before end()', () => {
    assert.throws(() => new NumericCsvStream({ continuation: { nColumns: 2 } }), /needs the delimiter/);
    assert.throws(() => new NumericCsvStream({ delimiter: ',', continuation: { nColumns: 0 } }), /nColumns=0/);
    const first = new NumericCsvStream({ delimiter: ',' });
    first.push('a,b\n1,"2');
    const part = new NumericCsvStream({ delimiter: ',', continuation: { nColumns: 2 } });
    part.push('3,4\n');
    assert.throws(() => part.part(), /end\(\) first/);
    part.end();
    assert.throws(() => first.appendPart(part.part()), /record boundary/);
    const wide = new NumericCsvStream({ delimiter: ',', continuation: { nColumns: 3 } });
    wide.end();
    const other = new NumericCsvStream({ delimiter: ',' });
    other.push('a,b\n1,2\n');
    assert.throws(() => other.appendPart(wide.part()), /3 columns, not 2/);
  });
});

describe('readNumericFile on several threads', () => {
  let dir = '';
  let script = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-parts-'));
    // The helpers run the bundled script, as the CLI and the worker do (dist/readPart.js).
    script = join(dir, 'readPart.js');
    buildSync({ entryPoints: [join(__dirname, '../../../src/node/readPartWorker.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Reads `content` with one thread and with 2, 3 and 4, in small chunks; every read must give
   * the one-thread result. Returns that and the most threads whose parts were joined.
   */
  function sameInParts(name: string, content: string | Buffer, options: NumericFileOptions = {}): NumericFileRead & { most: number } {
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, content);
    const oneRows: number[] = [];
    const one = readNumericFile(path, { ...options, parts: 1, onChunk: (_done, _total, n) => oneRows.push(n) });
    assert.equal(one.threads, 1);
    let most = 1;
    for (const parts of [2, 3, 4]) {
      for (const chunkBytes of [333, 4096]) {
        const rows: number[] = [];
        const got = readNumericFile(path, {
          ...options, parts, chunkBytes, partScript: script, alloc: (bytes) => new SharedArrayBuffer(bytes),
          onChunk: (_done, _total, n) => rows.push(n),
        });
        most = Math.max(most, got.threads);
        assert.deepStrictEqual(plainRead({ ...got, threads: 1 }), plainRead(one), `${name}: ${parts} parts, chunks of ${chunkBytes}`);
        // Progress counts rows as chunks are read: the rows csv-parse reads at the end (after a
        // stray quote) and an unfinished last line wait for end(), except in a helper's part.
        const last = rows[rows.length - 1];
        assert.ok(last >= oneRows[oneRows.length - 1] && last <= one.result.X.nRows, `${name}: the last progress report (${last} rows)`);
      }
    }
    return { ...one, most };
  }

  it('plain numbers with a header, a byte order mark, CRLF, blank lines, quoted numbers, no final line break', () => {
    assert.equal(sameInParts('plain', `${['x,y,z', ...numericLines(1, 3000, 3)].join('\n')}\n`).most, 4);
    const crlf = ['x,y', ...numericLines(2, 3000, 2, (i) => (i % 50 === 0 ? '' : i % 31 === 0 ? '"1.5","2"' : null))].join('\r\n');
    assert.equal(sameInParts('crlf', `\uFEFF${crlf}`).most, 4);
  });

  it('text cells (more than are listed), ragged rows and characters of several bytes across the parts', () => {
    const read = sameInParts('text', `${['a,b,c', ...numericLines(3, 3000, 3, (i) => (i % 13 === 0 ? `café${i},€,😀` : i % 17 === 0 ? '1,2' : null))].join('\n')}\n`);
    assert.ok(read.result.raggedCount > 100 && read.result.nonNumericCells.length === 100);
    assert.equal(read.most, 4);
  });

  it('a quoted field with line breaks across the middle, and a stray quote: read as one thread reads them', () => {
    const lines = ['a,b', ...numericLines(4, 1500, 2)];
    const long = (n: number): string => `"${Array.from({ length: n }, (_, i) => `${i},${i}`).join('\n')}",1`;
    // A field of 2,000 lines between ordinary rows, then one that holds most of the file, so
    // every part but the first starts inside it: those are read on this thread.
    assert.equal(sameInParts('quoted', `${[...lines, long(2000), ...numericLines(5, 1500, 2)].join('\n')}\n`).most, 4);
    assert.equal(sameInParts('inside', `${[...lines, long(40000), ...numericLines(5, 100, 2)].join('\n')}\n`).most, 1);
    // From a stray quote on csv-parse reads the rest at the end, on this thread.
    assert.equal(sameInParts('stray', `${[...lines, '1,2"3', ...numericLines(6, 3000, 2)].join('\n')}\n`).most, 1);
  });

  it('rows far shorter than the first ones overflow the estimated regions', () => {
    const wide = numericLines(7, 1200, 2).map((l) => `${l}${'0'.repeat(40)}`);
    assert.equal(sameInParts('overflow', `${['a,b', ...wide, ...Array.from({ length: 20000 }, (_, i) => `${i % 10},${i % 7}`)].join('\n')}\n`).most, 4);
  });

  it('bytes that are not UTF-8 in a later part: read again leniently, as one thread does', () => {
    const text = `${['a,b', ...numericLines(8, 4000, 2)].join('\n')}\n`;
    const bad = Buffer.concat([Buffer.from(text), Buffer.from([0x31, 0xff, 0x2c, 0x32, 0x0a]), Buffer.from(`${numericLines(9, 500, 2).join('\n')}\n`)]);
    const read = sameInParts('latin', bad);
    assert.equal(read.invalidUtf8, true);
    assert.equal(read.most, 1);
  });

  it('an unclosed quote near the end: the same located error as one thread', () => {
    const path = join(dir, 'unclosed.csv');
    writeFileSync(path, `${['a,b', ...numericLines(10, 4000, 2), '1,"2', '3,4'].join('\n')}\n`);
    let expected: unknown;
    assert.throws(() => readNumericFile(path, { parts: 1 }), (e) => ((expected = (e as Error).message), true));
    assert.throws(() => readNumericFile(path, { parts: 3, chunkBytes: 1000, partScript: script }), (e) => (e as Error).message === expected);
  });

  it('a file that grows while it is read: the rows and the hash cover the bytes it had when opened', () => {
    const path = join(dir, 'growing.csv');
    const text = `${['a,b', ...numericLines(13, 6000, 2)].join('\n')}\n`;
    writeFileSync(path, text);
    const one = readNumericFile(path, { parts: 1 });
    let appended = false;
    const got = readNumericFile(path, {
      parts: 2, chunkBytes: 1000, partScript: script,
      onChunk: () => {
        if (appended) return;
        appended = true;
        appendFileSync(path, `${numericLines(14, 500, 2).join('\n')}\n`);
      },
    });
    assert.ok(appended);
    assert.equal(got.threads, 2);
    assert.equal(got.bytes, Buffer.byteLength(text));
    assert.equal(got.sha256, createHash('sha256').update(text).digest('hex'));
    assert.deepStrictEqual(plainRead({ ...got, threads: 1 }), plainRead(one));
  });

  it('a helper that dies without a word: its part is read on this thread', () => {
    const dead = join(dir, 'dead.js');
    writeFileSync(dead, 'process.exit(3);\n');
    const path = join(dir, 'dead.csv');
    writeFileSync(path, `${['a,b', ...numericLines(11, 4000, 2)].join('\n')}\n`);
    const one = readNumericFile(path, { parts: 1 });
    const got = readNumericFile(path, { parts: 2, chunkBytes: 1000, partScript: dead, stallMs: 300 });
    assert.equal(got.threads, 1);
    assert.deepStrictEqual(plainRead(got), plainRead(one));
  });

  it('a cancel from the progress callback stops the read (and its helpers)', () => {
    const path = join(dir, 'cancel.csv');
    writeFileSync(path, `${['a,b', ...numericLines(12, 20000, 2)].join('\n')}\n`);
    let calls = 0;
    assert.throws(() => readNumericFile(path, {
      parts: 2, chunkBytes: 1000, partScript: script,
      onChunk: () => {
        if (++calls === 30) throw new Error('cancelled');
      },
    }), /cancelled/);
  });
});
