/**
 * End to end, in the packaged extension: cluster animals.csv (3 clusters, 4 classes), run
 * "Map Clusters to Labels…" from the palette (Enter takes the suggested column), check the
 * metrics and the contingency heatmap against the engine's metric functions run here, edit
 * one cluster's class in the panel, then "Export…" twice (panel button, then palette) and
 * read the files back: right columns, the edited mapping, and a numbered second set that
 * leaves the first untouched.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { labelColumn } from '../../src/csv/dataset';
import { parseCsv } from '../../src/csv/read';
import {
  adjustedMutualInfoScore, adjustedRandScore, contingencyTable, homogeneityCompletenessVMeasure, normalizedMutualInfoScore,
} from '../../src/engine/metrics/external';
import { mapClustersToLabels } from '../../src/engine/metrics/mapping';
import { runFit } from '../../src/pipeline/fit';
import type { FitReport } from '../../src/pipeline/types';
import { defaultOptions, publish } from './docs';
import { sessionHooks } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'animals.csv';

/** Runs a palette command that opens a Quick Pick of its own; resolves once that pick shows `firstRow`. */
async function paletteToPick(page: Page, commandTitle: string, firstRow: string): Promise<void> {
  await wb.choosePaletteCommand(page, commandTitle);
  await waitForPickRow(page, firstRow);
}

async function waitForPickRow(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: text }).first().waitFor({ timeout: 60_000 });
}

describe('Map clusters to labels and export, in the packaged extension', function () {
  this.timeout(180_000);
  let workspace = '';
  let expected: FitReport;
  let truth: string[];
  /** The class cluster 0 is given by hand. */
  let edited = '';

  const current = sessionHooks('e2e-labels', () => {
    const vsix = packagedVsix();
    workspace = makeWorkspace();
    const table = parseCsv(fs.readFileSync(path.join(workspace, FILE), 'utf8'), { header: 'auto' });
    expected = runFit(table, defaultOptions('animal'));
    truth = labelColumn(table, 'animal').values.map(String);
    return { workspace, vsix: [vsix], file: FILE };
  });

  it('labels: Map Clusters to Labels shows the metrics, the k note and the contingency heatmap', async () => {
    const s = current();
    const { page } = s;
    await wb.runContextMenuItem(page, wb.explorerRow(page, FILE), 'Cluster this CSV');
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    assert.equal(expected.options.k, 3, 'the default k the test relies on');

    await wb.editorTab(page, FILE).first().click();
    await paletteToPick(page, 'Centroid: Map Clusters to Labels…', 'animal');
    // The suggested column is first: Enter takes it.
    const first = await page.locator('.quick-input-widget .monaco-list-row').first().textContent();
    assert.match(first ?? '', /^animal/, `first Quick Pick row: ${first}`);
    await page.keyboard.press('Enter');
    await frame.locator('body[data-labelmap="1"]').waitFor({ timeout: 60_000 });
    const section = frame.locator('#label-map-section');
    assert.equal(await section.getAttribute('data-basis'), 'oneToOne');

    // Metrics, computed here from src/engine/metrics on the same labels.
    const pred = expected.labels as number[];
    const hcv = homogeneityCompletenessVMeasure(truth, pred);
    const want: Record<string, number> = {
      homogeneity: hcv.homogeneity, completeness: hcv.completeness, vMeasure: hcv.vMeasure,
      adjustedRand: adjustedRandScore(truth, pred), adjustedMutualInfo: adjustedMutualInfoScore(truth, pred),
      normalizedMutualInfo: normalizedMutualInfoScore(truth, pred),
    };
    const keys = await frame.locator('#lm-metrics tr[data-metric]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-metric')));
    assert.deepEqual(keys, Object.keys(want), 'the metrics, in order');
    for (const [key, value] of Object.entries(want)) {
      const shown = await frame.locator(`#lm-metrics tr[data-metric="${key}"] td`).getAttribute('data-value');
      assert.equal(Number(shown), value, key);
      const words = await frame.locator(`#lm-metrics tr[data-metric="${key}"] th`).textContent();
      assert.ok((words ?? '').length > 12, `${key} is named in words: ${words}`);
    }
    // 3 clusters, 4 classes: said plainly, with the unmatched class.
    assert.match(await frame.locator('#lm-notes').textContent() ?? '', /3 clusters but 4 classes/);
    const hungarian = mapClustersToLabels(truth, pred);
    assert.match(await frame.locator('#lm-unmatched').textContent() ?? '', new RegExp(`Classes with no cluster: ${hungarian.unmatchedLabels.join(', ')}`));
    assert.match(await frame.locator('#lm-accuracy').textContent() ?? '', /optimistic/);
    assert.equal(Number(await frame.locator('#lm-accuracy-value').getAttribute('data-value')), hungarian.accuracy);

    // The mapping selects show the Hungarian mapping.
    for (let c = 0; c < 3; c++) {
      const label = await frame.locator(`#lm-mapping select[data-cluster="${c}"]`).evaluate((sel) => {
        const el = sel as unknown as { selectedOptions: { textContent: string | null }[] };
        return el.selectedOptions[0]?.textContent ?? '';
      });
      assert.equal(label, String(hungarian.clusterToLabel[String(c)] ?? '(unmatched)'), `cluster ${c}`);
    }

    // The heatmap: every cell's number as text and in its aria label.
    const table = contingencyTable(truth, pred);
    const cells = await frame.locator('#lm-contingency tbody td').evaluateAll((tds) => tds.map((td) => ({
      text: td.textContent, value: td.getAttribute('data-value'), aria: td.getAttribute('aria-label'),
    })));
    assert.equal(cells.length, table.rows.length * 3);
    table.rows.forEach((name, r) => {
      for (let c = 0; c < 3; c++) {
        const cell = cells[r * 3 + c];
        assert.equal(Number(cell.value), table.matrix[r][c], `${String(name)} in cluster ${c}`);
        assert.equal(cell.text, String(table.matrix[r][c]));
        assert.match(cell.aria ?? '', new RegExp(`^${String(name)} in cluster ${c}: ${table.matrix[r][c]} rows?`));
      }
    });

    const shot = path.join(s.dirs.artifacts, 'labels.png');
    await section.scrollIntoViewIfNeeded();
    await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: shot, animations: 'disabled' });
    publish(shot, 'labels.png');
  });

  it('labels: editing one cluster\'s class updates the accuracy and the annotations', async () => {
    const { page } = current();
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    const pred = expected.labels as number[];
    const hungarian = mapClustersToLabels(truth, pred);
    // Give cluster 0 the class no cluster has (k < number of classes).
    edited = String(hungarian.unmatchedLabels[0]);
    await frame.locator('#lm-mapping select[data-cluster="0"]').selectOption({ label: edited });
    await frame.locator('body[data-labelmap="2"]').waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('#label-map-section').getAttribute('data-basis'), 'edited');
    let correct = 0;
    for (let i = 0; i < pred.length; i++) {
      const mapped = pred[i] === 0 ? edited : hungarian.clusterToLabel[String(pred[i])];
      if (mapped !== undefined && String(mapped) === truth[i]) correct++;
    }
    assert.equal(Number(await frame.locator('#lm-accuracy-value').getAttribute('data-value')), correct / pred.length);
    await wb.waitForAfterText(page, `cluster 0 (${edited})`);
  });

  it('labels: Export from the panel, then again from the palette, writes new numbered files and overwrites nothing', async () => {
    const s = current();
    const { page } = s;
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await frame.locator('#export').click();
    await waitForPickRow(page, 'Labelled CSV');
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Exported' });
    await toast.first().waitFor({ timeout: 60_000 });
    assert.match(await toast.first().textContent() ?? '', /Open Labelled CSV/);

    const out = (name: string): string => path.join(workspace, name);
    for (const name of ['animals.clusters.csv', 'animals.centroids.csv', 'animals.report.md', 'animals.chart.png']) {
      assert.ok(fs.existsSync(out(name)), `${name} was not written`);
    }
    const labelled = parseCsv(fs.readFileSync(out('animals.clusters.csv'), 'utf8'), { header: 'auto' });
    const source = parseCsv(fs.readFileSync(out(FILE), 'utf8'), { header: 'auto' });
    assert.deepEqual(labelled.header, [...(source.header as string[]), 'cluster', 'distance_to_centre', 'mapped_label']);
    const hungarian = mapClustersToLabels(truth, expected.labels as number[]);
    labelled.rows.forEach((row, i) => {
      assert.deepEqual(row.slice(0, 4), source.rows[i], `row ${i}: the original fields`);
      assert.equal(Number(row[4]), expected.labels[i], `row ${i}: cluster`);
      assert.equal(Number(row[5]), expected.distances[i], `row ${i}: distance`);
      const want = expected.labels[i] === 0 ? edited : String(hungarian.clusterToLabel[String(expected.labels[i])] ?? '');
      assert.equal(row[6], want, `row ${i}: the edited mapping`);
    });
    const centroids = parseCsv(fs.readFileSync(out('animals.centroids.csv'), 'utf8'), { header: 'auto' });
    assert.deepEqual(centroids.header, ['cluster', 'rows', 'mapped_label', ...expected.featureNames]);
    centroids.rows.forEach((row, j) => row.slice(3).forEach((v, t) => assert.equal(Number(v), expected.clusterCenters[j][t])));
    const png = fs.readFileSync(out('animals.chart.png'));
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'the chart is a PNG');
    assert.ok(png.length > 2000, `the chart PNG has ${png.length} bytes`);
    const report = fs.readFileSync(out('animals.report.md'), 'utf8');
    assert.ok(report.includes('](animals.chart.png)') && report.includes('a mapping edited by hand'));

    const before = new Map(['animals.clusters.csv', 'animals.centroids.csv', 'animals.report.md', 'animals.chart.png'].map((n) => [n, fs.readFileSync(out(n))]));
    // Dismiss the toast, then export again from the palette with the editor active.
    await page.keyboard.press('Escape');
    await wb.editorTab(page, FILE).first().click();
    await paletteToPick(page, 'Centroid: Export…', 'Labelled CSV');
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(out('animals.report (2).md')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(fs.existsSync(out('animals.clusters (2).csv')), 'the second labelled CSV was not numbered');
    assert.match(await wb.waitForNotification(page, 'animals.clusters (2).csv'), /Exported 4 files beside animals\.csv/);
    assert.ok(fs.existsSync(out('animals.report (2).md')));
    for (const [name, bytes] of before) assert.deepEqual(fs.readFileSync(out(name)), bytes, `${name} was overwritten`);
    assert.equal(fs.readdirSync(workspace).filter((n) => n.endsWith('.tmp')).length, 0, 'a temporary file was left');
    await s.screenshot('export.png');
  });
});
