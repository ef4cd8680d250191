/**
 * Spherical k-means (metric cosine) in the panel, on term counts (test/fixtures/text_counts.csv):
 * the form's metric set to cosine and Run; the legend's sizes and the inertia are the pipeline's
 * on the same file with the same settings, the centres table shows the clusters' means in the
 * file's units (not unit vectors) under a heading that says so, and each cluster is described
 * by its over-represented terms. Screenshots in the dark, light and high-contrast themes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCsv } from '../../src/csv/read';
import { fitTable } from '../../src/pipeline/fit';
import type { FitOutcome } from '../../src/pipeline/fit';
import { defaultOptions } from './docs';
import { ROOT, sessionHooks, THEMES } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'text_counts.csv';
const K = 4;

const themes = [
  { slug: 'dark', theme: THEMES.dark },
  { slug: 'light', theme: THEMES.light },
  { slug: 'high-contrast', theme: THEMES.highContrast },
] as const;

for (const c of themes) {
  describe(`Cosine clusters in the panel (${c.slug} theme)`, function () {
    this.timeout(180_000);
    let expected: FitOutcome;
    let text = '';

    const current = sessionHooks(`e2e-cosine-${c.slug}`, () => {
      text = fs.readFileSync(path.join(ROOT, 'test/fixtures', FILE), 'utf8');
      expected = fitTable(parseCsv(text, { header: 'auto' }), { ...defaultOptions(''), metric: 'cosine', k: K });
      return { workspace: makeWorkspace({ [FILE]: text }), vsix: [packagedVsix()], theme: c.theme, file: FILE };
    });

    it(`metric cosine, k=${K}: the engine's sizes and inertia, cluster means in the file's units, over-represented terms (${c.slug})`, async () => {
      const session = current();
      const { page } = session;
      await wb.runContextMenuItem(page, wb.explorerRow(page, FILE), 'Cluster this CSV');
      const frame = wb.webviewFrame(page, EXTENSION_ID);
      await frame.locator('body[data-run="1"][data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
      await frame.locator('#f-metric').selectOption('cosine');
      await frame.locator('#f-k').fill(String(K));
      await frame.getByRole('button', { name: 'Run', exact: true }).click();
      await frame.locator('body[data-run="2"][data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });

      const r = expected.report;
      assert.deepEqual(await wb.legendCounts(frame), r.counts, 'legend sizes');
      const inertia = await frame.locator('#metrics tr[data-metric="inertia"] td[data-value]').getAttribute('data-value');
      assert.equal(Number(inertia), r.inertia, 'inertia');
      assert.match(await frame.locator('#summary').textContent() ?? '', /spherical k-means, k=4, best of 10 starts/);

      const heading = await frame.locator('#centers-heading').textContent() ?? '';
      assert.match(heading, /Cluster means/, heading);
      // The first cluster's mean of the first term, as the file's rows give it.
      const X = expected.dataset.X;
      const labels = expected.fitLabels;
      let sum = 0;
      let n = 0;
      for (let i = 0; i < X.nRows; i++) if (labels[i] === 0) { sum += X.data[i * X.nCols]; n++; }
      const cell = await frame.locator('#centers tbody tr[data-cluster="0"] td[data-value]').first().getAttribute('data-value');
      const shown = Number(cell);
      assert.ok(Math.abs(shown - sum / n) <= 1e-9 * Math.max(1, sum / n), `cluster 0's mean of t000: shown ${cell}, the rows give ${sum / n}`);
      // Described by terms it has more of (ratios above 1), never by negative values.
      const distinct = await frame.locator('#legend li[data-cluster="0"] .distinct').textContent() ?? '';
      assert.match(distinct, /×\s*\d/, distinct);
      assert.doesNotMatch(distinct, /−\d|-\d/, distinct);

      const file = path.join(session.dirs.artifacts, `cosine-${c.slug}.png`);
      await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: file, animations: 'disabled' });
    });
  });
}
