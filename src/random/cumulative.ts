/**
 * Inverse-CDF draws over non-negative weights: the running sums, and the first index whose running sum
 * exceeds a point (binary search). Shared by the baselines and MST.
 */

/** Running sums of the weights, negative weights counted as 0. */
export function cumulative(w: ArrayLike<number>): Float64Array {
  const out = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) out[i] = s += Math.max(0, w[i]!);
  return out;
}

/** Smallest index i with cum[i] > x (the last index when none is). */
export function searchCumulative(cum: Float64Array, x: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
