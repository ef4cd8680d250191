/**
 * Model jobs as the worker runs them (src/worker/modelJob.ts), checked against direct calls
 * that do not go through src/pipeline/modelRows.ts: the online way against partialFitTable on
 * the new rows alone, the warm way against kmeansFit started from the model's centres, the
 * seeds way against one k-means++ fit per seed, inertias and moved rows recomputed here by
 * brute force. Predict against predictTable, and a CSV without the model's columns.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { kmeansFit } from '../../../src/engine/kmeans';
import { fitTable } from '../../../src/pipeline/fit';
import { modelFromFit, partialFitTable, predictTable, type SavedModel } from '../../../src/pipeline/model';
import { runModelJob } from '../../../src/worker/modelJob';
import { DEFAULT_SETTINGS, type JobOutput } from '../../../src/protocol/messages';
import type { AddRowsResult, ModelJob, ModelRequest } from '../../../src/protocol/models';

const IRIS = join(__dirname, '../../../examples/iris.csv');
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const N_FITTED = 110;

function job(request: ModelRequest): ModelJob {
  return { type: 'model/job', id: 3, request, maxBytes: 1e9, maxPoints: 5000, cancelFlag: new SharedArrayBuffer(4) };
}

/** Scaled rows of `table` in the model's fit space, computed here from the model's offset and scale. */
function fitSpace(table: ReturnType<typeof parseCsv>, model: SavedModel): number[][] {
  const cols = FEATURES.map((n) => (table.header as string[]).indexOf(n));
  return table.rows.map((r) => cols.map((c, t) => (Number(r[c]) - model.scaler.offset[t]) / model.scaler.scale[t]));
}

function nearest(x: number[], centers: number[][]): { label: number; d2: number } {
  let label = 0;
  let d2 = Infinity;
  centers.forEach((c, j) => {
    const s = c.reduce((acc, v, t) => acc + (x[t] - v) ** 2, 0);
    if (s < d2) {
      d2 = s;
      label = j;
    }
  });
  return { label, d2 };
}

function close(actual: number, expected: number, what: string, rel = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${what}: ${actual} should be ${expected}`);
}

describe('model jobs: add rows the three ways', () => {
  let dir = '';
  let model: SavedModel;
  let all: ReturnType<typeof parseCsv>;
  let result: AddRowsResult;
  const N_SEEDS = 4;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-models-'));
    const text = readFileSync(IRIS, 'utf8');
    const lines = text.trimEnd().split('\n');
    // Shuffle deterministically so the first rows are not all one species.
    const body = lines.slice(1).map((l, i) => ({ l, key: (i * 37) % 149 })).sort((a, b) => a.key - b.key).map((x) => x.l);
    writeFileSync(join(dir, 'all.csv'), `${[lines[0], ...body].join('\n')}\n`);
    writeFileSync(join(dir, 'old.csv'), `${[lines[0], ...body.slice(0, N_FITTED)].join('\n')}\n`);
    writeFileSync(join(dir, 'new.csv'), `${[lines[0], ...body.slice(N_FITTED)].join('\n')}\n`);
    const old = parseCsv(readFileSync(join(dir, 'old.csv'), 'utf8'), { header: 'auto' });
    const outcome = fitTable(old, { k: 3, seed: 0, scale: 'standard', columns: FEATURES });
    model = modelFromFit(outcome, '0.0.0', null, '2026-01-01T00:00:00.000Z');
    all = parseCsv(readFileSync(join(dir, 'all.csv'), 'utf8'), { header: 'auto' });
    result = runModelJob(job({
      kind: 'addRows', model, modelName: 'iris.centroid.json', sources: [{ file: join(dir, 'all.csv'), newFrom: N_FITTED }], nSeeds: N_SEEDS, seed: 0,
    }), () => undefined) as AddRowsResult;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts old and new rows and the inertia before, by brute force', () => {
    assert.equal(result.outcome.nOld, N_FITTED);
    assert.equal(result.outcome.nNew, 150 - N_FITTED);
    assert.deepEqual(result.dataRows, [150]);
    const X = fitSpace(all, model);
    const before = X.reduce((s, x) => s + nearest(x, model.fitCenters).d2, 0);
    const newBefore = X.slice(N_FITTED).reduce((s, x) => s + nearest(x, model.fitCenters).d2, 0);
    close(result.outcome.inertiaBefore, before, 'inertia before');
    close(result.outcome.newInertiaBefore, newBefore, 'inertia of the new rows before');
    assert.deepEqual(result.outcome.ways.map((w) => w.way), ['online', 'warm', 'seeds']);
  });

  it('online: the same centres and counts as partialFitTable on the new rows alone', () => {
    const online = result.outcome.ways.find((w) => w.way === 'online');
    assert.ok(online);
    const fresh = parseCsv(readFileSync(join(dir, 'new.csv'), 'utf8'), { header: 'auto' });
    const direct = partialFitTable(fresh, model);
    online.model.fitCenters.forEach((row, j) => row.forEach((v, t) => close(v, direct.model.fitCenters[j][t], `centre ${j}.${t}`)));
    assert.deepEqual(online.model.counts, direct.model.counts);
    assert.equal(online.model.counts.reduce((a, b) => a + b, 0), 150, 'counts carry the fitted rows plus the new ones');
    assert.equal(online.nIter, 0);
  });

  it('warm: the same fit as kmeansFit started from the model centres on all rows', () => {
    const warm = result.outcome.ways.find((w) => w.way === 'warm');
    assert.ok(warm);
    const X = fitSpace(all, model);
    const direct = kmeansFit({ data: Float64Array.from(X.flat()), nRows: X.length, nCols: 4 }, {
      nClusters: 3, init: { data: Float64Array.from(model.fitCenters.flat()), nRows: 3, nCols: 4 }, seed: 0,
    });
    close(warm.inertiaAfter, direct.inertia, 'warm inertia');
    assert.equal(warm.nIter, direct.nIter);
    warm.model.fitCenters.forEach((row, j) => row.forEach((v, t) => close(v, direct.clusterCenters.data[j * 4 + t], `centre ${j}.${t}`)));
  });

  it('seeds: the lowest inertia of one k-means++ fit per seed, and the seed that won', () => {
    const seeds = result.outcome.ways.find((w) => w.way === 'seeds');
    assert.ok(seeds);
    const X = fitSpace(all, model);
    const m = { data: Float64Array.from(X.flat()), nRows: X.length, nCols: 4 };
    const inertias = Array.from({ length: N_SEEDS }, (_, s) => kmeansFit(m, { nClusters: 3, init: 'k-means++', nInit: 1, seed: s }).inertia);
    let best = 0;
    inertias.forEach((v, s) => {
      if (v < inertias[best]) best = s;
    });
    assert.equal(seeds.seed, best);
    assert.deepEqual(seeds.seedInertias?.length, N_SEEDS);
    seeds.seedInertias?.forEach((v, s) => close(v, inertias[s], `seed ${s}`));
    close(seeds.inertiaAfter, inertias[best], 'inertia kept');
  });

  it('every way: inertia after and the rows that changed cluster, by brute force from its centres', () => {
    const X = fitSpace(all, model);
    assert.ok(result.outcome.ways.some((w) => w.changedCount > 0), 'this split moves some rows, so the check below means something');
    for (const way of result.outcome.ways) {
      let inertia = 0;
      let changedOld = 0;
      let changedNew = 0;
      const lines: number[] = [];
      X.forEach((x, i) => {
        const after = nearest(x, way.model.fitCenters);
        inertia += after.d2;
        if (after.label !== nearest(x, model.fitCenters).label) {
          if (i < N_FITTED) changedOld++;
          else changedNew++;
          lines.push(i + 2);
        }
      });
      close(way.inertiaAfter, inertia, `${way.way} inertia after`);
      assert.equal(way.changedOld, changedOld, `${way.way}: old rows moved`);
      assert.equal(way.changedNew, changedNew, `${way.way}: new rows moved`);
      assert.equal(way.changedCount, changedOld + changedNew);
      assert.deepEqual(way.changed.map((c) => c.line), lines, `${way.way}: lines of the moved rows`);
      assert.equal(way.counts.reduce((a, b) => a + b, 0), 150);
    }
  });

  it('new rows from another file are added to the rows of the model\'s own file', () => {
    const two = runModelJob(job({
      kind: 'addRows', model, modelName: 'm', sources: [{ file: join(dir, 'old.csv'), newFrom: null }, { file: join(dir, 'new.csv'), newFrom: 0 }],
      nSeeds: 1, ways: ['warm'],
    }), () => undefined) as AddRowsResult;
    assert.equal(two.outcome.nOld, N_FITTED);
    assert.equal(two.outcome.nNew, 150 - N_FITTED);
    const warm = result.outcome.ways.find((w) => w.way === 'warm');
    // The same rows in the same order (old first, then new): the same warm refit.
    close(two.outcome.ways[0].inertiaAfter, warm?.inertiaAfter ?? NaN, 'warm inertia over two files');
  });

  it('no new rows is one clear error naming the file', () => {
    assert.throws(() => runModelJob(job({
      kind: 'addRows', model, modelName: 'm', sources: [{ file: join(dir, 'old.csv'), newFrom: N_FITTED }], nSeeds: 1,
    }), () => undefined), /no new rows .* in old\.csv after row 110/);
  });
});

describe('model jobs: predict', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-predict-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('labels and distances match predictTable; the centres are unchanged and the summary says predicted', () => {
    const table = parseCsv(readFileSync(IRIS, 'utf8'), { header: 'auto' });
    const model = modelFromFit(fitTable(table, { k: 3, seed: 1, scale: 'standard', label: 'species' }), '0.0.0', null);
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'petal_width,petal_length,sepal_width,sepal_length\n0.2,1.4,3.5,5.1\n2.1,5.5,3.0,6.8\n1.3,4.1,2.8,5.7\n,1,2,3\n');
    const output = runModelJob(job({
      kind: 'predict', file: other, model, modelName: 'iris.centroid.json', settings: { ...DEFAULT_SETTINGS, k: 3 },
    }), () => undefined) as JobOutput;
    const direct = predictTable(parseCsv(readFileSync(other, 'utf8'), { header: 'auto' }), model);
    assert.deepEqual(Array.from(output.labels), direct.labels.map((l) => l ?? -1));
    direct.labels.forEach((l, i) => {
      if (l === null) assert.ok(Number.isNaN(output.distances[i]));
      else close(output.distances[i], (direct.distances[i] as number[])[l], `distance ${i}`);
    });
    assert.deepEqual(output.report.clusterCenters, model.clusterCenters);
    assert.equal(output.report.nIter, 0);
    assert.match(output.view.summary, /^Predicted with iris\.centroid\.json, each row assigned to its nearest centre: k-means/);
    // The three rows are one of each species in the fit: three different clusters.
    assert.equal(new Set(Array.from(output.labels).slice(0, 3)).size, 3);
  });

  it('a CSV without the model\'s columns names every missing one', () => {
    const table = parseCsv(readFileSync(IRIS, 'utf8'), { header: 'auto' });
    const model = modelFromFit(fitTable(table, { k: 2, seed: 0, columns: FEATURES }), '0.0.0', null);
    const other = join(dir, 'partial.csv');
    writeFileSync(other, 'sepal_length,petal_length\n1,2\n3,4\n');
    assert.throws(() => runModelJob(job({
      kind: 'predict', file: other, model, modelName: 'm', settings: DEFAULT_SETTINGS,
    }), () => undefined), (e: Error) => {
      assert.match(e.message, /^partial\.csv has no columns "sepal_width", "petal_width", which the model was fitted on/);
      return true;
    });
  });
});
