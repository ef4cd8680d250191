import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/rng';
import { silhouetteSamples } from '../../../src/engine/metrics/internal';

/**
 * Independent silhouette: for every row, the distance sums to each cluster added over the
 * other rows in ascending row order (the order the engine documents), then scikit-learn's
 * s = (b - a) / max(a, b), 0 for a row alone in its cluster.
 */
function naiveSilhouette(data: Float64Array, n: number, d: number, labels: Int32Array, L: number): Float64Array {
  const counts = new Float64Array(L);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sums = new Float64Array(L);
    for (let m = 0; m < n; m++) {
      if (m === i) continue;
      // (row with the smaller index) - (row with the larger index), as the pair loop computes it.
      const [p, q] = m < i ? [m, i] : [i, m];
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[p * d + t] - data[q * d + t];
        s += diff * diff;
      }
      sums[labels[m]] += Math.sqrt(s);
    }
    const ci = labels[i];
    if (counts[ci] <= 1) continue;
    const a = sums[ci] / (counts[ci] - 1);
    let b = Infinity;
    for (let c = 0; c < L; c++) if (c !== ci) b = Math.min(b, sums[c] / counts[c]);
    out[i] = (b - a) / Math.max(a, b);
  }
  return out;
}

describe('silhouette, four-row Euclidean kernel', () => {
  it('gives the bits of the ascending-order sums, for n not a multiple of 4 and across 256-row blocks', () => {
    for (const [n, d, L] of [[7, 2, 2], [1003, 5, 3], [530, 1, 4]]) {
      const rng = new Rng(n);
      const data = new Float64Array(n * d);
      for (let i = 0; i < data.length; i++) data[i] = rng.random() * 10 - 5;
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) labels[i] = i < L ? i : rng.int(L);
      const got = silhouetteSamples({ data, nRows: n, nCols: d }, labels);
      assert.deepEqual(got, naiveSilhouette(data, n, d, labels, L));
    }
  });
});
