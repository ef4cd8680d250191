/**
 * The scatter plot (chart.js): one dataset per cluster in the cluster's colour, plus the
 * centres as larger diamonds labelled "C0", "C1", … Theme colours come from the
 * --vscode-* CSS variables and are re-read when the theme changes. Calls `onDrawn` after
 * every completed draw and `onPick(row)` when a point is clicked. Test hook: the canvas's
 * data-counts lists the points drawn per dataset ("cluster 0=50 … noise (3)=3").
 */
import {
  Chart, LinearScale, PointElement, ScatterController, Tooltip,
  type ChartDataset, type Plugin, type TooltipItem,
} from 'chart.js';
import { clusterColor, withAlpha } from '../src/protocol/palette';
import { formatCount } from '../src/protocol/format';
import { hoverValueLines, type PlotData } from '../src/protocol/view';
import { cssVar } from './dom';
import { CENTRE_BORDER, CENTRE_RADIUS, drawCentreHalos, placeLabels, type PngCaption } from './chartLayout';

export { pngCaption, type PngCaption } from './chartLayout';

Chart.register(ScatterController, LinearScale, PointElement, Tooltip);

interface Point {
  x: number;
  y: number;
  /** Index into the plot arrays (-1 - j for centre j, START_BASE - j for the known start of centre j). */
  i: number;
}

/** Point index of the first known starting centre (far below any -1 - j of a centre). */
const START_BASE = -1_000_000_000;

interface Theme {
  text: string;
  grid: string;
  background: string;
  outline: string;
}

function readTheme(): Theme {
  const text = cssVar('--vscode-editor-foreground', cssVar('--vscode-foreground', '#333333'));
  return {
    text,
    grid: cssVar('--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.35)'),
    background: cssVar('--vscode-editor-background', '#ffffff'),
    outline: cssVar('--vscode-contrastBorder', text),
  };
}

function byX(a: Point, b: Point): number {
  return a.x - b.x;
}

export class ScatterView {
  private chart: Chart<'scatter', Point[]> | undefined;
  private plot: PlotData | undefined;
  private caption: PngCaption | undefined;
  /** Clusters of the plot shown (its datasets also hold noise, unassigned rows and centres). */
  private k = 0;
  private theme = readTheme();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onDrawn: () => void,
    private readonly onPick: (row: number) => void,
  ) {}

  /** Shows a new plot; `onDrawn` fires once it is on the canvas. */
  show(plot: PlotData, k: number, caption?: PngCaption): void {
    this.plot = plot;
    this.caption = caption;
    this.k = k;
    const datasets = this.datasets(plot, k);
    // Test hook: points drawn per dataset, e.g. "cluster 0=50 cluster 1=49 noise (3)=3".
    this.canvas.dataset.counts = datasets.filter((d) => d.label !== 'centres' && d.label !== 'starting centres')
      .map((d) => `${d.label ?? ''}=${d.data.length}`).join(' ');
    if (!this.chart) {
      this.chart = this.create(datasets, plot);
    } else {
      this.chart.data.datasets = datasets;
      this.applyTheme(plot);
      this.chart.update('none');
    }
  }

  /** Re-reads the theme colours and redraws (on a theme change). */
  refreshTheme(): void {
    this.theme = readTheme();
    if (!this.chart || !this.plot) return;
    this.chart.data.datasets = this.datasets(this.plot, this.k);
    this.applyTheme(this.plot);
    this.chart.update('none');
  }

  /**
   * The chart as a PNG data URL on the editor's background colour, without any open hover,
   * with the caption's title above it and its legend (a swatch per cluster) below.
   */
  toPng(): string {
    if (this.chart) {
      // An open tooltip or hovered point is drawn on the canvas: clear both and redraw first.
      this.chart.setActiveElements([]);
      this.chart.tooltip?.setActiveElements([], { x: 0, y: 0 });
      this.chart.update('none');
    }
    const ratio = this.canvas.width / Math.max(1, this.canvas.clientWidth || this.canvas.width);
    const font = cssVar('--vscode-font-family', 'sans-serif');
    const pad = Math.round(10 * ratio);
    const line = Math.round(18 * ratio);
    const measure = document.createElement('canvas').getContext('2d');
    const caption = this.caption;
    // Lay the legend out in rows that fit the chart's width.
    const rows: { color: string; label: string; x: number }[][] = [];
    if (caption && measure) {
      measure.font = `${Math.round(12 * ratio)}px ${font}`;
      let row: { color: string; label: string; x: number }[] = [];
      let x = pad;
      for (const item of caption.legend) {
        const w = Math.round(16 * ratio) + measure.measureText(item.label).width + Math.round(18 * ratio);
        if (row.length > 0 && x + w > this.canvas.width - pad) {
          rows.push(row);
          row = [];
          x = pad;
        }
        row.push({ ...item, x });
        x += w;
      }
      if (row.length > 0) rows.push(row);
    }
    const top = caption ? pad + line + pad : 0;
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = top + this.canvas.height + (rows.length > 0 ? rows.length * line + pad : 0);
    const ctx = out.getContext('2d');
    if (!ctx) return this.canvas.toDataURL('image/png');
    ctx.fillStyle = this.theme.background;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(this.canvas, 0, top);
    if (caption) {
      ctx.fillStyle = this.theme.text;
      ctx.textBaseline = 'middle';
      ctx.font = `bold ${Math.round(13 * ratio)}px ${font}`;
      ctx.fillText(caption.title, pad, pad + line / 2, out.width - 2 * pad);
      ctx.font = `${Math.round(12 * ratio)}px ${font}`;
      rows.forEach((row, r) => {
        const y = top + this.canvas.height + r * line + line / 2;
        for (const item of row) {
          const size = Math.round(10 * ratio);
          ctx.fillStyle = item.color;
          ctx.fillRect(item.x, y - size / 2, size, size);
          ctx.fillStyle = this.theme.text;
          ctx.fillText(item.label, item.x + Math.round(16 * ratio), y);
        }
      });
    }
    return out.toDataURL('image/png');
  }

  private datasets(plot: PlotData, k: number): ChartDataset<'scatter', Point[]>[] {
    const perCluster: Point[][] = Array.from({ length: k }, () => []);
    const other: Point[] = [];
    const n = plot.rows.length;
    for (let i = 0; i < n; i++) {
      const p = { x: plot.points[2 * i], y: plot.points[2 * i + 1], i };
      const j = plot.labels[i];
      if (j >= 0 && j < k) perCluster[j].push(p);
      else other.push(p);
    }
    // With parsing off, chart.js takes each dataset as sorted by x (it reads the x range
    // from the first and last points), so sort them.
    for (const list of perCluster) list.sort(byX);
    other.sort(byX);
    const small = n > 2000 ? 2 : 3;
    const sets: ChartDataset<'scatter', Point[]>[] = perCluster.map((data, j) => ({
      label: `cluster ${j}`,
      data,
      backgroundColor: withAlpha(clusterColor(j), 0.7),
      borderColor: clusterColor(j),
      borderWidth: 0.5,
      pointRadius: small,
      pointHoverRadius: small + 3,
      order: 2,
    }));
    if (other.length > 0 && plot.noise) {
      // Noise of a density result: grey crosses, unfilled, so they read as "no cluster" at a glance.
      sets.push({
        label: `noise (${other.length})`, data: other, pointStyle: 'crossRot', backgroundColor: 'transparent',
        borderColor: withAlpha(clusterColor(-1), 0.9), borderWidth: 1.5, pointRadius: small + 2, pointHoverRadius: small + 5, order: 3,
      });
    } else if (other.length > 0) {
      sets.push({ label: 'unassigned', data: other, backgroundColor: withAlpha('#8c8c8c', 0.5), pointRadius: small, order: 3 });
    }
    // Known starting centres: hollow triangles in their cluster's colour, under the final centres.
    const starts: Point[] = [];
    const given = plot.startCenters;
    if (given) for (let j = 0; j < given.length / 2; j++) starts.push({ x: given[2 * j], y: given[2 * j + 1], i: START_BASE - j });
    if (starts.length > 0) {
      starts.sort(byX);
      sets.push({
        label: 'starting centres',
        data: starts,
        pointStyle: 'triangle',
        pointRadius: 8,
        pointHoverRadius: 10,
        backgroundColor: 'transparent',
        borderColor: starts.map((c) => clusterColor(START_BASE - c.i)),
        borderWidth: 2.5,
        // Hollow, so drawn over the final centres: both stay visible where they meet.
        order: -1,
      });
    }
    const centres: Point[] = [];
    for (let j = 0; j < plot.centers.length / 2; j++) centres.push({ x: plot.centers[2 * j], y: plot.centers[2 * j + 1], i: -1 - j });
    centres.sort(byX);
    sets.push({
      label: 'centres',
      data: centres,
      pointStyle: 'rectRot',
      pointRadius: CENTRE_RADIUS,
      pointHoverRadius: CENTRE_RADIUS + 2,
      backgroundColor: centres.map((c) => clusterColor(-1 - c.i)),
      borderColor: this.theme.outline,
      borderWidth: CENTRE_BORDER,
      order: 0,
    });
    return sets;
  }

  private applyTheme(plot: PlotData): void {
    if (!this.chart) return;
    const scales = this.chart.options.scales;
    if (!scales) return;
    const t = this.theme;
    for (const [axis, name] of [['x', plot.axisNames[0]], ['y', plot.axisNames[1]]] as const) {
      const scale = scales[axis];
      if (!scale) continue;
      scale.ticks = { ...scale.ticks, color: t.text };
      scale.grid = { ...scale.grid, color: t.grid };
      scale.border = { ...scale.border, color: t.grid };
      scale.title = { display: name !== '', text: name, color: t.text };
    }
  }

  private create(datasets: ChartDataset<'scatter', Point[]>[], plot: PlotData): Chart<'scatter', Point[]> {
    const drawn: Plugin<'scatter'> = {
      id: 'centroidDrawn',
      afterRender: () => this.onDrawn(),
    };
    const centreLabels: Plugin<'scatter'> = {
      id: 'centroidCentreLabels',
      // A halo in the background colour under each centre, so a centre stays visible in a
      // dense cloud of its own colour.
      beforeDatasetDraw: (chart, args) => {
        if (args.index !== chart.data.datasets.length - 1) return;
        drawCentreHalos(chart.ctx, args.meta.data, this.theme.background);
      },
      afterDatasetsDraw: (chart) => {
        const meta = chart.getDatasetMeta(chart.data.datasets.length - 1);
        const ctx = chart.ctx;
        ctx.save();
        ctx.font = `bold 12px ${cssVar('--vscode-font-family', 'sans-serif')}`;
        ctx.textBaseline = 'middle';
        const points = chart.data.datasets[chart.data.datasets.length - 1].data as Point[];
        const marks = meta.data.map((e) => ({ x: e.x, y: e.y }));
        const labels = meta.data.map((_, p) => {
          const point = points[p];
          return point ? this.plot?.centerNames?.[-1 - point.i] ?? `C${-1 - point.i}` : '';
        });
        const placed = placeLabels(marks, labels.map((t) => ctx.measureText(t).width), 16, chart.chartArea);
        placed.forEach((box, p) => {
          if (!box) return;
          // A plate behind the text keeps it readable over points of any colour.
          ctx.fillStyle = withAlpha(hexOr(this.theme.background), 0.8);
          ctx.fillRect(box.x - 2, box.y, box.w + 4, box.h);
          ctx.fillStyle = this.theme.text;
          ctx.fillText(labels[p], box.x, box.y + box.h / 2);
        });
        ctx.restore();
      },
    };
    const chart = new Chart<'scatter', Point[]>(this.canvas, {
      type: 'scatter',
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        parsing: false,
        interaction: { mode: 'nearest', intersect: true },
        // Room around the data so edge points and the centre labels are not clipped.
        layout: { padding: { top: 8, right: 24 } },
        scales: { x: { type: 'linear', grace: '4%' }, y: { type: 'linear', grace: '4%' } },
        onClick: (_event, elements) => {
          const hit = elements[0];
          if (!hit || !this.plot) return;
          const point = (chart.data.datasets[hit.datasetIndex].data as Point[])[hit.index];
          if (point && point.i >= 0 && this.plot.rows[point.i] >= 0) this.onPick(this.plot.rows[point.i]);
        },
        onHover: (event, elements) => {
          const target = event.native?.target;
          if (target instanceof HTMLElement) target.style.cursor = elements.length > 0 ? 'pointer' : 'default';
        },
        plugins: {
          // The clusters have their own list beside the chart; chart.js plugins are registered
          // for the whole page (the Choose k charts register the legend), so say it here.
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => this.tooltipTitle(items),
              label: (item) => this.tooltipLines(item),
            },
          },
        },
      },
      plugins: [drawn, centreLabels],
    });
    this.chart = chart;
    this.applyTheme(plot);
    chart.update('none');
    return chart;
  }

  private tooltipTitle(items: TooltipItem<'scatter'>[]): string {
    const item = items[0];
    const plot = this.plot;
    if (!item || !plot) return '';
    const point = item.raw as Point;
    if (point.i <= START_BASE) return `Starting centre of cluster ${START_BASE - point.i} (from the centres file)`;
    const name = plot.centerNames?.[-1 - point.i];
    if (point.i < 0) return name !== undefined ? `${name}: medoid of cluster ${-1 - point.i}` : `Centre of cluster ${-1 - point.i}`;
    const line = plot.lines[point.i];
    if (plot.noise) {
      const j = plot.labels[point.i];
      const p = plot.probabilities?.[point.i];
      const what = j < 0 ? 'noise' : `cluster ${j}${p !== undefined ? ` · p=${p.toFixed(2)}` : ''}`;
      return `Row ${formatCount(plot.rows[point.i])}${line >= 0 ? ` (line ${formatCount(line + 1)})` : ''} · ${what}`;
    }
    const id = plot.pointNames?.[point.i];
    if (id !== undefined) return `${id} · cluster ${plot.labels[point.i]}${line >= 0 ? ` (first on line ${formatCount(line + 1)})` : ''}`;
    return `Row ${formatCount(plot.rows[point.i])}${line >= 0 ? ` (line ${formatCount(line + 1)})` : ''} · cluster ${plot.labels[point.i]}`;
  }

  private tooltipLines(item: TooltipItem<'scatter'>): string[] {
    const plot = this.plot;
    const point = item.raw as Point;
    if (!plot || point.i < 0) return [];
    const lines = hoverValueLines(plot, point.i);
    lines.push('Click to show this row in the editor');
    return lines;
  }
}

/** `#rrggbb` as it is; any other CSS colour (rgb(), a name) falls back to white or black by a guess. */
function hexOr(color: string): string {
  if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color)) return color;
  return /rgba?\(\s*(\d+)/.exec(color) && Number(/rgba?\(\s*(\d+)/.exec(color)?.[1]) < 128 ? '#000000' : '#ffffff';
}
