/**
 * A measured two-way table's target for fitDecoderToMarginals: its noisy counts projected onto non-negative
 * counts, and its interaction beyond independence shrunk by how far it stands out of the noise. Math on released
 * values only (post-processing).
 */
import { pooledTotal, projectCounts } from '../../../sampling/releasedCounts.js';

/**
 * A measured pair's target: the product of the margins `rows` and `cols` (fitDecoderToMarginals passes the ones the
 * one-way terms give), plus the measured interaction
 * (the table less the product of its margins) shrunk by the positive-part James-Stein factor lambda =
 * max(0, 1 - (sa - 1)(sb - 1) v / |I|^2), v the noise variance of a cell's share and (sa - 1)(sb - 1) the
 * interaction's degrees of freedom (with sa sb, the cells, epsilon 1, seeds 1-6: TSTR AUC pima 0.647, heart
 * 0.473; with the degrees of freedom 0.696 and 0.556; benchmarks/RESULTS.md "2026-12-06 10:40 UTC"). A measurement whose interaction is no
 * larger than its noise would make it (the 427-row CPS table's pairs at epsilon 1) adds no dependence, so noise
 * cannot plant or reverse a relation; a clear one (a smoker's insurance charges) is taken nearly whole. The
 * shrinkage is towards independence, not towards the model's dependence: on a small table what DP-SGD learned
 * is mostly noise (shrinking towards it kept relations reversed: breast cancer TSTR 0.24). Post-processing; the
 * result is clamped at 0 and sums to 1.
 */
export function shrinkInteraction(target: Float64Array, rows: Float64Array, cols: Float64Array, noiseVar: number): { shares: Float64Array; lambda: number } {
  const sa = rows.length;
  const sb = cols.length;
  const r = new Float64Array(sa);
  const c = new Float64Array(sb);
  let tot = 0;
  for (let i = 0; i < sa; i++) for (let j = 0; j < sb; j++) (r[i]! += target[i * sb + j]!), (c[j]! += target[i * sb + j]!), (tot += target[i * sb + j]!);
  const I = new Float64Array(sa * sb);
  let gap = 0;
  for (let i = 0; i < sa; i++) {
    for (let j = 0; j < sb; j++) {
      const x = target[i * sb + j]! - (tot > 0 ? (r[i]! * c[j]!) / tot : 0);
      I[i * sb + j] = x;
      gap += x * x;
    }
  }
  // the interaction has (sa - 1)(sb - 1) degrees of freedom (the margins take the rest): pure noise gives |I|^2
  // of about that many v, not sa sb v (which shrank a 2 x 2 table's relation four times too hard)
  const lambda = gap > 0 ? Math.max(0, 1 - (Math.max(1, (sa - 1) * (sb - 1)) * noiseVar) / gap) : 0;
  const independent = outerProduct(rows, cols);
  const mass = independent.reduce((a, x) => a + x, 0);
  const shares = new Float64Array(sa * sb);
  let sum = 0;
  for (let k = 0; k < shares.length; k++) sum += shares[k] = Math.max(0, (mass > 0 ? independent[k]! / mass : 0) + lambda * I[k]!);
  if (sum > 0) for (let k = 0; k < shares.length; k++) shares[k]! /= sum;
  return { shares, lambda };
}

/**
 * A measured pair's target shares (post-processing): the noisy table projected onto non-negative counts of the
 * noisy total first, then its interaction shrunk ({@link shrinkInteraction}). Without the projection, on breast
 * cancer at epsilon 1 (noise std 61 a cell) the "M" row of diagnosis x texture summed to -25, and the interaction
 * against those margins put "B" at the largest texture values (TSTR AUC 0.07: the relation reversed).
 */
export function pairTarget(p: { y: Float64Array; std: number }, total: number, rows: Float64Array, cols: Float64Array, totalStd?: number): Float64Array {
  // the table's own total pooled with the DP row count (noise std `totalStd`): see pooledTotal
  const t = pooledTotal(Array.from(p.y), p.std, total, totalStd);
  const projected = Float64Array.from(projectCounts(Array.from(p.y), t), (c) => c / t);
  return shrinkInteraction(projected, rows, cols, (p.std / t) ** 2).shares;
}

/** The table of two independent variables with margins `a` (rows) and `b` (columns), row-major. */
export function outerProduct(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length * b.length);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i * b.length + j] = a[i]! * b[j]!;
  return out;
}

/**
 * A two-way table (row-major, `rows.length` x `cols.length`) moved onto the margins `rows` and `cols` by iterative
 * proportional fitting: its odds ratios (the dependence) kept, its margins those given. A row or column the table
 * holds no mass in stays empty. Post-processing.
 */
export function withMargins(table: Float64Array, rows: Float64Array, cols: Float64Array, sweeps = 50): Float64Array {
  const sa = rows.length;
  const sb = cols.length;
  const q = Float64Array.from(table, (x) => Math.max(0, x));
  for (let it = 0; it < sweeps; it++) {
    for (let i = 0; i < sa; i++) {
      let r = 0;
      for (let j = 0; j < sb; j++) r += q[i * sb + j]!;
      const f = r > 0 ? rows[i]! / r : 0;
      for (let j = 0; j < sb; j++) q[i * sb + j]! *= f;
    }
    for (let j = 0; j < sb; j++) {
      let c = 0;
      for (let i = 0; i < sa; i++) c += q[i * sb + j]!;
      const f = c > 0 ? cols[j]! / c : 0;
      for (let i = 0; i < sa; i++) q[i * sb + j]! *= f;
    }
  }
  return q;
}
