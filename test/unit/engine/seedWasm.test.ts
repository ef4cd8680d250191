import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/rng';
import { kmeansPlusPlus } from '../../../src/engine/init';
import { kmeansFit } from '../../../src/engine/kmeans';
import { serialExecutor, setDefaultExecutor, sharedF64 } from '../../../src/engine/parallel/executor';
import { makeSeedWasm, seedChunk, SEED_NEAREST, SEED_TRIALS, type ChunkKernel, type KernelJob } from '../../../src/engine/parallel/kernels';
import { KernelPool } from '../../../src/node/kernelPool';
import { bits } from './bits';
import { built, lloydBytes } from './wasm';

// The WebAssembly k-means++ trials kernel (seedTrials in src/wasm/lloyd.ts) against the
// JavaScript one (seedChunk), bit for bit. The bytes are compiled from the source with the
// build's own options (scripts/wasm.mjs).
let bytes: Uint8Array;
let wasm: ChunkKernel;

before(async () => {
  bytes = await lloydBytes();
  wasm = built(makeSeedWasm(bytes, seedChunk));
});

interface Case {
  X: Float64Array;
  C: Float64Array;
  closest: Float64Array;
  W: Float64Array;
  n: number;
  d: number;
  m: number;
}

/**
 * Rows, candidates and closest distances; with `grid`, values are multiples of 0.5 in [-1, 1],
 * candidates are rows of X and every closest distance is the exact squared distance to some row,
 * so many rows tie (distance to a candidate equal to their closest distance, or 0 to
 * themselves), and some closest distances are Infinity (no centre yet) or 0.
 */
function makeCase(seed: number, n: number, d: number, m: number, weighted: boolean, grid: boolean): Case {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = grid ? rng.int(5) / 2 - 1 : rng.random() * 6 - 3;
  const C = new Float64Array(m * d);
  for (let j = 0; j < m; j++) {
    const row = rng.int(n);
    if (grid) C.set(X.subarray(row * d, row * d + d), j * d);
    else for (let t = 0; t < d; t++) C[j * d + t] = rng.random() * 6 - 3;
  }
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.random();
    if (u < 0.05) closest[i] = Infinity;
    else if (u < 0.1) closest[i] = 0;
    else if (grid) {
      const other = rng.int(n);
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = X[i * d + t] - X[other * d + t];
        s += v * v;
      }
      closest[i] = s;
    } else closest[i] = rng.random() * 4 * d;
  }
  const W = new Float64Array(weighted ? n : 0);
  for (let i = 0; i < W.length; i++) W[i] = grid ? rng.int(3) : 0.25 + rng.random() * 2;
  return { X, C, closest, W, n, d, m };
}

function run(kernel: ChunkKernel, c: Case, chunkRows: number, mode: number): { pots: Float64Array; closest: Float64Array } {
  const nChunks = Math.ceil(c.n / chunkRows);
  const pots = new Float64Array(nChunks * c.m).fill(7); // stale values the kernel must overwrite
  const closest = Float64Array.from(c.closest);
  const job: KernelJob = { f64: [c.X, c.C, closest, c.W, pots], i32: [], params: [c.n, c.d, c.m, chunkRows, mode] };
  for (let chunk = 0; chunk < nChunks; chunk++) kernel(job, chunk);
  return { pots, closest };
}

describe('WebAssembly k-means++ trials kernel', () => {
  it('gives the JavaScript kernel’s potentials bit for bit for d = 1..50 and 1..9 candidates, with ties, weights and uneven chunks', () => {
    let cases = 0;
    for (const d of [1, 2, 3, 5, 8, 10, 17, 50]) {
      for (const m of [1, 2, 4, 9]) {
        for (const weighted of [false, true]) {
          for (const grid of [false, true]) {
            const n = 97 + ((d * 7 + m * 3) % 60); // not a multiple of 8
            const c = makeCase(d * 100 + m * 10 + (weighted ? 1 : 0) + (grid ? 2 : 0), n, d, m, weighted, grid);
            for (const chunkRows of [1, 7, 8, 33, 1000]) {
              const js = run(seedChunk, c, chunkRows, SEED_TRIALS);
              const got = run(wasm, c, chunkRows, SEED_TRIALS);
              assert.deepEqual(bits(got.pots), bits(js.pots), `pots, d ${d}, m ${m}, weighted ${weighted}, grid ${grid}, chunk ${chunkRows}`);
              assert.deepEqual(bits(got.closest), bits(c.closest), 'closest untouched');
              cases++;
            }
          }
        }
      }
    }
    assert.equal(cases, 8 * 4 * 2 * 2 * 5);
  });

  it('has ties to settle in the grid cases (the data make the test able to fail on them)', () => {
    const c = makeCase(3, 150, 3, 4, false, true);
    let ties = 0;
    for (let i = 0; i < c.n; i++) {
      for (let j = 0; j < c.m; j++) {
        let s = 0;
        for (let t = 0; t < c.d; t++) {
          const v = c.X[i * c.d + t] - c.C[j * c.d + t];
          s += v * v;
        }
        if (s === c.closest[i]) ties++;
      }
    }
    assert.ok(ties > 20, `${ties} ties`);
  });

  it('gives the same bits over chunks of several of its blocks, the last block partial', () => {
    // Blocks of floor(8192 / d / 8) * 8 rows: 816 at d = 10; 5000 rows span several.
    for (const weighted of [false, true]) {
      const c = makeCase(17, 5000, 10, 4, weighted, false);
      for (const chunkRows of [1700, 5000]) {
        assert.deepEqual(bits(run(wasm, c, chunkRows, SEED_TRIALS).pots), bits(run(seedChunk, c, chunkRows, SEED_TRIALS).pots));
      }
    }
  });

  it('leaves the nearest mode to the JavaScript kernel (same closest distances)', () => {
    const c = makeCase(5, 300, 4, 3, false, false);
    assert.deepEqual(bits(run(wasm, c, 64, SEED_NEAREST).closest), bits(run(seedChunk, c, 64, SEED_NEAREST).closest));
  });

  it('is null for bytes that are not a valid module, so callers keep the JavaScript kernel', () => {
    assert.equal(makeSeedWasm(new Uint8Array([0, 1, 2, 3]), seedChunk), null);
  });
});

describe('KernelPool with the WebAssembly k-means++ kernel', () => {
  let pool: KernelPool;
  before(() => {
    pool = KernelPool.create(1, undefined, bytes);
  });
  after(() => {
    setDefaultExecutor(serialExecutor);
    pool.close();
  });

  it('seeds with the serial JavaScript seeding’s bits, weighted or not, and so fits alike', () => {
    assert.equal(pool.simd, true);
    for (const [n, d, k] of [[60_003, 10, 8], [35_001, 20, 5]] as const) {
      const c = makeCase(n + d, n, d, 1, false, false);
      const X = { data: c.X, nRows: n, nCols: d };
      const shared = { data: sharedF64(pool, n * d, c.X), nRows: n, nCols: d };
      const W = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 7) / 4);
      for (const w of [undefined, W]) {
        const serial = kmeansPlusPlus(X, k, new Rng(6), w);
        const before = pool.runs.parallel;
        const pooled = kmeansPlusPlus(shared, k, new Rng(6), w === undefined ? undefined : sharedF64(pool, n, w), undefined, pool);
        assert.equal(pool.runs.parallel - before, 2 * k - 2, 'every pass ran across threads');
        assert.deepEqual(bits(pooled.data), bits(serial.data), `n ${n}, d ${d}, k ${k}, ${w ? 'weighted' : 'unweighted'}`);
        const options = { nClusters: k, maxIter: 5, seed: 2, sampleWeight: w };
        setDefaultExecutor(serialExecutor);
        const fitSerial = kmeansFit(X, options);
        setDefaultExecutor(pool);
        const fitPooled = kmeansFit(X, options);
        setDefaultExecutor(serialExecutor);
        assert.deepEqual(fitPooled.labels, fitSerial.labels);
        assert.deepEqual(bits(fitPooled.clusterCenters.data), bits(fitSerial.clusterCenters.data));
        assert.equal(fitPooled.inertia, fitSerial.inertia);
      }
    }
  });
});
