/**
 * Special functions the metrics need: the log-gamma function, accurate to a few units in
 * the last place of its result over the positive reals (what the expected mutual
 * information of the adjusted mutual information needs).
 */

const HALF_LOG_2PI = 0.9189385332046728; // ln(2 pi) / 2

/** (k - 1)! for k = 1..23: exactly representable in a double (the odd part of 22! is below 2^53). */
const FACTORIALS: Float64Array = (() => {
  const f = new Float64Array(23);
  f[0] = 1;
  for (let k = 1; k < 23; k++) f[k] = f[k - 1] * k;
  return f;
})();

/**
 * ln |Gamma(x)| for x > 0.
 *
 * - Integers 1..23: ln((x - 1)!) from the exact factorial, so lgamma(1) = lgamma(2) = 0 exactly.
 * - x >= 10: Stirling's series (terms to x^-13; the omitted term is below 4e-17 there).
 * - 0 < x < 10: Gamma(x) = Gamma(x + m) / (x (x + 1) ... (x + m - 1)), shifted into the Stirling range.
 *
 * Accuracy (checked against C's `lgamma`): integers and x >= 10 within about 2 ulp of
 * max(1, |result|), like SciPy's `gammaln`; non-integers below 10 within about 5e-15 absolute
 * (the shift loses a few bits to cancellation). The expected mutual information only needs
 * integer arguments. Returns +Infinity at 0 and NaN for negative or NaN input.
 * Reference: Abramowitz & Stegun 6.1.40.
 */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return Infinity;
  if (x <= 23 && x === Math.floor(x)) return Math.log(FACTORIALS[x - 1]);
  let product = 1;
  let z = x;
  while (z < 10) {
    product *= z;
    z += 1;
  }
  const stirling = stirlingLgamma(z);
  return product === 1 ? stirling : stirling - Math.log(product);
}

/** Stirling's series for ln Gamma(z), z >= 10 (kernel: no checks). */
function stirlingLgamma(z: number): number {
  const r = 1 / z;
  const r2 = r * r;
  // Bernoulli-number coefficients B_{2k} / (2k (2k - 1)), k = 1..7, evaluated by Horner in 1/z^2.
  const series = r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188
    + r2 * (-691 / 360360 + r2 * (1 / 156)))))));
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + series;
}

/**
 * A table `t` with `t[k] = lgamma(k)` for k = 1..maxArg (t[0] is unused and +Infinity):
 * what the expected-mutual-information sums look up, since all their arguments are integers.
 */
export function lgammaTable(maxArg: number): Float64Array {
  const t = new Float64Array(maxArg + 1);
  t[0] = Infinity;
  for (let k = 1; k <= maxArg; k++) t[k] = lgamma(k);
  return t;
}
