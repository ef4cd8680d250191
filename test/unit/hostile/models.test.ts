/**
 * Oversized models (issue 18): what a model may hold is limited in one place
 * (MODEL_LIMITS in src/pipeline/model.ts) and the command line, the extension and the worker
 * refuse the same models with the same sentence: a file over 64 MB before it is read, then
 * more than MAX_K centres, more than 100,000 features, or more than 10^7 numbers in a matrix
 * of centres, before their numbers are walked. Oversized shapes are built from one shared row,
 * so no test holds gigabytes.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MODEL_LIMITS, parseModel, type SavedModel } from '../../../src/pipeline/model';
import { readModelFile } from '../../../src/extension/modelFile';
import { cli, fuzzRuns, fuzzSeed, scratch } from './helpers';

/** A valid model of k centres and d features; every centre is one shared row (cheap at any size). */
function modelOf(k: number, d: number): SavedModel {
  const row = new Array<number>(d).fill(0);
  const ones = new Array<number>(d).fill(1);
  const names = Array.from({ length: d }, (_, j) => `f${j}`);
  return {
    format: 'centroid-model', version: 1, engineVersion: 'test', createdAt: '2024-01-01T00:00:00.000Z',
    featureNames: names, metric: 'euclidean', scaler: { kind: 'none', offset: row, scale: ones },
    clusterCenters: new Array<number[]>(k).fill(row), fitCenters: new Array<number[]>(k).fill(row), counts: new Array<number>(k).fill(0),
    params: {}, data: null, inertia: null, labelColumn: null, mapping: null,
  };
}

function refusedWith(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.match(e.message, message);
    return true;
  });
}

describe('model limits: one place, shapes before contents', () => {
  it('the limits are those of a fit: k <= 1000, d <= 100,000, k x d <= 10^7, 64 MB', () => {
    assert.deepEqual(MODEL_LIMITS, { maxBytes: 64 * 1024 * 1024, maxK: 1000, maxFeatures: 100_000, maxNumbers: 10_000_000 });
  });

  it('more centres than a fit may have (10^6, as in the report) is refused by its count', () => {
    refusedWith(() => parseModel(modelOf(1_000_000, 2), 'm.json'),
      /^m\.json is not a Centroid model: "fitCenters" holds 1000000 centres; a model may have at most 1000, as a fit$/);
    refusedWith(() => parseModel(modelOf(1001, 1), 'm.json'), /"fitCenters" holds 1001 centres; a model may have at most 1000/);
    const mixed = { ...modelOf(3, 2), clusterCenters: new Array<number[]>(5000).fill([0, 0]) };
    refusedWith(() => parseModel(mixed, 'm.json'), /"clusterCenters" holds 5000 centres; a model may have at most 1000/);
    parseModel(modelOf(1000, 1), 'm.json');
  });

  it('too many features, and too many numbers in all', () => {
    refusedWith(() => parseModel(modelOf(1, 100_001), 'm.json'), /"featureNames" lists 100001 columns; a model may have at most 100000$/);
    refusedWith(() => parseModel(modelOf(101, 100_000), 'm.json'),
      /"fitCenters" holds 101 centres of 100000 features, 10100000 numbers; a model may hold at most 10000000 per matrix$/);
    parseModel(modelOf(100, 100_000), 'm.json');
  });

  it('any shape: accepted exactly within the limits (fast-check)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 150_000 }), (k, d) => {
      const within = k <= MODEL_LIMITS.maxK && d <= MODEL_LIMITS.maxFeatures && k * d <= MODEL_LIMITS.maxNumbers;
      let accepted = true;
      try {
        parseModel(modelOf(k, d), 'm.json');
      } catch {
        accepted = false;
      }
      assert.equal(accepted, within, `k=${k} d=${d}`);
    }), { seed: fuzzSeed(31), numRuns: fuzzRuns(25) });
  });
});

describe('model limits: the command line and the extension refuse the same files', () => {
  let dir: string;
  let remove: () => void;
  let csv: string;
  before(() => {
    ({ dir, remove } = scratch('models'));
    csv = join(dir, 'data.csv');
    writeFileSync(csv, 'f0,f1\n1,2\n3,4\n');
  });
  after(() => remove());

  it('a file over 64 MB, before it is read (sparse: no disk, no memory)', async () => {
    const p = join(dir, 'huge.centroid.json');
    writeFileSync(p, '');
    truncateSync(p, 65 * 1024 * 1024);
    const r = cli(['predict', csv, '--model', p]);
    assert.equal(r.code, 2);
    assert.deepEqual(r.err, [`centroid: ${p} is 65 MB, too large for a Centroid model (at most 64 MB)`]);
    await assert.rejects(readModelFile(p), (e: Error) => e.message === 'huge.centroid.json is 65 MB, too large for a Centroid model (at most 64 MB)');
    // 64 MB exactly is read (and is not JSON: zeros).
    truncateSync(p, 64 * 1024 * 1024);
    await assert.rejects(readModelFile(p), /huge\.centroid\.json is not a Centroid model: it is not valid JSON/);
  });

  it('1001 centres: refused by both with the same sentence', async () => {
    const p = join(dir, 'k1001.centroid.json');
    writeFileSync(p, JSON.stringify(modelOf(1001, 2)));
    const r = cli(['predict', csv, '--model', p]);
    assert.equal(r.code, 2);
    assert.deepEqual(r.err, [`centroid: ${p} is not a Centroid model: "fitCenters" holds 1001 centres; a model may have at most 1000, as a fit`]);
    await assert.rejects(readModelFile(p), (e: Error) => e.message === 'k1001.centroid.json is not a Centroid model: "fitCenters" holds 1001 centres; a model may have at most 1000, as a fit');
  });
});

describe('model validation: each wrong field named at load, not blamed later on the CSV', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = scratch('modelfields')));
  after(() => remove());

  it('clusterCenters and fitCenters of different lengths', () => {
    refusedWith(() => parseModel({ ...modelOf(3, 2), clusterCenters: [[0, 0], [1, 1]] }, 'm.json'),
      /^m\.json is not a Centroid model: "clusterCenters" has 2 rows and "fitCenters" 3; they should be the same centres, one row each$/);
  });

  it('a scale so small that every value of any CSV would overflow once scaled', () => {
    const m = modelOf(2, 2);
    refusedWith(() => parseModel({ ...m, scaler: { kind: 'standard', offset: [0, 0], scale: [1, 1e-300] } }, 'm.json'),
      /^m\.json is not a Centroid model: "scaler" has a scale of 1e-300 for "f1"; scales should be at least 1e-154 in size, or every value would overflow once scaled$/);
    parseModel({ ...m, scaler: { kind: 'standard', offset: [0, 0], scale: [1, 1e-150] } }, 'm.json');
    // Before: the CSV was blamed ("column ... holds values as large as ...").
    const csv = join(dir, 'ok.csv');
    writeFileSync(csv, 'f0,f1\n1,2\n3,4\n');
    const model = join(dir, 'tiny.centroid.json');
    writeFileSync(model, JSON.stringify({ ...m, scaler: { kind: 'standard', offset: [0, 0], scale: [1, 1e-300] } }));
    const r = cli(['predict', csv, '--model', model]);
    assert.equal(r.code, 2);
    assert.match(r.err[0], /tiny\.centroid\.json is not a Centroid model: "scaler" has a scale of 1e-300/);
  });

  it('a labelColumn that is not a name or null (absent reads as null)', () => {
    for (const labelColumn of [3, true, ['a'], { a: 1 }]) {
      refusedWith(() => parseModel({ ...modelOf(2, 2), labelColumn }, 'm.json'), /^m\.json is not a Centroid model: "labelColumn" should be a column name or null$/);
    }
    const { labelColumn: _l, ...absent } = modelOf(2, 2);
    assert.equal(parseModel(absent, 'm.json').labelColumn, null);
    assert.equal(parseModel({ ...modelOf(2, 2), labelColumn: 'species' }, 'm.json').labelColumn, 'species');
  });

  it('a byte order mark before the JSON is skipped, by the CLI and the extension alike', async () => {
    const csv = join(dir, 'bom.csv');
    writeFileSync(csv, 'f0,f1\n1,2\n3,4\n');
    const p = join(dir, 'bom.centroid.json');
    writeFileSync(p, `\ufeff${JSON.stringify(modelOf(2, 2))}`);
    assert.equal((await readModelFile(p)).fitCenters.length, 2);
    const r = cli(['predict', csv, '--model', p, '--json']);
    assert.deepEqual(r.err, []);
    assert.equal(r.code, 0);
  });
});
