/**
 * A measured two-way table's target for fitDecoderToMarginals: its noisy counts projected onto non-negative
 * counts, and its interaction beyond independence shrunk by how far it stands out of the noise. Math on released
 * values only (post-processing).
 */
import { pooledTotal, projectCounts } from '../../../sampling/releasedCounts.js';

/**
 * A measured pair's target: the product of the model's own margins of the pair, plus the measured interaction
 * (the table less the product of its margins) shrunk by the positive-part James-Stein factor lambda =
 * max(0, 1 - cells v / |I|^2), v the noise variance of a cell's share. A measurement whose interaction is no
 * larger than its noise would make it (the 427-row CPS table's pairs at epsilon 1) adds no dependence, so noise
 * cannot plant or reverse a relation; a clear one (a smoker's insurance charges) is taken nearly whole. The
 * shrinkage is towards independence, not towards the model's dependence: on a small table what DP-SGD learned
 * is mostly noise (shrinking towards it kept relations reversed: breast cancer TSTR 0.24). The pair's margins
 * are the one-way terms' business. Post-processing; the result is clamped at 0 and sums to 1.
 */
export function shrinkInteraction(target: Float64Array, model: Float64Array, sa: number, sb: number, noiseVar: number): { shares: Float64Array; lambda: number } {
  const margins = (t: Float64Array): { r: Float64Array; c: Float64Array; tot: number } => {
    const r = new Float64Array(sa);
    const c = new Float64Array(sb);
    let tot = 0;
    for (let i = 0; i < sa; i++) for (let j = 0; j < sb; j++) (r[i]! += t[i * sb + j]!), (c[j]! += t[i * sb + j]!), (tot += t[i * sb + j]!);
    return { r, c, tot };
  };
  const mt = margins(target);
  const mm = margins(model);
  const I = new Float64Array(sa * sb);
  let gap = 0;
  for (let i = 0; i < sa; i++) {
    for (let j = 0; j < sb; j++) {
      const x = target[i * sb + j]! - (mt.tot > 0 ? (mt.r[i]! * mt.c[j]!) / mt.tot : 0);
      I[i * sb + j] = x;
      gap += x * x;
    }
  }
  const lambda = gap > 0 ? Math.max(0, 1 - (target.length * noiseVar) / gap) : 0;
  const shares = new Float64Array(sa * sb);
  let tot = 0;
  for (let i = 0; i < sa; i++) {
    for (let j = 0; j < sb; j++) {
      const k = i * sb + j;
      tot += shares[k] = Math.max(0, (mm.tot > 0 ? (mm.r[i]! * mm.c[j]!) / (mm.tot * mm.tot) : 0) + lambda * I[k]!);
    }
  }
  if (tot > 0) for (let k = 0; k < shares.length; k++) shares[k]! /= tot;
  return { shares, lambda };
}

/**
 * A measured pair's target shares (post-processing): the noisy table projected onto non-negative counts of the
 * noisy total first, then its interaction shrunk ({@link shrinkInteraction}). Without the projection, on breast
 * cancer at epsilon 1 (noise std 61 a cell) the "M" row of diagnosis x texture summed to -25, and the interaction
 * against those margins put "B" at the largest texture values (TSTR AUC 0.07: the relation reversed).
 */
export function pairTarget(p: { y: Float64Array; std: number; ga: { groups: number }; gb: { groups: number } }, total: number, model: Float64Array, totalStd?: number): Float64Array {
  // the table's own total pooled with the DP row count (noise std `totalStd`): see pooledTotal
  const t = pooledTotal(Array.from(p.y), p.std, total, totalStd);
  const projected = Float64Array.from(projectCounts(Array.from(p.y), t), (c) => c / t);
  return shrinkInteraction(projected, model, p.ga.groups, p.gb.groups, (p.std / t) ** 2).shares;
}
