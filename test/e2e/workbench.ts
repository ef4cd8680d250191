/**
 * Playwright steps on the VS Code 1.100 web workbench (code-server 4.100.3): the selectors
 * and waits that test/e2e/README.md describes. Every wait is on a selector, a function or an
 * event with a time-out; the only fixed pause is the 250 ms between context-menu retries.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

/**
 * The few browser names the page functions below use, typed here because this code is
 * type-checked with Node's libraries (no DOM). Inside a page function, reach them through
 * `globalThis as unknown as PageGlobals`.
 */
export interface PageElement {
  readonly textContent: string | null;
  readonly classList: Iterable<string>;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}
export interface PageGlobals {
  document: PageElement;
  getComputedStyle(element: PageElement, pseudo?: string): { content: string };
}
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Default time-out of the waits below. */
export const STEP_TIMEOUT_MS = 30_000;

/** Waits until the workbench is up and the explorer shows `fileName`. */
export async function waitForWorkbench(page: Page, fileName: string): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await explorerRow(page, fileName).waitFor({ timeout: 60_000 });
}

/** The explorer row of a file at the workspace's top level. */
export function explorerRow(page: Page, fileName: string): Locator {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${cssString(fileName)}"]`);
}

/** The editor tab whose label contains `text`. */
export function editorTab(page: Page, text: string): Locator {
  return page.locator('.tabs-container .tab').filter({ hasText: text });
}

/**
 * Right-clicks `target` and runs the context-menu item `label`. The item exists only once the
 * extension host has registered the extension's menus, so the menu is closed and opened
 * again (250 ms apart, at most ~40 times) until the item is there.
 */
export async function runContextMenuItem(page: Page, target: Locator, label: string): Promise<void> {
  const item = page.locator('.monaco-menu .action-item:not(.disabled) .action-label').filter({ hasText: label });
  for (let i = 0; ; i++) {
    await target.click({ button: 'right' });
    await page.locator('.monaco-menu .action-item').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    if (await item.count()) break;
    if (i >= 40) throw new Error(`"${label}" never appeared in the context menu`);
    await page.keyboard.press('Escape');
    await page.locator('.monaco-menu').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    await page.waitForTimeout(250);
  }
  // A click that lands while the menu is still settling is sometimes ignored and leaves it
  // open: click again while the item is still there.
  const menu = page.locator('.monaco-menu').first();
  for (let i = 0; ; i++) {
    if (await item.count()) await item.first().click({ timeout: 5_000 }).catch(() => undefined);
    try {
      await menu.waitFor({ state: 'detached', timeout: 5_000 });
      return;
    } catch (e) {
      if (i >= 3) throw e;
    }
  }
}

/**
 * Opens the command palette (F1), types `commandTitle` ("Category: Title") and presses Enter on
 * its row; what the command shows next is the caller's. The palette closes when the focus
 * moves while it opens (an editor or webview still settling after a click, which a fast machine
 * reaches first): it is then opened again, up to four times.
 */
export async function choosePaletteCommand(page: Page, commandTitle: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: commandTitle }).first();
  for (let attempt = 1; ; attempt++) {
    const wait = attempt < 4 ? 5_000 : STEP_TIMEOUT_MS;
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ timeout: wait });
      await input.fill(`>${commandTitle}`, { timeout: wait });
      await row.waitFor({ timeout: wait });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
      await page.waitForTimeout(250);
    }
  }
  await page.keyboard.press('Enter');
}

/** Runs `commandTitle` ("Category: Title") from the command palette (F1). */
export async function runFromPalette(page: Page, commandTitle: string): Promise<void> {
  await choosePaletteCommand(page, commandTitle);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

/**
 * The document inside the newest webview of `extensionId` ("publisher.name"): an outer host
 * iframe, then the inner #active-frame that holds the extension's HTML.
 */
export function webviewFrame(page: Page, extensionId: string): FrameLocator {
  return page.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).last().frameLocator('#active-frame');
}

/** The outer iframe of the newest webview of `extensionId`, for screenshots of the panel. */
export function webviewElement(page: Page, extensionId: string): Locator {
  return page.locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).last();
}

/** Pixels of a canvas whose alpha is not zero: proof that something was drawn on it. */
export async function inkedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((node: unknown) => {
    const c = node as CanvasLike;
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });
}

/**
 * Waits until an editor line shows decoration text containing `text`. Decoration text is a
 * CSS ::after on a span of the line, so it is not in textContent.
 */
export async function waitForAfterText(page: Page, text: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await page.waitForFunction((wanted) => {
    const g = globalThis as unknown as PageGlobals;
    return [...g.document.querySelectorAll('.monaco-editor .view-line span')].some((e) => g.getComputedStyle(e, '::after').content.includes(wanted));
  }, text, { timeout });
}

/** The ::after texts of the editor's lines that contain `text` (as CSS strings, quoted). */
export async function afterTexts(page: Page, text: string): Promise<string[]> {
  return page.evaluate((wanted) => {
    const g = globalThis as unknown as PageGlobals;
    return [...g.document.querySelectorAll('.monaco-editor .view-line span')].map((e) => g.getComputedStyle(e, '::after').content).filter((c) => c.includes(wanted));
  }, text);
}

/** Notification toasts now on screen, with their severity (codicon class) and message. */
export async function toasts(page: Page): Promise<{ severity: string; message: string }[]> {
  return page.locator('.notifications-toasts .notification-toast').evaluateAll((nodes: unknown[]) => (nodes as PageElement[]).map((n) => {
    const icon = n.querySelector('.notification-list-item-icon');
    const severity = icon ? ([...icon.classList].find((c) => /^codicon-(info|warning|error)$/.test(c)) ?? '') : '';
    const message = n.querySelector('.notification-list-item-message')?.textContent ?? '';
    return { severity: severity.replace('codicon-', ''), message };
  }));
}

/** The toast locator for a severity ('info' | 'warning' | 'error'). */
export function toastOf(page: Page, severity: 'info' | 'warning' | 'error'): Locator {
  return page.locator('.notifications-toasts .notification-toast').filter({ has: page.locator(`.notification-list-item-icon.codicon-${severity}`) });
}

function cssString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Waits for a notification whose message contains `text`: as a toast, or, when the toast has already
 * been hidden (VS Code hides toasts on its own), in the notification center, which it then closes.
 * Returns the notification's text.
 */
export async function waitForNotification(page: Page, text: string, timeout = STEP_TIMEOUT_MS): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
  try {
    await toast.waitFor({ timeout: Math.min(timeout, 5_000) });
    return (await toast.textContent()) ?? '';
  } catch {
    await runFromPalette(page, 'Notifications: Show Notifications');
    const item = page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first();
    await item.waitFor({ timeout });
    const content = (await item.textContent()) ?? '';
    await runFromPalette(page, 'Notifications: Hide Notifications');
    return content;
  }
}

/** Row counts shown in a panel's legend, cluster by cluster ("Cluster 0 · 62 rows (…)"). */
export async function legendCounts(frame: FrameLocator): Promise<number[]> {
  const items = await frame.locator('#legend li[data-cluster]').allTextContents();
  return items.map((text) => {
    const m = /·\s*([\d,\u202f\u00a0]+)\s+rows?\b/.exec(text);
    if (!m) throw new Error(`no row count in the legend entry "${text}"`);
    return Number(m[1].replace(/[^\d]/g, ''));
  });
}

/** The ::after texts on the view line that shows exactly `text` (null when it is not on screen). */
export async function afterOfLine(page: Page, text: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    const g = globalThis as unknown as PageGlobals;
    const view = [...g.document.querySelectorAll('.monaco-editor .view-line')]
      .find((v) => (v.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd() === wanted);
    if (!view) return null;
    return [...view.querySelectorAll('span')].map((e) => g.getComputedStyle(e, '::after').content).filter((c) => c !== 'none' && c !== '').join(' ');
  }, text);
}

/** Waits until the line showing `text` has an after-text matching `pattern`; returns it. */
export async function waitForLineAfter(page: Page, text: string, pattern: RegExp, timeout = 60_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const after = await afterOfLine(page, text);
    if (after !== null && pattern.test(after)) return after;
    if (Date.now() > deadline) throw new Error(`the line "${text}" shows ${after === null ? 'no line' : JSON.stringify(after)}, expected ${pattern}`);
    await page.waitForTimeout(100);
  }
}
