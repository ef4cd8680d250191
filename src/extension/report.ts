/** The FitReport of a finished job, rebuilt from the typed arrays it travelled in. Pure. */
import type { FitReport } from '../pipeline/types';
import type { JobOutput } from '../protocol/messages';
import type { ClustersSummary } from '../protocol/density';

/**
 * `labels[i]` null for -1 and `distances[i]` null for NaN, as the pipeline reports them.
 * O(rows); callers cache the result.
 */
export function toFitReport(output: JobOutput): FitReport {
  const n = output.labels.length;
  const labels = new Array<number | null>(n);
  const distances = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const l = output.labels[i];
    labels[i] = l < 0 ? null : l;
    const d = output.distances[i];
    distances[i] = Number.isNaN(d) ? null : d;
  }
  return { ...output.report, labels, distances };
}

/** Cluster -> class name from a report's label mapping, as strings (for hovers). */
export function mappingOf(output: JobOutput): Record<string, string> | undefined {
  const m = output.report.metrics.mapping;
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const [cluster, label] of Object.entries(m.clusterToLabel)) out[cluster] = String(label);
  return out;
}

/** Status bar text: "k=3 · silhouette 0.55", with the method for a file of distances ("k=3 · k-medoids · silhouette 0.55"). */
export function statusText(output: JobOutput): string {
  const s = output.report.metrics.silhouette;
  const method = output.medoids ? (output.medoids.settings.algorithm === 'k-medoids' ? ' · k-medoids' : ' · MDS + k-means') : '';
  return `k=${output.report.options.k}${method} · silhouette ${s === null ? 'n/a' : s.toFixed(2)}`;
}

/** Status bar text of a density result: "DBSCAN · 4 clusters · 12 noise". */
export function densityStatusText(output: ClustersSummary): string {
  return `${output.mode === 'dbscan' ? 'DBSCAN' : 'HDBSCAN'} · ${output.nClusters} cluster${output.nClusters === 1 ? '' : 's'} · ${output.nNoise} noise`;
}
