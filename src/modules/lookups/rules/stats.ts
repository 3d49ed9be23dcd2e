// Robust statistics for the volume rule: median and MAD, so one heavy user does not hide
// another by inflating the spread the way a standard deviation would.

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/**
 * Robust z-score (Iglewicz–Hoaglin): 0.6745 (x − median) / MAD. When the MAD is 0 (most peers
 * equal) the mean absolute deviation × 1.2533 stands in; when that is 0 too, any x above the median
 * is infinitely far.
 */
export function robustZ(x: number, values: readonly number[]): number {
  return robustZOf(x, robustScale(values));
}

/** The median and spreads robustZ needs, computed once for many x against the same values. */
export interface RobustScale {
  median: number;
  mad: number;
  meanAbs: number;
}

export function robustScale(values: readonly number[]): RobustScale {
  const m = median(values);
  return { median: m, mad: mad(values), meanAbs: values.length === 0 ? 0 : values.reduce((t, v) => t + Math.abs(v - m), 0) / values.length };
}

export function robustZOf(x: number, s: RobustScale): number {
  if (s.mad > 0) return (0.6745 * (x - s.median)) / s.mad;
  if (s.meanAbs > 0) return (x - s.median) / (1.2533 * s.meanAbs);
  return x > s.median ? Number.POSITIVE_INFINITY : 0;
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
