/**
 * The chart of a prediction is drawn on the axes of the fit it predicts with (the principal
 * axes kept in the model), so the same rows land on the same points; the model file keeps the
 * axes and older files without them still load. And the summary of a prediction says one thing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelFromOutput, modelJson, updatedModelName } from '../../../src/extension/modelFile';
import { parseModel, type SavedModel } from '../../../src/pipeline/model';
import { DEFAULT_SETTINGS, type JobOutput, type RunSettings } from '../../../src/protocol/messages';
import type { ModelJob } from '../../../src/protocol/models';
import { runJob } from '../../../src/worker/job';
import { predictedSummary, runModelJob } from '../../../src/worker/modelJob';

const IRIS = join(__dirname, '../../../examples/iris.csv');
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

function fit(file: string, settings: Partial<RunSettings>): JobOutput {
  return runJob({
    type: 'job/start', id: 1, file, settings: { ...DEFAULT_SETTINGS, ...settings }, maxBytes: 1e9, maxPoints: 5000, cancelFlag: new SharedArrayBuffer(4),
  }, () => undefined) as JobOutput;
}

function predict(file: string, model: SavedModel, settings: RunSettings): JobOutput {
  const job: ModelJob = {
    type: 'model/job', id: 2, request: { kind: 'predict', file, model, modelName: 'iris.centroid.json', settings },
    maxBytes: 1e9, maxPoints: 5000, cancelFlag: new SharedArrayBuffer(4),
  };
  return runModelJob(job, () => undefined) as JobOutput;
}

/** Each plotted data row's point. */
function pointsByRow(output: JobOutput): Map<number, [number, number]> {
  const plot = output.view.plot;
  return new Map(Array.from(plot.rows, (row, p) => [row, [plot.points[2 * p], plot.points[2 * p + 1]]]));
}

function near(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${what}: ${a} should be ${b}`);
}

describe('predict: the chart is oriented as the fit\'s', () => {
  let dir = '';
  const lines = readFileSync(IRIS, 'utf8').trimEnd().split('\n');
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-predict-view-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const metric of ['euclidean', 'cosine'] as const) {
    it(`${metric}: the same rows get the same points, on the same axes, as in the fit`, () => {
      const settings: RunSettings = { ...DEFAULT_SETTINGS, k: 3, seed: 0, scale: 'standard', metric, columns: FEATURES, label: { mode: 'none' } };
      const fitted = fit(IRIS, settings);
      const model = modelFromOutput(fitted, '0.0.0', null);
      assert.ok(model.projection, 'the model keeps the fit\'s axes');
      // A file of a few rows, mostly of one species: its own principal axes would point elsewhere.
      const part = join(dir, `part-${metric}.csv`);
      writeFileSync(part, `${[lines[0], ...lines.slice(1, 41), ...lines.slice(141, 146)].join('\n')}\n`);
      const predicted = predict(part, model, settings);
      assert.deepEqual(predicted.model.projection, model.projection, 'the prediction is drawn on the model\'s axes');
      const fitPoints = pointsByRow(fitted);
      const rowsOfFit = [...Array.from({ length: 40 }, (_, i) => i), ...Array.from({ length: 5 }, (_, i) => 140 + i)];
      const got = pointsByRow(predicted);
      assert.equal(got.size, 45);
      rowsOfFit.forEach((fitRow, i) => {
        const [x, y] = got.get(i) as [number, number];
        const [fx, fy] = fitPoints.get(fitRow) as [number, number];
        near(x, fx, `row ${i}: first coordinate`);
        near(y, fy, `row ${i}: second coordinate`);
      });
      const { centers } = predicted.view.plot;
      fitted.view.plot.centers.forEach((v, at) => near(centers[at], v, `centre coordinate ${at}`));
    });
  }

  it('the axes are saved in the model file, and a file without them still loads (null: the prediction finds its own)', () => {
    const fitted = fit(IRIS, { k: 3, seed: 0, scale: 'standard', columns: FEATURES, label: { mode: 'none' } });
    const model = modelFromOutput(fitted, '0.0.0', null);
    const back = parseModel(JSON.parse(modelJson(model)) as unknown, 'm.json');
    assert.deepEqual(back.projection, model.projection);
    const { projection: _dropped, ...old } = model;
    assert.equal(parseModel(JSON.parse(JSON.stringify(old)) as unknown, 'old.json').projection, null);
    assert.throws(() => parseModel({ ...model, projection: { mean: [1], axes: [] } }, 'bad.json'),
      /bad\.json is not a Centroid model: "projection" should be null or have 4 numbers as "mean" and two "axes" of 4 numbers/);
    const part = join(dir, 'old.csv');
    writeFileSync(part, `${lines.slice(0, 30).join('\n')}\n`);
    const predicted = predict(part, parseModel(JSON.parse(JSON.stringify(old)) as unknown, 'old.json'), { ...DEFAULT_SETTINGS, k: 3 });
    assert.equal(predicted.view.plot.rows.length, 29);
  });
});

describe('the summary of a prediction says one true thing', () => {
  it('names the model, and an update taken into it, without saying its centres are unchanged', () => {
    assert.equal(updatedModelName('iris.centroid.json', 'online'), 'iris.centroid.json (updated online)');
    assert.equal(updatedModelName('iris.centroid.json (updated online)', 'warm'), 'iris.centroid.json (updated by a warm refit)');
    assert.equal(updatedModelName('the fit of a (1).csv', 'seeds'), 'the fit of a (1).csv (updated by a refit from seeds)');
    const text = predictedSummary(updatedModelName('iris.centroid.json', 'online'), 'k-means (Lloyd), k=3, 4 features, 150 rows');
    assert.equal(text, 'Predicted with iris.centroid.json (updated online), each row assigned to its nearest centre: k-means (Lloyd), k=3, 4 features, 150 rows');
    assert.doesNotMatch(text, /unchanged/);
  });
});
