/**
 * The panel for a file of distances (a matrix or an edge list): the medoids table (named
 * by id, with cluster sizes), how the clusters were found (exact / FasterPAM / PAM), the
 * MDS map's explained share and stress, the similarity conversion rule, the caveat of
 * "MDS, then k-means", and the form's distance settings. Text only through textContent.
 */
import { DEFAULT_DISTANCE_SETTINGS, type DistanceSettings, type RunSettings } from '../src/protocol/messages';
import { clusterColor } from '../src/protocol/palette';
import { formatCount, formatNumber, formatPercent } from '../src/protocol/format';
import type { PanelView } from '../src/protocol/view';
import { byId, clear, el } from './dom';

/** Form fields that mean nothing for a file of distances (hidden while one is shown). */
const FEATURE_FIELDS = ['f-scale', 'f-algorithm', 'f-metric', 'f-missing', 'f-label', 'f-view'];

/** Whether the panel shows a file of distances (the form then sends its distance settings). */
let distanceMode = false;

/** Switches the page between a features file and a file of distances; `density`: a DBSCAN or HDBSCAN result (no centres). */
export function setDistanceMode(on: boolean, density = false): void {
  distanceMode = on;
  byId('f-distances').hidden = !on;
  for (const id of FEATURE_FIELDS) {
    const label = byId(id).closest('label');
    if (label) label.hidden = on;
  }
  for (const node of Array.from(document.querySelectorAll<HTMLElement>('.view-columns'))) if (on) node.hidden = true;
  const columns = byId('f-columns').closest('fieldset');
  if (columns) columns.hidden = on;
  // DBSCAN and HDBSCAN have no centres either.
  byId('centers-section').hidden = on || density;
  if (!on) byId('medoids-section').hidden = true;
  byId('chart-heading').textContent = on ? 'Items by cluster on the MDS map'
    : density ? 'Rows by cluster, noise as grey crosses' : 'Rows by cluster';
}

/** Puts the distance settings into the form (defaults when absent). */
export function fillDistanceForm(settings: RunSettings): void {
  const d = { ...DEFAULT_DISTANCE_SETTINGS, ...settings.distances };
  byId<HTMLSelectElement>('f-d-algorithm').value = d.algorithm;
  byId<HTMLSelectElement>('f-d-method').value = d.method;
  byId<HTMLSelectElement>('f-d-similarity').value = d.similarity;
  byId<HTMLSelectElement>('f-d-missing').value = d.missing;
  if (settings.distances !== undefined) setDistanceMode(true);
}

/** The form's distance settings while a file of distances is shown, else undefined. */
export function readDistanceForm(): DistanceSettings | undefined {
  if (!distanceMode) return undefined;
  return {
    algorithm: byId<HTMLSelectElement>('f-d-algorithm').value as DistanceSettings['algorithm'],
    method: byId<HTMLSelectElement>('f-d-method').value as DistanceSettings['method'],
    similarity: byId<HTMLSelectElement>('f-d-similarity').value as DistanceSettings['similarity'],
    missing: byId<HTMLSelectElement>('f-d-missing').value as DistanceSettings['missing'],
  };
}

/** Shows (or hides, for a features file) the medoids section of `view`. */
export function renderMedoids(view: PanelView): void {
  const m = view.medoids;
  setDistanceMode(m !== undefined, view.density !== undefined);
  if (!m) return;
  const settings = m.settings;
  byId<HTMLSelectElement>('f-d-algorithm').value = settings.algorithm;
  byId<HTMLSelectElement>('f-d-method').value = settings.method;
  byId<HTMLSelectElement>('f-d-similarity').value = settings.similarity;
  byId<HTMLSelectElement>('f-d-missing').value = settings.missing;

  byId('medoids-section').hidden = false;
  byId('medoids-heading').textContent = m.medoids ? 'Medoids' : 'Clusters';
  const source = m.kind === 'matrix' ? 'a square distance matrix' : 'an edge list';
  const how = m.algorithm === 'k-medoids' ? `k-medoids, method: ${m.method}` : `MDS, then k-means: ${m.method}`;
  const parts = [`${formatCount(m.nItems)} items from ${source}; ${how}.`];
  parts.push(`The map is classical MDS of the distances: its two axes carry ${formatPercent(m.mds.explained)}% `
    + `of their structure (stress ${formatNumber(m.mds.stress, 3)}).`);
  if (m.conversion) parts.push(`The numbers were similarities, converted to distances by ${m.conversion.replace(' - ', ' − ')}.`);
  if (m.missingPairs > 0) parts.push(`${formatCount(m.missingPairs)} missing pairs were given shortest-path distances.`);
  byId('medoids-note').textContent = parts.join(' ');
  const caveat = byId('medoids-caveat');
  caveat.hidden = m.caveat === null;
  caveat.textContent = m.caveat === null ? '' : `Caveat: ${m.caveat}.`;

  const table = byId<HTMLTableElement>('medoids');
  clear(table);
  const head = table.createTHead().insertRow();
  for (const name of ['cluster', 'medoid', 'items']) head.appendChild(el('th', name, { scope: 'col' }));
  const body = table.createTBody();
  view.counts.forEach((count, j) => {
    const tr = body.insertRow();
    tr.setAttribute('data-cluster', String(j));
    const th = el('th', null, { scope: 'row' });
    const swatch = el('span', null, { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = clusterColor(j);
    th.append(swatch, document.createTextNode(String(j)));
    tr.appendChild(th);
    const medoid = m.medoids?.[j]?.id;
    tr.appendChild(el('td', medoid ?? '—', { 'data-medoid': medoid ?? '' }));
    tr.appendChild(el('td', formatCount(count), { 'data-value': String(count) }));
  });
}
