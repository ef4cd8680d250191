/**
 * The words of the annotations of a file of distances: after a matrix row, its item's
 * cluster and medoid (`◀ p03: cluster 0 · medoid p01`); after an edge, both endpoints'
 * clusters (`◀ alpha: 1 · bravo: 0`); and their hovers. Pure: the vscode layer wraps them
 * in decorations and a MarkdownString.
 */
import { formatNumber } from '../protocol/format';
import type { MedoidsOutput } from '../protocol/messages';
import { escapeMarkdown } from './annotationText';

/** The text after data row `row` and its hover (Markdown), or null when the row names no item. */
export function distanceRowText(m: MedoidsOutput, row: number): { text: string; hover: string } | null {
  if (row < 0 || 2 * row + 1 >= m.rowItems.length) return null;
  const a = m.rowItems[2 * row];
  const b = m.rowItems[2 * row + 1];
  if (a < 0 || a >= m.ids.length) return null;
  if (m.kind === 'matrix' || b < 0 || b >= m.ids.length) {
    const cluster = m.itemLabels[a];
    const medoid = m.medoids[cluster];
    const role = medoid === a ? ' · medoid' : medoid >= 0 ? ` · medoid ${short(m.ids[medoid], 24)}` : '';
    return { text: `◀ ${short(m.ids[a], 24)}: cluster ${cluster}${role}`, hover: itemHover(m, a) };
  }
  return {
    text: `◀ ${short(m.ids[a], 24)}: ${m.itemLabels[a]} · ${short(m.ids[b], 24)}: ${m.itemLabels[b]}`,
    hover: `${itemHover(m, a)}\n\n${itemHover(m, b)}`,
  };
}

/** One item in Markdown: its cluster, its medoid and the distance to it. */
export function itemHover(m: MedoidsOutput, item: number): string {
  const cluster = m.itemLabels[item];
  const id = `**${escapeMarkdown(short(m.ids[item], 80))}**`;
  const medoid = m.medoids[cluster];
  let size = 0;
  for (let i = 0; i < m.itemLabels.length; i++) if (m.itemLabels[i] === cluster) size++;
  const items = `${size} item${size === 1 ? '' : 's'}`;
  if (medoid < 0) return `${id}: cluster ${cluster} (${items}; k-means on the MDS map, no medoid)`;
  if (medoid === item) return `${id}: the medoid of cluster ${cluster} (${items})`;
  const d = m.itemDistances[item];
  return `${id}: cluster ${cluster} (${items}), medoid **${escapeMarkdown(short(m.ids[medoid], 80))}**`
    + `${Number.isFinite(d) ? ` at distance ${formatNumber(d, 4)}` : ''}`;
}

function short(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
