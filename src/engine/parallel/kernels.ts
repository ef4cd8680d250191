/**
 * Chunk kernels: the hot loops of the engine, written so that any thread can run
 * any chunk. Each kernel reads its inputs from `job` and writes only the slots of
 * chunk `c` (rows [c * chunkRows, (c + 1) * chunkRows) and the per-chunk partial
 * results), so chunks can run in any order on any number of threads and the caller,
 * reducing the partials in chunk order, always gets the same bits.
 *
 * Kernels trust their input (the public functions validated it) and must stay
 * SELF-CONTAINED: no imports, no module-level constants, no helper functions, no
 * closures. The Node pool ships them to its workers as source text
 * (`Function.prototype.toString`), so anything they reference from outside would be
 * missing there. test/unit/engine/parallel.test.ts runs them through the pool.
 */

/** Arrays and scalars of one kernel call; typed arrays may live on SharedArrayBuffer. */
export interface KernelJob {
  f64: Float64Array[];
  i32: Int32Array[];
  params: number[];
}

/** Lloyd modes (params[4]). */
export const LLOYD_ASSIGN_UPDATE = 0;
export const LLOYD_ASSIGN = 1;
export const LLOYD_INERTIA = 2;

/**
 * One Lloyd pass over chunk `chunk`, exact direct form `sum_t (x_t - c_t)^2` summed
 * over t in order (the same bits as matrix.ts sqDist), nearest centre with ties to
 * the lowest index.
 *
 * Job: f64 = [X (n*d), centers (k*d), sums (nChunks*k*d), weightSums (nChunks*k),
 * sampleWeight (n, or empty for all ones), stats (nChunks*2)], i32 = [labels (n)],
 * params = [n, d, k, chunkRows, mode].
 * - mode 0 (assign + update): labels <- nearest centre; sums/weightSums of the chunk
 *   <- weighted sum of its rows per cluster; stats = [inertia at assignment, labels changed].
 * - mode 1 (assign): the same without the sums.
 * - mode 2 (inertia): stats[2c] = weighted inertia of the current labels, labels untouched.
 *
 * Rows are taken four at a time so each centre coordinate loaded serves four rows
 * (about 2x faster than one row at a time in V8, same arithmetic per distance).
 * Complexity O(chunkRows * k * d).
 */
export function lloydChunk(job: KernelJob, chunk: number): void {
  const X = job.f64[0];
  const C = job.f64[1];
  const sums = job.f64[2];
  const weightSums = job.f64[3];
  const W = job.f64[4];
  const stats = job.f64[5];
  const labels = job.i32[0];
  const p = job.params;
  const n = p[0];
  const d = p[1];
  const k = p[2];
  const rows = p[3];
  const mode = p[4];
  const start = chunk * rows;
  const end = Math.min(n, start + rows);
  const weighted = W.length > 0;
  let inertia = 0;
  let changed = 0;

  if (mode === 2) {
    for (let i = start; i < end; i++) {
      const xi = i * d;
      const cj = labels[i] * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = X[xi + t] - C[cj + t];
        s += u * u;
      }
      inertia += weighted ? W[i] * s : s;
    }
    stats[2 * chunk] = inertia;
    stats[2 * chunk + 1] = 0;
    return;
  }

  const update = mode === 0;
  const so = chunk * k * d;
  const wo = chunk * k;
  if (update) {
    sums.fill(0, so, so + k * d);
    weightSums.fill(0, wo, wo + k);
  }
  const bestJ = new Int32Array(4);
  const bestD = new Float64Array(4);
  for (let i = start; i < end; i += 4) {
    const m = Math.min(4, end - i);
    if (m === 4) {
      const xa = i * d;
      const xb = xa + d;
      const xc = xb + d;
      const xd = xc + d;
      let ba = Infinity;
      let bb = Infinity;
      let bc = Infinity;
      let bd = Infinity;
      let ja = 0;
      let jb = 0;
      let jc = 0;
      let jd = 0;
      for (let j = 0; j < k; j++) {
        const cj = j * d;
        let sa = 0;
        let sb = 0;
        let sc = 0;
        let sd = 0;
        for (let t = 0; t < d; t++) {
          const c = C[cj + t];
          let u = X[xa + t] - c;
          sa += u * u;
          u = X[xb + t] - c;
          sb += u * u;
          u = X[xc + t] - c;
          sc += u * u;
          u = X[xd + t] - c;
          sd += u * u;
        }
        if (sa < ba) {
          ba = sa;
          ja = j;
        }
        if (sb < bb) {
          bb = sb;
          jb = j;
        }
        if (sc < bc) {
          bc = sc;
          jc = j;
        }
        if (sd < bd) {
          bd = sd;
          jd = j;
        }
      }
      bestJ[0] = ja;
      bestJ[1] = jb;
      bestJ[2] = jc;
      bestJ[3] = jd;
      bestD[0] = ba;
      bestD[1] = bb;
      bestD[2] = bc;
      bestD[3] = bd;
    } else {
      for (let r = 0; r < m; r++) {
        const xi = (i + r) * d;
        let best = Infinity;
        let bj = 0;
        for (let j = 0; j < k; j++) {
          const cj = j * d;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const u = X[xi + t] - C[cj + t];
            s += u * u;
          }
          if (s < best) {
            best = s;
            bj = j;
          }
        }
        bestJ[r] = bj;
        bestD[r] = best;
      }
    }
    for (let r = 0; r < m; r++) {
      const row = i + r;
      const j = bestJ[r];
      if (labels[row] !== j) {
        changed++;
        labels[row] = j;
      }
      if (weighted) {
        const w = W[row];
        inertia += w * bestD[r];
        if (update) {
          weightSums[wo + j] += w;
          const sj = so + j * d;
          const xi = row * d;
          for (let t = 0; t < d; t++) sums[sj + t] += w * X[xi + t];
        }
      } else {
        inertia += bestD[r];
        if (update) {
          weightSums[wo + j] += 1;
          const sj = so + j * d;
          const xi = row * d;
          for (let t = 0; t < d; t++) sums[sj + t] += X[xi + t];
        }
      }
    }
  }
  stats[2 * chunk] = inertia;
  stats[2 * chunk + 1] = changed;
}

/** Every kernel by name; the pool's workers get the same table as source text. */
export const KERNELS = {
  lloyd: lloydChunk,
} as const;

export type KernelName = keyof typeof KERNELS;
