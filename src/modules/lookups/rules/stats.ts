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
  const m = median(values);
  const d = mad(values);
  if (d > 0) return (0.6745 * (x - m)) / d;
  const meanAbs = values.length === 0 ? 0 : values.reduce((t, v) => t + Math.abs(v - m), 0) / values.length;
  if (meanAbs > 0) return (x - m) / (1.2533 * meanAbs);
  return x > m ? Number.POSITIVE_INFINITY : 0;
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
