/**
 * The panel's tables and lists: metrics (with exact values in data-value), the legend with
 * sizes and distinguishing features, the centres in original units, and the comparison
 * with a label column (mapping and contingency heatmap). Text only through textContent.
 */
import { clusterColor, withAlpha } from '../src/protocol/palette';
import { formatCount, formatNumber } from '../src/protocol/format';
import type { PanelView } from '../src/protocol/view';
import { byId, clear, el } from './dom';

/** `<tr data-metric="key"><th>name</th><td data-value="String(x)">shown</td></tr>` per metric. */
export function renderMetrics(view: PanelView): void {
  const table = byId<HTMLTableElement>('metrics');
  const body = table.tBodies[0] ?? table.createTBody();
  clear(body);
  for (const row of view.metrics) {
    const tr = el('tr', null, { 'data-metric': row.key });
    const th = el('th', row.name, { scope: 'row' });
    if (row.note) th.appendChild(el('span', row.note, { class: 'note' }));
    const td = el('td', row.value === null ? 'undefined' : formatNumber(row.value, 4), {
      'data-value': row.value === null ? '' : String(row.value),
      title: row.value === null ? 'undefined' : String(row.value),
    });
    tr.append(th, td);
    body.appendChild(tr);
  }
  // k-medoids and the density methods report no iterations.
  if (view.medoids?.algorithm === 'k-medoids' || view.density) return;
  const iter = el('tr', null, { 'data-metric': 'nIter' });
  iter.append(el('th', 'Iterations', { scope: 'row' }), el('td', String(view.nIter), { 'data-value': String(view.nIter) }));
  body.appendChild(iter);
}

/** One entry per cluster: swatch, size and share, mapped class, distinguishing features. */
export function renderLegend(view: PanelView): void {
  const list = byId<HTMLUListElement>('legend');
  clear(list);
  const total = view.counts.reduce((s, c) => s + c, 0);
  const mapped = new Map((view.labels?.mapping ?? []).map((m) => [m.cluster, m.label]));
  view.counts.forEach((count, j) => {
    const item = el('li', null, { 'data-cluster': String(j) });
    const swatch = el('span', null, { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = clusterColor(j);
    const share = total > 0 ? ` (${formatNumber((100 * count) / total, 3)}%)` : '';
    const label = mapped.get(String(j));
    const unit = view.medoids ? 'item' : 'row';
    item.append(swatch, el('strong', `Cluster ${j}`), document.createTextNode(` · ${formatCount(count)} ${unit}${count === 1 ? '' : 's'}${share}`));
    const medoid = view.medoids?.medoids?.[j]?.id;
    if (medoid !== undefined) item.appendChild(el('span', ` · medoid ${medoid}`, { class: 'medoid', 'data-medoid': medoid }));
    if (label !== undefined) item.appendChild(el('span', ` → ${label}`, { class: 'mapped' }));
    const features = view.distinctions[j] ?? [];
    if (features.length > 0) {
      const ratios = features.some((f) => f.ratio !== undefined);
      const text = features.map((f) => (f.ratio !== undefined
        ? `${f.feature} ×${formatNumber(f.ratio, 2)}`
        : `${f.feature} ${f.z >= 0 ? '+' : '−'}${formatNumber(Math.abs(f.z), 2)} sd`)).join(', ');
      const title = ratios
        ? 'Features most over-represented in this cluster: their mean in the cluster as a multiple of their mean over all rows'
        : 'Features where this centre is furthest from the overall mean, in standard deviations';
      item.appendChild(el('span', text, { class: 'distinct', title }));
    }
    list.appendChild(item);
  });
  const density = view.density;
  if (density) {
    // Noise last, grey, with its count: "noise (n)".
    const item = el('li', null, { 'data-cluster': 'noise' });
    const swatch = el('span', null, { class: 'swatch noise', 'aria-hidden': 'true' });
    swatch.style.borderColor = clusterColor(-1);
    const share = total + density.nNoise > 0 ? ` (${formatNumber((100 * density.nNoise) / (total + density.nNoise), 3)}%)` : '';
    item.append(swatch, el('strong', `noise (${formatCount(density.nNoise)})`),
      document.createTextNode(` · ${formatCount(density.nNoise)} row${density.nNoise === 1 ? '' : 's'} in no cluster${share}`));
    list.appendChild(item);
  }
}

/**
 * Centres in the file's units: one row per cluster, one column per feature; with the cosine
 * metric each cluster's mean row, under a heading that says so.
 */
export function renderCenters(view: PanelView): void {
  const table = byId<HTMLTableElement>('centers');
  clear(table);
  // DBSCAN and HDBSCAN have no centres (renderMedoids hides the section).
  if (view.density) return;
  byId('centers-heading').textContent = view.centersAre === 'means'
    ? 'Cluster means (original units; the cosine centres are unit-length directions)'
    : 'Centres (original units)';
  const head = table.createTHead().insertRow();
  head.appendChild(el('th', 'cluster', { scope: 'col' }));
  head.appendChild(el('th', 'rows', { scope: 'col' }));
  for (const name of view.featureNames) head.appendChild(el('th', name, { scope: 'col' }));
  const body = table.createTBody();
  view.centers.forEach((centre, j) => {
    const tr = body.insertRow();
    tr.setAttribute('data-cluster', String(j));
    const th = el('th', null, { scope: 'row' });
    const swatch = el('span', null, { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = clusterColor(j);
    th.append(swatch, document.createTextNode(String(j)));
    tr.appendChild(th);
    tr.appendChild(el('td', formatCount(view.counts[j] ?? 0)));
    for (const v of centre) tr.appendChild(el('td', formatNumber(v, 4), { 'data-value': String(v), title: String(v) }));
  });
}

/** The label comparison: mapping sentence and the contingency table as a heatmap. */
export function renderLabels(view: PanelView): void {
  const section = byId('labels-section');
  const labels = view.labels;
  section.hidden = labels === undefined;
  const mapping = byId('mapping');
  const table = byId<HTMLTableElement>('contingency');
  clear(table);
  clear(mapping);
  if (!labels) return;
  const why = view.roles?.find((r) => r.name === labels.column && r.role === 'label')?.reason;
  const source = labels.guessed ? `the column "${labels.column}" (${why ?? 'picked by the column rules'})` : `the column "${labels.column}"`;
  const pairs = labels.mapping.map((m) => `cluster ${m.cluster} → ${m.label}`).join(', ');
  mapping.textContent = `Known classes from ${source}. ${pairs !== '' ? `Best one-to-one mapping: ${pairs}` : 'No mapping'}`
    + `${labels.accuracy !== null ? `; accuracy after mapping ${formatNumber(labels.accuracy, 3)}.` : '.'}`;
  const c = labels.contingency;
  if (!c) return;
  const caption = table.createCaption();
  caption.textContent = 'Rows per class (rows of the table) and cluster (columns)';
  const head = table.createTHead().insertRow();
  head.appendChild(el('th', `${labels.column} \\ cluster`, { scope: 'col' }));
  for (const col of c.cols) head.appendChild(el('th', col, { scope: 'col' }));
  let max = 0;
  for (const row of c.matrix) for (const v of row) max = Math.max(max, v);
  const body = table.createTBody();
  c.rows.forEach((name, r) => {
    const tr = body.insertRow();
    tr.appendChild(el('th', name, { scope: 'row' }));
    c.cols.forEach((col, j) => {
      const v = c.matrix[r]?.[j] ?? 0;
      const td = el('td', formatCount(v), { 'data-value': String(v) });
      const cluster = Number(col);
      if (max > 0 && v > 0) td.style.backgroundColor = withAlpha(clusterColor(Number.isInteger(cluster) ? cluster : j), 0.15 + 0.7 * (v / max));
      tr.appendChild(td);
    });
  });
}

/** Warnings of the fit, one per line. */
export function renderWarnings(warnings: string[]): void {
  const list = byId<HTMLUListElement>('warnings');
  clear(list);
  for (const w of warnings) list.appendChild(el('li', w));
}
