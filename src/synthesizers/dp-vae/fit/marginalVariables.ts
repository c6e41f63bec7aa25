/**
 * Each modelled column as a discrete variable over the bins of its one-way marginal release, with the
 * probability the decoder gives each bin for one latent draw, differentiable in the decoder's raw outputs.
 *
 *   categorical: the one-hot span's softmax (slots = the release's labels: categories, other, missing)
 *   numeric: x = clip(tanh(r_a) + sigma N(0,1), -1, 1) * 4 std_k + mean_k with mode k ~ softmax(r_modes)
 *     (ClusterBasedNormalizer's decode), so P(x < e) = sum_k pi_k Phi((u_k(e) - t) / sigma), u_k(e) =
 *     (e - mean_k) / (4 std_k), 0 below u = -1 and 1 above u = 1; bin j gets F(e_j+1) - F(e_j) over the
 *     release's inner edges (values beyond the bounds in the end bins; the decoder's reflection at the bounds
 *     is ignored: it moves mass only within the end bins' neighbourhood). A MissingIndicator's [present,
 *     missing] softmax scales the bins by P(present) and adds the missing bin.
 */
import type { TableEncoder } from '../../../transformers/TableEncoder.js';
import type { NoisyMarginal } from '../../../sampling/marginals.js';
import { oneHotLayout } from '../../../sampling/conditions.js';

export type MarginalVariable =
  | { kind: 'softmax'; column: string; start: number; width: number; size: number }
  | {
      kind: 'numeric';
      column: string;
      alpha: number;
      modeStart: number;
      K: number;
      means: Float64Array;
      widths: Float64Array;
      /**
       * Per inner edge e_1..e_{B-1}: P(value < e) = const + sum_q sign_q F(point_q), F the CDF of the
       * unreflected, unrounded value (reflection at the bounds folds its tails back inside; rounding to whole
       * numbers moves the edge to ceil(e) - 0.5). Flattened: cutStart[i]..cutStart[i+1] index points/signs.
       */
      cutConst: Float64Array;
      cutStart: Int32Array;
      points: Float64Array;
      signs: Float64Array;
      bins: number;
      /** Start of the [present, missing] span, or -1. */
      missing: number;
      size: number;
      lo: number;
      hi: number;
      reflect: boolean;
    };

interface NumericJson {
  type: string;
  means?: number[];
  stds?: number[];
  min?: number;
  max?: number;
  decimals?: number | null;
  boundary?: string;
  inner?: NumericJson;
}

export function marginalVariables(encoder: TableEncoder, marginals: readonly NoisyMarginal[]): MarginalVariable[] {
  return marginals.map((m): MarginalVariable => {
    const block = encoder.blocks.find((b) => b.column === m.column);
    if (!block) throw new Error(`no encoder block for ${m.column}`);
    if (m.kind === 'categorical') {
      const layout = oneHotLayout(block);
      if (!layout) throw new Error(`${m.column}: a categorical marginal over a non-categorical column`);
      return { kind: 'softmax', column: m.column, start: block.start, width: block.width, size: m.counts.length };
    }
    const s = block.transformer.toJSON() as unknown as NumericJson;
    const nullable = s.type === 'MissingIndicator';
    const st = nullable ? s.inner! : s;
    const means = Float64Array.from(st.means!);
    const widths = Float64Array.from(st.stds!, (sd) => 4 * sd);
    const K = means.length;
    const lo = st.min!;
    const hi = st.max!;
    const whole = st.decimals === 0 && st.type === 'ClusterBasedNormalizer';
    const reflect = st.boundary === 'reflect';
    // rounding to whole numbers moves an edge e to ceil(e) - 0.5
    const cuts = m.edges.slice(1, -1).map((e) => (whole ? Math.ceil(e) - 0.5 : e));
    const bins = m.edges.length - 1;
    return { kind: 'numeric', column: m.column, alpha: block.start, modeStart: block.start + 1, K, means, widths, ...cutsAt(cuts, lo, hi, reflect), bins, missing: nullable ? block.start + 1 + K : -1, size: bins + (nullable ? 1 : 0), lo, hi, reflect };
  });
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

function phi(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function Phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

function softmaxInto(r: Float64Array, off: number, n: number, out: Float64Array, outOff: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, r[off + i]!);
  let s = 0;
  for (let i = 0; i < n; i++) s += out[outOff + i] = Math.exp(r[off + i]! - max);
  for (let i = 0; i < n; i++) out[outOff + i]! /= s;
}

/**
 * Bin probabilities of variable v for rows 0..B-1 of the raw outputs `r` (B x D), written to `p` (B x size).
 * `sigma` is the tanh span's output noise std. Returns what backward needs.
 */
export function variableProbs(v: MarginalVariable, r: Float64Array, D: number, B: number, sigma: number, p: Float64Array): unknown {
  if (v.kind === 'softmax') {
    for (let b = 0; b < B; b++) softmaxInto(r, b * D + v.start, v.width, p, b * v.size);
    return null;
  }
  const { K, bins, cutConst, cutStart, points, signs } = v;
  const nc = cutConst.length;
  const pi = new Float64Array(B * K);
  const t = new Float64Array(B);
  const pm = new Float64Array(B);
  const F = new Float64Array(B * nc);
  const two = new Float64Array(2);
  for (let b = 0; b < B; b++) {
    softmaxInto(r, b * D + v.modeStart, K, pi, b * K);
    t[b] = Math.tanh(r[b * D + v.alpha]!);
    if (v.missing >= 0) {
      softmaxInto(r, b * D + v.missing, 2, two, 0);
      pm[b] = two[1]!;
    }
    for (let i = 0; i < nc; i++) {
      let f = cutConst[i]!;
      for (let q = cutStart[i]!; q < cutStart[i + 1]!; q++) {
        for (let k = 0; k < K; k++) {
          const u = (points[q]! - v.means[k]!) / v.widths[k]!;
          f += signs[q]! * pi[b * K + k]! * (u <= -1 ? 0 : u >= 1 ? 1 : Phi((u - t[b]!) / sigma));
        }
      }
      F[b * nc + i] = Math.min(1, Math.max(0, f));
    }
    const present = 1 - pm[b]!;
    const o = b * v.size;
    let prev = 0;
    for (let j = 0; j < bins; j++) {
      const next = j < nc ? F[b * nc + j]! : 1;
      p[o + j] = Math.max(0, next - prev) * present;
      prev = next;
    }
    if (v.missing >= 0) p[o + bins] = pm[b]!;
  }
  return { pi, t, pm };
}

/**
 * Accumulate dL/dr (B x D) from dL/dp (B x size) for variable v; returns dL/dsigma summed over rows
 * (numeric variables; 0 otherwise).
 */
export function variableBackward(v: MarginalVariable, r: Float64Array, D: number, B: number, sigma: number, p: Float64Array, g: Float64Array, cache: unknown, dr: Float64Array): number {
  if (v.kind === 'softmax') {
    for (let b = 0; b < B; b++) {
      const o = b * v.size;
      let dot = 0;
      for (let i = 0; i < v.width; i++) dot += p[o + i]! * g[o + i]!;
      for (let i = 0; i < v.width; i++) dr[b * D + v.start + i]! += p[o + i]! * (g[o + i]! - dot);
    }
    return 0;
  }
  const { pi, t, pm } = cache as { pi: Float64Array; t: Float64Array; pm: Float64Array };
  const { K, bins, cutConst, cutStart, points, signs } = v;
  const nc = cutConst.length;
  let dSigma = 0;
  const gin = new Float64Array(bins);
  const dF = new Float64Array(nc);
  const dpi = new Float64Array(K);
  for (let b = 0; b < B; b++) {
    const o = b * v.size;
    const present = 1 - pm[b]!;
    // bins: p_j = present * (F_{j+1} - F_j)
    if (v.missing >= 0) {
      let dPm = g[o + bins]!;
      for (let j = 0; j < bins; j++) dPm -= g[o + j]! * (present > 0 ? p[o + j]! / present : 0);
      // p_missing = softmax([a0, a1])[1]
      const s = pm[b]! * (1 - pm[b]!) * dPm;
      dr[b * D + v.missing + 1]! += s;
      dr[b * D + v.missing]! -= s;
    }
    for (let j = 0; j < bins; j++) gin[j] = g[o + j]! * present;
    for (let i = 0; i < nc; i++) dF[i] = gin[i]! - gin[i + 1]!;
    dpi.fill(0);
    let dt = 0;
    for (let k = 0; k < K; k++) {
      const pk = pi[b * K + k]!;
      for (let i = 0; i < nc; i++) {
        if (dF[i] === 0) continue;
        for (let q = cutStart[i]!; q < cutStart[i + 1]!; q++) {
          const gq = dF[i]! * signs[q]!;
          const u = (points[q]! - v.means[k]!) / v.widths[k]!;
          if (u <= -1) continue;
          if (u >= 1) {
            dpi[k]! += gq;
            continue;
          }
          const zeta = (u - t[b]!) / sigma;
          dpi[k]! += gq * Phi(zeta);
          const ph = phi(zeta);
          dt -= (gq * pk * ph) / sigma;
          dSigma -= (gq * pk * ph * zeta) / sigma;
        }
      }
    }
    let dot = 0;
    for (let k = 0; k < K; k++) dot += pi[b * K + k]! * dpi[k]!;
    for (let k = 0; k < K; k++) dr[b * D + v.modeStart + k]! += pi[b * K + k]! * (dpi[k]! - dot);
    dr[b * D + v.alpha]! += dt * (1 - t[b]! * t[b]!);
  }
  return dSigma;
}

/**
 * A numeric variable whose bins are the model's own preimages of the release's bins under calibration's
 * monotone transport: calibration maps the model's (reflected, unrounded) values onto the target shares by
 * T = G^-1 o F, so an output value lands in release bin j exactly when the model's value lies in
 * [c_j, c_j+1) with c_j = F^-1(G(e_j)). Fitting the pairs in these bins fits the dependence the calibrated
 * output will have, and leaves the one-way shape to the transport. `F` is estimated on the first (at most
 * 1,024) rows of the batch `r`, on a grid of 128 equal steps over the bounds (interpolated).
 */
export function withTransportCuts(v: Extract<MarginalVariable, { kind: 'numeric' }>, targetShares: Float64Array, lo: number, hi: number, reflect: boolean, r: Float64Array, D: number, rows: number, sigma: number): Extract<MarginalVariable, { kind: 'numeric' }> {
  const G = 128;
  const B = Math.min(rows, 1024);
  const grid = new Float64Array(G + 1);
  for (let g = 0; g <= G; g++) grid[g] = lo + ((hi - lo) * g) / G;
  const probe: Extract<MarginalVariable, { kind: 'numeric' }> = { ...v, ...cutsAt(Array.from(grid.subarray(1, G)), lo, hi, reflect), bins: G, size: G + (v.missing >= 0 ? 1 : 0) };
  const p = new Float64Array(B * probe.size);
  variableProbs(probe, r, D, B, sigma, p);
  // the model's CDF of present values on the grid
  const cdf = new Float64Array(G + 1);
  for (let b = 0; b < B; b++) {
    let acc = 0;
    let tot = 0;
    for (let j = 0; j < G; j++) tot += p[b * probe.size + j]!;
    for (let j = 0; j < G; j++) {
      acc += p[b * probe.size + j]!;
      cdf[j + 1]! += tot > 0 ? acc / tot / B : (j + 1) / G / B;
    }
  }
  const nb = v.bins;
  let total = 0;
  for (let j = 0; j < nb; j++) total += Math.max(0, targetShares[j]!);
  const cuts: number[] = [];
  let acc = 0;
  for (let j = 0; j < nb - 1; j++) {
    acc += Math.max(0, targetShares[j]!) / (total || 1);
    // invert the piecewise-linear CDF
    let g = 0;
    while (g < G && cdf[g + 1]! < acc) g++;
    const f0 = cdf[g]!;
    const f1 = cdf[Math.min(G, g + 1)]!;
    const x0 = grid[g]!;
    const x1 = grid[Math.min(G, g + 1)]!;
    cuts.push(f1 > f0 ? x0 + ((acc - f0) / (f1 - f0)) * (x1 - x0) : x0);
  }
  return { ...v, ...cutsAt(cuts, lo, hi, reflect) };
}

/** The CDF terms of each cut: the value itself, and with reflection the two folded tails, P(final < c) = F(c) - F(2 lo - c) + 1 - F(2 hi - c). */
function cutsAt(cuts: readonly number[], lo: number, hi: number, reflect: boolean): Pick<Extract<MarginalVariable, { kind: 'numeric' }>, 'cutConst' | 'cutStart' | 'points' | 'signs'> {
  const cutConst = new Float64Array(cuts.length);
  const cutStart = new Int32Array(cuts.length + 1);
  const points: number[] = [];
  const signs: number[] = [];
  cuts.forEach((c, i) => {
    cutStart[i] = points.length;
    points.push(c);
    signs.push(1);
    if (reflect) {
      points.push(2 * lo - c, 2 * hi - c);
      signs.push(-1, -1);
      cutConst[i] = 1;
    }
  });
  cutStart[cuts.length] = points.length;
  return { cutConst, cutStart, points: Float64Array.from(points), signs: Float64Array.from(signs) };
}
