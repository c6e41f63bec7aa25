/**
 * Which two-way marginals dp-vae measures, and their noisy counts (issue 16, item 2; `dp.pairShare`):
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
 *
 * Privacy: the pairs are counted over bins derived from DP releases only (the encoder and the one-way
 * release); a row is in one cell of a pair's table (L2 sensitivity 1), and in one cell of the selection's
 * score vector per pair (the L1 score changes by at most 1).
 */
import type { TableEncoder } from '../../../transformers/TableEncoder.js';
import type { MarginalRelease } from '../../../sampling/marginals.js';
import { binIndex } from '../../../sampling/marginals.js';
import type { Table } from '../../../table/Table.js';
import type { Rng } from '../../../rng.js';
import type { ZcdpSpend } from '../../../privacy/PrivacySpend.js';
import { gaussianRho, gaussianStdForRho } from '../../../privacy/analysis/zcdp.js';
import { coarseRelease, grouped, MarginalModel, normals, pairBinsFor, pairMarginal, PAIR_FIT, type DecoderModel, type PairMeasurement } from './MarginalModel.js';

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
