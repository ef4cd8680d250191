/**
 * Worker job fuzz (issue 9): `runJob`, the worker's entry logic (src/worker/job.ts), on
 * random and mutated CSV files with random valid settings, size limits and cancel flags.
 * Whatever comes in, the job returns a result whose numbers are all finite (NaN only as the
 * documented "dropped row" distance), or it throws something `describeFailure` turns into
 * one clear sentence naming the file, of kind 'input' (or 'cancelled' when cancelled); never
 * 'internal', which would mean a crash. Every progress message passes the protocol guard and
 * moves forward. The worker's message guard is fuzzed too: junk gives a ProtocolError only.
 *
 * Fixed seed and a bounded number of cases; for a long local run:
 *   CENTROID_FUZZ_RUNS=10000 node scripts/test-unit.mjs hostile/worker-fuzz
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describeFailure, runJob } from '../../../src/worker/job';
import { sampleRows } from '../../../src/pipeline/projection';
import {
  DEFAULT_SETTINGS, parseHostToWorker, parseRunSettings, parseWorkerMessage, ProtocolError,
  type JobStart, type RunSettings, type WorkerToHost,
} from '../../../src/protocol/messages';
import { assertNoSilentNaN, cellsOf, csvFileBytes, csvFileOf, fuzzRuns, fuzzSeed, HOSTILE_CELLS, NAMES, scratch } from './helpers';

const RUNS = fuzzRuns(120);
/** A hang detector, not a benchmark: far above any real run, so a loaded machine never fails it. */
const PER_CASE_MS = 30_000;

const name = fc.constantFrom(...NAMES, 'nope', 'column1', 'column2');
const settingsArb: fc.Arbitrary<RunSettings> = fc.record({
  k: fc.integer({ min: 1, max: 3 }),
  scale: fc.constantFrom('none', 'standard', 'minmax'),
  seed: fc.integer({ min: -2147483648, max: 4294967295 }),
  init: fc.constantFrom('k-means++', 'random'),
  nInit: fc.oneof(fc.constant<'auto'>('auto'), fc.integer({ min: 1, max: 3 })),
  algorithm: fc.constantFrom('lloyd', 'elkan'),
  metric: fc.constantFrom('euclidean', 'cosine'),
  missing: fc.constantFrom('drop', 'mean'),
  label: fc.oneof(
    { weight: 4, arbitrary: fc.constant<RunSettings['label']>({ mode: 'auto' }) },
    { weight: 2, arbitrary: fc.constant<RunSettings['label']>({ mode: 'none' }) },
    { weight: 1, arbitrary: name.map((n): RunSettings['label'] => ({ mode: 'column', name: n })) },
  ),
  columns: fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(name, { minLength: 1, maxLength: 3 }) },
  ),
  view: fc.oneof(
    fc.constant<RunSettings['view']>({ method: 'pca' }),
    fc.tuple(name, name).map(([x, y]): RunSettings['view'] => ({ method: 'columns', x, y })),
  ),
}).map((s) => ({ ...s })); // a plain object, as a message from the host is

const csvFileArb = csvFileOf(cellsOf(HOSTILE_CELLS));

/** Nullable fields of a PanelView (metrics without a value, no explained share, no mapping). */
const VIEW_NULLS = ['value', 'explained', 'accuracy', 'contingency'];

describe('worker job fuzz', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = scratch('worker-fuzz')));
  after(() => remove());

  it('a result with finite numbers, or one input error naming the file; never a crash', () => {
    let n = 0;
    const kinds = { result: 0, input: 0, cancelled: 0 };
    fc.assert(fc.property(csvFileArb, settingsArb, fc.integer({ min: 1, max: 5000 }), fc.boolean(), fc.nat(9),
      (spec, settings, maxPoints, smallLimit, cancelAt) => {
        // The settings are what the host sends: they pass the protocol's guard unchanged.
        assert.deepEqual(parseRunSettings(settings), settings);
        const file = join(dir, `job${n++}.csv`);
        const bytes = csvFileBytes(spec);
        writeFileSync(file, bytes);
        // A limit one byte below the file's size (the limit is at least 1).
        const tinyLimit = smallLimit && bytes.length > 1;
        const cancelFlag = new SharedArrayBuffer(4);
        const start: JobStart = {
          type: 'job/start', id: n, file, settings, maxPoints, cancelFlag,
          maxBytes: tinyLimit ? Math.max(1, bytes.length - 1) : 1e9,
        };
        assert.equal(parseHostToWorker(start).type, 'job/start');
        const messages: WorkerToHost[] = [];
        // Cancel after a few progress messages in one case out of ten.
        const post = (m: WorkerToHost): void => {
          messages.push(m);
          if (cancelAt === 0 && messages.length === 2) Atomics.store(new Int32Array(cancelFlag), 0, 1);
        };
        const t0 = Date.now();
        let failure: unknown;
        let output: ReturnType<typeof runJob> | undefined;
        try {
          output = runJob(start, post);
        } catch (e) {
          failure = e;
        }
        const ms = Date.now() - t0;
        assert.ok(ms < PER_CASE_MS, `${file} took ${ms} ms`);

        let last = -Infinity;
        for (const m of messages) {
          assert.equal(parseWorkerMessage(m).type, 'job/progress');
          if (m.type === 'job/progress' && m.fraction !== null) {
            assert.ok(m.fraction >= last && m.fraction >= 0 && m.fraction <= 1, `progress ${m.fraction} after ${last}`);
            last = m.fraction;
          }
        }
        if (output !== undefined) {
          kinds.result++;
          assert.ok(!(tinyLimit), 'a file over the limit is refused');
          assertNoSilentNaN(output, file, VIEW_NULLS);
          const nRows = output.labels.length;
          assert.equal(output.distances.length, nRows);
          assert.equal(output.file.rowLine.length, nRows);
          for (let i = 0; i < nRows; i++) {
            const l: number = output.labels[i];
            assert.ok(l >= -1 && l < settings.k, `label ${l}`);
            // A row without a cluster has no distance (NaN), and a row with one has a finite distance.
            assert.equal(Number.isNaN(output.distances[i]), l === -1, `row ${i}: label ${l}, distance ${output.distances[i]}`);
          }
          const plot = output.view.plot;
          assert.equal(plot.points.length, 2 * plot.rows.length);
          assert.ok(plot.rows.length <= maxPoints);
          return;
        }
        const err = describeFailure(start.id, file, failure);
        assert.notEqual(err.kind, 'internal', `${file}: ${err.error}\n${err.detail ?? ''}`);
        assert.equal(parseWorkerMessage(err).type, 'job/error');
        if (err.kind === 'cancelled') {
          kinds.cancelled++;
          assert.equal(cancelAt, 0, 'cancelled only when asked');
          return;
        }
        kinds.input++;
        assert.ok(!/[\r\n]/.test(err.error), `one line: ${JSON.stringify(err.error)}`);
        assert.ok(err.error.includes(basename(file)), `names the file: ${err.error}`);
        if (tinyLimit) assert.match(err.error, /over the limit of .* set by the setting centroid\.maxFileSizeMB$/);
      }), { seed: fuzzSeed(30), numRuns: RUNS });
    assert.ok(kinds.result >= RUNS / 10 && kinds.input >= RUNS / 10, JSON.stringify(kinds));
  });

  it('the job with the default settings on a plain file is a result (the fuzz reaches the fit)', () => {
    const file = join(dir, 'plain.csv');
    writeFileSync(file, 'a,b,label\n0,0,x\n0,1,x\n10,10,y\n10,11,y\n20,0,z\n21,0,z\n');
    const out = runJob({ type: 'job/start', id: 1, file, settings: DEFAULT_SETTINGS, maxBytes: 1e6, maxPoints: 10, cancelFlag: new SharedArrayBuffer(4) }, () => undefined);
    assertNoSilentNaN(out, 'plain', VIEW_NULLS);
    // k=3 (default), "label" guessed: three pairs one unit apart, each row 0.5 from its pair's
    // midpoint, so the inertia is 6 x 0.25 = 1.5.
    assert.equal(out.labelColumn?.name, 'label');
    assert.equal(out.report.inertia, 1.5);
  });

  it('values beyond the Float32 range reach the plot as finite numbers, in stated units, with the values kept', () => {
    const file = join(dir, 'float32.csv');
    writeFileSync(file, 'a,b\n-3.5e38,0\n1,1\n2,2\n');
    for (const view of [{ method: 'columns', x: 'a', y: 'b' }, { method: 'pca' }] as const) {
      const settings: RunSettings = { ...DEFAULT_SETTINGS, k: 2, scale: 'none', label: { mode: 'none' }, view };
      const out = runJob({ type: 'job/start', id: 1, file, settings, maxBytes: 1e6, maxPoints: 10, cancelFlag: new SharedArrayBuffer(4) }, () => undefined);
      assertNoSilentNaN(out, `float32 ${view.method}`, VIEW_NULLS);
      const plot = out.view.plot;
      // 3.5e38 has exponent 38: the axes say so, and a warning explains why.
      assert.ok(plot.axisNames.every((a) => a.endsWith('(×1e38)')), plot.axisNames.join(' | '));
      assert.ok(out.view.warnings.some((w) => /units of 1e38/.test(w)), out.view.warnings.join(' | '));
      // The hover values are the file's, exactly (row 0 holds -3.5e38).
      const at = Array.from(plot.rows).indexOf(0);
      assert.equal(plot.values[at * plot.valueNames.length], -3.5e38);
      if (view.method === 'columns') {
        // Columns in units of 1e38: -3.5e38 is drawn at -3.5 (Float32 of -3.5e38 / 1e38).
        assert.equal(plot.points[2 * at], Math.fround(-3.5e38 / 1e38));
        assert.equal(plot.points[2 * at + 1], 0);
      }
    }
  });

  it('ordinary values are drawn in their own units, with no warning', () => {
    const file = join(dir, 'plain-units.csv');
    writeFileSync(file, 'a,b\n-3.5e20,0\n1,1\n2,2\n');
    const settings: RunSettings = { ...DEFAULT_SETTINGS, k: 2, scale: 'none', label: { mode: 'none' }, view: { method: 'columns', x: 'a', y: 'b' } };
    const out = runJob({ type: 'job/start', id: 1, file, settings, maxBytes: 1e6, maxPoints: 10, cancelFlag: new SharedArrayBuffer(4) }, () => undefined);
    assert.deepEqual(out.view.plot.axisNames, ['a', 'b']);
    assert.ok(!out.view.warnings.some((w) => /units of/.test(w)));
    const at = Array.from(out.view.plot.rows).indexOf(0);
    assert.equal(out.view.plot.points[2 * at], Math.fround(-3.5e20));
  });

  it('the plot sample never holds more than maxPoints rows, and keeps small clusters when it can', () => {
    const arb = fc.record({
      sizes: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 12 }),
      max: fc.integer({ min: 0, max: 400 }),
      seed: fc.nat(),
    });
    fc.assert(fc.property(arb, ({ sizes, max, seed }) => {
      const labels = Int32Array.from(sizes.flatMap((size, g) => new Array<number>(size).fill(g)));
      const n = labels.length;
      const rows = sampleRows(n, max, seed, labels);
      assert.ok(rows.length <= Math.min(n, max), `${rows.length} rows for max ${max}`);
      if (n <= max) assert.equal(rows.length, n);
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i] > rows[i - 1], 'distinct and increasing');
      assert.ok(rows.length === 0 || (rows[0] >= 0 && rows[rows.length - 1] < n));
      // When every cluster's minimum fits, each keeps min(size, 20) rows.
      const floors = sizes.map((size) => Math.min(size, 20));
      if (n > max && floors.reduce((a, b) => a + b, 0) <= max) {
        const got = new Array<number>(sizes.length).fill(0);
        for (const r of rows) got[labels[r]]++;
        got.forEach((count, g) => assert.ok(count >= floors[g], `cluster ${g}: ${count} rows`));
      }
    }), { seed: fuzzSeed(32), numRuns: RUNS * 2 });
  });

  it('junk sent to the worker gives a ProtocolError and nothing else', () => {
    const junk = fc.oneof(
      fc.anything(),
      fc.record({ type: fc.constantFrom('job/start', 'job/cancel', 'job/other'), id: fc.anything(), file: fc.anything(), settings: fc.anything(),
        maxBytes: fc.anything(), maxPoints: fc.anything(), cancelFlag: fc.oneof(fc.anything(), fc.constant(new SharedArrayBuffer(4))) }, { requiredKeys: [] }),
    );
    fc.assert(fc.property(junk, (x) => {
      try {
        parseHostToWorker(x);
      } catch (e) {
        assert.ok(e instanceof ProtocolError, `threw ${String(e)}`);
        assert.ok(!/[\r\n]/.test(e.message));
      }
    }), { seed: fuzzSeed(31), numRuns: RUNS * 3 });
  });
});
