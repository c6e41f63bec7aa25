/**
 * What dp-vae's pair measurement (measurePairs) and the decoder's fit to it (fitDecoderToMarginals) share: the
 * constants of the pair fit, the pair tables' coarse bins (pairBinsFor, coarseRelease, pairGroups), and the
 * decoder with the columns as variables over those bins (MarginalModel), with the batch mean of a pair's table.
 * Math on released values and the decoder's weights only.
 */
import type { TableEncoder } from '../../../transformers/TableEncoder.js';
import type { MarginalRelease } from '../../../sampling/marginals.js';
import type { Rng } from '../../../rng.js';
import type { NamedWeight } from '../engine/VaeEngine.js';
import { DecoderMlp, type DecoderCache } from './DecoderMlp.js';
import { marginalVariables, variableProbs, withTransportCuts, type MarginalVariable } from './marginalVariables.js';

export const PAIR_FIT = {
  /** Latent draws the selection scores the model's pairs on. */
  pilotRows: 4096,
  /** Latent draws the trust region's targets are computed on. */
  anchorRows: 8192,
  batch: 256,
  /** Unmeasured pairs (the trust region) per step at most, drawn anew each step and weighted up to their total. */
  anchorsPerStep: 48,
  /** Adam steps of the fit with up to `pairsPerIterations` measured pairs; more pairs get more (pairFitIterations). */
  iterations: 400,
  pairsPerIterations: 8,
  maxIterations: 1000,
  learningRate: 3e-3,
  /**
   * Bins per column in a pair at most (numeric: runs of about equal noisy mass, fewer on a small table, see
   * pairBinsFor; categorical: the largest categories, then the rest pooled).
   */
  bins: 8,
  /**
   * A numeric column's bins in a pair keep a cell's expected count (rows / bins^2) at least this many noise std
   * (pairBinsFor). Epsilon 1, seeds 1-6, TSTR AUC with 8 bins always vs this rule at 2: pima (614 rows, noise
   * std 31 a cell: 3 bins) 0.512 -> 0.626, heart 0.443 -> 0.481, insurance 0.958 -> 0.968, CPS 0.604 -> 0.592,
   * credit-data 0.711 -> 0.713 (benchmarks/RESULTS.md, 2026-12-06 08:30 UTC): a relation spread over 16 cells of
   * 31 std stood out of the noise in none, and its James-Stein shrink (pairTarget) took it whole.
   */
  cellSignal: 2,
  /** Numeric bins are re-cut at the transport's preimages every this many steps. */
  refreshEvery: 20,
};

/**
 * Bins of a numeric column in the pair tables: as many as keep a cell's expected count `total / bins^2` at least
 * PAIR_FIT.cellSignal noise std, within [2, PAIR_FIT.bins] (Adult: 8; the 614-row pima table at epsilon 1: 3).
 * From the DP row count and the noise the budget split sets (post-processing: free).
 */
export function pairBinsFor(total: number, std: number): number {
  return Math.max(2, Math.min(PAIR_FIT.bins, Math.floor(Math.sqrt(total / (PAIR_FIT.cellSignal * std)))));
}

/**
 * Adam steps of the decoder's fit to `pairs` measured pairs: PAIR_FIT.iterations, times pairs / 8 above 8 pairs,
 * at most PAIR_FIT.maxIterations. Every step moves all the terms at once, and with many pairs 400 stopped short:
 * german credit (20 target pairs) at epsilon 3, seed 1, P(bad | no checking account) target 0.12, after 400 steps
 * 0.29, after 1,200 0.17 (a debug print). Epsilon 1, seeds 1-6, TSTR AUC 400 -> scaled: german credit 0.601 ->
 * 0.683 (MST 0.648), CPS 0.583 -> 0.592, credit-data 0.800 -> 0.807, heart 0.556 -> 0.553; 1,200 for every table
 * instead cost pima (8 pairs) 0.696 -> 0.624 and doubled every fit (benchmarks/RESULTS.md, "2026-12-06 10:40 UTC").
 */
export function pairFitIterations(pairs: number): number {
  return Math.min(PAIR_FIT.maxIterations, Math.round(PAIR_FIT.iterations * Math.max(1, pairs / PAIR_FIT.pairsPerIterations)));
}

/** Bin -> group of a variable in two-way tables. */
export interface Grouping {
  group: Int32Array;
  groups: number;
}

export interface PairMeasurement {
  a: number;
  b: number;
  ga: Grouping;
  gb: Grouping;
  /** Noisy counts, a's groups x b's groups, row-major. */
  y: Float64Array;
  std: number;
}

export interface DecoderModel {
  weights: readonly NamedWeight[];
  decompressDims: readonly number[];
}

/**
 * The release with each numeric marginal merged into at most `maxBins` runs of about equal noisy mass (the
 * missing bin kept; the merged count's noise std grows by sqrt(bins per run)). Categorical marginals are kept.
 * Post-processing of the release.
 */
export function coarseRelease(release: MarginalRelease, maxBins: number): MarginalRelease {
  return {
    ...release,
    marginals: release.marginals.map((m) => {
      if (m.kind !== 'numeric' || m.edges.length - 1 <= maxBins) return m;
      const bins = m.edges.length - 1;
      let total = 0;
      for (let j = 0; j < bins; j++) total += Math.max(0, m.counts[j]!);
      const edges = [m.edges[0]!];
      const counts: number[] = [];
      let acc = 0;
      let run = 0;
      for (let j = 0; j < bins; j++) {
        acc += Math.max(0, m.counts[j]!);
        run += m.counts[j]!;
        if (j === bins - 1 || (counts.length < maxBins - 1 && acc >= ((counts.length + 1) * total) / maxBins)) {
          edges.push(m.edges[j + 1]!);
          counts.push(run);
          run = 0;
        }
      }
      if (m.nullable) counts.push(m.counts[bins]!);
      return { ...m, edges, counts, std: m.std * Math.sqrt(bins / (edges.length - 1)) };
    }),
  };
}

/** A categorical variable's largest `max - 1` slots by noisy count, the rest pooled; others as they are. */
export function pairGroups(v: MarginalVariable, counts: readonly number[], max: number): Grouping {
  const group = new Int32Array(v.size);
  if (v.kind === 'numeric' || v.size <= max) {
    for (let j = 0; j < v.size; j++) group[j] = j;
    return { group, groups: v.size };
  }
  const order = counts.map((x, j) => [x, j] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  group.fill(max - 1);
  order.slice(0, max - 1).forEach(([, j], g) => (group[j] = g));
  return { group, groups: max };
}

export function grouped(p: Float64Array, size: number, B: number, g: Grouping): Float64Array {
  if (g.groups === size) return p;
  const out = new Float64Array(B * g.groups);
  for (let r = 0; r < B; r++) for (let j = 0; j < size; j++) out[r * g.groups + g.group[j]!]! += p[r * size + j]!;
  return out;
}

/** Batch mean of p_a(z) p_b(z)^T over rows [from, to). */
export function pairMarginal(pa: Float64Array, pb: Float64Array, sa: number, sb: number, from: number, to: number): Float64Array {
  const P = new Float64Array(sa * sb);
  for (let r = from; r < to; r++) {
    for (let i = 0; i < sa; i++) {
      const x = pa[r * sa + i]!;
      if (x === 0) continue;
      for (let j = 0; j < sb; j++) P[i * sb + j]! += x * pb[r * sb + j]!;
    }
  }
  for (let i = 0; i < P.length; i++) P[i]! /= to - from;
  return P;
}

export function normals(rng: Rng, n: number): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = rng.normal();
  return z;
}

/** The decoder and the columns as variables over the (coarse) release's bins. */
export class MarginalModel {
  readonly dec: DecoderMlp;
  readonly base: MarginalVariable[];
  readonly sigmas: number[];
  readonly groups: Grouping[];
  vars: MarginalVariable[];

  constructor(
    encoder: TableEncoder,
    readonly release: MarginalRelease,
    model: DecoderModel,
  ) {
    this.dec = DecoderMlp.fromWeights(model.weights, model.decompressDims);
    this.base = marginalVariables(encoder, release.marginals);
    this.vars = this.base;
    const sigma = model.weights.find((w) => w.name === 'sigma')?.data;
    this.sigmas = this.base.map((v) => (v.kind === 'numeric' && sigma ? sigma[v.alpha]! : 0));
    this.groups = this.base.map((v, i) => pairGroups(v, release.marginals[i]!.counts, PAIR_FIT.bins));
  }

  /** Decoder outputs for B latent draws, numeric variables re-cut at the transport's preimages when asked. */
  forward(z: Float64Array, B: number, recut: boolean): DecoderCache {
    const cache = this.dec.forward(z, B);
    if (recut) {
      this.vars = this.base.map((v, i) => (v.kind === 'numeric' ? withTransportCuts(v, Float64Array.from(this.release.marginals[i]!.counts.slice(0, v.bins)), v.lo, v.hi, v.reflect, cache.out, this.dec.outputDim, B, this.sigmas[i]!) : v));
    }
    return cache;
  }

  probs(vars: readonly MarginalVariable[], out: Float64Array, B: number): { ps: Float64Array[]; caches: unknown[] } {
    const ps = vars.map((v) => new Float64Array(B * v.size));
    const caches = vars.map((v, i) => variableProbs(v, out, this.dec.outputDim, B, this.sigmas[i]!, ps[i]!));
    return { ps, caches };
  }
}
