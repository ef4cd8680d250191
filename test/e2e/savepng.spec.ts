/**
 * Two things a user sees after more than one step in the cluster panel (dark theme, iris.csv):
 * Save PNG pressed from the keyboard while a point's tooltip is open writes an image without
 * that tooltip, with the file, method and k above the chart and a swatch per cluster below it;
 * and a Choose k view left above a later fit from the form (another k) is marked as older than
 * that fit, until Choose k runs again. The PNG is decoded here (zlib and the PNG filters).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { FrameLocator, Page } from 'playwright-core';
import { sessionHooks, THEMES } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'iris.csv';

interface Rgba { width: number; height: number; data: Uint8Array }

/** Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what a canvas's toDataURL writes). */
function decodePng(bytes: Buffer): Rgba {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'not a PNG');
  let o = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (o < bytes.length) {
    const length = bytes.readUInt32BE(o);
    const type = bytes.subarray(o + 4, o + 8).toString('latin1');
    const body = bytes.subarray(o + 8, o + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      assert.equal(body[8], 8, 'bit depth');
      assert.equal(body[12], 0, 'interlace');
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      assert.ok(channels > 0, `colour type ${body[9]}`);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    o += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? cur[x - channels] : 0;
      const b = prev[x];
      const c = x >= channels ? prev[x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < 4; ch++) out[4 * (y * width + x) + ch] = ch < channels ? cur[x * channels + ch] : 255;
    }
    prev = cur;
  }
  return { width, height, data: out };
}

/**
 * Pixels of chart.js's default tooltip box (black at 80% over the background): near-black,
 * opaque in a saved PNG; in the live canvas, black with alpha about 204.
 */
function tooltipPixels(img: Rgba, live: boolean): number {
  let n = 0;
  for (let p = 0; p < img.width * img.height; p++) {
    const [r, g, b, a] = img.data.subarray(4 * p, 4 * p + 4);
    if (r <= 8 && g <= 8 && b <= 8 && (live ? Math.abs(a - 204) <= 3 : a === 255)) n++;
  }
  return n;
}

/** The scatter canvas's pixels as they are now. */
async function canvasPixels(frame: FrameLocator): Promise<Rgba & { clientWidth: number }> {
  const got = await frame.locator('#scatter').evaluate((node: unknown) => {
    const c = node as { width: number; height: number; clientWidth: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
    return { width: c.width, height: c.height, clientWidth: c.clientWidth, data: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data) };
  });
  return { ...got, data: Uint8Array.from(got.data) };
}

/** A point alone on the canvas (a pixel drawn once, at 70% opacity), in CSS pixels of the canvas. */
function lonePoint(img: Rgba & { clientWidth: number }): { x: number; y: number } {
  const ratio = img.width / img.clientWidth;
  for (let p = 0; p < img.width * img.height; p++) {
    if (Math.abs(img.data[4 * p + 3] - 179) > 3) continue;
    const x = p % img.width;
    const y = Math.floor(p / img.width);
    // The centre of the point is two device pixels in from its first pixel in reading order.
    return { x: x / ratio, y: (y + 2) / ratio };
  }
  throw new Error('no point drawn on its own');
}

async function waitForFile(page: Page, file: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    if (Date.now() > deadline) throw new Error(`${file} was not written`);
    await page.waitForTimeout(100);
  }
}

describe('Save PNG with a tooltip open, and a Choose k view older than the fit below it (savepng)', function () {
  this.timeout(180_000);
  let workspace = '';
  const current = sessionHooks('e2e-savepng', () => {
    const vsix = packagedVsix();
    workspace = makeWorkspace();
    return { workspace, vsix: [vsix], theme: THEMES.dark, file: FILE };
  });

  it('Save PNG from the keyboard with a tooltip open: no tooltip in the image, a caption above and a legend below', async () => {
    const session = current();
    const { page } = session;
    await wb.explorerRow(page, FILE).click();
    await wb.editorTab(page, FILE).first().waitFor();
    await wb.runFromPalette(page, 'Centroid: Cluster this CSV');
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });

    const before = await canvasPixels(frame);
    assert.equal(tooltipPixels(before, true), 0, 'a tooltip is open before any hover');
    const at = lonePoint(before);
    await frame.locator('#scatter').hover({ position: at });
    let hovered = await canvasPixels(frame);
    for (let i = 0; i < 50 && tooltipPixels(hovered, true) < 500; i++) {
      await page.waitForTimeout(100);
      hovered = await canvasPixels(frame);
    }
    const open = tooltipPixels(hovered, true);
    assert.ok(open >= 500, `the tooltip did not open at ${JSON.stringify(at)} (${open} tooltip pixels)`);
    await session.screenshot('savepng-tooltip-open.png');

    // From the keyboard, so the mouse stays over the point and the tooltip stays open.
    await frame.locator('#save-png').focus();
    await page.keyboard.press('Enter');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    await page.waitForFunction(() => {
      const g = globalThis as unknown as wb.PageGlobals;
      const box = g.document.querySelector('.quick-input-widget .quick-input-box input') as unknown as { value: string } | null;
      return /iris\.clusters[^/]*\.png$/.test(box?.value ?? '');
    }, undefined, { timeout: wb.STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    const target = path.join(workspace, 'iris.clusters.png');
    await waitForFile(page, target);
    const bytes = fs.readFileSync(target);
    fs.copyFileSync(target, path.join(session.dirs.artifacts, 'savepng-saved.png'));
    const img = decodePng(bytes);
    console.log(`      canvas ${before.width} x ${before.height}; saved image ${img.width} x ${img.height}; tooltip pixels on screen ${open}, in the image ${tooltipPixels(img, false)}`);
    const problems = [
      ...(tooltipPixels(img, false) >= 50 ? [`the saved image holds the tooltip (${tooltipPixels(img, false)} pixels of its box)`] : []),
      ...(img.height <= before.height + 20 ? [`the image (${img.height} px high) has no room for a caption and legend beyond the chart's ${before.height} px`] : []),
    ];
    assert.deepEqual(problems, []);
    assert.equal(img.width, before.width, 'the image is as wide as the chart');

    // Above the chart: a row with text in the theme's text colour; below: the legend's swatches.
    const ratio = before.width / before.clientWidth;
    const top = Math.round(38 * ratio);
    let captionInk = 0;
    for (let p = 0; p < img.width * top; p++) if (img.data[4 * p] > 150 && img.data[4 * p + 1] > 150 && img.data[4 * p + 2] > 150) captionInk++;
    assert.ok(captionInk > 100, `no caption text above the chart (${captionInk} light pixels)`);
  });

  it('a Choose k view above a later fit from the form is marked as older than that run', async () => {
    const { page } = current();
    await wb.editorTab(page, `Clusters: ${FILE}`).first().click();
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await frame.locator('#choose-k').click();
    const title = page.locator('.quick-input-widget .quick-input-title');
    for (const step of ['(1/3)', '(2/3)', '(3/3)']) {
      await title.filter({ hasText: step }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
      await page.keyboard.press('Enter');
    }
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: wb.STEP_TIMEOUT_MS });
    const view = frame.locator('#choosek[data-state="done"]');
    await view.waitFor({ timeout: 120_000 });
    assert.notEqual(await view.getAttribute('data-stale'), 'yes', 'a fresh Choose k view is marked stale');

    const run = Number(await frame.locator('body').getAttribute('data-run'));
    await frame.locator('#f-k').fill('5');
    await frame.getByRole('button', { name: 'Run', exact: true }).click();
    await frame.locator(`body[data-run="${run + 1}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#legend li').count(), 5);
    assert.equal(await frame.locator('#choosek').isVisible(), true, 'the Choose k view is still shown');
    const stale = frame.locator('#choosek[data-stale="yes"]');
    await stale.waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    const sentence = (await frame.locator('#choosek-stale').textContent()) ?? '';
    assert.match(sentence, new RegExp(`computed before run #${run + 1}\\b.*Choose k`), sentence);
    const opacity = await frame.locator('#choosek table').first().evaluate((e: unknown) => Number((globalThis as unknown as { getComputedStyle(x: unknown): { opacity: string } }).getComputedStyle(e).opacity));
    assert.ok(opacity < 1, `the old scores are not dimmed (opacity ${opacity})`);
    // The view's top (heading and the sentence) just below the sticky bar, for the screenshot.
    await frame.locator('#choosek').evaluate((e: unknown) => {
      interface Box { getBoundingClientRect(): { top: number; bottom: number } }
      const el = e as Box & { ownerDocument: { querySelector(s: string): Box | null; defaultView: { scrollBy(x: number, y: number): void } } };
      const bar = el.ownerDocument.querySelector('header.bar');
      el.ownerDocument.defaultView.scrollBy(0, el.getBoundingClientRect().top - (bar ? bar.getBoundingClientRect().bottom : 0) - 8);
    });
    await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: path.join(current().dirs.artifacts, 'savepng-choosek-stale.png'), animations: 'disabled' });
  });
});
