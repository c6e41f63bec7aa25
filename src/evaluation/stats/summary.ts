/** Small numeric helpers: quantiles, summaries, seeded sampling. */
import type { Rng } from '../../rng.js';
import type { Summary } from '../types.js';

/** Quantile of sorted values with linear interpolation (type 7, numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Quantile summary of the finite values; null when there are none. */
export function summarize(values: ArrayLike<number>): Summary | null {
  const v = Float64Array.from(Array.prototype.filter.call(values, (x: number) => Number.isFinite(x)) as number[]).sort();
  if (v.length === 0) return null;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    n: v.length,
    mean: r(s / v.length),
    min: r(v[0]!),
    q05: r(quantileSorted(v, 0.05)),
    q25: r(quantileSorted(v, 0.25)),
    median: r(quantileSorted(v, 0.5)),
    q75: r(quantileSorted(v, 0.75)),
    q95: r(quantileSorted(v, 0.95)),
    max: r(v[v.length - 1]!),
  };
}

/** `k` distinct indices from [0, n), seeded (partial Fisher-Yates); all of them, shuffled, when k >= n. */
export function sampleIndices(n: number, k: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.slice(0, m);
}

export function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
