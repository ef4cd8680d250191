/**
 * The panel at its default width, and a gallery of the main views, in the dark, light and
 * high-contrast themes (one session per theme). After a fit of iris.csv the panel's title is
 * whole ("Clusters: iris.csv", not cut with an ellipsis) and no toolbar button wraps onto a
 * second line of text; then screenshots of the cluster panel, the CSV editor with its
 * annotations, and the label map (Map Clusters to Labels…) go to the run's artifacts as
 * gallery-<view>-<theme>.png, to be looked at.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { sessionHooks, THEMES } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'iris.csv';

const CASES = [
  { theme: THEMES.dark, slug: 'dark' },
  { theme: THEMES.light, slug: 'light' },
  { theme: THEMES.highContrast, slug: 'high-contrast' },
];

interface BarBox { text: string; scrollWidth: number; clientWidth: number; lineHeight: number; height: number }

/** The title's and each toolbar button's text, widths, line height and height, as laid out now. */
async function barBoxes(frame: FrameLocator): Promise<{ title: BarBox; buttons: BarBox[] }> {
  return frame.locator('header.bar').evaluate((node: unknown) => {
    interface El { textContent: string | null; scrollWidth: number; clientWidth: number; getBoundingClientRect(): { height: number }; querySelectorAll(s: string): Iterable<El>; querySelector(s: string): El | null; hidden: boolean }
    const g = globalThis as unknown as { getComputedStyle(e: El): { lineHeight: string; fontSize: string; display: string } };
    const bar = node as El;
    const title = bar.querySelector('#title');
    if (!title) throw new Error('the bar has no #title');
    const buttons = [...bar.querySelectorAll('button')].filter((b) => !b.hidden && g.getComputedStyle(b).display !== 'none');
    // No named helpers here: the test's compiler would wrap them in one the page lacks.
    const boxes = [title, ...buttons].map((e) => {
      const style = g.getComputedStyle(e);
      // "normal" line height is about 1.2 em.
      const lineHeight = style.lineHeight === 'normal' ? 1.2 * parseFloat(style.fontSize) : parseFloat(style.lineHeight);
      return { text: (e.textContent ?? '').trim(), scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, lineHeight, height: e.getBoundingClientRect().height };
    });
    return { title: boxes[0], buttons: boxes.slice(1) };
  });
}

/** A screenshot of the panel's iframe. */
async function shootPanel(page: Page, dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: file, animations: 'disabled' });
  return file;
}

for (const c of CASES) {
  describe(`The panel's bar and the gallery (${c.slug} theme)`, function () {
    this.timeout(150_000);
    const current = sessionHooks(`e2e-gallery-${c.slug}`, () => {
      const vsix = packagedVsix();
      return { workspace: makeWorkspace(), vsix: [vsix], theme: c.theme, file: FILE };
    });

    it(`at the default width the title is whole and no toolbar button wraps (${c.slug})`, async () => {
      const { page } = current();
      await wb.explorerRow(page, FILE).click();
      await wb.editorTab(page, FILE).first().waitFor();
      await wb.runFromPalette(page, 'Centroid: Cluster this CSV');
      const frame = wb.webviewFrame(page, EXTENSION_ID);
      await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
      const width = await wb.webviewElement(page, EXTENSION_ID).evaluate((e: unknown) => (e as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width);
      const { title, buttons } = await barBoxes(frame);
      console.log(`      panel ${Math.round(width)} px wide; title ${title.clientWidth}/${title.scrollWidth} px; buttons ${buttons.map((b) => `${b.text} ${b.height.toFixed(0)}px`).join(', ')}`);
      assert.equal(title.text, `Clusters: ${FILE}`);
      assert.ok(title.scrollWidth <= title.clientWidth, `the title is cut: ${title.scrollWidth} px of text in ${title.clientWidth} px`);
      assert.ok(buttons.length >= 4, `only ${buttons.length} buttons in the bar`);
      for (const b of buttons) {
        assert.ok(b.height <= 1.6 * b.lineHeight + 12, `"${b.text}" is ${b.height} px high: more than one line of ${b.lineHeight} px (plus padding)`);
        assert.ok(b.scrollWidth <= b.clientWidth, `"${b.text}" is cut: ${b.scrollWidth} px of text in ${b.clientWidth} px`);
      }
    });

    it(`gallery: the panel, the editor with annotations, and the label map (${c.slug})`, async () => {
      const session = current();
      const { page } = session;
      const dir = session.dirs.artifacts;
      const frame = wb.webviewFrame(page, EXTENSION_ID);
      const shots = [await shootPanel(page, dir, `gallery-panel-${c.slug}.png`)];

      await wb.editorTab(page, FILE).first().click();
      await wb.waitForAfterText(page, 'cluster ', 60_000);
      shots.push(await session.screenshot(`gallery-editor-${c.slug}.png`));

      await wb.choosePaletteCommand(page, 'Centroid: Map Clusters to Labels…');
      await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'species' }).first().waitFor({ timeout: 60_000 });
      await page.keyboard.press('Enter');
      await frame.locator('body[data-labelmap="1"]').waitFor({ timeout: 60_000 });
      const section = frame.locator('#label-map-section');
      await section.waitFor({ state: 'visible', timeout: wb.STEP_TIMEOUT_MS });
      // Its heading just below the sticky bar (scrollIntoView would put it under the bar).
      await section.evaluate((e: unknown) => {
        interface Box { getBoundingClientRect(): { top: number; bottom: number } }
        const el = e as Box & { ownerDocument: { querySelector(s: string): Box | null; defaultView: { scrollBy(x: number, y: number): void } } };
        const bar = el.ownerDocument.querySelector('header.bar');
        el.ownerDocument.defaultView.scrollBy(0, el.getBoundingClientRect().top - (bar ? bar.getBoundingClientRect().bottom : 0) - 8);
      });
      shots.push(await shootPanel(page, dir, `gallery-labelmap-${c.slug}.png`));
      console.log(`      ${shots.join('\n      ')}`);
    });
  });
}
