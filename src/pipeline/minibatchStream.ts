/**
 * Mini-batch k-means over rows that arrive in pieces and are seen once (a file too big to
 * hold): pass 1 feeds the rows in file order and updates the centres one batch at a time
 * (scikit-learn's `_minibatch_update_dense` step, as MiniBatchKMeans.partial_fit with
 * reassignment_ratio=0); pass 2 labels every row with the final centres. Memory: one batch,
 * the seeding sample and the centres, whatever the number of rows. Pure: the caller reads.
 *
 * Seeding: k-means++ (seeded Rng) on the first `initSize` usable rows (default 3 x batchSize,
 * scikit-learn's init_size); those rows then go through the batches like every other row.
 * Batches are consecutive rows, not random draws: a file sorted by cluster should be
 * shuffled first (the result then depends on the order the file has).
 */
import { check } from '../engine/errors';
import { kmeansPlusPlus } from '../engine/init';
import { assignLabels } from '../engine/kmeans';
import type { Matrix } from '../engine/matrix';
import { miniBatchStreamStep, type MiniBatchState } from '../engine/minibatch';
import { Rng } from '../engine/rng';
import { checkKForUsableRows } from './limits';

/** Options of {@link MiniBatchStream}. */
export interface MiniBatchStreamOptions {
  nClusters: number;
  /** Rows per update step (default 1024). */
  batchSize?: number;
  /** Rows k-means++ seeds on (default 3 x batchSize, at least nClusters). */
  initSize?: number;
  seed?: number;
}

/** Pass 1 of a streaming mini-batch fit; see the module comment. */
export class MiniBatchStream {
  readonly nClusters: number;
  readonly batchSize: number;
  readonly initSize: number;
  private readonly d: number;
  private readonly rng: Rng;
  private state: MiniBatchState | null = null;
  /** Rows waiting for the seeding sample to fill, then for a batch to fill. */
  private pending: Float64Array;
  private nPending = 0;
  private readonly ones: Float64Array;
  private readonly labels: Int32Array;
  private scratch: Float64Array;
  /** Rows fed, and update steps done. */
  rows = 0;
  steps = 0;

  /** @throws EngineError for invalid options. */
  constructor(nFeatures: number, options: MiniBatchStreamOptions) {
    const k = options.nClusters;
    check(Number.isInteger(k) && k >= 1, `k=${k} should be a whole number >= 1`);
    const batchSize = options.batchSize ?? 1024;
    check(Number.isInteger(batchSize) && batchSize >= 1, `batchSize=${batchSize} should be a whole number >= 1`);
    const initSize = options.initSize ?? Math.max(3 * batchSize, k);
    check(Number.isInteger(initSize) && initSize >= k, `initSize=${initSize} should be a whole number >= nClusters=${k}`);
    this.nClusters = k;
    this.batchSize = batchSize;
    this.initSize = initSize;
    this.d = nFeatures;
    this.rng = new Rng(options.seed ?? 0);
    this.pending = new Float64Array(Math.max(initSize, batchSize) * nFeatures);
    this.ones = new Float64Array(batchSize).fill(1);
    this.labels = new Int32Array(batchSize);
    this.scratch = new Float64Array(k * nFeatures + k);
  }

  /** Feeds rows `[0, X.nRows)` of X (finite values, nFeatures columns: the caller drops the others). O(rows x k x d). */
  push(X: Matrix): void {
    const d = this.d;
    check(X.nCols === d, `rows have ${X.nCols} features, expected ${d}`);
    const x = X.data;
    for (let i = 0; i < X.nRows; i++) {
      this.pending.set(x.subarray(i * d, i * d + d), this.nPending * d);
      this.nPending++;
      this.rows++;
      if (this.state === null) {
        if (this.nPending === this.initSize) this.seed();
      } else if (this.nPending === this.batchSize) {
        this.step(this.pending, this.batchSize);
        this.nPending = 0;
      }
    }
  }

  /**
   * Ends pass 1: a short last batch is still applied. Returns the centres and scikit-learn's
   * running counts (rows absorbed per centre).
   * @throws EngineError when fewer rows than clusters were fed.
   */
  finish(): { centers: Matrix; counts: Float64Array; steps: number; rows: number } {
    if (this.state === null) {
      checkKForUsableRows(this.nClusters, this.rows);
      this.seed();
    }
    if (this.nPending > 0) {
      this.step(this.pending, this.nPending);
      this.nPending = 0;
    }
    const state = this.state as MiniBatchState;
    return { centers: state.centers, counts: state.counts, steps: this.steps, rows: this.rows };
  }

  /** Seeds on the pending rows, then runs them through batches. */
  private seed(): void {
    const d = this.d;
    const n = this.nPending;
    const sample: Matrix = { data: this.pending.slice(0, n * d), nRows: n, nCols: d };
    this.state = { centers: kmeansPlusPlus(sample, this.nClusters, this.rng), counts: new Float64Array(this.nClusters) };
    for (let at = 0; at < n; at += this.batchSize) {
      const m = Math.min(this.batchSize, n - at);
      if (m < this.batchSize) {
        // The rest waits for the next rows, as any partial batch does.
        this.pending.copyWithin(0, at * d, n * d);
        this.nPending = m;
        return;
      }
      this.step(sample.data.subarray(at * d), m);
    }
    this.nPending = 0;
  }

  private step(batch: Float64Array, m: number): void {
    miniBatchStreamStep(this.state as MiniBatchState, batch, m, this.ones, this.labels, this.scratch);
    this.steps++;
  }
}

/**
 * Pass 2: labels rows with fixed centres (nearest, ties to the lowest index) and adds their
 * squared distances, row by row (so the total does not depend on how rows were split into
 * blocks), and counts to `totals`. O(rows x k x d).
 */
export function labelBatch(
  X: Matrix, centers: Matrix, labels: Int32Array, totals: { inertia: number; counts: Float64Array },
): void {
  const n = X.nRows;
  const d = X.nCols;
  const x = X.data;
  const c = centers.data;
  assignLabels(x, n, d, c, centers.nRows, labels);
  let inertia = totals.inertia;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const co = labels[i] * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[xo + t] - c[co + t];
      s += diff * diff;
    }
    inertia += s;
    totals.counts[labels[i]]++;
  }
  totals.inertia = inertia;
}
