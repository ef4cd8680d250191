/**
 * Elkan's accelerated assignment step for k-means (C. Elkan, "Using the triangle inequality to
 * accelerate k-means", ICML 2003), as scikit-learn's `_k_means_elkan.pyx` organises it: one upper
 * bound per row (distance to its own centre), one lower bound per row and centre, half the
 * distances between centres. The k-means loop in `kmeans.ts` is shared with Lloyd; only the
 * assignment step differs, so both give the same labels, centres and `nIter`.
 *
 * Exactness: a candidate centre is skipped only when the bounds prove it is farther than the
 * current one by more than `slack` (a tiny multiple of the data's extent that covers rounding in
 * the bounds). Every decision between candidates compares squared distances computed exactly as
 * the Lloyd step computes them, with ties going to the lowest index, so the labels are identical.
 */

/** Bounds carried between iterations. Memory: n x k + n + k x k doubles. */
export interface ElkanState {
  readonly nClusters: number;
  /** `upper[i]` >= distance from row i to its centre. */
  readonly upper: Float64Array;
  /** `lower[i * k + j]` <= distance from row i to centre j. */
  readonly lower: Float64Array;
  /** `half[a * k + b]` = distance between centres a and b, halved. */
  readonly half: Float64Array;
  /** `nextHalf[a]` = min over b != a of `half[a * k + b]`. */
  readonly nextHalf: Float64Array;
  /** Absolute margin added to every pruning test (see module comment). */
  readonly slack: number;
}

/** Allocates the bounds for `n` rows and `k` centres; `scale` is an upper bound on any distance. */
export function createElkanState(n: number, k: number, scale: number): ElkanState {
  return {
    nClusters: k,
    upper: new Float64Array(n),
    lower: new Float64Array(n * k),
    half: new Float64Array(k * k),
    nextHalf: new Float64Array(k),
    slack: 1e-9 * scale,
  };
}

/**
 * Kernel: recomputes half the centre-to-centre distances. Inputs trusted (k x d row-major).
 * O(k^2 d).
 */
export function updateCenterDistances(state: ElkanState, centers: Float64Array, d: number): void {
  const k = state.nClusters;
  const half = state.half;
  for (let a = 0; a < k; a++) {
    half[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = centers[a * d + t] - centers[b * d + t];
        s += diff * diff;
      }
      const h = Math.sqrt(s) / 2;
      half[a * k + b] = h;
      half[b * k + a] = h;
    }
  }
  for (let a = 0; a < k; a++) {
    let m = Infinity;
    for (let b = 0; b < k; b++) if (b !== a && half[a * k + b] < m) m = half[a * k + b];
    state.nextHalf[a] = m;
  }
}

/**
 * Kernel: the first assignment, with every distance computed (tight bounds). Writes `labels`
 * (nearest centre, ties to the lowest index). Inputs trusted. O(n k d).
 */
export function elkanInitialAssign(
  state: ElkanState, x: Float64Array, n: number, d: number, centers: Float64Array, labels: Int32Array,
): void {
  const k = state.nClusters;
  const lower = state.lower;
  updateCenterDistances(state, centers, d);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let best = 0;
    let bestSq = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      const co = j * d;
      for (let t = 0; t < d; t++) {
        const diff = x[xo + t] - centers[co + t];
        s += diff * diff;
      }
      lower[i * k + j] = Math.sqrt(s);
      if (s < bestSq) {
        bestSq = s;
        best = j;
      }
    }
    labels[i] = best;
    state.upper[i] = Math.sqrt(bestSq);
  }
}

/**
 * Kernel: one bounded assignment step with the current `centers` (the bounds must already
 * account for the last centre moves, see {@link elkanMoveBounds}). Updates `labels` in place
 * and returns the number of distance evaluations (for diagnostics). Inputs trusted.
 */
export function elkanAssign(
  state: ElkanState, x: Float64Array, n: number, d: number, centers: Float64Array, labels: Int32Array,
): number {
  const k = state.nClusters;
  const { upper, lower, half, nextHalf, slack } = state;
  updateCenterDistances(state, centers, d);
  let evaluations = 0;
  for (let i = 0; i < n; i++) {
    let label = labels[i];
    let u = upper[i];
    if (nextHalf[label] > u + slack) continue;
    const xo = i * d;
    const lo = i * k;
    let tight = false;
    let bestSq = 0;
    for (let j = 0; j < k; j++) {
      if (j === label) continue;
      if (lower[lo + j] > u + slack || half[label * k + j] > u + slack) continue;
      if (!tight) {
        const co = label * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = x[xo + t] - centers[co + t];
          s += diff * diff;
        }
        bestSq = s;
        u = Math.sqrt(s);
        lower[lo + label] = u;
        tight = true;
        evaluations++;
        if (lower[lo + j] > u + slack || half[label * k + j] > u + slack) continue;
      }
      const co = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[xo + t] - centers[co + t];
        s += diff * diff;
      }
      evaluations++;
      const dist = Math.sqrt(s);
      lower[lo + j] = dist;
      if (s < bestSq || (s === bestSq && j < label)) {
        label = j;
        bestSq = s;
        u = dist;
      }
    }
    labels[i] = label;
    upper[i] = u;
  }
  return evaluations;
}

/**
 * Kernel: after the centres moved by `move[j]` (Euclidean length of centre j's move), loosens
 * the bounds: upper grows by the own centre's move, lower shrinks by each centre's move
 * (clipped at 0). O(n k).
 */
export function elkanMoveBounds(state: ElkanState, n: number, labels: Int32Array, move: Float64Array): void {
  const k = state.nClusters;
  const { upper, lower } = state;
  for (let i = 0; i < n; i++) {
    upper[i] += move[labels[i]];
    const lo = i * k;
    for (let j = 0; j < k; j++) {
      const v = lower[lo + j] - move[j];
      lower[lo + j] = v > 0 ? v : 0;
    }
  }
}
