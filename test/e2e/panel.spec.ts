/**
 * The cluster panel and the editor, driven as a user would in the packaged extension (dark
 * theme): change k in the panel's form and run again, click a point and see its row selected
 * in the editor, toggle the annotations, keep the panel's state while
 * hidden, reach the form with the keyboard; then a generated CSV over 50 MB clustered from
 * the explorer while another file is edited, cancelled from the panel and from the
 * notification, its worker killed mid-run, and run again. Expected numbers are computed here
 * by the pipeline code on the same files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { parseCsv } from '../../src/csv/read';
import { runFit } from '../../src/pipeline/fit';
import type { FitOptions, FitReport } from '../../src/pipeline/types';
import { clusterColor, hexToRgb } from '../../src/protocol/palette';
import { writeBlobsCsv } from './bigCsv';
import { defaultOptions, publish } from './docs';
import { makeRunDirs, sessionHooks, THEMES } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace, sensorCsv } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const SMALL = 'stations.csv';
const BIG = 'big.csv';
const NOTES = 'notes.txt';
/**
 * Rows of the big file (about 127 MB): enough that reading and fitting it take several seconds,
 * so typing in another file can be checked while the run is still going.
 */
const BIG_ROWS = 3_000_000;
/** BIG_ROWS as the panel writes it. */
const BIG_ROWS_TEXT = BIG_ROWS.toLocaleString('en-US');
/** A key the test binds to the test-only command that crashes the busy workers. */
const CRASH_KEY = 'ctrl+alt+shift+k';
const BIG_RUN_MS = 240_000;

/** The panel of `fileName`: the webview whose title names it (several panels may be open). */
async function panelOf(page: Page, fileName: string): Promise<FrameLocator> {
  const outer = page.locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const n = await outer.count();
    for (let i = n - 1; i >= 0; i--) {
      const frame = outer.nth(i).contentFrame().frameLocator('#active-frame');
      const title = await frame.locator('#title').textContent({ timeout: 2_000 }).catch(() => null);
      if (title === `Clusters: ${fileName}`) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no panel titled "Clusters: ${fileName}"`);
    await page.waitForTimeout(250);
  }
}

async function shownMetric(frame: FrameLocator, metric: string): Promise<number> {
  const v = await frame.locator(`#metrics tr[data-metric="${metric}"] td[data-value]`).getAttribute('data-value');
  assert.ok(v !== null && v !== '', `metric ${metric} has no value`);
  return Number(v);
}

/** Records every data-state change of the panel's body (with the inertia shown then) into window.__states. */
async function recordStates(frame: FrameLocator): Promise<void> {
  await frame.locator('body').evaluate((node: unknown) => {
    const g = globalThis as unknown as Record<string, unknown> & { MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void } };
    const body = node as { dataset: Record<string, string>; querySelector(s: string): { getAttribute(n: string): string | null } | null };
    const states: string[] = [];
    const progress: string[] = [];
    g.__states = states;
    g.__progress = progress;
    // No named inner functions here: the bundler would wrap them in a helper the page lacks.
    new g.MutationObserver(() => {
      const inertia = body.querySelector('#metrics tr[data-metric="inertia"] td[data-value]')?.getAttribute('data-value') ?? '';
      states.push(`${body.dataset.state}|run=${body.dataset.run}|inertia=${inertia}`);
      const text = (body.querySelector('#progress-text') as unknown as { textContent: string } | null)?.textContent ?? '';
      if (text !== '' && progress[progress.length - 1] !== text) progress.push(text);
    }).observe(node, { attributes: true, subtree: true, childList: true, characterData: true });
  });
}

async function recorded(frame: FrameLocator, key: '__states' | '__progress'): Promise<string[]> {
  return frame.locator('body').evaluate((_n: unknown, k: string) => (globalThis as unknown as Record<string, string[]>)[k] ?? [], key);
}

/** The line (1-based) and the number of selected characters, from the status bar. */
async function selection(page: Page): Promise<{ line: number; selected: number }> {
  const text = await page.locator('#status\\.editor\\.selection').innerText();
  const m = /Ln (\d+), Col \d+(?: \((\d+) selected\))?/.exec(text);
  assert.ok(m, `status bar selection: "${text}"`);
  return { line: Number(m[1]), selected: Number(m[2] ?? 0) };
}

describe('Centroid\'s panel and editor, end to end (dark theme)', function () {
  this.timeout(180_000);
  let smallText = '';
  let small: FitReport;
  let small4: FitReport;
  let big: FitReport;

  const current = sessionHooks('e2e-panel', () => {
    const vsix = packagedVsix();
    smallText = sensorCsv(20_250_301, 120, ['north', 'harbour', 'ridge', 'valley']);
    const workspace = makeWorkspace({ [SMALL]: smallText, [NOTES]: 'Notes\n' });
    const bytes = writeBlobsCsv(path.join(workspace, BIG), BIG_ROWS);
    assert.ok(bytes > 50 * 1024 * 1024, `the big file has ${bytes} bytes, not over 50 MB`);
    console.log(`      ${BIG}: ${BIG_ROWS} rows, ${(bytes / 1048576).toFixed(1)} MB`);
    const table = parseCsv(smallText, { header: 'auto' });
    small = runFit(table, defaultOptions('site'));
    small4 = runFit(table, { ...defaultOptions('site'), k: 4 });
    const noLabel: FitOptions = { ...defaultOptions(''), label: undefined };
    big = runFit(parseCsv(fs.readFileSync(path.join(workspace, BIG), 'utf8'), { header: 'auto' }), noLabel);

    const dirs = makeRunDirs('e2e-panel');
    fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dirs.userData, 'User/keybindings.json'), JSON.stringify([{ key: CRASH_KEY, command: 'centroid.test.crashWorkers' }]));
    return { workspace, vsix: [vsix], theme: THEMES.dark, env: { CENTROID_TEST_HOOKS: '1' }, dirs, file: SMALL };
  }, { timeout: 600_000 });

  it('clusters from the explorer and shows the panel in the dark theme (screenshot)', async () => {
    const s = current();
    const { page } = s;
    await wb.runContextMenuItem(page, wb.explorerRow(page, SMALL), 'Cluster this CSV');
    const frame = await panelOf(page, SMALL);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    assert.equal(await shownMetric(frame, 'inertia'), small.inertia);
    await wb.waitForAfterText(page, 'cluster ');
    const file = path.join(s.dirs.artifacts, 'panel-dark.png');
    await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: file, animations: 'disabled' });
    publish(file, 'panel-dark.png');
  });

  it('the form and Run are reachable with Tab, and every control has an accessible name', async () => {
    const { page } = current();
    const frame = await panelOf(page, SMALL);
    // Names as a screen reader gets them (Playwright computes the accessible name).
    await frame.getByRole('spinbutton', { name: 'Clusters (k)' }).waitFor();
    await frame.getByRole('combobox', { name: 'Scaling' }).waitFor();
    await frame.getByRole('combobox', { name: 'Label column' }).waitFor();
    await frame.getByRole('button', { name: 'Run', exact: true }).waitFor();
    await frame.getByRole('button', { name: 'Save PNG' }).waitFor();
    const unnamed = await frame.locator('#settings-form').evaluate((form: unknown) => {
      const f = form as { querySelectorAll(s: string): Iterable<{ id: string; value: string; getAttribute(n: string): string | null; labels: Iterable<{ textContent: string | null }> | null; textContent: string | null; tagName: string }> };
      return [...f.querySelectorAll('input, select, button')].filter((c) => {
        const label = [...(c.labels ?? [])].map((l) => l.textContent ?? '').join(' ').trim();
        const own = c.tagName === 'BUTTON' ? (c.textContent ?? '').trim() : '';
        return label === '' && own === '' && !c.getAttribute('aria-label');
      }).map((c) => c.id || c.value);
    });
    assert.deepEqual(unnamed, [], 'form controls without an accessible name');

    // From the page (nothing focused inside it), Tab alone reaches k, then the other fields, then Run.
    await frame.locator('#summary').click();
    const visited: string[] = [];
    for (let i = 0; i < 80 && visited[visited.length - 1] !== 'run'; i++) {
      await page.keyboard.press('Tab');
      visited.push(await frame.locator('body').evaluate(() => {
        const a = (globalThis as unknown as { document: { activeElement: { id: string; tagName: string } | null } }).document.activeElement;
        return a ? a.id || a.tagName.toLowerCase() : '';
      }));
    }
    assert.equal(visited[visited.length - 1], 'run', `Tab never reached Run: ${visited.join(' > ')}`);
    for (const id of ['f-k', 'f-scale', 'f-seed', 'f-label']) assert.ok(visited.includes(id), `Tab skipped #${id}: ${visited.join(' > ')}`);
    assert.ok(visited.indexOf('f-k') < visited.indexOf('run'), 'k comes before Run');
  });

  it('changing k in the form runs again: the old result stays until the new one, which equals the pipeline\'s', async () => {
    const { page } = current();
    const frame = await panelOf(page, SMALL);
    const before = Number(await frame.locator('body').getAttribute('data-run'));
    await recordStates(frame);
    await frame.locator('#f-k').fill('4');
    await frame.getByRole('button', { name: 'Run', exact: true }).click();
    await frame.locator(`body[data-run="${before + 1}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });
    assert.equal(await shownMetric(frame, 'inertia'), small4.inertia);
    assert.equal(await shownMetric(frame, 'silhouette'), small4.metrics.silhouette);
    assert.equal(await frame.locator('#legend li').count(), 4);
    const states = await recorded(frame, '__states');
    const running = states.filter((x) => x.startsWith('running|'));
    assert.ok(running.length > 0, `the panel never showed the run going: ${states.join(', ')}`);
    // While it ran, the previous result (k=3) was what the panel showed.
    for (const x of running) assert.equal(x, `running|run=${before}|inertia=${small.inertia}`);
    // The annotations follow the new fit.
    await wb.waitForAfterText(page, 'cluster 3');
  });

  it('clicking a point selects its row in the CSV editor, and the row belongs to the point\'s cluster', async () => {
    const { page } = current();
    const frame = await panelOf(page, SMALL);
    // A pixel inside a single point (drawn at 70% opacity in its cluster's colour, alone).
    const colours = [0, 1, 2, 3].map((j) => hexToRgb(clusterColor(j)));
    const hit = await frame.locator('#scatter').evaluate((node: unknown, rgb: number[][]) => {
      const c = node as { width: number; height: number; clientWidth: number; clientHeight: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      // Cluster of each pixel drawn by exactly one point (alpha 0.7 of its colour), else -1.
      const at = new Int8Array(c.width * c.height).fill(-1);
      for (let p = 0; p < c.width * c.height; p++) {
        const o = 4 * p;
        if (Math.abs(data[o + 3] - 179) > 3) continue;
        at[p] = rgb.findIndex(([r, g, b]) => Math.abs(data[o] - r) <= 3 && Math.abs(data[o + 1] - g) <= 3 && Math.abs(data[o + 2] - b) <= 3);
      }
      for (let y = 2; y < c.height - 2; y++) {
        for (let x = 2; x < c.width - 2; x++) {
          const j = at[y * c.width + x];
          if (j < 0) continue;
          let same = true;
          for (let dy = -1; dy <= 1 && same; dy++) for (let dx = -1; dx <= 1 && same; dx++) same = at[(y + dy) * c.width + x + dx] === j;
          if (same) return { x: (x * c.clientWidth) / c.width, y: (y * c.clientHeight) / c.height, cluster: j };
        }
      }
      return null;
    }, colours);
    assert.ok(hit, 'no point of a single cluster found on the canvas');
    await frame.locator('#scatter').click({ position: { x: hit.x, y: hit.y } });
    await wb.editorTab(page, SMALL).first().waitFor();
    // The editor selects the whole line of the row: its length in characters.
    const lines = smallText.split('\n');
    const deadline = Date.now() + 30_000;
    let sel = await selection(page).catch(() => ({ line: 0, selected: 0 }));
    while (!(sel.line >= 2 && sel.selected > 0)) {
      assert.ok(Date.now() < deadline, `no row was selected (status bar: line ${sel.line}, ${sel.selected} selected)`);
      await page.waitForTimeout(100);
      sel = await selection(page).catch(() => ({ line: 0, selected: 0 }));
    }
    const row = sel.line - 2; // line 1 is the header
    assert.equal(sel.selected, lines[sel.line - 1].length, 'the whole row is selected');
    assert.equal(small4.labels[row], hit.cluster, `row ${row} is in cluster ${small4.labels[row]}, the clicked point is in ${hit.cluster}`);
  });

  it('Toggle Cluster Annotations hides them and shows them again', async () => {
    const { page } = current();
    await wb.editorTab(page, SMALL).first().click();
    await wb.runFromPalette(page, 'Centroid: Toggle Cluster Annotations');
    await page.waitForFunction(() => {
      const g = globalThis as unknown as wb.PageGlobals;
      return ![...g.document.querySelectorAll('.monaco-editor .view-line span')].some((e) => g.getComputedStyle(e, '::after').content.includes('cluster '));
    }, undefined, { timeout: 30_000 });
    await wb.runFromPalette(page, 'Centroid: Toggle Cluster Annotations');
    await wb.waitForAfterText(page, 'cluster ');
    const shown = await wb.afterTexts(page, 'cluster ');
    assert.ok(shown.length >= 5, `${shown.length} annotations after showing them again`);
  });

  it('the panel keeps its state (result, unsaved form values) when hidden and shown again', async () => {
    const { page } = current();
    let frame = await panelOf(page, SMALL);
    const run = await frame.locator('body').getAttribute('data-run');
    await frame.locator('#f-seed').fill('12345');
    // Hide it: open another file in the panel's editor group.
    await wb.editorTab(page, `Clusters: ${SMALL}`).click();
    await wb.explorerRow(page, NOTES).click();
    await wb.editorTab(page, NOTES).first().waitFor();
    await wb.editorTab(page, `Clusters: ${SMALL}`).click();
    frame = await panelOf(page, SMALL);
    await frame.locator(`body[data-run="${run}"][data-state="done"]`).waitFor();
    assert.equal(await frame.locator('#f-seed').inputValue(), '12345');
    assert.equal(await shownMetric(frame, 'inertia'), small4.inertia);
    assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 1000, 'the chart is not drawn after showing the panel again');
    await frame.locator('#f-seed').fill(String(small4.options.seed));
  });

  it(`a CSV over 50 MB (${BIG_ROWS} rows) clusters from the explorer with progress while another file is edited`, async () => {
    const { page } = current();
    await wb.runContextMenuItem(page, wb.explorerRow(page, BIG), 'Cluster this CSV');
    const frame = await panelOf(page, BIG);
    await recordStates(frame);
    await frame.locator('body[data-state="running"]').waitFor({ timeout: 60_000 });
    // Type in another file while the worker runs: the editor answers at once.
    await wb.editorTab(page, NOTES).first().click();
    await page.keyboard.press('Control+End');
    const t0 = Date.now();
    await page.keyboard.type(' typed while clustering');
    await page.locator('.monaco-editor .view-line').filter({ hasText: 'typed while clustering' }).first().waitFor({ timeout: 30_000 });
    const typedMs = Date.now() - t0;
    const stillRunning = await frame.locator('body').getAttribute('data-state');
    assert.equal(stillRunning, 'running', 'the run ended before the typing could be checked');
    console.log(`      typing 23 characters showed in ${typedMs} ms while ${BIG} was clustered`);

    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: BIG_RUN_MS });
    const progress = await recorded(frame, '__progress');
    console.log(`      progress seen: ${progress.join(' | ')}`);
    // This first run may have read the file before the recorder was in the new panel: the runs
    // below (same panel) check the reading progress; here the later steps name the rows read.
    assert.ok(progress.some((p) => new RegExp(`\\b${BIG_ROWS_TEXT} rows\\b`).test(p)), `no progress naming the rows: ${progress.join(' | ')}`);
    assert.equal(await frame.locator('#sample-note').textContent().then((t) => new RegExp(`^Showing 5,000 of ${BIG_ROWS_TEXT} rows`).test(t ?? '')), true, 'sample size not stated');
    // The worker spreads the big fit over threads; sums may differ from a single thread in the last bits.
    const inertia = await shownMetric(frame, 'inertia');
    assert.ok(Math.abs(inertia - big.inertia) <= 1e-9 * big.inertia, `inertia ${inertia}, pipeline ${big.inertia}`);
    await wb.editorTab(page, NOTES).first().click();
    await wb.runFromPalette(page, 'File: Revert File');
  });

  it('Cancel in the panel stops a long run and keeps the last result; so does Cancel in the notification', async () => {
    const { page } = current();
    const frame = await panelOf(page, BIG);
    const run = await frame.locator('body').getAttribute('data-run');
    const last = await shownMetric(frame, 'inertia');
    for (const where of ['panel', 'notification'] as const) {
      await wb.editorTab(page, `Clusters: ${BIG}`).click();
      await frame.getByRole('button', { name: 'Run', exact: true }).click();
      await frame.locator('#progress-text').filter({ hasText: new RegExp(`^Clustering ${BIG_ROWS_TEXT} rows`) }).waitFor({ timeout: 120_000 });
      if (where === 'panel') {
        await frame.getByRole('button', { name: 'Cancel' }).click();
      } else {
        const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: `Clustering ${BIG}` });
        await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
      }
      await frame.locator('#status').filter({ hasText: `Clustering ${BIG} was cancelled.` }).waitFor({ timeout: 30_000 });
      await frame.locator(`body[data-state="done"][data-run="${run}"]`).waitFor();
      assert.equal(await shownMetric(frame, 'inertia'), last, `after cancelling from the ${where}, the last result is shown`);
      assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 1000, 'the last chart is still drawn');
    }
    // Progress while reading named the rows read so far (recorded since the previous test).
    const progress = await recorded(frame, '__progress');
    console.log(`      progress seen: ${progress.slice(0, 6).join(' | ')} …`);
    assert.ok(progress.some((p) => new RegExp(`^Reading ${BIG}: [\\d,]+ rows read \\(`).test(p)), `no rows-read progress: ${progress.join(' | ')}`);
  });

  it('a worker that dies mid-run gives one clear error, keeps the last result and annotations, and a new run works', async () => {
    const { page } = current();
    const frame = await panelOf(page, BIG);
    const run = Number(await frame.locator('body').getAttribute('data-run'));
    await wb.editorTab(page, SMALL).first().click();
    await wb.waitForAfterText(page, 'cluster ');
    const before = await wb.afterTexts(page, 'cluster ');
    const lastInertia = await shownMetric(frame, 'inertia');
    await wb.editorTab(page, `Clusters: ${BIG}`).click();
    await frame.getByRole('button', { name: 'Run', exact: true }).click();
    await frame.locator('#progress-text').filter({ hasText: new RegExp(`^Clustering ${BIG_ROWS_TEXT} rows`) }).waitFor({ timeout: 120_000 });
    // Focus in the workbench (the CSV editor), then the test-only key binding.
    await wb.editorTab(page, SMALL).first().click();
    await page.keyboard.press('Control+Alt+Shift+K');
    const message = `The clustering worker stopped unexpectedly while working on ${BIG}; you can run it again`;
    await frame.locator('body[data-state="error"]').waitFor({ timeout: 60_000 });
    await wb.toastOf(page, 'error').first().waitFor();
    const errors = (await wb.toasts(page)).filter((t) => t.severity === 'error');
    assert.deepEqual(errors.map((e) => e.message), [message], 'exactly one error notification, in one sentence');
    assert.equal(await frame.locator('#status').textContent(), message);
    assert.equal(await frame.locator('body').getAttribute('data-run'), String(run), 'no result from the dead run');
    assert.equal(await shownMetric(frame, 'inertia'), lastInertia, 'the last result is still shown');
    assert.match(await frame.locator('#sample-note').textContent() ?? '', new RegExp(`of ${BIG_ROWS_TEXT} rows`), 'the last result is still shown');
    // The annotations of the open CSV are those of its own last fit: nothing half-done.
    assert.deepEqual(await wb.afterTexts(page, 'cluster '), before);

    await wb.editorTab(page, `Clusters: ${BIG}`).click();
    await frame.getByRole('button', { name: 'Run', exact: true }).click();
    await frame.locator(`body[data-run="${run + 1}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: BIG_RUN_MS });
    const inertia = await shownMetric(frame, 'inertia');
    assert.ok(Math.abs(inertia - big.inertia) <= 1e-9 * big.inertia, `inertia ${inertia}, pipeline ${big.inertia}`);
  });
});
