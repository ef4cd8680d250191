/**
 * The "Clusters and labels" section (Map Clusters to Labels…): external metrics in words,
 * what k against the number of classes means, the mapping with one select per cluster
 * (edits go to the host, which checks them), the accuracy with its caveat, and the
 * contingency table as a heatmap whose cells carry their numbers as text and in aria
 * labels. Text only through textContent and attribute values.
 */
import { formatCount, formatNumber } from '../src/protocol/format';
import type { LabelMapView, MappingBasisTag } from '../src/protocol/labels';
import { byId, clear, el } from './dom';

/** Called with a mapping chosen in the section (one entry per cluster, null: unmatched). */
export type MappingChange = (mapping: (string | null)[], basis: MappingBasisTag) => void;

let current: LabelMapView | undefined;

/** Hides the section (a new fit makes the last mapping stale). */
export function hideLabelMap(): void {
  current = undefined;
  byId('label-map-section').hidden = true;
}

/** Shows the section for `view`; `onChange` gets the user's edits. */
export function renderLabelMap(view: LabelMapView, onChange: MappingChange): void {
  current = view;
  const section = byId('label-map-section');
  section.hidden = false;
  section.dataset.basis = view.basis;
  section.dataset.seq = String(view.seq);
  document.body.dataset.labelmap = String(view.seq);
  // The older summary of the fit's own label column would repeat this section.
  byId('labels-section').hidden = true;

  byId('lm-source').textContent = `Known classes from the column "${view.column}": ${view.classes.length} class${view.classes.length === 1 ? '' : 'es'}, `
    + `${view.k} cluster${view.k === 1 ? '' : 's'}, ${formatCount(view.nRows)} rows with both.`;

  const notes = byId<HTMLUListElement>('lm-notes');
  clear(notes);
  for (const note of view.notes) notes.appendChild(el('li', note));

  const metrics = byId<HTMLTableElement>('lm-metrics');
  clear(metrics);
  const mbody = metrics.createTBody();
  for (const row of view.metrics) {
    const tr = el('tr', null, { 'data-metric': row.key });
    tr.append(el('th', row.name, { scope: 'row' }), el('td', formatNumber(row.value, 4), { 'data-value': String(row.value), title: String(row.value) }));
    mbody.appendChild(tr);
  }

  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="lm-basis"]')) {
    input.checked = input.value === view.basis;
  }
  byId('lm-edited').hidden = view.basis !== 'edited';

  renderMappingTable(view, onChange);

  const accuracy = byId('lm-accuracy');
  clear(accuracy);
  accuracy.append(
    el('strong', `Accuracy after mapping: ${formatNumber(view.accuracy, 4)}`, { 'data-value': String(view.accuracy), id: 'lm-accuracy-value' }),
    document.createTextNode(view.flattering ? ' (flattering: several clusters share a class). ' : '. '),
    el('span', view.caveat, { class: 'note' }),
  );
  const unmatched: string[] = [];
  if (view.unmatchedClusters.length > 0) unmatched.push(`Unmatched clusters: ${view.unmatchedClusters.join(', ')}.`);
  if (view.unmatchedClasses.length > 0) unmatched.push(`Classes with no cluster: ${view.unmatchedClasses.join(', ')}.`);
  byId('lm-unmatched').textContent = unmatched.join(' ');

  renderHeatmap(view);
}

function renderMappingTable(view: LabelMapView, onChange: MappingChange): void {
  const table = byId<HTMLTableElement>('lm-mapping');
  clear(table);
  const head = table.createTHead().insertRow();
  for (const name of ['cluster', 'rows with a class', 'class']) head.appendChild(el('th', name, { scope: 'col' }));
  const body = table.createTBody();
  for (let c = 0; c < view.k; c++) {
    const tr = body.insertRow();
    tr.dataset.cluster = String(c);
    tr.appendChild(el('th', `Cluster ${c}`, { scope: 'row' }));
    let rows = 0;
    for (const row of view.matrix) rows += row[c] ?? 0;
    tr.appendChild(el('td', formatCount(rows)));
    const td = el('td');
    const select = el('select', null, { 'aria-label': `Class of cluster ${c}`, 'data-cluster': String(c), class: 'lm-select' });
    select.appendChild(el('option', '(unmatched)', { value: '-1' }));
    view.classes.forEach((name, r) => select.appendChild(el('option', name, { value: String(r) })));
    const mapped = view.mapping[c];
    select.value = mapped === null || mapped === undefined ? '-1' : String(view.classes.indexOf(mapped));
    select.addEventListener('change', () => {
      if (!current) return;
      const next = readSelects(current);
      onChange(next, 'edited');
    });
    td.appendChild(select);
    if (mapped === null || mapped === undefined) td.appendChild(el('span', ' unmatched', { class: 'note' }));
    tr.appendChild(td);
  }
}

/** The mapping the selects show now. */
function readSelects(view: LabelMapView): (string | null)[] {
  const out: (string | null)[] = new Array(view.k).fill(null);
  for (const select of document.querySelectorAll<HTMLSelectElement>('#lm-mapping select[data-cluster]')) {
    const c = Number(select.dataset.cluster);
    const r = Number(select.value);
    if (Number.isInteger(c) && c >= 0 && c < view.k) out[c] = r >= 0 && r < view.classes.length ? view.classes[r] : null;
  }
  return out;
}

/** The contingency table: rows are classes, columns clusters; shade by share of the largest cell. */
function renderHeatmap(view: LabelMapView): void {
  const table = byId<HTMLTableElement>('lm-contingency');
  clear(table);
  const caption = table.createCaption();
  caption.textContent = `Rows per class of "${view.column}" and cluster`;
  byId('lm-heat-note').textContent = 'Table rows are classes, columns are clusters; a darker cell holds more rows, and outlined cells are the mapping in use.';
  const head = table.createTHead().insertRow();
  head.appendChild(el('th', 'class \\ cluster', { scope: 'col' }));
  for (let c = 0; c < view.k; c++) head.appendChild(el('th', `${c}${view.mapping[c] === null ? ' (unmatched)' : ''}`, { scope: 'col' }));
  let max = 0;
  for (const row of view.matrix) for (const v of row) max = Math.max(max, v);
  const body = table.createTBody();
  view.classes.forEach((name, r) => {
    const tr = body.insertRow();
    tr.appendChild(el('th', name, { scope: 'row' }));
    for (let c = 0; c < view.k; c++) {
      const v = view.matrix[r]?.[c] ?? 0;
      const mapped = view.mapping[c] === name;
      const td = el('td', formatCount(v), {
        'data-value': String(v),
        'data-cluster': String(c),
        'aria-label': `${name} in cluster ${c}: ${v} row${v === 1 ? '' : 's'}${mapped ? ', mapped' : ''}`,
      });
      // A custom property, read by the stylesheet (theme colours), sets the shade.
      td.style.setProperty('--heat', max > 0 ? (v / max).toFixed(3) : '0');
      if (mapped) td.classList.add('mapped');
      if (v === 0) td.classList.add('zero');
      tr.appendChild(td);
    }
  });
}

/** Wires the two mapping choices (one-to-one, many-to-one) to `onChange`. */
export function wireBasisChoices(onChange: MappingChange): void {
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="lm-basis"]')) {
    input.addEventListener('change', () => {
      if (!current || !input.checked) return;
      if (input.value === 'oneToOne') onChange([...current.oneToOne], 'oneToOne');
      else if (input.value === 'manyToOne') onChange([...current.manyToOne], 'manyToOne');
    });
  }
}
