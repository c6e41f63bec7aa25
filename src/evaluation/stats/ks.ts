/**
 * Two-sample Kolmogorov-Smirnov statistic D = sup_x |F_a(x) - F_b(x)| of the empirical CDFs.
 *
 * Ties are handled by advancing both samples past equal values before comparing, so D is the
 * supremum over all x (as scipy.stats.ks_2samp computes it). O((n + m) log(n + m)).
 * @throws RangeError when either sample is empty.
 * @example ksStatistic([1, 2, 3, 4], [3, 4, 5, 6]) // 0.5
 */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) throw new RangeError('ksStatistic needs two non-empty samples');
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = x[i]! <= y[j]! ? x[i]! : y[j]!;
    while (i < n && x[i]! === v) i++;
    while (j < m && y[j]! === v) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  return d;
}
