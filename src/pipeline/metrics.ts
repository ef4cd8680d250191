/**
 * The metrics block of a report: internal metrics on the features (silhouette,
 * Davies-Bouldin, Calinski-Harabasz) and, when a column of known classes is given,
 * the external metrics, the contingency table and the best one-to-one mapping.
 */
import type { Dataset } from '../csv/dataset';
import type { RunControl } from '../engine/errors';
import { takeRows, type Matrix } from '../engine/matrix';
import { centroidIndices, silhouetteScore } from '../engine/metrics/internal';
import { externalMetrics, type Label } from '../engine/metrics/external';
import { mapClustersToLabels } from '../engine/metrics/mapping';
import type { MetricKind, MetricsReport } from './types';

/** Labels of the dataset's rows spread over all data rows: null for dropped or unassigned rows. */
export function labelsForRows(dataset: Dataset, labels: Int32Array): (number | null)[] {
  const out = new Array<number | null>(dataset.nDataRows).fill(null);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= 0) out[dataset.rowIndex[i]] = labels[i];
  }
  return out;
}

/**
 * Internal metrics of a labelling (labels >= 0 are clusters; rows with -1 are left
 * out). Labels are re-encoded to 0..m-1 first, so empty clusters do not count, as in
 * scikit-learn. A metric undefined for the labelling is null. So is one that is not a
 * finite number: Calinski-Harabasz divides by the within-cluster dispersion, which can
 * round to a subnormal number (scikit-learn then reports inf); such a null is explained
 * by a sentence pushed to `warnings` when given.
 */
export function internalMetrics(
  X: Matrix, labels: Int32Array, metric: MetricKind, sampleSize: number, seed: number, control?: RunControl,
  warnings?: string[],
): Pick<MetricsReport, 'silhouette' | 'silhouetteSampleSize' | 'daviesBouldin' | 'calinskiHarabasz'> {
  const dense = denseLabelCount(labels);
  let Xk = X;
  let encoded = labels;
  let nLabels = dense;
  if (dense < 0) {
    const keep: number[] = [];
    const code = new Map<number, number>();
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] < 0) continue;
      keep.push(i);
      if (!code.has(labels[i])) code.set(labels[i], code.size);
    }
    const sorted = [...code.keys()].sort((a, b) => a - b);
    sorted.forEach((value, index) => code.set(value, index));
    Xk = keep.length === X.nRows ? X : takeRows(X, keep);
    encoded = new Int32Array(keep.length);
    for (let r = 0; r < keep.length; r++) encoded[r] = code.get(labels[keep[r]]) as number;
    nLabels = code.size;
  }
  const defined = nLabels >= 2 && nLabels <= Xk.nRows - 1;
  if (!defined) return { silhouette: null, daviesBouldin: null, calinskiHarabasz: null };
  const sil = silhouetteScore(Xk, encoded, { metric, sampleSize, seed }, control);
  const out: ReturnType<typeof internalMetrics> = {
    silhouette: sil.value,
    ...centroidIndices(Xk, encoded),
  };
  if (sil.sampled !== null) out.silhouetteSampleSize = sil.sampled;
  const names = { silhouette: 'the silhouette', daviesBouldin: 'Davies-Bouldin', calinskiHarabasz: 'Calinski-Harabasz' } as const;
  for (const key of ['silhouette', 'daviesBouldin', 'calinskiHarabasz'] as const) {
    const v = out[key];
    if (v === null || v === undefined || Number.isFinite(v)) continue;
    out[key] = null;
    warnings?.push(`${names[key]} is ${v} here (the clusters have almost no spread within them, below what a double resolves), so it is reported as undefined`);
  }
  return out;
}

/**
 * L when the labels are exactly 0..L-1, each used (the usual k-means result: its codes are
 * itself, no copy needed), else -1 (some row without a cluster, or gaps). O(n).
 */
function denseLabelCount(labels: Int32Array): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v < 0) return -1;
    if (v > max) max = v;
  }
  if (max >= labels.length) return -1;
  const seen = new Uint8Array(max + 1);
  for (let i = 0; i < labels.length; i++) seen[labels[i]] = 1;
  for (let v = 0; v <= max; v++) if (seen[v] === 0) return -1;
  return max + 1;
}

/**
 * External metrics, contingency and mapping between known classes and clusters.
 * Rows whose class is missing are left out, with a warning.
 */
export function externalReport(
  truthAll: (string | number)[], predAll: (Label | null)[], classColumn: string,
): { report: Partial<MetricsReport>; warnings: string[] } {
  const truth: Label[] = [];
  const pred: Label[] = [];
  let missingTruth = 0;
  for (let i = 0; i < truthAll.length; i++) {
    const p = predAll[i];
    if (p === null || p === undefined) continue;
    const t = truthAll[i];
    if (t === '') {
      missingTruth++;
      continue;
    }
    truth.push(t);
    pred.push(p);
  }
  const warnings: string[] = [];
  if (missingTruth > 0) {
    warnings.push(`${missingTruth} rows have no value in "${classColumn}" and are left out of the label metrics`);
  }
  if (truth.length === 0) {
    warnings.push(`no row has both a cluster and a value in "${classColumn}": label metrics are not available`);
    return { report: {}, warnings };
  }
  const ext = externalMetrics(truth, pred);
  const mapping = mapClustersToLabels(truth, pred);
  warnings.push(...mapping.warnings);
  return {
    report: {
      ...ext,
      contingency: mapping.contingency,
      mapping: {
        clusterToLabel: mapping.clusterToLabel,
        accuracy: mapping.accuracy,
        unmatchedClusters: mapping.unmatchedClusters,
        unmatchedLabels: mapping.unmatchedLabels,
      },
    },
    warnings,
  };
}

/**
 * The metrics block of a fit report (internal on the fit space, external with a label column).
 * `truthOf(name)` gives the values of a column of known classes per data row (labelColumn).
 */
export function computeMetrics(
  truthOf: (name: string) => (string | number)[],
  input: {
    X: Matrix; labels: Int32Array; dataset: Dataset; label?: string; metric: MetricKind; sampleSize: number; seed: number;
  },
  control?: RunControl,
): { report: MetricsReport; warnings: string[] } {
  const warnings: string[] = [];
  const report: MetricsReport = internalMetrics(input.X, input.labels, input.metric, input.sampleSize, input.seed, control, warnings);
  if (input.label !== undefined) {
    const truth = truthOf(input.label);
    const pred = labelsForRows(input.dataset, input.labels);
    const ext = externalReport(truth, pred, input.label);
    Object.assign(report, ext.report);
    warnings.push(...ext.warnings);
  }
  return { report, warnings };
}
