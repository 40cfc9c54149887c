/**
 * Confidence intervals for proportions, pure functions shared by the annual review (surveys) and the body
 * scorecards.
 *
 * - Wilson score interval (Wilson 1927; recommended by Newcombe 1998 and Brown, Cai & DasGupta 2001 over the
 *   "p ± 1.96·SE" Wald interval, which collapses at 0 and 1 and undercovers for small n).
 * - Difference between two independent proportions: Newcombe's hybrid score interval (Newcombe 1998,
 *   method 10), built from the two Wilson intervals. Used for year-on-year change.
 */

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  /** The observed proportion x / n. */
  estimate: number;
  lower: number;
  upper: number;
}

/** The Wilson score interval for x successes out of n; null when n is 0. */
export function wilsonInterval(x: number, n: number, z = Z_95): Interval | null {
  if (!Number.isFinite(x) || !Number.isFinite(n) || n <= 0) return null;
  if (x < 0 || x > n) throw new RangeError(`wilsonInterval: x=${x} must be between 0 and n=${n}`);
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp rounding noise at the ends (x = 0 gives a lower bound of exactly 0).
  return {
    estimate: p,
    lower: x === 0 ? 0 : Math.max(0, centre - half),
    upper: x === n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Newcombe's hybrid score interval for p1 − p2 (x1/n1 this year minus x2/n2 last year); null when either n
 * is 0. `significant` is true when the interval excludes zero.
 */
export function differenceInterval(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z = Z_95,
): (Interval & { significant: boolean }) | null {
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  if (!a || !b) return null;
  const d = a.estimate - b.estimate;
  const lower = d - Math.sqrt((a.estimate - a.lower) ** 2 + (b.upper - b.estimate) ** 2);
  const upper = d + Math.sqrt((a.upper - a.estimate) ** 2 + (b.estimate - b.lower) ** 2);
  return { estimate: d, lower, upper, significant: lower > 0 || upper < 0 };
}
