/**
 * "Choose k…" end to end, in the packaged .vsix in code-server: a CSV of four well separated
 * blobs (generated here from a seeded Rng, so its best k is known), the command from the
 * palette with the prompts' defaults (Enter three times), the Choose k view with the
 * suggestion k=4 and its reason, the same numbers as the pipeline's sweep run here in the test
 * process, then a click on the suggested point that fits k=4 in the cluster view; the command
 * from the Explorer's and the editor's context menus asks for the range too. The view is
 * also checked and photographed in the light and high-contrast themes. Last, "Density
 * (DBSCAN)…" from the palette: the k-distance knee's eps, then DBSCAN with it from the panel.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parseCsv } from '../../src/csv/read';
import { Rng } from '../../src/engine/rng';
import { runFit } from '../../src/pipeline/fit';
import { sweepTable, type SweepReport } from '../../src/pipeline/sweep';
import { dbscanTable } from '../../src/pipeline/density';
import { hdbscanTable } from '../../src/pipeline/hdbscan';
import { kDistanceTable } from '../../src/pipeline/kdistance';
import { defaultOptions, publish } from './docs';
import { sessionHooks, THEMES } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'four_blobs.csv';
const SCORES = ['inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz', 'stability'] as const;
/** What the prompts start on: 2..10, the file's init and metric, 3 seeds. */
const K_MIN = 2;
const K_MAX = 10;
const SEEDS = 3;

/** Four round blobs of 50 rows, 12 standard deviations apart: k=4 is the answer by construction. */
function fourBlobsCsv(seed: number): string {
  const rng = new Rng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
  const centres = [[0, 0], [12, 0], [0, 12], [12, 12]];
  const lines = ['x,y'];
  for (let i = 0; i < 200; i++) {
    const [cx, cy] = centres[i % 4];
    lines.push(`${(cx + normal()).toFixed(4)},${(cy + normal()).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

/** Moves the CSV editor to 1-based `line` with Go to Line (Ctrl+G). */
async function goToLine(page: Page, line: number): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+g');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: wb.STEP_TIMEOUT_MS });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: wb.STEP_TIMEOUT_MS });
}

/** Runs "Centroid: Choose k…" from the palette and accepts the three prompts' defaults. */
async function chooseKWithDefaults(page: Page): Promise<void> {
  await wb.choosePaletteCommand(page, 'Centroid: Choose k…');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const title = page.locator('.quick-input-widget .quick-input-title');
  await title.filter({ hasText: '(1/3)' }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
  assert.equal(await input.inputValue(), `${K_MIN}..${K_MAX}`, 'the range box starts on the default range');
  await page.keyboard.press('Enter');
  await title.filter({ hasText: '(2/3)' }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await title.filter({ hasText: '(3/3)' }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: wb.STEP_TIMEOUT_MS });
}

const CASES = [
  { theme: THEMES.dark, slug: 'dark', full: true },
  { theme: THEMES.light, slug: 'light', full: false },
  { theme: THEMES.highContrast, slug: 'high-contrast', full: false },
];

for (const c of CASES) {
  describe(`Choose k end to end (${c.slug} theme)`, function () {
    this.timeout(240_000);
    let csvText = '';
    let expected: SweepReport;

    const current = sessionHooks(`e2e-choosek-${c.slug}`, () => {
      const vsix = packagedVsix();
      csvText = fourBlobsCsv(20_261_128);
      const { k: _k, label: _label, ...fresh } = defaultOptions('');
      expected = sweepTable(parseCsv(csvText, { header: 'auto' }), K_MIN, K_MAX, {
        ...fresh, inits: [fresh.init as 'k-means++' | 'random'], metrics: [fresh.metric ?? 'euclidean'], nSeeds: SEEDS,
      });
      assert.equal(expected.suggestedK, 4, `the pipeline suggests k=${expected.suggestedK} for four blobs: ${expected.why}`);
      const workspace = makeWorkspace({ [FILE]: csvText });
      return { workspace, vsix: [vsix], theme: c.theme, file: FILE };
    });

    it(`palette > Choose k… suggests k=4 with its reason and the pipeline's numbers (${c.slug})`, async () => {
      const session = current();
      const { page } = session;
      await wb.explorerRow(page, FILE).click();
      await wb.editorTab(page, FILE).first().waitFor();
      await chooseKWithDefaults(page);

      const frame = wb.webviewFrame(page, EXTENSION_ID);
      const view = frame.locator('#choosek[data-state="done"]');
      await view.waitFor({ timeout: 120_000 });
      assert.equal(await view.getAttribute('data-suggested-k'), '4');
      assert.equal(await view.getAttribute('data-rows'), String(K_MAX - K_MIN + 1));
      const why = (await frame.locator('#choosek-why').textContent()) ?? '';
      assert.equal(why, `Suggested k = 4: ${expected.why}.`);
      assert.match(why, /silhouette peaks at k=4/);

      // Every cell is the pipeline's number (data-value is String(x), which reads back as the same double).
      for (const row of expected.results) {
        const tr = frame.locator(`#choosek-table tbody tr[data-k="${row.k}"]`);
        for (const score of SCORES) {
          const v = await tr.locator(`td[data-score="${score}"]`).getAttribute('data-value');
          const want = row[score];
          assert.equal(v === '' ? null : Number(v), want, `${score} at k=${row.k}`);
        }
      }
      assert.equal(await frame.locator('#choosek-table tbody tr.suggested').getAttribute('data-k'), '4');
      for (const score of SCORES) {
        const ink = await wb.inkedPixels(frame.locator(`#ck-${score}`));
        assert.ok(ink > 500, `the ${score} chart has ${ink} drawn pixels`);
      }

      // The picture for the docs: the CSV editor closed, so the panel's group takes the width.
      // The CSV's own tab (the panel's tab is "Clusters: four_blobs.csv"); a middle click closes it.
      const csvTab = page.locator('.tabs-container .tab').filter({ hasText: /^four_blobs\.csv/ });
      await csvTab.click({ button: 'middle' });
      await csvTab.waitFor({ state: 'detached' });
      await page.waitForFunction(() => {
        const g = globalThis as unknown as wb.PageGlobals;
        const frames = [...g.document.querySelectorAll('iframe.webview.ready')] as unknown as { getBoundingClientRect(): { width: number } }[];
        return frames.some((f) => f.getBoundingClientRect().width > 900);
      }, undefined, { timeout: wb.STEP_TIMEOUT_MS });
      await frame.locator('body').evaluate((node: unknown) => (node as { ownerDocument: { defaultView: { scrollTo(x: number, y: number): void } } }).ownerDocument.defaultView.scrollTo(0, 0));
      const shot = path.join(session.dirs.artifacts, `choose-k-${c.slug}.png`);
      await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: shot, animations: 'disabled' });
      publish(shot, c.slug === 'dark' ? 'choose-k.png' : `choose-k-${c.slug}.png`);

      // Sorting by silhouette puts k=4 first; the header says so to assistive technology.
      const header = frame.locator('#choosek-table th button[data-sort="silhouette"]');
      await header.focus();
      await page.keyboard.press('Enter');
      assert.equal(await frame.locator('#choosek-table th:has(button[data-sort="silhouette"])').getAttribute('aria-sort'), 'descending');
      assert.equal(await frame.locator('#choosek-table tbody tr').first().getAttribute('data-k'), '4');
    });

    if (c.full) {
      it('Choose k… from the Explorer\'s and the editor\'s context menus asks for the range', async () => {
        const { page } = current();
        const title = page.locator('.quick-input-widget .quick-input-title');
        // The Explorer passes (uri, selectedUris), the editor (uri): neither is a sweep to run.
        const targets = [wb.explorerRow(page, FILE), page.locator('.editor-instance .monaco-editor .view-lines').first()];
        for (const target of targets) {
          if (targets.indexOf(target) === 1) {
            // Open the CSV in the first group, so the panel keeps its own group beside it.
            await wb.runFromPalette(page, 'View: Focus First Editor Group');
            await wb.explorerRow(page, FILE).click();
            await wb.editorTab(page, FILE).first().waitFor();
          }
          await wb.runContextMenuItem(page, target, 'Choose k…');
          await title.filter({ hasText: '(1/3)' }).waitFor({ timeout: wb.STEP_TIMEOUT_MS }).catch(async (e: unknown) => {
            throw new Error(`no range prompt (${String(e)}); notifications: ${JSON.stringify(await wb.toasts(page))}`);
          });
          await page.keyboard.press('Escape');
          await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: wb.STEP_TIMEOUT_MS });
          assert.equal(await wb.toastOf(page, 'error').count(), 0, JSON.stringify(await wb.toasts(page)));
        }
      });

      it('clicking the suggested point fits k=4 and shows it in the cluster view', async () => {
        const session = current();
        const { page } = session;
        // The menus' test before this one leaves the CSV in front: show the panel again.
        await wb.editorTab(page, `Clusters: ${FILE}`).first().click();
        const frame = wb.webviewFrame(page, EXTENSION_ID);
        const canvas = frame.locator('#ck-silhouette');
        const at = await canvas.getAttribute('data-suggested-point');
        assert.ok(at, 'the silhouette chart does not say where its suggested point is');
        const [x, y] = at.split(',').map(Number);
        await canvas.click({ position: { x, y } });
        await frame.locator('body[data-run="1"][data-state="done"][data-drawn="yes"]').waitFor({ timeout: 120_000 });
        assert.equal(await frame.locator('#legend li').count(), 4, 'the cluster view shows 4 clusters');
        const { label: _label, ...fresh } = defaultOptions('');
        const fit = runFit(parseCsv(csvText, { header: 'auto' }), { ...fresh, k: 4 });
        const inertia = await frame.locator('#metrics tr[data-metric="inertia"] td[data-value]').getAttribute('data-value');
        assert.equal(Number(inertia), fit.inertia, 'the fit of k=4 is the pipeline\'s');
        assert.equal(Number(inertia), expected.results.find((r) => r.k === 4)?.inertia, 'and the inertia the sweep showed for k=4');
        assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 1000, 'the scatter plot is drawn');
      });

      it('Density (DBSCAN)… shows the k-distance knee; Run in the panel finds the 4 blobs and the noise rows', async () => {
        const session = current();
        const { page } = session;
        const table = parseCsv(csvText, { header: 'auto' });
        const { label: _label, ...fresh } = defaultOptions('');
        const base = { metric: fresh.metric, scale: fresh.scale, missing: fresh.missing };
        const curve = kDistanceTable(table, { ...base, minSamples: 5, seed: fresh.seed });
        assert.ok(curve.suggestedEps !== null, `no eps suggested: ${curve.why}`);
        const db = dbscanTable(table, { ...base, eps: curve.suggestedEps, minSamples: 5 });

        // A fresh layout, as a user starting here has it: the CSV, and the panel beside it.
        await wb.runFromPalette(page, 'View: Close All Editors');
        await wb.explorerRow(page, FILE).click();
        await wb.editorTab(page, FILE).first().waitFor();
        await wb.runFromPalette(page, 'Centroid: Density (DBSCAN)…');
        const frame = wb.webviewFrame(page, EXTENSION_ID);
        const view = frame.locator('#density[data-state="done"]');
        await view.waitFor({ timeout: 120_000 });
        assert.equal(Number(await view.getAttribute('data-eps')), curve.suggestedEps);
        assert.equal(Number(await frame.locator('#d-eps').inputValue()), curve.suggestedEps, 'eps starts on the knee');
        assert.ok(await wb.inkedPixels(frame.locator('#kd-chart')) > 500, 'the k-distance plot is drawn');

        await frame.locator('#d-run').click();
        await frame.locator(`#density[data-state="done"][data-clusters]`).waitFor({ timeout: 120_000 });
        assert.equal(await view.getAttribute('data-clusters'), String(db.nClusters));
        assert.equal(await view.getAttribute('data-noise'), String(db.nNoise));
        assert.equal(db.nClusters, 4, 'DBSCAN with the knee eps finds the 4 blobs');
        assert.equal(await frame.locator('#density-counts li').count(), 4);
        const text = (await frame.locator('#density-result').textContent()) ?? '';
        assert.match(text, new RegExp(`4 clusters, ${db.nNoise} noise rows?`));

        // The result is the cluster view's now: drawn with the engine's counts, noise as its own group.
        const body = frame.locator('body[data-method="dbscan"][data-state="done"][data-drawn="yes"]');
        await body.waitFor({ timeout: 60_000 });
        const run = Number(await body.getAttribute('data-run'));
        assert.equal(await frame.locator('#method-badge').textContent(), 'DBSCAN');
        const sizes = Array.from({ length: db.nClusters }, (_, j) => db.labels.filter((l) => l === j).length);
        assert.ok(db.nNoise > 0, 'the knee eps leaves some rows as noise in this file');
        assert.equal(await frame.locator('#scatter').getAttribute('data-counts'),
          [...sizes.map((n, j) => `cluster ${j}=${n}`), `noise (${db.nNoise})=${db.nNoise}`].join(' '));
        assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 1000, 'the scatter plot is drawn');
        for (let j = 0; j < db.nClusters; j++) {
          assert.match((await frame.locator(`#legend li[data-cluster="${j}"]`).textContent()) ?? '', new RegExp(`Cluster ${j} · ${sizes[j]} rows`));
        }
        assert.match((await frame.locator('#legend li[data-cluster="noise"]').textContent()) ?? '', new RegExp(`^noise \\(${db.nNoise}\\) · ${db.nNoise} rows? in no cluster`));
        assert.equal(await frame.locator('#centers-section').isHidden(), true, 'DBSCAN has no centres');
        assert.match((await frame.locator('#metrics tr[data-metric="silhouette"] th').textContent()) ?? '', /noise left out/);

        // The annotations: the first data rows, and the first noise row, show the engine's label.
        const rows = csvText.split('\n').slice(1);
        const labelText = (l: number | null): string => (l === null || l < 0 ? '◀ noise' : `◀ cluster ${l}`);
        for (let i = 0; i < 5; i++) assert.equal(await wb.waitForLineAfter(page, rows[i], /◀/), `"${labelText(db.labels[i])}"`, `data row ${i}`);
        const firstNoise = db.labels.indexOf(-1);
        await goToLine(page, firstNoise + 2);
        assert.equal(await wb.waitForLineAfter(page, rows[firstNoise], /◀ noise/), '"◀ noise"', `data row ${firstNoise} is noise`);

        // The progress notification closes once the run is over; keep it out of the picture.
        await page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'DBSCAN on' }).waitFor({ state: 'detached', timeout: wb.STEP_TIMEOUT_MS });
        const shot = path.join(session.dirs.artifacts, 'density.png');
        await frame.locator('#density').screenshot({ path: shot, animations: 'disabled' });
        publish(shot, 'density.png');
        await frame.locator('.chart-card').scrollIntoViewIfNeeded();
        const result = path.join(session.dirs.artifacts, 'density-result.png');
        await page.screenshot({ path: result, animations: 'disabled' });
        publish(result, 'density-result.png');

        // HDBSCAN from the same form: its membership strength in the annotations.
        const hd = hdbscanTable(table, { ...base, minClusterSize: 10, minSamples: 5 });
        await frame.locator('#d-method').selectOption('hdbscan');
        await frame.locator('#d-min-cluster-size').fill('10');
        await frame.locator('#d-run').click();
        const hbody = frame.locator(`body[data-run="${run + 1}"][data-method="hdbscan"][data-drawn="yes"]`);
        await hbody.waitFor({ timeout: 120_000 });
        assert.equal(await frame.locator('#method-badge').textContent(), 'HDBSCAN');
        assert.match((await frame.locator('#legend li[data-cluster="noise"]').textContent()) ?? '', new RegExp(`^noise \\(${hd.nNoise}\\)`));
        await goToLine(page, 2);
        for (let i = 0; i < 5; i++) {
          const l = hd.labels[i] as number;
          const want = l < 0 ? '◀ noise' : `◀ cluster ${l} · p=${(hd.probabilities[i] as number).toFixed(2)}`;
          assert.equal(await wb.waitForLineAfter(page, rows[i], /◀ (noise|cluster \d+ · p=)/), `"${want}"`, `data row ${i} (HDBSCAN)`);
        }
        const hshot = path.join(session.dirs.artifacts, 'hdbscan-result.png');
        await page.screenshot({ path: hshot, animations: 'disabled' });

        // A k-means run replaces it everywhere: panel, annotations, Density view.
        await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
        await wb.runFromPalette(page, 'Centroid: Cluster this CSV');
        await frame.locator(`body[data-run="${run + 2}"][data-method="k-means"][data-drawn="yes"]`).waitFor({ timeout: 120_000 });
        assert.equal(await frame.locator('#legend li[data-cluster="noise"]').count(), 0);
        assert.match((await frame.locator('#density-result').textContent()) ?? '', /^The k-means result of run #\d+ replaced the last density result/);
        for (let i = 0; i < 5; i++) assert.match(await wb.waitForLineAfter(page, rows[i], /· d=/), /^"◀ cluster \d+ · d=/, `data row ${i} (k-means)`);
        assert.deepEqual(await wb.afterTexts(page, 'noise'), [], 'no row still says noise');
        assert.deepEqual(await wb.afterTexts(page, 'p='), [], 'no row still shows a membership strength');
      });
    }
  });
}
