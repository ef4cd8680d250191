/**
 * External clustering metrics: agreement between known classes and clusters, following
 * scikit-learn 1.2.1 (`sklearn.metrics.cluster._supervised`) formula by formula, including
 * its special cases (see each function). Labels may be numbers or strings; -1 is an ordinary
 * label. Everything is computed from the sparse contingency table (its non-zero cells in
 * row-major order, as scikit-learn's CSR matrix), so n singletons cost O(n), not O(n^2).
 */
import { check } from '../errors';
import { lgammaTable } from './special';

/** A class or cluster label. */
export type Label = string | number;

/** Averages of two entropies used to normalise mutual information. */
export type AverageMethod = 'arithmetic' | 'geometric' | 'min' | 'max';

/**
 * Dense contingency table. `rows` are the sorted distinct true labels, `cols` the sorted
 * distinct predicted labels; `matrix[r][c]` counts the rows with true label rows[r] and
 * predicted label cols[c]. Sorting: numeric order when every label on that side is a number,
 * otherwise every label is compared as its string form in Unicode code-point order (as
 * Python sorts strings) and echoed as that string.
 */
export interface Contingency {
  rows: Label[];
  cols: Label[];
  matrix: number[][];
}

/** Compares two strings by Unicode code points (JavaScript's `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return (a.length - i) - (b.length - j);
}

interface EncodedSide {
  classes: Label[];
  codes: Int32Array;
}

/** Sorted distinct labels and each row's index among them. */
function encodeSide(values: ArrayLike<Label>, name: string): EncodedSide {
  const n = values.length;
  let allNumbers = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      if (Number.isNaN(v)) check(false, `${name}[${i}]=NaN is not a label`);
    } else {
      if (typeof v !== 'string') check(false, `${name}[${i}]=${String(v)} should be a string or a number`);
      allNumbers = false;
    }
  }
  const codes = new Int32Array(n);
  if (allNumbers) {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) if (!map.has(values[i] as number)) map.set(values[i] as number, 0);
    const classes = [...map.keys()].sort((a, b) => a - b);
    classes.forEach((v, index) => map.set(v, index));
    for (let i = 0; i < n; i++) codes[i] = map.get(values[i] as number) as number;
    return { classes, codes };
  }
  const map = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = String(values[i]);
    if (!map.has(key)) map.set(key, 0);
  }
  const classes = [...map.keys()].sort(compareCodePoints);
  classes.forEach((v, index) => map.set(v, index));
  for (let i = 0; i < n; i++) codes[i] = map.get(String(values[i])) as number;
  return { classes, codes };
}

/** The contingency table in sparse form: the non-zero cells in row-major order plus margins. */
interface SparseContingency {
  n: number;
  rows: Label[];
  cols: Label[];
  rowSums: Float64Array;
  colSums: Float64Array;
  nzRow: Int32Array;
  nzCol: Int32Array;
  nzVal: Float64Array;
}

function sparseContingency(truth: ArrayLike<Label>, pred: ArrayLike<Label>): SparseContingency {
  check(truth.length === pred.length,
    `labels_true has ${truth.length} entries and labels_pred ${pred.length}: they should be equal`);
  const n = truth.length;
  check(n >= 1, 'the labellings are empty: at least 1 sample is needed');
  const t = encodeSide(truth, 'labels_true');
  const p = encodeSide(pred, 'labels_pred');
  const R = t.classes.length;
  const C = p.classes.length;
  const cell = new Float64Array(n);
  for (let i = 0; i < n; i++) cell[i] = t.codes[i] * C + p.codes[i];
  cell.sort();
  const nzRow: number[] = [];
  const nzCol: number[] = [];
  const nzVal: number[] = [];
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && cell[j] === cell[i]) j++;
    nzRow.push(Math.floor(cell[i] / C));
    nzCol.push(cell[i] % C);
    nzVal.push(j - i);
    i = j;
  }
  const rowSums = new Float64Array(R);
  const colSums = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    rowSums[t.codes[i]]++;
    colSums[p.codes[i]]++;
  }
  return {
    n, rows: t.classes, cols: p.classes, rowSums, colSums,
    nzRow: Int32Array.from(nzRow), nzCol: Int32Array.from(nzCol), nzVal: Float64Array.from(nzVal),
  };
}

/**
 * The contingency table of two labellings (see {@link Contingency} for the order).
 * O(n log n + R C).
 * @throws EngineError when the lengths differ, the input is empty, or a label is NaN.
 */
export function contingencyTable(truth: ArrayLike<Label>, pred: ArrayLike<Label>): Contingency {
  const s = sparseContingency(truth, pred);
  const matrix: number[][] = s.rows.map(() => new Array<number>(s.cols.length).fill(0));
  for (let k = 0; k < s.nzVal.length; k++) matrix[s.nzRow[k]][s.nzCol[k]] = s.nzVal[k];
  return { rows: s.rows, cols: s.cols, matrix };
}

/** [[tn, fp], [fn, tp]] over ordered pairs, as `sklearn.metrics.cluster.pair_confusion_matrix`. */
function pairConfusionOf(s: SparseContingency): [number, number, number, number] {
  let sumSquares = 0;
  let dotColSums = 0;
  let dotRowSums = 0;
  for (let k = 0; k < s.nzVal.length; k++) {
    const v = s.nzVal[k];
    sumSquares += v * v;
    dotColSums += v * s.colSums[s.nzCol[k]];
    dotRowSums += v * s.rowSums[s.nzRow[k]];
  }
  const tp = sumSquares - s.n;
  const fp = dotColSums - sumSquares;
  const fn = dotRowSums - sumSquares;
  const tn = s.n * s.n - fp - fn - sumSquares;
  return [tn, fp, fn, tp];
}

/**
 * Pair confusion matrix [[tn, fp], [fn, tp]] counting ordered pairs of distinct rows (sums to
 * n (n - 1)): tp = together in both labellings, fp = together only in the prediction, fn =
 * together only in the truth. Exact while n^2 < 2^53.
 */
export function pairConfusionMatrix(truth: ArrayLike<Label>, pred: ArrayLike<Label>): number[][] {
  const [tn, fp, fn, tp] = pairConfusionOf(sparseContingency(truth, pred));
  return [[tn, fp], [fn, tp]];
}

function adjustedRandOf(s: SparseContingency): number {
  const [tn, fp, fn, tp] = pairConfusionOf(s);
  if (fn === 0 && fp === 0) return 1.0; // perfect agreement, including both single clusters
  // Exact integer arithmetic as Python's, then one rounding each for numerator and denominator.
  const TN = BigInt(tn);
  const FP = BigInt(fp);
  const FN = BigInt(fn);
  const TP = BigInt(tp);
  const numerator = 2n * (TP * TN - FN * FP);
  const denominator = (TP + FN) * (FN + TN) + (TP + FP) * (FP + TN);
  return Number(numerator) / Number(denominator);
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985) from the pair confusion matrix; 1.0 when no pair
 * disagrees (e.g. both labellings a single cluster). In [-0.5, 1]; about 0 for random labels.
 */
export function adjustedRandScore(truth: ArrayLike<Label>, pred: ArrayLike<Label>): number {
  return adjustedRandOf(sparseContingency(truth, pred));
}

/** Rand index: share of ordered pairs on which the labellings agree; 1.0 when n = 1. */
export function randScore(truth: ArrayLike<Label>, pred: ArrayLike<Label>): number {
  const [tn, fp, fn, tp] = pairConfusionOf(sparseContingency(truth, pred));
  const numerator = tn + tp;
  const denominator = tn + fp + fn + tp;
  if (numerator === denominator || denominator === 0) return 1.0;
  return numerator / denominator;
}

/** Mutual information in nats, exactly scikit-learn's evaluation (terms below eps are 0, clipped at 0). */
function mutualInfoOf(s: SparseContingency): number {
  const R = s.rowSums.length;
  const C = s.colSums.length;
  if (R === 1 || C === 1) return 0.0;
  const n = s.n;
  const logN = Math.log(n);
  let total = 0;
  for (let k = 0; k < s.nzVal.length; k++) {
    const v = s.nzVal[k];
    const pnm = v / n;
    const outer = s.rowSums[s.nzRow[k]] * s.colSums[s.nzCol[k]];
    const logOuter = -Math.log(outer) + logN + logN;
    let term = pnm * (Math.log(v) - logN) + pnm * logOuter;
    if (Math.abs(term) < Number.EPSILON) term = 0;
    total += term;
  }
  return total < 0 ? 0 : total;
}

/** Mutual information between the labellings, natural logarithm (nats). */
export function mutualInfoScore(truth: ArrayLike<Label>, pred: ArrayLike<Label>): number {
  return mutualInfoOf(sparseContingency(truth, pred));
}

/** Entropy (nats) of a labelling given its cluster sizes; 0 for a single cluster. */
function entropyOf(sizes: Float64Array, n: number): number {
  if (sizes.length === 1) return 0.0;
  const logN = Math.log(n);
  let s = 0;
  for (let c = 0; c < sizes.length; c++) s += (sizes[c] / n) * (Math.log(sizes[c]) - logN);
  return -s;
}

function generalizedAverage(u: number, v: number, method: AverageMethod): number {
  switch (method) {
    case 'min': return Math.min(u, v);
    case 'geometric': return Math.sqrt(u * v);
    case 'arithmetic': return (u + v) / 2;
    case 'max': return Math.max(u, v);
  }
}

function checkAverage(method: AverageMethod): void {
  check(method === 'arithmetic' || method === 'geometric' || method === 'min' || method === 'max',
    `average=${String(method)} should be 'arithmetic', 'geometric', 'min' or 'max'`);
}

/**
 * Expected mutual information of two labellings with these margins under random permutation
 * (Vinh, Epps & Bailey 2010), summed exactly as scikit-learn's `expected_mutual_information`
 * with log-gamma values. Time O(sum over cells of min(a_i, b_j)).
 */
function expectedMutualInfo(s: SparseContingency): number {
  const a = s.rowSums;
  const b = s.colSums;
  const R = a.length;
  const C = b.length;
  if (R === 1 || C === 1) return 0.0; // a labelling with zero entropy: EMI = 0
  const N = s.n;
  let maxAB = 0;
  for (let i = 0; i < R; i++) if (a[i] > maxAB) maxAB = a[i];
  for (let j = 0; j < C; j++) if (b[j] > maxAB) maxAB = b[j];
  // lg[k] = ln Gamma(k); every argument below is an integer in [1, N + 1].
  const lg = lgammaTable(N + 1);
  const logN = Math.log(N);
  const logNnij = new Float64Array(maxAB + 1);
  const term1 = new Float64Array(maxAB + 1);
  for (let nij = 1; nij <= maxAB; nij++) {
    logNnij[nij] = logN + Math.log(nij);
    term1[nij] = nij / N;
  }
  const glnN = lg[N + 1];
  let emi = 0;
  for (let i = 0; i < R; i++) {
    const ai = a[i];
    const logA = Math.log(ai);
    const glnA = lg[ai + 1];
    const glnNA = lg[N - ai + 1];
    for (let j = 0; j < C; j++) {
      const bj = b[j];
      const logB = Math.log(bj);
      const glnB = lg[bj + 1];
      const glnNB = lg[N - bj + 1];
      const start = Math.max(1, ai - N + bj);
      const end = Math.min(ai, bj);
      for (let nij = start; nij <= end; nij++) {
        const term2 = logNnij[nij] - logA - logB;
        const gln = glnA + glnB + glnNA + glnNB - glnN - lg[nij + 1] - lg[ai - nij + 1] - lg[bj - nij + 1]
          - lg[N - ai - bj + nij + 1];
        const term3 = Math.exp(gln);
        emi += term1[nij] * term2 * term3;
      }
    }
  }
  return emi;
}

function singleClusterBoth(s: SparseContingency): boolean {
  return s.rowSums.length === 1 && s.colSums.length === 1;
}

function adjustedMutualInfoOf(s: SparseContingency, average: AverageMethod): number {
  if (singleClusterBoth(s)) return 1.0; // both labellings put everything together: a perfect match
  const mi = mutualInfoOf(s);
  const emi = expectedMutualInfo(s);
  const normalizer = generalizedAverage(entropyOf(s.rowSums, s.n), entropyOf(s.colSums, s.n), average);
  let denominator = normalizer - emi;
  // Keep the sign when EMI slightly exceeds the normaliser through rounding; never divide by 0.
  if (denominator < 0) denominator = Math.min(denominator, -Number.EPSILON);
  else denominator = Math.max(denominator, Number.EPSILON);
  return (mi - emi) / denominator;
}

function normalizedMutualInfoOf(s: SparseContingency, average: AverageMethod): number {
  if (singleClusterBoth(s)) return 1.0;
  const mi = mutualInfoOf(s);
  if (mi === 0) return 0.0;
  return mi / generalizedAverage(entropyOf(s.rowSums, s.n), entropyOf(s.colSums, s.n), average);
}

/**
 * Adjusted mutual information (Vinh et al. 2010): (MI - E[MI]) / (avg(H(U), H(V)) - E[MI]),
 * 1.0 when both labellings are a single cluster. `average` defaults to 'arithmetic'.
 * Time O(n log n + sum over cells of min(a_i, b_j)) and O(n) memory for the log-gamma table.
 */
export function adjustedMutualInfoScore(truth: ArrayLike<Label>, pred: ArrayLike<Label>, average: AverageMethod = 'arithmetic'): number {
  checkAverage(average);
  return adjustedMutualInfoOf(sparseContingency(truth, pred), average);
}

/**
 * Normalised mutual information MI / avg(H(U), H(V)); 1.0 when both labellings are a single
 * cluster, 0.0 when MI = 0 otherwise. `average` defaults to 'arithmetic'.
 */
export function normalizedMutualInfoScore(truth: ArrayLike<Label>, pred: ArrayLike<Label>, average: AverageMethod = 'arithmetic'): number {
  checkAverage(average);
  return normalizedMutualInfoOf(sparseContingency(truth, pred), average);
}

function hcvOf(s: SparseContingency, beta: number): { homogeneity: number; completeness: number; vMeasure: number } {
  const hC = entropyOf(s.rowSums, s.n);
  const hK = entropyOf(s.colSums, s.n);
  const mi = mutualInfoOf(s);
  const homogeneity = hC !== 0 ? mi / hC : 1.0;
  const completeness = hK !== 0 ? mi / hK : 1.0;
  const vMeasure = homogeneity + completeness === 0
    ? 0.0
    : ((1 + beta) * homogeneity * completeness) / (beta * homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}

/**
 * Homogeneity (each cluster holds one class), completeness (each class in one cluster) and
 * their weighted harmonic mean, the V-measure (Rosenberg & Hirschberg 2007). Homogeneity is
 * 1 when there is one class, completeness 1 when there is one cluster, V = 0 when h + c = 0.
 * @param beta weight of completeness relative to homogeneity (default 1).
 */
export function homogeneityCompletenessVMeasure(
  truth: ArrayLike<Label>, pred: ArrayLike<Label>, beta = 1.0,
): { homogeneity: number; completeness: number; vMeasure: number } {
  check(Number.isFinite(beta) && beta >= 0, `beta=${beta} should be a finite number >= 0`);
  return hcvOf(sparseContingency(truth, pred), beta);
}

function fowlkesMallowsOf(s: SparseContingency): number {
  let tk = -s.n;
  for (let k = 0; k < s.nzVal.length; k++) tk += s.nzVal[k] * s.nzVal[k];
  let pk = -s.n;
  for (let j = 0; j < s.colSums.length; j++) pk += s.colSums[j] * s.colSums[j];
  let qk = -s.n;
  for (let i = 0; i < s.rowSums.length; i++) qk += s.rowSums[i] * s.rowSums[i];
  return tk !== 0 ? Math.sqrt(tk / pk) * Math.sqrt(tk / qk) : 0.0;
}

/** Fowlkes-Mallows index: geometric mean of pairwise precision and recall; 0 when no pair is together in both. */
export function fowlkesMallowsScore(truth: ArrayLike<Label>, pred: ArrayLike<Label>): number {
  return fowlkesMallowsOf(sparseContingency(truth, pred));
}

/** The external metrics a report shows, all with their default options. */
export interface ExternalMetrics {
  adjustedRand: number;
  adjustedMutualInfo: number;
  normalizedMutualInfo: number;
  homogeneity: number;
  completeness: number;
  vMeasure: number;
  fowlkesMallows: number;
}

/**
 * All report metrics at once from one contingency table: ARI, AMI and NMI (arithmetic),
 * homogeneity, completeness, V-measure (beta 1) and Fowlkes-Mallows.
 * @throws EngineError when the lengths differ, the input is empty, or a label is NaN.
 */
export function externalMetrics(truth: ArrayLike<Label>, pred: ArrayLike<Label>): ExternalMetrics {
  const s = sparseContingency(truth, pred);
  const hcv = hcvOf(s, 1);
  return {
    adjustedRand: adjustedRandOf(s),
    adjustedMutualInfo: adjustedMutualInfoOf(s, 'arithmetic'),
    normalizedMutualInfo: normalizedMutualInfoOf(s, 'arithmetic'),
    homogeneity: hcv.homogeneity,
    completeness: hcv.completeness,
    vMeasure: hcv.vMeasure,
    fowlkesMallows: fowlkesMallowsOf(s),
  };
}
