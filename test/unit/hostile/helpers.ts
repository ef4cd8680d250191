/**
 * Shared by the hostile-input suites: the fuzz budget, a captured in-process CLI run, a
 * scratch folder, and the "no silent NaN" walker for JSON outputs.
 *
 * Budget: every property runs a small fixed number of cases with a fixed seed, so CI is
 * fast and repeatable. For a long local run set CENTROID_FUZZ_RUNS (cases per property)
 * and optionally CENTROID_FUZZ_SEED, e.g.
 *   CENTROID_FUZZ_RUNS=10000 node scripts/test-unit.mjs hostile
 * Setting CENTROID_FUZZ_RUNS also turns on the few slow checks (files of hundreds of MB).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';

/** Cases per property: `ciRuns` unless CENTROID_FUZZ_RUNS says otherwise. */
export function fuzzRuns(ciRuns: number): number {
  const env = process.env.CENTROID_FUZZ_RUNS;
  const n = env === undefined ? NaN : Number(env);
  return Number.isInteger(n) && n > 0 ? n : ciRuns;
}

/** The fast-check seed: a fixed one unless CENTROID_FUZZ_SEED is set. */
export function fuzzSeed(offset: number): number {
  const env = Number(process.env.CENTROID_FUZZ_SEED);
  return (Number.isInteger(env) ? env : 90210) + offset;
}

/** True on a long local run (CENTROID_FUZZ_RUNS set): slow checks run too. */
export const LONG_RUN = process.env.CENTROID_FUZZ_RUNS !== undefined;

/** A fresh folder under the system's temporary folder, and a way to remove it. */
export function scratch(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `centroid-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number;
  /** Everything written to stdout, and to stderr, as the calls came. */
  out: string[];
  err: string[];
}

/** Runs `centroid ARGS` in-process with captured output. */
export function cli(args: string[]): CliRun {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, { stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); } });
  return { code, out, err };
}

/**
 * Keys under which a JSON null is a documented value: undefined metrics or stability, a
 * dropped row's label or distances, no label column, no header, no suggested k, no
 * similarity conversion, a saved model without data or mapping. Anywhere else a null is an
 * Infinity or NaN that JSON.stringify turned into null.
 */
const NULL_KEYS = new Set(['silhouette', 'daviesBouldin', 'calinskiHarabasz', 'stability', 'label', 'labelColumn', 'header',
  'suggestedK', 'elbowK', 'similarityConverted', 'data', 'mapping', 'projection']);
/** Arrays whose elements may be null (one per data row). */
const NULLABLE_ELEMENTS = new Set(['labels', 'distances']);

/**
 * Asserts that every number in `value` is finite and that nulls sit only where they are a
 * documented value (see NULL_KEYS). Works on parsed JSON and on in-process objects (typed
 * arrays included, where NaN is allowed only in `distances`, the documented marker of a
 * dropped row). `moreNullKeys` adds keys documented as nullable in the shape being checked.
 */
export function assertNoSilentNaN(value: unknown, path = '$', moreNullKeys: readonly string[] = []): void {
  const nullKeys = new Set([...NULL_KEYS, ...moreNullKeys]);
  const walk = (v: unknown, p: string, key: string | number, parentKey: string | undefined): void => {
    if (v === null) {
      const ok = (typeof key === 'string' && nullKeys.has(key)) || (typeof key === 'number' && parentKey !== undefined && NULLABLE_ELEMENTS.has(parentKey));
      assert.ok(ok, `${p} is null: a non-finite number turned into null?`);
      return;
    }
    if (typeof v === 'number') {
      assert.ok(Number.isFinite(v), `${p} = ${v}`);
      return;
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const arr = v as unknown as ArrayLike<number | bigint>;
      for (let i = 0; i < arr.length; i++) {
        const x = Number(arr[i]);
        if (Number.isNaN(x) && parentKey === 'distances') continue;
        assert.ok(Number.isFinite(x), `${p}[${i}] = ${x}`);
      }
      return;
    }
    if (Array.isArray(v)) {
      // Elements of a top-level nullable array may be null; elements of its rows may not.
      const named = typeof key === 'string' ? key : undefined;
      v.forEach((x, i) => walk(x, `${p}[${i}]`, i, named));
      return;
    }
    if (typeof v === 'object' && v !== undefined) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, `${p}.${k}`, k, k);
    }
  };
  walk(value, path, '', undefined);
}

/** Column names the generated files use: plain, spaced, formula-like, empty, repeated, quoted. */
export const NAMES = ['a', 'b', 'c', 'label', 'x y', '=cmd', '', 'a', '"q"', 'é'];

/** The hostile tokens of issue 9 that a cell may hold. */
export const HOSTILE_CELLS = ['', 'NA', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '1,000', '  ', 'x', 'setosa', '1e308', '-1e308',
  '1e-320', '5e-324', '1e200', '1e39', '-3.5e38', '0x10', '"', '=1+2', '@SUM(A1)', '\u0000', '\ufffd', '\ufeff', 'line\nbreak', '-', '+'];

/** A cell: mostly small numbers, some wide ones, and the given hostile tokens. */
export function cellsOf(hostile: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -20, max: 20 }).map(String) },
    { weight: 3, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String) },
    { weight: 3, arbitrary: fc.constantFrom(...hostile) },
  );
}

/** A CSV file to write: a table, its dialect, and a few hostile mutations of the text. */
export function csvFileOf(cell: fc.Arbitrary<string>) {
  return fc.record({
    header: fc.option(fc.oneof(
      fc.constant<string[]>(['a', 'b']),
      fc.constant<string[]>(['a', 'b', 'label']),
      fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 5 }),
    ), { freq: 5 }),
    rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 25 }),
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
    /** Random insertions of hostile pieces into the written text. */
    mutations: fc.array(fc.record({ at: fc.nat(), insert: fc.constantFrom('"', ',', '\n', '\r', '\u0000', '\ufeff', ';', 'x', '""', '\t') }), { maxLength: 3 }),
    /** Bytes that are not UTF-8 at the end. */
    badBytes: fc.boolean(),
  });
}

/** Files with every hostile token. */
export const csvFileArb = csvFileOf(cellsOf(HOSTILE_CELLS));
export type CsvFileSpec = typeof csvFileArb extends fc.Arbitrary<infer T> ? T : never;

/** The bytes of a generated file: RFC 4180 quoting, then the mutations, then the bad bytes. */
export function csvFileBytes(spec: CsvFileSpec): Buffer {
  const quote = (f: string): string => (/["\r\n]/.test(f) || f.includes(spec.delimiter) ? `"${f.replace(/"/g, '""')}"` : f);
  const records = spec.header === null ? spec.rows : [spec.header, ...spec.rows];
  let text = (spec.bom ? '\ufeff' : '') + records.map((r) => r.map(quote).join(spec.delimiter)).join(spec.eol) + (records.length > 0 ? spec.eol : '');
  for (const m of spec.mutations) {
    const at = m.at % (text.length + 1);
    text = text.slice(0, at) + m.insert + text.slice(at);
  }
  const bytes = Buffer.from(text, 'utf8');
  return spec.badBytes ? Buffer.concat([bytes, Buffer.from([0xff, 0xfe, 0xc3])]) : bytes;
}
