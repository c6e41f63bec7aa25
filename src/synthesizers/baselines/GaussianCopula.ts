/**
 * Baseline synthesizer: a Gaussian copula over empirical marginals (NOT differentially private).
 *
 *   typed Table ──► per column a value u in (0, 1):
 *                     numeric/integer/datetime: mid-rank empirical CDF, u = (rank - 0.5) / m over the m present values
 *                     categorical/boolean: frequency-interval encoding as SDV's GaussianCopula (RDT's
 *                       FrequencyEncoder / CategoricalTransformer): categories sorted by frequency, each owns an
 *                       interval of [0, 1) as wide as its share; a row's u is drawn uniformly in its interval
 *                 ──► normal scores z = Phi^-1(u) ──► correlation matrix R (missing cells score 0)
 *   sample: z ~ N(0, R) (Cholesky) ──► u = Phi(z) ──► inverse empirical CDF (linear between order statistics)
 *           or the category whose interval holds u; each column's missing share drawn independently.
 *
 * The marginals, the correlation matrix and the category lists are all read from the real data and kept in
 * memory: this model is a non-private reference point for benchmarks.
 *
 * Complexity: fit O(rows * columns^2 + rows * columns * log rows); sample O(n * columns^2).
 */
import type { ColumnSpec, Metadata } from '../../metadata/Metadata.js';
import { modelledColumns } from '../../metadata/Metadata.js';
import type { Cell, Table } from '../../table/Table.js';
import { Rng } from '../../rng.js';

export interface GaussianCopulaOptions {
  seed?: number;
}

type CopulaColumn =
  | { kind: 'numeric'; name: string; spec: ColumnSpec; sorted: Float64Array; missingRate: number }
  | { kind: 'categorical'; name: string; values: string[]; /** right end of each category's interval */ upper: Float64Array; missingRate: number };

export class GaussianCopula {
  readonly differentiallyPrivate = false as const;
  private readonly cols: CopulaColumn[];
  /** Lower-triangular Cholesky factor of the normal-scores correlation, row-major p x p. */
  private readonly chol: Float64Array;
  /** The normal-scores correlation matrix, row-major p x p. */
  readonly correlation: Float64Array;

  private constructor(cols: CopulaColumn[], correlation: Float64Array, chol: Float64Array) {
    this.cols = cols;
    this.correlation = correlation;
    this.chol = chol;
  }

  /** Fit on a typed table (see coerceTable). */
  static fit(table: Table, metadata: Metadata, opts: GaussianCopulaOptions = {}): GaussianCopula {
    const rng = new Rng(opts.seed ?? 0).fork('gaussian-copula');
    const specs = modelledColumns(metadata);
    const n = table.rowCount;
    const p = specs.length;
    const scores = specs.map(() => new Float64Array(n));
    const cols: CopulaColumn[] = specs.map((c, j) => {
      const k = table.names.indexOf(c.name);
      if (k < 0) throw new RangeError(`column "${c.name}" is in the schema but not in the table`);
      const col = table.columns[k]!;
      return c.type === 'categorical' || c.type === 'boolean' ? fitCategorical(c, col, scores[j]!, rng.fork(`column:${c.name}`)) : fitNumeric(c, col, scores[j]!);
    });
    const corr = new Float64Array(p * p);
    for (let a = 0; a < p; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        let sa = 0;
        let sb = 0;
        const x = scores[a]!;
        const y = scores[b]!;
        for (let i = 0; i < n; i++) {
          s += x[i]! * y[i]!;
          sa += x[i]! * x[i]!;
          sb += y[i]! * y[i]!;
        }
        const r = a === b ? 1 : sa > 0 && sb > 0 ? s / Math.sqrt(sa * sb) : 0;
        corr[a * p + b] = corr[b * p + a] = r;
      }
    }
    return new GaussianCopula(cols, corr, choleskyWithRidge(corr, p));
  }

  /** n rows, columns in schema order (modelled columns only), typed like coerceTable's output. */
  sample(n: number, seed = 0): Table {
    const rng = new Rng(seed).fork('gaussian-copula:sample');
    const miss = rng.fork('missing');
    const p = this.cols.length;
    const out: Cell[][] = this.cols.map(() => new Array<Cell>(n));
    const e = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < p; a++) e[a] = rng.normal();
      for (let a = 0; a < p; a++) {
        let z = 0;
        for (let b = 0; b <= a; b++) z += this.chol[a * p + b]! * e[b]!;
        const c = this.cols[a]!;
        if (c.missingRate > 0 && miss.uniform() < c.missingRate) {
          out[a]![i] = null;
          continue;
        }
        out[a]![i] = invert(c, normalCdf(z));
      }
    }
    return { names: this.cols.map((c) => c.name), columns: out, rowCount: n };
  }
}

function fitNumeric(spec: ColumnSpec, col: Cell[], score: Float64Array): CopulaColumn {
  const idx: number[] = [];
  for (let i = 0; i < col.length; i++) if (typeof col[i] === 'number' && Number.isFinite(col[i])) idx.push(i);
  const m = idx.length;
  idx.sort((a, b) => (col[a] as number) - (col[b] as number));
  const sorted = Float64Array.from(idx, (i) => col[i] as number);
  // mid-ranks: tied values share the mean of their ranks, so a point mass gets one score
  for (let s = 0; s < m; ) {
    let e = s;
    while (e + 1 < m && sorted[e + 1] === sorted[s]) e++;
    const u = ((s + e) / 2 + 0.5) / m;
    const z = normalQuantile(u);
    for (let k = s; k <= e; k++) score[idx[k]!] = z;
    s = e + 1;
  }
  return { kind: 'numeric', name: spec.name, spec, sorted, missingRate: col.length ? (col.length - m) / col.length : 0 };
}

function fitCategorical(spec: ColumnSpec, col: Cell[], score: Float64Array, rng: Rng): CopulaColumn {
  const counts = new Map<string, number>();
  let present = 0;
  for (const v of col) {
    if (v === null) continue;
    const s = String(v);
    counts.set(s, (counts.get(s) ?? 0) + 1);
    present++;
  }
  // most frequent first (ties by name), as RDT's FrequencyEncoder
  const values = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const lower = new Map<string, number>();
  const upper = new Float64Array(values.length);
  let acc = 0;
  values.forEach((v, k) => {
    lower.set(v, acc);
    acc += counts.get(v)! / present;
    upper[k] = acc;
  });
  if (values.length) upper[values.length - 1] = 1;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (v === null) continue;
    const s = String(v);
    const a = lower.get(s)!;
    const w = counts.get(s)! / present;
    // strictly inside the interval, so Phi^-1 stays finite
    score[i] = normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, a + w * (0.001 + 0.998 * rng.uniform()))));
  }
  return { kind: 'categorical', name: spec.name, values, upper, missingRate: col.length ? (col.length - present) / col.length : 0 };
}

function invert(c: CopulaColumn, u: number): Cell {
  if (c.kind === 'categorical') {
    if (!c.values.length) return null;
    let lo = 0;
    let hi = c.values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.upper[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return c.values[lo]!;
  }
  const m = c.sorted.length;
  if (!m) return null;
  // inverse of the mid-rank CDF: position u * m - 0.5, linear between order statistics
  const pos = Math.min(m - 1, Math.max(0, u * m - 0.5));
  const k = Math.floor(pos);
  const x = k + 1 < m ? c.sorted[k]! + (pos - k) * (c.sorted[k + 1]! - c.sorted[k]!) : c.sorted[k]!;
  if (c.spec.type === 'integer' || c.spec.type === 'datetime') return Math.round(x);
  const d = c.spec.decimals;
  return d === undefined ? x : Number(x.toFixed(Math.min(d, 12)));
}

/** Cholesky of a correlation matrix; adds a growing ridge to the diagonal until it is positive definite. */
function choleskyWithRidge(a: Float64Array, p: number): Float64Array {
  for (let ridge = 0; ; ridge = ridge ? ridge * 10 : 1e-10) {
    const l = new Float64Array(p * p);
    let ok = true;
    for (let i = 0; i < p && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = a[i * p + j]! + (i === j ? ridge : 0);
        for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
        if (i === j) {
          if (!(s > 0)) {
            ok = false;
            break;
          }
          l[i * p + i] = Math.sqrt(s);
        } else l[i * p + j] = s / l[j * p + j]!;
      }
    }
    if (ok) {
      // rescale rows so that the implied correlation keeps a unit diagonal
      for (let i = 0; i < p; i++) {
        let s = 0;
        for (let k = 0; k <= i; k++) s += l[i * p + k]! ** 2;
        const f = 1 / Math.sqrt(s);
        for (let k = 0; k <= i; k++) l[i * p + k]! *= f;
      }
      return l;
    }
    if (ridge > 1) throw new RangeError('GaussianCopula: the correlation matrix is not positive definite even with a ridge of 1');
  }
}

/** Standard normal CDF, Phi(z) = erfc(-z / sqrt 2) / 2 (W. J. Cody's rational erfc via Numerical Recipes' erfcc, |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? y : 2 - y;
  return erfc / 2;
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.15e-9) for 0 < u < 1. */
export function normalQuantile(u: number): number {
  if (!(u > 0 && u < 1)) throw new RangeError(`normalQuantile needs 0 < u < 1, got ${u}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (u < pl) {
    const q = Math.sqrt(-2 * Math.log(u));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (u > 1 - pl) return -normalQuantile(1 - u);
  const q = u - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
