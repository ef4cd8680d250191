import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/rng';
import { elkanChunk, makeElkanWasm, type ChunkKernel, type KernelJob } from '../../../src/engine/parallel/kernels';
import { serialExecutor, setDefaultExecutor } from '../../../src/engine/parallel/executor';
import { kmeansFit } from '../../../src/engine/kmeans';
import { KernelPool } from '../../../src/node/kernelPool';
import { bits } from './bits';
import { built, lloydBytes } from './wasm';

// The WebAssembly Elkan kernel (elkan in src/wasm/lloyd.ts) against the JavaScript one
// (elkanChunk), bit for bit: labels, upper and lower bounds, sums, weight sums, stats, over
// several passes with moving centres. The bytes are compiled from the source with the build's
// own options (scripts/wasm.mjs).
let bytes: Uint8Array;
let wasm: ChunkKernel;

before(async () => {
  bytes = await lloydBytes();
  wasm = built(makeElkanWasm(bytes, elkanChunk));
});

interface Case {
  X: Float64Array;
  W: Float64Array;
  /** Centres of each pass (the first pass makes the bounds). */
  passes: Float64Array[];
  n: number;
  d: number;
  k: number;
}

/** A grid value: a multiple of 0.5 in [-1, 1]. */
function gridValue(rng: Rng): number {
  return rng.int(5) / 2 - 1;
}

/**
 * Rows, weights and the centres of `nPasses` passes. With `grid`, every value is a multiple of
 * 0.5 in [-1, 1], centres are rows of X (some twice: duplicated centres) and move to other grid
 * points, so many distances tie exactly and many bound tests meet at equality. Later passes
 * alternate: centres moved a little (some not at all), centres jumping far (labels change and
 * the bounds go loose), and no move at all (most rows settled by the bounds).
 */
function makeCase(seed: number, n: number, d: number, k: number, weighted: boolean, grid: boolean, nPasses: number): Case {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = grid ? gridValue(rng) : rng.random() * 6 - 3;
  const C = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    if (j > 0 && rng.random() < 0.3) C.copyWithin(j * d, (j - 1) * d, j * d); // a duplicate of the previous centre
    else {
      const row = rng.int(n);
      C.set(X.subarray(row * d, row * d + d), j * d);
    }
  }
  const passes = [Float64Array.from(C)];
  for (let p = 1; p < nPasses; p++) {
    const next = Float64Array.from(passes[p - 1]);
    const kind = p % 3;
    for (let j = 0; j < k; j++) {
      if (kind === 0) continue; // no move
      const r = rng.random();
      if (kind === 1 && r < 0.3) continue; // this centre stays
      for (let t = 0; t < d; t++) {
        const step = kind === 1 ? 0.5 : 2;
        if (grid) next[j * d + t] += rng.random() < 0.3 ? (rng.int(3) - 1) * step : 0;
        else next[j * d + t] += (rng.random() - 0.5) * (kind === 1 ? 0.2 : 3);
      }
    }
    if (k > 2 && kind === 2) next.copyWithin(2 * d, 0, d); // centre 2 joins centre 0
    passes.push(next);
  }
  const W = new Float64Array(weighted ? n : 0);
  for (let i = 0; i < W.length; i++) W[i] = grid ? 1 + rng.int(3) : 0.25 + rng.random() * 2;
  return { X, W, passes, n, d, k };
}

/** The job of one Elkan pass, built as ChunkedAssigner.assignElkan builds it. */
class ElkanRun {
  readonly job: KernelJob;
  readonly nChunks: number;
  private previous: Float64Array | null = null;

  constructor(private readonly c: Case, chunkRows: number, slack: number) {
    const { n, d, k } = c;
    this.nChunks = Math.ceil(n / chunkRows);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = (i * 7) % (k + 1) - 1; // stale labels, some -1
    this.job = {
      f64: [
        c.X,
        new Float64Array(k * d),
        new Float64Array(this.nChunks * k * d).fill(7), // stale values the kernels must overwrite
        new Float64Array(this.nChunks * k).fill(7),
        c.W,
        new Float64Array(this.nChunks * 2),
        new Float64Array(n).fill(-1),
        new Float64Array(n * k).fill(-1),
        new Float64Array(k * k),
        new Float64Array(k),
        new Float64Array(k),
      ],
      i32: [labels],
      params: [n, d, k, chunkRows, 1, slack],
    };
  }

  /** Sets the job up for pass `p` (centres, half distances, moves) and runs `kernel` over every chunk. */
  pass(p: number, kernel: ChunkKernel, reverse: boolean): void {
    const { d, k } = this.c;
    const centers = this.c.passes[p];
    const [, C, , , , , , , half, nextHalf, move] = this.job.f64;
    C.set(centers);
    for (let a = 0; a < k; a++) {
      half[a * k + a] = 0;
      for (let b = a + 1; b < k; b++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (centers[a * d + t] - centers[b * d + t]) ** 2;
        half[a * k + b] = half[b * k + a] = Math.sqrt(s) / 2;
      }
    }
    for (let a = 0; a < k; a++) {
      let m = Infinity;
      for (let b = 0; b < k; b++) if (b !== a && half[a * k + b] < m) m = half[a * k + b];
      nextHalf[a] = m;
    }
    const prev = this.previous;
    if (prev !== null) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (centers[j * d + t] - prev[j * d + t]) ** 2;
        move[j] = Math.sqrt(s);
      }
    }
    this.job.params[4] = prev === null ? 1 : 0;
    this.previous = Float64Array.from(centers);
    if (reverse) for (let chunk = this.nChunks - 1; chunk >= 0; chunk--) kernel(this.job, chunk);
    else for (let chunk = 0; chunk < this.nChunks; chunk++) kernel(this.job, chunk);
  }
}

function assertSameRun(got: ElkanRun, want: ElkanRun, what: string): void {
  assert.deepEqual(got.job.i32[0], want.job.i32[0], `labels, ${what}`);
  // sums, weight sums, stats, upper, lower.
  for (const a of [2, 3, 5, 6, 7]) assert.deepEqual(bits(got.job.f64[a]), bits(want.job.f64[a]), `f64[${a}], ${what}`);
}

describe('WebAssembly Elkan kernel', () => {
  it('gives the JavaScript kernel’s bits over 5 passes for d = 1..50 and k = 1..40, with ties, duplicated centres, weights and uneven chunks', () => {
    let passes = 0;
    for (let d = 1; d <= 50; d++) {
      // 13 and 40 are coprime, so over d = 1..40 every k in 1..40 comes up once.
      const k = 1 + ((d * 13) % 40);
      for (const weighted of [false, true]) {
        for (const grid of [true, false]) {
          // n not a multiple of 8 (the first pass's group); chunks that end mid-group.
          const n = 97 + ((d * 31) % 60);
          const chunkRows = [1, 3, 13, 37, 1000][d % 5];
          const c = makeCase(1000 * d + (weighted ? 10 : 0) + (grid ? 1 : 0), n, d, k, weighted, grid, 5);
          // On the grid no slack, so bound tests meet at exact equality; else a small one.
          const slack = grid ? 0 : 1e-9 * 6;
          const js = new ElkanRun(c, chunkRows, slack);
          const w = new ElkanRun(c, chunkRows, slack);
          for (let p = 0; p < c.passes.length; p++) {
            js.pass(p, elkanChunk, false);
            w.pass(p, wasm, p % 2 === 1);
            assertSameRun(w, js, `d ${d}, k ${k}, weighted ${weighted}, grid ${grid}, pass ${p}`);
            passes++;
          }
        }
      }
    }
    assert.equal(passes, 50 * 2 * 2 * 5);
  });

  it('meets the paths the test is about: ties, rows settled by the bounds, rows that change label, distances skipped', () => {
    // Counted on the JavaScript kernel's own results, on a grid case and a continuous one.
    for (const grid of [true, false]) {
      const c = makeCase(4242, 600, 6, 12, false, grid, 5);
      const run = new ElkanRun(c, 100, grid ? 0 : 6e-9);
      let ties = 0;
      let settled = 0;
      let relabelled = 0;
      for (let p = 0; p < c.passes.length; p++) {
        const before = Float64Array.from(run.job.f64[7]);
        const labelsBefore = Int32Array.from(run.job.i32[0]);
        run.pass(p, elkanChunk, false);
        if (p === 0) {
          // Rows whose two nearest centres are at exactly the same distance.
          const lower = run.job.f64[7];
          for (let i = 0; i < c.n; i++) {
            const row = Array.from(lower.subarray(i * c.k, i * c.k + c.k));
            const best = Math.min(...row);
            if (row.filter((v) => v === best).length > 1) ties++;
          }
          continue;
        }
        for (let i = 0; i < c.n; i++) {
          if (run.job.i32[0][i] !== labelsBefore[i]) relabelled++;
          // A row none of whose lower bounds was recomputed: every one is the loosened old one.
          let untouched = true;
          for (let j = 0; j < c.k; j++) {
            const v = before[i * c.k + j] - run.job.f64[10][j];
            if (run.job.f64[7][i * c.k + j] !== (v > 0 ? v : 0)) untouched = false;
          }
          if (untouched) settled++;
        }
      }
      if (grid) assert.ok(ties > 50, `${ties} rows with tied nearest centres`);
      assert.ok(settled > 100, `${settled} row passes settled by the bounds (grid ${grid})`);
      assert.ok(relabelled > 50, `${relabelled} labels changed (grid ${grid})`);
    }
  });

  it('gives the same bits over chunks of several of its blocks, the last block partial, chunks in any order', () => {
    // At d = 10, k = 8 the kernel copies 392 rows per call, at d = 2, k = 32 224: 3000-row chunks take several calls.
    for (const [d, k] of [[10, 8], [2, 32], [50, 32]]) {
      for (const weighted of [false, true]) {
        const c = makeCase(77 + d, 7001, d, k, weighted, false, 6);
        const js = new ElkanRun(c, 3000, 1e-8);
        const w = new ElkanRun(c, 3000, 1e-8);
        for (let p = 0; p < c.passes.length; p++) {
          js.pass(p, elkanChunk, false);
          w.pass(p, wasm, true);
          assertSameRun(w, js, `d ${d}, k ${k}, weighted ${weighted}, pass ${p}`);
        }
      }
    }
  });

  it('is null for bytes that are not a valid module, so callers keep the JavaScript kernel', () => {
    assert.equal(makeElkanWasm(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 255]), elkanChunk), null);
  });
});

describe('KernelPool with the WebAssembly Elkan kernel', () => {
  let pool: KernelPool;
  before(() => {
    pool = KernelPool.create(1, undefined, bytes);
  });
  after(() => {
    setDefaultExecutor(serialExecutor);
    pool.close();
  });

  it('fits k-means with algorithm elkan to the serial JavaScript fit’s bits (labels, centres, inertia, nIter), weighted or not', () => {
    for (const [d, k] of [[10, 8], [2, 32], [20, 5], [3, 40]]) {
      // n k d above the pool's work threshold, several chunks, n not a multiple of 8.
      const c = makeCase(5 * d + k, 40_003, d, k, true, false, 1);
      const X = { data: c.X, nRows: c.n, nCols: c.d };
      const init = { data: c.passes[0], nRows: c.k, nCols: c.d };
      for (const sampleWeight of [undefined, c.W]) {
        const options = { nClusters: c.k, init, maxIter: 15, tol: 0, sampleWeight, algorithm: 'elkan' as const };
        setDefaultExecutor(serialExecutor);
        const serial = kmeansFit(X, options);
        setDefaultExecutor(pool);
        const before = pool.runs.parallel;
        const pooled = kmeansFit(X, options);
        assert.ok(pool.runs.parallel > before, `the pooled fit ran its kernels across threads (d ${d}, k ${k}, ${JSON.stringify(pool.runs)})`);
        assert.deepEqual(pooled.labels, serial.labels, `labels, d ${d} k ${k}`);
        assert.deepEqual(bits(pooled.clusterCenters.data), bits(serial.clusterCenters.data), `centres, d ${d} k ${k}`);
        assert.equal(pooled.inertia, serial.inertia);
        assert.equal(pooled.nIter, serial.nIter);
      }
    }
  });
});
