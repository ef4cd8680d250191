/**
 * A worker job from known centres gives the centres of a direct engine call: the same data
 * matrix, the starting rows written out by hand, partialInitCenters, then kmeansFit (frozen or
 * not). Frozen coordinates stay where the file put them; the view shows the given ones.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../../src/worker/job';
import { Rng } from '../../../src/engine/rng';
import { kmeansFit } from '../../../src/engine/kmeans';
import { partialInitCenters } from '../../../src/engine/partialInit';
import { DEFAULT_SETTINGS, type JobOutput, type JobStart, type RunSettings } from '../../../src/protocol/messages';
import type { KnownSettings } from '../../../src/protocol/known';

/** Three blobs in (a, b, c) plus a text column; returns the text and the numeric rows. */
function blobs(n: number, seed: number): { text: string; X: number[][] } {
  const rng = new Rng(seed);
  const means = [[0, 0, 5], [6, 1, -2], [2, 7, 1]];
  const X: number[][] = [];
  const lines = ['a,kind,b,c'];
  for (let i = 0; i < n; i++) {
    const m = means[i % 3];
    const row = m.map((v) => v + rng.random() * 2 - 1);
    X.push(row);
    lines.push(`${row[0]},k${i % 3},${row[1]},${row[2]}`);
  }
  return { text: `${lines.join('\n')}\n`, X };
}

function start(file: string, settings: Partial<RunSettings>): JobStart {
  return {
    type: 'job/start', id: 1, file, settings: { ...DEFAULT_SETTINGS, label: { mode: 'none' }, ...settings },
    maxBytes: 1e9, maxPoints: 500, cancelFlag: new SharedArrayBuffer(4),
  };
}

/** The direct engine call: `given` rows are in the data's column order (a, b, c). */
function direct(X: number[][], given: (number | null)[][], freeze: boolean): number[][] {
  const M = { data: Float64Array.from(X.flat()), nRows: X.length, nCols: 3 };
  const init = partialInitCenters(M, given, 0);
  const fit = kmeansFit(M, {
    nClusters: given.length, init: init.centers, nInit: 1, maxIter: 300, tol: 1e-4, algorithm: 'lloyd', seed: 0,
    frozen: freeze ? init.frozen : undefined,
  });
  const out: number[][] = [];
  for (let j = 0; j < given.length; j++) out.push(Array.from(fit.clusterCenters.data.subarray(j * 3, j * 3 + 3)));
  return out;
}

function close(actual: number[][], expected: number[][], what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((row, j) => row.forEach((v, t) => assert.ok(Math.abs(v - expected[j][t]) <= 1e-9 * (1 + Math.abs(expected[j][t])),
    `${what}: centre ${j}, coordinate ${t}: ${v} vs ${expected[j][t]}`)));
}

describe('runJob from known centres', () => {
  const dir = mkdtempSync(join(tmpdir(), 'centroid-known-'));
  const { text, X } = blobs(600, 7);
  const file = join(dir, 'blobs.csv');
  writeFileSync(file, text);
  // The file names c before a and leaves b out: coordinates not given are derived.
  const known: KnownSettings = { fileName: 'centres.csv', columns: ['c', 'a'], rows: [[4, 0.5], [null, 5], [0.5, 2.5]], freeze: false };
  const given = [[0.5, null, 4], [5, null, null], [2.5, null, 0.5]];

  for (const freeze of [false, true]) {
    for (const streamMinBytes of [Infinity, 0]) {
      it(`matches partialInitCenters + kmeansFit (${freeze ? 'frozen' : 'free'}, ${streamMinBytes === 0 ? 'numeric reader' : 'table'})`, () => {
        // The numeric reader takes only all-numeric files: drop the text column for it.
        let path = file;
        if (streamMinBytes === 0) {
          path = join(dir, 'numeric.csv');
          writeFileSync(path, `a,b,c\n${X.map((r) => r.join(',')).join('\n')}\n`);
        }
        const out: JobOutput = runJob(start(path, { known: { ...known, freeze } }), () => undefined, Date.now, streamMinBytes);
        const expected = direct(X, given, freeze);
        close(out.view.centers, expected, 'final centres');
        const view = out.view.known;
        assert.ok(view, 'the view has a Starting centres section');
        assert.equal(view.freeze, freeze);
        assert.deepStrictEqual(view.featureNames, ['a', 'b', 'c']);
        assert.deepStrictEqual(view.centres.map((c) => c.given), given);
        close(view.centres.map((c) => c.final), expected, 'section final centres');
        assert.equal(view.placed, 0);
        assert.equal(out.view.plot.startCenters?.length, 6);
        if (freeze) {
          given.forEach((row, j) => row.forEach((v, t) => {
            if (v !== null) assert.equal(out.view.centers[j][t], v, `centre ${j}, coordinate ${t} stays at ${v}`);
          }));
        } else {
          assert.ok(given.some((row, j) => row.some((v, t) => v !== null && out.view.centers[j][t] !== v)), 'free coordinates move');
        }
        // The start of each centre keeps what was given.
        given.forEach((row, j) => row.forEach((v, t) => {
          if (v !== null) assert.equal(view.centres[j].start[t], v);
        }));
      });
    }
  }

  it('with the cosine metric, says the given coordinates were only the start instead of claiming them kept fixed', () => {
    const out = runJob(start(file, { metric: 'cosine', known: { ...known, freeze: true } }), () => undefined, Date.now, Infinity);
    assert.equal(out.view.known?.freeze, false);
    assert.ok(out.view.warnings.some((w) => /only the start: with the cosine metric/.test(w)), out.view.warnings.join(' | '));
    // Spherical centres have length 1, so the given coordinates (4, 0.5, ...) cannot have stayed.
    assert.ok(given.some((row, j) => row.some((v, t) => v !== null && out.view.centers[j][t] !== v)));
    const euclidean = runJob(start(file, { known: { ...known, freeze: true } }), () => undefined, Date.now, Infinity);
    assert.ok(!euclidean.view.warnings.some((w) => /cosine/.test(w)));
  });

  it('places centres beyond the file\'s rows with k-means++', () => {
    const out = runJob(start(file, { k: 4, known }), () => undefined, Date.now, Infinity);
    const expected = direct(X, [...given, [null, null, null]], false);
    close(out.view.centers, expected, 'final centres');
    assert.equal(out.view.known?.placed, 1);
    assert.equal(out.view.known?.centres.length, 3);
  });

  it('refuses a column that is not a feature, naming both files', () => {
    assert.throws(() => runJob(start(file, { known: { ...known, columns: ['c', 'kind'] } }), () => undefined, Date.now, Infinity),
      /^KnownCentresError: centres\.csv, column "kind": it is not a feature column of blobs\.csv in this run \(the features are "a", "b", "c"\)$/);
    assert.throws(() => runJob(start(file, { k: 2, known }), () => undefined, Date.now, Infinity),
      /centres\.csv has 3 centre rows, more than k=2/);
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
