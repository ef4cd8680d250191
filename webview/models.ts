/**
 * The Add Rows panel's script: shows the three ways side by side and sends back the one the
 * user adopts. Test hooks on <body>: data-state ("idle" | "running" | "done" | "error"),
 * data-run (sets of ways shown so far) and data-adopted (the way adopted, or empty); each
 * number cell carries its full-precision value in data-value.
 */
import { formatCount, formatNumber } from '../src/protocol/format';
import { isHostToModelsPanel, WAY_TITLES, type AddRowsView, type HostToModelsPanel, type ModelsPanelToHost, type WayView } from '../src/protocol/models';
import { byId, clear, el } from './dom';

interface VsCodeApi {
  postMessage(message: ModelsPanelToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const body = document.body;
let run = 0;

function setState(state: 'idle' | 'running' | 'done' | 'error'): void {
  body.dataset.state = state;
  byId('progress-row').hidden = state !== 'running';
}

function setStatus(text: string, isError = false): void {
  const status = byId('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function numberCell(value: number, way: string, field: string, digits = 6): HTMLTableCellElement {
  return el('td', formatNumber(value, digits), { 'data-way': way, 'data-field': field, 'data-value': String(value) });
}

function show(view: AddRowsView, runNumber: number): void {
  run = runNumber;
  body.dataset.run = String(runNumber);
  body.dataset.adopted = '';
  byId('run-label').textContent = `Run #${runNumber}`;
  byId('title').textContent = `Add rows to ${view.modelName}`;
  document.title = `Add Rows: ${view.fileName}`;
  byId('summary').textContent = `${formatCount(view.nNew)} new row${view.nNew === 1 ? '' : 's'} and ${formatCount(view.nOld)} row${view.nOld === 1 ? '' : 's'} the model already had`
    + ` (${view.fileName}). Before any update, the model's centres give an inertia of ${formatNumber(view.inertiaBefore, 6)} on all rows`
    + ` (${formatNumber(view.newInertiaBefore, 6)} on the new rows alone).`;
  const warnings = byId('warnings');
  clear(warnings);
  for (const w of view.warnings) warnings.append(el('li', w));

  const table = byId<HTMLTableElement>('ways');
  clear(table);
  const head = el('thead');
  const hr = el('tr');
  hr.append(el('th', '', { scope: 'col' }));
  for (const w of view.ways) hr.append(el('th', WAY_TITLES[w.way], { scope: 'col', 'data-way': w.way }));
  head.append(hr);
  const tb = el('tbody');
  const row = (label: string, cells: (w: WayView) => HTMLTableCellElement): void => {
    const tr = el('tr');
    tr.append(el('th', label, { scope: 'row' }));
    for (const w of view.ways) tr.append(cells(w));
    tb.append(tr);
  };
  row('Inertia before (all rows)', (w) => numberCell(view.inertiaBefore, w.way, 'inertiaBefore'));
  row('Inertia after (all rows)', (w) => numberCell(w.inertiaAfter, w.way, 'inertiaAfter'));
  row('Change', (w) => {
    const change = view.inertiaBefore > 0 ? (100 * (w.inertiaAfter - view.inertiaBefore)) / view.inertiaBefore : 0;
    const td = el('td', `${change > 0 ? '+' : ''}${formatNumber(change, 3)}%`, { 'data-way': w.way, 'data-field': 'change', 'data-value': String(change) });
    td.classList.add(change < 0 ? 'better' : change > 0 ? 'worse' : 'same');
    return td;
  });
  row('Rows that changed cluster', (w) => el('td', `${formatCount(w.changedCount)} (${formatCount(w.changedOld)} old, ${formatCount(w.changedNew)} new)`,
    { 'data-way': w.way, 'data-field': 'changedCount', 'data-value': String(w.changedCount) }));
  row('Iterations', (w) => el('td', w.way === 'online' ? 'one update' : String(w.nIter), { 'data-way': w.way, 'data-field': 'nIter', 'data-value': String(w.nIter) }));
  row('Seed kept', (w) => el('td', w.seed === undefined ? '—'
    : `seed ${w.seed} of ${view.nSeeds} (inertias ${(w.seedInertias ?? []).map((v) => formatNumber(v, 4)).join(', ')})`,
  { 'data-way': w.way, 'data-field': 'seed', 'data-value': w.seed === undefined ? '' : String(w.seed) }));
  row('Rows per cluster', (w) => el('td', w.counts.map((c, j) => `${j}: ${formatCount(c)}`).join(', '), { 'data-way': w.way, 'data-field': 'counts' }));
  row('', (w) => {
    const td = el('td', null, { class: 'adopt-cell' });
    const button = el('button', 'Adopt', { type: 'button', 'data-way': w.way, 'aria-label': `Adopt: ${WAY_TITLES[w.way]}` });
    button.addEventListener('click', () => {
      for (const b of table.querySelectorAll('button')) b.disabled = true;
      setStatus('Adopting…');
      vscode.postMessage({ type: 'models/adopt', run, way: w.way });
    });
    td.append(button);
    return td;
  });
  table.append(head, tb);

  const changed = byId('changed');
  clear(changed);
  for (const w of view.ways) {
    const details = el('details', null, { 'data-way': w.way });
    details.append(el('summary', `${WAY_TITLES[w.way]}: ${formatCount(w.changedCount)} row${w.changedCount === 1 ? '' : 's'}`));
    if (w.changedCount === 0) {
      details.append(el('p', 'No row changed cluster.', { class: 'note' }));
    } else {
      const list = el('ol', null, { class: 'changed-list' });
      for (const c of w.changed) list.append(el('li', `${c.file} line ${c.line}${c.isNew ? ' (new)' : ''}: cluster ${c.from} → ${c.to}`));
      details.append(list);
      if (w.changed.length < w.changedCount) details.append(el('p', `The first ${w.changed.length} are listed.`, { class: 'note' }));
    }
    changed.append(details);
  }
  setState('done');
  setStatus('Choose a way and adopt it: it becomes the current model (save it with "Centroid: Save Model…").');
}

function onMessage(message: HostToModelsPanel): void {
  switch (message.type) {
    case 'models/show':
      show(message.view, message.run);
      return;
    case 'models/running': {
      setState('running');
      const bar = byId<HTMLProgressElement>('progress');
      if (message.fraction === null) bar.removeAttribute('value');
      else bar.value = message.fraction;
      byId('progress-text').textContent = message.message;
      return;
    }
    case 'models/failed':
      setState('error');
      setStatus(message.message, true);
      return;
    case 'models/adopted': {
      const table = byId('ways');
      for (const b of table.querySelectorAll('button')) b.disabled = false;
      for (const cell of table.querySelectorAll('.adopted')) cell.classList.remove('adopted');
      if (message.adopted === null) {
        setStatus(message.message, true);
        return;
      }
      for (const cell of table.querySelectorAll(`[data-way="${message.adopted}"]`)) cell.classList.add('adopted');
      body.dataset.adopted = message.adopted;
      setStatus(message.message);
      return;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToModelsPanel(event.data)) onMessage(event.data);
});
byId('cancel').addEventListener('click', () => vscode.postMessage({ type: 'models/cancel' }));
setState('idle');
vscode.postMessage({ type: 'models/ready' });
