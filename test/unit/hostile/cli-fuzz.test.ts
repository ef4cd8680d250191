/**
 * CLI fuzz (issue 9): `centroid VERB FILE [flags] --json` is called in-process on random and
 * mutated CSV files with random flags. Whatever comes in, the outcome is exit code 0 with
 * exactly one JSON object on stdout (every number finite, nulls only where documented), or
 * exit code 2 with exactly one line on stderr naming the file; never a stack trace, never an
 * "unexpected error", never a hang, never an overwritten --out file without --force, never a
 * temporary file left behind.
 *
 * Fixed seed and a bounded number of cases; for a long local run:
 *   CENTROID_FUZZ_RUNS=10000 node scripts/test-unit.mjs hostile/cli-fuzz
 * (CENTROID_FUZZ_SEED=n changes the seed).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseCsv } from '../../../src/csv/read';
import { assertNoSilentNaN, cli, csvFileArb, csvFileBytes, fuzzRuns, fuzzSeed, NAMES, scratch } from './helpers';

const RUNS = fuzzRuns(150);
/** A hang detector, not a benchmark: no input of this size may take longer. */
const PER_CASE_MS = 30_000;

/** Flags as `--name=value` (a value starting with '-' is then not mistaken for an option). */
const flag = (name: string, values: fc.Arbitrary<string>): fc.Arbitrary<string> => values.map((v) => `--${name}=${v}`);
const columnList = fc.array(fc.constantFrom(...NAMES, 'nope'), { minLength: 1, maxLength: 3 }).map((l) => l.join(','));
const commonFlags = [
  flag('k', fc.constantFrom('1', '2', '3', '4', '0', '-1', 'x', '1.5', '', '1e1')),
  flag('columns', columnList),
  flag('label', fc.constantFrom(...NAMES, 'nope')),
  flag('scale', fc.constantFrom('none', 'standard', 'minmax', 'robust')),
  flag('metric', fc.constantFrom('euclidean', 'cosine', 'manhattan')),
  flag('missing', fc.constantFrom('drop', 'mean', 'zero')),
  flag('algorithm', fc.constantFrom('lloyd', 'elkan', 'full')),
  flag('init', fc.constantFrom('k-means++', 'random', 'CENTERS', 'BADCENTERS', 'nowhere.csv')),
  flag('n-init', fc.constantFrom('auto', '1', '3', '0', '100000')),
  flag('seed', fc.constantFrom('0', '1', '-5', '4294967295', '1e300', 'x')),
  flag('max-iter', fc.constantFrom('1', '5', '300', '0')),
  flag('tol', fc.constantFrom('0', '1e-4', '-1', 'NaN', '1e309')),
  flag('eps', fc.constantFrom('0.5', '1', '1e-9', '0', '-1', 'Infinity')),
  flag('min-samples', fc.constantFrom('1', '2', '5', '0')),
  flag('labels', fc.constantFrom(...NAMES, 'nope')),
  flag('truth', fc.constantFrom(...NAMES, 'nope')),
  flag('model', fc.constantFrom('MODEL', 'BADMODEL', 'ZEROSCALE', 'NOTJSON', 'nowhere.json')),
  flag('save-model', fc.constantFrom('SAVED')),
  flag('out', fc.constantFrom('OUT', 'EXISTING', 'NODIR')),
  flag('similarity', fc.constantFrom('auto', 'distance', 'similarity', 'x')),
  fc.constant('--force'),
  fc.constant('--freeze'),
  fc.constant('--shortest-paths'),
];
/** What each verb needs, mostly valid, so that many cases get as far as a result. */
const needs: Record<string, fc.Arbitrary<string[]>> = {
  inspect: fc.constant([]),
  fit: fc.tuple(flag('k', fc.constantFrom('1', '2', '3'))),
  predict: flag('model', fc.constantFrom('MODEL', 'MODEL', 'ZEROSCALE')).map((m) => [m]),
  'partial-fit': fc.constant(['--model=MODEL', '--save-model=SAVED']),
  metrics: fc.tuple(flag('labels', fc.constantFrom('label', 'a', 'b'))),
  sweep: fc.tuple(flag('k', fc.constantFrom('1..3', '2..4', '3', '4..2', 'x', '0..2'))),
  dbscan: fc.tuple(flag('eps', fc.constantFrom('0.5', '2', '10')), flag('min-samples', fc.constantFrom('1', '2', '3'))),
  medoids: fc.tuple(flag('k', fc.constantFrom('1', '2'))),
};
const invocation = fc.constantFrom(...Object.keys(needs), 'fit', 'fit').chain((verb) => fc.record({
  verb: fc.constant(verb),
  flags: fc.tuple(needs[verb], fc.array(fc.oneof(...commonFlags), { maxLength: 3 })).map(([a, b]) => [...a, ...b]),
}));

describe('CLI fuzz: random files and flags', () => {
  let dir: string;
  let remove: () => void;
  const paths: Record<string, string> = {};
  const existing = 'do not overwrite me\n';

  before(() => {
    ({ dir, remove } = scratch('cli-fuzz'));
    paths.CENTERS = join(dir, 'centers.csv');
    writeFileSync(paths.CENTERS, 'a,b\n0,0\n5,5\n');
    paths.BADCENTERS = join(dir, 'bad-centers.csv');
    writeFileSync(paths.BADCENTERS, 'a,b\n0,x\n"unclosed\n');
    paths.MODEL = join(dir, 'model.json');
    const source = join(dir, 'source.csv');
    writeFileSync(source, 'a,b\n0,0\n1,1\n5,5\n6,6\n');
    assert.equal(cli(['fit', source, '--k', '2', '--save-model', paths.MODEL, '--json']).code, 0);
    paths.BADMODEL = join(dir, 'bad-model.json');
    // 1e400 in JSON text reads back as Infinity.
    writeFileSync(paths.BADMODEL, '{"format": "centroid-model", "version": 1, "featureNames": ["a"], "fitCenters": [[1e400]]}');
    paths.ZEROSCALE = join(dir, 'zero-scale.json');
    const model = JSON.parse(readFileSync(paths.MODEL, 'utf8')) as { scaler: { kind: string; scale: number[] } };
    writeFileSync(paths.ZEROSCALE, JSON.stringify({ ...model, scaler: { ...model.scaler, kind: 'standard', scale: [0, 1] } }));
    paths.NOTJSON = join(dir, 'not-json.json');
    writeFileSync(paths.NOTJSON, '{"format": ');
    paths.EXISTING = join(dir, 'existing.csv');
    paths.NODIR = join(dir, 'no', 'such', 'folder', 'out.csv');
  });
  after(() => remove());

  it('exit 0 with one JSON object, or exit 2 with one line naming the file; nothing else', () => {
    let n = 0;
    const outcomes = { ok: 0, failed: 0 };
    fc.assert(fc.property(csvFileArb, invocation, (spec, inv) => {
      const file = join(dir, `in${n}.csv`);
      writeFileSync(file, csvFileBytes(spec));
      writeFileSync(paths.EXISTING, existing);
      const out = join(dir, `out${n}.csv`);
      const saved = join(dir, `saved${n}.json`);
      n++;
      const flags = inv.flags.map((f) => {
        const [name, value] = f.split(/=(.*)/s);
        if (value === undefined) return f;
        const path = value === 'OUT' ? out : value === 'SAVED' ? saved : paths[value];
        return path !== undefined ? `${name}=${path}` : f;
      });
      const args = [inv.verb, file, ...flags, '--json'];
      const forced = flags.includes('--force');

      const t0 = Date.now();
      const r = cli(args);
      const ms = Date.now() - t0;
      const what = `centroid ${args.join(' ')}`;
      assert.ok(ms < PER_CASE_MS, `${what} took ${ms} ms`);
      assert.ok(r.code === 0 || r.code === 2, `${what}: exit ${r.code}`);
      if (r.code === 0) {
        outcomes.ok++;
        assert.equal(r.err.length, 0, `${what}: ${r.err.join('|')}`);
        assert.equal(r.out.length, 1, `${what}: one write to stdout`);
        const json: unknown = JSON.parse(r.out[0]);
        assert.ok(typeof json === 'object' && json !== null && !Array.isArray(json), `${what}: a JSON object`);
        assertNoSilentNaN(json, what);
      } else {
        outcomes.failed++;
        assert.equal(r.out.length, 0, `${what}: nothing on stdout`);
        assert.equal(r.err.length, 1, `${what}: one write to stderr`);
        const line = r.err[0];
        assert.ok(!/[\r\n]/.test(line), `${what}: one line: ${JSON.stringify(line)}`);
        assert.ok(line.startsWith('centroid: '), line);
        const flagValues = flags.map((f) => f.split(/=(.*)/s)[1]).filter((v): v is string => v !== undefined && v.length > 4);
        const named = [file, ...flagValues].some((p) => line.includes(p));
        assert.ok(named, `${what}: names the file: ${line}`);
        assert.ok(!/\bat .*\.ts:\d+/.test(line), `${what}: no stack: ${line}`);
        assert.ok(!line.includes('unexpected error'), `${what}: ${line}`);
      }
      // --out never replaces a file without --force.
      if (!forced) assert.equal(readFileSync(paths.EXISTING, 'utf8'), existing, `${what} overwrote a file`);
      if (r.code === 0 && inv.verb === 'fit') {
        // A repeated option: the last one counts.
        const outFlag = [...flags].reverse().find((f) => f.startsWith('--out='));
        if (outFlag !== undefined) {
          const written = outFlag.slice('--out='.length);
          assert.ok(existsSync(written), `${what}: --out written`);
          assert.doesNotThrow(() => parseCsv(readFileSync(written, 'utf8')), `${what}: --out reads back`);
        }
      }
    }), { seed: fuzzSeed(10), numRuns: RUNS });
    // The generators reach both outcomes often enough to mean something.
    assert.ok(outcomes.ok >= RUNS / 10 && outcomes.failed >= RUNS / 10, JSON.stringify(outcomes));
    // Atomic writes: no temporary file is ever left behind.
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('medoids on random distance matrices and edge lists: the same contract', () => {
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 9 }).map(String) },
      { weight: 2, arbitrary: fc.constantFrom('', '0', '-1', 'NaN', 'Infinity', '1e308', '1e309', 'x', '0.5', '1e-320', '1,5') },
    );
    const arb = fc.record({
      m: fc.integer({ min: 1, max: 6 }),
      values: fc.array(value, { minLength: 36, maxLength: 36 }),
      symmetric: fc.boolean(),
      edges: fc.boolean(),
      k: fc.integer({ min: 1, max: 4 }),
      similarity: fc.constantFrom('auto', 'distance', 'similarity'),
      shortestPaths: fc.boolean(),
    });
    let n = 0;
    fc.assert(fc.property(arb, ({ m, values, symmetric, edges, k, similarity, shortestPaths }) => {
      let text: string;
      if (edges) {
        text = 'source,target,weight\n' + Array.from({ length: 2 * m }, (_, i) => `n${i % m},n${(7 * i + 1) % m},${values[i]}`).join('\n') + '\n';
      } else {
        const ids = Array.from({ length: m }, (_, i) => `p${i}`);
        const cellAt = (i: number, j: number): string => (i === j ? '0' : values[symmetric ? Math.min(i, j) * 6 + Math.max(i, j) : i * 6 + j]);
        text = `,${ids.join(',')}\n${ids.map((id, i) => [id, ...ids.map((_, j) => cellAt(i, j))].join(',')).join('\n')}\n`;
      }
      const file = join(dir, `distances${n++}.csv`);
      writeFileSync(file, text);
      const args = ['medoids', file, `--k=${k}`, `--similarity=${similarity}`, ...(shortestPaths ? ['--shortest-paths'] : []), '--json'];
      const r = cli(args);
      if (r.code === 0) {
        assert.equal(r.out.length, 1);
        const json = JSON.parse(r.out[0]) as { cost: number; medoids: string[] };
        assertNoSilentNaN(json, args.join(' '));
        assert.ok(json.cost >= 0);
        assert.ok(json.medoids.length === k);
      } else {
        assert.equal(r.code, 2);
        assert.equal(r.err.length, 1);
        assert.ok(r.err[0].startsWith(`centroid: ${file}: `) && !/[\r\n]/.test(r.err[0]), r.err[0]);
        assert.ok(!r.err[0].includes('unexpected error'), r.err[0]);
      }
    }), { seed: fuzzSeed(11), numRuns: RUNS });
  });

  it('command-line mistakes are one line naming the file, with the hint for negative values', () => {
    const file = join(dir, 'mistakes.csv');
    writeFileSync(file, 'a,b\n1,2\n3,4\n');
    const cases: [string[], RegExp][] = [
      [['fit', file, '--k', '2', '--seed', '-5'], /^centroid: .*mistakes\.csv: Option '--seed' argument is ambiguous\. .*'--seed=-XYZ'.* \(see centroid --help\)$/],
      [['fit', file, '--bogus'], /^centroid: .*mistakes\.csv: Unknown option '--bogus'/],
      [['fit', file, '--json', '--k'], /^centroid: .*mistakes\.csv: Option '--k <value>' argument missing/],
      [['fit', file, '--k='], /^centroid: .*mistakes\.csv: --k should be a whole number from 1 to 1000, not "" \(see centroid --help\)$/],
      [['fit', file, '--k', '2', '--seed=1e300'], /mistakes\.csv: --seed should be a whole number from -2147483648 to 4294967295, not "1e300"/],
      [['fit', file, '--k', '2', '--n-init=100000'], /mistakes\.csv: --n-init should be a whole number from 1 to 1000, not "100000"/],
      [['fit', file, 'extra'], /mistakes\.csv: unexpected argument "extra"/],
      [['frobnicate', file], /mistakes\.csv: unknown verb "frobnicate"/],
      [['predict', file, '--model', paths.ZEROSCALE], /zero-scale\.json is not a Centroid model: "scaler" has a scale of 0; scales should be non-zero$/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args.includes('--json') ? args : [...args, '--json']);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.length, 1);
      assert.match(r.err[0], message);
      assert.ok(!/[\r\n]/.test(r.err[0]));
    }
  });
});
