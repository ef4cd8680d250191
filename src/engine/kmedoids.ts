/**
 * k-medoids on a precomputed distance matrix: choose k rows (medoids) minimising the sum of
 * distances from every row to its nearest medoid. Exhaustive search when affordable (the exact
 * optimum), otherwise FasterPAM (Schubert & Rousseeuw, "Fast and eager k-medoids clustering:
 * O(k) runtime improvement of the PAM, CLARA, and CLARANS algorithms", Information Systems
 * 101, 2021) with restarts; classic PAM BUILD + SWAP (Kaufman & Rousseeuw 1990) on request.
 */
import { check, throwIfCancelled, type RunControl } from './errors';
import type { Matrix } from './matrix';
import { Rng } from './rng';

/** Search strategies; 'auto' = exhaustive when affordable, else FasterPAM with restarts. */
export type KMedoidsMethod = 'auto' | 'exact' | 'fasterpam' | 'pam';

/** What `kMedoids` returns. */
export interface KMedoidsResult {
  /** Row indices of the medoids, ascending. Cluster j is the one around medoids[j]. */
  medoids: number[];
  /** Per row, the index into `medoids` of its nearest medoid (ties: the lower index). */
  labels: Int32Array;
  /** Sum over rows of the distance to their medoid (R's `pam` reports this divided by n). */
  cost: number;
  /** What was run, e.g. 'exact (exhaustive search over 66 sets)' or 'FasterPAM, best of 10 restarts'. */
  method: string;
}

/** 'auto' searches exhaustively up to this many medoid sets ... */
const EXACT_MAX_SETS = 2e6;
/** ... and this many distance look-ups (sets x n). */
const EXACT_MAX_WORK = 2e8;
/** A forced 'exact' refuses above this many look-ups. */
const EXACT_HARD_LIMIT = 2e10;

/** C(n, k) as a float, stopping early once it exceeds `cap`. */
function binomialCapped(n: number, k: number, cap: number): number {
  let c = 1;
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) {
    c = (c * (n - kk + i)) / i;
    if (c > cap) return Infinity;
  }
  return Math.round(c);
}

function validateDistances(D: Matrix): void {
  const n = D.nRows;
  check(n >= 1, 'the distance matrix is empty: at least 1 row is needed');
  check(D.nCols === n, `the distance matrix is ${n} x ${D.nCols}: it should be square`);
  const d = D.data;
  for (let i = 0; i < n; i++) {
    if (d[i * n + i] !== 0) check(false, `D[${i}][${i}]=${d[i * n + i]} should be 0 (distance of a row to itself)`);
    for (let j = i + 1; j < n; j++) {
      const a = d[i * n + j];
      const b = d[j * n + i];
      if (!(Number.isFinite(a) && a >= 0)) check(false, `D[${i}][${j}]=${a} should be a finite number >= 0`);
      if (!(Number.isFinite(b) && b >= 0)) check(false, `D[${j}][${i}]=${b} should be a finite number >= 0`);
      if (Math.abs(a - b) > 1e-9 * Math.max(a, b)) {
        check(false, `D[${i}][${j}]=${a} and D[${j}][${i}]=${b} differ: the matrix should be symmetric (symmetrise it first)`);
      }
    }
  }
}

/** Nearest-medoid labels (ties: lower slot) and total cost for sorted medoids (kernel). */
function assignAll(D: Float64Array, n: number, medoids: Int32Array, labels: Int32Array): number {
  const k = medoids.length;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let slot = 0;
    for (let s = 0; s < k; s++) {
      const v = D[i * n + medoids[s]];
      if (v < best) {
        best = v;
        slot = s;
      }
    }
    labels[i] = slot;
    cost += best;
  }
  return cost;
}

/**
 * Exhaustive search over all C(n, k) medoid sets in lexicographic order, depth first with
 * the running nearest distance per level, so each set costs O(n) (kernel: trusts its input).
 * Ties within 1e-12 relative keep the lexicographically first set.
 */
function exhaustive(D: Float64Array, n: number, k: number, control: RunControl | undefined, totalSets: number): Int32Array {
  const levels = new Float64Array((k + 1) * n).fill(Infinity);
  const current = new Int32Array(k);
  const best = new Int32Array(k);
  let bestCost = Infinity;
  let visited = 0;
  let lastReport = 0;
  // Iterative depth-first enumeration: current[t] is the medoid chosen at depth t.
  let t = 0;
  current[0] = -1;
  while (t >= 0) {
    current[t]++;
    if (current[t] > n - (k - t)) {
      t--;
      continue;
    }
    const m = current[t];
    const prev = t * n;
    const next = (t + 1) * n;
    if (t + 1 === k) {
      let cost = 0;
      for (let i = 0; i < n; i++) {
        const a = levels[prev + i];
        const b = D[i * n + m];
        cost += a < b ? a : b;
      }
      if (bestCost === Infinity || cost < bestCost - 1e-12 * bestCost) {
        bestCost = cost;
        best.set(current);
      }
      if ((++visited & 4095) === 0) {
        throwIfCancelled(control);
        const now = Date.now();
        if (control?.onProgress && now - lastReport >= 100) {
          lastReport = now;
          control.onProgress(visited / totalSets, 'k-medoids: exhaustive search');
        }
      }
      continue;
    }
    for (let i = 0; i < n; i++) {
      const a = levels[prev + i];
      const b = D[i * n + m];
      levels[next + i] = a < b ? a : b;
    }
    t++;
    current[t] = m;
  }
  return best;
}

/** Nearest and second-nearest medoid of every row, for FasterPAM and PAM SWAP. */
class SwapState {
  readonly nearest: Int32Array;
  readonly d1: Float64Array;
  readonly d2: Float64Array;
  readonly loss: Float64Array;
  readonly delta: Float64Array;
  readonly isMedoid: Uint8Array;
  cost = 0;

  constructor(private readonly D: Float64Array, private readonly n: number, readonly medoids: Int32Array) {
    const k = medoids.length;
    this.nearest = new Int32Array(n);
    this.d1 = new Float64Array(n);
    this.d2 = new Float64Array(n);
    this.loss = new Float64Array(k);
    this.delta = new Float64Array(k);
    this.isMedoid = new Uint8Array(n);
    for (let s = 0; s < k; s++) this.isMedoid[medoids[s]] = 1;
    this.refresh();
  }

  /** Recomputes nearest / second nearest, the cost and each medoid's removal loss: O(n k). */
  refresh(): void {
    const { D, n, medoids, nearest, d1, d2, loss } = this;
    const k = medoids.length;
    loss.fill(0);
    let cost = 0;
    for (let i = 0; i < n; i++) {
      let b1 = Infinity;
      let b2 = Infinity;
      let s1 = 0;
      for (let s = 0; s < k; s++) {
        const v = D[i * n + medoids[s]];
        if (v < b1) {
          b2 = b1;
          b1 = v;
          s1 = s;
        } else if (v < b2) {
          b2 = v;
        }
      }
      nearest[i] = s1;
      d1[i] = b1;
      d2[i] = b2;
      cost += b1;
      loss[s1] += b2 - b1;
    }
    this.cost = cost;
  }

  /**
   * Change of the total cost for swapping candidate row c in, for every medoid slot at once
   * (FastPAM1's O(n) evaluation). Leaves the per-slot changes in `delta` and returns the best
   * slot; the change for that slot is `delta[slot]`. Requires k >= 2.
   */
  evaluate(c: number): number {
    const { D, n, nearest, d1, d2, delta } = this;
    delta.set(this.loss);
    let shared = 0;
    for (let i = 0; i < n; i++) {
      const dic = D[i * n + c];
      if (dic < d1[i]) {
        shared += dic - d1[i];
        delta[nearest[i]] += d1[i] - d2[i];
      } else if (dic < d2[i]) {
        delta[nearest[i]] += dic - d2[i];
      }
    }
    let slot = 0;
    for (let s = 1; s < delta.length; s++) if (delta[s] < delta[slot]) slot = s;
    delta[slot] += shared;
    return slot;
  }

  swap(slot: number, c: number): void {
    this.isMedoid[this.medoids[slot]] = 0;
    this.medoids[slot] = c;
    this.isMedoid[c] = 1;
    this.refresh();
  }
}

/** PAM's BUILD: the row with the smallest distance sum, then greedily the largest gain. */
function build(D: Float64Array, n: number, k: number): Int32Array {
  const medoids = new Int32Array(k);
  const nearest = new Float64Array(n).fill(Infinity);
  const chosen = new Uint8Array(n);
  for (let t = 0; t < k; t++) {
    let bestGain = -Infinity;
    let best = -1;
    for (let c = 0; c < n; c++) {
      if (chosen[c]) continue;
      let gain = 0;
      for (let i = 0; i < n; i++) {
        const v = D[i * n + c];
        // First medoid: minimise the sum, i.e. maximise -sum.
        gain += t === 0 ? -v : (nearest[i] > v ? nearest[i] - v : 0);
      }
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    medoids[t] = best;
    chosen[best] = 1;
    for (let i = 0; i < n; i++) {
      const v = D[i * n + best];
      if (v < nearest[i]) nearest[i] = v;
    }
  }
  return medoids;
}

/** FasterPAM's eager swaps from the given medoids until a full pass finds no improvement. */
function fasterPam(state: SwapState, n: number, maxIter: number, control: RunControl | undefined): void {
  let lastSwap = -1;
  let evaluated = 0;
  for (let c = 0; ; c = c + 1 === n ? 0 : c + 1) {
    if (c === lastSwap || (lastSwap === -1 && evaluated >= n) || evaluated >= maxIter * n) break;
    evaluated++;
    if ((evaluated & 63) === 0) throwIfCancelled(control);
    if (state.isMedoid[c]) continue;
    const slot = state.evaluate(c);
    if (state.delta[slot] < -1e-12 * state.cost) {
      state.swap(slot, c);
      lastSwap = c;
    }
  }
}

/** PAM's SWAP: apply the best of all (medoid, non-medoid) swaps until none improves. */
function pamSwap(state: SwapState, n: number, maxIter: number, control: RunControl | undefined): void {
  for (let iter = 0; iter < maxIter; iter++) {
    throwIfCancelled(control);
    let bestChange = 0;
    let bestSlot = -1;
    let bestC = -1;
    for (let c = 0; c < n; c++) {
      if (state.isMedoid[c]) continue;
      const slot = state.evaluate(c);
      if (state.delta[slot] < bestChange) {
        bestChange = state.delta[slot];
        bestSlot = slot;
        bestC = c;
      }
    }
    if (bestSlot < 0 || bestChange >= -1e-12 * state.cost) return;
    state.swap(bestSlot, bestC);
  }
}

/**
 * k-medoids clustering of n items given their n x n distance matrix.
 *
 * - 'exact': exhaustive search over all C(n, k) medoid sets (the optimum; ties keep the
 *   lexicographically first set). O(C(n, k) n) time, O(k n) memory.
 * - 'fasterpam': FasterPAM from `nInit` starts (PAM's BUILD, then random sets from `seed`),
 *   keeping the lowest cost. O(n^2) per pass, usually a few passes per start.
 * - 'pam': BUILD then SWAP with the best swap each step (what R's `cluster::pam` does).
 * - 'auto' (default): 'exact' when C(n, k) <= 2e6 and C(n, k) x n <= 2e8, else 'fasterpam'.
 * k = 1 is always solved exactly (the row with the smallest distance sum).
 *
 * @param D symmetric n x n distances (zero diagonal, finite, >= 0), row-major.
 * @param options.nClusters k in [1, n]; seed (default 0); nInit starts for FasterPAM
 *   (default 10); maxIter passes per start (default 100).
 * @throws EngineError for invalid D or k, or a forced 'exact' above 2e10 look-ups;
 *   CancelledError when `control` says so.
 */
export function kMedoids(
  D: Matrix,
  options: { nClusters: number; seed?: number; method?: KMedoidsMethod; nInit?: number; maxIter?: number },
  control?: RunControl,
): KMedoidsResult {
  validateDistances(D);
  const n = D.nRows;
  const k = options.nClusters;
  const method = options.method ?? 'auto';
  const nInit = options.nInit ?? 10;
  const maxIter = options.maxIter ?? 100;
  check(Number.isInteger(k) && k >= 1 && k <= n, `nClusters=${k} should be an integer in [1, nSamples=${n}]`);
  check(['auto', 'exact', 'fasterpam', 'pam'].includes(method), `method=${String(method)} should be 'auto', 'exact', 'fasterpam' or 'pam'`);
  check(Number.isInteger(nInit) && nInit >= 1, `nInit=${nInit} should be an integer >= 1`);
  check(Number.isInteger(maxIter) && maxIter >= 1, `maxIter=${maxIter} should be an integer >= 1`);
  const data = D.data;
  const labels = new Int32Array(n);

  const finish = (medoids: Int32Array, description: string): KMedoidsResult => {
    const sorted = Int32Array.from(medoids).sort();
    const cost = assignAll(data, n, sorted, labels);
    return { medoids: Array.from(sorted), labels, cost, method: description };
  };

  const sets = binomialCapped(n, k, EXACT_HARD_LIMIT / n);
  if (k === 1 || k === n) {
    // k = n: every row its own medoid; k = 1: the exhaustive search is n sums.
    const best = k === n ? Int32Array.from({ length: n }, (_, i) => i) : exhaustive(data, n, 1, control, n);
    return finish(best, `exact (exhaustive search over ${sets} sets)`);
  }
  const affordable = sets <= EXACT_MAX_SETS && sets * n <= EXACT_MAX_WORK;
  if (method === 'exact' || (method === 'auto' && affordable)) {
    check(Number.isFinite(sets), `method='exact' would examine more than ${EXACT_HARD_LIMIT / n} medoid sets `
      + `(C(${n}, ${k})): use 'fasterpam'`);
    return finish(exhaustive(data, n, k, control, sets), `exact (exhaustive search over ${sets} sets)`);
  }
  if (method === 'pam') {
    const state = new SwapState(data, n, build(data, n, k));
    pamSwap(state, n, maxIter, control);
    return finish(state.medoids, 'PAM (BUILD + SWAP)');
  }
  const rng = new Rng(options.seed ?? 0);
  let best: Int32Array | null = null;
  let bestCost = Infinity;
  for (let run = 0; run < nInit; run++) {
    throwIfCancelled(control);
    control?.onProgress?.(run / nInit, `k-medoids: FasterPAM start ${run + 1} of ${nInit}`);
    const start = run === 0 ? build(data, n, k) : rng.fork().sample(n, k);
    const state = new SwapState(data, n, start);
    fasterPam(state, n, maxIter, control);
    if (best === null || state.cost < bestCost - 1e-12 * bestCost) {
      bestCost = state.cost;
      best = Int32Array.from(state.medoids);
    }
  }
  const starts = nInit === 1 ? 'from the BUILD start' : `best of ${nInit} restarts (BUILD + ${nInit - 1} random starts)`;
  return finish(best as Int32Array, `FasterPAM, ${starts}`);
}

/**
 * Mean silhouette value computed from a precomputed distance matrix (the k-medoids case):
 * the same definition and special cases as `silhouetteSamples` (0 for a row alone in its
 * cluster). Labels are cluster numbers >= 0.
 *
 * @returns null when undefined (fewer than 2 or more than n - 1 distinct labels). O(n^2).
 * @throws EngineError when D is not square or the labels do not match it.
 */
export function silhouettePrecomputed(D: Matrix, labels: Int32Array): number | null {
  const n = D.nRows;
  check(D.nCols === n, `the distance matrix is ${n} x ${D.nCols}: it should be square`);
  check(labels.length === n, `labels.length=${labels.length} should equal nSamples=${n}`);
  const codeOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0) check(false, `labels[${i}]=${labels[i]} should be >= 0`);
    codeOf.set(labels[i], 0);
  }
  const L = codeOf.size;
  if (L < 2 || L > n - 1) return null;
  [...codeOf.keys()].sort((a, b) => a - b).forEach((v, c) => codeOf.set(v, c));
  const codes = new Int32Array(n);
  const counts = new Float64Array(L);
  for (let i = 0; i < n; i++) {
    codes[i] = codeOf.get(labels[i]) as number;
    counts[codes[i]]++;
  }
  const sums = new Float64Array(L);
  const data = D.data;
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[codes[j]] += data[i * n + j];
    const ci = codes[i];
    if (counts[ci] <= 1) continue; // a row alone in its cluster scores 0
    const a = sums[ci] / (counts[ci] - 1);
    let b = Infinity;
    for (let c = 0; c < L; c++) if (c !== ci && sums[c] / counts[c] < b) b = sums[c] / counts[c];
    const s = (b - a) / Math.max(a, b);
    if (Number.isFinite(s)) total += s;
  }
  return total / n;
}
