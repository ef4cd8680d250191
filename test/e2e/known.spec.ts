/**
 * "Start from Known Centres…" end to end, in the packaged .vsix in code-server: a CSV of three
 * blobs (generated here from a seeded Rng) and a centres file that leaves one coordinate of one
 * centre empty. The command from the palette, the open dialog answered by typing the path (in
 * code-server it is a quick input), k and the freeze question answered with Enter (and "Yes").
 * The panel's final centres must equal a direct engine call in this process
 * (partialInitCenters, then kmeansFit, frozen or not), frozen coordinates must not move, a
 * re-run from the form keeps the centres and switching Init to k-means++ drops them. A centres
 * file naming a column the data lacks is refused in one sentence. Screenshots in three themes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { Rng } from '../../src/engine/rng';
import { kmeansFit } from '../../src/engine/kmeans';
import { partialInitCenters } from '../../src/engine/partialInit';
import { defaultOptions, publish } from './docs';
import { sessionHooks, THEMES } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'three_blobs.csv';
const CENTRES = 'known_centres.csv';
const BAD_CENTRES = 'wrong_column.csv';
/** Centre 1's y is not given: it is derived from the data. */
const GIVEN: (number | null)[][] = [[2, 1.5], [8, null], [1.5, 8]];
const CENTRES_CSV = 'x,y\n2,1.5\n8,\n1.5,8\n';

/** Three round blobs of 60 rows around (0, 0), (10, 0) and (0, 10). */
function threeBlobs(seed: number): { text: string; X: number[][] } {
  const rng = new Rng(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
  const means = [[0, 0], [10, 0], [0, 10]];
  const lines = ['x,y'];
  const X: number[][] = [];
  for (let i = 0; i < 180; i++) {
    const [cx, cy] = means[i % 3];
    const row = [Number((cx + normal()).toFixed(4)), Number((cy + normal()).toFixed(4))];
    X.push(row);
    lines.push(row.join(','));
  }
  return { text: `${lines.join('\n')}\n`, X };
}

/** The engine alone: complete the given centres from the data, then k-means from them. */
function direct(X: number[][], freeze: boolean): number[][] {
  const o = defaultOptions('');
  const M = { data: Float64Array.from(X.flat()), nRows: X.length, nCols: 2 };
  const start = partialInitCenters(M, GIVEN, o.seed ?? 0);
  const fit = kmeansFit(M, {
    nClusters: 3, init: start.centers, nInit: 1, maxIter: o.maxIter ?? 300, tol: o.tol ?? 1e-4,
    algorithm: o.algorithm ?? 'lloyd', seed: o.seed ?? 0, frozen: freeze ? start.frozen : undefined,
  });
  return [0, 1, 2].map((j) => Array.from(fit.clusterCenters.data.subarray(2 * j, 2 * j + 2)));
}

/** Runs the command from the palette and answers the dialog with `centresPath`. */
async function startFromKnown(page: Page, centresPath: string): Promise<void> {
  await wb.choosePaletteCommand(page, 'Centroid: Start from Known Centres…');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // code-server's open dialog is a quick input holding a path: type the file's, then Enter.
  await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Known centres for' }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
  // The dialog ignores Enter while it is still listing the folder for the typed path, and may
  // then show the folder alone: type the path again and press Enter until the dialog is gone
  // (waiting on that each time, up to the step time-out).
  const dialog = page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Known centres for' });
  const deadline = Date.now() + wb.STEP_TIMEOUT_MS;
  for (;;) {
    await input.fill(centresPath);
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: path.basename(centresPath) }).first().waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    try {
      await dialog.waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** The final centres of the Starting centres section, per cluster and feature. */
async function sectionCentres(frame: FrameLocator, key: 'final' | 'start'): Promise<number[][]> {
  const out: number[][] = [[], [], []];
  for (let j = 0; j < 3; j++) {
    for (const [t, feature] of ['x', 'y'].entries()) {
      const v = await frame.locator(`#known tr[data-cluster="${j}"][data-feature="${feature}"] td.${key}`).getAttribute('data-value');
      out[j][t] = Number(v);
    }
  }
  return out;
}

function close(actual: number[][], expected: number[][], what: string): void {
  actual.forEach((row, j) => row.forEach((v, t) => assert.ok(Math.abs(v - expected[j][t]) <= 1e-9 * (1 + Math.abs(expected[j][t])),
    `${what}: centre ${j}, coordinate ${t}: ${v} in the panel, ${expected[j][t]} from the engine`)));
}

const CASES = [
  { theme: THEMES.dark, slug: 'dark', full: true },
  { theme: THEMES.light, slug: 'light', full: false },
  { theme: THEMES.highContrast, slug: 'high-contrast', full: false },
];

for (const c of CASES) {
  describe(`Start from known centres end to end (${c.slug} theme)`, function () {
    this.timeout(240_000);
    let workspace = '';
    let X: number[][] = [];
    let run = 0;

    const current = sessionHooks(`e2e-known-${c.slug}`, () => {
      const vsix = packagedVsix();
      const blobs = threeBlobs(20_261_129);
      X = blobs.X;
      workspace = makeWorkspace({ [FILE]: blobs.text, [CENTRES]: CENTRES_CSV, [BAD_CENTRES]: 'x,z\n1,2\n' });
      return { workspace, vsix: [vsix], theme: c.theme, file: FILE };
    });

    const freezes = c.full ? [false, true] : [false];
    for (const freeze of freezes) {
      it(`palette > Start from Known Centres… gives the engine's centres (${freeze ? 'kept fixed' : 'not fixed'}, ${c.slug})`, async () => {
        const session = current();
        const { page } = session;
        await wb.explorerRow(page, FILE).click();
        await wb.editorTab(page, FILE).first().waitFor();
        await startFromKnown(page, path.join(workspace, CENTRES));

        const input = page.locator('.quick-input-widget .quick-input-box input');
        const title = page.locator('.quick-input-widget .quick-input-title');
        await title.filter({ hasText: '(1/2)' }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
        assert.equal(await input.inputValue(), '3', 'k starts on max(3 centre rows, the default k)');
        await page.keyboard.press('Enter');
        await title.filter({ hasText: '(2/2)' }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
        const first = page.locator('.quick-input-widget .monaco-list-row').first();
        assert.match((await first.textContent()) ?? '', /^No/, 'No is offered first');
        if (freeze) await input.fill('Yes');
        await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: freeze ? 'Yes' : 'No' }).first().waitFor({ timeout: wb.STEP_TIMEOUT_MS });
        await page.keyboard.press('Enter');
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: wb.STEP_TIMEOUT_MS });

        run++;
        const frame = wb.webviewFrame(page, EXTENSION_ID);
        await frame.locator(`body[data-run="${run}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 120_000 });
        assert.equal(await frame.locator('#known-section').isVisible(), true, 'the Starting centres section is shown');
        const expected = direct(X, freeze);
        close(await sectionCentres(frame, 'final'), expected, 'final centres in Starting centres');
        const table: number[][] = [];
        for (let j = 0; j < 3; j++) {
          const cells = await frame.locator(`#centers tr[data-cluster="${j}"] td[data-value]`).evaluateAll((nodes: unknown[]) => nodes.map((n) => Number((n as { getAttribute(a: string): string }).getAttribute('data-value'))));
          table.push(cells);
        }
        close(table, expected, 'the Centres table');
        // Given coordinates: marked as such, started where the file says; frozen ones never moved.
        const start = await sectionCentres(frame, 'start');
        const final = await sectionCentres(frame, 'final');
        GIVEN.forEach((row, j) => row.forEach((v, t) => {
          if (v === null) return;
          assert.equal(start[j][t], v, `centre ${j} starts at the given ${v}`);
          if (freeze) assert.equal(final[j][t], v, `centre ${j}, coordinate ${t} kept fixed at ${v}`);
        }));
        if (!freeze) assert.ok(GIVEN.some((row, j) => row.some((v, t) => v !== null && final[j][t] !== v)), 'not fixed: given coordinates move');
        assert.equal(await frame.locator('#known tr[data-kind="derived"]').count(), 1, 'one derived coordinate');
        assert.equal(await frame.locator(`#known tr[data-kind="${freeze ? 'fixed' : 'given'}"]`).count(), 5);
        assert.equal(await frame.locator('#known tr[data-cluster="1"][data-feature="y"] td.source').textContent(), 'derived from the data');
        assert.equal(await frame.locator('#known tr[data-cluster="0"][data-feature="x"] td.source').textContent(), freeze ? 'given, kept fixed' : 'given');
        assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 1000, 'the scatter plot is drawn');
        assert.equal(await frame.locator('#f-init').inputValue(), '\u0000known', 'the form\'s Init says known centres');
        assert.equal(await frame.locator('#f-init option:checked').textContent(), `known centres (${CENTRES})`);

        if (!freeze) {
          // The progress notification closes once the run is over; keep it out of the picture.
          await page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Clustering' }).waitFor({ state: 'detached', timeout: wb.STEP_TIMEOUT_MS });
          // The picture for the docs: the CSV editor closed, so the panel's group takes the width,
          // and a window tall enough for the chart and the Starting centres section together.
          const csvTab = page.locator('.tabs-container .tab').filter({ hasText: /^three_blobs\.csv/ });
          await csvTab.click({ button: 'middle' });
          await csvTab.waitFor({ state: 'detached' });
          const viewport = page.viewportSize();
          await page.setViewportSize({ width: 1400, height: 1500 });
          try {
            await page.waitForFunction(() => {
              const g = globalThis as unknown as wb.PageGlobals;
              const frames = [...g.document.querySelectorAll('iframe.webview.ready')] as unknown as { getBoundingClientRect(): { width: number; height: number } }[];
              return frames.some((f) => f.getBoundingClientRect().width > 900 && f.getBoundingClientRect().height > 1200);
            }, undefined, { timeout: wb.STEP_TIMEOUT_MS });
            await frame.locator('body[data-drawn="yes"]').waitFor({ timeout: wb.STEP_TIMEOUT_MS });
            await frame.locator('body').evaluate((node: unknown) => (node as { ownerDocument: { defaultView: { scrollTo(x: number, y: number): void } } }).ownerDocument.defaultView.scrollTo(0, 0));
            const shot = path.join(session.dirs.artifacts, `known-centres-${c.slug}.png`);
            await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: shot, animations: 'disabled' });
            publish(shot, c.slug === 'dark' ? 'known-centres.png' : `known-centres-${c.slug}.png`);
          } finally {
            if (viewport) await page.setViewportSize(viewport);
          }
        }
      });
    }

    if (c.full) {
      it('Run in the form keeps the known centres; Init k-means++ drops them', async () => {
        const session = current();
        const { page } = session;
        const frame = wb.webviewFrame(page, EXTENSION_ID);
        await frame.locator('#run').click();
        run++;
        await frame.locator(`body[data-run="${run}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 120_000 });
        assert.equal(await frame.locator('#known-section').isVisible(), true, 'still from the known centres');
        close(await sectionCentres(frame, 'final'), direct(X, true), 'the re-run');

        await frame.locator('#f-init').selectOption('k-means++');
        await frame.locator('#run').click();
        run++;
        await frame.locator(`body[data-run="${run}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 120_000 });
        assert.equal(await frame.locator('#known-section').isHidden(), true, 'no Starting centres after k-means++');
        assert.equal(await frame.locator('#f-init option').count(), 2, 'the known entry is gone from Init');
      });

      it('a centres file naming a column the data lacks is refused in one sentence', async () => {
        const session = current();
        const { page } = session;
        await wb.explorerRow(page, FILE).click();
        await wb.editorTab(page, FILE).first().waitFor();
        await startFromKnown(page, path.join(workspace, BAD_CENTRES));
        const text = await wb.waitForNotification(page, `${BAD_CENTRES}, column "z"`);
        assert.match(text, new RegExp(`${BAD_CENTRES.replace('.', '\\.')}, column "z": ${FILE.replace('.', '\\.')} has no such column \\(its columns are "x", "y"\\)\\.`));
        assert.ok(fs.existsSync(path.join(workspace, BAD_CENTRES)));
      });
    }
  });
}
