/**
 * Feature matrices for the evaluation's models, fitted on the training rows only:
 * - `LinearDesign` for logistic/ridge regression: standardised numerics (missing -> 0 plus a missing
 *   indicator) and one-hot categories stored sparsely as one weight index per categorical column.
 * - `BinnedDesign` for the histogram gradient-boosted trees: up to 64 bins per column, bin 0 = missing;
 *   numerics by quantile edges (ordered), categories by code, the 62 most frequent kept, the rest pooled.
 */
import type { PreparedColumn, PreparedTable } from '../prepare.js';
import { quantileSorted } from '../stats/summary.js';

export interface LinearDesign {
  n: number;
  nDense: number;
  /** n x nDense, row-major. */
  dense: Float64Array;
  nCat: number;
  /** n x nCat, row-major: index of the active one-hot weight (offset by nDense). */
  cat: Int32Array;
  /** Total number of weights (dense + all one-hot levels), without the intercept. */
  nFeatures: number;
}

export interface LinearFeaturizer {
  nFeatures: number;
  transform(t: PreparedTable): LinearDesign;
}

/** Fit the linear featurizer on `fit` using the columns `cols` (indices into `columns`). */
export function fitLinearFeaturizer(columns: readonly PreparedColumn[], cols: readonly number[], fit: PreparedTable): LinearFeaturizer {
  const numCols: { j: number; mean: number; std: number; indicator: boolean }[] = [];
  const catCols: { j: number; offset: number; levels: number }[] = [];
  for (const j of cols) {
    const col = columns[j]!;
    if (col.kind === 'num') {
      const v = fit.values[j] as Float64Array;
      let n = 0;
      let s = 0;
      let ss = 0;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (x === x) {
          n++;
          s += x;
          ss += x * x;
        }
      }
      const mean = n ? s / n : 0;
      const varr = n ? ss / n - mean * mean : 0;
      const std = varr > 1e-12 * (mean * mean + 1) ? Math.sqrt(varr) : 1;
      numCols.push({ j, mean, std, indicator: n < v.length });
    }
  }
  const nDense = numCols.length + numCols.filter((c) => c.indicator).length;
  let offset = nDense;
  for (const j of cols) {
    const col = columns[j]!;
    if (col.kind === 'cat') {
      const levels = col.categories.length + 1; // last level = missing
      catCols.push({ j, offset, levels });
      offset += levels;
    }
  }
  const nFeatures = offset;
  return {
    nFeatures,
    transform(t) {
      const n = t.n;
      const dense = new Float64Array(n * nDense);
      let d = 0;
      for (const c of numCols) {
        const v = t.values[c.j] as Float64Array;
        for (let i = 0; i < n; i++) {
          const x = v[i]!;
          dense[i * nDense + d] = x === x ? (x - c.mean) / c.std : 0;
        }
        d++;
        if (c.indicator) {
          for (let i = 0; i < n; i++) dense[i * nDense + d] = v[i] === v[i] ? 0 : 1;
          d++;
        }
      }
      const nCat = catCols.length;
      const cat = new Int32Array(n * nCat);
      catCols.forEach((c, k) => {
        const v = t.values[c.j] as Int32Array;
        for (let i = 0; i < n; i++) cat[i * nCat + k] = c.offset + (v[i]! < 0 ? c.levels - 1 : v[i]!);
      });
      return { n, nDense, dense, nCat, cat, nFeatures };
    },
  };
}

export interface BinnedDesign {
  n: number;
  f: number;
  /** n x f, row-major. */
  bins: Uint8Array;
  nBins: Int32Array;
  /** 1 when the feature's bins are unordered categories. */
  categorical: Uint8Array;
}

export interface BinFeaturizer {
  transform(t: PreparedTable): BinnedDesign;
}

export const MAX_BINS = 64;

export function fitBinFeaturizer(columns: readonly PreparedColumn[], cols: readonly number[], fit: PreparedTable): BinFeaturizer {
  const f = cols.length;
  const nBins = new Int32Array(f);
  const categorical = new Uint8Array(f);
  const edges: Float64Array[] = [];
  const catMap: Int32Array[] = [];
  cols.forEach((j, k) => {
    const col = columns[j]!;
    if (col.kind === 'num') {
      const present = Float64Array.from((fit.values[j] as Float64Array).filter((x) => x === x)).sort();
      const e: number[] = [];
      const m = MAX_BINS - 2;
      for (let b = 1; b <= m; b++) {
        const q = quantileSorted(present, b / (m + 1));
        if (q === q && (e.length === 0 || q > e[e.length - 1]!)) e.push(q);
      }
      edges[k] = Float64Array.from(e);
      catMap[k] = new Int32Array(0);
      nBins[k] = e.length + 2;
    } else {
      categorical[k] = 1;
      const counts = new Float64Array(col.categories.length);
      const v = fit.values[j] as Int32Array;
      for (let i = 0; i < v.length; i++) if (v[i]! >= 0) counts[v[i]!]++;
      const order = [...counts.keys()].filter((c) => counts[c]! > 0).sort((a, b) => counts[b]! - counts[a]! || a - b);
      const keep = order.slice(0, MAX_BINS - 2);
      const map = new Int32Array(col.categories.length).fill(keep.length + 1); // pooled "other" bin
      keep.forEach((c, r) => (map[c] = r + 1));
      catMap[k] = map;
      edges[k] = new Float64Array(0);
      nBins[k] = keep.length + 2;
    }
  });
  return {
    transform(t) {
      const n = t.n;
      const bins = new Uint8Array(n * f);
      cols.forEach((j, k) => {
        if (categorical[k]) {
          const v = t.values[j] as Int32Array;
          const map = catMap[k]!;
          for (let i = 0; i < n; i++) bins[i * f + k] = v[i]! < 0 ? 0 : map[v[i]!]!;
        } else {
          const v = t.values[j] as Float64Array;
          const e = edges[k]!;
          for (let i = 0; i < n; i++) {
            const x = v[i]!;
            if (x !== x) {
              bins[i * f + k] = 0;
              continue;
            }
            let lo = 0;
            let hi = e.length;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (e[mid]! < x) lo = mid + 1;
              else hi = mid;
            }
            bins[i * f + k] = 1 + lo;
          }
        }
      });
      return { n, f, bins, nBins: nBins.slice(), categorical: categorical.slice() };
    },
  };
}
