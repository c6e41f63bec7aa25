/**
 * Gower distance and a blocked, streaming nearest-neighbour search over it.
 *
 * Gower distance between rows x and y over p columns: (1/p) * sum_j d_j with
 *   numeric:      d_j = min(1, |x_j - y_j| / range_j), range over train + holdout (values outside that
 *                 range, e.g. in synthetic rows, are capped at distance 1);
 *   categorical:  d_j = 0 if equal, else 1;
 *   missing:      missing vs value = 1, missing vs missing = 0.
 *
 * Rows are encoded once into row-major Float32Array (numerics scaled to [0, 1], missing = a far-away
 * sentinel so that min(1, |x - y|) gives exactly 1 against a value and 0 against another missing) and
 * Int32Array (category codes, missing = -1). The search walks the reference in blocks of rows, keeps a
 * sorted top-k per query, and abandons a candidate as soon as its partial sum exceeds the current k-th
 * best (exact, since every term is >= 0). Memory is O(queries * k) besides the inputs.
 */
import type { PreparedData, PreparedTable } from './prepare.js';

const MISSING = 1e9;

export interface GowerSpace {
  n: number;
  /** Numeric columns per row. */
  pn: number;
  /** Categorical columns per row. */
  pc: number;
  num: Float32Array;
  cat: Int32Array;
}

export interface GowerEncoder {
  /** Column indices (into PreparedData.columns) this encoder uses. */
  cols: number[];
  encode(t: PreparedTable): GowerSpace;
}

/** Encoder over `cols` (default: every evaluated column), numeric ranges from train + holdout. */
export function makeGowerEncoder(data: PreparedData, cols?: number[]): GowerEncoder {
  const use = cols ?? data.columns.map((_, j) => j);
  const numCols = use.filter((j) => data.columns[j]!.kind === 'num');
  // Categorical columns most likely to differ between two rows first (Gini impurity of train): the
  // search abandons a candidate sooner. The distance does not depend on the order.
  const catCols = use
    .filter((j) => data.columns[j]!.kind === 'cat')
    .map((j) => ({ j, g: gini(data.train.values[j] as Int32Array, data.columns[j]!.categories.length) }))
    .sort((a, b) => b.g - a.g || a.j - b.j)
    .map((x) => x.j);
  const lo: number[] = [];
  const scale: number[] = [];
  for (const j of numCols) {
    let mn = Infinity;
    let mx = -Infinity;
    for (const t of [data.train, data.holdout]) {
      const v = t.values[j] as Float64Array;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (x === x) {
          if (x < mn) mn = x;
          if (x > mx) mx = x;
        }
      }
    }
    lo.push(Number.isFinite(mn) ? mn : 0);
    scale.push(mx > mn ? 1 / (mx - mn) : 1);
  }
  return {
    cols: use,
    encode(t) {
      const n = t.n;
      const pn = numCols.length;
      const pc = catCols.length;
      const num = new Float32Array(n * pn);
      const cat = new Int32Array(n * pc);
      numCols.forEach((j, k) => {
        const v = t.values[j] as Float64Array;
        const l = lo[k]!;
        const s = scale[k]!;
        for (let i = 0; i < n; i++) num[i * pn + k] = v[i] === v[i] ? (v[i]! - l) * s : MISSING;
      });
      catCols.forEach((j, k) => {
        const v = t.values[j] as Int32Array;
        for (let i = 0; i < n; i++) cat[i * pc + k] = v[i]!;
      });
      return { n, pn, pc, num, cat };
    },
  };
}

function gini(codes: Int32Array, k: number): number {
  const counts = new Float64Array(k + 1);
  for (let i = 0; i < codes.length; i++) counts[codes[i]! < 0 ? k : codes[i]!]++;
  let s = 0;
  for (const c of counts) s += (c / codes.length) ** 2;
  return 1 - s;
}

/** Gower distance between row i of a and row j of b (same encoder). For tests and small uses. */
export function gowerDistance(a: GowerSpace, i: number, b: GowerSpace, j: number): number {
  let d = 0;
  for (let c = 0; c < a.pn; c++) d += Math.min(1, Math.abs(a.num[i * a.pn + c]! - b.num[j * b.pn + c]!));
  for (let c = 0; c < a.pc; c++) if (a.cat[i * a.pc + c] !== b.cat[j * b.pc + c]) d += 1;
  return d / (a.pn + a.pc);
}

export interface Neighbours {
  k: number;
  /** nq x k Gower distances, ascending per query (Infinity when the reference has fewer than k rows). */
  dist: Float64Array;
  /** nq x k reference row indices (-1 when absent). */
  index: Int32Array;
}

export interface SearchOptions {
  /** Called with the share of queries done. */
  onProgress?: (fraction: number) => void;
  queryBlock?: number;
  refBlock?: number;
}

/** The k nearest reference rows of every query row under the Gower distance. */
export function nearestNeighbours(query: GowerSpace, ref: GowerSpace, k: number, opts: SearchOptions = {}): Neighbours {
  if (query.pn !== ref.pn || query.pc !== ref.pc) throw new RangeError('nearestNeighbours: query and reference were encoded differently');
  const nq = query.n;
  const nr = ref.n;
  const { pn, pc } = query;
  const p = pn + pc;
  const bd = new Float64Array(nq * k).fill(Infinity);
  const bi = new Int32Array(nq * k).fill(-1);
  const QB = opts.queryBlock ?? 256;
  const RB = opts.refBlock ?? 2048;
  const qn = query.num;
  const qc = query.cat;
  const rn = ref.num;
  const rc = ref.cat;
  for (let qs = 0; qs < nq; qs += QB) {
    const qe = Math.min(nq, qs + QB);
    for (let rs = 0; rs < nr; rs += RB) {
      const re = Math.min(nr, rs + RB);
      for (let q = qs; q < qe; q++) {
        const qo = q * pn;
        const qco = q * pc;
        const last = q * k + k - 1;
        let bound = bd[last]!;
        for (let r = rs; r < re; r++) {
          // Categories first: each mismatch adds a whole 1, so most candidates are abandoned early.
          let d = 0;
          const rco = r * pc;
          for (let c = 0; c < pc; c++) {
            if (qc[qco + c] !== rc[rco + c]) {
              d += 1;
              if (d >= bound) break;
            }
          }
          if (d >= bound) continue;
          const ro = r * pn;
          for (let c = 0; c < pn; c++) {
            let diff = qn[qo + c]! - rn[ro + c]!;
            if (diff < 0) diff = -diff;
            d += diff < 1 ? diff : 1;
            if (d >= bound) break;
          }
          if (d >= bound) continue;
          // Insert into the sorted top-k of q.
          let pos = last;
          const first = q * k;
          while (pos > first && bd[pos - 1]! > d) {
            bd[pos] = bd[pos - 1]!;
            bi[pos] = bi[pos - 1]!;
            pos--;
          }
          bd[pos] = d;
          bi[pos] = r;
          bound = bd[last]!;
        }
      }
    }
    opts.onProgress?.(qe / nq);
  }
  for (let i = 0; i < bd.length; i++) if (bd[i] !== Infinity) bd[i] = bd[i]! / p;
  return { k, dist: bd, index: bi };
}
