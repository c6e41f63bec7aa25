/**
 * DP one-way marginals and calibration of a synthetic sample to them.
 *
 *   fitted encoder ──► bins per column (data-independent given the encoder: its categories, or fixed bins over
 *                      its DP / declared bounds)
 *   typed table ──► measureMarginals: Gaussian noisy counts per column (rho / columns each) ──► release + spends
 *   sample ──► calibrate: raking (iterative proportional fitting) of row weights to the noisy one-way shares
 *          ──► seeded systematic resampling of n rows by weight ──► calibrated sample
 *
 * Privacy: every row falls in exactly one bin of each column's histogram (categories + other + missing, or
 * below + inner bins + above + missing), so each column's count vector has L2 sensitivity 1 under add/remove
 * one row, and N(0, s^2) with s = 1 / sqrt(2 rho_c) is rho_c-zCDP (noisyHistogram / noisyPublicCategoryCounts).
 * The columns compose to Σ rho_c = rho. Bins are derived from the fitted encoder only, which is itself DP (or
 * declared public) in a DP model; measuring against an encoder fitted on raw data (a non-DP model) releases
 * nothing new about the bins but the model is not DP anyway. Calibration reads only the release and the
 * sample: post-processing, free.
 */
import { ColumnError, InternalError, ModelError, ValueError } from '../errors.js';
import { Rng } from '../rng.js';
import type { Cell, Table } from '../table/Table.js';
import { takeRows } from '../table/Table.js';
import type { ColumnBlock, TableEncoder } from '../transformers/TableEncoder.js';
import type { ZcdpSpend } from '../privacy/PrivacySpend.js';
import { noisyHistogram } from '../privacy/mechanisms/noisyHistogram.js';
import { noisyPublicCategoryCounts } from '../privacy/mechanisms/noisyCategoryCounts.js';
import { gaussianStdForRho } from '../privacy/analysis/zcdp.js';
import { oneHotLayout } from './conditions.js';
import { systematicResample } from './systematicResample.js';
import { dropFarNoise, pooledTotal, projectCounts } from './releasedCounts.js';
import * as msg from '../messages.js';

export const MARGINALS_KIND = 'privsynth.marginals';
export const MARGINALS_VERSION = 1;

/** The bins of one column, fixed before the data is read. */
export type MarginalBins =
  /** labels: the fitted categories, then the other label (when the model has an other slot), then null (missing). */
  | { column: string; kind: 'categorical'; labels: Cell[]; otherLabel?: string }
  /**
   * Inner bins [edges[i], edges[i+1]) (last closed); values outside are counted in the first/last bin.
   */
  | { column: string; kind: 'numeric'; edges: number[]; nullable: boolean; /** The first and last inner bins hold exactly a bound (measurement only; not stored). */ pointBins?: boolean };

export type NoisyMarginal = MarginalBins & {
  /** Noisy counts, clamped at 0: one per label (categorical) or per inner bin then missing when nullable (numeric). */
  counts: number[];
  std: number;
};

export interface MarginalRelease {
  kind: typeof MARGINALS_KIND;
  version: number;
  rho: number;
  marginals: NoisyMarginal[];
}

export interface MarginalBinOptions {
  /** Columns to measure (default: every column of the encoder). */
  columns?: readonly string[];
  /**
   * Equal-width bins over a numeric column's bounds (integers with a smaller range: one per value). Default:
   * from the expected signal-to-noise when `rows` is given ({@link marginalBinsFor}), else 20.
   */
  bins?: number;
  /**
   * The DP (or, without DP, exact) row count. Sets the bin count from the noise (coarser on small tables) and
   * the total that the noisy counts are projected onto (free post-processing of released values).
   */
  rows?: number;
  /**
   * The noise std of `rows` (a DP count). Each column's counts are then projected onto the inverse-variance
   * pooling of `rows` and the column's own noisy total ({@link pooledTotal}), not onto `rows` alone.
   */
  rowsStd?: number;
}

/** Counts of categorical columns already released (e.g. with their categories), by column: not measured again. */
export type GivenMarginals = ReadonlyMap<string, { counts: ReadonlyMap<string | null, number>; std: number }>;

/**
 * A given column's counts in a layout (its labels in order, null for missing): post-processing of its release.
 * Every label must have a count: a label the release lacks means the layout and the release disagree.
 * @throws {InternalError} for a label without a count
 */
export function givenCounts(given: { counts: ReadonlyMap<string | null, number> }, column: string, labels: readonly Cell[]): number[] {
  return labels.map((l) => {
    const c = given.counts.get(l === null ? null : String(l));
    if (c === undefined) throw new InternalError(`given counts of "${column}" lack ${JSON.stringify(l)}`);
    return c;
  });
}

/** At most this many equal-width bins per numeric marginal. */
const MAX_BINS = 64;

/**
 * Equal-width bins of a numeric marginal over `rows` rows with per-bin noise std `std`: the relative noise of a
 * bin of average share is std * bins / rows, kept near 1, so floor(rows / std) bins within [2, 64] (Adult at
 * epsilon 1: 64). Calibration shrinks the noisy shares towards the model (James-Stein) and projects them onto
 * the row count, so finer bins cost little noise and buy the shape within them, which the model does not
 * know on a small table. dp-vae at epsilon 1 (seeds 1-2), 1-KS and contingency similarity, 0.3 rows / std (the
 * rule before) -> rows / std: pima 0.81 / 0.60 -> 0.87 / 0.69, heart-cleveland 0.49 / 0.35 -> 0.59 / 0.46,
 * breast cancer 0.56 / 0.32 -> 0.66 / 0.41; 2 and 4 rows / std were no better (benchmarks/RESULTS.md).
 * Free: a function of the DP row count and the budget.
 */
export function marginalBinsFor(rows: number, std: number): number {
  return Math.max(2, Math.min(MAX_BINS, Math.floor(rows / std)));
}

interface NumericState {
  type: string;
  min?: number;
  max?: number;
  decimals?: number | null;
  inner?: NumericState;
}

/** Bins for each requested column, from the fitted encoder only. */
export function marginalBins(encoder: TableEncoder, opts: MarginalBinOptions = {}): MarginalBins[] {
  const nb = opts.bins ?? 20;
  const wanted = opts.columns ?? encoder.columns;
  return wanted.map((name): MarginalBins => {
    const block = encoder.blocks.find((b) => b.column === name);
    if (!block) throw new ColumnError(msg.marginalNotGenerated(name), { location: { column: name }, hint: msg.hintModelColumns(encoder.columns) });
    const layout = oneHotLayout(block);
    if (layout) {
      const labels: Cell[] = [...layout.categories];
      if (layout.otherSlot >= 0) labels.push(layout.otherLabel);
      if (layout.missingSlot >= 0) labels.push(null);
      return { column: name, kind: 'categorical', labels, ...(layout.otherSlot >= 0 ? { otherLabel: layout.otherLabel } : {}) };
    }
    return numericBins(block, nb);
  });
}

function numericBins(block: ColumnBlock, nb: number): MarginalBins {
  const s = block.transformer.toJSON() as unknown as NumericState;
  const nullable = s.type === 'MissingIndicator';
  const st = nullable ? s.inner! : s;
  let lo = st.min!;
  let hi = st.max!;
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) throw new ModelError(msg.transformerNoBounds(block.column), { location: { column: block.column } });
  if (!(hi > lo)) hi = lo + 1;
  const integer = st.decimals === 0 && Number.isInteger(lo) && Number.isInteger(hi) && st.type !== 'DatetimeTransformer';
  let edges: number[];
  if (integer && hi - lo + 1 <= nb) {
    edges = []; // one bin per value v: [v - 0.5, v + 0.5)
    for (let v = lo; v <= hi + 1; v++) edges.push(v - 0.5);
  } else {
    // equal-width bins, plus a bin for exactly the lower and exactly the upper bound: point masses at
    // the bounds are common (Adult's capital-gain is 0 for 92% of rows) and the model reaches them by
    // clamping, so calibration must be able to tell them from their neighbours. Still data-independent
    // (as bins of width eps: half a unit for integers, which then hold exactly the bound).
    const w = (hi - lo) / nb;
    const eps = integer ? 0.5 : w / 1000;
    edges = Array.from({ length: nb + 1 }, (_, k) => lo + w * k);
    edges[nb] = hi;
    edges.splice(1, 0, lo + eps);
    edges.splice(edges.length - 1, 0, hi - eps);
    return { column: block.column, kind: 'numeric', edges, nullable, pointBins: true };
  }
  return { column: block.column, kind: 'numeric', edges, nullable };
}

/**
 * Merge the first (last) inner bin, which holds exactly the lower (upper) bound, into its neighbour unless its
 * noisy count exceeds `evidence`. Pure post-processing of the noisy counts.
 */
export function mergeUnsupportedPointBins(edges: readonly number[], counts: readonly number[], evidence: number): { edges: number[]; counts: number[] } {
  const e = edges.slice();
  const c = counts.slice();
  if (c.length >= 3 && !(c[c.length - 1]! > evidence)) {
    c[c.length - 2]! += c.pop()!;
    e.splice(e.length - 2, 1);
  }
  if (c.length >= 3 && !(c[0]! > evidence)) {
    c[1]! += c.shift()!;
    e.splice(1, 1);
  }
  return { edges: e, counts: c };
}

/** Bin index of each cell (-1 = no bin: the model cannot generate it). */
export function binIndex(bins: MarginalBins, col: readonly Cell[]): Int32Array {
  const out = new Int32Array(col.length);
  if (bins.kind === 'categorical') {
    const index = new Map<Cell, number>(bins.labels.map((l, i) => [l, i]));
    for (let i = 0; i < col.length; i++) out[i] = index.get(col[i] ?? null) ?? -1;
    return out;
  }
  const e = bins.edges;
  const inner = e.length - 1;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (typeof v !== 'number' || Number.isNaN(v)) {
      out[i] = bins.nullable ? inner : -1;
      continue;
    }
    out[i] = edgeBin(e, v);
  }
  return out;
}

/** The inner bin of v among `edges` ([e_i, e_i+1), the last closed); values outside go to the end bins. */
export function edgeBin(edges: readonly number[], v: number): number {
  const inner = edges.length - 1;
  if (v <= edges[0]!) return 0;
  if (v >= edges[inner]!) return inner - 1;
  let lo = 0;
  let hi = inner - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function columnOf(t: Table, name: string, which: string): Cell[] {
  const j = t.names.indexOf(name);
  if (j < 0) throw new ColumnError(msg.tableLacksColumn(which, name), { location: { column: name, file: t.source }, hint: msg.hintItsColumns(t.names) });
  return t.columns[j]!;
}

/**
 * Gaussian noisy one-way marginals of `table` (typed, as the model was trained on) over the encoder's bins,
 * rho split equally over the columns. Returns the release and one ledger spend per column; add every spend to
 * the model's PrivacyLedger (their rho sums to `rho`).
 * @throws {PrivacyError} for rho <= 0; {InputError} for unknown columns
 */
export function measureMarginals(table: Table, encoder: TableEncoder, rho: number, rng: Rng, opts: MarginalBinOptions & { given?: GivenMarginals } = {}): { release: MarginalRelease; spends: ZcdpSpend[] } {
  const given = opts.given ?? new Map();
  const columnCount = (opts.columns ?? encoder.columns).filter((c) => !given.has(c)).length;
  const each = rho / Math.max(1, columnCount);
  // (every column given: nothing is measured, and the bin count does not matter)
  const bins = opts.bins ?? (opts.rows !== undefined && each > 0 ? marginalBinsFor(opts.rows, gaussianStdForRho(1, each)) : MAX_BINS);
  const all = marginalBins(encoder, { ...opts, bins });
  const spends: ZcdpSpend[] = [];
  // onto the DP row count pooled with the column's own total (free post-processing of released values)
  const project = (counts: number[], std: number): number[] => (opts.rows === undefined ? counts : projectCounts(counts, pooledTotal(counts, std, opts.rows, opts.rowsStd)));
  const marginals = all.map((bins): NoisyMarginal => {
    const col = columnOf(table, bins.column, 'training table');
    const label = `marginal:${bins.column}`;
    const crng = rng.fork(label);
    const g = given.get(bins.column);
    if (g) {
      if (bins.kind !== 'categorical') throw new InternalError(`given counts for the numeric column "${bins.column}"`);
      // released before (free post-processing here): in the model's layout
      const counts = givenCounts(g, bins.column, bins.labels);
      return { ...bins, counts: project(counts, g.std), std: g.std };
    }
    if (bins.kind === 'categorical') {
      const cats = bins.labels.filter((l): l is string => l !== null && l !== bins.otherLabel);
      const hasMissing = bins.labels.includes(null);
      // every row lands in one bin: a fitted category, "not listed" (other) or missing; the model's other slot
      // (when it has one) stands for every value not listed, so it gets the other count
      const r = noisyPublicCategoryCounts(col.map((v) => (v === null ? null : String(v))), cats, { rho: each, label }, crng);
      spends.push(r.spend);
      const counts = r.counts.map((c) => c.count);
      if (bins.otherLabel !== undefined) counts.push(r.other);
      if (hasMissing) counts.push(r.missing);
      return { ...bins, counts: project(counts, r.std), std: r.std };
    }
    const values = col.map((v) => (typeof v === 'number' ? v : null));
    const h = noisyHistogram(values, bins.edges, { rho: each, label }, crng);
    spends.push(h.spend);
    let counts = h.counts.slice();
    // values outside the bounds are clipped to them by the model: they belong to the end bins
    counts[0]! += h.below;
    counts[counts.length - 1]! += h.above;
    // a bin for exactly a bound stays only where the noisy count shows a point mass (3 std: a bin holding
    // nothing passes with probability 0.13%); else it is merged into its neighbour, so noise alone never
    // asks calibration to pile values on a bound (post-processing)
    let edges = bins.edges;
    if (bins.pointBins) ({ edges, counts } = mergeUnsupportedPointBins(edges, counts, 3 * h.std));
    // noise in the empty stretches of a wide DP range is not mass; not over an integer column's bins of one value
    // each (heart's ca, 0-3: its values 2 and 3 are data, not stretches)
    if (bins.pointBins && opts.rows !== undefined) counts = dropFarNoise(counts, h.std, opts.rows);
    if (bins.nullable) counts.push(h.missing);
    counts = project(counts, h.std);
    const { pointBins: _unused, ...rest } = bins;
    return { ...rest, edges, counts, std: h.std };
  });
  return { release: { kind: MARGINALS_KIND, version: MARGINALS_VERSION, rho, marginals }, spends };
}

export interface CalibrateOptions {
  /** Rows in the output (default: the sample's). */
  rows?: number;
  /** Raking sweeps at most (default 50). */
  iterations?: number;
  /** Stop when every column's weighted shares are within this of the targets (default 1e-4). */
  tolerance?: number;
  /** Cap on a row weight relative to the mean weight (default 20); bounds the duplication. */
  maxWeight?: number;
}

export interface CalibrationReport {
  iterations: number;
  /** Kish effective sample size of the final weights, as a share of the sample. */
  effectiveShare: number;
  columns: { column: string; tvdBefore: number; tvdAfter: number }[];
}

/**
 * Reweight `sample` so its one-way marginals match the noisy ones (raking), then resample rows by weight
 * (seeded systematic resampling, then shuffled). Targets are the clamped noisy counts normalised over the
 * bins the sample can reach (a bin without any sample row cannot be matched). Pure post-processing;
 * deterministic for a given rng seed.
 * @throws {InputError} for a release of another kind/version or a column the sample lacks
 */
export function calibrate(sample: Table, release: MarginalRelease, rng: Rng, opts: CalibrateOptions = {}): { table: Table; report: CalibrationReport } {
  if (release?.kind !== MARGINALS_KIND || release.version !== MARGINALS_VERSION) throw new ValueError(msg.notMarginalRelease(JSON.stringify(release?.kind), JSON.stringify(release?.version)));
  const n = sample.rowCount;
  const rows = opts.rows ?? n;
  const iterations = opts.iterations ?? 50;
  const tol = opts.tolerance ?? 1e-4;
  const cap = opts.maxWeight ?? 20;
  const cols = release.marginals.map((m) => {
    const idx = binIndex(m, columnOf(sample, m.column, 'sample'));
    const B = m.counts.length;
    const present = new Float64Array(B);
    for (let i = 0; i < n; i++) if (idx[i]! >= 0) present[idx[i]!]!++;
    let tot = 0;
    for (let b = 0; b < B; b++) if (present[b]! > 0) tot += Math.max(0, m.counts[b]!);
    const target = new Float64Array(B);
    for (let b = 0; b < B; b++) target[b] = present[b]! > 0 && tot > 0 ? Math.max(0, m.counts[b]!) / tot : 0;
    return { column: m.column, idx, target, B };
  });
  const w = new Float64Array(n).fill(1);
  const shares = (c: (typeof cols)[number]): Float64Array => {
    const s = new Float64Array(c.B);
    let tot = 0;
    for (let i = 0; i < n; i++) {
      const b = c.idx[i]!;
      if (b >= 0) {
        s[b]! += w[i]!;
        tot += w[i]!;
      }
    }
    for (let b = 0; b < c.B; b++) s[b]! /= tot || 1;
    return s;
  };
  const tvd = (a: Float64Array, b: Float64Array): number => {
    let d = 0;
    for (let k = 0; k < a.length; k++) d += Math.abs(a[k]! - b[k]!);
    return d / 2;
  };
  const before = cols.map((c) => tvd(shares(c), c.target));
  let it = 0;
  for (; it < iterations; it++) {
    let worst = 0;
    for (const c of cols) {
      const s = shares(c);
      worst = Math.max(worst, tvd(s, c.target));
      const f = new Float64Array(c.B);
      for (let b = 0; b < c.B; b++) f[b] = s[b]! > 0 ? c.target[b]! / s[b]! : 1;
      for (let i = 0; i < n; i++) {
        const b = c.idx[i]!;
        if (b >= 0) w[i]! *= f[b]!;
      }
      // cap relative to the mean (bounds duplication; trades a little fit for stability)
      let mean = 0;
      for (let i = 0; i < n; i++) mean += w[i]!;
      mean /= n;
      for (let i = 0; i < n; i++) if (w[i]! > cap * mean) w[i] = cap * mean;
    }
    if (worst <= tol) break;
  }
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    s1 += w[i]!;
    s2 += w[i]! * w[i]!;
  }
  const idx = systematicResample(w, s1, rows, rng.fork('resample'));
  rng.fork('order').shuffle(idx);
  const table = takeRows(sample, idx);
  const after = release.marginals.map((m, k) => {
    const bi = binIndex(m, columnOf(table, m.column, 'sample'));
    const s = new Float64Array(cols[k]!.B);
    let tot = 0;
    for (let i = 0; i < bi.length; i++) if (bi[i]! >= 0) (s[bi[i]!]!++, tot++);
    for (let b = 0; b < s.length; b++) s[b]! /= tot || 1;
    return tvd(s, cols[k]!.target);
  });
  return {
    table,
    report: { iterations: it, effectiveShare: n ? (s1 * s1) / s2 / n : 0, columns: cols.map((c, k) => ({ column: c.column, tvdBefore: before[k]!, tvdAfter: after[k]! })) },
  };
}
