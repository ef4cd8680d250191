/**
 * Classical (Torgerson) multidimensional scaling: coordinates whose Euclidean distances
 * approximate a given distance matrix, from the top eigenvectors of the double-centred
 * squared distances B = -1/2 J D^2 J (Torgerson 1952; Gower 1966).
 *
 * The eigenproblem is solved without external code: Householder reduction to tridiagonal
 * form, all eigenvalues by the implicit QL method, and the few wanted eigenvectors by inverse
 * iteration on the tridiagonal matrix, mapped back through the Householder reflections
 * (Golub & Van Loan, Matrix Computations, 4th ed., 8.3 and 8.2.2).
 */
import { check, EngineError, throwIfCancelled, type RunControl } from './errors';
import type { Matrix } from './matrix';
import { Rng } from './rng';

/** What `classicalMds` returns. */
export interface MdsResult {
  /** n x dims coordinates, row i for item i. Each axis has its largest-magnitude entry positive. */
  coords: Matrix;
  /** Share of the positive eigenvalue mass the kept axes carry, in [0, 1] (1 when D is all zeros). */
  explained: number;
  /**
   * Stress-1: sqrt(sum (delta_ij - d_ij)^2 / sum delta_ij^2) over pairs i < j, with delta the
   * given distances and d those of the embedding (Kruskal's formula normalised by the given
   * distances, as scikit-learn's normalised stress). 0 for a perfect embedding.
   */
  stress: number;
  /**
   * The largest `dims` eigenvalues of B, descending; those within rounding noise of 0
   * (|lambda| <= n eps ||B||) are reported as 0. Negative ones mean D is not Euclidean.
   */
  eigenvalues: number[];
}

/**
 * Classical MDS of an n x n symmetric distance matrix into `dims` dimensions.
 *
 * Axes whose eigenvalue is not positive get zero coordinates. Time O(n^3) (the Householder
 * reduction, about (4/3) n^3 multiply-adds; ~1 s for n = 1000), memory O(n^2).
 *
 * @param dims output dimensions, integer in [1, n] (default 2; capped at n when n < dims).
 * @throws EngineError when D is not square, not finite, or not symmetric (within 1e-9
 *   relative); CancelledError when `control` says so.
 */
export function classicalMds(D: Matrix, dims = 2, control?: RunControl): MdsResult {
  const n = D.nRows;
  check(n >= 1, 'the distance matrix is empty: at least 1 row is needed');
  check(D.nCols === n, `the distance matrix is ${n} x ${D.nCols}: it should be square`);
  check(Number.isInteger(dims) && dims >= 1, `dims=${dims} should be an integer >= 1`);
  const dist = D.data;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const a = dist[i * n + j];
      const b = dist[j * n + i];
      if (!Number.isFinite(a)) check(false, `D[${i}][${j}]=${a} should be a finite number`);
      if (Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b))) {
        check(false, `D[${i}][${j}]=${a} and D[${j}][${i}]=${b} differ: the matrix should be symmetric`);
      }
    }
  }
  const p = Math.min(dims, n);

  // B = -1/2 J D^2 J, from row means of D^2 (D is symmetric, so column means are the same).
  const B = new Float64Array(n * n);
  const rowMean = new Float64Array(n);
  let grand = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += dist[i * n + j] * dist[i * n + j];
    rowMean[i] = s / n;
    grand += s;
  }
  grand /= n * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      B[i * n + j] = -0.5 * (dist[i * n + j] * dist[i * n + j] - rowMean[i] - rowMean[j] + grand);
    }
  }

  const { diag, off, betas } = tridiagonalize(B, n, control);
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(diag[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < n - 1 ? Math.abs(off[i]) : 0));
  const values = tridiagonalEigenvalues(diag, off, n);
  values.sort((a, b) => b - a);

  // Eigenvalues within rounding noise of 0 (n eps ||B||) count as 0: their square roots would
  // otherwise add axes of size sqrt(eps) times the data's spread.
  const noise = n * Number.EPSILON * norm;
  for (let c = 0; c < n; c++) if (Math.abs(values[c]) <= noise) values[c] = 0;
  const coords = new Float64Array(n * p);
  const eigenvalues = values.slice(0, p);
  if (norm > 0) {
    const vectors: Float64Array[] = [];
    const rng = new Rng(0);
    for (let c = 0; c < p; c++) {
      throwIfCancelled(control);
      const y = inverseIteration(diag, off, n, values[c], norm, vectors, rng);
      vectors.push(y);
      if (values[c] <= 0) continue;
      const x = Float64Array.from(y);
      applyReflections(B, n, betas, x);
      let big = 0;
      for (let i = 1; i < n; i++) if (Math.abs(x[i]) > Math.abs(x[big]) + 1e-12 * Math.abs(x[big])) big = i;
      const scale = (x[big] < 0 ? -1 : 1) * Math.sqrt(values[c]);
      for (let i = 0; i < n; i++) coords[i * p + c] = x[i] * scale;
    }
  }

  let positive = 0;
  for (const v of values) if (v > 0) positive += v;
  let kept = 0;
  for (const v of eigenvalues) if (v > 0) kept += v;
  const explained = positive > 0 ? Math.min(1, kept / positive) : 1;

  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) {
        const diff = coords[i * p + c] - coords[j * p + c];
        s += diff * diff;
      }
      const delta = dist[i * n + j];
      const r = delta - Math.sqrt(s);
      num += r * r;
      den += delta * delta;
    }
  }
  const stress = den > 0 ? Math.sqrt(num / den) : 0;
  return { coords: { data: coords, nRows: n, nCols: p }, explained, stress, eigenvalues: Array.from(eigenvalues) };
}

/**
 * Householder reduction of the symmetric n x n matrix A (overwritten) to tridiagonal form
 * T = Q^T A Q with Q = H_0 H_1 ... H_{n-3}. The vector of H_k is left in column k of A below
 * the diagonal (rows k+1..n-1), its factor in betas[k] (0 = identity). Kernel: trusts its input.
 */
function tridiagonalize(A: Float64Array, n: number, control: RunControl | undefined): { diag: Float64Array; off: Float64Array; betas: Float64Array } {
  const diag = new Float64Array(n);
  const off = new Float64Array(Math.max(0, n - 1));
  const betas = new Float64Array(Math.max(0, n - 2));
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  let lastReport = 0;
  for (let k = 0; k < n - 2; k++) {
    if ((k & 15) === 0) {
      throwIfCancelled(control);
      const now = Date.now();
      if (control?.onProgress && now - lastReport >= 100) {
        lastReport = now;
        control.onProgress(1 - ((n - k) / n) ** 3, 'MDS: eigen decomposition');
      }
    }
    const m0 = k + 1;
    let norm2 = 0;
    for (let i = m0; i < n; i++) norm2 += A[i * n + k] * A[i * n + k];
    diag[k] = A[k * n + k];
    const x0 = A[m0 * n + k];
    const norm = Math.sqrt(norm2);
    // Only x0 nonzero: already tridiagonal in this column.
    if (norm2 - x0 * x0 === 0) {
      off[k] = x0;
      betas[k] = 0;
      continue;
    }
    const alpha = x0 > 0 ? -norm : norm;
    for (let i = m0; i < n; i++) v[i] = A[i * n + k];
    v[m0] -= alpha;
    let vv = 0;
    for (let i = m0; i < n; i++) vv += v[i] * v[i];
    const beta = 2 / vv;
    off[k] = alpha;
    betas[k] = beta;
    // w = beta A22 v; then w -= (beta/2)(v.w) v; A22 -= v w^T + w v^T.
    let vw = 0;
    for (let i = m0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = m0; j < n; j++) s += A[row + j] * v[j];
      w[i] = beta * s;
      vw += v[i] * w[i];
    }
    const K = 0.5 * beta * vw;
    for (let i = m0; i < n; i++) w[i] -= K * v[i];
    for (let i = m0; i < n; i++) {
      const row = i * n;
      const vi = v[i];
      const wi = w[i];
      for (let j = m0; j < n; j++) A[row + j] -= vi * w[j] + wi * v[j];
    }
    for (let i = m0; i < n; i++) A[i * n + k] = v[i];
  }
  if (n >= 2) {
    diag[n - 2] = A[(n - 2) * n + (n - 2)];
    off[n - 2] = A[(n - 1) * n + (n - 2)];
  }
  diag[n - 1] = A[(n - 1) * n + (n - 1)];
  // The last column of A above was left as data (no reflection stored for k >= n - 2).
  return { diag, off, betas };
}

/** x <- Q x, Q = H_0 ... H_{n-3} as stored by `tridiagonalize` (kernel). */
function applyReflections(A: Float64Array, n: number, betas: Float64Array, x: Float64Array): void {
  for (let k = n - 3; k >= 0; k--) {
    const beta = betas[k];
    if (beta === 0) continue;
    let s = 0;
    for (let i = k + 1; i < n; i++) s += A[i * n + k] * x[i];
    s *= beta;
    for (let i = k + 1; i < n; i++) x[i] -= s * A[i * n + k];
  }
}

/**
 * All eigenvalues of the symmetric tridiagonal matrix (diag, off) by the implicit QL method
 * with Wilkinson shifts (the EISPACK tql1 scheme). Kernel; works on copies.
 */
function tridiagonalEigenvalues(diagIn: Float64Array, offIn: Float64Array, n: number): number[] {
  const d = Float64Array.from(diagIn);
  const e = new Float64Array(n);
  e.set(offIn);
  // Deflate also when an off-diagonal entry is at rounding level of the whole matrix: a
  // relative test alone never splits off the (near-)zero eigenvalues of a low-rank B, such as
  // the n - 2 zeros of distances between points of a plane. Changes eigenvalues by <= eps ||T||.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + Math.abs(e[i]));
  const floor = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd || Math.abs(e[m]) <= floor) break;
      }
      if (m === l) break;
      if (++iter > 60) throw new EngineError('MDS: the eigenvalue iteration did not converge');
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return Array.from(d);
}

/**
 * Eigenvector of the tridiagonal matrix for the eigenvalue `lambda` by inverse iteration:
 * LU with partial pivoting of T - lambda I (tiny pivots replaced by eps ||T||), repeated
 * solves from a random start, orthogonalised against the vectors already found (so equal
 * eigenvalues give orthogonal vectors). Returns a unit vector. Kernel.
 */
function inverseIteration(
  diag: Float64Array, off: Float64Array, n: number, lambda: number, norm: number, previous: Float64Array[], rng: Rng,
): Float64Array {
  const x = new Float64Array(n);
  if (n === 1) {
    x[0] = 1;
    return x;
  }
  // Factor T - lambda I = P L U (LAPACK dgttrf layout).
  const dl = Float64Array.from(off);
  const dd = new Float64Array(n);
  for (let i = 0; i < n; i++) dd[i] = diag[i] - lambda;
  const du = Float64Array.from(off);
  const du2 = new Float64Array(Math.max(0, n - 2));
  const swapped = new Uint8Array(n);
  for (let i = 0; i < n - 1; i++) {
    if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
      if (dd[i] !== 0) {
        const fact = dl[i] / dd[i];
        dl[i] = fact;
        dd[i + 1] -= fact * du[i];
      } else {
        dl[i] = 0;
      }
    } else {
      const fact = dd[i] / dl[i];
      dd[i] = dl[i];
      dl[i] = fact;
      const temp = du[i];
      du[i] = dd[i + 1];
      dd[i + 1] = temp - fact * dd[i + 1];
      if (i < n - 2) {
        du2[i] = du[i + 1];
        du[i + 1] = -fact * du[i + 1];
      }
      swapped[i] = 1;
    }
  }
  const tiny = Number.EPSILON * norm;
  for (let i = 0; i < n; i++) if (Math.abs(dd[i]) < tiny) dd[i] = dd[i] < 0 ? -tiny : tiny;

  for (let i = 0; i < n; i++) x[i] = rng.random() - 0.5;
  normalise(x);
  for (let iter = 0; iter < 6; iter++) {
    // Solve L y = P x, then U y = y (LAPACK dgtts2).
    for (let i = 0; i < n - 1; i++) {
      if (!swapped[i]) {
        x[i + 1] -= dl[i] * x[i];
      } else {
        const temp = x[i];
        x[i] = x[i + 1];
        x[i + 1] = temp - dl[i] * x[i];
      }
    }
    x[n - 1] /= dd[n - 1];
    x[n - 2] = (x[n - 2] - du[n - 2] * x[n - 1]) / dd[n - 2];
    for (let i = n - 3; i >= 0; i--) x[i] = (x[i] - du[i] * x[i + 1] - du2[i] * x[i + 2]) / dd[i];
    // Orthogonalise against earlier eigenvectors (twice, for stability).
    for (let pass = 0; pass < 2; pass++) {
      for (const q of previous) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i] * x[i];
        for (let i = 0; i < n; i++) x[i] -= dot * q[i];
      }
    }
    normalise(x);
  }
  return x;
}

function normalise(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < x.length; i++) x[i] *= inv;
}
