import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/rng';
import { makeSilhouetteWasm, silhouetteSumsChunk, type ChunkKernel, type KernelJob } from '../../../src/engine/parallel/kernels';
import { serialExecutor, setDefaultExecutor } from '../../../src/engine/parallel/executor';
import { silhouetteSamples, silhouetteScore } from '../../../src/engine/metrics/internal';
import { CancelledError } from '../../../src/engine/errors';
import { KernelPool } from '../../../src/node/kernelPool';
import { bits } from './bits';
import { built, lloydBytes } from './wasm';

// The WebAssembly silhouette pair sums (src/wasm/lloyd.ts, pairSums) against the JavaScript
// kernel, bit for bit. The bytes are compiled from the source with the build's own options.
let bytes: Uint8Array;
let wasm: ChunkKernel;

before(async () => {
  bytes = await lloydBytes();
  wasm = built(makeSilhouetteWasm(bytes, silhouetteSumsChunk));
});

interface Data {
  data: Float64Array;
  labels: Int32Array;
  n: number;
  d: number;
  L: number;
}

/**
 * n rows of d values with labels in [0, L), each label used at least once when n >= L. With
 * `grid`, values are multiples of 0.5 in [-1, 1] and every fourth row repeats an earlier one,
 * so many distances are exactly equal or zero. `singletons` labels 0 and 1 once each.
 */
function makeData(seed: number, n: number, d: number, L: number, grid: boolean, singletons = false): Data {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (grid && i > 0 && i % 4 === 3) {
      const from = rng.int(i);
      data.copyWithin(i * d, from * d, from * d + d);
      continue;
    }
    for (let t = 0; t < d; t++) data[i * d + t] = grid ? rng.int(5) / 2 - 1 : rng.random() * 8 - 4;
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (i < L) labels[i] = i;
    else labels[i] = singletons ? 2 + rng.int(L - 2) : rng.int(L);
  }
  // Shuffle, so the label of a row says nothing about its place.
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const v = labels[i];
    labels[i] = labels[j];
    labels[j] = v;
  }
  return { data, labels, n, d, L };
}

/** Runs `kernel` over the blocks [0, block), [block, 2 block), ... in order; returns the sums. */
function sums(kernel: ChunkKernel, c: Data, block: number): Float64Array {
  const out = new Float64Array(c.n * c.L);
  const job: KernelJob = { f64: [c.data, out], i32: [c.labels], params: [c.n, c.d, c.L, 0, 0] };
  for (let start = 0; start < c.n; start += block) {
    job.params[3] = start;
    job.params[4] = Math.min(c.n, start + block);
    kernel(job, 0);
  }
  return out;
}

/** Independent sums: every row's distances to the other rows added in ascending row order. */
function naiveSums(c: Data): Float64Array {
  const { data, labels, n, d, L } = c;
  const out = new Float64Array(n * L);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < n; m++) {
      if (m === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = data[i * d + t] - data[m * d + t];
        s += u * u;
      }
      out[i * L + labels[m]] += Math.sqrt(s);
    }
  }
  return out;
}

describe('WebAssembly silhouette pair sums', () => {
  it('give the JavaScript kernel’s bits for d = 1..50, L = 2..12, n below and not a multiple of 8, any block', () => {
    let cases = 0;
    for (let d = 1; d <= 50; d++) {
      const L = 2 + (d % 11);
      // n from 3 to 7 (fewer rows than one group), and larger ones that are not multiples of 8;
      // at d = 50 a tile is 163 rows, so the larger ones take several tiles.
      for (const n of [Math.max(L + 1, 3 + (d % 5)), 61 + ((d * 37) % 300)]) {
        for (const grid of [false, true]) {
          const c = makeData(100 * d + n + (grid ? 1 : 0), n, d, L, grid, d % 3 === 0);
          for (const block of [1, 5, 8, 13, 256]) {
            const js = sums(silhouetteSumsChunk, c, block);
            assert.deepEqual(bits(sums(wasm, c, block)), bits(js), `d ${d}, L ${L}, n ${n}, grid ${grid}, block ${block}`);
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 50 * 2 * 2 * 5);
  });

  it('give the bits of the ascending-order sums computed independently', () => {
    for (const [n, d, L, grid] of [[9, 3, 2, true], [300, 7, 5, false], [211, 50, 12, true], [40, 1, 3, false]] as const) {
      const c = makeData(n * d, n, d, L, grid);
      assert.deepEqual(bits(sums(wasm, c, 256)), bits(naiveSums(c)), `n ${n}, d ${d}, L ${L}`);
    }
  });

  it('give the same bits over many tiles (d = 1: 8192 rows a tile) and with blocks of odd sizes', () => {
    const c = makeData(5, 9001, 1, 4, false);
    assert.deepEqual(bits(sums(wasm, c, 2048)), bits(sums(silhouetteSumsChunk, c, 2048)));
    const e = makeData(6, 2000, 10, 8, true);
    assert.deepEqual(bits(sums(wasm, e, 999)), bits(sums(silhouetteSumsChunk, e, 256)));
  });

  it('have zero distances and ties in the grid data (the test can fail on them)', () => {
    const c = makeData(100 * 10 + 61 + ((10 * 37) % 300) + 1, 61 + ((10 * 37) % 300), 10, 12, true);
    let zeros = 0;
    for (let i = 1; i < c.n; i++) {
      for (let m = 0; m < i; m++) {
        let z = 0;
        for (let t = 0; t < c.d; t++) z += (c.data[i * c.d + t] - c.data[m * c.d + t]) ** 2;
        if (z === 0) zeros++;
      }
    }
    assert.ok(zeros > 20, `${zeros} pairs of identical rows`);
  });

  it('is null for bytes that are not a valid module, so callers keep the JavaScript kernel', () => {
    assert.equal(makeSilhouetteWasm(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 255]), silhouetteSumsChunk), null);
  });
});

describe('silhouette with the WebAssembly kernel (KernelPool)', () => {
  let pool: KernelPool;
  before(() => {
    pool = KernelPool.create(1, undefined, bytes);
  });
  after(() => {
    setDefaultExecutor(serialExecutor);
    pool.close();
  });

  /** silhouetteSamples on the serial executor (JavaScript) and on the pool (WebAssembly). */
  function both(c: Data): { js: Float64Array; simd: Float64Array } {
    const X = { data: c.data, nRows: c.n, nCols: c.d };
    setDefaultExecutor(serialExecutor);
    const js = silhouetteSamples(X, c.labels);
    setDefaultExecutor(pool);
    try {
      return { js, simd: silhouetteSamples(X, c.labels) };
    } finally {
      setDefaultExecutor(serialExecutor);
    }
  }

  it('gives silhouetteSamples’ bits for n = 3..600, d = 1..50, L = 2..12, singletons, duplicate rows', () => {
    assert.equal(pool.simd, true);
    let cases = 0;
    for (const [n, d, L] of [[3, 2, 2], [5, 1, 2], [7, 4, 3], [8, 3, 4], [9, 2, 2], [17, 50, 5], [100, 10, 8], [257, 7, 12], [600, 1, 3], [511, 33, 6]]) {
      for (const grid of [false, true]) {
        for (const singletons of L > 2 ? [false, true] : [false]) {
          const c = makeData(n * 1000 + d * 10 + L, n, d, L, grid, singletons);
          const { js, simd } = both(c);
          assert.equal(simd.length, n);
          for (let i = 0; i < n; i++) {
            assert.ok(Object.is(simd[i], js[i]), `row ${i}: ${simd[i]} vs ${js[i]} (n ${n}, d ${d}, L ${L}, grid ${grid})`);
          }
          assert.deepEqual(bits(simd), bits(js));
          cases++;
        }
      }
    }
    assert.ok(cases >= 30);
  });

  it('gives silhouetteScore’s bits, exact and on a stratified sample, and leaves labels that are not 0..L-1 alone', () => {
    const c = makeData(42, 3001, 10, 8, false);
    // Labels 3, 10, 17, ...: re-encoded by the metric.
    const labels = c.labels.map((v) => 3 + 7 * v);
    const X = { data: c.data, nRows: c.n, nCols: c.d };
    for (const options of [{}, { sampleSize: 1000, seed: 7 }, { sampleSize: 2000 }]) {
      setDefaultExecutor(serialExecutor);
      const js = silhouetteScore(X, labels, options);
      setDefaultExecutor(pool);
      const simd = silhouetteScore(X, labels, options);
      setDefaultExecutor(serialExecutor);
      assert.ok(js.value !== null && Object.is(simd.value, js.value), `${simd.value} vs ${js.value} (${JSON.stringify(options)})`);
      assert.equal(simd.sampled, js.sampled);
    }
  });

  it('still reports progress and stops when cancelled between blocks', () => {
    const c = makeData(3, 2000, 10, 4, false);
    const X = { data: c.data, nRows: c.n, nCols: c.d };
    setDefaultExecutor(pool);
    try {
      const fractions: number[] = [];
      silhouetteSamples(X, c.labels, 'euclidean', { onProgress: (f) => fractions.push(f) });
      assert.ok(fractions.length >= 1 && fractions[fractions.length - 1] === 1, `progress ${fractions.join(', ')}`);
      for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1]);
      let checks = 0;
      const control = { isCancelled: () => ++checks > 2 };
      assert.throws(() => silhouetteSamples(X, c.labels, 'euclidean', control), CancelledError);
      assert.equal(checks, 3, 'cancelled at the third block, not after the whole pair loop');
    } finally {
      setDefaultExecutor(serialExecutor);
    }
  });
});

describe('Silhouette pair sums with owners (one chunk per thread, each writing its own rows)', () => {
  /** Runs `kernel` as `owners` chunks, in an order that is not the chunks' order. */
  function owned(kernel: ChunkKernel, c: Data, owners: number): Float64Array {
    const out = new Float64Array(c.n * c.L);
    const job: KernelJob = { f64: [c.data, out], i32: [c.labels], params: [c.n, c.d, c.L, 0, 0, owners] };
    for (let k = owners - 1; k >= 0; k--) kernel(job, k);
    return out;
  }

  it('give the bits of the blocks run one after another, whatever the number of owners, in JavaScript and WebAssembly', () => {
    for (const [n, d, L, grid] of [[9, 3, 2, true], [300, 7, 5, false], [211, 50, 12, true], [40, 1, 3, false], [1000, 10, 8, true]] as const) {
      const c = makeData(7 * n + d, n, d, L, grid);
      const want = bits(sums(silhouetteSumsChunk, c, 256));
      for (const owners of [1, 2, 3, 5, 8]) {
        assert.deepEqual(bits(owned(silhouetteSumsChunk, c, owners)), want, `JavaScript, n ${n}, d ${d}, owners ${owners}`);
        assert.deepEqual(bits(owned(wasm, c, owners)), want, `WebAssembly, n ${n}, d ${d}, owners ${owners}`);
      }
    }
  });

  it('give the same bits over many tiles (d = 1: 8192 rows a tile)', () => {
    const c = makeData(9, 20001, 1, 4, false);
    assert.deepEqual(bits(owned(wasm, c, 2)), bits(sums(silhouetteSumsChunk, c, 2048)));
  });

  it('silhouetteScore on a pool takes the owners\' path and gives the serial value', () => {
    const c = makeData(11, 5000, 6, 5, true);
    const X = { data: c.data, nRows: c.n, nCols: c.d };
    const serial = silhouetteScore(X, c.labels);
    const pool = KernelPool.create(1, undefined, bytes);
    const previous = setDefaultExecutor(pool);
    try {
      const before = pool.runs.parallel;
      const onPool = silhouetteScore(X, c.labels);
      assert.ok(pool.runs.parallel > before, 'the sums ran across the threads');
      assert.deepEqual(bits(new Float64Array([onPool.value ?? NaN])), bits(new Float64Array([serial.value ?? NaN])));
    } finally {
      setDefaultExecutor(previous);
      pool.close();
    }
  });
});
