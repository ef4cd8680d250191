/**
 * The Density view of the cluster panel: the sorted k-distance curve (chart.js) with the knee's
 * eps marked, a form for the method (DBSCAN or HDBSCAN), eps, min_samples and
 * min_cluster_size, and the clusters and noise rows of the last run. Test hooks on #density:
 * data-state ("idle" | "running" | "done" | "error" | "cancelled"), data-eps (the suggested
 * eps), data-clusters and data-noise (after a DBSCAN or HDBSCAN run).
 */
import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip, type Plugin } from 'chart.js';
import type { WebviewToHost } from '../src/protocol/messages';
import type { ClustersSummary, DensityRequest, HostToWebviewDensity, KDistanceOutput } from '../src/protocol/density';
import { clusterColor } from '../src/protocol/palette';
import { formatCount, formatNumber } from '../src/protocol/format';
import { byId, clear, cssVar, el } from './dom';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

interface Pt {
  x: number;
  y: number;
}

export class DensityView {
  private chart: Chart<'line', Pt[]> | undefined;
  private curve: KDistanceOutput | undefined;
  private readonly section = byId('density');

  constructor(private readonly post: (message: WebviewToHost) => void) {
    byId('density-open').addEventListener('click', () => this.request({ mode: 'kdistance', minSamples: this.minSamples() ?? 5 }));
    byId('density-hide').addEventListener('click', () => {
      this.section.hidden = true;
    });
    byId('density-cancel').addEventListener('click', () => this.post({ type: 'webview/densityCancel' }));
    byId('d-method').addEventListener('change', () => this.syncMethod());
    byId('d-eps').addEventListener('input', () => this.chart?.update('none'));
    byId('d-kdist').addEventListener('click', () => {
      const minSamples = this.minSamples();
      if (minSamples === null) return this.formError('min_samples should be a whole number from 1 to 10000');
      this.request({ mode: 'kdistance', minSamples });
    });
    byId<HTMLFormElement>('density-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const r = this.readForm();
      if (typeof r === 'string') this.formError(r);
      else this.request(r);
    });
    this.setState('idle');
  }

  handle(message: HostToWebviewDensity): void {
    switch (message.type) {
      case 'panel/densityStart':
        this.section.hidden = false;
        this.setState('running');
        byId('density-status').textContent = '';
        byId('density-status').classList.remove('error');
        this.progress(0, `Starting on ${message.fileName}`);
        if (message.request.mode !== 'kdistance') {
          byId('density-result').textContent = '';
          clear(byId('density-counts'));
        }
        return;
      case 'panel/densityProgress':
        this.progress(message.fraction, message.message);
        return;
      case 'panel/densityResult':
        this.section.hidden = false;
        this.setState('done');
        this.show(message.output);
        return;
      case 'panel/densityFailed':
        this.setState(message.cancelled ? 'cancelled' : 'error');
        byId('density-status').textContent = `${message.message}.`.replace(/\.\.$/, '.');
        byId('density-status').classList.toggle('error', !message.cancelled);
        return;
    }
  }

  /**
   * The cluster view now shows another method's result (`other`, e.g. "k-means", in run
   * `run`), or this view's own (null): a replaced DBSCAN or HDBSCAN summary says so, so
   * nothing shows it as current.
   */
  shownResult(other: string | null, run: number): void {
    if (other === null || this.section.dataset.clusters === undefined) return;
    delete this.section.dataset.clusters;
    delete this.section.dataset.noise;
    clear(byId('density-counts'));
    byId('density-result').textContent = `The ${other} result of run #${run} replaced the last density result; press Run to run it again.`;
  }

  refreshTheme(): void {
    if (this.chart && this.curve) this.draw(this.curve);
  }

  private request(request: DensityRequest): void {
    this.formError('');
    this.post({ type: 'webview/density', request });
  }

  private formError(text: string): void {
    byId('density-error').textContent = text;
  }

  private setState(state: 'idle' | 'running' | 'done' | 'error' | 'cancelled'): void {
    this.section.dataset.state = state;
    byId('density-progress-row').hidden = state !== 'running';
    byId<HTMLButtonElement>('d-run').disabled = state === 'running';
  }

  private progress(fraction: number | null, message: string): void {
    const bar = byId<HTMLProgressElement>('density-progress');
    if (fraction === null) bar.removeAttribute('value');
    else bar.value = fraction;
    byId('density-progress-text').textContent = message;
  }

  private syncMethod(): void {
    const hdbscan = byId<HTMLSelectElement>('d-method').value === 'hdbscan';
    for (const node of Array.from(document.querySelectorAll<HTMLElement>('.d-dbscan'))) node.hidden = hdbscan;
    for (const node of Array.from(document.querySelectorAll<HTMLElement>('.d-hdbscan'))) node.hidden = !hdbscan;
    byId('density-heading').textContent = hdbscan ? 'Density (HDBSCAN)' : 'Density (DBSCAN)';
  }

  private minSamples(): number | null {
    const v = Number(byId<HTMLInputElement>('d-min-samples').value);
    return Number.isInteger(v) && v >= 1 && v <= 10000 ? v : null;
  }

  private eps(): number | null {
    const text = byId<HTMLInputElement>('d-eps').value.trim();
    const v = Number(text);
    return text !== '' && Number.isFinite(v) && v > 0 ? v : null;
  }

  /** The form as a request, or what is wrong with it in one sentence. */
  private readForm(): DensityRequest | string {
    const minSamples = this.minSamples();
    if (minSamples === null) return 'min_samples should be a whole number from 1 to 10000';
    if (byId<HTMLSelectElement>('d-method').value === 'hdbscan') {
      const size = Number(byId<HTMLInputElement>('d-min-cluster-size').value);
      if (!Number.isInteger(size) || size < 2 || size > 10000) return 'min_cluster_size should be a whole number from 2 to 10000';
      return { mode: 'hdbscan', minClusterSize: size, minSamples };
    }
    const eps = this.eps();
    if (eps === null) return 'eps should be a number above 0 (the k-distance plot suggests one)';
    return { mode: 'dbscan', eps, minSamples };
  }

  private show(output: KDistanceOutput | ClustersSummary): void {
    if (output.mode === 'kdistance') {
      this.curve = output;
      byId<HTMLInputElement>('d-min-samples').value = String(output.minSamples);
      if (output.suggestedEps !== null) byId<HTMLInputElement>('d-eps').value = String(output.suggestedEps);
      this.section.dataset.eps = output.suggestedEps === null ? '' : String(output.suggestedEps);
      byId('density-why').textContent = output.suggestedEps === null
        ? `No eps suggested: ${output.why}.`
        : `Suggested eps = ${formatNumber(output.suggestedEps, 4)} for min_samples = ${output.minSamples}: ${output.why}.`;
      byId('density-status').textContent = [
        output.sampled ? `The curve is computed on a sample of ${formatCount(output.nCurve)} rows.` : '',
        ...output.warnings.map((w) => `Warning: ${w}.`),
      ].filter((t) => t !== '').join(' ');
      this.draw(output);
      return;
    }
    const what = output.mode === 'dbscan'
      ? `DBSCAN (eps = ${formatNumber(output.eps, 4)}, min_samples = ${output.minSamples})`
      : `HDBSCAN (min_cluster_size = ${output.minClusterSize}, min_samples = ${output.minSamples})`;
    const share = output.nRows > 0 ? ` (${formatNumber((100 * output.nNoise) / output.nRows, 3)}% of ${formatCount(output.nRows)} rows)` : '';
    byId('density-result').textContent = `${what}: ${output.nClusters} cluster${output.nClusters === 1 ? '' : 's'}, ${formatCount(output.nNoise)} noise row${output.nNoise === 1 ? '' : 's'}${share}. Drawn below, in the cluster view.`;
    this.section.dataset.clusters = String(output.nClusters);
    this.section.dataset.noise = String(output.nNoise);
    const list = byId('density-counts');
    clear(list);
    output.counts.forEach((n, j) => {
      const item = el('li');
      const swatch = el('span', null, { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = clusterColor(j);
      item.append(swatch, document.createTextNode(`cluster ${j}: ${formatCount(n)} row${n === 1 ? '' : 's'}`));
      list.appendChild(item);
    });
    if (output.warnings.length > 0) byId('density-status').textContent = output.warnings.map((w) => `Warning: ${w}.`).join(' ');
  }

  private draw(curve: KDistanceOutput): void {
    const text = cssVar('--vscode-editor-foreground', cssVar('--vscode-foreground', '#333333'));
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.35)');
    const knee = cssVar('--vscode-charts-green', cssVar('--vscode-focusBorder', text));
    const chosen = cssVar('--vscode-charts-orange', cssVar('--vscode-editorWarning-foreground', text));
    const data: Pt[] = curve.x.map((x, i) => ({ x, y: curve.y[i] }));
    const dataset = { label: 'k-distance', data, borderColor: clusterColor(0), backgroundColor: clusterColor(0), borderWidth: 2, pointRadius: 0, pointHitRadius: 6, tension: 0 };
    const scales = {
      x: { type: 'linear' as const, ticks: { color: text, precision: 0 }, grid: { color: grid }, border: { color: grid }, title: { display: true, text: 'rows, sorted by k-distance', color: text } },
      y: { type: 'linear' as const, ticks: { color: text }, grid: { color: grid }, border: { color: grid }, title: { display: true, text: `distance to neighbour ${curve.minSamples}`, color: text } },
    };
    if (this.chart) {
      this.chart.data.datasets = [dataset];
      this.chart.options.scales = scales;
      this.chart.update('none');
      return;
    }
    const canvas = byId<HTMLCanvasElement>('kd-chart');
    const lines: Plugin<'line'> = {
      id: 'centroidEpsLines',
      afterDatasetsDraw: (chart) => {
        const c = this.curve;
        if (!c) return;
        const area = chart.chartArea;
        const y = chart.scales.y;
        const ctx = chart.ctx;
        const hline = (value: number, colour: string, dash: number[], label: string, below: boolean): void => {
          if (value < y.min || value > y.max) return;
          const py = y.getPixelForValue(value);
          ctx.save();
          ctx.strokeStyle = colour;
          ctx.fillStyle = colour;
          ctx.lineWidth = 1.5;
          ctx.setLineDash(dash);
          ctx.beginPath();
          ctx.moveTo(area.left, py);
          ctx.lineTo(area.right, py);
          ctx.stroke();
          ctx.font = `12px ${cssVar('--vscode-font-family', 'sans-serif')}`;
          ctx.textBaseline = below ? 'top' : 'bottom';
          ctx.fillText(label, area.left + 4, below ? py + 2 : py - 2);
          ctx.restore();
        };
        if (c.suggestedEps !== null) hline(c.suggestedEps, knee, [], `knee: eps ${formatNumber(c.suggestedEps, 4)}`, false);
        const eps = this.eps();
        if (eps !== null && eps !== c.suggestedEps) hline(eps, chosen, [5, 4], `chosen: eps ${formatNumber(eps, 4)}`, true);
      },
    };
    this.chart = new Chart<'line', Pt[]>(canvas, {
      type: 'line',
      data: { datasets: [dataset] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        parsing: false,
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        scales,
        onClick: (_event, elements) => {
          const hit = elements[0];
          const point = hit ? this.chart?.data.datasets[0]?.data[hit.index] : undefined;
          if (!point) return;
          byId<HTMLInputElement>('d-eps').value = String(point.y);
          byId<HTMLSelectElement>('d-method').value = 'dbscan';
          this.syncMethod();
          this.chart?.update('none');
        },
        plugins: {
          // One curve: no legend (chart.js registers plugins globally, so say it here).
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? `row ${formatCount((items[0].raw as Pt).x + 1)} of ${formatCount(this.curve?.nCurve ?? 0)}` : ''),
              label: (item) => `distance ${formatNumber((item.raw as Pt).y, 4)}`,
              footer: () => 'Click to use this distance as eps',
            },
          },
        },
      },
      plugins: [lines],
    });
  }
}
