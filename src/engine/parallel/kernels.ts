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
  /**
   * Set by a pool on the thread that runs the job when f64[0] lives in a WebAssembly memory it
   * allocated: that memory, and this thread's scratch in it (byte offset and size), so a
   * WebAssembly kernel can read the rows where they are (makeLloydWasm).
   */
  memory?: WebAssembly.Memory;
  scratch?: number;
  scratchBytes?: number;
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
 * params = [n, d, k, chunkRows, mode, inertiaWanted (optional, default 1)].
 * - mode 0 (assign + update): labels <- nearest centre; sums/weightSums of the chunk
 *   <- weighted sum of its rows per cluster; stats = [inertia at assignment, labels changed].
 * - mode 1 (assign): the same without the sums.
 * - mode 2 (inertia): stats[2c] = weighted inertia of the current labels, labels untouched.
 * With inertiaWanted = 0 in modes 0 and 1, stats[2c] is NaN: a caller that does not read the
 * inertia spares the WebAssembly kernel the exact distance of every row the screen settles.
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
  let i = start;
  for (; i + 3 < end; i += 4) {
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
    if (labels[i] !== ja) {
      changed++;
      labels[i] = ja;
    }
    if (labels[i + 1] !== jb) {
      changed++;
      labels[i + 1] = jb;
    }
    if (labels[i + 2] !== jc) {
      changed++;
      labels[i + 2] = jc;
    }
    if (labels[i + 3] !== jd) {
      changed++;
      labels[i + 3] = jd;
    }
    if (!weighted) {
      inertia += ba;
      inertia += bb;
      inertia += bc;
      inertia += bd;
      if (update) {
        // Rows added in row order, as the plain loop does (the rows are still in cache).
        weightSums[wo + ja] += 1;
        let sj = so + ja * d;
        for (let t = 0; t < d; t++) sums[sj + t] += X[xa + t];
        weightSums[wo + jb] += 1;
        sj = so + jb * d;
        for (let t = 0; t < d; t++) sums[sj + t] += X[xb + t];
        weightSums[wo + jc] += 1;
        sj = so + jc * d;
        for (let t = 0; t < d; t++) sums[sj + t] += X[xc + t];
        weightSums[wo + jd] += 1;
        sj = so + jd * d;
        for (let t = 0; t < d; t++) sums[sj + t] += X[xd + t];
      }
    } else {
      const wa = W[i];
      const wb = W[i + 1];
      const wc = W[i + 2];
      const wd = W[i + 3];
      inertia += wa * ba;
      inertia += wb * bb;
      inertia += wc * bc;
      inertia += wd * bd;
      if (update) {
        weightSums[wo + ja] += wa;
        let sj = so + ja * d;
        for (let t = 0; t < d; t++) sums[sj + t] += wa * X[xa + t];
        weightSums[wo + jb] += wb;
        sj = so + jb * d;
        for (let t = 0; t < d; t++) sums[sj + t] += wb * X[xb + t];
        weightSums[wo + jc] += wc;
        sj = so + jc * d;
        for (let t = 0; t < d; t++) sums[sj + t] += wc * X[xc + t];
        weightSums[wo + jd] += wd;
        sj = so + jd * d;
        for (let t = 0; t < d; t++) sums[sj + t] += wd * X[xd + t];
      }
    }
  }
  // The last rows of the chunk, one at a time.
  for (; i < end; i++) {
    const xi = i * d;
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
    if (labels[i] !== bj) {
      changed++;
      labels[i] = bj;
    }
    const w = weighted ? W[i] : 1;
    inertia += weighted ? w * best : best;
    if (update) {
      weightSums[wo + bj] += w;
      const sj = so + bj * d;
      if (weighted) for (let t = 0; t < d; t++) sums[sj + t] += w * X[xi + t];
      else for (let t = 0; t < d; t++) sums[sj + t] += X[xi + t];
    }
  }
  stats[2 * chunk] = p.length > 5 && p[5] === 0 ? NaN : inertia;
  stats[2 * chunk + 1] = changed;
}

/**
 * lloydChunk (modes 0 and 1) with the nearest centre found by the expanded form
 * `||c||^2 - 2 x.c` (two flops per coordinate instead of three, four rows by two centres
 * per pass), kept exact: a row's label is taken from the expanded form only when its
 * best centre beats the second best by more than `2e-15 * (d + 2) * (||x||^2 + max ||c||^2)`,
 * which bounds the rounding of both forms (Higham, "Accuracy and Stability of Numerical
 * Algorithms", 2002, ch. 3: dot products err by at most d * 2^-53 * sum |x_t c_t|).
 * Any closer call is settled by lloydChunk's direct form over every centre, ties to the
 * lowest index. So labels, sums and the change count are lloydChunk's bits; the inertia
 * stat is NaN (use mode 2). Pays when the data are roughly centred (the margin grows with
 * ||x||^2), so the caller enables it only then.
 *
 * Job: as lloydChunk plus f64[6] = rowNorms (n, ||x||^2), f64[7] = centreNorms (k, ||c||^2);
 * params = [n, d, k, chunkRows, mode (0 or 1), max ||c||^2].
 */
export function lloydScreenChunk(job: KernelJob, chunk: number): void {
  const X = job.f64[0];
  const C = job.f64[1];
  const sums = job.f64[2];
  const weightSums = job.f64[3];
  const W = job.f64[4];
  const stats = job.f64[5];
  const xx = job.f64[6];
  const cc = job.f64[7];
  const labels = job.i32[0];
  const p = job.params;
  const n = p[0];
  const d = p[1];
  const k = p[2];
  const rows = p[3];
  const update = p[4] === 0;
  const ccMax = p[5];
  const start = chunk * rows;
  const end = Math.min(n, start + rows);
  const weighted = W.length > 0;
  const rel = 2e-15 * (d + 2);
  const so = chunk * k * d;
  const wo = chunk * k;
  if (update) {
    sums.fill(0, so, so + k * d);
    weightSums.fill(0, wo, wo + k);
  }
  const bestJ = new Int32Array(4);
  const bestV = new Float64Array(4);
  const secondV = new Float64Array(4);
  let changed = 0;
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
      let ta = Infinity;
      let tb = Infinity;
      let tc = Infinity;
      let td = Infinity;
      let ja = 0;
      let jb = 0;
      let jc = 0;
      let jd = 0;
      for (let j = 0; j < k; j += 2) {
        const two = j + 1 < k;
        const c0 = j * d;
        const c1 = two ? c0 + d : c0;
        let a0 = 0;
        let a1 = 0;
        let b0 = 0;
        let b1 = 0;
        let e0 = 0;
        let e1 = 0;
        let f0 = 0;
        let f1 = 0;
        for (let t = 0; t < d; t++) {
          const g = C[c0 + t];
          const h = C[c1 + t];
          const x0 = X[xa + t];
          const x1 = X[xb + t];
          const x2 = X[xc + t];
          const x3 = X[xd + t];
          a0 += x0 * g;
          a1 += x0 * h;
          b0 += x1 * g;
          b1 += x1 * h;
          e0 += x2 * g;
          e1 += x2 * h;
          f0 += x3 * g;
          f1 += x3 * h;
        }
        const g0 = cc[j];
        let v = g0 - 2 * a0;
        if (v < ba) {
          ta = ba;
          ba = v;
          ja = j;
        } else if (v < ta) ta = v;
        v = g0 - 2 * b0;
        if (v < bb) {
          tb = bb;
          bb = v;
          jb = j;
        } else if (v < tb) tb = v;
        v = g0 - 2 * e0;
        if (v < bc) {
          tc = bc;
          bc = v;
          jc = j;
        } else if (v < tc) tc = v;
        v = g0 - 2 * f0;
        if (v < bd) {
          td = bd;
          bd = v;
          jd = j;
        } else if (v < td) td = v;
        if (two) {
          const g1 = cc[j + 1];
          v = g1 - 2 * a1;
          if (v < ba) {
            ta = ba;
            ba = v;
            ja = j + 1;
          } else if (v < ta) ta = v;
          v = g1 - 2 * b1;
          if (v < bb) {
            tb = bb;
            bb = v;
            jb = j + 1;
          } else if (v < tb) tb = v;
          v = g1 - 2 * e1;
          if (v < bc) {
            tc = bc;
            bc = v;
            jc = j + 1;
          } else if (v < tc) tc = v;
          v = g1 - 2 * f1;
          if (v < bd) {
            td = bd;
            bd = v;
            jd = j + 1;
          } else if (v < td) td = v;
        }
      }
      bestJ[0] = ja;
      bestJ[1] = jb;
      bestJ[2] = jc;
      bestJ[3] = jd;
      bestV[0] = ba;
      bestV[1] = bb;
      bestV[2] = bc;
      bestV[3] = bd;
      secondV[0] = ta;
      secondV[1] = tb;
      secondV[2] = tc;
      secondV[3] = td;
    } else {
      for (let r = 0; r < m; r++) {
        bestJ[r] = 0;
        bestV[r] = 0;
        secondV[r] = 0; // forces the direct form below
      }
    }
    for (let r = 0; r < m; r++) {
      const row = i + r;
      let j = bestJ[r];
      if (!(secondV[r] - bestV[r] > rel * (xx[row] + ccMax))) {
        // Too close to call in the expanded form: the direct form over every centre.
        const xi = row * d;
        let best = Infinity;
        for (let q = 0; q < k; q++) {
          const cq = q * d;
          let s = 0;
          for (let t = 0; t < d; t++) {
            const u = X[xi + t] - C[cq + t];
            s += u * u;
          }
          if (s < best) {
            best = s;
            j = q;
          }
        }
      }
      if (labels[row] !== j) {
        changed++;
        labels[row] = j;
      }
      if (update) {
        const sj = so + j * d;
        const xi = row * d;
        if (weighted) {
          const w = W[row];
          weightSums[wo + j] += w;
          for (let t = 0; t < d; t++) sums[sj + t] += w * X[xi + t];
        } else {
          weightSums[wo + j] += 1;
          for (let t = 0; t < d; t++) sums[sj + t] += X[xi + t];
        }
      }
    }
  }
  stats[2 * chunk] = NaN;
  stats[2 * chunk + 1] = changed;
}

/**
 * One bounded assignment pass over chunk `chunk` (Hamerly, "Making k-means even faster",
 * SDM 2010): per row an upper bound on the distance to its own centre and one lower
 * bound on the distance to every other centre. A row is skipped when
 * `upper * (1 + 1e-9) < max(lower, halfSep[own])`; otherwise its own distance is
 * recomputed and, if the test still fails, every distance. The margin 1e-9 is far
 * above the rounding of the distances (about d * 2^-53 relative), so a skipped row's
 * own centre is strictly nearer than any other by more than rounding: the labels are
 * exactly those of lloydChunk (same direct-form distances, ties to the lowest index),
 * and the sums are accumulated over the same rows in the same order, so they are the
 * same bits too.
 *
 * Job: as lloydChunk (mode 0) plus f64[6] = upper (n), f64[7] = lower (n),
 * f64[8] = halfSep (k: half the distance from each centre to its nearest other centre,
 * rounded down), f64[9] = delta (k: how far each centre moved since the bounds were
 * last valid, rounded up); params = [n, d, k, chunkRows, first (1 = compute every
 * distance), maxDelta, index of maxDelta, second largest delta].
 * stats = [NaN (inertia is not known for skipped rows), labels changed].
 * Complexity: O(chunkRows * d) for skipped rows, O(chunkRows * k * d) at worst.
 */
export function hamerlyChunk(job: KernelJob, chunk: number): void {
  const X = job.f64[0];
  const C = job.f64[1];
  const sums = job.f64[2];
  const weightSums = job.f64[3];
  const W = job.f64[4];
  const stats = job.f64[5];
  const upper = job.f64[6];
  const lower = job.f64[7];
  const halfSep = job.f64[8];
  const delta = job.f64[9];
  const labels = job.i32[0];
  const p = job.params;
  const n = p[0];
  const d = p[1];
  const k = p[2];
  const rows = p[3];
  const first = p[4] !== 0;
  const maxDelta = p[5];
  const maxIndex = p[6];
  const secondDelta = p[7];
  const start = chunk * rows;
  const end = Math.min(n, start + rows);
  const weighted = W.length > 0;
  const up = 1 + 1e-9;
  const down = 1 - 1e-9;

  // Pass 1: decide per row; rows whose bounds do not settle it go to `scan`.
  const scan = new Int32Array(end - start);
  const previous = new Int32Array(end - start);
  let nScan = 0;
  for (let i = start; i < end; i++) {
    previous[i - start] = labels[i];
    if (first) {
      scan[nScan++] = i;
      continue;
    }
    const a = labels[i];
    let u = (upper[i] + delta[a]) * up;
    let l = (lower[i] - (a === maxIndex ? secondDelta : maxDelta)) * down;
    if (l < 0) l = 0;
    const m = halfSep[a] > l ? halfSep[a] : l;
    if (u * up < m) {
      upper[i] = u;
      lower[i] = l;
      continue;
    }
    const xi = i * d;
    const ca = a * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = X[xi + t] - C[ca + t];
      s += v * v;
    }
    u = Math.sqrt(s) * up;
    if (u * up < m) {
      upper[i] = u;
      lower[i] = l;
      continue;
    }
    scan[nScan++] = i;
  }

  // Pass 2: every distance for the rows in `scan`: nearest (ties to the lowest index)
  // and second nearest.
  for (let q = 0; q < nScan; q++) {
    const i = scan[q];
    const xi = i * d;
    let best = Infinity;
    let second = Infinity;
    let bj = 0;
    for (let j = 0; j < k; j++) {
      const cj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = X[xi + t] - C[cj + t];
        s += v * v;
      }
      if (s < best) {
        second = best;
        best = s;
        bj = j;
      } else if (s < second) {
        second = s;
      }
    }
    labels[i] = bj;
    upper[i] = Math.sqrt(best) * up;
    lower[i] = second === Infinity ? Infinity : Math.sqrt(second) * down;
  }

  // Pass 3: the chunk's sums in row order, exactly as lloydChunk accumulates them.
  const so = chunk * k * d;
  const wo = chunk * k;
  sums.fill(0, so, so + k * d);
  weightSums.fill(0, wo, wo + k);
  let changed = 0;
  for (let i = start; i < end; i++) {
    const j = labels[i];
    if (previous[i - start] !== j) changed++;
    const sj = so + j * d;
    const xi = i * d;
    if (weighted) {
      const w = W[i];
      weightSums[wo + j] += w;
      for (let t = 0; t < d; t++) sums[sj + t] += w * X[xi + t];
    } else {
      weightSums[wo + j] += 1;
      for (let t = 0; t < d; t++) sums[sj + t] += X[xi + t];
    }
  }
  stats[2 * chunk] = NaN;
  stats[2 * chunk + 1] = changed;
}

/**
 * One Elkan assignment pass over chunk `chunk` (C. Elkan, "Using the triangle inequality
 * to accelerate k-means", ICML 2003, organised as scikit-learn's _k_means_elkan.pyx):
 * per row an upper bound on the distance to its own centre and a lower bound per
 * centre. The bounds are first moved by how far each centre moved (`move`), then a
 * centre is skipped only when the bounds prove it farther than the current one by more
 * than `slack`; every decision between candidates compares squared distances computed
 * exactly as lloydChunk computes them, ties to the lowest index. So the labels are
 * Lloyd's, and the sums (added over the chunk's rows in row order afterwards) are
 * lloydChunk's bits.
 *
 * Job: as lloydChunk plus f64[6] = upper (n), f64[7] = lower (n*k), f64[8] = half
 * (k*k, half the centre-to-centre distances), f64[9] = nextHalf (k, min over other
 * centres of half), f64[10] = move (k); params = [n, d, k, chunkRows, first (1 =
 * every distance, tight bounds), slack]. stats = [NaN, labels changed].
 * Complexity O(chunkRows * k) for the bounds plus the distances not pruned.
 */
export function elkanChunk(job: KernelJob, chunk: number): void {
  const X = job.f64[0];
  const C = job.f64[1];
  const sums = job.f64[2];
  const weightSums = job.f64[3];
  const W = job.f64[4];
  const stats = job.f64[5];
  const upper = job.f64[6];
  const lower = job.f64[7];
  const half = job.f64[8];
  const nextHalf = job.f64[9];
  const move = job.f64[10];
  const labels = job.i32[0];
  const p = job.params;
  const n = p[0];
  const d = p[1];
  const k = p[2];
  const rows = p[3];
  const first = p[4] !== 0;
  const slack = p[5];
  const start = chunk * rows;
  const end = Math.min(n, start + rows);
  const weighted = W.length > 0;
  let changed = 0;
  for (let i = start; i < end; i++) {
    const xo = i * d;
    const lo = i * k;
    const old = labels[i];
    if (first) {
      let best = 0;
      let bestSq = Infinity;
      for (let j = 0; j < k; j++) {
        const co = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = X[xo + t] - C[co + t];
          s += diff * diff;
        }
        lower[lo + j] = Math.sqrt(s);
        if (s < bestSq) {
          bestSq = s;
          best = j;
        }
      }
      labels[i] = best;
      upper[i] = Math.sqrt(bestSq);
      if (best !== old) changed++;
      continue;
    }
    // The centres moved since the bounds were made: loosen them.
    let u = upper[i] + move[old];
    for (let j = 0; j < k; j++) {
      const v = lower[lo + j] - move[j];
      lower[lo + j] = v > 0 ? v : 0;
    }
    let label = old;
    if (nextHalf[label] > u + slack) {
      upper[i] = u;
      continue;
    }
    let tight = false;
    let bestSq = 0;
    for (let j = 0; j < k; j++) {
      if (j === label) continue;
      if (lower[lo + j] > u + slack || half[label * k + j] > u + slack) continue;
      if (!tight) {
        const co = label * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = X[xo + t] - C[co + t];
          s += diff * diff;
        }
        bestSq = s;
        u = Math.sqrt(s);
        lower[lo + label] = u;
        tight = true;
        if (lower[lo + j] > u + slack || half[label * k + j] > u + slack) continue;
      }
      const co = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = X[xo + t] - C[co + t];
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      lower[lo + j] = dist;
      if (s < bestSq || (s === bestSq && j < label)) {
        label = j;
        bestSq = s;
        u = dist;
      }
    }
    labels[i] = label;
    upper[i] = u;
    if (label !== old) changed++;
  }

  // The chunk's sums in row order, exactly as lloydChunk adds them.
  const so = chunk * k * d;
  const wo = chunk * k;
  sums.fill(0, so, so + k * d);
  weightSums.fill(0, wo, wo + k);
  for (let i = start; i < end; i++) {
    const j = labels[i];
    const sj = so + j * d;
    const xi = i * d;
    if (weighted) {
      const w = W[i];
      weightSums[wo + j] += w;
      for (let t = 0; t < d; t++) sums[sj + t] += w * X[xi + t];
    } else {
      weightSums[wo + j] += 1;
      for (let t = 0; t < d; t++) sums[sj + t] += X[xi + t];
    }
  }
  stats[2 * chunk] = NaN;
  stats[2 * chunk + 1] = changed;
}

/**
 * The Euclidean pair sums of the exact silhouette for the block of rows [start, end):
 * for every pair (i, j) with i in the block and i < j < n, adds |x_i - x_j| to
 * `out[i * nLabels + codes[j]]` and to `out[j * nLabels + codes[i]]`. Run over the blocks
 * in order, this leaves in `out[i * nLabels + c]` the sum of the distances from row i to
 * the other rows of cluster c, each pair computed once.
 *
 * Every accumulator receives its terms in ascending partner order and every distance is
 * `sqrt(sum over t in order of (x_i[t] - x_j[t])^2)`, so any loop shape that keeps that
 * order gives the same bits (the WebAssembly twin, makeSilhouetteWasm, relies on it). Here
 * rows go four at a time (each row j loaded once serves four distances, about twice as
 * fast as one at a time): first the pairs inside the four rows, row by row, then each later
 * row j in ascending order, adding to the four rows and to row j in the order a..a+3.
 *
 * Job: f64 = [X (n*d), out (n*nLabels)], i32 = [codes (n, in [0, nLabels))],
 * params = [n, d, nLabels, start, end, owners]. With owners = 0 (or absent): ONE chunk only
 * (run it with nChunks = 1), the block [start, end): it adds to the sums of every row after
 * `start`, so two chunks at once would race. Complexity O((end - start) * n * d).
 *
 * With owners = P > 0 the whole sums are made in one run of P chunks, in parallel: chunk c
 * owns the rows [floor(c n / P), floor((c + 1) n / P)) and writes only their sums: first
 * the distances to every earlier row (added to its rows only), then the pairs among its own
 * rows (each computed once, added to both, the block scheme above with its rows as the only
 * partners), then the distances to every later row (its rows only). Each accumulator still
 * receives its terms in ascending partner order, so the bits are those of the blocks run
 * one after another, whatever P. A pair of rows of two owners is computed by both: with
 * P = 2 each thread computes 3/8 of the n^2 distances, against 1/2 on one thread.
 * start and end are ignored. Complexity O((n / P) * n * d) per chunk.
 */
export function silhouetteSumsChunk(job: KernelJob, chunk: number): void {
  const X = job.f64[0];
  const out = job.f64[1];
  const codes = job.i32[0];
  const p = job.params;
  const n = p[0];
  const d = p[1];
  const L = p[2];
  const owners = p.length > 5 ? p[5] : 0;
  const start = owners > 0 ? Math.floor((chunk * n) / owners) : p[3];
  const end = owners > 0 ? Math.floor(((chunk + 1) * n) / owners) : p[4];
  // Partners of the block scheme: every later row, or the owner's own rows.
  const limit = owners > 0 ? end : n;
  if (owners > 0) {
    for (let i = start; i < end; i++) {
      const xi = i * d;
      const oi = i * L;
      for (let j = 0; j < start; j++) {
        const xj = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const u = X[xi + t] - X[xj + t];
          s += u * u;
        }
        out[oi + codes[j]] += Math.sqrt(s);
      }
    }
  }
  let a = start;
  for (; a + 3 < end; a += 4) {
    for (let i = a; i < a + 3; i++) {
      const ci = codes[i];
      const xi = i * d;
      for (let j = i + 1; j < a + 4; j++) {
        const xj = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const u = X[xi + t] - X[xj + t];
          s += u * u;
        }
        const dist = Math.sqrt(s);
        out[i * L + codes[j]] += dist;
        out[j * L + ci] += dist;
      }
    }
    const xa = a * d;
    const xb = xa + d;
    const xc = xb + d;
    const xe = xc + d;
    const oa = a * L;
    const ob = oa + L;
    const oc = ob + L;
    const oe = oc + L;
    const ca = codes[a];
    const cb = codes[a + 1];
    const cc = codes[a + 2];
    const ce = codes[a + 3];
    for (let j = a + 4; j < limit; j++) {
      const xj = j * d;
      let sa = 0;
      let sb = 0;
      let sc = 0;
      let se = 0;
      for (let t = 0; t < d; t++) {
        const v = X[xj + t];
        let u = X[xa + t] - v;
        sa += u * u;
        u = X[xb + t] - v;
        sb += u * u;
        u = X[xc + t] - v;
        sc += u * u;
        u = X[xe + t] - v;
        se += u * u;
      }
      const da = Math.sqrt(sa);
      const db = Math.sqrt(sb);
      const dc = Math.sqrt(sc);
      const de = Math.sqrt(se);
      const cj = codes[j];
      out[oa + cj] += da;
      out[ob + cj] += db;
      out[oc + cj] += dc;
      out[oe + cj] += de;
      const oj = j * L;
      out[oj + ca] += da;
      out[oj + cb] += db;
      out[oj + cc] += dc;
      out[oj + ce] += de;
    }
  }
  // The rows after the last group of four, one at a time.
  for (let i = a; i < end; i++) {
    const ci = codes[i];
    const xi = i * d;
    const oi = i * L;
    for (let j = i + 1; j < limit; j++) {
      const xj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = X[xi + t] - X[xj + t];
        s += u * u;
      }
      const dist = Math.sqrt(s);
      out[oi + codes[j]] += dist;
      out[j * L + ci] += dist;
    }
  }
  if (owners > 0) {
    for (let i = start; i < end; i++) {
      const xi = i * d;
      const oi = i * L;
      for (let j = end; j < n; j++) {
        const xj = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const u = X[xi + t] - X[xj + t];
          s += u * u;
        }
        out[oi + codes[j]] += Math.sqrt(s);
      }
    }
  }
}

/** k-means++ modes (params[4]). */
export const SEED_NEAREST = 0;
export const SEED_TRIALS = 1;

/**
 * The distance work of greedy k-means++ (init.ts, kmeansPlusPlusFrom) over chunk `chunk`:
 * every distance is the direct form summed over t in order, as the serial loop computes it.
 *
 * Job: f64 = [X (n*d), centres (m*d), closest (n), sampleWeight (n, or empty for all
 * ones), pots (nChunks*m)], params = [n, d, m, chunkRows, mode].
 * - mode 0 (nearest): closest[i] <- min(closest[i], squared distance from row i to each of
 *   the m centres), the closest distance once centres are chosen (start from Infinity).
 * - mode 1 (trials): the m centres are candidates; pots[chunk*m + t] <- the chunk's
 *   (weighted) sum over its rows, in row order, of min(squared distance from row i to
 *   candidate t, closest[i]). closest is not written: the caller then runs mode 0 with the
 *   chosen candidate, which gives the same minima.
 *
 * Rows are taken four at a time so each candidate coordinate loaded serves four rows.
 * Complexity O(chunkRows * m * d).
 */
export function seedChunk(job: KernelJob, chunk: number): void {
  const X = job.f64[0];
  const C = job.f64[1];
  const closest = job.f64[2];
  const W = job.f64[3];
  const pots = job.f64[4];
  const p = job.params;
  const n = p[0];
  const d = p[1];
  const m = p[2];
  const rows = p[3];
  const mode = p[4];
  const start = chunk * rows;
  const end = Math.min(n, start + rows);
  const weighted = W.length > 0;

  if (mode === 0) {
    for (let i = start; i < end; i++) {
      const xi = i * d;
      let best = closest[i];
      for (let j = 0; j < m; j++) {
        const cj = j * d;
        let s = 0;
        for (let t = 0; t < d; t++) {
          const u = X[xi + t] - C[cj + t];
          s += u * u;
        }
        if (s < best) best = s;
      }
      closest[i] = best;
    }
    return;
  }

  const pot = new Float64Array(m);
  let i = start;
  for (; i + 3 < end; i += 4) {
    const xa = i * d;
    const xb = xa + d;
    const xc = xb + d;
    const xd = xc + d;
    const ca = closest[i];
    const cb = closest[i + 1];
    const cc = closest[i + 2];
    const cd = closest[i + 3];
    for (let j = 0; j < m; j++) {
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
      const ma = sa < ca ? sa : ca;
      const mb = sb < cb ? sb : cb;
      const mc = sc < cc ? sc : cc;
      const md = sd < cd ? sd : cd;
      let q = pot[j];
      if (weighted) {
        q += ma * W[i];
        q += mb * W[i + 1];
        q += mc * W[i + 2];
        q += md * W[i + 3];
      } else {
        q += ma;
        q += mb;
        q += mc;
        q += md;
      }
      pot[j] = q;
    }
  }
  // The last rows of the chunk, one at a time.
  for (; i < end; i++) {
    const xi = i * d;
    const ci = closest[i];
    for (let j = 0; j < m; j++) {
      const cj = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = X[xi + t] - C[cj + t];
        s += u * u;
      }
      const v = s < ci ? s : ci;
      pot[j] += weighted ? v * W[i] : v;
    }
  }
  for (let j = 0; j < m; j++) pots[chunk * m + j] = pot[j];
}

/** A chunk kernel: runs chunk `chunk` of `job`. */
export type ChunkKernel = (job: KernelJob, chunk: number) => void;

/**
 * lloydChunk on WebAssembly SIMD: builds, from the bytes of the module compiled from
 * src/wasm/lloyd.ts, a kernel with lloydChunk's job layout and lloydChunk's bits (labels,
 * sums, weight sums, inertia, change count; see the source's comments for why they are the
 * same), several times faster. Mode 2 (inertia of given labels, once per fit) goes to
 * `fallback`. Returns null where WebAssembly or its SIMD is missing (the module does not
 * validate), so callers keep `fallback`.
 *
 * Two assignment functions of the module give those bits: `assign` (every distance in the
 * direct form) and `assignScreen` (a single-precision expanded-form screen, certified, then the
 * direct form for the candidates it leaves: one per row unless near a tie). `screen` chooses:
 * 'auto' takes the screen where it was measured to pay (k >= 8 and d >= 5, k >= 12 and d >= 2,
 * or k >= 24; d <= 4096) and, within a chunk, goes back to `assign` after a block where more than
 * one row in 16 was left unsettled (data far from their centres' mean relative to their spread
 * in a way the bound cannot resolve, or many exact ties), since those rows cost more than the
 * direct form; 'always' and 'never' force one function (for tests). `tally`, when given, receives
 * per call the rows the screen took and those it left unsettled (for tests and measurements).
 *
 * The module has its own memory, private to the thread that built it: each call copies the
 * centres in and then the chunk's rows (and weights and labels) in blocks of about 64 KiB,
 * the same bytes in the same order, and copies labels, sums and stats out. Self-contained,
 * like the kernels: the pool ships it to its workers as source text, and each worker builds
 * its instance once. Complexity per call O(rows * k * d), plus O(k * d) to prepare the screen.
 */
export function makeLloydWasm(
  bytes: Uint8Array, fallback: ChunkKernel, screen: 'auto' | 'always' | 'never' = 'auto',
  tally?: { screened: number; unsettled: number }, sharedBytes?: Uint8Array,
): ChunkKernel | null {
  let exports: Record<string, unknown>;
  try {
    // (Never shared memory; the cast satisfies the DOM library's types, which the webview's project uses.)
    const source = bytes as Uint8Array<ArrayBuffer>;
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(source)) return null;
    exports = new WebAssembly.Instance(new WebAssembly.Module(source), {}).exports;
  } catch {
    return null;
  }
  // The build that imports a shared memory: for rows that live in the job's memory, read in
  // place instead of copied block by block (the copy was about a quarter of a pass at d = 10).
  let inPlaceModule: WebAssembly.Module | null = null;
  try {
    const shared = sharedBytes as Uint8Array<ArrayBuffer> | undefined;
    if (shared !== undefined && WebAssembly.validate(shared)) inPlaceModule = new WebAssembly.Module(shared);
  } catch {
    inPlaceModule = null;
  }
  // One instance per job over the job's memory, dropped with the job (so is the memory).
  const inPlace = new WeakMap<KernelJob, Record<string, unknown>>();
  const memory = exports.memory as WebAssembly.Memory;
  const base = (exports.base as () => number)();
  const assign = exports.assign as (
    x: number, m: number, d: number, k: number, c: number, weighted: number, w: number, labels: number,
    sums: number, wsums: number, panel: number, update: number, inertia: number, out: number,
  ) => number;
  const assignScreen = exports.assignScreen as (
    x: number, m: number, d: number, k: number, c: number, mu: number, g4: number, a4: number, kfac: number, big: number,
    weighted: number, w: number, labels: number, sums: number, wsums: number, panel: number, update: number,
    exact: number, inertia: number, out: number,
  ) => number;
  // An anonymous function and no inner arrow functions: a transpiler that keeps names would
  // wrap named ones in a helper call the workers do not have.
  return function (job: KernelJob, chunk: number): void {
    const p = job.params;
    const mode = p[4];
    if (mode !== 0 && mode !== 1) {
      fallback(job, chunk);
      return;
    }
    const X = job.f64[0];
    const C = job.f64[1];
    const sums = job.f64[2];
    const weightSums = job.f64[3];
    const W = job.f64[4];
    const stats = job.f64[5];
    const labels = job.i32[0];
    const n = p[0];
    const d = p[1];
    const k = p[2];
    const start = chunk * p[3];
    const end = Math.min(n, start + p[3]);
    const update = mode === 0;
    const weighted = W.length > 0;
    // The inertia at assignment only when the caller reads it (lloydChunk's inertiaWanted).
    const exact = !(p.length > 5 && p[5] === 0);
    const auto = screen === 'auto';
    // Rows per call: about 128 KiB of X, a multiple of 8 (the kernel's group of rows); at
    // 1M x 10, k = 8 a fit took 2-3% less time than with 64 KiB (fewer calls and copies).
    const block = Math.max(8, Math.floor(16384 / d / 8) * 8);
    // The layout, in bytes from a 16-byte aligned start, each offset a multiple of 16:
    // centres, sums, weight sums, the screen's mu (d f64), g4 (k4 * d f32) and a4 (k4 f32), the
    // kernel's scratch, the two counts, then the block's rows (unless read in place), weights
    // and labels.
    const kd = k * d + (k * d) % 2;
    const k4 = Math.ceil(k / 4) * 4;
    const sOff = kd * 8;
    const wsOff = sOff + kd * 8;
    const muOff = wsOff + (k + (k % 2)) * 8;
    const gOff = muOff + (d + (d % 2)) * 8;
    const aOff = gOff + k4 * d * 4;
    const panelOff = aOff + k4 * 4;
    const outOff = panelOff + (12 * d + 40) * 8;
    const xOff = outOff + 16;
    // Rows in place need this thread's scratch in the job's memory to hold the rest.
    const rowsInPlace = inPlaceModule !== null && job.memory !== undefined && job.scratch !== undefined
      && 16 + xOff + block * 12 <= (job.scratchBytes ?? 0) && X.buffer.byteLength === job.memory.buffer.byteLength;
    let mem = memory;
    let run = assign;
    let runScreen = assignScreen;
    if (rowsInPlace) {
      mem = job.memory as WebAssembly.Memory;
      let e = inPlace.get(job);
      if (e === undefined) {
        e = new WebAssembly.Instance(inPlaceModule as WebAssembly.Module, { env: { memory: mem } }).exports;
        inPlace.set(job, e);
      }
      run = e.assign as typeof assign;
      runScreen = e.assignScreen as typeof assignScreen;
    }
    // Measured (one thread, 1M rows; src/wasm/lloyd.ts): below these shapes the screen's fixed
    // cost per row (the singles, ||x - mu||^2, the nearest centre's direct distance) is more
    // than the distances it saves. (d < 2^20 and k < 2^24 are the bound's and the index's limits.)
    let screened = screen === 'always' ||
      (auto && d <= 4096 && k <= 65536 && (d >= 5 ? k >= 8 : d >= 2 ? k >= 12 : k >= 24));
    const cAt = Math.ceil((rowsInPlace ? (job.scratch as number) : base) / 16) * 16;
    const sAt = cAt + sOff;
    const wsAt = cAt + wsOff;
    const muAt = cAt + muOff;
    const gAt = cAt + gOff;
    const aAt = cAt + aOff;
    const panelAt = cAt + panelOff;
    const outAt = cAt + outOff;
    const xAt = cAt + xOff;
    const wAt = xAt + (rowsInPlace ? 0 : block * d * 8);
    const lAt = wAt + block * 8;
    const need = lAt + block * 4;
    const have = mem.buffer.byteLength;
    if (have < need) mem.grow(Math.ceil((need - have) / 65536));
    const heap = mem.buffer;
    const f64 = new Float64Array(heap);
    const i32 = new Int32Array(heap);
    f64.set(C.subarray(0, k * d), cAt / 8);
    let big = 0;
    const kfac = 5 * (d + 3) * 5.960464477539063e-8; // 5 (d + 3) 2^-24, see src/wasm/lloyd.ts
    if (screened) {
      // The screen's centres: mu = their mean; z = c - mu in doubles, a = f32(||z||^2 summed in
      // order), g = -2 f32(z) in quads of four centres (padding: g = 0, a = +Infinity); big =
      // max ||z||^2 (NaN if any is).
      const f32 = new Float32Array(heap);
      const mu = muAt / 8;
      for (let t = 0; t < d; t++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += C[j * d + t];
        f64[mu + t] = s / k;
      }
      for (let j = 0; j < k4; j++) {
        const quad = gAt / 4 + (j >> 2) * 4 * d + (j & 3);
        if (j >= k) {
          for (let t = 0; t < d; t++) f32[quad + 4 * t] = 0;
          f32[aAt / 4 + j] = Infinity;
          continue;
        }
        let s = 0;
        for (let t = 0; t < d; t++) {
          const z = C[j * d + t] - f64[mu + t];
          s += z * z;
          f32[quad + 4 * t] = -2 * Math.fround(z);
        }
        f32[aAt / 4 + j] = s;
        if (!(s <= big)) big = s;
      }
    }
    if (update) {
      f64.fill(0, sAt / 8, sAt / 8 + k * d);
      f64.fill(0, wsAt / 8, wsAt / 8 + k);
    }
    let inertia = 0;
    let changed = 0;
    for (let i = start; i < end; i += block) {
      const m = Math.min(block, end - i);
      const xp = rowsInPlace ? X.byteOffset + i * d * 8 : xAt;
      if (!rowsInPlace) f64.set(X.subarray(i * d, (i + m) * d), xAt / 8);
      if (weighted) f64.set(W.subarray(i, i + m), wAt / 8);
      i32.set(labels.subarray(i, i + m), lAt / 4);
      if (screened) {
        inertia = runScreen(xp, m, d, k, cAt, muAt, gAt, aAt, kfac, big, weighted ? 1 : 0, wAt, lAt, sAt, wsAt, panelAt, update ? 1 : 0, exact ? 1 : 0, inertia, outAt);
        const unsettled = i32[outAt / 4 + 1];
        if (tally !== undefined) {
          tally.screened += m;
          tally.unsettled += unsettled;
        }
        if (auto && unsettled * 16 > m) screened = false;
      } else {
        inertia = run(xp, m, d, k, cAt, weighted ? 1 : 0, wAt, lAt, sAt, wsAt, panelAt, update ? 1 : 0, inertia, outAt);
      }
      changed += i32[outAt / 4];
      labels.set(i32.subarray(lAt / 4, lAt / 4 + m), i);
    }
    if (update) {
      sums.set(f64.subarray(sAt / 8, sAt / 8 + k * d), chunk * k * d);
      weightSums.set(f64.subarray(wsAt / 8, wsAt / 8 + k), chunk * k);
    }
    stats[2 * chunk] = exact ? inertia : NaN;
    stats[2 * chunk + 1] = changed;
  };
}

/**
 * silhouetteSumsChunk on WebAssembly SIMD: builds, from the bytes of the module compiled from
 * src/wasm/lloyd.ts (its function pairSums), a kernel with silhouetteSumsChunk's job layout
 * and bits (see the source's comment for why they are the same), several times faster.
 * Returns null where WebAssembly or its SIMD is missing (the module does not validate), so
 * callers keep `fallback`; `fallback` also runs a call whose memory cannot grow.
 *
 * The module has its own memory, private to the thread that built it: each call copies the
 * block's rows, codes and sums in, pairs the block with itself, then copies the later rows in
 * tiles of about 64 KiB of X (rows, codes and sums in; sums out) and pairs the block with
 * each tile in row order, and copies the block's sums out. So the memory stays near
 * (end - start) * (d + nLabels) doubles plus one tile, whatever n. With owners (see
 * silhouetteSumsChunk) the block is the chunk's rows, the earlier rows come first in tiles
 * whose sums are scratch, and the later rows' sums are not copied either. Self-contained, like
 * the kernels.
 */
export function makeSilhouetteWasm(bytes: Uint8Array, fallback: ChunkKernel): ChunkKernel | null {
  let exports: Record<string, unknown>;
  try {
    // (Never shared memory; the cast satisfies the DOM library's types, which the webview's project uses.)
    const source = bytes as Uint8Array<ArrayBuffer>;
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(source)) return null;
    exports = new WebAssembly.Instance(new WebAssembly.Module(source), {}).exports;
  } catch {
    return null;
  }
  if (typeof exports.pairSums !== 'function') return null;
  const memory = exports.memory as WebAssembly.Memory;
  const base = (exports.base as () => number)();
  const pairSums = exports.pairSums as (
    bx: number, bcodes: number, bout: number, bm: number, tx: number, tcodes: number, tout: number, tm: number,
    d: number, nLabels: number, inner: number, panel: number, acc: number,
  ) => void;
  // An anonymous function and no inner arrow functions (see makeLloydWasm).
  return function (job: KernelJob, chunk: number): void {
    const X = job.f64[0];
    const out = job.f64[1];
    const codes = job.i32[0];
    const p = job.params;
    const n = p[0];
    const d = p[1];
    const L = p[2];
    const owners = p.length > 5 ? p[5] : 0;
    const start = owners > 0 ? Math.floor((chunk * n) / owners) : p[3];
    const end = owners > 0 ? Math.floor(((chunk + 1) * n) / owners) : p[4];
    if (end <= start) return;
    // An owner goes over its rows in blocks of 256 (as the calling thread does, so the block
    // and a tile stay in cache), three times: the earlier rows, its own rows (each block with
    // itself and the owner's later rows), the later rows. A block is the chunk itself.
    const step = owners > 0 ? 256 : end - start;
    const bmMax = Math.min(step, end - start);
    // Partner rows per call: about 64 KiB of X.
    const tile = Math.max(8, Math.floor(8192 / d));
    // Byte addresses, each a multiple of 16: the kernel's scratch (panel, acc), then the
    // block's rows, codes and sums, then the tile's.
    const panelAt = Math.ceil(base / 16) * 16;
    const accAt = panelAt + 64 * d;
    const bxAt = accAt + 64 * L;
    const bcAt = bxAt + Math.ceil((bmMax * d * 8) / 16) * 16;
    const boAt = bcAt + Math.ceil((bmMax * 4) / 16) * 16;
    const txAt = boAt + Math.ceil((bmMax * L * 8) / 16) * 16;
    const tcAt = txAt + Math.ceil((tile * d * 8) / 16) * 16;
    const toAt = tcAt + Math.ceil((tile * 4) / 16) * 16;
    const need = toAt + tile * L * 8;
    const have = memory.buffer.byteLength;
    if (have < need) {
      try {
        memory.grow(Math.ceil((need - have) / 65536));
      } catch {
        fallback(job, chunk);
        return;
      }
    }
    const heap = memory.buffer;
    const f64 = new Float64Array(heap);
    const i32 = new Int32Array(heap);
    // Tiles whose sums are not kept (an owner's earlier and later rows) add to scratch.
    if (owners > 0) f64.fill(0, toAt / 8, toAt / 8 + tile * L);
    for (let phase = owners > 0 ? 0 : 1; phase < (owners > 0 ? 3 : 2); phase++) {
      for (let s = start; s < end; s += step) {
        const e = Math.min(end, s + step);
        const bm = e - s;
        f64.set(X.subarray(s * d, e * d), bxAt / 8);
        i32.set(codes.subarray(s, e), bcAt / 4);
        f64.set(out.subarray(s * L, e * L), boAt / 8);
        if (phase === 1) pairSums(bxAt, bcAt, boAt, bm, 0, 0, 0, 0, d, L, 1, panelAt, accAt);
        const from = phase === 0 ? 0 : phase === 1 ? e : end;
        const to = phase === 0 ? start : phase === 1 && owners > 0 ? end : n;
        for (let j = from; j < to; j += tile) {
          const tm = Math.min(tile, to - j);
          f64.set(X.subarray(j * d, (j + tm) * d), txAt / 8);
          i32.set(codes.subarray(j, j + tm), tcAt / 4);
          if (phase === 1) f64.set(out.subarray(j * L, (j + tm) * L), toAt / 8);
          pairSums(bxAt, bcAt, boAt, bm, txAt, tcAt, toAt, tm, d, L, 0, panelAt, accAt);
          if (phase === 1) out.set(f64.subarray(toAt / 8, toAt / 8 + tm * L), j * L);
        }
        out.set(f64.subarray(boAt / 8, boAt / 8 + bm * L), s * L);
      }
    }
  };
}

/**
 * seedChunk on WebAssembly SIMD: builds, from the same module as makeLloydWasm (its
 * `seedTrials`), a kernel with seedChunk's job layout and bits for the trials mode (the
 * candidates' potentials, the bulk of k-means++); the nearest mode (one distance per row, about
 * as fast in JavaScript as the copy into the module) goes to `fallback`. Null where the module
 * does not validate. As makeLloydWasm: the chunk's rows, closest distances and weights are
 * copied into the module's own memory in blocks of about 64 KiB; self-contained.
 */
export function makeSeedWasm(bytes: Uint8Array, fallback: ChunkKernel): ChunkKernel | null {
  let exports: Record<string, unknown>;
  try {
    // (Never shared memory; the cast satisfies the DOM library's types, which the webview's project uses.)
    const source = bytes as Uint8Array<ArrayBuffer>;
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(source)) return null;
    exports = new WebAssembly.Instance(new WebAssembly.Module(source), {}).exports;
  } catch {
    return null;
  }
  if (typeof exports.seedTrials !== 'function') return null;
  const memory = exports.memory as WebAssembly.Memory;
  const base = (exports.base as () => number)();
  const seedTrials = exports.seedTrials as (
    x: number, m: number, d: number, nc: number, c: number, closest: number, weighted: number, w: number, pots: number, panel: number,
  ) => void;
  return function (job: KernelJob, chunk: number): void {
    const p = job.params;
    if (p[4] !== 1) {
      fallback(job, chunk);
      return;
    }
    const X = job.f64[0];
    const C = job.f64[1];
    const closest = job.f64[2];
    const W = job.f64[3];
    const pots = job.f64[4];
    const n = p[0];
    const d = p[1];
    const m = p[2];
    const start = chunk * p[3];
    const end = Math.min(n, start + p[3]);
    const weighted = W.length > 0;
    // Rows per call: about 64 KiB of X, a multiple of 8 (the kernel's group of rows).
    const block = Math.max(8, Math.floor(8192 / d / 8) * 8);
    // Byte addresses, each a multiple of 16: candidates, potentials, the kernel's scratch, then
    // the block's rows, closest distances and weights.
    const cAt = Math.ceil(base / 16) * 16;
    const potAt = cAt + (m * d + (m * d) % 2) * 8;
    const panelAt = potAt + (m + (m % 2)) * 8;
    const xAt = panelAt + (8 * d + 8) * 8;
    const clAt = xAt + block * d * 8;
    const wAt = clAt + block * 8;
    const need = wAt + block * 8;
    const have = memory.buffer.byteLength;
    if (have < need) memory.grow(Math.ceil((need - have) / 65536));
    const f64 = new Float64Array(memory.buffer);
    f64.set(C.subarray(0, m * d), cAt / 8);
    f64.fill(0, potAt / 8, potAt / 8 + m);
    for (let i = start; i < end; i += block) {
      const rows = Math.min(block, end - i);
      f64.set(X.subarray(i * d, (i + rows) * d), xAt / 8);
      f64.set(closest.subarray(i, i + rows), clAt / 8);
      if (weighted) f64.set(W.subarray(i, i + rows), wAt / 8);
      seedTrials(xAt, rows, d, m, cAt, clAt, weighted ? 1 : 0, wAt, potAt, panelAt);
    }
    pots.set(f64.subarray(potAt / 8, potAt / 8 + m), chunk * m);
  };
}

/**
 * elkanChunk on WebAssembly SIMD: builds, from the same module as makeLloydWasm (its `elkan`), a
 * kernel with elkanChunk's job layout and bits (labels, upper bounds, every lower bound, sums,
 * weight sums, change count; see the source's comment for why they are the same). Null where the
 * module does not validate; `fallback` also runs a call whose memory cannot grow.
 *
 * The module has its own memory, private to the thread that built it: each call copies the
 * centres, half distances and moves in, then the chunk's rows, labels, upper bounds and k lower
 * bounds per row (and weights) in blocks of about 64 KiB, and copies labels and bounds out (the
 * first pass of a run copies no bounds in: it makes them). The lower bounds are k doubles per row,
 * so these copies are k / d times the rows'. Self-contained, like the kernels.
 */
export function makeElkanWasm(bytes: Uint8Array, fallback: ChunkKernel): ChunkKernel | null {
  let exports: Record<string, unknown>;
  try {
    // (Never shared memory; the cast satisfies the DOM library's types, which the webview's project uses.)
    const source = bytes as Uint8Array<ArrayBuffer>;
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(source)) return null;
    exports = new WebAssembly.Instance(new WebAssembly.Module(source), {}).exports;
  } catch {
    return null;
  }
  if (typeof exports.elkan !== 'function') return null;
  const memory = exports.memory as WebAssembly.Memory;
  const base = (exports.base as () => number)();
  const elkan = exports.elkan as (
    x: number, m: number, d: number, k: number, c: number, labels: number, upper: number, lower: number,
    half: number, nextHalf: number, move: number, first: number, slack: number,
    weighted: number, w: number, sums: number, wsums: number, scratch: number,
  ) => number;
  // An anonymous function and no inner arrow functions (see makeLloydWasm).
  return function (job: KernelJob, chunk: number): void {
    const X = job.f64[0];
    const C = job.f64[1];
    const sums = job.f64[2];
    const weightSums = job.f64[3];
    const W = job.f64[4];
    const stats = job.f64[5];
    const upper = job.f64[6];
    const lower = job.f64[7];
    const labels = job.i32[0];
    const p = job.params;
    const n = p[0];
    const d = p[1];
    const k = p[2];
    const start = chunk * p[3];
    const end = Math.min(n, start + p[3]);
    const first = p[4] !== 0;
    const weighted = W.length > 0;
    // Rows per call: about 64 KiB of rows and bounds, a multiple of 8 (the first pass's group).
    const block = Math.max(8, Math.floor(8192 / (d + k + 3) / 8) * 8);
    // Byte addresses, each a multiple of 16 (every size rounded up to an even count of doubles):
    // centres, half, nextHalf, move, sums, weight sums, the kernel's scratch, then the block's
    // rows, lower bounds, upper bounds, weights and labels.
    const kd = k * d + (k * d) % 2;
    const k2 = k + (k % 2);
    const cAt = Math.ceil(base / 16) * 16;
    const hAt = cAt + kd * 8;
    const nhAt = hAt + (k * k + (k * k) % 2) * 8;
    const mvAt = nhAt + k2 * 8;
    const sAt = mvAt + k2 * 8;
    const wsAt = sAt + kd * 8;
    const scAt = wsAt + k2 * 8;
    const xAt = scAt + Math.max(8 * d + 24, 2 * k2) * 8;
    const loAt = xAt + block * d * 8;
    const upAt = loAt + block * k * 8;
    const wAt = upAt + block * 8;
    const lAt = wAt + block * 8;
    const need = lAt + block * 4;
    const have = memory.buffer.byteLength;
    if (have < need) {
      try {
        memory.grow(Math.ceil((need - have) / 65536));
      } catch {
        fallback(job, chunk);
        return;
      }
    }
    const heap = memory.buffer;
    const f64 = new Float64Array(heap);
    const i32 = new Int32Array(heap);
    f64.set(C.subarray(0, k * d), cAt / 8);
    if (!first) {
      f64.set(job.f64[8].subarray(0, k * k), hAt / 8);
      f64.set(job.f64[9].subarray(0, k), nhAt / 8);
      f64.set(job.f64[10].subarray(0, k), mvAt / 8);
    }
    f64.fill(0, sAt / 8, sAt / 8 + k * d);
    f64.fill(0, wsAt / 8, wsAt / 8 + k);
    let changed = 0;
    for (let i = start; i < end; i += block) {
      const m = Math.min(block, end - i);
      f64.set(X.subarray(i * d, (i + m) * d), xAt / 8);
      i32.set(labels.subarray(i, i + m), lAt / 4);
      if (!first) {
        f64.set(lower.subarray(i * k, (i + m) * k), loAt / 8);
        f64.set(upper.subarray(i, i + m), upAt / 8);
      }
      if (weighted) f64.set(W.subarray(i, i + m), wAt / 8);
      changed += elkan(xAt, m, d, k, cAt, lAt, upAt, loAt, hAt, nhAt, mvAt, first ? 1 : 0, p[5], weighted ? 1 : 0, wAt, sAt, wsAt, scAt);
      labels.set(i32.subarray(lAt / 4, lAt / 4 + m), i);
      lower.set(f64.subarray(loAt / 8, loAt / 8 + m * k), i * k);
      upper.set(f64.subarray(upAt / 8, upAt / 8 + m), i);
    }
    sums.set(f64.subarray(sAt / 8, sAt / 8 + k * d), chunk * k * d);
    weightSums.set(f64.subarray(wsAt / 8, wsAt / 8 + k), chunk * k);
    stats[2 * chunk] = NaN;
    stats[2 * chunk + 1] = changed;
  };
}

/** centroidSumsChunk's modes (params[4]). */
export const CENTROID_SUMS = 0;
export const CENTROID_CORRECTIONS = 1;
export const CENTROID_SPREADS = 2;

/**
 * The passes over the rows behind Davies-Bouldin and Calinski-Harabasz (metrics/internal.ts),
 * over the rows of chunk `chunk`, into the chunk's own slot of `out`; the caller adds the slots
 * in chunk order. Within a chunk every accumulator receives its rows' terms in row order, so
 * with one chunk the sums are those of a plain loop over the rows.
 *
 * Job: f64 = [X (n*d), means ((L + 1) * d: the cluster means, then the overall mean; read by
 * modes 1 and 2), out], i32 = [codes (n, in [0, L))], params = [n, d, L, chunkRows, mode].
 * - mode 0 (sums): slot of (L + 1) * d: per cluster, the sum of its rows; then the sum of all rows.
 * - mode 1 (corrections): the same sums of x - mean (the means' correcting pass).
 * - mode 2 (spreads): slot of L + 1: per cluster, the sum of the Euclidean distances from its
 *   rows to its mean; then the sum over rows and coordinates, in that order, of (x - mean)^2.
 * Complexity O(chunkRows * d).
 */
export function centroidSumsChunk(job: KernelJob, chunk: number): void {
  const X = job.f64[0];
  const means = job.f64[1];
  const out = job.f64[2];
  const codes = job.i32[0];
  const p = job.params;
  const n = p[0];
  const d = p[1];
  const L = p[2];
  const start = chunk * p[3];
  const end = Math.min(n, start + p[3]);
  const mode = p[4];
  if (mode === 2) {
    const o = chunk * (L + 1);
    out.fill(0, o, o + L + 1);
    let within = 0;
    for (let i = start; i < end; i++) {
      const c = codes[i];
      const m = c * d;
      const x = i * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = X[x + t] - means[m + t];
        s += diff * diff;
        within += diff * diff;
      }
      out[o + c] += Math.sqrt(s);
    }
    out[o + L] = within;
    return;
  }
  const width = (L + 1) * d;
  const o = chunk * width;
  const all = o + L * d;
  const overall = L * d;
  out.fill(0, o, o + width);
  for (let i = start; i < end; i++) {
    const c = o + codes[i] * d;
    const m = codes[i] * d;
    const x = i * d;
    if (mode === 0) {
      for (let t = 0; t < d; t++) {
        out[c + t] += X[x + t];
        out[all + t] += X[x + t];
      }
    } else {
      for (let t = 0; t < d; t++) {
        out[c + t] += X[x + t] - means[m + t];
        out[all + t] += X[x + t] - means[overall + t];
      }
    }
  }
}

/** Every kernel by name; the pool's workers get the same table as source text. */
export const KERNELS = {
  lloyd: lloydChunk,
  lloydScreen: lloydScreenChunk,
  hamerly: hamerlyChunk,
  elkan: elkanChunk,
  silhouetteSums: silhouetteSumsChunk,
  seed: seedChunk,
  centroidSums: centroidSumsChunk,
} as const;

export type KernelName = keyof typeof KERNELS;
