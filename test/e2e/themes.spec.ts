/**
 * The cluster panel in VS Code's light and high-contrast themes (cluster.spec.ts covers the
 * default dark one): the chart is drawn, and the panel's text takes the theme's colours with
 * readable contrast, which only holds when the webview styles itself from the theme's CSS
 * variables. Screenshots of each go to the artifacts (and docs/images when missing).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { publish } from './docs';
import { sessionHooks, THEMES } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';

/** [r, g, b] in 0..255 from "rgb(…)", "rgba(…)" or "#rrggbb"; null for a transparent colour. */
function parseColour(css: string): [number, number, number] | null {
  const s = css.trim();
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})?$/i.exec(s);
  if (hex) return hex[4] === '00' ? null : [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const fn = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$/.exec(s);
  if (!fn) throw new Error(`cannot read the colour "${css}"`);
  if (fn[4] !== undefined && Number(fn[4]) === 0) return null;
  return [Number(fn[1]), Number(fn[2]), Number(fn[3])];
}

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number): number => {
    const x = c / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio, 1 to 21. */
function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const CASES = [
  { theme: THEMES.light, slug: 'light', background: (l: number) => l > 0.6 },
  { theme: THEMES.highContrast, slug: 'high-contrast', background: (l: number) => l < 0.05 },
];

for (const c of CASES) {
  describe(`Centroid's panel in the "${c.theme}" theme`, function () {
    this.timeout(120_000);
    const current = sessionHooks(`e2e-${c.slug}`, () => {
      const vsix = packagedVsix();
      const workspace = makeWorkspace();
      return { workspace, vsix: [vsix], theme: c.theme, file: 'iris.csv' };
    });

    it('draws the chart and shows text in the theme\'s colours with readable contrast', async () => {
      const session = current();
      const { page } = session;
      await wb.explorerRow(page, 'iris.csv').click();
      await wb.editorTab(page, 'iris.csv').first().waitFor();
      await wb.runFromPalette(page, 'Centroid: Cluster this CSV');
      const frame = wb.webviewFrame(page, EXTENSION_ID);
      await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
      assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 1000, 'the chart is not drawn');

      const colours = await frame.locator('body').evaluate((node: unknown) => {
        const g = globalThis as unknown as {
          getComputedStyle(e: unknown): { backgroundColor: string; color: string; getPropertyValue(name: string): string };
        };
        const body = node as wb.PageElement & { parentElement: unknown };
        const title = body.querySelector('#title') ?? body;
        return {
          text: g.getComputedStyle(title).color,
          body: g.getComputedStyle(body).backgroundColor,
          html: g.getComputedStyle(body.parentElement).backgroundColor,
          editor: g.getComputedStyle(body.parentElement).getPropertyValue('--vscode-editor-background'),
        };
      });
      // The webview is transparent unless it paints a background: then the editor's shows through.
      const background = parseColour(colours.body) ?? parseColour(colours.html) ?? parseColour(colours.editor);
      assert.ok(background, `no background colour: ${JSON.stringify(colours)}`);
      const text = parseColour(colours.text);
      assert.ok(text, `transparent text: ${JSON.stringify(colours)}`);
      assert.ok(c.background(luminance(background)), `background ${JSON.stringify(colours)} does not look like the ${c.theme} theme`);
      const ratio = contrast(text, background);
      assert.ok(ratio >= 4.5, `title text contrast ${ratio.toFixed(2)} < 4.5 (${JSON.stringify(colours)})`);

      const panel = path.join(session.dirs.artifacts, `panel-${c.slug}.png`);
      await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: panel, animations: 'disabled' });
      publish(panel, `panel-${c.slug}.png`);
    });
  });
}
