/**
 * Cluster colours, shared by the chart in the panel and the annotations in the editor so a
 * cluster has the same colour everywhere. The first ten are Tableau 10 (distinct for common
 * colour-vision deficiencies and readable on light and dark backgrounds); beyond ten, hues
 * step by the golden angle so neighbours stay far apart.
 */

const BASE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

/** Colour of cluster `j` (0-based) as `#rrggbb`. Deterministic; negative j (noise, dropped) is grey. */
export function clusterColor(j: number): string {
  if (!Number.isInteger(j) || j < 0) return '#8c8c8c';
  if (j < BASE.length) return BASE[j];
  const hue = ((j - BASE.length) * 137.50776405) % 360;
  // Alternate lightness so that hues which come close again still differ.
  const light = j % 2 === 0 ? 0.58 : 0.46;
  return hslToHex(hue, 0.62, light);
}

/** `#rrggbb` plus an alpha in [0, 1] as `rgba(r, g, b, a)`. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = hexToRgb(hex);
  const a = Math.min(1, Math.max(0, alpha));
  return `rgba(${r}, ${g}, ${b}, ${Number(a.toFixed(3))})`;
}

/** Parses `#rrggbb` (or `#rgb`) into 0..255 channels; throws RangeError on anything else. */
export function hexToRgb(hex: string): [number, number, number] {
  const m6 = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (m6) return [parseInt(m6[1], 16), parseInt(m6[2], 16), parseInt(m6[3], 16)];
  const m3 = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(hex);
  if (m3) return [parseInt(m3[1] + m3[1], 16), parseInt(m3[2] + m3[2], 16), parseInt(m3[3] + m3[3], 16)];
  throw new RangeError(`colour ${JSON.stringify(hex)} should be #rrggbb or #rgb`);
}

/** Hue in degrees, saturation and lightness in [0, 1], to `#rrggbb` (CSS Color 4 formula). */
export function hslToHex(h: number, s: number, l: number): string {
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255);
  };
  return `#${[f(0), f(8), f(4)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
