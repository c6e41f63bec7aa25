/**
 * Baseline synthesizer: every column drawn independently from its own one-way marginal, with or without DP.
 * A reference point for benchmarks (it keeps every marginal and no dependence between columns).
 *
 *   typed Table ──► per column: categorical → (noisy) category counts; numeric/integer/datetime → (private)
 *                   bounds + (noisy) equal-width histogram ──► normalised marginals ──► independent draws
 *
 * DP (add/remove one row; zCDP composed in a {@link PrivacyLedger}): the whole (epsilon, delta) budget is
 * converted to zCDP rho at delta * (1 - thresholdDeltaShare) with {@link rhoForEpsilon}; each modelled column
 * gets rho / columns. A categorical column without declared public categories releases a stability-thresholded
 * Gaussian histogram ({@link noisyCategoryCounts}, its share of thresholdDelta as failure probability); with
 * declared categories, plain Gaussian counts. A numeric column spends `boundsShare` of its rho on
 * {@link privateBounds} (unless it declares public min/max), the rest on a Gaussian {@link noisyHistogram} with a
 * bin for exactly each bound (a point mass such as a zero-heavy column's) and `bins` equal-width bins between
 * (values outside the bounds are clamped onto them before counting, which keeps the L2 sensitivity 1). Sampling picks a bin by its noisy count and a value uniformly in it
 * (rounded for integer columns, to the column's decimals otherwise). Missing values keep their (noisy) share.
 *
 * Without DP: exact counts, exact min/max, every observed category. NOT private.
 *
 * Complexity: fit O(rows * columns + bins); sample O(n * columns * log bins).
 */
import type { ColumnSpec, Metadata } from '../../metadata/Metadata.js';
import { modelledColumns } from '../../metadata/Metadata.js';
import type { Cell, Table } from '../../table/Table.js';
import { Rng } from '../../rng.js';
import { PrivacyLedger, type LedgerTotal } from '../../privacy/PrivacyLedger.js';
import { rhoForEpsilon } from '../../privacy/analysis/calibrateNoise.js';
import { noisyCategoryCounts, noisyPublicCategoryCounts } from '../../privacy/mechanisms/noisyCategoryCounts.js';
import { noisyHistogram } from '../../privacy/mechanisms/noisyHistogram.js';
import { privateBounds } from '../../privacy/mechanisms/privateBounds.js';
import { PrivacyError } from '../../errors.js';
import { cumulative, searchCumulative } from '../../random/cumulative.js';
import * as msg from '../../messages.js';

export interface IndependentMarginalsOptions {
  /** Differential privacy; omit for the non-private baseline. */
  dp?: { epsilon: number; delta: number };
  /** Equal-width bins per numeric column. Default 32. */
  bins?: number;
  /** Share of a numeric column's rho spent on its bounds (when not declared public). Default 0.25. */
  boundsShare?: number;
  /** Record the releases in this (empty) ledger instead of a new one; its target must be `dp`. */
  ledger?: PrivacyLedger;
  /** Share of delta for the thresholded category histograms (when some are data-dependent). Default 0.1. */
  thresholdDeltaShare?: number;
  seed?: number;
}

type Marginal =
  | { kind: 'categorical'; name: string; values: string[]; weights: number[]; missing: number }
  /** Bin k spans [lows[k], highs[k]]: a point at each bound (lows = highs), equal-width bins between. */
  | { kind: 'numeric'; name: string; type: ColumnSpec['type']; decimals?: number; lows: number[]; highs: number[]; weights: number[]; missing: number };

export const INDEPENDENT_STATE_KIND = 'privsynth.independent-marginals';
export const INDEPENDENT_STATE_VERSION = 1;

/** The fitted state as stored in a model directory: DP-released values only under DP. */
export interface IndependentMarginalsState {
  kind: typeof INDEPENDENT_STATE_KIND;
  version: number;
  differentiallyPrivate: boolean;
  marginals: Marginal[];
}

export class IndependentMarginals {
  readonly differentiallyPrivate: boolean;
  readonly ledger: PrivacyLedger;
  private readonly marginals: Marginal[];

  private constructor(marginals: Marginal[], ledger: PrivacyLedger, differentiallyPrivate = ledger.differentiallyPrivate) {
    this.marginals = marginals;
    this.ledger = ledger;
    this.differentiallyPrivate = differentiallyPrivate;
  }

  /** Total privacy spent (epsilon Infinity for the non-private baseline). */
  get privacy(): LedgerTotal {
    return this.ledger.total();
  }

  /**
   * Fit on a typed table (see coerceTable).
   * @throws PrivacyError E_PRIVACY for an invalid budget, E_BUDGET if the releases exceed it.
   */
  static fit(table: Table, metadata: Metadata, opts: IndependentMarginalsOptions = {}): IndependentMarginals {
    const rng = new Rng(opts.seed ?? 0).fork('independent-marginals');
    const bins = opts.bins ?? 32;
    if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be a positive integer, got ${bins}`);
    const boundsShare = opts.boundsShare ?? 0.25;
    const columns = modelledColumns(metadata);
    const dp = opts.dp;
    const ledger = opts.ledger ?? (dp ? new PrivacyLedger(dp) : PrivacyLedger.notPrivate());
    if (ledger.entries.length || ledger.differentiallyPrivate !== Boolean(dp)) throw new RangeError('IndependentMarginals.fit needs an empty ledger matching opts.dp');
    let rhoPerColumn = 0;
    let deltaPerThreshold = 0;
    if (dp) {
      const thresholded = columns.filter((c) => isCategorical(c) && !(c.public && c.categories)).length;
      const thresholdDeltaShare = thresholded ? (opts.thresholdDeltaShare ?? 0.1) : 0;
      const conversionDelta = dp.delta * (1 - thresholdDeltaShare);
      // a hair under the exact split, so that rounding in the composed total cannot exceed the target
      rhoPerColumn = (rhoForEpsilon(dp.epsilon, conversionDelta) * (1 - 1e-9)) / Math.max(1, columns.length);
      deltaPerThreshold = thresholded ? (dp.delta * thresholdDeltaShare) / thresholded : 0;
    }
    const marginals: Marginal[] = [];
    for (const c of columns) {
      const j = table.names.indexOf(c.name);
      if (j < 0) throw new PrivacyError(msg.schemaColumnNotInTable(c.name, undefined));
      const col = table.columns[j]!;
      const r = rng.fork(`column:${c.name}`);
      marginals.push(isCategorical(c) ? fitCategorical(c, col, dp ? { rho: rhoPerColumn, deltaShare: deltaPerThreshold } : null, ledger, r) : fitNumeric(c, col, bins, dp ? { rho: rhoPerColumn, boundsShare } : null, ledger, r));
    }
    ledger.assertWithinBudget();
    return new IndependentMarginals(marginals, ledger);
  }

  /** Per column, what the model holds: released categories, bounds and whether values go missing. */
  columnSummaries(): { name: string; categories?: string[]; min?: number; max?: number; nullable: boolean }[] {
    return this.marginals.map((m) => (m.kind === 'categorical' ? { name: m.name, categories: [...m.values], nullable: m.missing > 0 } : { name: m.name, min: m.lows[0], max: m.highs[m.highs.length - 1], nullable: m.missing > 0 }));
  }

  /** The state to store (a copy); under DP every number in it is a DP release or post-processing of one. */
  toJSON(): IndependentMarginalsState {
    return { kind: INDEPENDENT_STATE_KIND, version: INDEPENDENT_STATE_VERSION, differentiallyPrivate: this.differentiallyPrivate, marginals: JSON.parse(JSON.stringify(this.marginals)) as Marginal[] };
  }

  /**
   * Rebuild a sampler from {@link toJSON}'s state (its ledger is not restored: the model directory keeps it).
   * @throws RangeError for a malformed state.
   */
  static fromJSON(state: unknown): IndependentMarginals {
    const s = state as Partial<IndependentMarginalsState> | null;
    if (!s || s.kind !== INDEPENDENT_STATE_KIND || s.version !== INDEPENDENT_STATE_VERSION || !Array.isArray(s.marginals)) throw new RangeError(`not an independent-marginals state of version ${INDEPENDENT_STATE_VERSION}`);
    for (const m of s.marginals) {
      const ok = m && typeof m.name === 'string' && Array.isArray(m.weights) && m.weights.every((w) => typeof w === 'number') && typeof m.missing === 'number' &&
        (m.kind === 'categorical' ? Array.isArray(m.values) && m.values.length === m.weights.length : m.kind === 'numeric' && Array.isArray(m.lows) && Array.isArray(m.highs) && m.lows.length === m.weights.length && m.highs.length === m.weights.length);
      if (!ok) throw new RangeError(`column ${JSON.stringify((m as { name?: unknown })?.name)} has a malformed marginal`);
    }
    return new IndependentMarginals(s.marginals, PrivacyLedger.notPrivate(), Boolean(s.differentiallyPrivate));
  }

  /** n rows, columns in schema order (modelled columns only), typed like coerceTable's output. */
  sample(n: number, seed = 0): Table {
    const rng = new Rng(seed).fork('independent-marginals:sample');
    const columns = this.marginals.map((m) => {
      const r = rng.fork(`column:${m.name}`);
      const out: Cell[] = new Array(n);
      const total = m.weights.reduce((a, b) => a + b, 0) + m.missing;
      const cum = cumulative(m.weights);
      for (let i = 0; i < n; i++) {
        const u = r.uniform() * total;
        // u beyond the last bin's cumulative weight falls in the missing share
        out[i] = total > 0 && cum.length > 0 && u < cum[cum.length - 1]! ? pick(m, searchCumulative(cum, u), r) : null;
      }
      return out;
    });
    return { names: this.marginals.map((m) => m.name), columns, rowCount: n };
  }
}

function isCategorical(c: ColumnSpec): boolean {
  return c.type === 'categorical' || c.type === 'boolean';
}

function fitCategorical(c: ColumnSpec, col: Cell[], dp: { rho: number; deltaShare: number } | null, ledger: PrivacyLedger, rng: Rng): Marginal {
  const values = col.map((v) => (v === null ? null : String(v)));
  if (dp && c.public && c.categories) {
    const r = noisyPublicCategoryCounts(values, c.categories, { rho: dp.rho, label: `marginal:${c.name}` }, rng);
    ledger.add(r.spend);
    return { kind: 'categorical', name: c.name, values: r.counts.map((x) => x.category), weights: r.counts.map((x) => x.count), missing: r.missing };
  }
  if (dp) {
    const r = noisyCategoryCounts(values, { rho: dp.rho, deltaShare: dp.deltaShare, label: `marginal:${c.name}` }, rng);
    ledger.add(r.spend);
    return { kind: 'categorical', name: c.name, values: r.categories.map((x) => x.category), weights: r.categories.map((x) => x.count), missing: r.missing };
  }
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort();
  return { kind: 'categorical', name: c.name, values: keys, weights: keys.map((k) => counts.get(k)!), missing };
}

function fitNumeric(c: ColumnSpec, col: Cell[], bins: number, dp: { rho: number; boundsShare: number } | null, ledger: PrivacyLedger, rng: Rng): Marginal {
  const xs: (number | null)[] = col.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  const declared = c.public && typeof c.min === 'number' && typeof c.max === 'number' ? { lo: c.min, hi: c.max } : null;
  let lo: number;
  let hi: number;
  let histRho = dp?.rho ?? 0;
  if (declared) ({ lo, hi } = declared);
  else if (dp) {
    const b = privateBounds(xs, { rho: dp.rho * dp.boundsShare, label: `bounds:${c.name}` }, rng.fork('bounds'));
    ledger.add(b.spend);
    histRho = dp.rho * (1 - dp.boundsShare);
    ({ lo, hi } = b.bounds ?? { lo: 0, hi: 1 });
  } else {
    lo = Infinity;
    hi = -Infinity;
    for (const x of xs) {
      if (x === null) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (lo > hi) [lo, hi] = [0, 1];
  }
  if (!(hi > lo)) hi = lo + 1;
  // a bin for exactly each bound (point masses such as Adult's zero capital-gain, as privsynth's own
  // marginals have; sampled as the bound itself) and `bins` equal-width bins strictly between: the
  // histogram's below / above cells are the point bins (one partition of the rows: sensitivity 1)
  const eps = c.type === 'integer' ? 0.5 : (hi - lo) / 1000;
  let a = lo + eps;
  let b = hi - eps;
  if (!(b > a)) {
    a = (lo + hi) / 2;
    b = a + (hi - lo) * 1e-9;
  }
  const inner = b - a > (hi - lo) * 1e-6 ? bins : 1;
  const edges = Array.from({ length: inner + 1 }, (_, k) => a + ((b - a) * k) / inner);
  edges[inner] = b;
  const lows = [lo, ...edges.slice(0, inner), hi];
  const highs = [lo, ...edges.slice(1), hi];
  const clamped = xs.map((x) => (x === null ? null : Math.min(hi, Math.max(lo, x))));
  if (dp) {
    const h = noisyHistogram(clamped, edges, { rho: histRho, label: `marginal:${c.name}` }, rng.fork('histogram'));
    ledger.add(h.spend);
    // decimals are read from the data unless declared public: a DP model keeps only public ones
    return { kind: 'numeric', name: c.name, type: c.type, ...(c.public && c.decimals !== undefined ? { decimals: c.decimals } : {}), lows, highs, weights: [h.below, ...h.counts, h.above], missing: h.missing };
  }
  const weights = new Array<number>(inner + 2).fill(0);
  let missing = 0;
  for (const x of clamped) {
    if (x === null) missing++;
    else if (x < a) weights[0]!++;
    else if (x > b) weights[inner + 1]!++;
    else weights[1 + Math.min(inner - 1, Math.floor(((x - a) / (b - a)) * inner))]!++;
  }
  return { kind: 'numeric', name: c.name, type: c.type, ...(c.decimals !== undefined ? { decimals: c.decimals } : {}), lows, highs, weights, missing };
}

function pick(m: Marginal, k: number, rng: Rng): Cell {
  if (m.kind === 'categorical') return m.values[k]!;
  const a = m.lows[k]!;
  const b = m.highs[k]!;
  const x = a === b ? a : a + (b - a) * rng.uniform();
  if (m.type === 'integer') return Math.round(x);
  if (m.type === 'datetime') return Math.round(x);
  const d = m.decimals;
  return d === undefined ? x : Number(x.toFixed(Math.min(d, 12)));
}

