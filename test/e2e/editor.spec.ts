/**
 * The editor side of a fit, end to end in the packaged extension: the hover of a row's
 * annotation (distance to every centre, then the mapped class after Map Clusters to Labels),
 * the status bar item and its click, Save PNG through code-server's save dialog (and no silent
 * overwrite), the per-cluster distinguishing features, "Choose Columns and Cluster…" and its
 * remembered choice, and a row edited into another cluster, then a header that changes the
 * file's shape. Every expected number is computed here: by the pipeline on the same file, or
 * by hand from the CSV text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { labelColumn } from '../../src/csv/dataset';
import { parseCsv } from '../../src/csv/read';
import { mapClustersToLabels } from '../../src/engine/metrics/mapping';
import { fitTable, type FitOutcome } from '../../src/pipeline/fit';
import { defaultOptions } from './docs';
import { sessionHooks } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace, sensorCsv } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'readings.csv';
const HEADER = 'temperature_c,humidity_pct,pressure_hpa,site';
const FEATURES = ['temperature_c', 'humidity_pct', 'pressure_hpa'];
const TWO = ['temperature_c', 'humidity_pct'];
const WIDE = 'wide.csv';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `shown` is `want` written with `digits` significant digits (the panel and hover round). */
function closeTo(shown: number, want: number, digits: number): boolean {
  if (want === 0) return shown === 0;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(want))) - digits + 1);
  return Math.abs(shown - want) <= step / 2 + 1e-12 * Math.abs(want);
}

function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += (a[t] - b[t]) ** 2;
  return Math.sqrt(s);
}

/** The Centroid panel (the newest webview of the extension). */
function panel(page: Page): FrameLocator {
  return wb.webviewFrame(page, EXTENSION_ID);
}

async function shownMetric(frame: FrameLocator, metric: string): Promise<number> {
  const v = await frame.locator(`#metrics tr[data-metric="${metric}"] td[data-value]`).getAttribute('data-value');
  assert.ok(v !== null && v !== '', `metric ${metric} has no value`);
  return Number(v);
}

/** The view line showing exactly `text` (the editor renders spaces as no-break spaces). */
function viewLine(page: Page, text: string): Locator {
  return page.locator('.monaco-editor .view-line').filter({ hasText: text }).first();
}

/** Hovers the end of the line showing `text` and waits for a hover containing `hasText`. */
async function hoverLineEnd(page: Page, text: string, hasText: string): Promise<Locator> {
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 5);
  // The line's own text is the last span with text; the after-text lives in an empty span's
  // ::after and may run past the editor's edge, so aim at the last character instead (the
  // decoration's range covers it).
  const box = await viewLine(page, text).locator('span > span').filter({ hasText: /\S/ }).last().boundingBox();
  assert.ok(box, `the line "${text}" has no box`);
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 4 });
  const hover = page.locator('.monaco-hover').filter({ hasText });
  await hover.first().waitFor({ timeout: 60_000 });
  return hover.first();
}

/** The hover's table of distances: cluster -> shown distance. */
async function hoverDistances(hover: Locator): Promise<Map<number, number>> {
  const rows = await hover.locator('table tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const out = new Map<number, number>();
  for (const cells of rows) {
    if (cells.length !== 2) continue;
    const cluster = /^(\d+)/.exec(cells[0].trim());
    assert.ok(cluster, `hover row "${cells.join(' | ')}"`);
    out.set(Number(cluster[1]), Number(cells[1].trim()));
  }
  return out;
}

/** Runs a palette command that opens a Quick Pick of its own; resolves once the pick shows a row with `rowText`. */
async function paletteToPick(page: Page, commandTitle: string, rowText: string): Promise<void> {
  await wb.choosePaletteCommand(page, commandTitle);
  await pickRow(page, rowText).waitFor({ timeout: 60_000 });
}

function pickRow(page: Page, text: string): Locator {
  return page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: text }).first();
}

/**
 * A CSV of 20 numeric columns (values like 123.456), 40 rows in two groups: each line is
 * about 160 characters, wider than the editor beside the panel.
 */
function wideCsv(): string {
  const lines = [Array.from({ length: 20 }, (_, t) => `measure_${t + 1}`).join(',')];
  for (let i = 0; i < 40; i++) {
    const base = i % 2 === 0 ? 100 : 500;
    lines.push(Array.from({ length: 20 }, (_, t) => (base + ((i * 37 + t * 11) % 50) + t / 1000).toFixed(3)).join(','));
  }
  return lines.join('\n') + '\n';
}

interface Box { left: number; right: number; top: number; bottom: number }

/**
 * The visible part of the editor showing `fileName`'s lines, and for each data line on
 * screen its marker's (::before) and after-text's (::after) boxes and texts.
 */
async function decorationBoxes(page: Page): Promise<{ visible: Box; lines: { before: string; beforeBox: Box; after: string; afterBox: Box }[] }> {
  return page.evaluate(() => {
    interface El { getBoundingClientRect(): Box; querySelectorAll(s: string): Iterable<El>; closest(s: string): El | null }
    const g = globalThis as unknown as { document: { querySelector(s: string): El | null; querySelectorAll(s: string): Iterable<El> }; getComputedStyle(e: El, p: string): { content: string } };
    const rows = [];
    let visible: Box = { left: 0, right: 0, top: 0, bottom: 0 };
    for (const line of g.document.querySelectorAll('.monaco-editor .view-line')) {
      const spans = [...line.querySelectorAll('span')];
      const before = spans.find((e) => /^"C/.test(g.getComputedStyle(e, '::before').content));
      const after = spans.find((e) => /^"◀ cluster/.test(g.getComputedStyle(e, '::after').content));
      if (!before || !after) continue;
      const scroller = line.closest('.monaco-scrollable-element');
      // Plain objects (a DOMRect does not survive the trip out of the page); no named helper
      // functions either, which the test's compiler would wrap in a helper the page lacks.
      const [s, b, a] = [scroller, before, after].map((e) => (e ? { left: e.getBoundingClientRect().left, right: e.getBoundingClientRect().right, top: e.getBoundingClientRect().top, bottom: e.getBoundingClientRect().bottom } : null));
      if (s) visible = s;
      rows.push({ before: g.getComputedStyle(before, '::before').content, beforeBox: b as Box, after: g.getComputedStyle(after, '::after').content, afterBox: a as Box });
    }
    return { visible, lines: rows };
  });
}

async function waitForFile(page: Page, file: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    if (Date.now() > deadline) throw new Error(`${file} was not written`);
    await page.waitForTimeout(100);
  }
}

describe('Centroid in the editor: hover, status bar, columns, edits and Save PNG (editor)', function () {
  this.timeout(180_000);
  let workspace = '';
  let text = '';
  let full: FitOutcome;
  let two: FitOutcome;
  let truth: string[];

  const current = sessionHooks('e2e-editor', () => {
    const vsix = packagedVsix();
    text = sensorCsv(20_261_129, 90);
    assert.equal(text.split('\n')[0], HEADER);
    const table = parseCsv(text, { header: 'auto' });
    full = fitTable(table, defaultOptions('site'));
    two = fitTable(table, { ...defaultOptions('site'), columns: TWO });
    truth = labelColumn(table, 'site').values.map(String);
    assert.equal(full.report.options.scale, 'none', 'the distances below are in the file\'s units');
    workspace = makeWorkspace({ [FILE]: text, [WIDE]: wideCsv() });
    return { workspace, vsix: [vsix], file: FILE };
  });

  it('hovering a row\'s annotation shows its distance to every centre; after Map Clusters to Labels, the mapped class', async () => {
    const { page } = current();
    await wb.runContextMenuItem(page, wb.explorerRow(page, FILE), 'Cluster this CSV');
    const frame = panel(page);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    assert.equal(await shownMetric(frame, 'inertia'), full.report.inertia);
    await wb.waitForAfterText(page, 'cluster ', 60_000);

    const row = 1;
    const line = text.split('\n')[row + 1];
    const cluster = full.report.labels[row] as number;
    const k = full.report.options.k;
    // Distances from the row's features, read from the CSV text, to the pipeline's centres.
    const values = line.split(',').slice(0, 3).map(Number);
    const want = full.report.clusterCenters.map((c) => euclidean(values, c));
    assert.equal(want.indexOf(Math.min(...want)), cluster, 'the pipeline puts the row in its nearest centre');
    await wb.editorTab(page, FILE).first().click();
    await wb.waitForLineAfter(page, line, new RegExp(`^"◀ cluster ${cluster}\\b`));
    const hover = await hoverLineEnd(page, line, `Cluster ${cluster}`);
    const shown = await hoverDistances(hover);
    assert.deepEqual([...shown.keys()].sort(), Array.from({ length: k }, (_, j) => j), `one distance per centre: ${await hover.textContent()}`);
    for (const [j, d] of shown) assert.ok(closeTo(d, want[j], 4), `distance to centre ${j}: shown ${d}, computed ${want[j]}`);

    // Map Clusters to Labels (Enter takes the suggested column, site), then the hover names the class.
    await page.keyboard.press('Escape');
    await paletteToPick(page, 'Centroid: Map Clusters to Labels…', 'site');
    await page.keyboard.press('Enter');
    await frame.locator('body[data-labelmap="1"]').waitFor({ timeout: 60_000 });
    const mapped = String(mapClustersToLabels(truth, full.report.labels as number[]).clusterToLabel[String(cluster)]);
    await wb.editorTab(page, FILE).first().click();
    await wb.waitForLineAfter(page, line, new RegExp(`^"◀ cluster ${cluster} \\(${mapped}\\)`));
    const labelled = await hoverLineEnd(page, line, 'mapped to class');
    assert.match(await labelled.textContent() ?? '', new RegExp(`Cluster ${cluster} \\(mapped to class ${mapped}\\)`));
    await page.keyboard.press('Escape');
  });

  it('the status bar item shows k and the silhouette of the active CSV; clicking it opens the closed panel', async () => {
    const { page } = current();
    const s = full.report.metrics.silhouette;
    assert.ok(s !== null);
    const want = `k=${full.report.options.k} · silhouette ${s.toFixed(2)}`;
    await wb.editorTab(page, FILE).first().click();
    const item = page.locator('.statusbar-item').filter({ hasText: want });
    await item.first().waitFor({ timeout: wb.STEP_TIMEOUT_MS });

    // Close the panel, then click the item: the panel opens again with the same result.
    const tab = wb.editorTab(page, `Clusters: ${FILE}`);
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await wb.editorTab(page, `Clusters: ${FILE}`).waitFor({ state: 'detached', timeout: wb.STEP_TIMEOUT_MS });
    await wb.editorTab(page, FILE).first().click();
    await item.first().click();
    await wb.editorTab(page, `Clusters: ${FILE}`).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    const frame = panel(page);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    assert.equal(await shownMetric(frame, 'inertia'), full.report.inertia);
    assert.equal(await shownMetric(frame, 'silhouette'), s);
  });

  it('each cluster\'s distinguishing features are those furthest from the overall mean, in standard deviations', async () => {
    const { page } = current();
    const frame = panel(page);
    // Means and population standard deviations of the feature columns, from the CSV text.
    const rows = text.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 3).map(Number));
    const mean = FEATURES.map((_, t) => rows.reduce((a, r) => a + r[t], 0) / rows.length);
    const sd = FEATURES.map((_, t) => Math.sqrt(rows.reduce((a, r) => a + (r[t] - mean[t]) ** 2, 0) / rows.length));
    const k = full.report.options.k;
    for (let j = 0; j < k; j++) {
      const centre = full.report.clusterCenters[j];
      const want = FEATURES.map((name, t) => ({ name, z: (centre[t] - mean[t]) / sd[t] })).sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
      const shown = await frame.locator(`#legend li[data-cluster="${j}"] .distinct`).textContent() ?? '';
      const parts = shown.split(', ').map((p) => {
        const m = /^(\S+) ([+−])(\S+) sd$/.exec(p);
        assert.ok(m, `cluster ${j}: "${p}" in "${shown}"`);
        return { name: m[1], z: (m[2] === '−' ? -1 : 1) * Number(m[3]) };
      });
      assert.deepEqual(parts.map((p) => p.name), want.map((w) => w.name), `cluster ${j}: features in order of |z| (${shown})`);
      parts.forEach((p, i) => assert.ok(closeTo(p.z, want[i].z, 2), `cluster ${j}, ${p.name}: shown ${p.z} sd, computed ${want[i].z}`));
    }
  });

  it('Save PNG suggests a numbered name next to an existing chart, leaves that chart as it was and writes a PNG', async () => {
    const { page } = current();
    const frame = panel(page);
    // An earlier chart under the plain name: the dialog must not offer to replace it.
    const earlier = path.join(workspace, 'readings.clusters.png');
    const earlierBytes = Buffer.from('an earlier chart, not to be replaced\n');
    fs.writeFileSync(earlier, earlierBytes);
    const target = path.join(workspace, 'readings.clusters (2).png');
    assert.ok(!fs.existsSync(target));
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await wb.editorTab(page, `Clusters: ${FILE}`).click();
    await frame.getByRole('button', { name: 'Save PNG' }).click();
    await input.waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    // The dialog fills in its suggestion once it has listed the folder.
    const suggested = await page.waitForFunction(() => {
      const g = globalThis as unknown as wb.PageGlobals;
      const box = g.document.querySelector('.quick-input-widget .quick-input-box input') as unknown as { value: string } | null;
      return /readings\.clusters[^/]*\.png$/.test(box?.value ?? '') ? box?.value : false;
    }, undefined, { timeout: wb.STEP_TIMEOUT_MS });
    assert.match(String(await suggested.jsonValue()), /\/readings\.clusters \(2\)\.png$/, 'the suggestion is the numbered name');
    await page.keyboard.press('Enter');
    await waitForFile(page, target);
    assert.deepEqual(fs.readFileSync(earlier), earlierBytes, 'the earlier chart is unchanged');
    const bytes = fs.readFileSync(target);
    assert.deepEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE, 'PNG signature');
    assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    console.log(`      readings.clusters (2).png: ${bytes.length} bytes, ${width} x ${height}`);
    assert.ok(width >= 200 && height >= 150, `the image is ${width} x ${height}`);
    assert.ok(bytes.length > 5_000, `the image has only ${bytes.length} bytes`);
    assert.deepEqual(fs.readdirSync(workspace).filter((n) => /^\.readings\.clusters.*\.tmp$/.test(n)), [], 'no temporary file is left');
  });

  it('Choose Columns and Cluster… fits the two columns and the label picked; Cluster this CSV then reuses them without asking', async () => {
    const { page } = current();
    const frame = panel(page);
    const run = Number(await frame.locator('body').getAttribute('data-run'));
    await wb.editorTab(page, FILE).first().click();
    await paletteToPick(page, 'Centroid: Choose Columns and Cluster…', 'temperature_c');
    for (const name of FEATURES) {
      assert.equal(await pickRow(page, name).getAttribute('aria-checked'), 'true', `${name} (numeric) is preselected`);
    }
    assert.match(await page.locator('.quick-input-widget').textContent() ?? '', /site/, 'the text column is listed');
    await pickRow(page, 'pressure_hpa').click();
    await page.waitForFunction(() => {
      const g = globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string | null; getAttribute(n: string): string | null }> } };
      return [...g.document.querySelectorAll('.quick-input-widget .monaco-list-row')].some((r) => (r.textContent ?? '').includes('pressure_hpa') && r.getAttribute('aria-checked') === 'false');
    }, undefined, { timeout: wb.STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await pickRow(page, 'Guess').waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    await page.locator('.quick-input-widget .quick-input-box input').fill('site');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Guess' }).waitFor({ state: 'detached', timeout: wb.STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await frame.locator(`body[data-run="${run + 1}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });
    assert.equal(await shownMetric(frame, 'inertia'), two.report.inertia);
    assert.equal(await shownMetric(frame, 'silhouette'), two.report.metrics.silhouette);
    const heads = await frame.locator('#centers thead th').allTextContents();
    assert.deepEqual(heads.slice(2), TWO, 'the centres table has the two columns');

    // Again from the palette: no question, the same columns.
    await wb.editorTab(page, FILE).first().click();
    await wb.runFromPalette(page, 'Centroid: Cluster this CSV');
    await frame.locator(`body[data-run="${run + 2}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'a question was asked');
    assert.equal(await shownMetric(frame, 'inertia'), two.report.inertia);
    assert.deepEqual((await frame.locator('#centers thead th').allTextContents()).slice(2), TWO);
  });

  it('an edited row is re-assigned to the nearest current centre; a header with another column clears the annotations and says why', async () => {
    const { page } = current();
    const row = 4;
    const lines = text.split('\n');
    const old = lines[row + 1];
    const fields = old.split(',');
    const was = two.report.labels[row] as number;
    const k = two.report.options.k;
    const other = (was + 1) % k;
    // Move the row onto the other centre (two decimals), keep pressure and site.
    const centre = two.report.clusterCenters[other];
    const edited = [centre[0].toFixed(2), centre[1].toFixed(2), fields[2], fields[3]].join(',');
    const values = [Number(centre[0].toFixed(2)), Number(centre[1].toFixed(2))];
    const d = two.report.clusterCenters.map((c) => euclidean(values, c));
    const nearest = d.indexOf(Math.min(...d));
    assert.notEqual(nearest, was, 'the edit moves the row to another cluster');

    await wb.editorTab(page, FILE).first().click();
    await wb.waitForLineAfter(page, old, new RegExp(`^"◀ cluster ${was}\\b`));
    await viewLine(page, old).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type(edited);
    const after = await wb.waitForLineAfter(page, edited, new RegExp(`^"◀ cluster ${nearest}\\b.*· edited"$`));
    const m = /d=([^ ·"]+)/.exec(after);
    assert.ok(m, `no distance in ${after}`);
    assert.ok(closeTo(Number(m[1]), d[nearest], 2), `distance shown ${m[1]}, computed ${d[nearest]}`);

    // A fifth column in the header: the annotations go, and the status bar says why.
    await viewLine(page, HEADER).click();
    await page.keyboard.press('End');
    await page.keyboard.type(',extra');
    const reason = `annotations cleared because ${FILE} now has 5 columns instead of 4`;
    await page.locator('.statusbar-item').filter({ hasText: reason }).first().waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    await page.waitForFunction(() => {
      const g = globalThis as unknown as wb.PageGlobals;
      return ![...g.document.querySelectorAll('.monaco-editor .view-line span')].some((e) => g.getComputedStyle(e, '::after').content.includes('cluster '));
    }, undefined, { timeout: wb.STEP_TIMEOUT_MS });
    await wb.runFromPalette(page, 'File: Revert File');
  });

  it('on a 20-column CSV each row\'s cluster is shown at the line\'s start, inside the editor, though the text after the row is past its edge', async () => {
    const { page } = current();
    await wb.runContextMenuItem(page, wb.explorerRow(page, WIDE), 'Cluster this CSV');
    await panel(page).locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    await wb.editorTab(page, WIDE).first().click();
    await wb.waitForAfterText(page, 'cluster ', 60_000);
    let shown: Awaited<ReturnType<typeof decorationBoxes>> = { visible: { left: 0, right: 0, top: 0, bottom: 0 }, lines: [] };
    const deadline = Date.now() + wb.STEP_TIMEOUT_MS;
    while (shown.lines.length < 10) {
      if (Date.now() > deadline) throw new Error(`only ${shown.lines.length} lines show a marker and an after-text`);
      await page.waitForTimeout(100);
      shown = await decorationBoxes(page);
    }
    const { visible, lines } = shown;
    assert.ok(visible.right > visible.left, 'the editor has a visible width');
    for (const l of lines) {
      const cluster = /^"◀ cluster (\d+)/.exec(l.after)?.[1];
      assert.equal(l.before, `"C${cluster} ▶"`, `the marker names the row's cluster (${l.after})`);
      assert.ok(l.beforeBox.left >= visible.left && l.beforeBox.right <= visible.right,
        `the marker ${l.before} at ${l.beforeBox.left}–${l.beforeBox.right} is inside the editor's ${visible.left}–${visible.right}`);
      assert.ok(l.afterBox.left > visible.right, `the after-text starts at ${l.afterBox.left}, inside the editor (${visible.right}): the file is not wide enough for this test`);
    }
    await current().screenshot('editor-wide.png');
    // The marker has the row's hover too.
    const first = lines[0];
    const cluster = /^"◀ cluster (\d+)/.exec(first.after)?.[1] ?? '';
    await page.mouse.move(5, 5);
    await page.mouse.move((first.beforeBox.left + first.beforeBox.right) / 2, (first.beforeBox.top + first.beforeBox.bottom) / 2, { steps: 4 });
    await page.locator('.monaco-hover').filter({ hasText: `Cluster ${cluster}` }).first().waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    await page.keyboard.press('Escape');
  });
});
