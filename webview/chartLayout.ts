/**
 * The scatter chart's pure parts: where the centre labels go, the halo under each centre,
 * and the caption of a saved PNG. No DOM and no chart.js here, so unit tests run them in Node.
 */
import { clusterColor } from '../src/protocol/palette';
import { formatCount } from '../src/protocol/format';
import type { PanelView } from '../src/protocol/view';

/** A centre's marker: a diamond of this radius (px) and outline width. */
export const CENTRE_RADIUS = 9;
export const CENTRE_BORDER = 2;
/** The halo's radius (px): wider than the marker and its outline, so a ring of background shows. */
export const HALO_RADIUS = 14;

/** What a saved PNG says above and below the chart: file, method and k; a swatch per cluster. */
export interface PngCaption {
  title: string;
  legend: { color: string; label: string }[];
}

/** The caption of a fit's PNG: "iris.csv: k-means (Lloyd), k=3, 4 features, 150 rows", then "Cluster 0 · 50 rows", … */
export function pngCaption(view: PanelView): PngCaption {
  const unit = view.medoids ? 'item' : 'row';
  const mapped = new Map((view.labels?.mapping ?? []).map((m) => [m.cluster, m.label]));
  return {
    title: `${view.fileName}: ${view.summary}`,
    legend: view.counts.map((count, j) => {
      const label = mapped.get(String(j));
      return { color: clusterColor(j), label: `Cluster ${j} · ${formatCount(count)} ${unit}${count === 1 ? '' : 's'}${label !== undefined ? ` → ${label}` : ''}` };
    }),
  };
}

/** The few calls of a 2D canvas context the halo needs (a real CanvasRenderingContext2D has them). */
export interface PathContext {
  fillStyle: unknown;
  save(): void;
  restore(): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  fill(): void;
}

/**
 * A diamond of HALO_RADIUS in the background colour under each centre marker, drawn before
 * the markers and after the points, so a centre stays visible in a dense cloud of its own colour.
 */
export function drawCentreHalos(ctx: PathContext, marks: readonly { x: number; y: number }[], background: string): void {
  ctx.save();
  ctx.fillStyle = background;
  for (const m of marks) diamond(ctx, m.x, m.y, HALO_RADIUS);
  ctx.restore();
}

function diamond(ctx: PathContext, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fill();
}

/** A label's box in canvas pixels: top-left corner, width and height. */
export interface LabelBox { x: number; y: number; w: number; h: number }

/**
 * Places one label beside each centre marker without overlapping another label or marker:
 * tries the four corners around the marker, then further out; a label with no free place
 * is left out (null); the hover still names that centre. Markers are `r` wide either side.
 * Greedy, in the given order: O(k^2) per candidate.
 */
export function placeLabels(marks: { x: number; y: number }[], widths: number[], h: number, area: { left: number; right: number; top: number; bottom: number }): (LabelBox | null)[] {
  const r = 11;
  const taken: LabelBox[] = marks.map((m) => ({ x: m.x - r, y: m.y - r, w: 2 * r, h: 2 * r }));
  const overlaps = (a: LabelBox, b: LabelBox): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  return marks.map((m, p) => {
    const w = widths[p];
    for (const step of [0, 1, 2]) {
      const dy = 10 + step * h;
      const candidates: LabelBox[] = [
        { x: m.x + 12, y: m.y - dy - h / 2, w, h }, { x: m.x + 12, y: m.y + dy - h / 2, w, h },
        { x: m.x - 12 - w, y: m.y - dy - h / 2, w, h }, { x: m.x - 12 - w, y: m.y + dy - h / 2, w, h },
      ];
      for (const c of candidates) {
        if (c.x < area.left || c.x + c.w > area.right + 24 || c.y < area.top - 8 || c.y + c.h > area.bottom) continue;
        if (taken.some((t, q) => q !== p && overlaps(c, t))) continue;
        taken.push(c);
        return c;
      }
    }
    return null;
  });
}
