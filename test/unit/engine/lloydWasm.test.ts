import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/rng';
import { lloydChunk, makeLloydWasm, LLOYD_ASSIGN, LLOYD_ASSIGN_UPDATE, LLOYD_INERTIA, type ChunkKernel, type KernelJob } from '../../../src/engine/parallel/kernels';
import { serialExecutor, setDefaultExecutor } from '../../../src/engine/parallel/executor';
import { kmeansFit } from '../../../src/engine/kmeans';
import { KernelPool } from '../../../src/node/kernelPool';
import { miniBatchFit, miniBatchStreamStep, partialFitStep } from '../../../src/engine/minibatch';
import { bits } from './bits';
import { built, lloydBytes } from './wasm';

// The WebAssembly Lloyd kernel (src/wasm/lloyd.ts) against the JavaScript one, bit for bit.
// The bytes are compiled from the source with the build's own options (scripts/wasm.mjs).
let bytes: Uint8Array;
let sharedBytes: Uint8Array;
let wasm: ChunkKernel;

before(async () => {
  sharedBytes = await lloydBytes(true);
  bytes = await lloydBytes();
  wasm = built(makeLloydWasm(bytes, lloydChunk));
});

interface Case {
  X: Float64Array;
  C: Float64Array;
  W: Float64Array;
  labels: Int32Array;
  n: number;
  d: number;
  k: number;
}

/**
 * Rows and centres; with `grid`, every value is a multiple of 0.5 in [-1, 1] and the centres
 * are rows of X, some of them twice, so many rows sit at exactly equal distances from two
 * centres (ties, which go to the lowest index). Previous labels are random, some -1.
 */
function makeCase(seed: number, n: number, d: number, k: number, weighted: boolean, grid: boolean): Case {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = grid ? rng.int(5) / 2 - 1 : rng.random() * 6 - 3;
  const C = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    if (grid) {
      const source = j > 0 && rng.random() < 0.3 ? j - 1 : -1; // a duplicate of the previous centre
      if (source >= 0) C.copyWithin(j * d, source * d, source * d + d);
      else {
        const row = rng.int(n);
        C.set(X.subarray(row * d, row * d + d), j * d);
      }
    } else {
      for (let t = 0; t < d; t++) C[j * d + t] = rng.random() * 6 - 3;
    }
  }
  const W = new Float64Array(weighted ? n : 0);
  for (let i = 0; i < W.length; i++) W[i] = grid ? 1 + rng.int(3) : 0.25 + rng.random() * 2;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = rng.int(k + 1) - 1;
  return { X, C, W, labels, n, d, k };
}

function makeJob(c: Case, chunkRows: number, mode: number): { job: KernelJob; nChunks: number } {
  const nChunks = Math.ceil(c.n / chunkRows);
  const job: KernelJob = {
    f64: [
      c.X,
      c.C,
      new Float64Array(nChunks * c.k * c.d).fill(7), // stale values the kernels must overwrite
      new Float64Array(nChunks * c.k).fill(7),
      c.W,
      new Float64Array(nChunks * 2),
    ],
    i32: [Int32Array.from(c.labels)],
    params: [c.n, c.d, c.k, chunkRows, mode],
  };
  return { job, nChunks };
}

function assertSameJob(got: KernelJob, want: KernelJob, what: string): void {
  assert.deepEqual(got.i32[0], want.i32[0], `labels, ${what}`);
  for (const a of [2, 3, 5]) assert.deepEqual(bits(got.f64[a]), bits(want.f64[a]), `f64[${a}], ${what}`);
}

describe('WebAssembly Lloyd kernel', () => {
  it('gives the JavaScript kernel’s bits for d = 1..50 and k = 1..40, with ties, weights and uneven chunks', () => {
    let cases = 0;
    for (let d = 1; d <= 50; d++) {
      // 13 and 40 are coprime, so over d = 1..40 every k in 1..40 comes up once.
      const k = 1 + ((d * 13) % 40);
      for (const weighted of [false, true]) {
        for (const grid of [true, false]) {
          // n not a multiple of 4 (nor of 8, the kernel's group); chunks that end mid-group.
          const n = 97 + ((d * 31) % 60);
          const chunkRows = [1, 3, 13, 37, 1000][d % 5];
          const c = makeCase(1000 * d + (weighted ? 10 : 0) + (grid ? 1 : 0), n, d, k, weighted, grid);
          for (const mode of [LLOYD_ASSIGN_UPDATE, LLOYD_ASSIGN, LLOYD_INERTIA]) {
            const js = makeJob(c, chunkRows, mode);
            const w = makeJob(c, chunkRows, mode);
            for (let chunk = 0; chunk < js.nChunks; chunk++) lloydChunk(js.job, chunk);
            for (let chunk = 0; chunk < w.nChunks; chunk++) wasm(w.job, chunk);
            assertSameJob(w.job, js.job, `d ${d}, k ${k}, weighted ${weighted}, grid ${grid}, mode ${mode}`);
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 50 * 2 * 2 * 3);
  });

  it('has ties to settle in the grid cases (the data make the test able to fail on them)', () => {
    // Count rows whose two nearest centres are at exactly the same distance.
    const c = makeCase(1000 * 10 + 1, 300, 10, 1 + ((10 * 13) % 40), false, true);
    let ties = 0;
    for (let i = 0; i < c.n; i++) {
      const dist: number[] = [];
      for (let j = 0; j < c.k; j++) {
        let s = 0;
        for (let t = 0; t < c.d; t++) s += (c.X[i * c.d + t] - c.C[j * c.d + t]) ** 2;
        dist.push(s);
      }
      const best = Math.min(...dist);
      if (dist.filter((v) => v === best).length > 1) ties++;
    }
    assert.ok(ties > 20, `${ties} rows with tied nearest centres`);
  });

  it('gives the same bits over chunks of several of its blocks, the last block partial', () => {
    // At d = 10 the kernel copies 1632 rows per call; 3000-row chunks take 2 calls, the last partial.
    for (const weighted of [false, true]) {
      const c = makeCase(77, 7001, 10, 8, weighted, false);
      for (const mode of [LLOYD_ASSIGN_UPDATE, LLOYD_ASSIGN]) {
        const js = makeJob(c, 3000, mode);
        const w = makeJob(c, 3000, mode);
        for (let chunk = 0; chunk < js.nChunks; chunk++) lloydChunk(js.job, chunk);
        // Chunks in reverse order, as another thread might take them.
        for (let chunk = w.nChunks - 1; chunk >= 0; chunk--) wasm(w.job, chunk);
        assertSameJob(w.job, js.job, `weighted ${weighted}, mode ${mode}`);
      }
    }
  });

  it('is null for bytes that are not a valid module, so callers keep the JavaScript kernel', () => {
    assert.equal(makeLloydWasm(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 255]), lloydChunk), null);
  });
});

/**
 * Data that make the screen's bound fail often (src/wasm/lloyd.ts, assignScreen), so that its
 * candidate path runs as much as its settled one:
 * - 'offset': rows and centres at 1e8 plus noise in [-1, 1] (the expanded form cancels badly
 *   without the translation by the centres' mean);
 * - 'split': half the rows near +1e8 and half near -1e8, unit noise, centres among them: the
 *   spread is so large that the bound cannot settle a row, but it still rules out the centres
 *   on the other side, so candidates are a strict subset of the centres;
 * - 'mirror': centres in pairs b +- delta with rows at b + w, w orthogonal to delta, all on a
 *   grid of eighths: each row is at exactly the same distance from both centres of its pair;
 * - 'dup': rows and centres drawn from a few distinct rows (duplicates, zero distances, ties);
 * - 'tiny' and 'huge': values near 1e-160 and 1e200, outside the range the screen takes.
 */
type HardKind = 'offset' | 'split' | 'mirror' | 'dup' | 'tiny' | 'huge';
const HARD_KINDS: HardKind[] = ['offset', 'split', 'mirror', 'dup', 'tiny', 'huge'];

function makeHardCase(seed: number, n: number, d: number, k: number, weighted: boolean, kind: HardKind): Case {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  const C = new Float64Array(k * d);
  const noise = (): number => rng.random() * 2 - 1;
  if (kind === 'offset' || kind === 'split') {
    for (let i = 0; i < n; i++) {
      const side = kind === 'split' && i % 2 === 1 ? -1e8 : 1e8;
      for (let t = 0; t < d; t++) X[i * d + t] = side + noise();
    }
    for (let j = 0; j < k; j++) {
      const row = rng.int(n);
      for (let t = 0; t < d; t++) C[j * d + t] = X[row * d + t] + noise() / 4;
    }
  } else if (kind === 'mirror') {
    const pairs = Math.ceil(k / 2);
    const bases = new Float64Array(pairs * d);
    for (let i = 0; i < bases.length; i++) bases[i] = rng.int(33) / 2 - 8;
    const deltas = new Float64Array(pairs);
    for (let q = 0; q < pairs; q++) deltas[q] = (1 + rng.int(8)) / 8;
    for (let j = 0; j < k; j++) {
      const b = (j >> 1) * d;
      for (let t = 0; t < d; t++) C[j * d + t] = bases[b + t];
      C[j * d] += (j % 2 === 0 ? 1 : -1) * deltas[j >> 1];
    }
    for (let i = 0; i < n; i++) {
      const b = rng.int(pairs) * d;
      X[i * d] = bases[b];
      for (let t = 1; t < d; t++) X[i * d + t] = bases[b + t] + rng.int(5) / 8 - 0.25;
    }
  } else if (kind === 'dup') {
    const distinct = new Float64Array(4 * d);
    for (let i = 0; i < distinct.length; i++) distinct[i] = noise() * 3;
    const pick = (): Float64Array => {
      const at = rng.int(4) * d;
      return distinct.subarray(at, at + d);
    };
    for (let i = 0; i < n; i++) X.set(pick(), i * d);
    for (let j = 0; j < k; j++) C.set(pick(), j * d);
  } else {
    const scale = kind === 'tiny' ? 1e-160 : 1e200;
    for (let i = 0; i < X.length; i++) X[i] = noise() * scale;
    for (let i = 0; i < C.length; i++) C[i] = noise() * scale;
  }
  const W = new Float64Array(weighted ? n : 0);
  for (let i = 0; i < W.length; i++) W[i] = 0.25 + rng.random() * 2;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = rng.int(k + 1) - 1;
  return { X, C, W, labels, n, d, k };
}

describe('WebAssembly Lloyd kernel with the single-precision screen', () => {
  it('gives the JavaScript kernel’s bits for d = 1..64 and k = 1..40 on data full of near ties, and takes both of its paths', () => {
    const tally = { screened: 0, unsettled: 0 };
    const perKind = new Map<string, { screened: number; unsettled: number }>();
    const kernel = makeLloydWasm(bytes, lloydChunk, 'always', tally);
    assert.ok(kernel !== null);
    let cases = 0;
    for (let d = 1; d <= 64; d++) {
      for (const k of [1 + ((d * 13) % 40), 1 + ((d * 7 + 3) % 40)]) {
        for (const kind of ['plain', 'grid', ...HARD_KINDS]) {
          const weighted = (d + k) % 2 === 0;
          const n = 41 + ((d * 31 + k) % 60);
          const chunkRows = [1, 3, 13, 37, 1000][(d + k) % 5];
          const seed = 100_000 * d + 100 * k + kind.length;
          const c = kind === 'plain' || kind === 'grid'
            ? makeCase(seed, n, d, k, weighted, kind === 'grid')
            : makeHardCase(seed, n, d, k, weighted, kind as HardKind);
          const before = { ...tally };
          for (const mode of [LLOYD_ASSIGN_UPDATE, LLOYD_ASSIGN]) {
            const js = makeJob(c, chunkRows, mode);
            const w = makeJob(c, chunkRows, mode);
            for (let chunk = 0; chunk < js.nChunks; chunk++) lloydChunk(js.job, chunk);
            for (let chunk = 0; chunk < w.nChunks; chunk++) kernel(w.job, chunk);
            assertSameJob(w.job, js.job, `d ${d}, k ${k}, ${kind}, weighted ${weighted}, mode ${mode}`);
            cases++;
          }
          const t = perKind.get(kind) ?? { screened: 0, unsettled: 0 };
          t.screened += tally.screened - before.screened;
          t.unsettled += tally.unsettled - before.unsettled;
          perKind.set(kind, t);
        }
      }
    }
    assert.equal(cases, 64 * 2 * 8 * 2);
    // Each kind of data went the way it was made for: continuous data almost always settled by
    // the screen, the others largely not (k = 1 settles every row, whatever the data).
    const share = (kind: string): number => {
      const t = perKind.get(kind);
      assert.ok(t !== undefined && t.screened > 0, kind);
      return t.unsettled / t.screened;
    };
    assert.ok(share('plain') < 0.01, `plain: ${share('plain')}`);
    for (const kind of ['split', 'tiny', 'huge']) assert.ok(share(kind) > 0.9, `${kind}: ${share(kind)}`);
    assert.ok(share('offset') < 0.01, `offset (the translation by the centres' mean): ${share('offset')}`);
    assert.ok(share('grid') > 0.2, `grid: ${share('grid')}`);
    for (const kind of ['mirror', 'dup']) assert.ok(share(kind) > 0.5, `${kind}: ${share(kind)}`);
  });

  it('without the inertia (inertiaWanted = 0): the same labels, sums, weight sums and counts, the inertia NaN', () => {
    const screened = makeLloydWasm(bytes, lloydChunk, 'always');
    const direct = makeLloydWasm(bytes, lloydChunk, 'never');
    assert.ok(screened !== null && direct !== null);
    let cases = 0;
    for (const d of [1, 2, 5, 10, 33, 64]) {
      for (const k of [3, 8, 17]) {
        for (const kind of ['plain', 'grid', 'split', 'dup'] as const) {
          const n = 57 + d;
          const c = kind === 'plain' || kind === 'grid'
            ? makeCase(7 * d + k, n, d, k, (d + k) % 2 === 0, kind === 'grid')
            : makeHardCase(7 * d + k, n, d, k, (d + k) % 2 === 0, kind);
          for (const mode of [LLOYD_ASSIGN_UPDATE, LLOYD_ASSIGN]) {
            const want = makeJob(c, 13, mode);
            for (let chunk = 0; chunk < want.nChunks; chunk++) lloydChunk(want.job, chunk);
            for (const kernel of [lloydChunk, screened, direct]) {
              const got = makeJob(c, 13, mode);
              got.job.params.push(0);
              for (let chunk = 0; chunk < got.nChunks; chunk++) kernel(got.job, chunk);
              const what = `d ${d}, k ${k}, ${kind}, mode ${mode}`;
              assert.deepEqual(got.job.i32[0], want.job.i32[0], `labels, ${what}`);
              for (const a of [2, 3]) assert.deepEqual(bits(got.job.f64[a]), bits(want.job.f64[a]), `f64[${a}], ${what}`);
              for (let chunk = 0; chunk < got.nChunks; chunk++) {
                assert.ok(Number.isNaN(got.job.f64[5][2 * chunk]), `inertia NaN, ${what}`);
                assert.equal(got.job.f64[5][2 * chunk + 1], want.job.f64[5][2 * chunk + 1], `labels changed, ${what}`);
              }
              cases++;
            }
          }
        }
      }
    }
    assert.equal(cases, 6 * 3 * 4 * 2 * 3);
  });

  it('goes back to the direct form within a chunk where the screen leaves too many rows, with the same bits', () => {
    for (const kind of ['plain', 'split', 'offset'] as const) {
      for (const weighted of [false, true]) {
        const c = kind === 'plain' ? makeCase(31, 6001, 12, 16, weighted, false) : makeHardCase(31, 6001, 12, 16, weighted, kind);
        const tally = { screened: 0, unsettled: 0 };
        const kernel = makeLloydWasm(bytes, lloydChunk, 'auto', tally);
        assert.ok(kernel !== null);
        const js = makeJob(c, 3000, LLOYD_ASSIGN_UPDATE);
        const w = makeJob(c, 3000, LLOYD_ASSIGN_UPDATE);
        for (let chunk = 0; chunk < js.nChunks; chunk++) lloydChunk(js.job, chunk);
        for (let chunk = 0; chunk < w.nChunks; chunk++) kernel(w.job, chunk);
        assertSameJob(w.job, js.job, `${kind}, weighted ${weighted}`);
        // 'split' leaves every row unsettled: one block per chunk is screened, then the direct form.
        if (kind === 'split') assert.ok(tally.screened < c.n / 2, `split: ${JSON.stringify(tally)}`);
        else assert.equal(tally.screened, c.n, `${kind}: ${JSON.stringify(tally)}`);
      }
    }
  });

  it('is not used by default where it does not pay (k = 4), nor by \'never\'', () => {
    for (const [screen, k, want] of [['auto', 4, 0], ['never', 16, 0], ['auto', 16, 3001]] as const) {
      const tally = { screened: 0, unsettled: 0 };
      const kernel = makeLloydWasm(bytes, lloydChunk, screen, tally);
      assert.ok(kernel !== null);
      const c = makeCase(5, 3001, 10, k, false, false);
      const w = makeJob(c, 1000, LLOYD_ASSIGN_UPDATE);
      const js = makeJob(c, 1000, LLOYD_ASSIGN_UPDATE);
      for (let chunk = 0; chunk < w.nChunks; chunk++) kernel(w.job, chunk);
      for (let chunk = 0; chunk < js.nChunks; chunk++) lloydChunk(js.job, chunk);
      assertSameJob(w.job, js.job, `${screen}, k ${k}`);
      assert.equal(tally.screened, want, `${screen}, k ${k}`);
    }
  });
});

describe('KernelPool with the WebAssembly Lloyd kernel', () => {
  let pool: KernelPool;
  before(() => {
    pool = KernelPool.create(1, undefined, bytes);
  });
  after(() => {
    setDefaultExecutor(serialExecutor);
    pool.close();
  });

  it('fits k-means with the JavaScript kernel’s bits (labels, centres, inertia, nIter), weighted or not', () => {
    assert.equal(pool.simd, true);
    for (const [d, k] of [[10, 8], [2, 32], [20, 5]]) {
      // n k d above the pool's work threshold, several chunks, n not a multiple of 4.
      const c = makeCase(5 * d + k, 40_003, d, k, true, false);
      const X = { data: c.X, nRows: c.n, nCols: c.d };
      const init = { data: c.C, nRows: c.k, nCols: c.d };
      for (const sampleWeight of [undefined, c.W]) {
        const options = { nClusters: c.k, init, maxIter: 12, tol: 0, sampleWeight };
        setDefaultExecutor(serialExecutor);
        const serial = kmeansFit(X, options);
        setDefaultExecutor(pool);
        const before = pool.runs.parallel;
        const pooled = kmeansFit(X, options);
        assert.ok(pool.runs.parallel > before, `the pooled fit ran its kernels across threads (d ${d}, k ${k}, ${JSON.stringify(pool.runs)})`);
        assert.deepEqual(pooled.labels, serial.labels);
        assert.deepEqual(bits(pooled.clusterCenters.data), bits(serial.clusterCenters.data));
        assert.equal(pooled.inertia, serial.inertia);
        assert.equal(pooled.nIter, serial.nIter);
      }
    }
  });

  it('runs mini-batch steps on the calling thread with the JavaScript loop’s bits (fit, partial fit, streaming step)', () => {
    for (const [d, k, batchSize] of [[10, 8, 100], [3, 5, 37], [50, 32, 1024]]) {
      const c = makeCase(7 * d + k, 5_003, d, k, true, false);
      const X = { data: c.X, nRows: c.n, nCols: c.d };
      const init = { data: c.C, nRows: c.k, nCols: c.d };
      const options = { nClusters: c.k, init, batchSize, maxSteps: 60, tol: 0, maxNoImprovement: 61, reassignmentRatio: 0.01, seed: 3 };
      setDefaultExecutor(serialExecutor);
      const serial = miniBatchFit(X, options);
      setDefaultExecutor(pool);
      const before = pool.runs.serial;
      const pooled = miniBatchFit(X, options);
      assert.ok(pool.runs.serial >= before + 60, `every step ran the pool's kernel on this thread (${JSON.stringify(pool.runs)})`);
      assert.deepEqual(bits(pooled.clusterCenters.data), bits(serial.clusterCenters.data), `centres, d ${d} k ${k}`);
      assert.deepEqual(pooled.labels, serial.labels);
      assert.deepEqual(bits(pooled.runningCounts), bits(serial.runningCounts));
      assert.equal(pooled.inertia, serial.inertia);
      assert.equal(pooled.nSteps, serial.nSteps);

      // partial fit, weighted; and the streaming step (rows in order, weight 1).
      const batch = { data: c.X.subarray(0, 300 * d), nRows: 300, nCols: d };
      const run = (executor: typeof pool | typeof serialExecutor) => {
        setDefaultExecutor(executor);
        const state = { centers: { data: Float64Array.from(c.C), nRows: k, nCols: d }, counts: new Float64Array(k).fill(2) };
        const partial = partialFitStep(state, batch, c.W.subarray(0, 300));
        const labels = new Int32Array(300);
        const scratch = new Float64Array(k * d + k);
        const streamed = miniBatchStreamStep(state, c.X.subarray(300 * d, 600 * d), 300, new Float64Array(300).fill(1), labels, scratch);
        return { partial, streamed, labels, centers: bits(state.centers.data), counts: bits(state.counts) };
      };
      const js = run(serialExecutor);
      const simd = run(pool);
      assert.deepEqual(simd.partial.labels, js.partial.labels);
      assert.equal(simd.partial.inertia, js.partial.inertia);
      assert.equal(simd.streamed, js.streamed);
      assert.deepEqual(simd.labels, js.labels);
      assert.deepEqual(simd.centers, js.centers);
      assert.deepEqual(simd.counts, js.counts);
    }
    setDefaultExecutor(serialExecutor);
  });

  it('keeps the JavaScript kernel when the bytes are not a module', () => {
    const plain = KernelPool.create(1, undefined, new Uint8Array([1, 2, 3]));
    try {
      assert.equal(plain.simd, false);
      const c = makeCase(9, 30_001, 10, 8, false, false);
      const X = { data: c.X, nRows: c.n, nCols: c.d };
      const options = { nClusters: c.k, init: { data: c.C, nRows: c.k, nCols: c.d }, maxIter: 5, tol: 0 };
      setDefaultExecutor(serialExecutor);
      const serial = kmeansFit(X, options);
      setDefaultExecutor(plain);
      const pooled = kmeansFit(X, options);
      assert.deepEqual(pooled.labels, serial.labels);
      assert.equal(pooled.inertia, serial.inertia);
    } finally {
      setDefaultExecutor(serialExecutor);
      plain.close();
    }
  });
});

describe('WebAssembly Lloyd kernel reading the rows in place (a shared WebAssembly memory)', () => {
  /** `c` with its rows copied into a fresh shared memory at byte `offset`, scratch after them. */
  function inMemory(c: Case, offset: number): { rows: Float64Array; memory: WebAssembly.Memory; scratch: number } {
    const scratch = Math.ceil((offset + c.X.byteLength) / 64) * 64;
    const pages = Math.ceil((scratch + 4 * 1024 * 1024) / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const rows = new Float64Array(memory.buffer, offset, c.X.length);
    rows.set(c.X);
    return { rows, memory, scratch };
  }

  it('gives the copying kernel\'s bits (screened or not, weighted or not, both modes), and copies when the scratch is too small', () => {
    let cases = 0;
    for (const screen of ['always', 'never'] as const) {
      const kernel = makeLloydWasm(bytes, lloydChunk, screen, undefined, sharedBytes);
      assert.ok(kernel !== null);
      for (const [d, k] of [[1, 3], [2, 32], [5, 8], [10, 8], [33, 17], [50, 32]] as const) {
        for (const weighted of [false, true]) {
          const c = makeCase(1000 * d + k, 3001, d, k, weighted, d % 2 === 0);
          for (const mode of [LLOYD_ASSIGN_UPDATE, LLOYD_ASSIGN]) {
            for (const scratchBytes of [4 * 1024 * 1024, 1000]) {
              const want = makeJob(c, 1000, mode);
              for (let chunk = 0; chunk < want.nChunks; chunk++) lloydChunk(want.job, chunk);
              const got = makeJob(c, 1000, mode);
              const placed = inMemory(c, 8 * 7);
              got.job.f64[0] = placed.rows;
              got.job.memory = placed.memory;
              got.job.scratch = placed.scratch;
              got.job.scratchBytes = scratchBytes;
              for (let chunk = got.nChunks - 1; chunk >= 0; chunk--) kernel(got.job, chunk);
              assertSameJob(got.job, want.job, `${screen}, d ${d}, k ${k}, weighted ${weighted}, mode ${mode}, scratch ${scratchBytes}`);
              assert.deepEqual(bits(placed.rows), bits(c.X), 'the rows are left as they were');
              cases++;
            }
          }
        }
      }
    }
    assert.equal(cases, 2 * 6 * 2 * 2 * 2);
  });

  it('a pool allocates big matrices as WebAssembly memory and fits k-means on them in place, with the serial bits', () => {
    const pool = KernelPool.create(1, undefined, bytes, sharedBytes);
    try {
      const c = makeCase(5, 120_000, 10, 8, false, false);
      const shared = new Float64Array(pool.alloc(c.X.byteLength), 0, c.X.length);
      shared.set(c.X);
      assert.ok(shared.byteLength >= 8 * 1024 * 1024);
      const X = { data: shared, nRows: c.n, nCols: c.d };
      setDefaultExecutor(serialExecutor);
      const serial = kmeansFit({ data: c.X, nRows: c.n, nCols: c.d }, { nClusters: 8, seed: 3, nInit: 1, maxIter: 20, tol: 0 });
      setDefaultExecutor(pool);
      const before = pool.runs.inPlace;
      const onPool = kmeansFit(X, { nClusters: 8, seed: 3, nInit: 1, maxIter: 20, tol: 0 });
      assert.ok(pool.runs.inPlace > before, 'the Lloyd passes read the rows in place');
      assert.deepEqual(onPool.labels, serial.labels);
      assert.deepEqual(bits(onPool.clusterCenters.data), bits(serial.clusterCenters.data));
      assert.ok(Object.is(onPool.inertia, serial.inertia));
      assert.equal(onPool.nIter, serial.nIter);
    } finally {
      setDefaultExecutor(serialExecutor);
      pool.close();
    }
  });
});
