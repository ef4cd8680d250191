/**
 * End to end, in the packaged extension: cluster train.csv, "Save Model…" through VS Code's
 * simple save dialog (Enter takes the default name) and read the file back, "Predict with
 * Model…" on fresh.csv from the palette and see its annotations, "Add Rows to Model…" with
 * fresh.csv as the new rows and see the three ways side by side with the inertias computed
 * here by direct pipeline and engine calls, adopt the warm refit and save it again (a
 * numbered file holding the warm refit's centres).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { parseCsv } from '../../src/csv/read';
import { kmeansFit } from '../../src/engine/kmeans';
import { fitTable, runFit } from '../../src/pipeline/fit';
import { modelFromFit, partialFitTable, type SavedModel } from '../../src/pipeline/model';
import type { FitReport } from '../../src/pipeline/types';
import { defaultOptions, publish } from './docs';
import { sessionHooks } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const N_SEEDS = 3;

/** iris.csv without its class column, rows interleaved so both files hold every species. */
function splitIris(): { train: string; fresh: string } {
  const lines = fs.readFileSync(path.join(__dirname, '../../examples/iris.csv'), 'utf8').trimEnd().split('\n');
  const strip = (l: string): string => l.split(',').slice(0, 4).join(',');
  const body = lines.slice(1).map(strip);
  const train = body.filter((_, i) => i % 4 !== 3);
  const fresh = body.filter((_, i) => i % 4 === 3);
  return { train: `${[strip(lines[0]), ...train].join('\n')}\n`, fresh: `${[strip(lines[0]), ...fresh].join('\n')}\n` };
}

/** Rows of a CSV in a model's fit space, computed here from its offset and scale. */
function fitSpace(text: string, model: SavedModel): number[][] {
  const table = parseCsv(text, { header: 'auto' });
  return table.rows.map((r) => r.slice(0, 4).map((v, t) => (Number(v) - model.scaler.offset[t]) / model.scaler.scale[t]));
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

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} should be ${expected}`);
}

async function waitForFile(file: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${path.basename(file)} was not written within ${timeout / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs a palette command that opens a Quick Pick (or a simple file dialog) of its own; resolves once it shows `row`. */
async function paletteToPick(page: Page, commandTitle: string, row: string): Promise<void> {
  await wb.choosePaletteCommand(page, commandTitle);
  await waitForPickRow(page, row);
}

async function waitForPickRow(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: text }).first().waitFor({ timeout: 60_000 });
}

/** Runs a palette command that opens a simple file dialog; waits until its path ends with `suffix`. */
async function paletteToDialog(page: Page, commandTitle: string, suffix: string): Promise<void> {
  await wb.choosePaletteCommand(page, commandTitle);
  await page.waitForFunction(
    (want) => {
      const g = globalThis as unknown as { document: { querySelector(s: string): { value?: string } | null } };
      return (g.document.querySelector('.quick-input-widget .quick-input-box input')?.value ?? '').endsWith(want);
    },
    suffix, { timeout: 60_000 },
  );
}

/** Runs a palette command whose simple save dialog is prefilled with `expectedPath`; accepts it with Enter. */
async function paletteSave(page: Page, commandTitle: string, expectedPath: string): Promise<void> {
  await paletteToDialog(page, commandTitle, path.basename(expectedPath));
  await page.locator('.quick-input-widget .quick-input-box input').press('Enter');
}

/** The webview document of this extension that has `selector` (there are two panels: clusters and Add Rows). */
async function frameWith(page: Page, selector: string, timeout = 60_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeout;
  const outer = page.locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`);
  for (;;) {
    const n = await outer.count();
    for (let i = 0; i < n; i++) {
      const frame = outer.nth(i).contentFrame().frameLocator('#active-frame');
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview of ${EXTENSION_ID} shows ${selector}`);
    await page.waitForTimeout(250);
  }
}

/** The annotation texts of the editor lines equal to `lines` (null when a line is not on screen). */
async function annotationsOf(page: Page, lines: string[]): Promise<(string | null)[]> {
  return page.evaluate((wanted) => {
    const g = globalThis as unknown as wb.PageGlobals;
    return wanted.map((line) => {
      const view = [...g.document.querySelectorAll('.monaco-editor .view-line')]
        .find((v) => (v.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd() === line);
      if (!view) return null;
      return [...view.querySelectorAll('span')].map((e) => g.getComputedStyle(e, '::after').content).filter((c) => c !== 'none' && c !== '').join(' ');
    });
  }, lines);
}

describe('Models: save, predict and add rows, in the packaged extension', function () {
  this.timeout(240_000);
  let workspace = '';
  let files: { train: string; fresh: string };
  let expected: FitReport;
  let saved: SavedModel;

  const current = sessionHooks('e2e-models', () => {
    const vsix = packagedVsix();
    files = splitIris();
    expected = runFit(parseCsv(files.train, { header: 'auto' }), { ...defaultOptions(''), label: undefined, scale: 'standard' });
    workspace = makeWorkspace({ 'train.csv': files.train, 'fresh.csv': files.fresh });
    return { workspace, vsix: [vsix], settings: { 'centroid.scale': 'standard', 'centroid.addRows.seeds': N_SEEDS }, file: 'train.csv' };
  });

  it('models: Save Model… writes <file>.centroid.json beside the CSV with the documented fields', async () => {
    const { page } = current();
    await wb.runContextMenuItem(page, wb.explorerRow(page, 'train.csv'), 'Cluster this CSV');
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await frame.locator('body[data-state="done"]').waitFor({ timeout: 60_000 });
    await wb.editorTab(page, 'train.csv').first().click();

    const target = path.join(workspace, 'train.centroid.json');
    await paletteSave(page, 'Centroid: Save Model…', target);
    await waitForFile(target);
    assert.match(await wb.waitForNotification(page, 'train.centroid.json', 60_000), /Saved the model \(k=3, 4 features\)/);
    saved = JSON.parse(fs.readFileSync(target, 'utf8')) as SavedModel;
    for (const key of ['format', 'version', 'engineVersion', 'createdAt', 'featureNames', 'metric', 'scaler', 'clusterCenters',
      'fitCenters', 'counts', 'params', 'data', 'inertia', 'labelColumn', 'mapping']) {
      assert.ok(key in saved, `the model file has no "${key}"`);
    }
    assert.equal(saved.format, 'centroid-model');
    assert.equal(saved.version, 1);
    assert.deepEqual(saved.featureNames, FEATURES);
    assert.equal(saved.scaler.kind, 'standard');
    assert.deepEqual(saved.clusterCenters, expected.clusterCenters);
    assert.deepEqual(saved.counts, expected.counts);
    assert.equal(saved.inertia, expected.inertia);
    assert.equal(saved.data?.nRows, 113);
    assert.equal(saved.data?.file, 'train.csv');
    const { createHash } = await import('node:crypto');
    assert.equal(saved.data?.sha256, createHash('sha256').update(fs.readFileSync(path.join(workspace, 'train.csv'))).digest('hex'));
    assert.equal(fs.readdirSync(workspace).filter((n) => n.endsWith('.tmp')).length, 0, 'a temporary file was left');
  });

  it('models: Predict with Model… on another CSV annotates its rows with the model\'s clusters, marked predicted', async () => {
    const { page } = current();
    // A double click that lands while the Save dialog of the test before closes is lost: retry.
    for (let i = 0; ; i++) {
      await wb.explorerRow(page, 'fresh.csv').dblclick();
      try {
        await wb.editorTab(page, 'fresh.csv').first().waitFor({ timeout: 5_000 });
        break;
      } catch (e) {
        if (i >= 5) throw e;
      }
    }
    await paletteToPick(page, 'Centroid: Predict with Model…', 'fresh.csv');
    const first = await page.locator('.quick-input-widget .monaco-list-row').first().textContent();
    assert.match(first ?? '', /^fresh\.csv/, `first Quick Pick row: ${first}`);
    await page.keyboard.press('Enter');
    const panel = await frameWith(page, '#summary:has-text("Predicted with train.centroid.json")');
    assert.match(await panel.locator('#summary').textContent() ?? '', /each row assigned to its nearest centre/);

    await wb.editorTab(page, 'fresh.csv').first().click();
    await wb.waitForAfterText(page, 'cluster ', 60_000);
    const X = fitSpace(files.fresh, saved);
    const rows = files.fresh.split('\n').slice(1, 7);
    const shown = await annotationsOf(page, rows);
    shown.forEach((text, i) => {
      assert.ok(text !== null, `data row ${i} ("${rows[i]}") is not shown in the editor`);
      assert.match(text, new RegExp(`cluster ${nearest(X[i], saved.fitCenters).label}\\b.* · predicted`), `annotation of fresh.csv data row ${i}`);
    });
  });

  it('models: Add Rows to Model… shows the three ways side by side with the inertias computed here, and adopting one makes it the model', async () => {
    const { page } = current();
    await wb.editorTab(page, 'fresh.csv').first().click();
    await paletteToPick(page, 'Centroid: Add Rows to Model…', 'Rows of another CSV file');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Rows of another CSV file' }).first().click();
    await waitForPickRow(page, 'fresh.csv');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'fresh.csv' }).first().click();
    const frame = await frameWith(page, 'body[data-state="done"][data-run="1"] #ways th[data-way]');

    // Expected: old rows (train.csv) then the new ones (fresh.csv), in the model's fit space.
    const X = [...fitSpace(files.train, saved), ...fitSpace(files.fresh, saved)];
    const m = { data: Float64Array.from(X.flat()), nRows: X.length, nCols: 4 };
    const before = X.reduce((s, x) => s + nearest(x, saved.fitCenters).d2, 0);
    const online = partialFitTable(parseCsv(files.fresh, { header: 'auto' }), saved).model.fitCenters;
    const warm = kmeansFit(m, { nClusters: 3, init: { data: Float64Array.from(saved.fitCenters.flat()), nRows: 3, nCols: 4 }, seed: 0 });
    const seeded = Array.from({ length: N_SEEDS }, (_, s) => kmeansFit(m, { nClusters: 3, init: 'k-means++', nInit: 1, seed: s }));
    let best = 0;
    seeded.forEach((r, s) => {
      if (r.inertia < seeded[best].inertia) best = s;
    });
    const afterOf = (centers: number[][]): number => X.reduce((s, x) => s + nearest(x, centers).d2, 0);
    const movedOf = (centers: number[][]): number => X.filter((x) => nearest(x, centers).label !== nearest(x, saved.fitCenters).label).length;
    const rowsOf = (data: Float64Array): number[][] => [0, 1, 2].map((j) => Array.from(data.subarray(j * 4, j * 4 + 4)));
    const want = {
      online: { after: afterOf(online), moved: movedOf(online) },
      warm: { after: warm.inertia, moved: movedOf(rowsOf(warm.clusterCenters.data)) },
      seeds: { after: seeded[best].inertia, moved: null },
    };

    const cell = async (way: string, field: string): Promise<string> => (await frame.locator(`td[data-way="${way}"][data-field="${field}"]`).getAttribute('data-value')) ?? '';
    const heads = await frame.locator('#ways thead th[data-way]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-way')));
    assert.deepEqual(heads, ['online', 'warm', 'seeds'], 'the three ways, side by side');
    for (const way of ['online', 'warm', 'seeds'] as const) {
      close(Number(await cell(way, 'inertiaBefore')), before, `${way}: inertia before`);
      close(Number(await cell(way, 'inertiaAfter')), want[way].after, `${way}: inertia after`);
      const moved = want[way].moved;
      if (moved !== null) assert.equal(Number(await cell(way, 'changedCount')), moved, `${way}: rows that changed cluster`);
      const text = await frame.locator(`td[data-way="${way}"][data-field="inertiaAfter"]`).textContent();
      assert.ok((text ?? '').length > 0, `${way}: the inertia is shown as text`);
    }
    assert.equal(Number(await cell('seeds', 'seed')), best, 'the seed that won');
    assert.match(await frame.locator('td[data-way="seeds"][data-field="seed"]').textContent() ?? '', new RegExp(`seed ${best} of ${N_SEEDS}`));
    assert.match(await frame.locator('#summary').textContent() ?? '', /37 new rows and 113 rows the model already had/);
    await wb.runFromPalette(page, 'Notifications: Clear All Notifications');
    const shot = path.join(current().dirs.artifacts, 'add-rows.png');
    await page.locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`).last().screenshot({ path: shot, animations: 'disabled' });
    publish(shot, 'add-rows.png');

    // Adopt the warm refit: it becomes the current model, so saving now writes its centres.
    await frame.locator('button[data-way="warm"]').click();
    await frame.locator('body[data-adopted="warm"]').waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('#status').textContent() ?? '', /Adopted the warm refit/);
    // Adopting annotates the model's CSV with the adopted centres.
    await frameWith(page, '#summary:has-text("Predicted with train.centroid.json (updated by a warm refit)")');
    await page.locator('.tabs-container .tab').filter({ hasText: /^\s*train\.csv/ }).first().click();
    const second = path.join(workspace, 'train (2).centroid.json');
    await paletteSave(page, 'Centroid: Save Model…', second);
    await waitForFile(second);
    const adopted = JSON.parse(fs.readFileSync(second, 'utf8')) as SavedModel;
    adopted.fitCenters.forEach((row, j) => row.forEach((v, t) => close(v, warm.clusterCenters.data[j * 4 + t], `adopted centre ${j}.${t}`)));
    assert.equal(adopted.counts.reduce((a, b) => a + b, 0), 150);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(workspace, 'train.centroid.json'), 'utf8')), saved, 'the first model file was overwritten');
  });

  it('models: Watch This File updates the model online when rows are appended, shows the moved rows, and stops on an edit', async () => {
    const { page } = current();
    const model = JSON.parse(fs.readFileSync(path.join(workspace, 'train (2).centroid.json'), 'utf8')) as SavedModel;
    await page.locator('.tabs-container .tab').filter({ hasText: /^\s*train\.csv/ }).first().click();
    await wb.runFromPalette(page, 'Centroid: Watch This File');
    const eye = page.locator('.statusbar-item').filter({ has: page.locator('.codicon-eye') }).filter({ hasText: 'train.csv' });
    await eye.first().waitFor({ timeout: 60_000 });

    // Rows on the boundary between two species pull one centre towards the other cluster.
    const added = ['6.3,2.8,5.0,1.7', '6.2,2.9,4.9,1.6', '6.1,2.8,4.8,1.7', '6.4,2.7,5.0,1.6', '6.3,2.9,4.8,1.7', '6.2,2.8,5.1,1.6'];
    const trainFile = path.join(workspace, 'train.csv');
    fs.appendFileSync(trainFile, `${added.join('\n')}\n`);
    const online = partialFitTable(parseCsv(`${FEATURES.join(',')}\n${added.join('\n')}\n`, { header: 'auto' }), model).model.fitCenters;
    const X = fitSpace(fs.readFileSync(trainFile, 'utf8'), model);
    const movedLines = X.flatMap((x, i) => (nearest(x, online).label !== nearest(x, model.fitCenters).label ? [i + 2] : []));
    assert.ok(movedLines.length > 0, 'the appended rows move some rows, so the lines below mean something');
    const moved = movedLines.length === 0 ? 'no row moved to another cluster'
      : `${movedLines.length} row${movedLines.length === 1 ? '' : 's'} moved to another cluster (line${movedLines.length === 1 ? '' : 's'} ${movedLines.slice(0, 10).join(', ')}`;
    const note = await wb.waitForNotification(page, 'updated the model online', 60_000);
    assert.ok(note.includes(`train.csv: ${added.length} added rows updated the model online; ${moved}`), `notification: ${note}`);
    // The appended rows are annotated with the updated centres.
    await wb.waitForAfterText(page, 'cluster ', 60_000);
    await frameWith(page, '#summary:has-text("(updated online)")');

    // An edit before the end is not an append: the watch stops and says why.
    const lines = fs.readFileSync(trainFile, 'utf8').split('\n');
    lines[3] = '9.9,9.9,9.9,9.9';
    fs.writeFileSync(trainFile, lines.join('\n'));
    const warning = await wb.waitForNotification(page, 'stopped watching it', 60_000);
    assert.match(warning, /train\.csv changed in another way than rows added at the end \(rows before the end were edited or removed\)/);
    await eye.first().waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('models: Load Model… refuses a CSV without the model\'s columns and a newer version, each in one sentence', async () => {
    const { page } = current();
    fs.writeFileSync(path.join(workspace, 'partial.csv'), 'sepal_length,petal_length\n5.1,1.4\n6.3,5.0\n');
    const v2 = { ...saved, version: 2 };
    fs.writeFileSync(path.join(workspace, 'next.centroid.json'), JSON.stringify(v2));
    await wb.explorerRow(page, 'partial.csv').dblclick();
    await wb.editorTab(page, 'partial.csv').first().waitFor({ timeout: wb.STEP_TIMEOUT_MS });

    const load = async (file: string): Promise<void> => {
      await page.locator('.tabs-container .tab').filter({ hasText: /^\s*partial\.csv/ }).first().click();
      await paletteToDialog(page, 'Centroid: Load Model…', `${path.basename(workspace)}/`);
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill(path.join(workspace, file));
      await input.press('Enter');
    };
    await load('train.centroid.json');
    const missing = await wb.waitForNotification(page, 'needs the columns', 60_000);
    assert.ok(missing.includes('train.centroid.json needs the columns "sepal_width", "petal_width", which partial.csv does not have'), missing);
    await load('next.centroid.json');
    const version = await wb.waitForNotification(page, 'is not supported', 60_000);
    assert.ok(version.includes('next.centroid.json is not a Centroid model: "version" 2 is not supported (this version of Centroid reads version 1)'), version);
  });
  it('models: Load Model… with another CSV active takes the model\'s rows from its fitted file, so Add Rows counts each row once', async () => {
    const { page } = current();
    // A model saved beside its own copy of the fitted CSV, in a folder of its own.
    const dir = path.join(workspace, 'kept');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'train.csv'), files.train);
    const { createHash } = await import('node:crypto');
    const model = modelFromFit(fitTable(parseCsv(files.train, { header: 'auto' }), { ...defaultOptions(''), label: undefined, scale: 'standard' }), '0.1.0', {
      sha256: createHash('sha256').update(files.train).digest('hex'), nRows: 113, file: 'train.csv',
    });
    fs.writeFileSync(path.join(dir, 'kept.centroid.json'), JSON.stringify(model));

    // fresh.csv, the new rows, is the active editor when the model is loaded.
    await wb.explorerRow(page, 'fresh.csv').dblclick();
    await wb.editorTab(page, 'fresh.csv').first().click();
    await paletteToDialog(page, 'Centroid: Load Model…', '/');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    // The dialog sets its own starting folder once it has listed it, which can replace a path
    // typed before then: type until the path stays.
    const wanted = path.join(dir, 'kept.centroid.json');
    for (let i = 0; i < 20; i++) {
      await input.fill(wanted);
      await page.waitForTimeout(300);
      if (await input.inputValue() === wanted) break;
    }
    await input.press('Enter');
    const loaded = await wb.waitForNotification(page, 'Loaded kept.centroid.json', 60_000);
    assert.match(loaded, /fitted on the 113 data rows of kept\/train\.csv/);

    await wb.editorTab(page, 'fresh.csv').first().click();
    await paletteToPick(page, 'Centroid: Add Rows to Model…', 'Rows of another CSV file');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Rows of another CSV file' }).first().click();
    await waitForPickRow(page, 'fresh.csv');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'fresh.csv' }).first().click();
    const frame = await frameWith(page, '#summary:has-text("(train.csv + fresh.csv)")');
    await frame.locator('body[data-state="done"] #ways th[data-way]').first().waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('#summary').textContent() ?? '', /^37 new rows and 113 rows the model already had/);
    const X = [...fitSpace(files.train, model), ...fitSpace(files.fresh, model)];
    const before = X.reduce((s, x) => s + nearest(x, model.fitCenters).d2, 0);
    for (const way of ['online', 'warm', 'seeds']) {
      close(Number(await frame.locator(`td[data-way="${way}"][data-field="inertiaBefore"]`).getAttribute('data-value')), before, `${way}: inertia before`);
    }
    await wb.runFromPalette(page, 'Notifications: Clear All Notifications');
    const shot = path.join(current().dirs.artifacts, 'add-rows-after-load.png');
    await page.screenshot({ path: shot, animations: 'disabled' });

    // The fitted file itself, unchanged, as the new rows: refused, it has no new rows.
    await paletteToPick(page, 'Centroid: Add Rows to Model…', 'Rows added at the end of train.csv');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Rows added at the end of train.csv' }).first().click();
    const refused = await wb.waitForNotification(page, 'has no new rows', 60_000);
    assert.ok(refused.includes('train.csv is the file kept.centroid.json was fitted on, unchanged (the same SHA-256), so it has no new rows'), refused);
  });
});
