/**
 * The settings form: filled from the host's settings and the file's columns, read back
 * into RunSettings (checked with the same guard the host uses) when the user presses Run.
 */
import { parseRunSettings, type ColumnInfo, type RunSettings } from '../src/protocol/messages';
import { byId, clear, el } from './dom';
import { readDistanceForm } from './medoids';
import type { KnownSettings } from '../src/protocol/known';

type Field = HTMLInputElement | HTMLSelectElement;

const f = <T extends Field>(id: string): T => byId<T>(id);

/** Columns last shown, to tell "every numeric column" (null) from an explicit choice. */
let knownColumns: ColumnInfo[] = [];
/**
 * The features the column-role rules chose in the last run they decided (settings.columns
 * null); null before such a run. The same boxes ticked read back as null (the rules decide).
 */
let ruleFeatures: string[] | null = null;
/** The known starting centres of the settings last shown: kept while Init says so. */
let knownCentres: KnownSettings | undefined;
/** Init's value for "known centres (file name)". */
const KNOWN_INIT = '\u0000known';

/**
 * Puts `settings` into the form; `columns` (when non-empty) refreshes the column lists;
 * `features` are the feature columns of the result shown with `settings` (when it reports
 * column roles), so that "the rules decide" ticks the columns they chose.
 */
export function fillForm(settings: RunSettings, columns: ColumnInfo[], features?: string[]): void {
  if (columns.length > 0) knownColumns = columns;
  if (features !== undefined && settings.columns === null) ruleFeatures = features;
  f<HTMLInputElement>('f-k').value = String(settings.k);
  f<HTMLSelectElement>('f-scale').value = settings.scale;
  f<HTMLInputElement>('f-seed').value = String(settings.seed);
  const init = f<HTMLSelectElement>('f-init');
  for (const option of Array.from(init.options)) if (option.value === KNOWN_INIT) option.remove();
  knownCentres = settings.known;
  if (knownCentres) init.appendChild(el('option', `known centres (${knownCentres.fileName})`, { value: KNOWN_INIT }));
  init.value = knownCentres ? KNOWN_INIT : settings.init;
  f<HTMLInputElement>('f-ninit').value = settings.nInit === 'auto' ? '' : String(settings.nInit);
  f<HTMLSelectElement>('f-algorithm').value = settings.algorithm;
  f<HTMLSelectElement>('f-metric').value = settings.metric;
  f<HTMLSelectElement>('f-missing').value = settings.missing;

  const label = f<HTMLSelectElement>('f-label');
  clear(label);
  label.append(el('option', 'auto (a column of classes, if any)', { value: '\u0000auto' }), el('option', 'none', { value: '\u0000none' }));
  for (const c of knownColumns) label.appendChild(el('option', c.numeric ? c.name : `${c.name} (text)`, { value: c.name }));
  if (settings.label.mode === 'column' && !knownColumns.some((c) => c.name === (settings.label as { name: string }).name)) {
    label.appendChild(el('option', settings.label.name, { value: settings.label.name }));
  }
  label.value = settings.label.mode === 'column' ? settings.label.name : `\u0000${settings.label.mode}`;

  const numeric = knownColumns.filter((c) => c.numeric);
  const box = byId('f-columns');
  clear(box);
  for (const c of knownColumns) {
    const input = el('input', null, { type: 'checkbox', value: c.name });
    const chosen = settings.columns ?? ruleFeatures;
    input.checked = c.numeric && (chosen === null ? true : chosen.includes(c.name));
    input.disabled = !c.numeric;
    const item = el('label', null, { class: c.numeric ? 'column' : 'column text' });
    item.append(input, document.createTextNode(c.numeric ? ` ${c.name}` : ` ${c.name} (text)`));
    box.appendChild(item);
  }
  if (knownColumns.length === 0) box.appendChild(el('span', 'every numeric column (the list appears after the first run)', { class: 'note' }));

  const view = f<HTMLSelectElement>('f-view');
  view.value = settings.view.method;
  for (const id of ['f-view-x', 'f-view-y']) {
    const select = f<HTMLSelectElement>(id);
    clear(select);
    for (const c of numeric) select.appendChild(el('option', c.name, { value: c.name }));
  }
  if (settings.view.method === 'columns') {
    f<HTMLSelectElement>('f-view-x').value = settings.view.x;
    f<HTMLSelectElement>('f-view-y').value = settings.view.y;
  } else if (numeric.length > 1) {
    f<HTMLSelectElement>('f-view-y').value = numeric[1].name;
  }
  syncViewColumns();
}

/** Whether the column `name` holds numbers; undefined when the form does not know the column. */
export function columnIsNumeric(name: string): boolean | undefined {
  return knownColumns.find((c) => c.name === name)?.numeric;
}

/** Shows the x/y column pickers only for a two-column view. */
export function syncViewColumns(): void {
  const show = f<HTMLSelectElement>('f-view').value === 'columns';
  for (const node of Array.from(document.querySelectorAll<HTMLElement>('.view-columns'))) node.hidden = !show;
}

/**
 * Whether the ticked columns are what `columns: null` gives: the rules' features once a run
 * reported them, else every numeric column.
 */
function sameColumns(checked: string[], rules: string[] | null, numericCount: number): boolean {
  if (rules === null) return checked.length === numericCount;
  return checked.length === rules.length && rules.every((name) => checked.includes(name));
}

/** The form as RunSettings; throws with a message naming the bad field. */
export function readForm(): RunSettings {
  const k = Number(f<HTMLInputElement>('f-k').value);
  const seedText = f<HTMLInputElement>('f-seed').value.trim();
  const nInitText = f<HTMLInputElement>('f-ninit').value.trim();
  const labelValue = f<HTMLSelectElement>('f-label').value;
  const checked = Array.from(byId('f-columns').querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')).map((i) => i.value);
  const numericCount = knownColumns.filter((c) => c.numeric).length;
  const viewMethod = f<HTMLSelectElement>('f-view').value;
  const draft: unknown = {
    k,
    scale: f<HTMLSelectElement>('f-scale').value,
    seed: seedText === '' ? 0 : Number(seedText),
    // Known centres take the place of init; k-means++ or random drops them.
    init: f<HTMLSelectElement>('f-init').value === KNOWN_INIT ? 'k-means++' : f<HTMLSelectElement>('f-init').value,
    nInit: nInitText === '' || nInitText === 'auto' ? 'auto' : Number(nInitText),
    algorithm: f<HTMLSelectElement>('f-algorithm').value,
    metric: f<HTMLSelectElement>('f-metric').value,
    missing: f<HTMLSelectElement>('f-missing').value,
    label: labelValue === '\u0000auto' ? { mode: 'auto' } : labelValue === '\u0000none' ? { mode: 'none' } : { mode: 'column', name: labelValue },
    columns: knownColumns.length === 0 || sameColumns(checked, ruleFeatures, numericCount) ? null : checked,
    view: viewMethod === 'columns'
      ? { method: 'columns', x: f<HTMLSelectElement>('f-view-x').value, y: f<HTMLSelectElement>('f-view-y').value }
      : { method: 'pca' },
  };
  if (f<HTMLSelectElement>('f-init').value === KNOWN_INIT && knownCentres) Object.assign(draft as Record<string, unknown>, { known: knownCentres });
  const distances = readDistanceForm();
  if (distances !== undefined) Object.assign(draft as Record<string, unknown>, { distances });
  if (Array.isArray((draft as { columns: unknown }).columns) && checked.length === 0) {
    throw new Error('choose at least one feature column');
  }
  try {
    return parseRunSettings(draft, 'the form');
  } catch (e) {
    throw new Error((e as Error).message.replace(/^the form: /, ''));
  }
}
