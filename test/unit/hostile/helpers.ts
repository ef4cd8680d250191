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
  'suggestedK', 'elbowK', 'similarityConverted', 'data', 'mapping']);
/** Arrays whose elements may be null (one per data row). */
const NULLABLE_ELEMENTS = new Set(['labels', 'distances']);

/**
 * Asserts that every number in `value` is finite and that nulls sit only where they are a
 * documented value (see NULL_KEYS). Works on parsed JSON and on in-process objects (typed
 * arrays included, where NaN is allowed only in `distances`, the documented marker of a
 * dropped row).
 */
export function assertNoSilentNaN(value: unknown, path = '$'): void {
  const walk = (v: unknown, p: string, key: string | number, parentKey: string | undefined): void => {
    if (v === null) {
      const ok = (typeof key === 'string' && NULL_KEYS.has(key)) || (typeof key === 'number' && parentKey !== undefined && NULLABLE_ELEMENTS.has(parentKey));
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
