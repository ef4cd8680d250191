/**
 * End to end, as a user would: the packaged .vsix installed into a clean code-server,
 * a workspace with a copy of examples/ and a CSV no test has seen, then "Cluster this CSV"
 * from the explorer's context menu and from the command palette, and an error case.
 * Expected numbers come from the pipeline code run here, in the test process, on the same
 * file with the options a fresh install uses (the manifest's defaults).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCsv } from '../../src/csv/read';
import { runFit } from '../../src/pipeline/fit';
import type { FitOptions, FitReport } from '../../src/pipeline/types';
import { ROOT, Session } from './harness';
import { packagedFiles, packageExtension } from './vsix';
import * as wb from './workbench';
import { makeWorkspace, NO_NUMBERS_CSV, sensorCsv } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const UNSEEN = 'sensors_unseen.csv';
const NO_NUMBERS = 'no_numbers.csv';
const DOCS_IMAGES = path.join(ROOT, 'docs/images');

interface Manifest {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
}

/** The options of a run with fresh settings: the defaults the manifest declares. */
function defaultOptions(label: string): FitOptions {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const d = (key: string): unknown => manifest.contributes.configuration.properties[`centroid.${key}`]?.default;
  return {
    k: d('defaultK') as number,
    seed: d('seed') as number,
    init: d('init') as 'k-means++' | 'random',
    nInit: d('nInit') as number | 'auto',
    algorithm: d('algorithm') as 'lloyd' | 'elkan',
    metric: d('metric') as 'euclidean' | 'cosine',
    scale: d('scale') as 'none' | 'standard' | 'minmax',
    missing: d('missing') as 'drop' | 'mean',
    label,
  };
}

/**
 * Copies a screenshot to docs/images (the README's pictures) when CENTROID_DOCS_IMAGES=1 or
 * when the picture is not there yet, so that ordinary test runs leave the work tree clean.
 */
function publish(file: string, name: string): void {
  const target = path.join(DOCS_IMAGES, name);
  if (process.env.CENTROID_DOCS_IMAGES !== '1' && fs.existsSync(target)) return;
  fs.mkdirSync(DOCS_IMAGES, { recursive: true });
  fs.copyFileSync(file, target);
}

describe('Centroid end to end: the packaged extension in code-server', function () {
  this.timeout(120_000);
  let session: Session | undefined;
  let workspace = '';
  let vsixDir = '';
  let csvText = '';
  let expected: FitReport;
  let failure: unknown;

  before(async function () {
    this.timeout(300_000);
    vsixDir = fs.mkdtempSync(path.join(os.tmpdir(), 'centroid-vsix-'));
    const vsix = packageExtension(path.join(vsixDir, 'centroid.vsix'));
    csvText = sensorCsv(20_240_611);
    workspace = makeWorkspace({ [UNSEEN]: csvText, [NO_NUMBERS]: NO_NUMBERS_CSV });
    // The site column holds the classes; the worker guesses it, and it is never a feature.
    expected = runFit(parseCsv(csvText, { header: 'auto' }), defaultOptions('site'));
    session = await Session.open('e2e', { workspace, vsix: [vsix] });
    await session.page.goto(session.server.url());
    await Promise.race([wb.waitForWorkbench(session.page, UNSEEN), session.fatalConsole()]);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') failure ??= this.currentTest.err ?? new Error('test failed');
  });

  after(async function () {
    this.timeout(60_000);
    await session?.close(failure);
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    if (vsixDir) fs.rmSync(vsixDir, { recursive: true, force: true });
  });

  function current(): Session {
    assert.ok(session, 'code-server did not start');
    return session;
  }

  it('packages only the bundles, the manifest and the docs (no sources, tests or node_modules)', () => {
    const files = packagedFiles();
    assert.ok(files.includes('dist/extension.js') && files.includes('dist/worker.js') && files.includes('dist/webview.js'), `missing bundles in ${files.join(', ')}`);
    const stray = files.filter((f) => !/^(dist\/[^/]+\.(js|css)|package\.json|README\.md|LICENSE(\.md)?|CHANGELOG\.md|media\/.+)$/.test(f));
    assert.deepEqual(stray, [], 'files that do not belong in the .vsix');
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
    const editor = path.join(s.dirs.artifacts, 'editor.png');
    await page.locator('.part.editor .editor-group-container').first().screenshot({ path: editor, animations: 'disabled' });
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
