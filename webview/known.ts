/**
 * The "Starting centres" section of a run from known centres: per centre and feature, where
 * the fit started (given in the file, and kept fixed when frozen, or derived from the data)
 * and where it ended. Text through textContent only.
 */
import { formatNumber } from '../src/protocol/format';
import type { PanelView } from '../src/protocol/view';
import { clusterColor } from '../src/protocol/palette';
import { byId, clear, el } from './dom';

export function renderKnown(view: PanelView): void {
  const section = byId('known-section');
  const table = byId<HTMLTableElement>('known');
  const note = byId('known-note');
  clear(table);
  const known = view.known;
  section.hidden = known === undefined;
  if (!known) {
    note.textContent = '';
    return;
  }
  const nGiven = known.centres.reduce((s, c) => s + c.given.filter((v) => v !== null).length, 0);
  const total = known.centres.length * known.featureNames.length;
  note.textContent = `From ${known.fileName}: ${known.centres.length} centre${known.centres.length === 1 ? '' : 's'}, `
    + `${nGiven} of ${total} coordinates given${known.freeze ? ' and kept fixed while iterating' : ''}, the others derived from the data`
    + (known.placed > 0 ? `; ${known.placed} more centre${known.placed === 1 ? ' was' : 's were'} placed by k-means++.` : '.')
    + ' The scatter marks the starting centres with hollow triangles.';
  const head = table.createTHead().insertRow();
  for (const name of ['cluster', 'feature', 'start', 'source', 'final']) head.appendChild(el('th', name, { scope: 'col' }));
  const body = table.createTBody();
  known.centres.forEach((centre, j) => {
    known.featureNames.forEach((feature, t) => {
      const given = centre.given[t];
      const kind = given === null ? 'derived' : known.freeze ? 'fixed' : 'given';
      const tr = body.insertRow();
      tr.setAttribute('data-cluster', String(j));
      tr.setAttribute('data-feature', feature);
      tr.setAttribute('data-kind', kind);
      if (given !== null) tr.classList.add('given');
      const th = el('th', null, { scope: 'row' });
      if (t === 0) {
        const swatch = el('span', null, { class: 'swatch', 'aria-hidden': 'true' });
        swatch.style.backgroundColor = clusterColor(j);
        th.append(swatch, document.createTextNode(String(j)));
      } else {
        th.textContent = String(j);
      }
      tr.appendChild(th);
      tr.appendChild(el('td', feature));
      const start = centre.start[t];
      tr.appendChild(el('td', formatNumber(start, 4), { class: 'start', 'data-value': String(start), title: String(start) }));
      tr.appendChild(el('td', kind === 'derived' ? 'derived from the data' : kind === 'fixed' ? 'given, kept fixed' : 'given', { class: `source ${kind}` }));
      const final = centre.final[t];
      tr.appendChild(el('td', formatNumber(final, 4), { class: 'final', 'data-value': String(final), title: String(final) }));
    });
  });
}
