import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calinskiHarabasz, centroidIndices, daviesBouldin } from '../../../src/engine/metrics/internal';
import { serialExecutor, setDefaultExecutor } from '../../../src/engine/parallel/executor';
import { Rng } from '../../../src/engine/rng';
import type { Matrix } from '../../../src/engine/matrix';
import { KernelPool } from '../../../src/node/kernelPool';

/**
 * Davies-Bouldin and Calinski-Harabasz written out as plain loops over the rows (means with
 * a correcting pass, then the spreads), the definition the chunked passes must match: bit for
 * bit up to one chunk of rows, to rounding above.
 */
function plainIndices(X: Matrix, labels: Int32Array, L: number): { daviesBouldin: number; calinskiHarabasz: number } {
  const { data, nRows: n, nCols: d } = X;
  const means = (codes: Int32Array, m: number, counts: Float64Array): Float64Array => {
    const mean = new Float64Array(m * d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[codes[i] * d + t] += data[i * d + t];
    for (let c = 0; c < m; c++) for (let t = 0; t < d; t++) mean[c * d + t] /= counts[c];
    const correction = new Float64Array(m * d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) correction[codes[i] * d + t] += data[i * d + t] - mean[codes[i] * d + t];
    for (let c = 0; c < m; c++) for (let t = 0; t < d; t++) mean[c * d + t] += correction[c * d + t] / counts[c];
    return mean;
  };
  const counts = new Float64Array(L);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  const centroids = means(labels, L, counts);
  const overall = means(new Int32Array(n), 1, Float64Array.of(n));
  const intra = new Float64Array(L);
  let within = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = data[i * d + t] - centroids[labels[i] * d + t];
      s += diff * diff;
      within += diff * diff;
    }
    intra[labels[i]] += Math.sqrt(s);
  }
  for (let c = 0; c < L; c++) intra[c] /= counts[c];
  let db = 0;
  for (let a = 0; a < L; a++) {
    let worst = -Infinity;
    for (let b = 0; b < L; b++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (centroids[a * d + t] - centroids[b * d + t]) ** 2;
      const m = Math.sqrt(s);
      const ratio = m === 0 ? 0 : (intra[a] + intra[b]) / m;
      if (ratio > worst) worst = ratio;
    }
    db += worst;
  }
  let extra = 0;
  for (let c = 0; c < L; c++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (centroids[c * d + t] - overall[t]) ** 2;
    extra += counts[c] * s;
  }
  return { daviesBouldin: db / L, calinskiHarabasz: (extra * (n - L)) / (within * (L - 1)) };
}

function blobs(seed: number, n: number, d: number, L: number): { X: Matrix; labels: Int32Array } {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i < L ? i : rng.int(L);
    for (let t = 0; t < d; t++) data[i * d + t] = 1e3 + labels[i] * 3 + (rng.random() - 0.5) * 4;
  }
  return { X: { data, nRows: n, nCols: d }, labels };
}

describe('Davies-Bouldin and Calinski-Harabasz in chunks of rows', () => {
  let pool: KernelPool;
  before(() => {
    pool = KernelPool.create(1);
  });
  after(() => {
    setDefaultExecutor(serialExecutor);
    pool.close();
  });

  it('up to one chunk (65,536 rows): the plain loops\' bits, alone and together', () => {
    for (const [n, d, L] of [[50, 2, 3], [1000, 7, 5], [65_536, 3, 8]] as const) {
      const { X, labels } = blobs(n + d, n, d, L);
      const want = plainIndices(X, labels, L);
      assert.ok(Object.is(daviesBouldin(X, labels), want.daviesBouldin), `n ${n}: Davies-Bouldin`);
      assert.ok(Object.is(calinskiHarabasz(X, labels), want.calinskiHarabasz), `n ${n}: Calinski-Harabasz`);
      assert.deepEqual(centroidIndices(X, labels), want);
    }
  });

  it('above it: the same bits on one thread and on a pool, within rounding of the plain loops', () => {
    const { X, labels } = blobs(3, 200_001, 4, 6);
    setDefaultExecutor(serialExecutor);
    const serial = centroidIndices(X, labels);
    setDefaultExecutor(pool);
    const before = pool.runs.parallel;
    // In the pool's memory, as the CLI and the worker hold a big file's rows.
    const shared = { ...X, data: new Float64Array(pool.alloc(X.data.byteLength)) };
    shared.data.set(X.data);
    const pooled = centroidIndices(shared, labels);
    setDefaultExecutor(serialExecutor);
    assert.ok(pool.runs.parallel > before, 'the passes ran across the threads');
    assert.deepEqual(pooled, serial);
    const want = plainIndices(X, labels, 6);
    assert.ok(Math.abs((serial.daviesBouldin as number) / want.daviesBouldin - 1) < 1e-12);
    assert.ok(Math.abs((serial.calinskiHarabasz as number) / want.calinskiHarabasz - 1) < 1e-12);
  });
});
