import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/rng';
import { sqDist } from '../../../src/engine/matrix';
import { lloydChunk, LLOYD_ASSIGN, LLOYD_ASSIGN_UPDATE, LLOYD_INERTIA, type KernelJob } from '../../../src/engine/parallel/kernels';
import { serialExecutor, setDefaultExecutor, sharedF64, sharedI32, type ChunkExecutor } from '../../../src/engine/parallel/executor';
import { kmeansFit } from '../../../src/engine/kmeans';
import { ChunkedAssigner } from '../../../src/engine/parallel/assigner';
import { KernelPool } from '../../../src/node/kernelPool';

interface Case {
  X: Float64Array;
  C: Float64Array;
  W: Float64Array;
  n: number;
  d: number;
  k: number;
}

function randomCase(seed: number, n: number, d: number, k: number, weighted: boolean): Case {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.random() * 4 - 2;
  const C = new Float64Array(k * d);
  for (let i = 0; i < C.length; i++) C[i] = rng.random() * 4 - 2;
  const W = new Float64Array(weighted ? n : 0);
  for (let i = 0; i < W.length; i++) W[i] = 0.5 + rng.random();
  return { X, C, W, n, d, k };
}

/** Builds the lloyd job in `executor`'s memory, with labels all -1 so every row counts as changed. */
function makeJob(executor: ChunkExecutor, c: Case, chunkRows: number, mode: number): { job: KernelJob; nChunks: number } {
  const nChunks = Math.ceil(c.n / chunkRows);
  const labels = sharedI32(executor, c.n);
  labels.fill(-1);
  const job: KernelJob = {
    f64: [
      sharedF64(executor, c.X.length, c.X),
      sharedF64(executor, c.C.length, c.C),
      sharedF64(executor, nChunks * c.k * c.d),
      sharedF64(executor, nChunks * c.k),
      c.W.length > 0 ? sharedF64(executor, c.W.length, c.W) : new Float64Array(0),
      sharedF64(executor, nChunks * 2),
    ],
    i32: [labels],
    params: [c.n, c.d, c.k, chunkRows, mode],
  };
  return { job, nChunks };
}

describe('lloydChunk kernel', () => {
  it('labels every row with the nearest centre by sqDist, sums its rows per chunk, counts changes', () => {
    for (const weighted of [false, true]) {
      const c = randomCase(11, 1003, 3, 5, weighted);
      const chunkRows = 100;
      const { job, nChunks } = makeJob(serialExecutor, c, chunkRows, LLOYD_ASSIGN_UPDATE);
      serialExecutor.run('lloyd', job, nChunks);
      for (let chunk = 0; chunk < nChunks; chunk++) {
        // Independent brute force over the chunk: argmin with ties to the lowest index,
        // and the weighted sums accumulated in row order (the kernel's documented order).
        const sums = new Float64Array(c.k * c.d);
        const wsum = new Float64Array(c.k);
        let inertia = 0;
        for (let i = chunk * chunkRows; i < Math.min(c.n, (chunk + 1) * chunkRows); i++) {
          let best = Infinity;
          let bj = -1;
          for (let j = 0; j < c.k; j++) {
            const s = sqDist(c.X, i * c.d, c.C, j * c.d, c.d);
            if (s < best) {
              best = s;
              bj = j;
            }
          }
          assert.equal(job.i32[0][i], bj, `row ${i}`);
          const w = weighted ? c.W[i] : 1;
          inertia += w * best;
          wsum[bj] += w;
          for (let t = 0; t < c.d; t++) sums[bj * c.d + t] += w * c.X[i * c.d + t];
        }
        assert.deepEqual(job.f64[2].subarray(chunk * c.k * c.d, (chunk + 1) * c.k * c.d), sums);
        assert.deepEqual(job.f64[3].subarray(chunk * c.k, (chunk + 1) * c.k), wsum);
        assert.equal(job.f64[5][2 * chunk], inertia);
        assert.equal(job.f64[5][2 * chunk + 1], Math.min(c.n, (chunk + 1) * chunkRows) - chunk * chunkRows);
      }
      // A second pass with the same centres changes no label.
      serialExecutor.run('lloyd', job, nChunks);
      for (let chunk = 0; chunk < nChunks; chunk++) assert.equal(job.f64[5][2 * chunk + 1], 0);
    }
  });

  it('breaks exact ties towards the lowest centre index, in the 4-row block and in the tail', () => {
    // Every row is (0, y): centres (1, 0) and (-1, 0) are at exactly the same distance
    // (1 + y^2 each), and centre 2 = centre 1 duplicated; so every label must be 0.
    const n = 7; // one block of 4 rows and a tail of 3
    const X = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) X[i * 2 + 1] = i;
    const c: Case = { X, C: Float64Array.from([1, 0, -1, 0, -1, 0]), W: new Float64Array(0), n, d: 2, k: 3 };
    const { job } = makeJob(serialExecutor, c, 100, LLOYD_ASSIGN);
    serialExecutor.run('lloyd', job, 1);
    assert.deepEqual(Array.from(job.i32[0]), [0, 0, 0, 0, 0, 0, 0]);
  });

  it('mode inertia sums the weighted squared distances of the given labels', () => {
    // Hand computation: rows (0,0) w=1 and (3,4) w=2, both labelled centre 0 = (0,0):
    // 1 * 0 + 2 * 25 = 50.
    const c: Case = { X: Float64Array.from([0, 0, 3, 4]), C: Float64Array.from([0, 0, 3, 4]), W: Float64Array.from([1, 2]), n: 2, d: 2, k: 2 };
    const { job } = makeJob(serialExecutor, c, 10, LLOYD_INERTIA);
    job.i32[0].fill(0);
    lloydChunk(job, 0);
    assert.equal(job.f64[5][0], 50);
    assert.deepEqual(Array.from(job.i32[0]), [0, 0]);
  });
});

describe('KernelPool', () => {
  const pool = KernelPool.create(2);
  after(() => pool.close());

  it('starts its workers and shares memory', () => {
    assert.equal(pool.threads, 3);
    assert.ok(pool.alloc(8) instanceof SharedArrayBuffer);
  });

  it('gives the serial executor’s bits for every mode, with and without weights', () => {
    for (const weighted of [false, true]) {
      for (const mode of [LLOYD_ASSIGN_UPDATE, LLOYD_ASSIGN, LLOYD_INERTIA]) {
        const c = randomCase(5 + mode, 20_011, 7, 9, weighted);
        const serial = makeJob(serialExecutor, c, 512, mode);
        const shared = makeJob(pool, c, 512, mode);
        if (mode === LLOYD_INERTIA) {
          for (let i = 0; i < c.n; i++) serial.job.i32[0][i] = shared.job.i32[0][i] = i % c.k;
        }
        serialExecutor.run('lloyd', serial.job, serial.nChunks);
        const before = pool.runs.parallel;
        pool.run('lloyd', shared.job, shared.nChunks);
        assert.equal(pool.runs.parallel, before + 1, 'the job ran across threads');
        assert.deepEqual(shared.job.i32[0], serial.job.i32[0]);
        for (let a = 0; a < serial.job.f64.length; a++) assert.deepEqual(shared.job.f64[a], serial.job.f64[a], `f64[${a}] mode ${mode}`);
      }
    }
  });

  it('runs jobs whose arrays are not shared on the calling thread, with the same result', () => {
    const c = randomCase(3, 5000, 4, 6, false);
    const plain = makeJob(serialExecutor, c, 256, LLOYD_ASSIGN_UPDATE);
    const reference = makeJob(serialExecutor, c, 256, LLOYD_ASSIGN_UPDATE);
    pool.run('lloyd', plain.job, plain.nChunks);
    serialExecutor.run('lloyd', reference.job, reference.nChunks);
    assert.deepEqual(plain.job.f64[2], reference.job.f64[2]);
    assert.deepEqual(plain.job.i32[0], reference.job.i32[0]);
  });

  it('with zero workers is a serial executor', () => {
    const none = KernelPool.create(0);
    assert.equal(none.threads, 1);
    assert.ok(!(none.alloc(8) instanceof SharedArrayBuffer));
  });
});

describe('k-means over the pool', () => {
  it('gives the serial fit bit for bit (labels, centres, inertia, nIter), Lloyd or Elkan, weighted or not', () => {
    // 40,000 x 10 with k = 8 is past the pool's work threshold and spans 5 chunks.
    const c = randomCase(21, 40_000, 10, 8, true);
    const X = { data: c.X, nRows: c.n, nCols: c.d };
    const init = { data: c.C, nRows: c.k, nCols: c.d };
    const pool = KernelPool.create(1);
    try {
      for (const sampleWeight of [undefined, c.W]) {
        const options = { nClusters: c.k, init, maxIter: 15, tol: 0, sampleWeight };
        setDefaultExecutor(serialExecutor);
        const serial = kmeansFit(X, options);
        const serialElkan = kmeansFit(X, { ...options, algorithm: 'elkan' });
        setDefaultExecutor(pool);
        const parallel = kmeansFit(X, options);
        const parallelElkan = kmeansFit(X, { ...options, algorithm: 'elkan' });
        assert.equal(pool.threads, 2);
        assert.ok(pool.runs.parallel > 0, 'the pooled fits ran their kernels across threads');
        // Serial Lloyd is the reference; Elkan (serial or pooled) and pooled Lloyd give its bits.
        for (const other of [parallel, serialElkan, parallelElkan]) {
          assert.deepEqual(other.labels, serial.labels);
          assert.deepEqual(other.clusterCenters.data, serial.clusterCenters.data);
          assert.equal(other.inertia, serial.inertia);
          assert.equal(other.nIter, serial.nIter);
        }
      }
    } finally {
      setDefaultExecutor(serialExecutor);
      pool.close();
    }
  });
});

describe('ChunkedAssigner with Hamerly bounds', () => {
  it('gives the labels and sums of the full pass at every Lloyd iteration, serial and on the pool', () => {
    const pool = KernelPool.create(1);
    try {
      for (const [executor, weighted] of [[serialExecutor, false], [pool, true]] as const) {
        // Overlapping clusters (uniform data) keep the bounds busy: rows near boundaries
        // must be rescanned, rows deep inside are skipped.
        const c = randomCase(33, 60_001, 3, 12, weighted); // n k d above the pool threshold
        const X = { data: c.X, nRows: c.n, nCols: c.d };
        const W = weighted ? c.W : undefined;
        const full = new ChunkedAssigner(X, c.k, W, { executor });
        const bounded = new ChunkedAssigner(X, c.k, W, { executor, bounds: true });
        let centers = Float64Array.from(c.C);
        const sumsA = new Float64Array(c.k * c.d);
        const sumsB = new Float64Array(c.k * c.d);
        const wA = new Float64Array(c.k);
        const wB = new Float64Array(c.k);
        for (let it = 0; it < 12; it++) {
          const changedA = full.assignAndSum(centers, sumsA, wA);
          const changedB = bounded.assignAndSum(centers, sumsB, wB);
          assert.deepEqual(bounded.labels, full.labels, `labels, iteration ${it}`);
          assert.deepEqual(sumsB, sumsA, `sums, iteration ${it}`);
          assert.deepEqual(wB, wA);
          assert.equal(changedB, changedA);
          const next = new Float64Array(c.k * c.d);
          for (let j = 0; j < c.k; j++) for (let t = 0; t < c.d; t++) next[j * c.d + t] = wA[j] > 0 ? sumsA[j * c.d + t] / wA[j] : centers[j * c.d + t];
          centers = next;
        }
      }
    } finally {
      pool.close();
    }
  });
});

describe('ChunkedAssigner with the expanded-form screen', () => {
  it('gives the direct form’s labels, sums and change counts, on centred and on far-off data', () => {
    const pool = KernelPool.create(1);
    try {
      for (const [executor, weighted, offset] of [[serialExecutor, false, 0], [pool, true, 0], [pool, false, 1e3]] as const) {
        const c = randomCase(44, 50_003, 6, 9, weighted);
        // offset 1e3 moves every row and centre far from the origin: the screen's margin
        // then covers most rows, which take the exact fallback.
        for (let i = 0; i < c.X.length; i++) c.X[i] += offset;
        for (let i = 0; i < c.C.length; i++) c.C[i] += offset;
        const X = { data: c.X, nRows: c.n, nCols: c.d };
        const W = weighted ? c.W : undefined;
        const direct = new ChunkedAssigner(X, c.k, W, { executor, screen: false });
        const screened = new ChunkedAssigner(X, c.k, W, { executor, screen: true });
        let centers = Float64Array.from(c.C);
        const sumsA = new Float64Array(c.k * c.d);
        const sumsB = new Float64Array(c.k * c.d);
        const wA = new Float64Array(c.k);
        const wB = new Float64Array(c.k);
        for (let it = 0; it < 6; it++) {
          const changedA = direct.assignAndSum(centers, sumsA, wA);
          const changedB = screened.assignAndSum(centers, sumsB, wB);
          assert.deepEqual(screened.labels, direct.labels, `labels, iteration ${it}, offset ${offset}`);
          assert.deepEqual(sumsB, sumsA);
          assert.deepEqual(wB, wA);
          assert.equal(changedB, changedA);
          const next = new Float64Array(c.k * c.d);
          for (let j = 0; j < c.k; j++) for (let t = 0; t < c.d; t++) next[j * c.d + t] = wA[j] > 0 ? sumsA[j * c.d + t] / wA[j] : centers[j * c.d + t];
          centers = next;
        }
        assert.equal(screened.inertia(centers), direct.inertia(centers));
      }
    } finally {
      pool.close();
    }
  });

  it('sends exact ties to the lowest centre index', () => {
    // Rows (0, y, z, w) are exactly as far from centre 0 = (1, 0, 0, 0) as from centre 1 =
    // (-1, 0, 0, 0); centre 2 is far away. The direct form says 0 for every row.
    const n = 9;
    const d = 4;
    const rng = new Rng(5);
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let t = 1; t < d; t++) X[i * d + t] = rng.random() - 0.5;
    const C = Float64Array.from([1, 0, 0, 0, -1, 0, 0, 0, 0, 50, 0, 0]);
    const screened = new ChunkedAssigner({ data: X, nRows: n, nCols: d }, 3, undefined, { screen: true });
    screened.assignAndSum(C, new Float64Array(3 * d), new Float64Array(3));
    assert.deepEqual(Array.from(screened.labels), new Array(n).fill(0));
  });
});
