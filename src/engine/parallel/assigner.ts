/**
 * The assignment step of k-means over chunks of rows, for any ChunkExecutor: labels,
 * then the weighted sum of the rows of every cluster, reduced over chunks in chunk
 * order. Serial or on a pool, the bits are the same; for n <= chunkRows (one chunk)
 * they are also the bits of the plain row-by-row loop.
 *
 * With `bounds` the assignment skips rows whose nearest centre is settled by
 * Hamerly's triangle-inequality bounds (kernels.ts, hamerlyChunk), with the same
 * labels and sums as the full pass.
 */
import type { Matrix } from '../matrix';
import { defaultExecutor, serialExecutor, sharedF64, sharedI32, type ChunkExecutor, type KernelJob } from './executor';
import { LLOYD_ASSIGN, LLOYD_ASSIGN_UPDATE, LLOYD_INERTIA } from './kernels';

/** Rows per chunk: a function of the shape only (never of the thread count), so results are reproducible. */
export function chunkRowsFor(n: number, k: number, d: number): number {
  // At least 8192 rows; at most ~8M doubles of per-chunk partial sums in all.
  const maxChunks = Math.max(1, Math.floor(8_000_000 / (k * d)));
  return Math.max(8192, Math.ceil(n / maxChunks));
}

/** Work that stays on the calling thread: below this many n*k*d the pool's hand-off costs more than it saves. */
export const POOL_MIN_WORK = 2_000_000;

export class ChunkedAssigner {
  /** Label of every row after the last assign call. */
  readonly labels: Int32Array;
  readonly nChunks: number;
  private readonly n: number;
  private readonly d: number;
  private readonly k: number;
  private readonly chunkRows: number;
  private readonly executor: ChunkExecutor;
  private readonly X: Float64Array;
  private readonly W: Float64Array;
  private readonly centers: Float64Array;
  private readonly sums: Float64Array;
  private readonly weightSums: Float64Array;
  private readonly stats: Float64Array;
  private readonly bounds: { upper: Float64Array; lower: Float64Array; halfSep: Float64Array; delta: Float64Array; previous: Float64Array } | null;
  private boundsValid = false;
  /** ||x||^2 per row when the expanded-form screen is on (kernels.ts, lloydScreenChunk), else null. */
  private readonly rowNorms: Float64Array | null;
  private readonly centreNorms: Float64Array;
  private elkan: { upper: Float64Array; lower: Float64Array; half: Float64Array; nextHalf: Float64Array; move: Float64Array } | null = null;

  /**
   * @param X `n x d` rows (copied once into shared memory when the executor has threads).
   * @param k number of centres.
   * @param sampleWeight length n, or undefined for all ones.
   * @param options.bounds use Hamerly's bounds (same results, fewer distances once centres settle).
   * @param options.executor default: the installed default executor, or serial for small work.
   * @param options.screen find nearest centres by the expanded form with an exact fallback
   *   (same results); default 'auto' = when the data are roughly centred (||mean||^2 <= the
   *   total variance) and d >= 16: at d = 50 it about halves the assignment time, while at
   *   d = 2 and d = 10 its second-best bookkeeping costs more than the cheaper distances save.
   *   Never with an executor whose 'lloyd' runs on WebAssembly SIMD, which is faster still.
   */
  constructor(
    X: Matrix, k: number, sampleWeight: Float64Array | undefined,
    options: { bounds?: boolean; executor?: ChunkExecutor; screen?: boolean | 'auto' } = {},
  ) {
    const n = X.nRows;
    const d = X.nCols;
    this.n = n;
    this.d = d;
    this.k = k;
    this.chunkRows = chunkRowsFor(n, k, d);
    this.nChunks = Math.ceil(n / this.chunkRows);
    const chosen = options.executor ?? defaultExecutor();
    const ex = n * k * d >= POOL_MIN_WORK && this.nChunks > 1 ? chosen : serialExecutor;
    this.executor = ex;
    this.X = sharedF64(ex, n * d, X.data);
    this.W = sampleWeight === undefined ? new Float64Array(0) : sharedF64(ex, n, sampleWeight);
    this.labels = sharedI32(ex, n);
    this.centers = sharedF64(ex, k * d);
    this.sums = sharedF64(ex, this.nChunks * k * d);
    this.weightSums = sharedF64(ex, this.nChunks * k);
    this.stats = sharedF64(ex, this.nChunks * 2);
    const screen = options.screen ?? 'auto';
    this.rowNorms = (screen === 'auto' ? d >= 16 && ex.simd !== true && roughlyCentred(X) : screen) ? sharedF64(ex, n) : null;
    if (this.rowNorms !== null) {
      const xs = X.data;
      const norms = this.rowNorms;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += xs[i * d + t] * xs[i * d + t];
        norms[i] = s;
      }
    }
    this.centreNorms = sharedF64(ex, k);
    this.bounds = options.bounds
      ? { upper: sharedF64(ex, n), lower: sharedF64(ex, n), halfSep: sharedF64(ex, k), delta: sharedF64(ex, k), previous: new Float64Array(k * d) }
      : null;
  }

  /**
   * The rows and weights as the assigner holds them (in the executor's memory when it has
   * threads) and its executor: other kernels over the same rows, such as k-means++ seeding
   * (init.ts), run there without a second copy of X.
   */
  shared(): { X: Matrix; sampleWeight: Float64Array | undefined; executor: ChunkExecutor } {
    return {
      X: { data: this.X, nRows: this.n, nCols: this.d },
      sampleWeight: this.W.length > 0 ? this.W : undefined,
      executor: this.executor,
    };
  }

  /** Forget the bounds (e.g. before a new run from new centres). */
  reset(): void {
    this.boundsValid = false;
  }

  /**
   * Labels every row with its nearest centre (ties to the lowest index) and writes the
   * weighted sums of each cluster's rows into `sumsOut` (k*d) and their weights into
   * `weightOut` (k). Returns the number of labels that changed. Inputs trusted.
   */
  assignAndSum(centers: Float64Array, sumsOut: Float64Array, weightOut: Float64Array): number {
    const { n, d, k } = this;
    this.centers.set(centers.subarray(0, k * d));
    if (this.bounds === null) {
      this.runLloyd(LLOYD_ASSIGN_UPDATE);
    } else {
      const b = this.bounds;
      let maxDelta = 0;
      let maxIndex = 0;
      let secondDelta = 0;
      if (this.boundsValid) {
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let t = 0; t < d; t++) {
            const v = centers[j * d + t] - b.previous[j * d + t];
            s += v * v;
          }
          const m = Math.sqrt(s) * (1 + 1e-9);
          b.delta[j] = m;
          if (m > maxDelta) {
            secondDelta = maxDelta;
            maxDelta = m;
            maxIndex = j;
          } else if (m > secondDelta) {
            secondDelta = m;
          }
        }
      }
      for (let j = 0; j < k; j++) {
        let m = Infinity;
        for (let o = 0; o < k; o++) {
          if (o === j) continue;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const v = centers[j * d + t] - centers[o * d + t];
            s += v * v;
          }
          if (s < m) m = s;
        }
        b.halfSep[j] = (Math.sqrt(m) / 2) * (1 - 1e-9);
      }
      const job = this.job([n, d, k, this.chunkRows, this.boundsValid ? 0 : 1, maxDelta, maxIndex, secondDelta]);
      job.f64.push(b.upper, b.lower, b.halfSep, b.delta);
      this.executor.run('hamerly', job, this.nChunks);
      b.previous.set(centers.subarray(0, k * d));
      this.boundsValid = true;
    }
    return this.reduceSums(sumsOut, weightOut);
  }

  private reduceSums(sumsOut: Float64Array, weightOut: Float64Array): number {
    const { d, k } = this;
    sumsOut.fill(0, 0, k * d);
    weightOut.fill(0, 0, k);
    const kd = k * d;
    let changed = 0;
    for (let c = 0; c < this.nChunks; c++) {
      const so = c * kd;
      for (let p = 0; p < kd; p++) sumsOut[p] += this.sums[so + p];
      for (let j = 0; j < k; j++) weightOut[j] += this.weightSums[c * k + j];
      changed += this.stats[2 * c + 1];
    }
    return changed;
  }

  /**
   * One Elkan assignment (kernels.ts, elkanChunk) and the cluster sums, as assignAndSum.
   * `move` = how far each centre moved since the previous call (Euclidean), or null for
   * the first call of a run (every distance computed). `slack` = the absolute margin of
   * the pruning tests. Same labels and sums as assignAndSum. Memory: n x k doubles of
   * lower bounds, allocated on first use. Inputs trusted.
   */
  assignElkan(centers: Float64Array, move: Float64Array | null, slack: number, sumsOut: Float64Array, weightOut: Float64Array): number {
    const { n, d, k } = this;
    const ex = this.executor;
    const e = this.elkan ?? {
      upper: sharedF64(ex, n),
      lower: sharedF64(ex, n * k),
      half: sharedF64(ex, k * k),
      nextHalf: sharedF64(ex, k),
      move: sharedF64(ex, k),
    };
    this.elkan = e;
    this.centers.set(centers.subarray(0, k * d));
    const half = e.half;
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
      e.nextHalf[a] = m;
    }
    if (move !== null) e.move.set(move.subarray(0, k));
    const job = this.job([n, d, k, this.chunkRows, move === null ? 1 : 0, slack]);
    job.f64.push(e.upper, e.lower, e.half, e.nextHalf, e.move);
    this.executor.run('elkan', job, this.nChunks);
    return this.reduceSums(sumsOut, weightOut);
  }

  /**
   * Labels only (no sums); the bounds are forgotten. Returns the inertia at this assignment,
   * or NaN when the expanded-form screen is on (then use {@link inertia}).
   */
  assign(centers: Float64Array): number {
    const { d, k } = this;
    this.centers.set(centers.subarray(0, k * d));
    this.runLloyd(LLOYD_ASSIGN);
    this.boundsValid = false;
    return this.sumStats();
  }

  /** Runs lloydChunk, or lloydScreenChunk when the screen is on, over every chunk with this.centers. */
  private runLloyd(mode: number): void {
    const { n, d, k } = this;
    if (this.rowNorms === null) {
      // assignAndSum returns the changed labels, not the inertia: the kernel may skip it.
      this.executor.run('lloyd', this.job([n, d, k, this.chunkRows, mode, mode === LLOYD_ASSIGN_UPDATE ? 0 : 1]), this.nChunks);
      return;
    }
    const C = this.centers;
    let ccMax = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += C[j * d + t] * C[j * d + t];
      this.centreNorms[j] = s;
      if (s > ccMax) ccMax = s;
    }
    const job = this.job([n, d, k, this.chunkRows, mode, ccMax]);
    job.f64.push(this.rowNorms, this.centreNorms);
    this.executor.run('lloydScreen', job, this.nChunks);
  }

  /** Weighted inertia of the current labels with `centers`. */
  inertia(centers: Float64Array): number {
    const { n, d, k } = this;
    this.centers.set(centers.subarray(0, k * d));
    this.executor.run('lloyd', this.job([n, d, k, this.chunkRows, LLOYD_INERTIA]), this.nChunks);
    return this.sumStats();
  }

  private sumStats(): number {
    let total = 0;
    for (let c = 0; c < this.nChunks; c++) total += this.stats[2 * c];
    return total;
  }

  private job(params: number[]): KernelJob {
    return { f64: [this.X, this.centers, this.sums, this.weightSums, this.W, this.stats], i32: [this.labels], params };
  }
}

/** True when ||mean||^2 <= total variance: the rows sit around the origin, so ||x||^2 stays near the distances. O(n d). */
function roughlyCentred(X: Matrix): boolean {
  const { data, nRows: n, nCols: d } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t];
  let meanSq = 0;
  for (let t = 0; t < d; t++) {
    mean[t] /= n;
    meanSq += mean[t] * mean[t];
  }
  let variance = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const u = data[i * d + t] - mean[t];
      variance += u * u;
    }
  }
  return meanSq <= variance / n;
}
