/**
 * The words of the inline annotations: the marker before a row (`C2 ▶`), the text after it
 * (`◀ cluster 2 · d=0.41`) and its hover (distances to every centre). Pure: the vscode layer
 * wraps them in decorations and a MarkdownString.
 */
import { formatNumber } from '../protocol/format';
import type { ClustersSummary } from '../protocol/density';

/** U+2007 FIGURE SPACE: as wide as a digit, and not collapsed at the start of generated content. */
const FIGURE_SPACE = '\u2007';

/**
 * Marker shown at the start of a data row, `C2 ▶`: the text after the row runs past the
 * editor's right edge on wide files (and is then never seen without word wrap), the start
 * of a line is always in view. The number is padded to the width of the largest cluster
 * number (`C 2 ▶` when k > 10), so the row's own text starts in the same column on every line.
 * @param k number of clusters (sets the padding); at least cluster + 1 is assumed
 */
export function annotationMarker(cluster: number, k: number): string {
  const width = String(Math.max(k - 1, cluster, 0)).length;
  return `C${String(cluster).padStart(width, FIGURE_SPACE)} ▶`;
}

/**
 * Text shown after a data row: its cluster, the class the cluster maps to (when a label
 * column was used) and the distance to its centre; "· predicted" when the row was assigned
 * to a saved model's centres rather than fitted. Starts with "◀ cluster ".
 */
export function annotationText(cluster: number, distance: number, mappedLabel?: string, edited = false, predicted = false): string {
  const mapped = mappedLabel !== undefined ? ` (${oneLine(mappedLabel, 24)})` : '';
  const d = Number.isFinite(distance) ? ` · d=${formatNumber(distance, 2)}` : '';
  return `◀ cluster ${cluster}${mapped}${d}${edited ? ' · edited' : predicted ? ' · predicted' : ''}`;
}

/**
 * Text after a row of a DBSCAN or HDBSCAN result: `◀ noise` (cluster < 0), `◀ cluster 2`, and
 * with HDBSCAN's membership strength `◀ cluster 2 · p=0.87` (no strength for noise, where it is 0).
 */
export function densityAnnotationText(cluster: number, strength: number | null): string {
  if (cluster < 0) return '◀ noise';
  const p = strength !== null && Number.isFinite(strength) ? ` · p=${strength.toFixed(2)}` : '';
  return `◀ cluster ${cluster}${p}`;
}

/** Markdown for the hover of a row of a density result: what its label means and the run's parameters. */
export function densityHover(cluster: number, strength: number | null, run: ClustersSummary): string {
  const method = run.mode === 'dbscan'
    ? `DBSCAN (eps = ${formatNumber(run.eps, 4)}, min_samples = ${run.minSamples})`
    : `HDBSCAN (min_cluster_size = ${run.minClusterSize}, min_samples = ${run.minSamples})`;
  if (cluster < 0) {
    const why = run.mode === 'dbscan'
      ? 'fewer than min_samples rows lie within eps of it, and it is within eps of no core row'
      : 'it falls out of every cluster before that cluster becomes stable';
    return `**Noise** (label −1): ${method} put this row in no cluster: ${why}.`;
  }
  const lines = [`**Cluster ${cluster}** of ${run.nClusters}, found by ${method}.`];
  if (strength !== null && Number.isFinite(strength)) {
    lines.push('', `Membership strength p = ${formatNumber(strength, 3)} (HDBSCAN's probabilities_: 1 at the cluster's dense core, lower towards its edge).`);
  }
  return lines.join('\n');
}

/**
 * Markdown for the hover of a row: the distance to every centre, nearest first marked,
 * and the mapped class. CSV text is escaped so it cannot form links, HTML or markup.
 * @param distances distance from the row to each centre (cluster order), or null when the
 *   line cannot be read (e.g. a missing value the fit imputed)
 */
export function annotationHover(
  cluster: number, distances: Float64Array | null, metric: 'euclidean' | 'cosine',
  mapping: Record<string, string> | undefined, edited: boolean, predictedWith?: string,
): string {
  const lines: string[] = [];
  const mapped = mapping?.[String(cluster)];
  const how = edited
    ? ', re-assigned after an edit without a refit'
    : predictedWith !== undefined ? `, predicted with ${escapeMarkdown(oneLine(predictedWith, 80))}` : '';
  lines.push(`**Cluster ${cluster}**${mapped !== undefined ? ` (mapped to class ${escapeMarkdown(oneLine(mapped, 80))})` : ''}${how}`);
  lines.push('');
  if (distances === null) {
    lines.push('Distances to the centres are not available for this line (a value is missing or not a number).');
  } else {
    lines.push(`${metric === 'cosine' ? 'Cosine distance (1 − cosine similarity)' : 'Distance'} to each centre${distances.length > 20 ? ' (nearest 20)' : ''}:`);
    lines.push('');
    lines.push('| cluster | distance |');
    lines.push('| ---: | ---: |');
    const order = Array.from(distances.keys()).sort((a, b) => distances[a] - distances[b]).slice(0, 20);
    for (const j of order) {
      const label = mapping?.[String(j)];
      const name = `${j}${label !== undefined ? ` (${escapeMarkdown(oneLine(label, 40))})` : ''}`;
      lines.push(`| ${j === cluster ? `**${name}**` : name} | ${formatNumber(distances[j], 4)} |`);
    }
  }
  return lines.join('\n');
}

/** Escapes Markdown and HTML specials so text is shown literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~"']/g, (c) => `\\${c}`);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
