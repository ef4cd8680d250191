/**
 * Which known class each cluster stands for: the one-to-one matching of clusters to classes
 * that agrees on the most rows (linear sum assignment on the contingency table, maximised),
 * or, on request, each cluster's majority class.
 */
import { linearSumAssignment } from '../assignment';
import { contingencyTable, type Contingency, type Label } from './external';

/** The cluster-to-class mapping and how well it does. */
export interface ClusterMapping {
  /** Cluster (as a string key) to the class it is mapped to; unmatched clusters are absent. */
  clusterToLabel: Record<string, Label>;
  /** Share of rows whose cluster maps to their own class. */
  accuracy: number;
  /** Clusters that got no class (more clusters than classes), in contingency column order. */
  unmatchedClusters: Label[];
  /** Classes that got no cluster, in contingency row order. */
  unmatchedLabels: Label[];
  contingency: Contingency;
  /** Plain-language notes on what the accuracy means for this mapping. */
  warnings: string[];
}

/** "3", "3 and 4", "3, 4 and 5"; past eight, "1, 2, …, 8 and 4 more". Strings are quoted. */
function list(labels: Label[]): string {
  const shown = labels.slice(0, 8).map((l) => JSON.stringify(l));
  if (labels.length > 8) return `${shown.join(', ')} and ${labels.length - 8} more`;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** `one` or `many` by the number of `labels`, then the list: "cluster 3", "clusters 3 and 4". */
function named(labels: Label[], one: string, many: string): string {
  return `${labels.length === 1 ? one : many} ${list(labels)}`;
}

/**
 * Maps clusters to classes.
 *
 * Default (one-to-one): SciPy-style linear sum assignment maximising the matched count on the
 * contingency table (rows = classes, columns = clusters), so each class gets at most one
 * cluster and vice versa. When the numbers of clusters and classes differ, a warning says
 * which clusters or classes are left without a partner (their rows count as errors).
 *
 * `manyToOne`: each cluster gets its most frequent class (ties: the first class in sorted
 * order); several clusters may share a class. A warning says this flatters the accuracy.
 *
 * @throws EngineError when the lengths differ, the input is empty, or a label is NaN.
 * Time O(n log n + min(R,C)^2 max(R,C)).
 */
export function mapClustersToLabels(
  truth: ArrayLike<Label>, pred: ArrayLike<Label>, options: { manyToOne?: boolean } = {},
): ClusterMapping {
  const contingency = contingencyTable(truth, pred);
  const { rows, cols, matrix } = contingency;
  const n = truth.length;
  const clusterToLabel: Record<string, Label> = {};
  const warnings: string[] = [];

  if (options.manyToOne) {
    let correct = 0;
    const used = new Set<number>();
    for (let c = 0; c < cols.length; c++) {
      let best = 0;
      for (let r = 1; r < rows.length; r++) if (matrix[r][c] > matrix[best][c]) best = r;
      clusterToLabel[String(cols[c])] = rows[best];
      correct += matrix[best][c];
      used.add(best);
    }
    const unmatchedLabels = rows.filter((_, r) => !used.has(r));
    warnings.push('each cluster was mapped to its most common class, so several clusters can share a class: '
      + 'this flatters the accuracy (one cluster per row would score 1)');
    if (unmatchedLabels.length > 0) {
      warnings.push(`no cluster has a majority of ${named(unmatchedLabels, 'class', 'classes')}: those rows count as errors`);
    }
    return { clusterToLabel, accuracy: correct / n, unmatchedClusters: [], unmatchedLabels, contingency, warnings };
  }

  const { rowInd, colInd, total } = linearSumAssignment(matrix, true);
  const matchedRows = new Set<number>();
  const matchedCols = new Set<number>();
  for (let k = 0; k < rowInd.length; k++) {
    clusterToLabel[String(cols[colInd[k]])] = rows[rowInd[k]];
    matchedRows.add(rowInd[k]);
    matchedCols.add(colInd[k]);
  }
  const unmatchedClusters = cols.filter((_, c) => !matchedCols.has(c));
  const unmatchedLabels = rows.filter((_, r) => !matchedRows.has(r));
  if (cols.length > rows.length) {
    const one = unmatchedClusters.length === 1;
    warnings.push(`there are ${cols.length} clusters but ${rows.length} classes: ${named(unmatchedClusters, 'cluster', 'clusters')} `
      + `${one ? 'has no class of its own, so its' : 'have no class of their own, so their'} rows count as errors in the accuracy`);
  } else if (cols.length < rows.length) {
    const one = unmatchedLabels.length === 1;
    warnings.push(`there are ${cols.length} clusters but ${rows.length} classes: ${named(unmatchedLabels, 'class', 'classes')} `
      + `${one ? 'gets no cluster, so its' : 'get no cluster, so their'} rows count as errors in the accuracy`);
  }
  return { clusterToLabel, accuracy: total / n, unmatchedClusters, unmatchedLabels, contingency, warnings };
}
