/**
 * Mapping clusters to the classes of a label column, after a fit: the contingency table
 * over every cluster 0..k-1, the external metrics (scikit-learn's definitions, see
 * src/engine/metrics/external.ts), the best one-to-one mapping (Hungarian, SciPy's tie
 * order), the flattering many-to-one mapping, and checks for a mapping edited by hand.
 * Pure: no file system, no vscode. Class names are strings here (numbers are written as
 * `String(x)`), because a mapping is something people read and edit.
 */
import { EngineError } from '../engine/errors';
import { externalMetrics, type Label } from '../engine/metrics/external';
import { mapClustersToLabels } from '../engine/metrics/mapping';

/** Where a mapping in use came from. */
export type MappingBasis = 'oneToOne' | 'manyToOne' | 'edited';

/** The external metrics, in the order the panel and the report show them. */
export interface LabelMetrics {
  homogeneity: number;
  completeness: number;
  vMeasure: number;
  adjustedRand: number;
  adjustedMutualInfo: number;
  normalizedMutualInfo: number;
}

/** Everything about one label column against one fit. */
export interface LabelStudy {
  column: string;
  /** Number of clusters of the fit (columns of `matrix`, also the empty ones). */
  k: number;
  /** Distinct classes, in scikit-learn's sort order (numbers numerically, text by code point). */
  classes: string[];
  /** `matrix[r][c]`: rows of class `classes[r]` in cluster c (c = 0..k-1). */
  matrix: number[][];
  /** Rows that have both a cluster and a class (the ones every number here is about). */
  nRows: number;
  /** Rows with a cluster but an empty class cell: left out. */
  missingClass: number;
  metrics: LabelMetrics;
  /** Best one-to-one mapping, per cluster: a class, or null when the cluster is unmatched. */
  oneToOne: (string | null)[];
  /** Each cluster's most common class (several clusters may share one): flattering. */
  manyToOne: (string | null)[];
  /** Plain sentences: missing classes, k against the number of classes. */
  notes: string[];
}

/** How a given mapping does, in words and numbers. */
export interface MappingSummary {
  /** Share of the counted rows whose cluster maps to their own class. */
  accuracy: number;
  /** Some class has more than one cluster: the accuracy is flattered. */
  flattering: boolean;
  /** Clusters mapped to no class. */
  unmatchedClusters: number[];
  /** Classes no cluster maps to. */
  unmatchedClasses: string[];
}

/**
 * Compares the clusters of a fit with a column of known classes.
 * @param classValues per data row, the label column's value ('' when empty)
 * @param clusters per data row, its cluster (-1 or null: dropped or unassigned)
 * @param k number of clusters of the fit
 * @throws EngineError when the lengths differ or no row has both a cluster and a class.
 * Time O(n log n + min(k, C)^2 max(k, C)).
 */
export function studyLabels(
  classValues: ArrayLike<string | number>, clusters: ArrayLike<number | null>, k: number, column: string,
): LabelStudy {
  if (classValues.length !== clusters.length) {
    throw new EngineError(`the label column "${column}" has ${classValues.length} rows but the fit has ${clusters.length}; cluster the file again`);
  }
  const truth: Label[] = [];
  const pred: number[] = [];
  let missingClass = 0;
  for (let i = 0; i < clusters.length; i++) {
    const c = clusters[i];
    if (c === null || c < 0) continue;
    const t = classValues[i];
    if (t === '') {
      missingClass++;
      continue;
    }
    truth.push(t);
    pred.push(c);
  }
  if (truth.length === 0) {
    throw new EngineError(`no row has both a cluster and a value in "${column}", so there is nothing to map`);
  }
  const ext = externalMetrics(truth, pred);
  const best = mapClustersToLabels(truth, pred);
  const majority = mapClustersToLabels(truth, pred, { manyToOne: true });
  const classes = best.contingency.rows.map(String);
  const matrix = classes.map(() => new Array<number>(k).fill(0));
  best.contingency.cols.forEach((col, j) => {
    const c = Number(col);
    for (let r = 0; r < classes.length; r++) matrix[r][c] = best.contingency.matrix[r][j];
  });
  const perCluster = (m: Record<string, Label>): (string | null)[] =>
    Array.from({ length: k }, (_, c) => (m[String(c)] === undefined ? null : String(m[String(c)])));

  const notes: string[] = [];
  if (missingClass > 0) notes.push(`${missingClass} row${missingClass === 1 ? ' has' : 's have'} no value in "${column}" and ${missingClass === 1 ? 'is' : 'are'} left out`);
  const empty = matrix[0] ? Array.from({ length: k }, (_, c) => c).filter((c) => matrix.every((row) => row[c] === 0)) : [];
  if (empty.length > 0) notes.push(`cluster${empty.length === 1 ? '' : 's'} ${empty.join(', ')} ${empty.length === 1 ? 'has' : 'have'} no labelled rows`);
  const kNote = classCountNote(k, classes.length);
  if (kNote !== null) notes.push(kNote);
  return {
    column, k, classes, matrix, nRows: truth.length, missingClass,
    metrics: {
      homogeneity: ext.homogeneity,
      completeness: ext.completeness,
      vMeasure: ext.vMeasure,
      adjustedRand: ext.adjustedRand,
      adjustedMutualInfo: ext.adjustedMutualInfo,
      normalizedMutualInfo: ext.normalizedMutualInfo,
    },
    oneToOne: perCluster(best.clusterToLabel),
    manyToOne: perCluster(majority.clusterToLabel),
    notes,
  };
}

/** What a number of clusters other than the number of classes means, or null when they are equal. */
export function classCountNote(k: number, nClasses: number): string | null {
  if (k > nClasses) {
    return `There are ${k} clusters but only ${nClasses} class${nClasses === 1 ? '' : 'es'}: a one-to-one mapping leaves `
      + `${k - nClasses} cluster${k - nClasses === 1 ? '' : 's'} unmatched, and their rows count as errors in the accuracy.`;
  }
  if (k < nClasses) {
    return `There are ${k} cluster${k === 1 ? '' : 's'} but ${nClasses} classes: a one-to-one mapping leaves `
      + `${nClasses - k} class${nClasses - k === 1 ? '' : 'es'} without a cluster, and their rows count as errors in the accuracy.`;
  }
  return null;
}

/**
 * Accuracy and unmatched clusters and classes of a mapping (one entry per cluster, a class
 * or null). The mapping must have passed {@link checkMapping}.
 */
export function summarizeMapping(study: LabelStudy, mapping: readonly (string | null)[]): MappingSummary {
  const index = new Map(study.classes.map((name, r) => [name, r]));
  let correct = 0;
  const used = new Map<string, number>();
  const unmatchedClusters: number[] = [];
  mapping.forEach((label, c) => {
    if (label === null) {
      unmatchedClusters.push(c);
      return;
    }
    used.set(label, (used.get(label) ?? 0) + 1);
    correct += study.matrix[index.get(label) as number][c];
  });
  return {
    accuracy: correct / study.nRows,
    flattering: [...used.values()].some((n) => n > 1),
    unmatchedClusters,
    unmatchedClasses: study.classes.filter((name) => !used.has(name)),
  };
}

/**
 * Checks a mapping edited by hand against the study: one entry per cluster, each a known
 * class or null (unmatched). Returns a copy.
 * @throws EngineError naming the first bad entry.
 */
export function checkMapping(study: LabelStudy, mapping: readonly (string | null)[]): (string | null)[] {
  if (mapping.length !== study.k) {
    throw new EngineError(`the mapping has ${mapping.length} entries but there are ${study.k} clusters: give one per cluster`);
  }
  const known = new Set(study.classes);
  mapping.forEach((label, c) => {
    if (label !== null && !known.has(label)) {
      throw new EngineError(`cluster ${c} is mapped to ${JSON.stringify(label.length > 40 ? `${label.slice(0, 40)}…` : label)}, which is not a class of "${study.column}"`);
    }
  });
  return [...mapping];
}

/** The mapping as cluster -> class (unmatched clusters left out), as a saved model stores it. */
export function mappingRecord(mapping: readonly (string | null)[]): Record<string, string> {
  const out: Record<string, string> = {};
  mapping.forEach((label, c) => {
    if (label !== null) out[String(c)] = label;
  });
  return out;
}
