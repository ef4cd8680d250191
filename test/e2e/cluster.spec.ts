/**
 * End to end, as a user would: the packaged .vsix installed into a clean code-server,
 * a workspace with a copy of examples/ and a CSV no test has seen, then "Cluster this CSV"
 * from the explorer's context menu and from the command palette, and an error case.
 * Expected numbers come from the pipeline code run here, in the test process, on the same
 * file with the options a fresh install uses (the manifest's defaults).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCsv } from '../../src/csv/read';
import { runFit } from '../../src/pipeline/fit';
import type { FitReport } from '../../src/pipeline/types';
import { defaultOptions, publish } from './docs';
import { sessionHooks } from './harness';
import { packagedVsix, zipEntries } from './vsix';
import * as wb from './workbench';
import { makeWorkspace, NO_NUMBERS_CSV, sensorCsv } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const UNSEEN = 'sensors_unseen.csv';
const NO_NUMBERS = 'no_numbers.csv';
/** A guard against bundling by mistake what must stay out (node_modules, maps, sources). */
const MAX_VSIX_BYTES = 3 * 1024 * 1024;

describe('Centroid end to end: the packaged extension in code-server', function () {
  this.timeout(120_000);
  let vsix = '';
  let csvText = '';
  let expected: FitReport;

  const current = sessionHooks('e2e', () => {
    vsix = packagedVsix();
    csvText = sensorCsv(20_240_611);
    // The site column holds the classes; the worker guesses it, and it is never a feature.
    expected = runFit(parseCsv(csvText, { header: 'auto' }), defaultOptions('site'));
    const workspace = makeWorkspace({ [UNSEEN]: csvText, [NO_NUMBERS]: NO_NUMBERS_CSV });
    return { workspace, vsix: [vsix], file: UNSEEN };
  });

  it('packages only the bundles, the manifest, the docs and their pictures (no sources, tests or node_modules)', () => {
    const entries = zipEntries(vsix);
    for (const bundle of ['extension.js', 'worker.js', 'webview.js', 'webview.css']) {
      assert.ok(entries.includes(`extension/dist/${bundle}`), `dist/${bundle} is not in the .vsix: ${entries.join(', ')}`);
    }
    const allowed = /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(dist\/[^/]+\.(js|css)|package\.json|readme\.md|changelog\.md|license(\.md|\.txt)?|media\/.+|docs\/images\/[^/]+\.png))$/i;
    assert.deepEqual(entries.filter((e) => !allowed.test(e)), [], 'files that do not belong in the .vsix');
    const bytes = fs.statSync(vsix).size;
    console.log(`      .vsix: ${(bytes / 1024).toFixed(0)} KiB, ${entries.length} entries`);
    assert.ok(bytes < MAX_VSIX_BYTES, `the .vsix is ${bytes} bytes`);
  });

  it('right-click > Cluster this CSV: draws the chart, shows the engine\'s metrics and annotates the rows', async () => {
    const s = current();
    const { page } = s;
    await wb.runContextMenuItem(page, wb.explorerRow(page, UNSEEN), 'Cluster this CSV');
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    await wb.editorTab(page, `Clusters: ${UNSEEN}`).waitFor();

    const ink = await wb.inkedPixels(frame.locator('#scatter'));
    assert.ok(ink > 1000, `the scatter canvas has ${ink} drawn pixels, expected > 1000`);

    // data-value holds String(x), which gives back the same double.
    const shown = async (metric: string): Promise<number> => {
      const v = await frame.locator(`#metrics tr[data-metric="${metric}"] td[data-value]`).getAttribute('data-value');
      assert.ok(v !== null && v !== '', `metric ${metric} has no value`);
      return Number(v);
    };
    assert.equal(await shown('inertia'), expected.inertia);
    assert.equal(await shown('silhouette'), expected.metrics.silhouette);

    // Annotations: the first data rows show their own cluster after the text.
    await wb.waitForAfterText(page, 'cluster ');
    const rows = csvText.split('\n').slice(1, 6);
    const afterOfRow = await page.evaluate((lines) => {
      const g = globalThis as unknown as wb.PageGlobals;
      return lines.map((line) => {
        const view = [...g.document.querySelectorAll('.monaco-editor .view-line')]
          .find((v) => (v.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd() === line);
        if (!view) return null;
        return [...view.querySelectorAll('span')].map((e) => g.getComputedStyle(e, '::after').content).filter((c) => c !== 'none' && c !== '').join(' ');
      });
    }, rows);
    afterOfRow.forEach((text, i) => {
      assert.ok(text !== null, `data row ${i} ("${rows[i]}") is not shown in the editor`);
      assert.match(text, new RegExp(`cluster ${expected.labels[i]}\\b`), `annotation of data row ${i}`);
    });

    const overview = await s.screenshot('overview.png');
    const panel = path.join(s.dirs.artifacts, 'panel.png');
    await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: panel, animations: 'disabled' });
    // The CSV editor's first lines are enough to show the annotations, and keep the picture small.
    const editor = path.join(s.dirs.artifacts, 'editor.png');
    const box = await page.locator('.part.editor .editor-group-container').first().boundingBox();
    assert.ok(box, 'the CSV editor group is not on screen');
    await page.screenshot({ path: editor, animations: 'disabled', clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 420) } });
    publish(overview, 'overview.png');
    publish(panel, 'panel.png');
    publish(editor, 'editor.png');
  });

  it('Centroid: Cluster this CSV from the command palette starts a new run of the same file', async () => {
    const { page } = current();
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    const before = Number(await frame.locator('body').getAttribute('data-run'));
    assert.ok(before >= 1, `data-run=${before} before the palette run`);
    await wb.editorTab(page, UNSEEN).first().click();
    await wb.runFromPalette(page, 'Centroid: Cluster this CSV');
    await frame.locator(`body[data-run="${before + 1}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });
    const inertia = await frame.locator('#metrics tr[data-metric="inertia"] td[data-value]').getAttribute('data-value');
    assert.equal(Number(inertia), expected.inertia, 'the same file and settings give the same inertia');
    assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 1000, 'the chart of the new run is not drawn');
  });

  it('a CSV with no numeric column gives one clear error notification and no stack trace', async () => {
    const s = current();
    const { page } = s;
    await wb.runContextMenuItem(page, wb.explorerRow(page, NO_NUMBERS), 'Cluster this CSV');
    const errors = wb.toastOf(page, 'error');
    await errors.first().waitFor();
    // The panel of the file shows the failure too; once it does, the run is over.
    await wb.webviewFrame(page, EXTENSION_ID).locator('body[data-state="error"]').waitFor();
    await s.screenshot('error.png');
    const shown = (await wb.toasts(page)).filter((t) => t.severity === 'error');
    assert.equal(shown.length, 1, `error notifications: ${JSON.stringify(shown)}`);
    const message = shown[0].message;
    assert.match(message, /numeric|number/i, 'the message should say what is missing');
    assert.doesNotMatch(message, /\n|\bat \S+:\d+|\.(ts|js):\d+|Error:/, 'the message looks like a stack trace');
    assert.ok(message.length < 300, `the message is ${message.length} characters long`);
  });
});
