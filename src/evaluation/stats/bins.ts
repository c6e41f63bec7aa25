/**
 * Discretisation shared by the contingency metric: each column becomes small integer bins, numeric
 * columns by quantile edges of the real data, categories by code; missing is always its own bin.
 */
import type { PreparedColumn } from '../prepare.js';
import { quantileSorted } from './summary.js';

export interface Binner {
  /** Number of bins including the missing bin (the last one). */
  size: number;
  apply(v: Float64Array | Int32Array): Int32Array;
}

/** Up to `nBins` quantile bins of `real` (numeric) or one bin per category; missing = bin size - 1. */
export function makeBinner(col: PreparedColumn, real: Float64Array | Int32Array, nBins = 10): Binner {
  if (col.kind === 'cat') {
    const k = col.categories.length;
    return {
      size: k + 1,
      apply: (v) => {
        const out = new Int32Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = v[i]! < 0 ? k : v[i]!;
        return out;
      },
    };
  }
  const present = Float64Array.from((real as Float64Array).filter((x) => x === x)).sort();
  const edges: number[] = [];
  for (let b = 1; b < nBins; b++) {
    const q = quantileSorted(present, b / nBins);
    if (q === q && (edges.length === 0 || q > edges[edges.length - 1]!)) edges.push(q);
  }
  const k = edges.length + 1;
  return {
    size: k + 1,
    apply: (v) => {
      const out = new Int32Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (x !== x) {
          out[i] = k;
          continue;
        }
        // Bins are (-inf, e0], (e0, e1], ..., (e_last, inf): count the edges strictly below x.
        let lo = 0;
        let hi = edges.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (edges[mid]! < x) lo = mid + 1;
          else hi = mid;
        }
        out[i] = lo;
      }
      return out;
    },
  };
}

/** Total variation distance 0.5 * sum |p - q| of two count vectors (normalised here). */
export function tvdCounts(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! / na - b[i]! / nb);
  return 0.5 * s;
}
