/**
 * Saved model files on the host side (src/extension/modelFile.ts): a model written and read
 * back, the checks on load (not JSON, wrong format, wrong or missing version, bad shapes, zero
 * scale), the sentence naming the columns a CSV lacks, numbered default names; and how a
 * watched file changed (src/node/appendWatch.ts).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { fitTable } from '../../../src/pipeline/fit';
import { MODEL_VERSION, modelFromFit, type SavedModel } from '../../../src/pipeline/model';
import { defaultModelPath, missingColumnsMessage, modelJson, readModelFile, settingsFromModel } from '../../../src/extension/modelFile';
import { classifyChange, snapshotFile } from '../../../src/node/appendWatch';

const IRIS = join(__dirname, '../../../examples/iris.csv');

describe('model files', () => {
  let dir = '';
  let model: SavedModel;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-modelfile-'));
    const table = parseCsv(readFileSync(IRIS, 'utf8'), { header: 'auto' });
    model = modelFromFit(fitTable(table, { k: 3, seed: 0, scale: 'standard', label: 'species' }), '1.2.3', { sha256: 'ab', nRows: 150, file: 'iris.csv' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, value: unknown): string => {
    const p = join(dir, name);
    writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
    return p;
  };

  it('a written model reads back equal, with the documented fields', async () => {
    const p = write('iris.centroid.json', modelJson(model));
    const back = await readModelFile(p);
    assert.deepEqual(back, model);
    const raw = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
    for (const key of ['format', 'version', 'engineVersion', 'createdAt', 'featureNames', 'metric', 'scaler', 'clusterCenters',
      'fitCenters', 'counts', 'params', 'data', 'inertia', 'labelColumn', 'mapping']) {
      assert.ok(key in raw, `field ${key}`);
    }
    assert.equal(raw.format, 'centroid-model');
    assert.equal(raw.version, 1);
    assert.deepEqual(raw.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    assert.equal((raw.counts as number[]).reduce((a, b) => a + b, 0), 150);
  });

  it('a newer, older, missing or fractional version is refused naming the file and the version', async () => {
    for (const version of [MODEL_VERSION + 1, 0, 1.5, '1']) {
      const p = write('v.centroid.json', { ...model, version });
      await assert.rejects(readModelFile(p), (e: Error) => {
        assert.equal(e.message, `v.centroid.json is not a Centroid model: "version" ${JSON.stringify(version)} is not supported (this version of Centroid reads version 1)`);
        return true;
      });
    }
    const { version: _v, ...noVersion } = model;
    await assert.rejects(readModelFile(write('nv.centroid.json', noVersion)), /nv\.centroid\.json is not a Centroid model: "version" is missing and is not supported/);
  });

  it('not JSON, another format, bad shapes and a zero scale are each one sentence naming the file and the field', async () => {
    await assert.rejects(readModelFile(write('a.centroid.json', '{"format": ')), /^(Engine)?Error: a\.centroid\.json is not a Centroid model: it is not valid JSON/);
    await assert.rejects(readModelFile(write('b.centroid.json', { ...model, format: 'sklearn' })), /b\.centroid\.json is not a Centroid model: "format" should be "centroid-model"/);
    await assert.rejects(readModelFile(write('c.centroid.json', { ...model, fitCenters: [[1, 2]] })), /"fitCenters" should be rows of 4 finite numbers/);
    await assert.rejects(readModelFile(write('d.centroid.json', { ...model, counts: [1, 2] })), /"counts" should be 3 non-negative numbers/);
    await assert.rejects(readModelFile(write('e.centroid.json', { ...model, scaler: { ...model.scaler, scale: [1, 0, 1, 1] } })), /scale of 0/);
    await assert.rejects(readModelFile(join(dir, 'missing.centroid.json')), /^Error: Cannot load missing\.centroid\.json: the file does not exist$/);
  });

  it('missing columns: every one named, in the model\'s order; none when all are there', () => {
    assert.equal(missingColumnsMessage(model, 'iris.centroid.json', ['petal_length', 'sepal_length', 'x'], 'other.csv'),
      'iris.centroid.json needs the columns "sepal_width", "petal_width", which other.csv does not have; open a CSV with the model\'s columns, then load it again.');
    assert.match(missingColumnsMessage(model, 'm', ['sepal_length', 'sepal_width', 'petal_length'], 'o.csv') ?? '', /^m needs the column "petal_width", which/);
    assert.equal(missingColumnsMessage(model, 'm', ['species', ...model.featureNames], 'o.csv'), undefined);
  });

  it('the default name is beside the CSV, numbered when taken', () => {
    const csv = join(dir, 'data.csv');
    assert.equal(defaultModelPath(csv), join(dir, 'data.centroid.json'));
    writeFileSync(join(dir, 'data.centroid.json'), '{}');
    assert.equal(defaultModelPath(csv), join(dir, 'data (2).centroid.json'));
    writeFileSync(join(dir, 'data (2).centroid.json'), '{}');
    assert.equal(defaultModelPath(csv), join(dir, 'data (3).centroid.json'));
  });

  it('settings from a model: its k, columns, scaling, metric, seed and label column', () => {
    const s = settingsFromModel(model);
    assert.equal(s.k, 3);
    assert.deepEqual(s.columns, model.featureNames);
    assert.equal(s.scale, 'standard');
    assert.equal(s.metric, 'euclidean');
    assert.equal(s.seed, 0);
    assert.deepEqual(s.label, { mode: 'column', name: 'species' });
  });
});

describe('watched file changes', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'centroid-watch-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const split = (line: string): string[] => line.split(',');

  it('same, appended rows, edited rows, removed rows, a changed width and an extended last row', async () => {
    const p = join(dir, 'w.csv');
    writeFileSync(p, 'a,b\n1,2\n3,4\n');
    let snap = await snapshotFile(p);
    assert.deepEqual(await classifyChange(p, snap, 2, split), { kind: 'same' });
    appendFileSync(p, '5,6\n7,8\n');
    assert.deepEqual(await classifyChange(p, snap, 2, split), { kind: 'appended', text: '5,6\n7,8\n' });
    snap = await snapshotFile(p);
    appendFileSync(p, '9,10,11\n');
    assert.equal((await classifyChange(p, snap, 2, split)).kind, 'changed');
    assert.match(JSON.stringify(await classifyChange(p, snap, 2, split)), /3 fields instead of 2/);
    writeFileSync(p, 'a,b\n1,2\n3,9\n5,6\n7,8\n');
    assert.match(JSON.stringify(await classifyChange(p, snap, 2, split)), /edited or removed/);
    writeFileSync(p, 'a,b\n1,2\n');
    assert.match(JSON.stringify(await classifyChange(p, snap, 2, split)), /shorter than before/);
    writeFileSync(p, 'a,b\n1,2');
    snap = await snapshotFile(p);
    appendFileSync(p, '3\n');
    assert.match(JSON.stringify(await classifyChange(p, snap, 2, split)), /last row was extended/);
  });
});
