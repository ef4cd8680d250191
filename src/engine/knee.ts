/**
 * Knee (elbow) points of discrete curves by Kneedle: Satopää, Albrecht, Irwin and Raghavan,
 * "Finding a 'Kneedle' in a Haystack: Detecting Knee Points in System Behavior", ICDCS
 * Workshops 2011. Used for the elbow of the inertia curve over k and for the knee of the
 * sorted k-distance curve that suggests DBSCAN's eps.
 */
import { check } from './errors';

/** The shape of the curve around its knee, in the sense of Kneedle (and the `kneed` package). */
export interface KneedleOptions {
  /**
   * 'convex' (default): the curve lies below its chord, e.g. inertia over k (steep, then flat)
   * or a sorted k-distance curve (flat, then steep). 'concave': it lies above its chord.
   */
  curve?: 'convex' | 'concave';
  /** Default: 'decreasing' when the last y is below the first, else 'increasing'. */
  direction?: 'decreasing' | 'increasing';
  /**
   * Kneedle's sensitivity S (default 1): after a candidate the difference curve must fall by
   * S times the mean x step (normalised) before the next local maximum. Larger is stricter.
   */
  sensitivity?: number;
}

/** A knee with the size of its bend. */
export interface Knee {
  /** Index into the input arrays. */
  index: number;
  /** Kneedle's difference value there: the normalised distance between the curve and its chord, in (0, 1]. */
  difference: number;
}

/**
 * The knee of the curve (x[i], y[i]) by Kneedle, or null when there is none.
 *
 * Both axes are normalised to [0, 1] and the curve is reflected so that its knee becomes the
 * knee of a concave increasing curve; the difference curve D = (normalised y) - (normalised x)
 * of that curve is then scanned in increasing (transformed) x. Every local maximum of D is a
 * candidate with threshold T = D_max - S / (n - 1); the candidate is a knee when D falls below T
 * before the next local maximum; at a local minimum the threshold becomes 0 (the paper's
 * reset). Departures from the `kneed` package's offline mode, on purpose: the endpoints are
 * never knees, a candidate must lie strictly off the chord (D > 1e-12, so a straight line
 * with rounding noise has no knee), and when several knees are found the one furthest from
 * the chord (largest D) is returned, not the first.
 *
 * No knee: fewer than 3 points, a flat curve (all y equal), a straight line, or a bend
 * smaller than S mean x steps (e.g. any curve of 3 points at S = 1).
 *
 * @param x strictly increasing, finite. @param y finite, same length.
 * @throws EngineError when x is not strictly increasing, a value is not finite, the lengths
 *   differ or the sensitivity is not a finite number >= 0. O(n) time and memory.
 */
export function findKnee(x: ArrayLike<number>, y: ArrayLike<number>, options: KneedleOptions = {}): Knee | null {
  const n = x.length;
  check(y.length === n, `x has ${n} values and y ${y.length}: they should be equal`);
  const S = options.sensitivity ?? 1;
  check(Number.isFinite(S) && S >= 0, `sensitivity=${S} should be a finite number >= 0`);
  const curve = options.curve ?? 'convex';
  check(curve === 'convex' || curve === 'concave', `curve=${String(curve)} should be 'convex' or 'concave'`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) check(false, `point ${i} = (${x[i]}, ${y[i]}) should be finite`);
    if (i > 0 && !(x[i] > x[i - 1])) check(false, `x[${i}]=${x[i]} should be > x[${i - 1}]=${x[i - 1]}: x must increase`);
  }
  if (n < 3) return null;
  const direction = options.direction ?? (y[n - 1] < y[0] ? 'decreasing' : 'increasing');
  check(direction === 'decreasing' || direction === 'increasing',
    `direction=${String(direction)} should be 'decreasing' or 'increasing'`);
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (y[i] < yMin) yMin = y[i];
    if (y[i] > yMax) yMax = y[i];
  }
  if (!(yMax > yMin)) return null;
  const x0 = x[0];
  const xSpan = x[n - 1] - x0;
  const ySpan = yMax - yMin;
  const increasing = direction === 'increasing';
  // Reflections that turn the curve into a concave increasing one. Where the flat part comes
  // first (convex increasing, concave decreasing) the x axis is reversed, so the scan runs from
  // the last point to the first.
  const reversed = (curve === 'convex') === increasing;
  const diff = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const i = reversed ? n - 1 - t : t;
    const xn = (x[i] - x0) / xSpan;
    const yn = (y[i] - yMin) / ySpan;
    const chord = increasing ? xn : 1 - xn;
    diff[t] = curve === 'concave' ? yn - chord : chord - yn;
  }
  const step = S / (n - 1); // the mean of the normalised x steps is 1 / (n - 1)
  let best: Knee | null = null;
  let threshold = -Infinity;
  let candidate = -1;
  for (let t = 1; t < n - 1; t++) {
    const isMax = diff[t] >= diff[t - 1] && diff[t] >= diff[t + 1];
    const isMin = diff[t] <= diff[t - 1] && diff[t] <= diff[t + 1];
    if (isMax) {
      candidate = diff[t] > 1e-12 ? t : -1;
      threshold = diff[t] - step;
    }
    if (isMin) threshold = 0;
    if (candidate >= 0 && diff[t + 1] < threshold) {
      if (best === null || diff[candidate] > best.difference) {
        best = { index: reversed ? n - 1 - candidate : candidate, difference: diff[candidate] };
      }
      candidate = -1;
    }
  }
  return best;
}

/** The index of the knee found by {@link findKnee}, or null. Same options, throws and cost. */
export function kneedle(x: ArrayLike<number>, y: ArrayLike<number>, options: KneedleOptions = {}): number | null {
  return findKnee(x, y, options)?.index ?? null;
}
