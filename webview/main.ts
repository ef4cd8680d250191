/**
 * The cluster panel's script. Talks to the extension host only through protocol messages:
 * receives settings, progress, results and failures; sends re-runs, cancel, reveal-row and
 * save-PNG requests. Test hooks on <body>: data-state ("idle" | "running" | "done" |
 * "error"), data-run (results shown so far) and data-drawn ("yes" once the chart of the
 * current run is on the canvas).
 */
import { isHostToWebview, type HostToWebview, type RunSettings, type WebviewToHost } from '../src/protocol/messages';
import { PendingRequests } from '../src/protocol/rpc';
import { formatCount, formatNumber, formatPercent } from '../src/protocol/format';
import type { PanelView } from '../src/protocol/view';
import { pngCaption, ScatterView } from './chart';
import { ChooseKView } from './chooseK';
import { DensityView } from './density';
import { DENSITY_PANEL_TYPES, type HostToWebviewDensity } from '../src/protocol/density';
import { byId } from './dom';
import { columnIsNumeric, fillForm, readForm, syncViewColumns } from './form';
import { renderRoles, setRolesBusy } from './roles';
import { renderCenters, renderLabels, renderLegend, renderMetrics, renderWarnings } from './tables';
import { hideLabelMap, renderLabelMap, wireBasisChoices, type MappingChange } from './labelMap';
import { fillDistanceForm, renderMedoids } from './medoids';
import { renderKnown } from './known';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const requests = new PendingRequests<unknown>();
const body = document.body;

let hasResult = false;
/** The run whose chart is being drawn; data-drawn turns "yes" when it is on the canvas. */
let drawingRun = 0;

const chart = new ScatterView(
  byId<HTMLCanvasElement>('scatter'),
  () => {
    if (drawingRun > 0 && body.dataset.run === String(drawingRun)) body.dataset.drawn = 'yes';
  },
  (row) => vscode.postMessage({ type: 'webview/revealRow', row }),
);

const chooseK = new ChooseKView((message) => vscode.postMessage(message));
const density = new DensityView((message) => vscode.postMessage(message));

function setState(state: 'idle' | 'running' | 'done' | 'error'): void {
  body.dataset.state = state;
  byId('progress-row').hidden = state !== 'running';
  byId<HTMLButtonElement>('run').disabled = state === 'running';
  setRolesBusy(state === 'running');
}

function setStatus(text: string, isError = false): void {
  const status = byId('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

/**
 * VS Code recreates typed arrays in the webview (engines >= 1.57); should a host ever
 * send them as plain arrays or index-keyed objects, rebuild them rather than misdraw.
 */
function typed<T extends Float32Array | Float64Array | Int32Array>(value: unknown, make: (values: number[]) => T, sample: T): T {
  if (value instanceof (sample.constructor as typeof Float32Array | typeof Float64Array | typeof Int32Array)) return value as T;
  if (Array.isArray(value)) return make(value.map(Number));
  if (typeof value === 'object' && value !== null) return make(Object.values(value as Record<string, unknown>).map(Number));
  return make([]);
}

function normalizePlot(view: PanelView): void {
  const p = view.plot;
  const f32 = (v: unknown): Float32Array => typed(v, (a) => Float32Array.from(a), new Float32Array(0));
  const f64 = (v: unknown): Float64Array => typed(v, (a) => Float64Array.from(a), new Float64Array(0));
  const i32 = (v: unknown): Int32Array => typed(v, (a) => Int32Array.from(a), new Int32Array(0));
  p.points = f32(p.points);
  p.centers = f32(p.centers);
  if (p.startCenters !== undefined) p.startCenters = f32(p.startCenters);
  p.values = f64(p.values);
  p.rows = i32(p.rows);
  p.lines = i32(p.lines);
  p.labels = i32(p.labels);
}

/** Starts a run with `settings`: the form's Run button and the Columns section's buttons. */
function requestRun(settings: RunSettings): void {
  const { id, promise } = requests.create('Run', 15000);
  vscode.postMessage({ type: 'webview/rerun', id, settings });
  promise.catch((e: unknown) => setStatus((e as Error).message, true));
}

function showResult(run: number, view: PanelView, settings: RunSettings): void {
  normalizePlot(view);
  hasResult = true;
  drawingRun = run;
  body.dataset.drawn = 'no';
  body.dataset.run = String(run);
  byId('run-label').textContent = `Run #${run}`;
  // Which method's result this is, in words and as a hook (data-method): k-means and the density
  // methods replace each other, so the panel never mixes two.
  const method = view.density ? view.density.method : view.medoids ? view.medoids.algorithm : 'k-means';
  body.dataset.method = method;
  byId('method-badge').textContent = view.density ? (view.density.method === 'dbscan' ? 'DBSCAN' : 'HDBSCAN')
    : view.medoids ? (view.medoids.algorithm === 'k-medoids' ? 'k-medoids' : 'MDS + k-means') : 'k-means';
  density.shownResult(view.density ? null : byId('method-badge').textContent ?? 'k-means', run);
  byId('title').textContent = `Clusters: ${view.fileName}`;
  document.title = `Clusters: ${view.fileName}`;
  const seconds = view.elapsedMs >= 1000 ? `${formatNumber(view.elapsedMs / 1000, 3)} s` : `${Math.round(view.elapsedMs)} ms`;
  const iterations = view.medoids?.algorithm === 'k-medoids' || view.density ? '' : ` ${view.nIter} iteration${view.nIter === 1 ? '' : 's'},`;
  byId('summary').textContent = `${view.summary};${iterations} ${seconds}.`;
  renderWarnings(view.warnings);
  renderRoles(view, settings, columnIsNumeric, requestRun);
  renderMetrics(view);
  renderLegend(view);
  renderCenters(view);
  renderLabels(view);
  renderMedoids(view);
  renderKnown(view);
  const plot = view.plot;
  const shown = plot.rows.length;
  const what = view.medoids ? 'items' : 'rows';
  const explained = plot.explained !== null ? ` The two principal components explain ${formatPercent(plot.explained)}% of the variance.` : '';
  byId('sample-note').textContent = (shown < plot.total
    ? `Showing ${formatCount(shown)} of ${formatCount(plot.total)} ${what} (a sample that keeps every cluster).`
    : `Showing all ${formatCount(plot.total)} ${what}.`) + explained;
  byId<HTMLButtonElement>('save-png').disabled = false;
  byId<HTMLButtonElement>('export').disabled = false;
  // Clusters changed: the last label mapping no longer applies (Map Clusters to Labels again).
  hideLabelMap();
  setState('done');
  setStatus('');
  chart.show(plot, view.k, pngCaption(view));
}

function onMessage(message: HostToWebview): void {
  switch (message.type) {
    case 'panel/settings':
      vscode.setState({ file: message.file });
      byId('title').textContent = `Clusters: ${message.fileName}`;
      document.title = `Clusters: ${message.fileName}`;
      fillForm(message.settings, message.columns);
      fillDistanceForm(message.settings);
      return;
    case 'panel/running': {
      setState('running');
      const bar = byId<HTMLProgressElement>('progress');
      if (message.fraction === null) bar.removeAttribute('value');
      else bar.value = message.fraction;
      byId('progress-text').textContent = message.message;
      setStatus(hasResult ? 'Running; the last result stays until the new one arrives.' : '');
      return;
    }
    case 'panel/result':
      fillForm(message.settings, [], message.view.roles ? message.view.featureNames : undefined);
      showResult(message.run, message.view, message.settings);
      chooseK.fitShown(message.run);
      return;
    case 'panel/failed':
      if (message.cancelled) {
        setState(hasResult ? 'done' : 'idle');
        setStatus(`${message.message}.`.replace(/\.\.$/, '.'));
      } else {
        setState('error');
        setStatus(message.message, true);
      }
      return;
    case 'host/reply':
      requests.settle(message.id, message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
      return;
    case 'panel/labelMap':
      byId('lm-error').textContent = '';
      renderLabelMap(message.view, sendMapping);
      return;
    case 'panel/chartRequest':
      vscode.postMessage({ type: 'webview/chartPng', id: message.id, dataUrl: hasResult ? chart.toPng() : null });
      return;
    default:
      if ((DENSITY_PANEL_TYPES as readonly string[]).includes(message.type)) density.handle(message as HostToWebviewDensity);
      else chooseK.handle(message as Exclude<typeof message, HostToWebviewDensity>);
  }
}

/** A mapping chosen in the panel goes to the host, which checks it and sends the section back. */
const sendMapping: MappingChange = (mapping, basis) => {
  const { id, promise } = requests.create('Mapping', 15000);
  vscode.postMessage({ type: 'webview/setMapping', id, mapping, basis });
  promise.catch((e: unknown) => {
    byId('lm-error').textContent = `The mapping was not changed: ${(e as Error).message}`;
  });
};
wireBasisChoices(sendMapping);

byId('export').addEventListener('click', () => vscode.postMessage({ type: 'webview/export' }));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToWebview(event.data)) return;
  try {
    onMessage(event.data);
  } catch (e) {
    report(e);
  }
});

byId<HTMLFormElement>('settings-form').addEventListener('submit', (event) => {
  event.preventDefault();
  let settings: RunSettings;
  try {
    settings = readForm();
  } catch (e) {
    byId('form-error').textContent = (e as Error).message;
    return;
  }
  byId('form-error').textContent = '';
  requestRun(settings);
});

byId('f-view').addEventListener('change', syncViewColumns);

byId('cancel').addEventListener('click', () => vscode.postMessage({ type: 'webview/cancel' }));

byId('save-png').addEventListener('click', () => {
  const { id, promise } = requests.create('Save PNG', 10 * 60 * 1000);
  vscode.postMessage({ type: 'webview/savePng', id, dataUrl: chart.toPng() });
  promise.then(
    (path) => setStatus(typeof path === 'string' ? `Saved the chart to ${path}` : ''),
    (e: unknown) => setStatus(`Could not save the chart: ${(e as Error).message}`, true),
  );
});

// Theme switches change the body's classes; the chart reads its colours again.
new MutationObserver(() => {
  chart.refreshTheme();
  chooseK.refreshTheme();
  density.refreshTheme();
}).observe(body, { attributes: true, attributeFilter: ['class'] });

function report(e: unknown): void {
  const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  vscode.postMessage({ type: 'webview/error', message });
}
window.addEventListener('error', (event) => report(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => report(event.reason));

setState('idle');
vscode.postMessage({ type: 'webview/ready' });
