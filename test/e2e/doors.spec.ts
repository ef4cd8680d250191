/**
 * Every door a user opens: each command from each place package.json contributes it (the
 * Explorer's and the editor's context menus, the editor title, the command palette), generated
 * from the manifest, so a new entry is covered without writing a test. Each must reach its view
 * (a panel, a Quick Pick or an input box) or a clear message, never an internal error and never
 * nothing. The CSV is clustered first, so the entries that need a result or a model are there.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, sessionHooks } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'iris.csv';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

type Place = 'explorer/context' | 'editor/context' | 'editor/title' | 'commandPalette';
interface Door { place: Place; command: string; title: string; when?: string }

/** The doors of the manifest: every menu entry, and the palette entry of every command not hidden there. */
function doors(): Door[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const titleOf = new Map(manifest.contributes.commands.map((c) => [c.command, c.title]));
  const out: Door[] = [];
  for (const place of ['explorer/context', 'editor/context', 'editor/title'] as const) {
    for (const entry of manifest.contributes.menus[place] ?? []) out.push({ place, command: entry.command, title: titleOf.get(entry.command) ?? entry.command });
  }
  const palette = new Map((manifest.contributes.menus.commandPalette ?? []).map((e) => [e.command, e.when]));
  for (const c of manifest.contributes.commands) {
    const when = palette.get(c.command);
    if (when !== 'false') out.push({ place: 'commandPalette', command: c.command, title: c.title, ...(when ? { when } : {}) });
  }
  // Cluster first (the other entries need a result or a model), then in manifest order.
  return [...out.filter((d) => d.command === 'centroid.clusterFile'), ...out.filter((d) => d.command !== 'centroid.clusterFile')];
}

/** Text that means something broke inside, rather than a message for the user. */
const INTERNAL = /unexpected|TypeError|ReferenceError|is not a function|Cannot read prop|undefined|\[object Object\]|should be an object/i;

/** What a door led to: a Quick Pick or input box, a message, or one of our panels. */
async function whatOpened(page: Page, panelsBefore: number, toastsBefore: Set<string>, statusBefore: Set<string>, timeout = 20_000): Promise<string> {
  const quickInput = page.locator('.quick-input-widget:visible');
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await quickInput.count()) {
      const title = (await page.locator('.quick-input-widget:visible .quick-input-title').textContent().catch(() => '')) ?? '';
      const placeholder = await page.locator('.quick-input-widget:visible .quick-input-box input').getAttribute('placeholder').catch(() => '') ?? '';
      return `quick input: ${title || placeholder}`.trim();
    }
    const fresh = (await wb.toasts(page)).filter((t) => !toastsBefore.has(t.message));
    if (fresh.length > 0) return `${fresh[0].severity} message: ${fresh[0].message}`;
    if (await panelCount(page) > panelsBefore) return 'a new panel';
    // A status bar message ("Centroid: watching iris.csv; …").
    const status = await page.locator('.statusbar-item').filter({ hasText: /^\s*Centroid: / }).allTextContents();
    const freshStatus = status.filter((t) => !statusBefore.has(t));
    if (freshStatus.length > 0) return `status bar: ${freshStatus[0].trim()}`;
    await page.waitForTimeout(200);
  }
  return '';
}

async function panelCount(page: Page): Promise<number> {
  return page.locator('.tabs-container .tab').filter({ hasText: /Clusters:|Add Rows|Label map|Predict/ }).count();
}

/** Closes what a door opened: Quick Picks and menus (Escape), toasts (cleared), back to the CSV. */
async function settle(page: Page): Promise<void> {
  for (let i = 0; i < 3 && await page.locator('.quick-input-widget:visible, .monaco-menu').count(); i++) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(200);
  }
  await wb.runFromPalette(page, 'Notifications: Clear All Notifications').catch(() => undefined);
  await wb.editorTab(page, FILE).first().click();
}

describe('every door: each command from each place the manifest contributes it', function () {
  this.timeout(600_000);
  const current = sessionHooks('e2e-doors', () => {
    const workspace = makeWorkspace({});
    return { workspace, vsix: [packagedVsix()], file: FILE };
  });

  it('reaches a view or a clear message, never an internal error', async () => {
    const { page } = current();
    await wb.explorerRow(page, FILE).click();
    await wb.editorTab(page, FILE).first().waitFor();
    const seen: string[] = [];
    for (const door of doors()) {
      const toastsBefore = new Set((await wb.toasts(page)).map((t) => t.message));
      const panelsBefore = await panelCount(page);
      const statusBefore = new Set(await page.locator('.statusbar-item').allTextContents());
      const what = `${door.title} (${door.command}) from ${door.place}`;
      const annotationsBefore = (await wb.afterTexts(page, 'cluster ')).length;
      switch (door.place) {
        case 'explorer/context':
          await wb.runContextMenuItem(page, wb.explorerRow(page, FILE), door.title);
          break;
        case 'editor/context':
          await wb.runContextMenuItem(page, page.locator('.monaco-editor .view-lines').first(), door.title);
          break;
        case 'editor/title':
          await page.locator(`.editor-actions .action-label[aria-label^="${door.title}"]`).first().click();
          break;
        case 'commandPalette':
          try {
            await wb.choosePaletteCommand(page, `Centroid: ${door.title}`);
          } catch (e) {
            // An entry with a when clause may rightly be absent here (no model yet, say).
            if (door.when === undefined) throw e;
            seen.push(`${what}: not offered (when ${door.when})`);
            await settle(page);
            continue;
          }
          break;
      }
      let opened: string;
      if (door.command === 'centroid.toggleAnnotations') {
        // Its view is the editor: the annotations go (or come back).
        await page.waitForTimeout(1500);
        const after = (await wb.afterTexts(page, 'cluster ')).length;
        opened = after !== annotationsBefore ? `annotations ${annotationsBefore} -> ${after}` : '';
      } else if (door.command === 'centroid.clusterFile' || door.command === 'centroid.showPanel') {
        const frame = wb.webviewFrame(page, EXTENSION_ID);
        await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
        opened = 'the cluster panel, drawn';
      } else {
        opened = await whatOpened(page, panelsBefore, toastsBefore, statusBefore);
      }
      const errors = (await wb.toasts(page)).filter((t) => t.severity === 'error' && !toastsBefore.has(t.message));
      for (const e of errors) assert.doesNotMatch(e.message, INTERNAL, `${what}: an internal error reached the user`);
      assert.notEqual(opened, '', `${what}: nothing happened`);
      assert.doesNotMatch(opened, INTERNAL, `${what}: ${opened}`);
      seen.push(`${what}: ${opened}`);
      await settle(page);
      if (door.command === 'centroid.toggleAnnotations') {
        // Back on, for the doors after it.
        await wb.choosePaletteCommand(page, 'Centroid: Toggle Cluster Annotations');
        await page.waitForTimeout(1000);
        await settle(page);
      }
    }
    console.log(seen.map((s) => `      ${s}`).join('\n'));
    assert.ok(seen.length >= 20, `only ${seen.length} doors`);
  });
});
