/**
 * The "Columns" section, before the chart: which columns the fit clustered on, why every
 * other column was left out (id, label, category, …), how the features were scaled, and
 * one-click re-runs that change those choices. Text only through textContent (column names
 * and reasons come from the CSV). Test hooks: #roles; per left-out column
 * `li[data-column][data-role]`; buttons by data-action: use-feature, rules-decide,
 * scale-none, scale-standard, scale-auto.
 */
import type { RunSettings } from '../src/protocol/messages';
import type { ColumnRole, ColumnRoleInfo, ScalingInfo } from '../src/protocol/roles';
import type { PanelView } from '../src/protocol/view';
import { byId, clear, el } from './dom';

/** Feature names shown before "and N more"; the whole list is in the line's title. */
const SHOWN_FEATURES = 8;

/** Roles a column can be switched from into a feature (if it holds numbers). */
const CAN_BE_FEATURE: ReadonlySet<ColumnRole> = new Set<ColumnRole>(['id', 'category', 'unused', 'label']);

/** Starts a run with these settings (the same path as the form's Run button). */
export type Rerun = (settings: RunSettings) => void;

/**
 * Fills #roles from `view.roles` and `view.scaling`, or hides it when the fit reports no
 * roles (files of distances). `settings` are those of the shown result; every button re-runs
 * with them, changed in one place. `isNumeric` says whether a column holds numbers
 * (undefined when unknown: the button is offered and the run says what is wrong).
 */
export function renderRoles(view: PanelView, settings: RunSettings, isNumeric: (name: string) => boolean | undefined, rerun: Rerun): void {
  const section = byId('roles');
  const features = byId('roles-features');
  const list = byId<HTMLUListElement>('roles-list');
  const scaling = byId('roles-scaling');
  for (const node of [features, list, scaling]) clear(node);
  const roles = view.roles;
  section.hidden = roles === undefined;
  if (roles === undefined) return;

  renderFeatures(features, view.featureNames, settings, rerun);
  for (const info of roles) {
    if (info.role === 'feature') continue;
    list.appendChild(roleRow(info, view, settings, isNumeric, rerun));
  }
  if (view.scaling) renderScaling(scaling, view.scaling, settings, rerun);
  scaling.hidden = view.scaling === undefined;
}

/** "13 features: a, b, …, and 5 more", plus "Let the rules decide" when the user chose them. */
function renderFeatures(line: HTMLElement, names: string[], settings: RunSettings, rerun: Rerun): void {
  const shown = names.slice(0, SHOWN_FEATURES).join(', ');
  const more = names.length > SHOWN_FEATURES ? `, and ${names.length - SHOWN_FEATURES} more` : '';
  const chosen = settings.columns !== null;
  const text = el('span', `${names.length} feature${names.length === 1 ? '' : 's'}${chosen ? ' (chosen by you)' : ''}: ${shown}${more}`, {
    class: 'roles-text',
    title: names.join(', '),
  });
  line.setAttribute('data-count', String(names.length));
  line.appendChild(text);
  if (chosen) {
    line.appendChild(actionButton('Let the rules decide', 'rules-decide',
      'Re-run with the feature columns and the label column chosen by the rules',
      () => rerun({ ...settings, columns: null, label: { mode: 'auto' } })));
  }
}

/** `<li data-column data-role><code>name</code>: reason [Use as feature]</li>`. */
function roleRow(info: ColumnRoleInfo, view: PanelView, settings: RunSettings, isNumeric: (name: string) => boolean | undefined, rerun: Rerun): HTMLLIElement {
  const item = el('li', null, { 'data-column': info.name, 'data-role': info.role });
  const text = el('span', null, { class: 'roles-text' });
  text.append(el('code', info.name), document.createTextNode(`: ${info.reason}`));
  item.appendChild(text);
  if (CAN_BE_FEATURE.has(info.role) && isNumeric(info.name) !== false) {
    item.appendChild(actionButton('Use as feature', 'use-feature', `Re-run with ${info.name} among the features`, () => {
      const wanted = new Set([...view.featureNames, info.name]);
      // File order: the order of the roles, which list every column.
      const columns = (view.roles ?? []).map((r) => r.name).filter((name) => wanted.has(name));
      rerun({ ...settings, columns, ...(info.role === 'label' ? { label: { mode: 'none' as const } } : {}) });
    }));
  }
  return item;
}

const SCALE_WORDS: Record<ScalingInfo['kind'], string> = { none: 'none', standard: 'standardised', minmax: 'min–max' };

/** "Scaling: standardised — reason", with the formula in the title and the buttons that change it. */
function renderScaling(line: HTMLElement, scaling: ScalingInfo, settings: RunSettings, rerun: Rerun): void {
  line.setAttribute('data-kind', scaling.kind);
  line.setAttribute('data-auto', String(scaling.auto));
  line.appendChild(el('span', `Scaling: ${SCALE_WORDS[scaling.kind]} — ${scaling.reason}`, { class: 'roles-text', title: scaling.formula }));
  if (scaling.kind !== 'none') {
    line.appendChild(actionButton('Use original units', 'scale-none', 'Re-run on the values as they are, without scaling',
      () => rerun({ ...settings, scale: 'none' })));
  } else if (settings.metric === 'euclidean') {
    line.appendChild(actionButton('Standardise and re-run', 'scale-standard', 'Re-run with each feature scaled to mean 0 and standard deviation 1',
      () => rerun({ ...settings, scale: 'standard' })));
  }
  if (!scaling.auto) {
    line.appendChild(actionButton('Let the rules decide', 'scale-auto', 'Re-run with the scaling decided from the feature ranges',
      () => rerun({ ...settings, scale: 'auto' })));
  }
}

function actionButton(text: string, action: string, title: string, onClick: () => void): HTMLButtonElement {
  const button = el('button', text, { type: 'button', class: 'secondary small', 'data-action': action, title });
  button.addEventListener('click', onClick);
  return button;
}

/** Disables the section's buttons while a run is going (a click would only queue another). */
export function setRolesBusy(busy: boolean): void {
  for (const button of Array.from(byId('roles').querySelectorAll<HTMLButtonElement>('button'))) button.disabled = busy;
}
