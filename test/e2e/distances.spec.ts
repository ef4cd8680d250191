/**
 * End to end on a file of distances: right-click the edge list edges_10.csv in the explorer,
 * answer the Quick Pick (distances or similarities) with Enter, and get k-medoids with the
 * medoids named in the panel, the method, the MDS map and the annotations of every edge.
 * Expected medoids and labels come from test/fixtures/edges_10.json (brute force over every
 * medoid set, made by the reference tools); the silhouette is recomputed here by its
 * textbook formula from the fixture's matrix.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOptions, publish } from './docs';
import { ROOT, sessionHooks, THEMES } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const EDGES = 'edges_10.csv';

interface Optimum { k: number; optimal_cost: number; optimal_medoid_sets: number[][]; labels_for_first_optimal_set: number[] }
interface PamRun { medoids_0based: number[]; objective_swap_total: number }
const matrixRef = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/distances_12.json'), 'utf8')) as {
  ids: string[]; kmedoids: { brute_force_pam_optimum: Optimum; r_cluster_pam: PamRun }[];
};
const MATRIX = 'distances_12.csv';
/** A path a - b - c - d: 3 of its 6 pairs have no distance. */
const PATH_CSV = 'source,target,distance\na,b,1\nb,c,2\nc,d,4\n';

const ref = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/edges_10.json'), 'utf8')) as {
  node_order_first_appearance: string[]; equivalent_matrix: number[][]; kmedoids: { brute_force_pam_optimum: Optimum }[];
};

/** Mean silhouette by the textbook formula (a row alone in its cluster scores 0). */
function silhouette(D: number[][], labels: number[]): number {
  const n = labels.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Map<number, number>();
    const counts = new Map<number, number>();
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      sums.set(labels[j], (sums.get(labels[j]) ?? 0) + D[i][j]);
      counts.set(labels[j], (counts.get(labels[j]) ?? 0) + 1);
    }
    const own = counts.get(labels[i]) ?? 0;
    if (own === 0) continue;
    const a = (sums.get(labels[i]) ?? 0) / own;
    let b = Infinity;
    for (const [c, count] of counts) if (c !== labels[i]) b = Math.min(b, (sums.get(c) ?? 0) / count);
    total += (b - a) / Math.max(a, b);
  }
  return total / n;
}

describe('Centroid end to end: a file of distances (edge list) gets k-medoids', function () {
  this.timeout(120_000);
  let workspace = '';
  const k = defaultOptions('').k;
  const optimum = ref.kmedoids.find((c) => c.brute_force_pam_optimum.k === k)?.brute_force_pam_optimum;
  const ids = ref.node_order_first_appearance;

  const current = sessionHooks('e2e-distances', () => {
    assert.ok(optimum, `edges_10.json has no k=${k} case`);
    const vsix = packagedVsix();
    workspace = makeWorkspace({ 'path_fill.csv': PATH_CSV, 'path_stop.csv': PATH_CSV });
    return { workspace, vsix: [vsix], file: EDGES };
  });

  it('right-click > Cluster this CSV: asks distances or similarities, then k-medoids with the medoids named', async () => {
    const s = current();
    const { page } = s;
    assert.ok(optimum);
    await wb.runContextMenuItem(page, wb.explorerRow(page, EDGES), 'Cluster this CSV');

    // The weights of an edge list may be either: a Quick Pick asks, distances first (Enter).
    const quick = page.locator('.quick-input-widget');
    await quick.locator('.quick-input-title').filter({ hasText: `distances or similarities in ${EDGES}` }).waitFor({ timeout: 60_000 });
    const first = quick.locator('.monaco-list-row').first();
    await first.filter({ hasText: 'Distances' }).waitFor();
    await page.keyboard.press('Enter');
    await quick.waitFor({ state: 'hidden', timeout: wb.STEP_TIMEOUT_MS });

    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    await frame.locator('#medoids-section:not([hidden])').waitFor();
    assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 500, 'the MDS map is not drawn');

    // The medoids, named by id, are the brute-force optimum (ties keep the first set).
    const shown = await frame.locator('#medoids td[data-medoid]').evaluateAll((cells: unknown[]) =>
      (cells as { getAttribute(name: string): string | null }[]).map((c) => c.getAttribute('data-medoid') ?? ''));
    const sets = optimum.optimal_medoid_sets.map((set) => set.map((i) => ids[i]));
    assert.ok(sets.some((set) => set.join() === shown.join()), `medoids ${shown.join(', ')} are not an optimal set of ${JSON.stringify(sets)}`);
    assert.deepEqual(shown, sets[0]);
    const legend = await frame.locator('#legend .medoid').allTextContents();
    assert.deepEqual(legend.map((t) => t.replace(/^ · medoid /, '')), sets[0]);
    // Sizes per cluster, from the fixture's labels.
    const sizes = await frame.locator('#medoids td[data-value]').evaluateAll((cells: unknown[]) =>
      (cells as { getAttribute(name: string): string | null }[]).map((c) => Number(c.getAttribute('data-value'))));
    assert.deepEqual(sizes, sets[0].map((_, j) => optimum.labels_for_first_optimal_set.filter((l) => l === j).length));

    const note = await frame.locator('#medoids-note').textContent() ?? '';
    assert.match(note, /k-medoids, method: exact \(exhaustive search over \d+ sets\)/);
    assert.match(note, /classical MDS of the distances: its two axes carry [\d.]+% of their structure \(stress [\d.e+−-]+\)/);
    const value = async (metric: string): Promise<number> => {
      const v = await frame.locator(`#metrics tr[data-metric="${metric}"] td[data-value]`).getAttribute('data-value');
      assert.ok(v !== null && v !== '', `metric ${metric} has no value`);
      return Number(v);
    };
    const expectedSilhouette = silhouette(ref.equivalent_matrix, optimum.labels_for_first_optimal_set);
    assert.ok(Math.abs(await value('silhouette') - expectedSilhouette) < 1e-12, 'silhouette on the given distances');
    const explained = await value('mdsExplained');
    assert.ok(explained > 0 && explained <= 1, `explained share ${explained}`);

    // Annotations: each edge line shows both endpoints' clusters.
    const cluster = new Map(ids.map((id, i) => [id, optimum.labels_for_first_optimal_set[i]]));
    const lines = fs.readFileSync(path.join(workspace, EDGES), 'utf8').trim().split('\n').slice(1, 8);
    await wb.waitForAfterText(page, '◀ ', 60_000);
    const afterOfLine = await page.evaluate((wanted) => {
      const g = globalThis as unknown as wb.PageGlobals;
      return wanted.map((line) => {
        const view = [...g.document.querySelectorAll('.monaco-editor .view-line')]
          .find((v) => (v.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd() === line);
        if (!view) return null;
        return [...view.querySelectorAll('span')].map((e) => g.getComputedStyle(e, '::after').content).filter((c) => c !== 'none' && c !== '').join(' ');
      });
    }, lines);
    afterOfLine.forEach((text, i) => {
      const [a, b] = lines[i].split(',');
      assert.ok(text !== null, `edge line ${i + 1} ("${lines[i]}") is not shown in the editor`);
      assert.equal(text, JSON.stringify(`◀ ${a}: ${cluster.get(a)} · ${b}: ${cluster.get(b)}`), `annotation of edge line ${i + 1}`);
    });

    // Hovering the end of an edge line shows both endpoints with their medoids.
    const [a0, b0] = lines[0].split(',');
    // The last span holding text (the line also has decoration spans: the marker at its start).
    const lineBox = await page.locator('.monaco-editor .view-line').filter({ hasText: lines[0] }).first().locator('span > span').filter({ hasText: /\S/ }).last().boundingBox();
    assert.ok(lineBox, `edge line 1 ("${lines[0]}") has no box`);
    await page.mouse.move(lineBox.x + lineBox.width - 2, lineBox.y + lineBox.height / 2);
    const hover = page.locator('.monaco-hover').filter({ hasText: `${a0}: cluster ${cluster.get(a0)}` });
    await hover.first().waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    const medoidOf = (id: string): string => ids[optimum.optimal_medoid_sets[0][cluster.get(id) as number]];
    const hoverText = await hover.first().textContent() ?? '';
    for (const id of [a0, b0]) {
      assert.ok(hoverText.includes(`${id}: ${medoidOf(id) === id ? 'the medoid of' : `cluster ${cluster.get(id)}`}`), `hover: ${hoverText}`);
      if (medoidOf(id) !== id) assert.ok(hoverText.includes(`medoid ${medoidOf(id)}`), `hover names ${id}'s medoid: ${hoverText}`);
    }
    await page.keyboard.press('Escape');

    // The status bar names the method.
    const status = page.locator('.statusbar-item').filter({ hasText: 'k-medoids' });
    await status.first().waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    assert.match(await status.first().textContent() ?? '', new RegExp(`k=${k} · k-medoids · silhouette ${expectedSilhouette.toFixed(2)}`));

    const panel = path.join(s.dirs.artifacts, 'distances.png');
    await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: panel, animations: 'disabled' });
    publish(panel, 'distances.png');
  });

  it('the answer is remembered: running again from the palette asks nothing', async () => {
    const { page } = current();
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    const before = Number(await frame.locator('body').getAttribute('data-run'));
    assert.ok(before >= 1, `data-run=${before} before the palette run`);
    await wb.editorTab(page, EDGES).first().click();
    await wb.runFromPalette(page, 'Centroid: Cluster this CSV');
    await frame.locator(`body[data-run="${before + 1}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.quick-input-widget:visible').count(), 0, 'a Quick Pick is open');
    const shown = await frame.locator('#medoids td[data-medoid]').allTextContents();
    assert.ok(optimum);
    assert.deepEqual(shown, optimum.optimal_medoid_sets[0].map((i) => ids[i]));
  });

  it('Choose k… sweeps k-medoids over the default range, each k at its brute-force optimum', async () => {
    const { page } = current();
    await wb.editorTab(page, EDGES).first().click();
    await wb.choosePaletteCommand(page, 'Centroid: Choose k…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const title = page.locator('.quick-input-widget .quick-input-title');
    await title.filter({ hasText: '(1/3)' }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    const range = /^(\d+)\.\.(\d+)$/.exec(await input.inputValue());
    assert.ok(range, 'the range box holds a range');
    for (const step of ['(2/3)', '(3/3)']) {
      await page.keyboard.press('Enter');
      await title.filter({ hasText: step }).waitFor({ timeout: wb.STEP_TIMEOUT_MS });
    }
    await page.keyboard.press('Enter');
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    const view = frame.locator('#choosek[data-state="done"]');
    await view.waitFor({ timeout: 120_000 });
    assert.equal(await view.getAttribute('data-rows'), String(Number(range[2]) - Number(range[1]) + 1));
    assert.ok(await frame.locator('#choosek-table th').filter({ hasText: 'Total distance to the medoids' }).count() > 0);
    for (const { brute_force_pam_optimum: best } of ref.kmedoids) {
      const v = await frame.locator(`#choosek-table tbody tr[data-k="${best.k}"] td[data-score="inertia"]`).getAttribute('data-value');
      assert.ok(v !== null && Math.abs(Number(v) - best.optimal_cost) < 1e-9, `k=${best.k}: ${v}`);
    }
    assert.match(await frame.locator('#choosek-why').textContent() ?? '', /silhouette peaks at k=\d+/);
    await frame.locator('#choosek').scrollIntoViewIfNeeded();
    await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: path.join(current().dirs.artifacts, 'choosek-distances.png'), animations: 'disabled' });
  });

  it('missing pairs: the Quick Pick says how many; Enter fills them with shortest paths, Stop gives one clear error', async () => {
    const { page } = current();
    const quick = page.locator('.quick-input-widget');
    const frame = wb.webviewFrame(page, EXTENSION_ID);
    await wb.runContextMenuItem(page, wb.explorerRow(page, 'path_fill.csv'), 'Cluster this CSV');
    await quick.locator('.quick-input-title').filter({ hasText: '3 missing pairs in path_fill.csv' }).waitFor({ timeout: 60_000 });
    assert.match(await quick.locator('.quick-input-box input').getAttribute('placeholder') ?? '', /^3 of 6 pairs of items have no distance \(for example "a" and "c"\)/);
    await quick.locator('.monaco-list-row').first().filter({ hasText: 'Use shortest-path distances' }).waitFor();
    await page.keyboard.press('Enter');
    await wb.editorTab(page, 'Clusters: path_fill.csv').waitFor({ timeout: 60_000 });
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    await frame.locator('#medoids-note').filter({ hasText: '3 missing pairs were given shortest-path distances' }).waitFor();
    // By hand, with d(a,c)=3, d(b,d)=6, d(a,d)=7: the 3-medoid sets {a,c,d} and {b,c,d} cost 1, the others more;
    // ties keep the first.
    if (k === 3) {
      const shown = await frame.locator('#medoids td[data-medoid]').allTextContents();
      assert.deepEqual(shown, ['a', 'c', 'd']);
    }

    await wb.runContextMenuItem(page, wb.explorerRow(page, 'path_stop.csv'), 'Cluster this CSV');
    await quick.locator('.quick-input-title').filter({ hasText: '3 missing pairs in path_stop.csv' }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const error = wb.toastOf(page, 'error').filter({ hasText: 'path_stop.csv: 3 of 6 pairs of items have no distance' });
    await error.first().waitFor({ timeout: 60_000 });
    const text = await error.first().locator('.notification-list-item-message').textContent() ?? '';
    assert.equal(text, 'path_stop.csv: 3 of 6 pairs of items have no distance (for example "a" and "c"): give every pair, or choose shortest-path distances.');
  });

  it('Export… writes one row per item with its cluster and medoid beside the edge list', async () => {
    const { page } = current();
    assert.ok(optimum);
    await wb.editorTab(page, EDGES).first().click();
    await wb.runFromPalette(page, 'Centroid: Export…');
    await wb.toastOf(page, 'info').filter({ hasText: 'edges_10.clusters.csv' }).first().waitFor({ timeout: 60_000 });
    const lines = fs.readFileSync(path.join(workspace, 'edges_10.clusters.csv'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'item,cluster,medoid,distance_to_medoid,is_medoid');
    const set = optimum.optimal_medoid_sets[0];
    lines.slice(1).forEach((line, i) => {
      const m = set[optimum.labels_for_first_optimal_set[i]];
      assert.equal(line, `${ids[i]},${optimum.labels_for_first_optimal_set[i]},${ids[m]},${ref.equivalent_matrix[i][m]},${m === i}`);
    });
    assert.equal(lines.length, ids.length + 1);
  });
});

for (const theme of [THEMES.highContrast, THEMES.dark]) {
  describe(`Centroid end to end: a distance matrix and the panel's form, in the "${theme}" theme`, function () {
    this.timeout(120_000);
    const slug = theme === THEMES.dark ? 'dark' : 'high-contrast';
    const k = defaultOptions('').k;

    const current = sessionHooks(`e2e-distances-${slug}`, () => {
      const vsix = packagedVsix();
      const workspace = makeWorkspace({ [MATRIX]: fs.readFileSync(path.join(ROOT, 'test/fixtures', MATRIX), 'utf8') });
      return { workspace, vsix: [vsix], theme, file: MATRIX };
    });

    it('k-medoids on the matrix with each row annotated; the form runs PAM with another k, then MDS then k-means with its caveat', async () => {
      const session = current();
      const { page } = session;
      const exact = matrixRef.kmedoids.find((c) => c.brute_force_pam_optimum.k === k)?.brute_force_pam_optimum;
      assert.ok(exact, `distances_12.json has no k=${k} case`);
      // A zero diagonal says distances: no question.
      await wb.runContextMenuItem(page, wb.explorerRow(page, MATRIX), 'Cluster this CSV');
      const frame = wb.webviewFrame(page, EXTENSION_ID);
      await frame.locator('body[data-run="1"][data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
      const medoids = (): Promise<string[]> => frame.locator('#medoids td[data-medoid]').evaluateAll((cells: unknown[]) =>
        (cells as { getAttribute(name: string): string | null }[]).map((c) => c.getAttribute('data-medoid') ?? ''));
      assert.deepEqual(await medoids(), exact.optimal_medoid_sets[0].map((i) => matrixRef.ids[i]));

      // Each data row of the matrix shows its item's cluster and medoid.
      await wb.waitForAfterText(page, '◀ p00', 60_000);
      const texts = await wb.afterTexts(page, '◀ p');
      exact.labels_for_first_optimal_set.forEach((cluster, i) => {
        const id = matrixRef.ids[i];
        const medoid = matrixRef.ids[exact.optimal_medoid_sets[0][cluster]];
        const wanted = `◀ ${id}: cluster ${cluster} · medoid${medoid === id ? '' : ` ${medoid}`}`;
        assert.ok(texts.some((t) => t === JSON.stringify(wanted)), `no annotation ${wanted} in ${texts.join(' | ')}`);
      });

      // The form: k=2, seed 5, PAM. R's cluster::pam stops at a local optimum the exact search beats.
      const pam = matrixRef.kmedoids.find((c) => c.brute_force_pam_optimum.k === 2);
      assert.ok(pam);
      await frame.locator('#f-k').fill('2');
      await frame.locator('#f-seed').fill('5');
      await frame.locator('#f-d-method').selectOption('pam');
      await frame.locator('#run').click();
      await frame.locator('body[data-run="2"][data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
      assert.deepEqual(await medoids(), pam.r_cluster_pam.medoids_0based.map((i) => matrixRef.ids[i]));
      assert.match(await frame.locator('#medoids-note').textContent() ?? '', /k-medoids, method: PAM \(BUILD \+ SWAP\)/);
      const cost = Number(await frame.locator('#metrics tr[data-metric="cost"] td[data-value]').getAttribute('data-value'));
      assert.ok(Math.abs(cost - pam.r_cluster_pam.objective_swap_total) < 1e-9, `PAM's total distance ${cost}`);
      assert.equal(await frame.locator('#f-seed').inputValue(), '5');
      assert.equal(await frame.locator('#f-d-method').inputValue(), 'pam');

      // MDS, then k-means: no medoids, the caveat stated.
      await frame.locator('#f-d-algorithm').selectOption('mds-kmeans');
      await frame.locator('#run').click();
      await frame.locator('body[data-run="3"][data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
      await frame.locator('#medoids-caveat:not([hidden])').waitFor();
      assert.match(await frame.locator('#medoids-caveat').textContent() ?? '', /^Caveat: k-means ran on the 2-D MDS map, not on the distances/);
      assert.deepEqual(await medoids(), ['', '']);
      assert.ok(await wb.inkedPixels(frame.locator('#scatter')) > 500, 'the MDS map is not drawn');
      await frame.locator('#medoids-section').scrollIntoViewIfNeeded();
      await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: path.join(session.dirs.artifacts, `distances-caveat-${slug}.png`), animations: 'disabled' });

      // Back to k-medoids for the picture.
      await frame.locator('#f-d-algorithm').selectOption('k-medoids');
      await frame.locator('#f-k').fill(String(k));
      await frame.locator('#f-d-method').selectOption('auto');
      await frame.locator('#run').click();
      await frame.locator('body[data-run="4"][data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
      await frame.locator('#title').scrollIntoViewIfNeeded();
      const shot = path.join(session.dirs.artifacts, `distances-${slug}.png`);
      await wb.webviewElement(page, EXTENSION_ID).screenshot({ path: shot, animations: 'disabled' });
      await session.screenshot(`distances-${slug}-window.png`);
    });
  });
}
