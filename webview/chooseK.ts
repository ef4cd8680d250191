/**
 * The Choose k view of the cluster panel: one chart.js line chart per score against k
 * (inertia with its elbow, silhouette, Davies-Bouldin, Calinski-Harabasz, stability), the
 * suggested k marked on each with the one-sentence reason, and a table sortable by any score.
 * Rows arrive one by one while the sweep runs; clicking a k (a chart point or a Fit button)
 * asks the host to fit it. Test hooks on #choosek: data-state ("idle" | "running" | "done" |
 * "error" | "cancelled"), data-rows (rows shown) and data-suggested-k; each chart canvas
 * carries data-suggested-point="x,y" (CSS pixels) once the suggested k is drawn.
 */
import {
  Chart, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend,
  type ChartDataset, type Plugin, type ScriptableContext,
} from 'chart.js';
import type { WebviewToHost } from '../src/protocol/messages';
import type { HostToWebviewSweep, SweepOutput, SweepRequest, SweepRow } from '../src/protocol/sweep';
import { clusterColor } from '../src/protocol/palette';
import { formatNumber } from '../src/protocol/format';
import { byId, clear, cssVar, el } from './dom';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

type Score = 'inertia' | 'silhouette' | 'daviesBouldin' | 'calinskiHarabasz' | 'stability';
type SortKey = 'k' | Score;

const SCORES: { key: Score; name: string; better: string }[] = [
  { key: 'inertia', name: 'Inertia', better: 'lower is tighter; look for the elbow' },
  { key: 'silhouette', name: 'Silhouette', better: 'higher is better' },
  { key: 'daviesBouldin', name: 'Davies-Bouldin', better: 'lower is better' },
  { key: 'calinskiHarabasz', name: 'Calinski-Harabasz', better: 'higher is better' },
  { key: 'stability', name: 'Stability (ARI)', better: 'higher is more stable across seeds' },
];

interface Pt {
  x: number;
  y: number;
}

interface Setting {
  init: SweepRow['init'];
  metric: SweepRow['metric'];
}

interface Theme {
  text: string;
  grid: string;
  suggested: string;
  elbow: string;
}

function readTheme(): Theme {
  const text = cssVar('--vscode-editor-foreground', cssVar('--vscode-foreground', '#333333'));
  return {
    text,
    grid: cssVar('--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.35)'),
    suggested: cssVar('--vscode-charts-green', cssVar('--vscode-focusBorder', text)),
    elbow: cssVar('--vscode-charts-orange', cssVar('--vscode-editorWarning-foreground', text)),
  };
}

const sameSetting = (a: Setting, b: Setting): boolean => a.init === b.init && a.metric === b.metric;
const settingName = (s: Setting): string => `${s.init}, ${s.metric}`;

export class ChooseKView {
  private request: SweepRequest | undefined;
  private rows: SweepRow[] = [];
  private output: SweepOutput | undefined;
  private sortKey: SortKey = 'k';
  private sortDescending = false;
  private readonly charts = new Map<Score, Chart<'line', Pt[]>>();
  private theme = readTheme();
  private renderQueued = false;
  private readonly section = byId('choosek');
  /** A fit of this view's k was asked for: the next fit result is that one, not a later one. */
  private fitAsked = false;

  constructor(private readonly post: (message: WebviewToHost) => void) {
    byId('choose-k').addEventListener('click', () => this.post({ type: 'webview/chooseK' }));
    byId('choosek-cancel').addEventListener('click', () => this.post({ type: 'webview/sweepCancel' }));
    byId('choosek-hide').addEventListener('click', () => {
      this.section.hidden = true;
    });
    this.setState('idle');
  }

  handle(message: HostToWebviewSweep): void {
    switch (message.type) {
      case 'panel/sweepStart':
        this.markStale(null);
        this.request = message.sweep;
        this.rows = [];
        this.output = undefined;
        this.section.hidden = false;
        this.setState('running');
        byId('choosek-grid').textContent = gridText(message.sweep);
        byId('choosek-why').textContent = '';
        byId('choosek-status').textContent = '';
        byId('choosek-status').classList.remove('error');
        this.progress(0, `Starting on ${message.fileName}`);
        this.queueRender();
        return;
      case 'panel/sweepProgress':
        this.progress(message.fraction, message.message);
        return;
      case 'panel/sweepRow':
        adaptScores(message.row);
        this.rows.push(message.row);
        this.queueRender();
        return;
      case 'panel/sweepResult': {
        this.output = message.output;
        this.rows = [...message.output.report.results];
        if (this.rows.length > 0) adaptScores(this.rows[0]);
        this.section.hidden = false;
        const r = message.output.report;
        byId('choosek-why').textContent = r.suggestedK === null ? capitalise(`${r.why}.`) : `Suggested k = ${r.suggestedK}: ${r.why}.`;
        byId('choosek-status').textContent = notes(message.output);
        this.section.dataset.suggestedK = r.suggestedK === null ? '' : String(r.suggestedK);
        this.setState('done');
        this.render();
        return;
      }
      case 'panel/sweepFailed': {
        this.setState(message.cancelled ? 'cancelled' : 'error');
        const status = byId('choosek-status');
        status.textContent = `${message.message}.`.replace(/\.\.$/, '.')
          + (this.rows.length > 0 ? ` The ${this.rows.length} settings scored before stay shown.` : '');
        status.classList.toggle('error', !message.cancelled);
        return;
      }
    }
  }

  /**
   * A fit result is shown as run `run`. A fit this view asked for belongs to it; any other
   * fit came later, perhaps with other columns or scaling, so the scores above it are marked
   * as older (data-stale, dimmed, and a sentence) until Choose k runs again.
   */
  fitShown(run: number): void {
    if (this.fitAsked) {
      this.fitAsked = false;
      return;
    }
    if (!this.section.hidden && this.section.dataset.state !== 'running') this.markStale(run);
  }

  private fitK(k: number, setting: Setting): void {
    this.fitAsked = true;
    this.markStale(null);
    this.post({ type: 'webview/fitK', k, init: setting.init, metric: setting.metric });
  }

  private markStale(run: number | null): void {
    this.section.classList.toggle('stale', run !== null);
    this.section.dataset.stale = run === null ? 'no' : 'yes';
    byId('choosek-stale').textContent = run === null ? ''
      : `These scores were computed before run #${run}, with the settings of that time; press Choose k… to score again.`;
  }

  /** Re-reads the theme colours and redraws (on a theme change). */
  refreshTheme(): void {
    this.theme = readTheme();
    if (this.rows.length > 0) this.render();
  }

  private setState(state: 'idle' | 'running' | 'done' | 'error' | 'cancelled'): void {
    this.section.dataset.state = state;
    byId('choosek-progress-row').hidden = state !== 'running';
  }

  private progress(fraction: number | null, message: string): void {
    const bar = byId<HTMLProgressElement>('choosek-progress');
    if (fraction === null) bar.removeAttribute('value');
    else bar.value = fraction;
    byId('choosek-progress-text').textContent = message;
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private settings(): Setting[] {
    const out: Setting[] = [];
    const req = this.request ?? this.output?.report.grid;
    if (req) for (const init of req.inits) for (const metric of req.metrics) out.push({ init, metric });
    for (const r of this.rows) if (!out.some((s) => sameSetting(s, r))) out.push({ init: r.init, metric: r.metric });
    return out;
  }

  private suggested(): { k: number; setting: Setting; elbowK: number | null } | null {
    const r = this.output?.report;
    if (!r || r.suggestedK === null) return null;
    return { k: r.suggestedK, setting: r.suggestedSetting, elbowK: r.elbowK };
  }

  private render(): void {
    this.section.dataset.rows = String(this.rows.length);
    for (const score of SCORES) this.renderChart(score.key);
    this.renderTable();
  }

  private renderChart(score: Score): void {
    const settings = this.settings();
    const suggested = this.suggested();
    const datasets: ChartDataset<'line', Pt[]>[] = settings.map((s, i) => {
      const data: Pt[] = [];
      for (const r of this.rows) {
        const y = r[score];
        if (sameSetting(r, s) && y !== null && Number.isFinite(y)) data.push({ x: r.k, y });
      }
      data.sort((a, b) => a.x - b.x);
      const isSuggested = suggested !== null && sameSetting(s, suggested.setting);
      const big = (ctx: ScriptableContext<'line'>): number => (isSuggested && (ctx.raw as Pt | undefined)?.x === suggested?.k ? 7 : 3);
      return {
        label: settingName(s),
        data,
        borderColor: clusterColor(i),
        backgroundColor: clusterColor(i),
        borderWidth: 2,
        pointRadius: big,
        pointHoverRadius: (ctx: ScriptableContext<'line'>) => big(ctx) + 2,
        pointStyle: (ctx: ScriptableContext<'line'>) => (big(ctx) > 3 ? 'rectRot' : 'circle'),
        tension: 0,
        // A point on the edge of the axes (stability 1) is drawn whole.
        clip: false,
      };
    });
    const existing = this.charts.get(score);
    if (existing) {
      existing.data.datasets = datasets;
      this.applyTheme(existing, settings.length);
      existing.update('none');
      return;
    }
    const canvas = byId<HTMLCanvasElement>(`ck-${score}`);
    const markers: Plugin<'line'> = {
      id: 'centroidChooseKMarkers',
      afterDatasetsDraw: (chart) => this.drawMarkers(chart as unknown as Chart<'line', Pt[]>, score, canvas),
    };
    const chart = new Chart<'line', Pt[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        parsing: false,
        spanGaps: true,
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        layout: { padding: { top: 14, right: 8 } },
        scales: {
          x: { type: 'linear', ticks: { precision: 0 }, title: { display: true, text: 'k' } },
          // The adjusted Rand index is at most 1: no axis above it.
          y: score === 'stability' ? { type: 'linear', grace: '5%', max: 1 } : { type: 'linear', grace: '5%' },
        },
        onClick: (_event, elements) => {
          const hit = elements[0];
          if (!hit) return;
          const setting = this.settings()[hit.datasetIndex];
          const point = chart.data.datasets[hit.datasetIndex]?.data[hit.index];
          if (setting && point) this.fitK(point.x, setting);
        },
        onHover: (event, elements) => {
          const target = event.native?.target;
          if (target instanceof HTMLElement) target.style.cursor = elements.length > 0 ? 'pointer' : 'default';
        },
        plugins: {
          legend: { display: settings.length > 1 },
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? `k = ${(items[0].raw as Pt).x}` : ''),
              label: (item) => `${settings.length > 1 ? `${item.dataset.label}: ` : ''}${formatNumber((item.raw as Pt).y, 4)}`,
              footer: () => 'Click to fit this k',
            },
          },
        },
      },
      plugins: [markers],
    });
    this.charts.set(score, chart);
    this.applyTheme(chart, settings.length);
    chart.update('none');
  }

  private applyTheme(chart: Chart<'line', Pt[]>, nSettings: number): void {
    const t = this.theme;
    const scales = chart.options.scales;
    if (scales) {
      for (const axis of ['x', 'y'] as const) {
        const scale = scales[axis];
        if (!scale) continue;
        scale.ticks = { ...scale.ticks, color: t.text };
        scale.grid = { ...scale.grid, color: t.grid };
        scale.border = { ...scale.border, color: t.grid };
        if (axis === 'x') scale.title = { display: true, text: 'k', color: t.text };
      }
    }
    const legend = chart.options.plugins?.legend;
    if (legend) {
      legend.display = nSettings > 1;
      legend.labels = { ...legend.labels, color: t.text, boxWidth: 12 };
    }
  }

  /** Vertical lines at the suggested k (every chart) and at the elbow (inertia), labelled. */
  private drawMarkers(chart: Chart<'line', Pt[]>, score: Score, canvas: HTMLCanvasElement): void {
    const suggested = this.suggested();
    const area = chart.chartArea;
    const x = chart.scales.x;
    const ctx = chart.ctx;
    const line = (k: number, colour: string, dash: number[], text: string, row: number): void => {
      if (k < x.min || k > x.max) return;
      const px = x.getPixelForValue(k);
      ctx.save();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = colour;
      ctx.font = `12px ${cssVar('--vscode-font-family', 'sans-serif')}`;
      ctx.textBaseline = 'top';
      const width = ctx.measureText(text).width;
      const left = px + 4 + width > area.right ? px - 4 - width : px + 4;
      ctx.fillText(text, left, area.top + 2 + 14 * row);
      ctx.restore();
    };
    if (suggested) line(suggested.k, this.theme.suggested, [], `suggested k=${suggested.k}`, 0);
    if (score === 'inertia' && suggested?.elbowK != null) line(suggested.elbowK, this.theme.elbow, [5, 4], `elbow k=${suggested.elbowK}`, 1);
    // Where the suggested point is drawn, for tests that click it.
    delete canvas.dataset.suggestedPoint;
    if (suggested) {
      const index = this.settings().findIndex((s) => sameSetting(s, suggested.setting));
      const meta = index >= 0 ? chart.getDatasetMeta(index) : undefined;
      const data = index >= 0 ? chart.data.datasets[index]?.data : undefined;
      const at = data ? data.findIndex((p) => p.x === suggested.k) : -1;
      const element = at >= 0 ? meta?.data[at] : undefined;
      if (element) canvas.dataset.suggestedPoint = `${Math.round(element.x)},${Math.round(element.y)}`;
    }
  }

  private renderTable(): void {
    const table = byId<HTMLTableElement>('choosek-table');
    clear(table);
    const grid = this.request ?? this.output?.report.grid;
    const crossedInit = (grid?.inits.length ?? 1) > 1;
    const crossedMetric = (grid?.metrics.length ?? 1) > 1;
    const suggested = this.suggested();
    const head = el('thead');
    const hr = el('tr');
    const sortable = (key: SortKey, name: string, title?: string): HTMLTableCellElement => {
      const th = el('th', null, { scope: 'col' });
      const active = this.sortKey === key;
      th.setAttribute('aria-sort', active ? (this.sortDescending ? 'descending' : 'ascending') : 'none');
      const button = el('button', `${name}${active ? (this.sortDescending ? ' ▼' : ' ▲') : ''}`, {
        type: 'button',
        'data-sort': key,
        'aria-label': `Sort by ${name}${active ? (this.sortDescending ? ', now descending' : ', now ascending') : ''}`,
      });
      if (title) button.title = title;
      button.addEventListener('click', () => {
        if (this.sortKey === key) this.sortDescending = !this.sortDescending;
        else {
          this.sortKey = key;
          // The better end first: descending for scores where higher is better.
          this.sortDescending = key === 'silhouette' || key === 'calinskiHarabasz' || key === 'stability';
        }
        this.renderTable();
        table.querySelector<HTMLButtonElement>(`th button[data-sort="${key}"]`)?.focus();
      });
      th.appendChild(button);
      return th;
    };
    hr.appendChild(sortable('k', 'k'));
    if (crossedInit) hr.appendChild(el('th', 'init', { scope: 'col' }));
    if (crossedMetric) hr.appendChild(el('th', 'metric', { scope: 'col' }));
    for (const s of SCORES) hr.appendChild(sortable(s.key, s.name, s.better));
    hr.appendChild(el('th', 'Fit', { scope: 'col' }));
    head.appendChild(hr);
    table.appendChild(head);

    const body = el('tbody');
    for (const r of this.sortedRows()) {
      const isSuggested = suggested !== null && r.k === suggested.k && sameSetting(r, suggested.setting);
      const tr = el('tr', null, { 'data-k': String(r.k), 'data-init': r.init, 'data-metric': r.metric });
      if (isSuggested) tr.classList.add('suggested');
      const kCell = el('td', String(r.k));
      if (isSuggested) kCell.appendChild(el('span', 'suggested', { class: 'badge' }));
      tr.appendChild(kCell);
      if (crossedInit) tr.appendChild(el('td', r.init, { class: 'setting' }));
      if (crossedMetric) tr.appendChild(el('td', r.metric, { class: 'setting' }));
      for (const s of SCORES) {
        const v = r[s.key];
        // data-value holds String(x): the exact double, for tests.
        tr.appendChild(el('td', v === null ? '–' : formatNumber(v, 4), { 'data-score': s.key, 'data-value': v === null ? '' : String(v) }));
      }
      const cell = el('td');
      const fit = el('button', 'Fit', { type: 'button', class: 'secondary', 'aria-label': `Fit k=${r.k} with ${r.init} and ${r.metric} distances` });
      fit.addEventListener('click', () => this.fitK(r.k, r));
      cell.appendChild(fit);
      tr.appendChild(cell);
      body.appendChild(tr);
    }
    table.appendChild(body);
  }

  private sortedRows(): SweepRow[] {
    const key = this.sortKey;
    const sign = this.sortDescending ? -1 : 1;
    return [...this.rows].sort((a, b) => {
      const x = a[key];
      const y = b[key];
      // Missing scores go last whichever the direction.
      if (x === null || y === null) return x === y ? a.k - b.k : x === null ? 1 : -1;
      return x === y ? a.k - b.k : sign * (x - y);
    });
  }
}

/** A k-medoids sweep (a file of distances) reports the total distance to the medoids where k-means has inertia. */
function adaptScores(row: SweepRow): void {
  const medoids = 'medoids' in row;
  SCORES[0].name = medoids ? 'Total distance to the medoids' : 'Inertia';
  byId('ck-inertia-title').textContent = medoids ? 'Total distance to the medoids (the elbow is marked)' : 'Inertia (the elbow is marked)';
  // k-medoids has no centres (Davies-Bouldin, Calinski-Harabasz) and no random starts to compare.
  for (const score of ['daviesBouldin', 'calinskiHarabasz', 'stability']) {
    const figure = byId(`ck-${score}`).closest('figure');
    if (figure) figure.hidden = medoids;
  }
}

function gridText(s: SweepRequest): string {
  return `k = ${s.kMin}..${s.kMax} · ${s.inits.join(' and ')} · ${s.metrics.join(' and ')} · ${s.nSeeds} seed${s.nSeeds === 1 ? '' : 's'} per setting`;
}

function notes(output: SweepOutput): string {
  const out: string[] = [];
  const sample = output.report.results.find((r) => r.silhouetteSampleSize !== undefined)?.silhouetteSampleSize;
  if (sample !== undefined) out.push(`The silhouette was computed on a stratified sample of ${sample} rows.`);
  if (output.labelColumn) out.push(`The ${output.labelColumn.guessed ? 'guessed ' : ''}class column "${output.labelColumn.name}" is not a feature.`);
  const medoids = output.report.results.length > 0 && 'medoids' in output.report.results[0];
  if (medoids) out.push('k-medoids on the file\u2019s distances, the silhouette on the same distances.');
  else if (output.report.grid.seeds.length === 1) out.push('One seed per setting: choose more seeds to measure stability.');
  const seconds = output.elapsedMs / 1000;
  out.push(`${output.report.results.length} settings in ${formatNumber(seconds, 3)} s.`);
  return out.join(' ');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
