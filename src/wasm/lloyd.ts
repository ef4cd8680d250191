// AssemblyScript source of the WebAssembly SIMD twin of lloydChunk (src/engine/parallel/kernels.ts),
// compiled by scripts/wasm.mjs (asc, SIMD on) into the bundles. Not part of the TypeScript project.
// (The same module also holds, at the end, the twin of silhouetteSumsChunk: see its own comment.)
//
// It must give lloydChunk's bits, so every distance is computed as lloydChunk computes it: the
// sum over t in order of (x_t - c_t)^2, one rounding per subtraction, product and addition (f64x2
// operations round each lane exactly as the scalar ones; no fused multiply-add). Rows go in the
// lanes, two rows per vector and eight rows per pass, so a row's sum never spans lanes. The
// nearest centre is the first j with a strictly smaller distance (ties to the lowest index);
// inertia, weight sums and cluster sums receive their terms row by row in row order, as in
// lloydChunk, so they are the same bits too.
//
// Memory is laid out by the caller (makeLloydWasm in kernels.ts); every pointer is a byte address.

/** First byte the caller may use. */
export function base(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * Assigns `m` rows (row-major at `x`, `d` values each) to the nearest of `k` centres (row-major at
 * `c`), updating `labels` (m i32, previous labels in, new labels out). With `update`, adds each
 * row (times its weight when `weighted`, weights at `w`) to `sums` (k*d) and its weight to `wsums`
 * (k). `panel` is scratch for 8*d + 32 doubles. Returns `inertia` plus each row's (weighted)
 * distance to its centre, added in row order; stores the number of changed labels at `out` (i32).
 */
export function assign(
  x: usize, m: i32, d: i32, k: i32, c: usize, weighted: i32, w: usize, labels: usize,
  sums: usize, wsums: usize, panel: usize, update: i32, inertia: f64, out: usize,
): f64 {
  let changed: i32 = 0;
  const rowBytes = (<usize>d) << 3;
  const best = panel + ((<usize>d) << 6);
  const index = best + 64;
  const zero = f64x2.splat(0);
  for (let g: i32 = 0; g < m; g += 8) {
    const rows = min<i32>(8, m - g);
    // The group's rows side by side: panel[8t + r] = x[g + r][t] (zeros for missing rows).
    for (let r: i32 = 0; r < 8; r++) {
      const dst = panel + ((<usize>r) << 3);
      if (r < rows) {
        const src = x + (<usize>(g + r)) * rowBytes;
        for (let t: i32 = 0; t < d; t++) {
          store<f64>(dst + ((<usize>t) << 6), load<f64>(src + ((<usize>t) << 3)));
        }
      } else {
        for (let t: i32 = 0; t < d; t++) store<f64>(dst + ((<usize>t) << 6), 0);
      }
    }
    let b0 = f64x2.splat(Infinity);
    let b1 = b0;
    let b2 = b0;
    let b3 = b0;
    let i0 = zero;
    let i1 = zero;
    let i2 = zero;
    let i3 = zero;
    for (let j: i32 = 0; j < k; j++) {
      let s0 = zero;
      let s1 = zero;
      let s2 = zero;
      let s3 = zero;
      let cp = c + (<usize>j) * rowBytes;
      let pp = panel;
      for (let t: i32 = 0; t < d; t++) {
        const cv = v128.load64_splat(cp);
        let u = f64x2.sub(v128.load(pp), cv);
        s0 = f64x2.add(s0, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 16), cv);
        s1 = f64x2.add(s1, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 32), cv);
        s2 = f64x2.add(s2, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 48), cv);
        s3 = f64x2.add(s3, f64x2.mul(u, u));
        cp += 8;
        pp += 64;
      }
      const jv = f64x2.splat(<f64>j);
      let mk = f64x2.lt(s0, b0);
      b0 = v128.bitselect(s0, b0, mk);
      i0 = v128.bitselect(jv, i0, mk);
      mk = f64x2.lt(s1, b1);
      b1 = v128.bitselect(s1, b1, mk);
      i1 = v128.bitselect(jv, i1, mk);
      mk = f64x2.lt(s2, b2);
      b2 = v128.bitselect(s2, b2, mk);
      i2 = v128.bitselect(jv, i2, mk);
      mk = f64x2.lt(s3, b3);
      b3 = v128.bitselect(s3, b3, mk);
      i3 = v128.bitselect(jv, i3, mk);
    }
    v128.store(best, b0);
    v128.store(best, b1, 16);
    v128.store(best, b2, 32);
    v128.store(best, b3, 48);
    v128.store(index, i0);
    v128.store(index, i1, 16);
    v128.store(index, i2, 32);
    v128.store(index, i3, 48);
    for (let r: i32 = 0; r < rows; r++) {
      const row = g + r;
      const dist = load<f64>(best + ((<usize>r) << 3));
      const j = <i32>load<f64>(index + ((<usize>r) << 3));
      const lp = labels + ((<usize>row) << 2);
      if (load<i32>(lp) != j) {
        changed++;
        store<i32>(lp, j);
      }
      const xp = x + (<usize>row) * rowBytes;
      const sp = sums + (<usize>j) * rowBytes;
      const wp = wsums + ((<usize>j) << 3);
      if (weighted == 0) {
        inertia += dist;
        if (update != 0) {
          store<f64>(wp, load<f64>(wp) + 1);
          let t: i32 = 0;
          for (; t + 1 < d; t += 2) {
            const o = (<usize>t) << 3;
            v128.store(sp + o, f64x2.add(v128.load(sp + o), v128.load(xp + o)));
          }
          if (t < d) {
            const o = (<usize>t) << 3;
            store<f64>(sp + o, load<f64>(sp + o) + load<f64>(xp + o));
          }
        }
      } else {
        const wr = load<f64>(w + ((<usize>row) << 3));
        inertia += wr * dist;
        if (update != 0) {
          store<f64>(wp, load<f64>(wp) + wr);
          const wv = f64x2.splat(wr);
          let t: i32 = 0;
          for (; t + 1 < d; t += 2) {
            const o = (<usize>t) << 3;
            v128.store(sp + o, f64x2.add(v128.load(sp + o), f64x2.mul(wv, v128.load(xp + o))));
          }
          if (t < d) {
            const o = (<usize>t) << 3;
            store<f64>(sp + o, load<f64>(sp + o) + wr * load<f64>(xp + o));
          }
        }
      }
    }
  }
  store<i32>(out, changed);
  return inertia;
}

// ---------------------------------------------------------------------------------------------
// assign again, with the same outputs to the bit, but most distances replaced by a cheap screen:
// the expanded score e_j = ||c_j||^2 - 2 x.c_j in single precision (f32x4, four rows per vector;
// a multiply and an add per coordinate, against a subtract, a multiply and an add on two rows
// for the direct form), certified by a rounding-error bound, so that a row pays for the direct
// form only to its nearest centre, or, near a tie, to every centre the bound cannot rule out.
//
// What is computed. A translation mu (any d doubles; the caller passes the centres' mean, so
// that the bound below follows the data's spread and not its offset from the origin) and, with
// u = 2^-53, v = 2^-24 and gamma_n = n u / (1 - n u), gamma'_n the same with v:
//   y~_t = fl64(x_t - mu_t), x'_t = fl32(y~_t); z~_jt = fl64(c_jt - mu_t), c'_jt = fl32(z~_jt),
//   g_jt = -2 c'_jt (exact); cc_j = sum_t z~_jt^2 in doubles, a_j = fl32(cc_j); M = max_j cc_j;
//   e_j = (...((a_j + x'_1 g_j1) + x'_2 g_j2) + ...) + x'_d g_jd in singles; xx = sum_t y~_t^2;
//   D_j = the direct form sum_t (x_t - c_jt)^2 in order, exactly as assign computes it.
// In exact arithmetic, with y = x - mu, z_j = c_j - mu, E_j = ||z_j||^2 - 2 y.z_j and
// T = ||y||^2 + max_j ||z_j||^2, the true squared distance is ||x - c_j||^2 = ||y||^2 + E_j.
//  (a) a_j: |a_j - ||z_j||^2| <= (v + 1.01 gamma_{d+2}) ||z_j||^2 <= 1.01 v T.
//  (b) x'_t = y_t (1 + r), c'_jt = z_jt (1 + s), |r|, |s| <= v + 2u, so
//      |2 x'.c'_j - 2 y.z_j| <= 2.01 v * 2 sum_t |y_t z_jt| <= 2.01 v T   (2|y_t z_t| <= y_t^2 + z_t^2).
//  (c) the recursion in singles (Higham, "Accuracy and Stability of Numerical Algorithms", 2002,
//      Lemma 3.1 / eq. 3.4): |e_j - (a_j - 2 x'.c'_j)| <= gamma'_{d+1} (a_j + 2 sum_t |x'_t c'_jt|)
//      <= 2.01 gamma'_{d+1} T <= 2.16 (d + 1) v T for d < 2^20.
//  (d) the direct form: d nonnegative terms of at most three roundings, d - 1 additions:
//      |D_j - ||x - c_j||^2| <= gamma_{d+2} ||y - z_j||^2 <= 2 gamma_{d+2} T < 2^-27 (d + 2) v T.
//  (e) the guard below keeps 2^-60 <= T <= 2^60 (up to u): no single overflows (|x'_t|, |c'_jt|
//      <= 2^30), and what underflows (at most 2^-150 per value or product, 3d of them, each
//      then weighing at most 2^31 in e_j) adds less than 2^-11 v T for d < 2^20.
//  So beta = (2.16 (d + 1) + 3.02 + 2^-11) v T + 2^-27 (d + 2) v T <= 2.25 (d + 3) v T, and for
//  every j: xx* + e_j - beta <= D_j <= xx* + e_j + beta (xx* = ||y||^2). Hence e_j > e_l + 2 beta
//  implies D_j > D_l >= min_q D_q: centre j is neither the direct form's nearest nor tied with it.
// The test. The caller passes kfac = 5 (d + 3) v; a row with 2^-60 <= T^ = fl(xx + M) <= 2^60
// gets bound = fl(kfac T^) >= 4.99 (d + 3) v T (xx and M are at most gamma_{d+2} below ||y||^2
// and max ||z_j||^2) and thr = fl(e_min + 2 bound) in doubles, which loses at most 3 u T to
// rounding (|e_min| <= 2T + beta), so thr > e_min + 2 beta with a margin of over twice beta.
// Any other row (T^ out of range, infinite or NaN) gets thr = +Infinity. Centre j is a
// candidate unless e_j > thr; the candidates get the direct form in index order and the first
// strict minimum is kept, as in assign: every centre left out has a strictly larger D than the
// minimum, so the label and its distance are assign's bits, and so are the inertia, sums and
// weight sums, which take the rows in row order as assign's do. When the second smallest score
// exceeds thr, the first index of the smallest is the only candidate (the usual case: its
// direct distance is computed for eight rows at once, the lanes gathering each row's centre).
//
// Layout: eight rows in two f32x4 vectors, four centres per pass (eight accumulators); the
// centres' g in quads, g4[q][t][i] = g_{4q+i, t}, padded to a multiple of four with g = 0 and
// a = +Infinity (a score that never wins and never ranks second below a real one). The index of
// the smallest is kept as a single (exact below 2^24).

/**
 * As `assign` (same arguments, same outputs to the bit), with the screen above: `mu` (d f64),
 * `g4` (ceil(k/4)*4*d f32), `a4` (ceil(k/4)*4 f32), `kfac` and `big` = M. `panel` is scratch
 * for 12*d + 40 doubles. With `exact` = 0 the caller does not want the inertia: the settled
 * rows' direct distances are not computed and the returned inertia is NaN (labels and sums are
 * the same). Stores the number of labels changed at `out` and the number of rows
 * that the screen did not settle at `out + 4` (i32). Complexity O(m * k * d) for the scores
 * plus O(m * d) per candidate's direct distance (one per row unless near a tie, then up to k).
 */
export function assignScreen(
  x: usize, m: i32, d: i32, k: i32, c: usize, mu: usize, g4: usize, a4: usize, kfac: f64, big: f64, weighted: i32, w: usize,
  labels: usize, sums: usize, wsums: usize, panel: usize, update: i32, exact: i32, inertia: f64, out: usize,
): f64 {
  let changed: i32 = 0;
  let unsettled: i32 = 0;
  const rowBytes = (<usize>d) << 3;
  const quadBytes = (<usize>d) << 4;
  const p32 = panel + ((<usize>d) << 6);
  const lo = p32 + ((<usize>d) << 5);
  const hi = lo + 32;
  const index = hi + 32;
  const norms = index + 32;
  const dists = norms + 64;
  const zero = f64x2.splat(0);
  const inf = f32x4.splat(Infinity);
  const zero32 = f32x4.splat(0);
  const quads = (k + 3) >> 2;
  for (let gr: i32 = 0; gr < m; gr += 8) {
    const rows = min<i32>(8, m - gr);
    // The group's rows side by side: panel[8t + r] = x[gr + r][t] (zeros for missing rows).
    for (let r: i32 = 0; r < 8; r++) {
      const dst = panel + ((<usize>r) << 3);
      if (r < rows) {
        const src = x + (<usize>(gr + r)) * rowBytes;
        for (let t: i32 = 0; t < d; t++) {
          store<f64>(dst + ((<usize>t) << 6), load<f64>(src + ((<usize>t) << 3)));
        }
      } else {
        for (let t: i32 = 0; t < d; t++) store<f64>(dst + ((<usize>t) << 6), 0);
      }
    }
    // Their translated singles, p32[8t + r] = x'_t, and xx in doubles.
    let q0 = zero;
    let q1 = zero;
    let q2 = zero;
    let q3 = zero;
    let pp = panel;
    let ps = p32;
    let mp = mu;
    for (let t: i32 = 0; t < d; t++) {
      const mv = v128.load64_splat(mp);
      const v0 = f64x2.sub(v128.load(pp), mv);
      const v1 = f64x2.sub(v128.load(pp, 16), mv);
      const v2 = f64x2.sub(v128.load(pp, 32), mv);
      const v3 = f64x2.sub(v128.load(pp, 48), mv);
      mp += 8;
      q0 = f64x2.add(q0, f64x2.mul(v0, v0));
      q1 = f64x2.add(q1, f64x2.mul(v1, v1));
      q2 = f64x2.add(q2, f64x2.mul(v2, v2));
      q3 = f64x2.add(q3, f64x2.mul(v3, v3));
      v128.store(ps, f32x4.shuffle(f32x4.demote_f64x2_zero(v0), f32x4.demote_f64x2_zero(v1), 0, 1, 4, 5));
      v128.store(ps, f32x4.shuffle(f32x4.demote_f64x2_zero(v2), f32x4.demote_f64x2_zero(v3), 0, 1, 4, 5), 16);
      pp += 64;
      ps += 32;
    }
    const sb = f64x2.splat(big);
    v128.store(norms, f64x2.add(q0, sb));
    v128.store(norms, f64x2.add(q1, sb), 16);
    v128.store(norms, f64x2.add(q2, sb), 32);
    v128.store(norms, f64x2.add(q3, sb), 48);
    // Smallest (l) and second smallest (h) score per row, and the first index of the smallest.
    let l0 = inf;
    let l1 = inf;
    let h0 = inf;
    let h1 = inf;
    let i0 = zero32;
    let i1 = zero32;
    for (let qd: i32 = 0; qd < quads; qd++) {
      const ap = a4 + ((<usize>qd) << 4);
      let a0 = v128.load32_splat(ap);
      let a1 = a0;
      let b0 = v128.load32_splat(ap, 4);
      let b1 = b0;
      let e0 = v128.load32_splat(ap, 8);
      let e1 = e0;
      let f0 = v128.load32_splat(ap, 12);
      let f1 = f0;
      let gp = g4 + (<usize>qd) * quadBytes;
      ps = p32;
      for (let t: i32 = 0; t < d; t++) {
        const u0 = v128.load(ps);
        const u1 = v128.load(ps, 16);
        let gv = v128.load32_splat(gp);
        a0 = f32x4.add(a0, f32x4.mul(u0, gv));
        a1 = f32x4.add(a1, f32x4.mul(u1, gv));
        gv = v128.load32_splat(gp, 4);
        b0 = f32x4.add(b0, f32x4.mul(u0, gv));
        b1 = f32x4.add(b1, f32x4.mul(u1, gv));
        gv = v128.load32_splat(gp, 8);
        e0 = f32x4.add(e0, f32x4.mul(u0, gv));
        e1 = f32x4.add(e1, f32x4.mul(u1, gv));
        gv = v128.load32_splat(gp, 12);
        f0 = f32x4.add(f0, f32x4.mul(u0, gv));
        f1 = f32x4.add(f1, f32x4.mul(u1, gv));
        gp += 16;
        ps += 32;
      }
      // The four centres in index order: h = min(h, max(l, e)) and l = min(l, e) keep the two
      // smallest; the index moves only on a strictly smaller score.
      const j = <f32>(qd << 2);
      let jv = f32x4.splat(j);
      let mk = f32x4.lt(a0, l0);
      i0 = v128.bitselect(jv, i0, mk);
      h0 = f32x4.pmin(h0, f32x4.pmax(l0, a0));
      l0 = f32x4.pmin(l0, a0);
      mk = f32x4.lt(a1, l1);
      i1 = v128.bitselect(jv, i1, mk);
      h1 = f32x4.pmin(h1, f32x4.pmax(l1, a1));
      l1 = f32x4.pmin(l1, a1);
      jv = f32x4.splat(j + 1);
      mk = f32x4.lt(b0, l0);
      i0 = v128.bitselect(jv, i0, mk);
      h0 = f32x4.pmin(h0, f32x4.pmax(l0, b0));
      l0 = f32x4.pmin(l0, b0);
      mk = f32x4.lt(b1, l1);
      i1 = v128.bitselect(jv, i1, mk);
      h1 = f32x4.pmin(h1, f32x4.pmax(l1, b1));
      l1 = f32x4.pmin(l1, b1);
      jv = f32x4.splat(j + 2);
      mk = f32x4.lt(e0, l0);
      i0 = v128.bitselect(jv, i0, mk);
      h0 = f32x4.pmin(h0, f32x4.pmax(l0, e0));
      l0 = f32x4.pmin(l0, e0);
      mk = f32x4.lt(e1, l1);
      i1 = v128.bitselect(jv, i1, mk);
      h1 = f32x4.pmin(h1, f32x4.pmax(l1, e1));
      l1 = f32x4.pmin(l1, e1);
      jv = f32x4.splat(j + 3);
      mk = f32x4.lt(f0, l0);
      i0 = v128.bitselect(jv, i0, mk);
      h0 = f32x4.pmin(h0, f32x4.pmax(l0, f0));
      l0 = f32x4.pmin(l0, f0);
      mk = f32x4.lt(f1, l1);
      i1 = v128.bitselect(jv, i1, mk);
      h1 = f32x4.pmin(h1, f32x4.pmax(l1, f1));
      l1 = f32x4.pmin(l1, f1);
    }
    v128.store(lo, l0);
    v128.store(lo, l1, 16);
    v128.store(hi, h0);
    v128.store(hi, h1, 16);
    v128.store(index, i0);
    v128.store(index, i1, 16);
    // The direct distance of each row to its nearest centre by the screen (the lanes of one
    // vector hold two rows, each with its own centre): the row's distance when it is settled.
    // Only for the inertia: without `exact` a settled row adds NaN to it.
    if (exact != 0) {
      let p0 = c + (<usize>(<i32>f32x4.extract_lane(i0, 0))) * rowBytes;
      let p1 = c + (<usize>(<i32>f32x4.extract_lane(i0, 1))) * rowBytes;
      let p2 = c + (<usize>(<i32>f32x4.extract_lane(i0, 2))) * rowBytes;
      let p3 = c + (<usize>(<i32>f32x4.extract_lane(i0, 3))) * rowBytes;
      let p4 = c + (<usize>(<i32>f32x4.extract_lane(i1, 0))) * rowBytes;
      let p5 = c + (<usize>(<i32>f32x4.extract_lane(i1, 1))) * rowBytes;
      let p6 = c + (<usize>(<i32>f32x4.extract_lane(i1, 2))) * rowBytes;
      let p7 = c + (<usize>(<i32>f32x4.extract_lane(i1, 3))) * rowBytes;
      let s0 = zero;
      let s1 = zero;
      let s2 = zero;
      let s3 = zero;
      pp = panel;
      for (let t: i32 = 0; t < d; t++) {
        let u = f64x2.sub(v128.load(pp), v128.load64_lane(p1, v128.load64_zero(p0), 1));
        s0 = f64x2.add(s0, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 16), v128.load64_lane(p3, v128.load64_zero(p2), 1));
        s1 = f64x2.add(s1, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 32), v128.load64_lane(p5, v128.load64_zero(p4), 1));
        s2 = f64x2.add(s2, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 48), v128.load64_lane(p7, v128.load64_zero(p6), 1));
        s3 = f64x2.add(s3, f64x2.mul(u, u));
        p0 += 8;
        p1 += 8;
        p2 += 8;
        p3 += 8;
        p4 += 8;
        p5 += 8;
        p6 += 8;
        p7 += 8;
        pp += 64;
      }
      v128.store(dists, s0);
      v128.store(dists, s1, 16);
      v128.store(dists, s2, 32);
      v128.store(dists, s3, 48);
    }
    for (let r: i32 = 0; r < rows; r++) {
      const row = gr + r;
      const xp = x + (<usize>row) * rowBytes;
      const total = load<f64>(norms + ((<usize>r) << 3));
      let thr: f64 = Infinity;
      if (total >= 8.673617379884035e-19 && total <= 1.152921504606847e+18) {
        thr = <f64>load<f32>(lo + ((<usize>r) << 2)) + 2 * (kfac * total);
      }
      let jb: i32 = 0;
      let dist: f64 = Infinity;
      if (<f64>load<f32>(hi + ((<usize>r) << 2)) > thr) {
        // Settled by the screen: one candidate, and its direct distance for the inertia.
        jb = <i32>load<f32>(index + ((<usize>r) << 2));
        dist = exact != 0 ? load<f64>(dists + ((<usize>r) << 3)) : NaN;
      } else {
        // Near a tie: the direct form for every centre the screen cannot rule out.
        unsettled++;
        const xs = p32 + ((<usize>r) << 2);
        for (let q: i32 = 0; q < k; q++) {
          const gq = g4 + (<usize>(q >> 2)) * quadBytes + ((<usize>(q & 3)) << 2);
          let e = load<f32>(a4 + ((<usize>q) << 2));
          for (let t: i32 = 0; t < d; t++) e += load<f32>(xs + ((<usize>t) << 5)) * load<f32>(gq + ((<usize>t) << 4));
          if (<f64>e > thr) continue;
          const cp = c + (<usize>q) * rowBytes;
          let s: f64 = 0;
          for (let t: i32 = 0; t < d; t++) {
            const u = load<f64>(xp + ((<usize>t) << 3)) - load<f64>(cp + ((<usize>t) << 3));
            s += u * u;
          }
          if (s < dist) {
            dist = s;
            jb = q;
          }
        }
      }
      const lp = labels + ((<usize>row) << 2);
      if (load<i32>(lp) != jb) {
        changed++;
        store<i32>(lp, jb);
      }
      const sp = sums + (<usize>jb) * rowBytes;
      const wp = wsums + ((<usize>jb) << 3);
      if (weighted == 0) {
        inertia += dist;
        if (update != 0) {
          store<f64>(wp, load<f64>(wp) + 1);
          let t: i32 = 0;
          for (; t + 1 < d; t += 2) {
            const o2 = (<usize>t) << 3;
            v128.store(sp + o2, f64x2.add(v128.load(sp + o2), v128.load(xp + o2)));
          }
          if (t < d) {
            const o2 = (<usize>t) << 3;
            store<f64>(sp + o2, load<f64>(sp + o2) + load<f64>(xp + o2));
          }
        }
      } else {
        const wr = load<f64>(w + ((<usize>row) << 3));
        inertia += wr * dist;
        if (update != 0) {
          store<f64>(wp, load<f64>(wp) + wr);
          const wv = f64x2.splat(wr);
          let t: i32 = 0;
          for (; t + 1 < d; t += 2) {
            const o2 = (<usize>t) << 3;
            v128.store(sp + o2, f64x2.add(v128.load(sp + o2), f64x2.mul(wv, v128.load(xp + o2))));
          }
          if (t < d) {
            const o2 = (<usize>t) << 3;
            store<f64>(sp + o2, load<f64>(sp + o2) + wr * load<f64>(xp + o2));
          }
        }
      }
    }
  }
  store<i32>(out, changed);
  store<i32>(out, unsettled, 4);
  return inertia;
}

// ---------------------------------------------------------------------------------------------
// The WebAssembly SIMD twin of silhouetteSumsChunk (kernels.ts): the Euclidean pair sums of the
// exact silhouette. It must give that kernel's bits, which holds because every accumulator
// out[i][c] receives its terms in ascending partner order, whatever the loop shape, and every
// distance is sqrt of the sum over t in order of (x_i[t] - x_j[t])^2, one rounding per operation
// (f64x2.sqrt rounds each lane as f64.sqrt, and both as Math.sqrt). Eight block rows go in the
// lanes (two per vector, their accumulators transposed so that one vector add serves two rows);
// each partner row j is splatted (two per pass), and its own accumulators receive the eight distances in lane
// order, which is row order. Laid out by the caller (makeSilhouetteWasm in kernels.ts).

/**
 * Adds the distances of the pairs (i, j), i a block row, j a partner row, to both rows'
 * per-cluster sums: `bout[i][tcodes[j]]` and `tout[j][bcodes[i]]`. Block: `bm` rows at `bx`
 * (`d` values each), their cluster codes at `bcodes` (i32) and sums at `bout` (`nLabels` f64 per
 * row). With `inner` != 0 the partners are the block's own later rows (pairs i < j, the `t`
 * arguments unused); otherwise the `tm` rows at `tx`, all after the block. `panel` and `acc`
 * are scratch for 8*d and 8*nLabels doubles. Complexity O(bm * tm * d).
 */
export function pairSums(
  bx: usize, bcodes: usize, bout: usize, bm: i32, tx: usize, tcodes: usize, tout: usize, tm: i32,
  d: i32, nLabels: i32, inner: i32, panel: usize, acc: usize,
): void {
  const rowBytes = (<usize>d) << 3;
  const outBytes = (<usize>nLabels) << 3;
  if (inner != 0) {
    tx = bx;
    tcodes = bcodes;
    tout = bout;
    tm = bm;
  }
  const grouped = bm & ~7;
  for (let a: i32 = 0; a < grouped; a += 8) {
    if (inner != 0) {
      // The pairs inside the group first, row by row, as the JavaScript kernel takes them.
      for (let i: i32 = a; i < a + 7; i++) {
        const xi = bx + (<usize>i) * rowBytes;
        const ci = <usize>load<i32>(bcodes + ((<usize>i) << 2));
        for (let j: i32 = i + 1; j < a + 8; j++) {
          const xj = bx + (<usize>j) * rowBytes;
          let s: f64 = 0;
          for (let t: i32 = 0; t < d; t++) {
            const u = load<f64>(xi + ((<usize>t) << 3)) - load<f64>(xj + ((<usize>t) << 3));
            s += u * u;
          }
          const dist = sqrt<f64>(s);
          const pi = bout + (<usize>i) * outBytes + ((<usize>load<i32>(bcodes + ((<usize>j) << 2))) << 3);
          store<f64>(pi, load<f64>(pi) + dist);
          const pj = bout + (<usize>j) * outBytes + (ci << 3);
          store<f64>(pj, load<f64>(pj) + dist);
        }
      }
    }
    // The group's rows side by side, panel[8t + r] = x[a + r][t], and their sums likewise,
    // acc[8c + r] = bout[a + r][c].
    for (let r: i32 = 0; r < 8; r++) {
      const src = bx + (<usize>(a + r)) * rowBytes;
      const dst = panel + ((<usize>r) << 3);
      for (let t: i32 = 0; t < d; t++) store<f64>(dst + ((<usize>t) << 6), load<f64>(src + ((<usize>t) << 3)));
      const from = bout + (<usize>(a + r)) * outBytes;
      const to = acc + ((<usize>r) << 3);
      for (let c: i32 = 0; c < nLabels; c++) store<f64>(to + ((<usize>c) << 6), load<f64>(from + ((<usize>c) << 3)));
    }
    const cp = bcodes + ((<usize>a) << 2);
    const c0 = (<usize>load<i32>(cp)) << 3;
    const c1 = (<usize>load<i32>(cp, 4)) << 3;
    const c2 = (<usize>load<i32>(cp, 8)) << 3;
    const c3 = (<usize>load<i32>(cp, 12)) << 3;
    const c4 = (<usize>load<i32>(cp, 16)) << 3;
    const c5 = (<usize>load<i32>(cp, 20)) << 3;
    const c6 = (<usize>load<i32>(cp, 24)) << 3;
    const c7 = (<usize>load<i32>(cp, 28)) << 3;
    const zero = f64x2.splat(0);
    // Two partner rows per pass (the last one alone, computed twice and added once): eight
    // independent sums hide the adds' latency, and each panel vector loaded serves both rows.
    // Row j's distances go in before row j + 1's, each row's eight in row order.
    for (let j: i32 = inner != 0 ? a + 8 : 0; j < tm; j += 2) {
      const two = j + 1 < tm;
      let s0 = zero;
      let s1 = zero;
      let s2 = zero;
      let s3 = zero;
      let e0 = zero;
      let e1 = zero;
      let e2 = zero;
      let e3 = zero;
      const xp = tx + (<usize>j) * rowBytes;
      const xq = two ? xp + rowBytes : xp;
      let pp = panel;
      for (let t: i32 = 0; t < d; t++) {
        const o = (<usize>t) << 3;
        const v = v128.load64_splat(xp + o);
        const w = v128.load64_splat(xq + o);
        let p = v128.load(pp);
        let u = f64x2.sub(p, v);
        s0 = f64x2.add(s0, f64x2.mul(u, u));
        u = f64x2.sub(p, w);
        e0 = f64x2.add(e0, f64x2.mul(u, u));
        p = v128.load(pp, 16);
        u = f64x2.sub(p, v);
        s1 = f64x2.add(s1, f64x2.mul(u, u));
        u = f64x2.sub(p, w);
        e1 = f64x2.add(e1, f64x2.mul(u, u));
        p = v128.load(pp, 32);
        u = f64x2.sub(p, v);
        s2 = f64x2.add(s2, f64x2.mul(u, u));
        u = f64x2.sub(p, w);
        e2 = f64x2.add(e2, f64x2.mul(u, u));
        p = v128.load(pp, 48);
        u = f64x2.sub(p, v);
        s3 = f64x2.add(s3, f64x2.mul(u, u));
        u = f64x2.sub(p, w);
        e3 = f64x2.add(e3, f64x2.mul(u, u));
        pp += 64;
      }
      s0 = f64x2.sqrt(s0);
      s1 = f64x2.sqrt(s1);
      s2 = f64x2.sqrt(s2);
      s3 = f64x2.sqrt(s3);
      let ap = acc + ((<usize>load<i32>(tcodes + ((<usize>j) << 2))) << 6);
      v128.store(ap, f64x2.add(v128.load(ap), s0));
      v128.store(ap, f64x2.add(v128.load(ap, 16), s1), 16);
      v128.store(ap, f64x2.add(v128.load(ap, 32), s2), 32);
      v128.store(ap, f64x2.add(v128.load(ap, 48), s3), 48);
      let op = tout + (<usize>j) * outBytes;
      store<f64>(op + c0, load<f64>(op + c0) + f64x2.extract_lane(s0, 0));
      store<f64>(op + c1, load<f64>(op + c1) + f64x2.extract_lane(s0, 1));
      store<f64>(op + c2, load<f64>(op + c2) + f64x2.extract_lane(s1, 0));
      store<f64>(op + c3, load<f64>(op + c3) + f64x2.extract_lane(s1, 1));
      store<f64>(op + c4, load<f64>(op + c4) + f64x2.extract_lane(s2, 0));
      store<f64>(op + c5, load<f64>(op + c5) + f64x2.extract_lane(s2, 1));
      store<f64>(op + c6, load<f64>(op + c6) + f64x2.extract_lane(s3, 0));
      store<f64>(op + c7, load<f64>(op + c7) + f64x2.extract_lane(s3, 1));
      if (two) {
        e0 = f64x2.sqrt(e0);
        e1 = f64x2.sqrt(e1);
        e2 = f64x2.sqrt(e2);
        e3 = f64x2.sqrt(e3);
        ap = acc + ((<usize>load<i32>(tcodes + ((<usize>(j + 1)) << 2))) << 6);
        v128.store(ap, f64x2.add(v128.load(ap), e0));
        v128.store(ap, f64x2.add(v128.load(ap, 16), e1), 16);
        v128.store(ap, f64x2.add(v128.load(ap, 32), e2), 32);
        v128.store(ap, f64x2.add(v128.load(ap, 48), e3), 48);
        op = tout + (<usize>(j + 1)) * outBytes;
        store<f64>(op + c0, load<f64>(op + c0) + f64x2.extract_lane(e0, 0));
        store<f64>(op + c1, load<f64>(op + c1) + f64x2.extract_lane(e0, 1));
        store<f64>(op + c2, load<f64>(op + c2) + f64x2.extract_lane(e1, 0));
        store<f64>(op + c3, load<f64>(op + c3) + f64x2.extract_lane(e1, 1));
        store<f64>(op + c4, load<f64>(op + c4) + f64x2.extract_lane(e2, 0));
        store<f64>(op + c5, load<f64>(op + c5) + f64x2.extract_lane(e2, 1));
        store<f64>(op + c6, load<f64>(op + c6) + f64x2.extract_lane(e3, 0));
        store<f64>(op + c7, load<f64>(op + c7) + f64x2.extract_lane(e3, 1));
      }
    }
    for (let r: i32 = 0; r < 8; r++) {
      const from = acc + ((<usize>r) << 3);
      const to = bout + (<usize>(a + r)) * outBytes;
      for (let c: i32 = 0; c < nLabels; c++) store<f64>(to + ((<usize>c) << 3), load<f64>(from + ((<usize>c) << 6)));
    }
  }
  // The rows after the last whole group, one at a time.
  for (let i: i32 = grouped; i < bm; i++) {
    const xi = bx + (<usize>i) * rowBytes;
    const ci = (<usize>load<i32>(bcodes + ((<usize>i) << 2))) << 3;
    const oi = bout + (<usize>i) * outBytes;
    for (let j: i32 = inner != 0 ? i + 1 : 0; j < tm; j++) {
      const xj = tx + (<usize>j) * rowBytes;
      let s: f64 = 0;
      for (let t: i32 = 0; t < d; t++) {
        const u = load<f64>(xi + ((<usize>t) << 3)) - load<f64>(xj + ((<usize>t) << 3));
        s += u * u;
      }
      const dist = sqrt<f64>(s);
      const pi = oi + ((<usize>load<i32>(tcodes + ((<usize>j) << 2))) << 3);
      store<f64>(pi, load<f64>(pi) + dist);
      const pj = tout + (<usize>j) * outBytes + ci;
      store<f64>(pj, load<f64>(pj) + dist);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The WebAssembly SIMD twin of seedChunk's trials mode (kernels.ts): the potentials of greedy
// k-means++'s candidates. It must give that kernel's bits: every distance is the sum over t in
// order of (x_t - c_t)^2 (rows in the lanes, as assign above), each row's minimum with its closest
// distance is chosen as `s < closest ? s : closest` (a compare and a select, not f64x2.min), and
// each candidate's potential receives its rows' terms one by one in row order. Laid out by the
// caller (makeSeedWasm in kernels.ts).

/**
 * Adds to `pots[j]` (`nc` f64) the (weighted, weights at `w` when `weighted`) minima
 * min(squared distance from row i to candidate j, closest[i]) of `m` rows (row-major at `x`, `d`
 * values each; their closest distances at `closest`), for each of the `nc` candidates (row-major at
 * `c`), in row order. `closest` and `w` are read in groups of 8 (the caller leaves room up to a
 * multiple of 8). `panel` is scratch for 8*d + 8 doubles. Complexity O(m * nc * d).
 */
export function seedTrials(
  x: usize, m: i32, d: i32, nc: i32, c: usize, closest: usize, weighted: i32, w: usize, pots: usize, panel: usize,
): void {
  const rowBytes = (<usize>d) << 3;
  const mins = panel + ((<usize>d) << 6);
  const zero = f64x2.splat(0);
  for (let g: i32 = 0; g < m; g += 8) {
    const rows = min<i32>(8, m - g);
    // The group's rows side by side: panel[8t + r] = x[g + r][t] (zeros for missing rows).
    for (let r: i32 = 0; r < 8; r++) {
      const dst = panel + ((<usize>r) << 3);
      if (r < rows) {
        const src = x + (<usize>(g + r)) * rowBytes;
        for (let t: i32 = 0; t < d; t++) {
          store<f64>(dst + ((<usize>t) << 6), load<f64>(src + ((<usize>t) << 3)));
        }
      } else {
        for (let t: i32 = 0; t < d; t++) store<f64>(dst + ((<usize>t) << 6), 0);
      }
    }
    const cl = closest + ((<usize>g) << 3);
    const c0 = v128.load(cl);
    const c1 = v128.load(cl, 16);
    const c2 = v128.load(cl, 32);
    const c3 = v128.load(cl, 48);
    const wg = w + ((<usize>g) << 3);
    for (let j: i32 = 0; j < nc; j++) {
      let s0 = zero;
      let s1 = zero;
      let s2 = zero;
      let s3 = zero;
      let cp = c + (<usize>j) * rowBytes;
      let pp = panel;
      for (let t: i32 = 0; t < d; t++) {
        const cv = v128.load64_splat(cp);
        let u = f64x2.sub(v128.load(pp), cv);
        s0 = f64x2.add(s0, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 16), cv);
        s1 = f64x2.add(s1, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 32), cv);
        s2 = f64x2.add(s2, f64x2.mul(u, u));
        u = f64x2.sub(v128.load(pp, 48), cv);
        s3 = f64x2.add(s3, f64x2.mul(u, u));
        cp += 8;
        pp += 64;
      }
      let m0 = v128.bitselect(s0, c0, f64x2.lt(s0, c0));
      let m1 = v128.bitselect(s1, c1, f64x2.lt(s1, c1));
      let m2 = v128.bitselect(s2, c2, f64x2.lt(s2, c2));
      let m3 = v128.bitselect(s3, c3, f64x2.lt(s3, c3));
      if (weighted != 0) {
        m0 = f64x2.mul(m0, v128.load(wg));
        m1 = f64x2.mul(m1, v128.load(wg, 16));
        m2 = f64x2.mul(m2, v128.load(wg, 32));
        m3 = f64x2.mul(m3, v128.load(wg, 48));
      }
      const pj = pots + ((<usize>j) << 3);
      let q = load<f64>(pj);
      if (rows == 8) {
        q += f64x2.extract_lane(m0, 0);
        q += f64x2.extract_lane(m0, 1);
        q += f64x2.extract_lane(m1, 0);
        q += f64x2.extract_lane(m1, 1);
        q += f64x2.extract_lane(m2, 0);
        q += f64x2.extract_lane(m2, 1);
        q += f64x2.extract_lane(m3, 0);
        q += f64x2.extract_lane(m3, 1);
      } else {
        v128.store(mins, m0);
        v128.store(mins, m1, 16);
        v128.store(mins, m2, 32);
        v128.store(mins, m3, 48);
        for (let r: i32 = 0; r < rows; r++) q += load<f64>(mins + ((<usize>r) << 3));
      }
      store<f64>(pj, q);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The WebAssembly SIMD twin of elkanChunk (kernels.ts): one Elkan assignment pass with its
// bounds. It must give that kernel's bits: labels, upper bounds, every lower bound, the sums and
// the change count. Every distance is the sum over t in order of (x_t - c_t)^2, one rounding per
// operation, and sqrt(s) as Math.sqrt; f64x2 lanes hold two rows (first pass, as assign above) or
// two centres of one row (later passes), never two coordinates of one sum. A later pass decides
// as elkanChunk does, centre by centre in index order with its very tests, but computes first,
// two centres per vector, the distances to every centre that passes the tests once the own
// distance is known; the decisions then read those (a distance that the scan needs and that was
// not computed ahead, after the label changed, is computed there). A distance computed ahead and
// not needed is dropped, so the lower bounds written are exactly elkanChunk's. Sums and weight
// sums receive their rows in row order, as in elkanChunk. Laid out by the caller (makeElkanWasm
// in kernels.ts).

/** sum over t in order of (x_t - c_t)^2, scalar. */
function sqDist(xp: usize, cp: usize, d: i32): f64 {
  let s: f64 = 0;
  for (let t: i32 = 0; t < d; t++) {
    const u = load<f64>(xp + ((<usize>t) << 3)) - load<f64>(cp + ((<usize>t) << 3));
    s += u * u;
  }
  return s;
}

/**
 * One Elkan pass over `m` rows (row-major at `x`, `d` values each) and `k` centres (row-major at
 * `c`): `labels` (m i32), `upper` (m f64) and `lower` (m*k f64) in and out, as elkanChunk
 * (kernels.ts) leaves them; `half` (k*k), `nextHalf` (k) and `move` (k) as its job's. With
 * `first` every distance is computed and the bounds made tight. Then adds each row (times its
 * weight when `weighted`, weights at `w`) to `sums` (k*d) and its weight to `wsums` (k), in row
 * order. `scratch` holds max(8*d + 24, 2*k) doubles. Returns the number of changed labels.
 * Complexity O(m * k) for the bounds plus the distances not pruned, O(m * k * d) at worst.
 */
export function elkan(
  x: usize, m: i32, d: i32, k: i32, c: usize, labels: usize, upper: usize, lower: usize,
  half: usize, nextHalf: usize, move: usize, first: i32, slack: f64,
  weighted: i32, w: usize, sums: usize, wsums: usize, scratch: usize,
): i32 {
  let changed: i32 = 0;
  const rowBytes = (<usize>d) << 3;
  const lowBytes = (<usize>k) << 3;
  const zero = f64x2.splat(0);
  if (first != 0) {
    const panel = scratch;
    const best = panel + ((<usize>d) << 6);
    const index = best + 64;
    const roots = index + 64;
    for (let g: i32 = 0; g < m; g += 8) {
      const rows = min<i32>(8, m - g);
      // The group's rows side by side: panel[8t + r] = x[g + r][t] (zeros for missing rows).
      for (let r: i32 = 0; r < 8; r++) {
        const dst = panel + ((<usize>r) << 3);
        if (r < rows) {
          const src = x + (<usize>(g + r)) * rowBytes;
          for (let t: i32 = 0; t < d; t++) store<f64>(dst + ((<usize>t) << 6), load<f64>(src + ((<usize>t) << 3)));
        } else {
          for (let t: i32 = 0; t < d; t++) store<f64>(dst + ((<usize>t) << 6), 0);
        }
      }
      let b0 = f64x2.splat(Infinity);
      let b1 = b0;
      let b2 = b0;
      let b3 = b0;
      let i0 = zero;
      let i1 = zero;
      let i2 = zero;
      let i3 = zero;
      const lg = lower + (<usize>g) * lowBytes;
      for (let j: i32 = 0; j < k; j++) {
        let s0 = zero;
        let s1 = zero;
        let s2 = zero;
        let s3 = zero;
        let cp = c + (<usize>j) * rowBytes;
        let pp = panel;
        for (let t: i32 = 0; t < d; t++) {
          const cv = v128.load64_splat(cp);
          let u = f64x2.sub(v128.load(pp), cv);
          s0 = f64x2.add(s0, f64x2.mul(u, u));
          u = f64x2.sub(v128.load(pp, 16), cv);
          s1 = f64x2.add(s1, f64x2.mul(u, u));
          u = f64x2.sub(v128.load(pp, 32), cv);
          s2 = f64x2.add(s2, f64x2.mul(u, u));
          u = f64x2.sub(v128.load(pp, 48), cv);
          s3 = f64x2.add(s3, f64x2.mul(u, u));
          cp += 8;
          pp += 64;
        }
        // lower[g + r][j] = sqrt(s_r).
        const q0 = f64x2.sqrt(s0);
        const q1 = f64x2.sqrt(s1);
        const q2 = f64x2.sqrt(s2);
        const q3 = f64x2.sqrt(s3);
        const lp = lg + ((<usize>j) << 3);
        if (rows == 8) {
          store<f64>(lp, f64x2.extract_lane(q0, 0));
          store<f64>(lp + lowBytes, f64x2.extract_lane(q0, 1));
          store<f64>(lp + 2 * lowBytes, f64x2.extract_lane(q1, 0));
          store<f64>(lp + 3 * lowBytes, f64x2.extract_lane(q1, 1));
          store<f64>(lp + 4 * lowBytes, f64x2.extract_lane(q2, 0));
          store<f64>(lp + 5 * lowBytes, f64x2.extract_lane(q2, 1));
          store<f64>(lp + 6 * lowBytes, f64x2.extract_lane(q3, 0));
          store<f64>(lp + 7 * lowBytes, f64x2.extract_lane(q3, 1));
        } else {
          v128.store(roots, q0);
          v128.store(roots, q1, 16);
          v128.store(roots, q2, 32);
          v128.store(roots, q3, 48);
          for (let r: i32 = 0; r < rows; r++) store<f64>(lp + (<usize>r) * lowBytes, load<f64>(roots + ((<usize>r) << 3)));
        }
        const jv = f64x2.splat(<f64>j);
        let mk = f64x2.lt(s0, b0);
        b0 = v128.bitselect(s0, b0, mk);
        i0 = v128.bitselect(jv, i0, mk);
        mk = f64x2.lt(s1, b1);
        b1 = v128.bitselect(s1, b1, mk);
        i1 = v128.bitselect(jv, i1, mk);
        mk = f64x2.lt(s2, b2);
        b2 = v128.bitselect(s2, b2, mk);
        i2 = v128.bitselect(jv, i2, mk);
        mk = f64x2.lt(s3, b3);
        b3 = v128.bitselect(s3, b3, mk);
        i3 = v128.bitselect(jv, i3, mk);
      }
      v128.store(best, b0);
      v128.store(best, b1, 16);
      v128.store(best, b2, 32);
      v128.store(best, b3, 48);
      v128.store(index, i0);
      v128.store(index, i1, 16);
      v128.store(index, i2, 32);
      v128.store(index, i3, 48);
      for (let r: i32 = 0; r < rows; r++) {
        const row = g + r;
        const j = <i32>load<f64>(index + ((<usize>r) << 3));
        store<f64>(upper + ((<usize>row) << 3), sqrt<f64>(load<f64>(best + ((<usize>r) << 3))));
        const lp = labels + ((<usize>row) << 2);
        if (load<i32>(lp) != j) changed++;
        store<i32>(lp, j);
      }
    }
  } else {
    // Per centre: its squared distance to the current row when mark[j] is the row's number.
    const sq = scratch;
    const mark = sq + lowBytes;
    const cand = mark + ((<usize>k) << 2);
    for (let j: i32 = 0; j < k; j++) store<i32>(mark + ((<usize>j) << 2), -1);
    for (let r: i32 = 0; r < m; r++) {
      const xp = x + (<usize>r) * rowBytes;
      const lp = lower + (<usize>r) * lowBytes;
      const old = load<i32>(labels + ((<usize>r) << 2));
      const up = upper + ((<usize>r) << 3);
      let u = load<f64>(up) + load<f64>(move + ((<usize>old) << 3));
      // The centres moved since the bounds were made: loosen them (v > 0 ? v : 0, two at a time).
      let j: i32 = 0;
      for (; j + 1 < k; j += 2) {
        const o = (<usize>j) << 3;
        const v = f64x2.sub(v128.load(lp + o), v128.load(move + o));
        v128.store(lp + o, v128.bitselect(v, zero, f64x2.gt(v, zero)));
      }
      if (j < k) {
        const o = (<usize>j) << 3;
        const v = load<f64>(lp + o) - load<f64>(move + o);
        store<f64>(lp + o, v > 0 ? v : 0);
      }
      let label = old;
      let us = u + slack;
      if (load<f64>(nextHalf + ((<usize>label) << 3)) > us) {
        store<f64>(up, u);
        continue;
      }
      let hrow = half + (<usize>label) * lowBytes;
      // The first centre the loose bound does not rule out; none: the label stays.
      let jf: i32 = 0;
      for (; jf < k; jf++) {
        if (jf == label) continue;
        const o = (<usize>jf) << 3;
        if (load<f64>(lp + o) > us || load<f64>(hrow + o) > us) continue;
        break;
      }
      if (jf == k) {
        store<f64>(up, u);
        continue;
      }
      // The own distance makes the upper bound tight.
      let bestSq = sqDist(xp, c + (<usize>label) * rowBytes, d);
      u = sqrt<f64>(bestSq);
      store<f64>(lp + ((<usize>label) << 3), u);
      store<f64>(sq + ((<usize>label) << 3), bestSq);
      store<i32>(mark + ((<usize>label) << 2), r);
      us = u + slack;
      // Ahead: the distances to the centres from jf on that the tight bound does not rule out.
      let nc: i32 = 0;
      for (let q: i32 = jf; q < k; q++) {
        if (q == label) continue;
        const o = (<usize>q) << 3;
        if (load<f64>(lp + o) > us || load<f64>(hrow + o) > us) continue;
        store<i32>(cand + ((<usize>nc) << 2), q);
        nc++;
      }
      let p: i32 = 0;
      for (; p + 3 < nc; p += 4) {
        const qa = load<i32>(cand + ((<usize>p) << 2));
        const qb = load<i32>(cand + ((<usize>p) << 2), 4);
        const qc = load<i32>(cand + ((<usize>p) << 2), 8);
        const qd = load<i32>(cand + ((<usize>p) << 2), 12);
        let ca = c + (<usize>qa) * rowBytes;
        let cb = c + (<usize>qb) * rowBytes;
        let cc = c + (<usize>qc) * rowBytes;
        let cd = c + (<usize>qd) * rowBytes;
        let s0 = zero;
        let s1 = zero;
        let xq = xp;
        for (let t: i32 = 0; t < d; t++) {
          const xv = v128.load64_splat(xq);
          let u0 = f64x2.sub(xv, v128.load64_lane(cb, v128.load64_zero(ca), 1));
          s0 = f64x2.add(s0, f64x2.mul(u0, u0));
          u0 = f64x2.sub(xv, v128.load64_lane(cd, v128.load64_zero(cc), 1));
          s1 = f64x2.add(s1, f64x2.mul(u0, u0));
          xq += 8;
          ca += 8;
          cb += 8;
          cc += 8;
          cd += 8;
        }
        store<f64>(sq + ((<usize>qa) << 3), f64x2.extract_lane(s0, 0));
        store<f64>(sq + ((<usize>qb) << 3), f64x2.extract_lane(s0, 1));
        store<f64>(sq + ((<usize>qc) << 3), f64x2.extract_lane(s1, 0));
        store<f64>(sq + ((<usize>qd) << 3), f64x2.extract_lane(s1, 1));
        store<i32>(mark + ((<usize>qa) << 2), r);
        store<i32>(mark + ((<usize>qb) << 2), r);
        store<i32>(mark + ((<usize>qc) << 2), r);
        store<i32>(mark + ((<usize>qd) << 2), r);
      }
      if (p + 1 < nc) {
        const qa = load<i32>(cand + ((<usize>p) << 2));
        const qb = load<i32>(cand + ((<usize>p) << 2), 4);
        let ca = c + (<usize>qa) * rowBytes;
        let cb = c + (<usize>qb) * rowBytes;
        let s0 = zero;
        let xq = xp;
        for (let t: i32 = 0; t < d; t++) {
          const u0 = f64x2.sub(v128.load64_splat(xq), v128.load64_lane(cb, v128.load64_zero(ca), 1));
          s0 = f64x2.add(s0, f64x2.mul(u0, u0));
          xq += 8;
          ca += 8;
          cb += 8;
        }
        store<f64>(sq + ((<usize>qa) << 3), f64x2.extract_lane(s0, 0));
        store<f64>(sq + ((<usize>qb) << 3), f64x2.extract_lane(s0, 1));
        store<i32>(mark + ((<usize>qa) << 2), r);
        store<i32>(mark + ((<usize>qb) << 2), r);
        p += 2;
      }
      if (p < nc) {
        const qa = load<i32>(cand + ((<usize>p) << 2));
        store<f64>(sq + ((<usize>qa) << 3), sqDist(xp, c + (<usize>qa) * rowBytes, d));
        store<i32>(mark + ((<usize>qa) << 2), r);
      }
      // elkanChunk's scan from jf on, with the tight bound.
      for (let q: i32 = jf; q < k; q++) {
        if (q == label) continue;
        const o = (<usize>q) << 3;
        if (load<f64>(lp + o) > us || load<f64>(hrow + o) > us) continue;
        const s = load<i32>(mark + ((<usize>q) << 2)) == r ? load<f64>(sq + o) : sqDist(xp, c + (<usize>q) * rowBytes, d);
        const dist = sqrt<f64>(s);
        store<f64>(lp + o, dist);
        if (s < bestSq || (s == bestSq && q < label)) {
          label = q;
          bestSq = s;
          u = dist;
          us = u + slack;
          hrow = half + (<usize>label) * lowBytes;
        }
      }
      store<i32>(labels + ((<usize>r) << 2), label);
      store<f64>(up, u);
      if (label != old) changed++;
    }
  }
  // The sums in row order, as elkanChunk adds them.
  for (let r: i32 = 0; r < m; r++) {
    const j = load<i32>(labels + ((<usize>r) << 2));
    const xp = x + (<usize>r) * rowBytes;
    const sp = sums + (<usize>j) * rowBytes;
    const wp = wsums + ((<usize>j) << 3);
    if (weighted == 0) {
      store<f64>(wp, load<f64>(wp) + 1);
      let t: i32 = 0;
      for (; t + 1 < d; t += 2) {
        const o = (<usize>t) << 3;
        v128.store(sp + o, f64x2.add(v128.load(sp + o), v128.load(xp + o)));
      }
      if (t < d) {
        const o = (<usize>t) << 3;
        store<f64>(sp + o, load<f64>(sp + o) + load<f64>(xp + o));
      }
    } else {
      const wr = load<f64>(w + ((<usize>r) << 3));
      store<f64>(wp, load<f64>(wp) + wr);
      const wv = f64x2.splat(wr);
      let t: i32 = 0;
      for (; t + 1 < d; t += 2) {
        const o = (<usize>t) << 3;
        v128.store(sp + o, f64x2.add(v128.load(sp + o), f64x2.mul(wv, v128.load(xp + o))));
      }
      if (t < d) {
        const o = (<usize>t) << 3;
        store<f64>(sp + o, load<f64>(sp + o) + wr * load<f64>(xp + o));
      }
    }
  }
  return changed;
}
