/**
 * Exports (issue 9): formula neutralisation, round trips through the reader, `centroid fit
 * --out` never overwriting without --force, and atomic writes that leave no temporary file.
 *
 * Fixed seed and a bounded number of cases; for a long local run:
 *   CENTROID_FUZZ_RUNS=10000 node scripts/test-unit.mjs hostile/exports
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseCsv } from '../../../src/csv/read';
import { csvLine, neutraliseCell, toCsv } from '../../../src/csv/write';
import { FileError, writeFileAtomic } from '../../../src/node/files';
import { cli, fuzzRuns, fuzzSeed, scratch } from './helpers';

const RUNS = fuzzRuns(300);

/** What a spreadsheet runs as a formula when it starts a cell (OWASP "CSV injection"). */
const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];
/** A number as a spreadsheet reads one, written independently of src/csv/numbers.ts. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const piece = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', "'", ',', ';', '|', ' ', '1', '2.5', 'e3', 'SUM(A1)', 'cmd|', 'x', 'é',
  '\ufeff', '\u0000', '');
const text = fc.oneof(
  fc.array(piece, { maxLength: 6 }).map((p) => p.join('')),
  fc.string({ maxLength: 6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
);

describe('formula neutralisation', () => {
  it('text starting with = + - @ tab or CR gets a leading quote; numbers, negative ones included, stay numbers', () => {
    for (const cell of ['=1+2', '=HYPERLINK("http://x","y")', '+1+1', '-2-3', '@SUM(A1:A2)', '\t=1', '\r=1', '-', '+', '=', '@',
      '-Infinity', '-NaN', '-1,000', '-1 ', '+0x10', '-e5']) {
      assert.equal(neutraliseCell(cell), `'${cell}`, JSON.stringify(cell));
    }
    for (const cell of ['-1', '-1.5', '-0', '+2', '-.5', '-5.', '-1e-3', '+1E+10', '1', 'abc', '', ' =1', "'=1", 'a=b', '1-2']) {
      assert.equal(neutraliseCell(cell), cell, JSON.stringify(cell));
    }
  });

  it('random cells: unchanged, or the original behind one quote exactly when a spreadsheet would run it', () => {
    fc.assert(fc.property(text, (cell) => {
      const out = neutraliseCell(cell);
      const risky = FORMULA_START.some((c) => cell.startsWith(c)) && !(PLAIN_NUMBER.test(cell) && Number.isFinite(Number(cell)));
      assert.equal(out, risky ? `'${cell}` : cell, JSON.stringify(cell));
      // Idempotent: a neutralised cell is left alone the second time.
      assert.equal(neutraliseCell(out), out);
    }), { seed: fuzzSeed(20), numRuns: RUNS * 3 });
  });

  it('neutralisation happens before quoting, so a quoted formula is neutralised too', () => {
    assert.equal(csvLine(['=1,2', '-3', '"@x"'], ','), `"'=1,2",-3,"""@x"""`);
  });
});

describe('export then read back gives the same table', () => {
  // Rows have at least two fields: a record of one blank field is a blank line to the
  // reader (its rule, as pandas'), so a one-column table cannot hold a blank cell.
  const table = fc.record({
    header: fc.array(text, { minLength: 2, maxLength: 5 }),
    rows: fc.array(fc.array(text, { minLength: 2, maxLength: 5 }), { maxLength: 8 }),
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
  });

  it('every cell comes back as written, or as "\'" + the original where it was neutralised', () => {
    fc.assert(fc.property(table, ({ header, rows, delimiter }) => {
      const written = toCsv(header, rows, delimiter);
      const back = parseCsv(written, { delimiter, header: true });
      const expect = (cell: string): string => neutraliseCell(cell);
      assert.deepEqual(back.header, header.map(expect));
      assert.deepEqual(back.rows, rows.map((r) => r.map(expect)));
      for (let r = 0; r < rows.length; r++) {
        for (let c = 0; c < rows[r].length; c++) {
          const got = back.rows[r][c];
          assert.ok(got === rows[r][c] || got === `'${rows[r][c]}`, `row ${r} column ${c}`);
        }
      }
      assert.equal(back.hasBom, false, 'a cell starting with U+FEFF is not taken for a byte order mark');
    }), { seed: fuzzSeed(21), numRuns: RUNS });
  });
});

describe('centroid fit --out', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = scratch('exports')));
  after(() => remove());

  const input = 'name,x,y\n=cmd|calc,0,0\n+1+1,0,1\n-2,10,10\n@SUM(A1),10,11\n\t=x,-1,0\n"quoted, ""=1""",11,10\n';

  it('never replaces an existing file without --force; with --force it does, atomically', () => {
    const file = join(dir, 'in.csv');
    writeFileSync(file, input);
    const out = join(dir, 'labelled.csv');
    writeFileSync(out, 'precious\n');
    const model = join(dir, 'model.json');
    const refused = cli(['fit', file, '--k', '2', '--out', out, '--save-model', model, '--json']);
    assert.equal(refused.code, 2);
    assert.equal(refused.err.length, 1);
    assert.equal(refused.err[0], `centroid: ${out} already exists; choose another --out name or add --force to replace it`);
    assert.equal(readFileSync(out, 'utf8'), 'precious\n');
    assert.equal(refused.out.length, 0, 'no result is printed when the export is refused');
    assert.equal(existsSync(model), false, 'nothing else is written either: the refusal comes first');

    const forced = cli(['fit', file, '--k', '2', '--out', out, '--force', '--json']);
    assert.equal(forced.code, 0, forced.err.join(''));
    assert.notEqual(readFileSync(out, 'utf8'), 'precious\n');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('--save-model replaces an earlier model but refuses any other file, before fitting', () => {
    const file = join(dir, 'in-model.csv');
    writeFileSync(file, input);
    const model = join(dir, 'kept.json');
    const first = cli(['fit', file, '--k', '2', '--seed', '1', '--save-model', model, '--json']);
    assert.equal(first.code, 0, first.err.join(''));
    const before = readFileSync(model, 'utf8');
    // A partial fit may update the model in place: that is what the verb is for.
    const updated = cli(['partial-fit', file, '--model', model, '--save-model', model, '--json']);
    assert.equal(updated.code, 0, updated.err.join(''));
    assert.notEqual(readFileSync(model, 'utf8'), before);

    const notes = join(dir, 'notes.json');
    writeFileSync(notes, '{"mine": true}\n');
    for (const args of [['fit', file, '--k', '2'], ['partial-fit', file, '--model', model]]) {
      const refused = cli([...args, '--save-model', notes, '--json']);
      assert.equal(refused.code, 2);
      assert.deepEqual(refused.err, [`centroid: ${notes} already exists and is not a Centroid model; choose another --save-model name or add --force to replace it`]);
      assert.equal(refused.out.length, 0);
      assert.equal(readFileSync(notes, 'utf8'), '{"mine": true}\n');
    }
    const forced = cli(['fit', file, '--k', '2', '--save-model', notes, '--force', '--json']);
    assert.equal(forced.code, 0, forced.err.join(''));
    assert.equal((JSON.parse(readFileSync(notes, 'utf8')) as { format?: unknown }).format, 'centroid-model');
  });

  it('the labelled file reads back as the input (formulas neutralised) plus cluster and distance', () => {
    const file = join(dir, 'in2.csv');
    writeFileSync(file, input);
    const out = join(dir, 'labelled2.csv');
    const r = cli(['fit', file, '--k', '2', '--out', out, '--json']);
    assert.equal(r.code, 0, r.err.join(''));
    const json = JSON.parse(r.out[0]) as { labels: (number | null)[] };
    const source = parseCsv(input);
    const back = parseCsv(readFileSync(out, 'utf8'), { header: true });
    assert.deepEqual(back.header, ['name', 'x', 'y', 'cluster', 'distance']);
    assert.equal(back.rows.length, source.rows.length);
    // The text cells that start like formulas come back behind a quote; the numbers, -1 included, as they were.
    assert.deepEqual(back.rows.map((row) => row[0]), ["'=cmd|calc", "'+1+1", '-2', "'@SUM(A1)", "'\t=x", 'quoted, "=1"']);
    assert.deepEqual(back.rows.map((row) => row.slice(1, 3)), source.rows.map((row) => row.slice(1, 3)));
    assert.deepEqual(back.rows.map((row) => Number(row[3])), json.labels);
    for (const row of back.rows) assert.ok(Number.isFinite(Number(row[4])) && row[4] !== '', `distance ${row[4]}`);
  });

  it('a path in a folder that does not exist, or that is a folder, is one line naming it', () => {
    const file = join(dir, 'in3.csv');
    writeFileSync(file, 'a,b\n1,2\n3,4\n');
    const missing = join(dir, 'nowhere', 'out.csv');
    const r = cli(['fit', file, '--k', '1', '--out', missing, '--json']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.err, [`centroid: cannot write ${missing}: its folder does not exist`]);
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const f = cli(['fit', file, '--k', '1', '--out', folder, '--force', '--json']);
    assert.equal(f.code, 2);
    assert.deepEqual(f.err, [`centroid: cannot write ${folder}: it is a folder`]);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = scratch('atomic')));
  after(() => remove());
  const temps = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('writes, replaces, and leaves no temporary file', () => {
    const p = join(dir, 'x.csv');
    writeFileAtomic(p, 'one\n');
    assert.equal(readFileSync(p, 'utf8'), 'one\n');
    const big = Buffer.alloc(5 * 1024 * 1024, 0x61);
    writeFileAtomic(p, big, { replace: true });
    assert.ok(readFileSync(p).equals(big));
    assert.deepEqual(temps(), []);
  });

  it('a failed rename removes its temporary file and leaves the target as it was', () => {
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside.txt'), 'keep');
    assert.throws(() => writeFileAtomic(target, 'data', { replace: true }), (e: unknown) => e instanceof FileError && e.message === `cannot write ${target}: it is a folder`);
    assert.throws(() => writeFileAtomic(target, 'data'), (e: unknown) => e instanceof FileError && e.message === `${target} already exists`);
    assert.deepEqual(temps(), []);
    assert.equal(readFileSync(join(target, 'inside.txt'), 'utf8'), 'keep');
  });

  it('a folder that does not exist is named, and nothing is created', () => {
    const p = join(dir, 'missing', 'y.csv');
    assert.throws(() => writeFileAtomic(p, 'data'), (e: unknown) => e instanceof FileError && e.message === `cannot write ${p}: its folder does not exist`);
    assert.equal(existsSync(join(dir, 'missing')), false);
  });
});
