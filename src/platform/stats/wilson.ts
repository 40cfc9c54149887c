/**
 * Wilson score interval for a proportion (Wilson, 1927): the interval every rate on a scorecard or survey
 * result carries. Unlike the normal ("Wald") interval it stays inside 0–1 and behaves at 0/n and n/n, where
 * small bodies often sit. Pure functions, no I/O.
 *
 *   centre = (p + z²/2n) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²)
 */

/** The 97.5th percentile of the standard normal distribution: a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

export interface WilsonInterval {
  /** successes / trials */
  rate: number;
  lower: number;
  upper: number;
}

export class InvalidProportionError extends Error {
  override name = 'InvalidProportionError';
}

/**
 * The Wilson interval of `successes` out of `trials` (95% unless another z is given). Throws for
 * non-integer, negative or impossible counts; returns null for 0 trials (no rate exists).
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): WilsonInterval | null {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || trials < 0)
    throw new InvalidProportionError('Counts must be whole numbers, 0 or more');
  if (successes > trials) throw new InvalidProportionError('Successes cannot exceed trials');
  if (trials === 0) return null;
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp rounding noise at the ends (0/n and n/n give exactly 0 and 1 in exact arithmetic).
  return {
    rate: p,
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/** Do two intervals overlap? Then the difference between the two rates is not clear at this level. */
export function intervalsOverlap(a: WilsonInterval, b: WilsonInterval): boolean {
  return a.lower <= b.upper && b.lower <= a.upper;
}
