/**
 * The panel's Columns section on a real file with a row id and a text label column
 * (test/fixtures/real/wine_messy.csv): the roles and the scaling the rules decided, then two
 * one-click re-runs ("Use as feature" on the row id, "Use original units"), each checked
 * against the pipeline run here on the same file with the same settings. Screenshots of the
 * section in the dark, light and high-contrast themes go to the artifacts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { parseCsv } from '../../src/csv/read';
import { fitTable } from '../../src/pipeline/fit';
import type { FitOptions, FitReport } from '../../src/pipeline/types';
import { defaultOptions } from './docs';
import { ROOT, sessionHooks, THEMES, type Session } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'wine_messy.csv';

/** Waits for the result of run `run` to be shown and drawn. */
async function waitForRun(frame: FrameLocator, run: number): Promise<void> {
  await frame.locator(`body[data-run="${run}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });
}

async function panelShot(session: Session, page: Page, name: string): Promise<string> {
  const file = path.join(session.dirs.artifacts, name);
  await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: file, animations: 'disabled' });
  return file;
}

describe('Centroid\'s Columns section: column roles, scaling and one-click re-runs', function () {
  this.timeout(180_000);
  let first: FitReport;
  let withRow: FitReport;
  let originalUnits: FitReport;
  let withRowColumns: string[] = [];

  const current = sessionHooks('e2e-roles', () => {
    const vsix = packagedVsix();
    const text = fs.readFileSync(path.join(ROOT, 'test/fixtures/real', FILE), 'utf8');
    const table = parseCsv(text, { header: 'auto' });
    // A fresh install: the manifest's defaults, the rules decide the roles and the label.
    const fresh: FitOptions = defaultOptions('');
    first = fitTable(table, fresh).report;
    const roles = first.roles ?? [];
    withRowColumns = roles.filter((r) => r.role === 'feature' || r.name === 'row').map((r) => r.name);
    withRow = fitTable(table, { ...fresh, columns: withRowColumns }).report;
    originalUnits = fitTable(table, { ...fresh, columns: withRowColumns, scale: 'none' }).report;
    const workspace = makeWorkspace({ [FILE]: text });
    return { workspace, vsix: [vsix], theme: THEMES.dark, file: FILE };
  });

  it('names the row id and the label column, says why the features were standardised, and re-runs in one click', async () => {
    const session = current();
    const { page } = session;
    // What the engine decides, so that a change of the rules shows up here first.
    assert.equal(first.roles?.find((r) => r.name === 'row')?.role, 'id', 'the pipeline no longer calls row an id');
    assert.equal(first.options.label, 'cultivar', 'the pipeline no longer picks cultivar as the label');
    assert.equal(first.scaling.kind, 'standard', 'the pipeline no longer standardises wine');
    assert.equal(withRowColumns.length, 14);

    await wb.runContextMenuItem(page, wb.explorerRow(page, FILE), 'Cluster this CSV');
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    const run = Number(await frame.locator('body').getAttribute('data-run'));
    const roles = frame.locator('#roles');
    assert.ok(await roles.isVisible(), 'the Columns section is hidden');

    // Before the chart, after the summary.
    assert.equal(await frame.locator('#summary ~ #roles').count(), 1, 'the Columns section is not after the summary');
    assert.equal(await frame.locator('#roles ~ main #scatter').count(), 1, 'the Columns section is not before the chart');

    const row = roles.locator('li[data-column="row"]');
    assert.equal(await row.getAttribute('data-role'), 'id');
    assert.match(await row.innerText(), /^row: looks like a row id \(unique whole numbers, 1 to 178/);
    assert.equal(await row.locator('code').innerText(), 'row');
    const cultivar = roles.locator('li[data-column="cultivar"]');
    assert.equal(await cultivar.getAttribute('data-role'), 'label');
    assert.match(await cultivar.innerText(), /^cultivar: used as the label column: text with 3 classes/);
    // A text column cannot be a feature: no button.
    assert.equal(await cultivar.locator('button').count(), 0, 'cultivar (text) offers "Use as feature"');
    assert.equal(await roles.locator('li[data-role="feature"]').count(), 0, 'features are listed as rows');

    const features = frame.locator('#roles-features');
    assert.equal(await features.getAttribute('data-count'), '13');
    const featuresText = await features.innerText();
    assert.match(featuresText, /^13 features: alcohol_permille, malic_acid, .*, and 5 more/);
    assert.equal(await features.locator('.roles-text').getAttribute('title'), first.featureNames.join(', '));
    assert.equal(await features.locator('button').count(), 0, '"Let the rules decide" while the rules decided');

    const scaling = frame.locator('#roles-scaling');
    assert.equal(await scaling.getAttribute('data-kind'), 'standard');
    assert.match(await scaling.innerText(), /^Scaling: standardised — the feature ranges differ 174×/);
    assert.equal(await scaling.locator('button[data-action="scale-none"]').innerText(), 'Use original units');
    assert.equal(await scaling.locator('button[data-action="scale-auto"]').count(), 0, '"Let the rules decide" while the rules decided');

    assert.deepEqual(await wb.legendCounts(frame), first.counts, 'cluster sizes of the first run');
    assert.match(await frame.locator('#summary').innerText(), /13 features, 178 rows, standard scaling/);
    await panelShot(session, page, 'roles-dark.png');

    // Use the row id as a feature: one click, the same path as the form's Run button.
    await row.locator('button[data-action="use-feature"]').click();
    await waitForRun(frame, run + 1);
    assert.equal(await roles.locator('li[data-column="row"]').count(), 0, 'row is still listed as left out');
    assert.equal(await features.getAttribute('data-count'), '14');
    assert.match(await features.innerText(), /^14 features \(chosen by you\): row, alcohol_permille/);
    assert.equal(await features.locator('.roles-text').getAttribute('title'), withRowColumns.join(', '));
    assert.equal(await features.locator('button[data-action="rules-decide"]').count(), 1);
    assert.equal(await roles.locator('li[data-column="cultivar"]').getAttribute('data-role'), 'label', 'the label changed');
    assert.match(await frame.locator('#summary').innerText(), /14 features, 178 rows, standard scaling/);
    assert.deepEqual(await wb.legendCounts(frame), withRow.counts, 'cluster sizes with row as a feature');
    // The form shows the chosen columns.
    assert.ok(await frame.locator('#f-columns input[value="row"]').isChecked(), 'the form does not tick row');

    // Original units.
    await scaling.locator('button[data-action="scale-none"]').click();
    await waitForRun(frame, run + 2);
    const summary = await frame.locator('#summary').innerText();
    assert.doesNotMatch(summary, /standard scaling/);
    assert.match(summary, /14 features, 178 rows;/);
    assert.equal(await scaling.getAttribute('data-kind'), 'none');
    assert.match(await scaling.innerText(), /^Scaling: none — /);
    assert.equal(await scaling.locator('button[data-action="scale-standard"]').innerText(), 'Standardise and re-run');
    assert.equal(await scaling.locator('button[data-action="scale-auto"]').count(), 1);
    assert.equal(await frame.locator('#f-scale').inputValue(), 'none');
    assert.deepEqual(await wb.legendCounts(frame), originalUnits.counts, 'cluster sizes in original units');
    const inertia = await frame.locator('#metrics tr[data-metric="inertia"] td[data-value]').getAttribute('data-value');
    assert.equal(Number(inertia), originalUnits.inertia);
  });

  it('keeps each button on one line after the re-runs (screenshot)', async () => {
    const session = current();
    await buttonsOnOneLine(wb.webviewFrame(session.page, EXTENSION_ID), 3);
    await panelShot(session, session.page, 'roles-dark-after.png');
  });
});

/**
 * WCAG 2 contrast of a text colour on a background ("rgb(…)"/"rgba(…)"), the background's
 * alpha composited over the page's; 1 to 21, null when both backgrounds are transparent.
 */
function contrast(foreground: string, background: string, page: string): number | null {
  const rgba = (css: string): number[] => {
    const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$/.exec(css.trim());
    assert.ok(m, `cannot read the colour "${css}"`);
    return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
  };
  const luminance = (c: number[]): number => {
    const [r, g, b] = c.slice(0, 3).map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [fg, bg, under] = [rgba(foreground), rgba(background), rgba(page)];
  if (bg[3] === 0 && under[3] === 0) return null;
  const a = bg[3];
  const shown = bg.slice(0, 3).map((v, i) => a * v + (1 - a) * under[i]);
  const [hi, lo] = [luminance(fg), luminance(shown)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every button of the section has the same height: none wrapped inside itself. */
async function buttonsOnOneLine(frame: FrameLocator, atLeast: number): Promise<void> {
  const buttons = await frame.locator('#roles button').evaluateAll((nodes: unknown[]) => nodes.map((n) => {
    const b = n as { getBoundingClientRect(): { height: number }; textContent: string | null };
    return { text: b.textContent, height: Math.round(b.getBoundingClientRect().height) };
  }));
  assert.ok(buttons.length >= atLeast, `buttons: ${JSON.stringify(buttons)}`);
  assert.equal(new Set(buttons.map((b) => b.height)).size, 1, `buttons of different heights (one wrapped?): ${JSON.stringify(buttons)}`);
}

// The same first run in the light and high-contrast themes: the section takes the theme's colours.
for (const c of [{ theme: THEMES.light, slug: 'light', bodyClass: 'vscode-light' }, { theme: THEMES.highContrast, slug: 'high-contrast', bodyClass: 'vscode-high-contrast' }]) {
  describe(`Centroid's Columns section in the "${c.theme}" theme`, function () {
    this.timeout(180_000);
    const current = sessionHooks(`e2e-roles-${c.slug}`, () => {
      const text = fs.readFileSync(path.join(ROOT, 'test/fixtures/real', FILE), 'utf8');
      return { workspace: makeWorkspace({ [FILE]: text }), vsix: [packagedVsix()], theme: c.theme, file: FILE };
    });

    it('shows the roles and the scaling with their buttons (screenshot)', async () => {
      const session = current();
      const { page } = session;
      await wb.runContextMenuItem(page, wb.explorerRow(page, FILE), 'Cluster this CSV');
      const frame = wb.webviewFrame(page, EXTENSION_ID);
      await frame.locator(`body.${c.bodyClass}[data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('#roles li[data-column="row"]').getAttribute('data-role'), 'id');
      assert.equal(await frame.locator('#roles-scaling').getAttribute('data-kind'), 'standard');
      await buttonsOnOneLine(frame, 2);
      // Column names on their own background: readable in every theme.
      const code = await frame.locator('#roles li[data-column="row"] code').evaluate((node: unknown) => {
        const g = globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundColor: string } };
        const style = g.getComputedStyle(node);
        const page = g.getComputedStyle((node as { ownerDocument: { body: unknown } }).ownerDocument.body);
        return { color: style.color, background: style.backgroundColor, page: page.backgroundColor };
      });
      const ratio = contrast(code.color, code.background, code.page);
      assert.ok(ratio === null || ratio >= 4.5, `column name contrast ${ratio} < 4.5 (${JSON.stringify(code)})`);
      await panelShot(session, page, `roles-${c.slug}.png`);
    });
  });
}
