/**
 * Two-way DP marginals for dp-vae, and its decoder fitted to them (issue 16, item 2; `dp.pairShare`).
 *
 *   pair tables in coarse bins: numeric columns in as many runs as the noise allows (pairBinsFor: 3 on the
 *   614-row pima table at epsilon 1, 8 on Adult), categorical ones in their largest 7 categories and the rest
 *   with a prediction target (public): every pair of the target, counted, Gaussian, sensitivity 1 (the whole
 *     pair budget, split evenly)                                                             (ledgered)
 *   without: trained decoder ──► pilot of latent draws ──► per column pair: L1 of the real two-way counts
 *     against the model's, minus the expected L1 of the noise ──► k rounds of the exponential mechanism,
 *     sensitivity 1, each eps^2/8 zCDP (a third of the pair budget) ──► the chosen pairs' counts, Gaussian,
 *     sensitivity 1 (two thirds, split evenly)                                               (ledgered)
 *     (the split: dpPolicy.pairPlan)
 *   decoder + one-way release + pair measurements ──► Adam on the decoder's weights minimising
 *     sum_m w_m (P_m - y_m / N)^2, w_m = (N / std_m)^2, P_m the model's marginal over a batch of z ~ N(0, I)
 *     (given z the columns are independent: a pair's marginal is the batch mean of p_a(z) p_b(z)^T)
 *                                                                                            (post-processing)
 *
 * What the fit holds to, besides the measured pairs:
 *   - categorical columns: their one-way release;
 *   - numeric columns: the model's own one-way marginal before the fit (calibration's transport then maps it
 *     onto the release, and the pairs are fitted in the bins that transport will map onto the release's,
 *     withTransportCuts), so the fit does not chase point masses the decoder cannot make;
 *   - every pair not measured: the model's own dependence before the fit (a trust region), so the fit
 *     moves what was measured and, as far as the decoder allows, nothing else (without it, pairs DP-SGD had
 *     learned on Adult lost up to 0.2 of contingency similarity while the measured ones gained).
 * Every pair term (measured or not) is built on the margins the one-way terms hold and calibration gives: a
 * categorical column's one-way target, a numeric column's release in the transport's bins (withMargins, outerProduct).
 * The loss is estimated without bias: w (P1 - y).(P2 - y) over the two halves of each batch, not w |P - y|^2,
 * whose expectation adds w Var(P) / B and so rewards outputs that do not depend on z.
 *
 * Privacy: the pairs are counted over bins derived from DP releases only (the encoder and the one-way
 * release); a row is in one cell of a pair's table (L2 sensitivity 1), and in one cell of the selection's
 * score vector per pair (the L1 score changes by at most 1). Fitting reads only releases.
 */
import type { NamedWeight } from '../engine/VaeEngine.js';
import type { TableEncoder } from '../../../transformers/TableEncoder.js';
import type { MarginalRelease } from '../../../sampling/marginals.js';
import { binIndex } from '../../../sampling/marginals.js';
import type { Table } from '../../../table/Table.js';
import type { Rng } from '../../../rng.js';
import type { ZcdpSpend } from '../../../privacy/PrivacySpend.js';
import { gaussianRho, gaussianStdForRho } from '../../../privacy/analysis/zcdp.js';
import { DecoderMlp, type DecoderCache } from './DecoderMlp.js';
import { outerProduct, pairTarget, withMargins } from './pairTarget.js';
import { shrinkShares } from '../sample/calibration.js';
import { marginalVariables, variableBackward, variableProbs, withTransportCuts, type MarginalVariable } from './marginalVariables.js';

export const PAIR_FIT = {
  /** Latent draws the selection scores the model's pairs on. */
  pilotRows: 4096,
  /** Latent draws the trust region's targets are computed on. */
  anchorRows: 8192,
  batch: 256,
  /** Unmeasured pairs (the trust region) per step at most, drawn anew each step and weighted up to their total. */
  anchorsPerStep: 48,
  iterations: 400,
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

function grouped(p: Float64Array, size: number, B: number, g: Grouping): Float64Array {
  if (g.groups === size) return p;
  const out = new Float64Array(B * g.groups);
  for (let r = 0; r < B; r++) for (let j = 0; j < size; j++) out[r * g.groups + g.group[j]!]! += p[r * size + j]!;
  return out;
}

/** Batch mean of p_a(z) p_b(z)^T over rows [from, to). */
function pairMarginal(pa: Float64Array, pb: Float64Array, sa: number, sb: number, from: number, to: number): Float64Array {
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

function normals(rng: Rng, n: number): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = rng.normal();
  return z;
}

/** The decoder and the columns as variables over the (coarse) release's bins. */
class MarginalModel {
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

/**
 * The column pairs to measure, measured with Gaussian noise (`rhoMeasure` split evenly over them):
 *   - with a focus column (the prediction target; which column it is, is public): every pair of it, chosen
 *     without looking at the data (`rhoSelect` is not spent: pass 0);
 *   - without: `pairs` rounds of the exponential mechanism (`rhoSelect` split over them) against the decoder's
 *     current two-way marginals (AIM's score).
 * `table` is the training table as the encoder sees it (clipped, unreleased categories mapped); `total` the DP
 * row count.
 */
export function measurePairs(table: Table, encoder: TableEncoder, fullRelease: MarginalRelease, model: DecoderModel, opts: { rhoSelect: number; rhoMeasure: number; pairs: number; total: number; rng: Rng; focus?: string }): { pairs: PairMeasurement[]; spends: ZcdpSpend[]; bins: number } {
  const d = fullRelease.marginals.length;
  const f = opts.focus === undefined ? -1 : fullRelease.marginals.findIndex((m) => m.column === opts.focus);
  const k = f >= 0 ? d - 1 : Math.min(opts.pairs, (d * (d - 1)) / 2);
  if (!(k > 0 && opts.rhoMeasure > 0 && (f >= 0 || opts.rhoSelect > 0))) return { pairs: [], spends: [], bins: PAIR_FIT.bins };
  const std = gaussianStdForRho(1, opts.rhoMeasure / k);
  // post-processing of the DP row count and the public budget split: free
  const bins = pairBinsFor(opts.total, std);
  const release = coarseRelease(fullRelease, bins);
  const mm = new MarginalModel(encoder, release, model);
  const codes = release.marginals.map((m, i) => {
    const c = binIndex(m, table.columns[table.names.indexOf(m.column)]!);
    return c.map((b) => (b >= 0 ? mm.groups[i]!.group[b]! : -1));
  });
  const counts = (a: number, b: number): Float64Array => {
    const sb = mm.groups[b]!.groups;
    const x = new Float64Array(mm.groups[a]!.groups * sb);
    for (let r = 0; r < table.rowCount; r++) if (codes[a]![r]! >= 0 && codes[b]![r]! >= 0) x[codes[a]![r]! * sb + codes[b]![r]!]!++;
    return x;
  };
  const spends: ZcdpSpend[] = [];
  const pairs: PairMeasurement[] = [];
  const mrng = opts.rng.fork('measure');
  const measure = ([a, b]: [number, number]): void => {
    const y = counts(a, b);
    for (let i = 0; i < y.length; i++) y[i]! += std * mrng.normal();
    spends.push({ label: `pairs:measure:${mm.base[a]!.column}|${mm.base[b]!.column}`, mechanism: 'gaussian', rho: gaussianRho(1, std), params: { std, sensitivity: 1, release: 'two-way marginal', cells: y.length } });
    pairs.push({ a, b, ga: mm.groups[a]!, gb: mm.groups[b]!, y, std });
  };
  if (f >= 0) {
    for (let o = 0; o < d; o++) if (o !== f) measure(o < f ? [o, f] : [f, o]);
    return { pairs, spends, bins };
  }
  const B = PAIR_FIT.pilotRows;
  const cache = mm.forward(normals(opts.rng.fork('pilot'), B * mm.dec.inputDim), B, true);
  const { ps } = mm.probs(mm.vars, cache.out, B);
  const gps = ps.map((p, i) => grouped(p, mm.vars[i]!.size, B, mm.groups[i]!));
  const cands: [number, number][] = [];
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) cands.push([a, b]);
  // AIM's quality score: how far the model is from the real pair, less what the measurement's noise would add
  const score = cands.map(([a, b]) => {
    const x = counts(a, b);
    const P = pairMarginal(gps[a]!, gps[b]!, mm.groups[a]!.groups, mm.groups[b]!.groups, 0, B);
    let l1 = 0;
    for (let i = 0; i < x.length; i++) l1 += Math.abs(x[i]! - opts.total * P[i]!);
    return l1 - Math.sqrt(2 / Math.PI) * std * x.length;
  });
  const eps = Math.sqrt((8 * opts.rhoSelect) / k);
  const srng = opts.rng.fork('select');
  const left = cands.map((_, i) => i);
  for (let t = 0; t < k; t++) {
    let max = -Infinity;
    for (const i of left) max = Math.max(max, score[i]!);
    const pick = left[srng.categorical(left.map((i) => Math.exp((eps / 2) * (score[i]! - max))))]!;
    spends.push({ label: `pairs:select:${t + 1}`, mechanism: 'zcdp', rho: (eps * eps) / 8, params: { release: 'exponential mechanism (one column pair)', epsilon: eps, sensitivity: 1, candidates: left.length, zcdp: 'epsilon^2/8 (bounded range)' } });
    left.splice(left.indexOf(pick), 1);
    measure(cands[pick]!);
  }
  return { pairs, spends, bins };
}

/** A categorical release's shares (of its own total: it was projected onto pooledTotal) shrunk towards `model`. */
function releasedShares(m: { counts: readonly number[]; std: number }, model: Float64Array): Float64Array {
  const total = Math.max(1, m.counts.reduce((a, c) => a + Math.max(0, c), 0));
  return shrinkShares(Float64Array.from(m.counts, (c) => Math.max(0, c) / total), model, (m.std / total) ** 2).shares;
}

/** A variable's shares (counts or shares of its bins, clamped at 0) summed into its pair groups, normalised. */
function releasedMargin(shares: ArrayLike<number>, g: Grouping): Float64Array {
  const m = new Float64Array(g.groups);
  let total = 0;
  for (let j = 0; j < g.group.length; j++) {
    const x = Math.max(0, shares[j] ?? 0);
    m[g.group[j]!]! += x;
    total += x;
  }
  if (total > 0) for (let k = 0; k < m.length; k++) m[k]! /= total;
  else m.fill(1 / m.length);
  return m;
}

type Term = { vars: [number] | [number, number]; y: Float64Array; w: number; base?: boolean; anchor?: boolean };

/** The decoder's weights fitted to the one-way release and the pair measurements (post-processing). */
export function fitDecoderToMarginals(encoder: TableEncoder, fullRelease: MarginalRelease, pairs: readonly PairMeasurement[], model: DecoderModel, opts: { total: number; totalStd?: number; rng: Rng; iterations?: number; bins?: number }): { weights: NamedWeight[]; loss: number[] } {
  // the bins the pairs were measured in (measurePairs' `bins`)
  const bins = opts.bins ?? PAIR_FIT.bins;
  const release = coarseRelease(fullRelease, bins);
  const mm = new MarginalModel(encoder, release, model);
  const { dec, base, groups } = mm;
  const D = dec.outputDim;
  const N = opts.total;
  // the targets the fit holds to besides the pairs, from the model before the fit (see the header)
  const A = PAIR_FIT.anchorRows;
  const anchor = mm.forward(normals(opts.rng.fork('anchor'), A * dec.inputDim), A, true);
  const basePs = mm.probs(base, anchor.out, A).ps;
  const cutPs = mm.probs(mm.vars, anchor.out, A).ps;
  const mean = (p: Float64Array, size: number): Float64Array => {
    const m = new Float64Array(size);
    for (let r = 0; r < A; r++) for (let j = 0; j < size; j++) m[j]! += p[r * size + j]! / A;
    return m;
  };
  // a categorical column is held to its release shrunk towards the model by the James-Stein factor, the estimate
  // calibration would match (fitting the raw noisy shares would leave calibration nothing to shrink: on the 242-row
  // heart table 1-TVD fell from 0.97 to 0.94)
  const terms: Term[] = release.marginals.map((m, i) =>
    base[i]!.kind === 'softmax'
      ? { vars: [i], y: releasedShares(m, mean(basePs[i]!, base[i]!.size)), w: (N / m.std) ** 2 }
      : { vars: [i], y: mean(basePs[i]!, base[i]!.size), w: (N / m.std) ** 2, base: true },
  );
  const gAnchor = cutPs.map((p, i) => grouped(p, mm.vars[i]!.size, A, groups[i]!));
  const modelPair = (a: number, b: number): Float64Array => pairMarginal(gAnchor[a]!, gAnchor[b]!, groups[a]!.groups, groups[b]!.groups, 0, A);
  // The margins every pair term is built on are the ones the one-way terms and calibration give: a categorical
  // column's one-way target, a numeric column's release in the transport's bins (the model's own margins, where
  // they differ, pulled the fit against the one-way terms: on breast cancer at epsilon 1 the model put 62% of
  // rows on "M", the release 37%, and 26 unmeasured diagnosis pairs held the model's 62% against one one-way term).
  const margins = release.marginals.map((m, i) => releasedMargin(base[i]!.kind === 'softmax' ? terms[i]!.y : m.counts, groups[i]!));
  // a measured pair: its interaction shrunk by how far it stands out of the noise, on those margins (pairTarget)
  for (const p of pairs) terms.push({ vars: [p.a, p.b], y: pairTarget(p, N, outerProduct(margins[p.a]!, margins[p.b]!), opts.totalStd), w: (N / p.std) ** 2 });
  if (pairs.length) {
    const measured = new Set(pairs.map((p) => `${p.a},${p.b}`));
    const w = (N / pairs[0]!.std) ** 2;
    for (let a = 0; a < base.length; a++) {
      for (let b = a + 1; b < base.length; b++) {
        // an unmeasured pair: the model's dependence, on those margins
        if (!measured.has(`${a},${b}`)) terms.push({ vars: [a, b], y: withMargins(modelPair(a, b), margins[a]!, margins[b]!), w, anchor: true });
      }
    }
  }
  const B = PAIR_FIT.batch;
  const H = B >> 1;
  const iterations = opts.iterations ?? PAIR_FIT.iterations;
  const params = dec.layers.flatMap((l) => [l.W, l.b]);
  const m1 = params.map((p) => new Float64Array(p.length));
  const m2 = params.map((p) => new Float64Array(p.length));
  const zrng = opts.rng.fork('z');
  const arng = opts.rng.fork('anchors');
  const fixed = terms.filter((t) => !t.anchor);
  const anchors = terms.filter((t) => t.anchor);
  const perStep = Math.min(anchors.length, PAIR_FIT.anchorsPerStep);
  const loss: number[] = [];
  for (let it = 1; it <= iterations; it++) {
    const cache = mm.forward(normals(zrng, B * dec.inputDim), B, it % PAIR_FIT.refreshEvery === 0);
    const cut = mm.probs(mm.vars, cache.out, B);
    const numeric = base.map((v, i) => (v.kind === 'numeric' ? i : -1)).filter((i) => i >= 0);
    const raw = mm.probs(numeric.map((i) => base[i]!), cache.out, B);
    const baseP = new Map(numeric.map((i, k) => [i, { p: raw.ps[k]!, cache: raw.caches[k] }]));
    const gCut = mm.vars.map((v) => new Float64Array(B * v.size));
    const gBase = new Map(numeric.map((i) => [i, new Float64Array(B * base[i]!.size)]));
    const gp = cut.ps.map((p, i) => grouped(p, mm.vars[i]!.size, B, groups[i]!));
    let total = 0;
    // every fixed term, and a fresh draw of the trust region's pairs weighted up to all of them (unbiased)
    const drawn = perStep < anchors.length ? (arng.shuffle(anchors.slice()) as Term[]).slice(0, perStep) : anchors;
    const scale = anchors.length / Math.max(1, perStep);
    for (const term of [...fixed, ...drawn]) {
      const t = term.anchor && scale !== 1 ? { ...term, w: term.w * scale } : term;
      if (t.vars.length === 1) {
        const i = t.vars[0];
        const size = t.base ? base[i]!.size : mm.vars[i]!.size;
        const p = t.base ? baseP.get(i)!.p : cut.ps[i]!;
        const g = t.base ? gBase.get(i)! : gCut[i]!;
        const P0 = new Float64Array(size);
        const P1 = new Float64Array(size);
        for (let r = 0; r < B; r++) for (let j = 0; j < size; j++) (r < H ? P0 : P1)[j]! += p[r * size + j]!;
        for (let j = 0; j < size; j++) {
          const r0 = P0[j]! / H - t.y[j]!;
          const r1 = P1[j]! / (B - H) - t.y[j]!;
          total += t.w * r0 * r1;
          // rows of each half get the other half's residual
          for (let r = 0; r < B; r++) g[r * size + j]! += r < H ? (t.w * r1) / H : (t.w * r0) / (B - H);
        }
        continue;
      }
      const [a, b] = t.vars;
      const sa = groups[a]!.groups;
      const sb = groups[b]!.groups;
      const pa = gp[a]!;
      const pb = gp[b]!;
      const P0 = pairMarginal(pa, pb, sa, sb, 0, H);
      const P1 = pairMarginal(pa, pb, sa, sb, H, B);
      const G0 = new Float64Array(P0.length);
      const G1 = new Float64Array(P0.length);
      for (let i = 0; i < P0.length; i++) {
        const r0 = P0[i]! - t.y[i]!;
        const r1 = P1[i]! - t.y[i]!;
        total += t.w * r0 * r1;
        G0[i] = (t.w * r1) / H;
        G1[i] = (t.w * r0) / (B - H);
      }
      const ga = gCut[a]!;
      const gb = gCut[b]!;
      const ma = groups[a]!.group;
      const mb = groups[b]!.group;
      const va = mm.vars[a]!.size;
      const vb = mm.vars[b]!.size;
      const rowA = new Float64Array(sa);
      const rowB = new Float64Array(sb);
      for (let r = 0; r < B; r++) {
        const G = r < H ? G0 : G1;
        rowB.fill(0);
        for (let i = 0; i < sa; i++) {
          let s = 0;
          const x = pa[r * sa + i]!;
          for (let j = 0; j < sb; j++) {
            s += G[i * sb + j]! * pb[r * sb + j]!;
            rowB[j]! += G[i * sb + j]! * x;
          }
          rowA[i] = s;
        }
        // back from groups to the bins of each group
        for (let j = 0; j < va; j++) ga[r * va + j]! += rowA[ma[j]!]!;
        for (let j = 0; j < vb; j++) gb[r * vb + j]! += rowB[mb[j]!]!;
      }
    }
    loss.push(total);
    const dr = new Float64Array(B * D);
    mm.vars.forEach((v, i) => variableBackward(v, cache.out, D, B, mm.sigmas[i]!, cut.ps[i]!, gCut[i]!, cut.caches[i], dr));
    for (const [i, bp] of baseP) variableBackward(base[i]!, cache.out, D, B, mm.sigmas[i]!, bp.p, gBase.get(i)!, bp.cache, dr);
    const grads = dec.backward(cache, dr).flatMap((g) => [g.dW, g.db]);
    const c1 = 1 - 0.9 ** it;
    const c2 = 1 - 0.999 ** it;
    params.forEach((p, q) => {
      const g = grads[q]!;
      const a = m1[q]!;
      const v = m2[q]!;
      for (let i = 0; i < p.length; i++) {
        a[i] = 0.9 * a[i]! + 0.1 * g[i]!;
        v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
        p[i]! -= (PAIR_FIT.learningRate * (a[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-12);
      }
    });
  }
  return { weights: dec.toWeights(model.weights), loss };
}
