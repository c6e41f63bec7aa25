/**
 * Rebalanced sampling: output group shares as asked, each group drawn by conditional sampling.
 *
 *   spec ──► shares over the column's values ──► exact counts (largest remainder, deterministic)
 *        ──► one conditional generator per group (source.sampleGuided with {column, value}; dp-vae: guided
 *            sampling in latent space)
 *        ──► each output batch takes its share of every group (largest remainder again), shuffled (seeded)
 *
 * Shares are exact up to rounding (|count - share * n| < 1 per group), not merely within sampling error.
 * `uniform: true` spreads over the column's fitted categories (not the "(other)" slot or missing).
 */
import { ColumnError, ValueError } from '../errors.js';
import { Rng } from '../rng.js';
import type { Cell, Table } from '../table/Table.js';
import { takeRows } from '../table/Table.js';
import { oneHotLayout, resolveConditions, type Condition } from './conditions.js';
import type { ConditionalSampleOptions, ConditionalSampleStats, ConditionalSource } from './conditionalSampling.js';
import { concatTables } from './tableOps.js';
import * as msg from '../messages.js';

export type RebalanceSpec = { column: string; shares: Record<string, number> } | { column: string; uniform: true };

export interface RebalanceOptions extends ConditionalSampleOptions {
  /** Further conditions every row must meet (e.g. a fixed region), not on the rebalanced column. */
  conditions?: Condition[];
}

export interface RebalanceStats {
  column: string;
  groups: { value: string; share: number; rows: number; stats: ConditionalSampleStats }[];
  rows: number;
  seconds: number;
}

/** The target shares as [value, share] pairs (normalised to sum 1), checked against the fitted categories. */
export function rebalanceShares(source: ConditionalSource, spec: RebalanceSpec): [string, number][] {
  const block = source.encoder.blocks.find((b) => b.column === spec.column);
  const layout = block ? oneHotLayout(block) : null;
  if (!block || !layout) {
    const cats = source.encoder.blocks.filter((b) => oneHotLayout(b)).map((b) => b.column);
    throw new ColumnError(msg.cannotRebalance(spec.column), {
      location: { column: spec.column },
      hint: msg.hintCategoricalColumns(cats),
    });
  }
  if ('uniform' in spec && spec.uniform) return layout.categories.map((c) => [c, 1 / layout.categories.length]);
  const shares = (spec as { shares: Record<string, number> }).shares;
  const entries = Object.entries(shares ?? {});
  if (!entries.length) throw new ValueError(msg.rebalanceNoShares(spec.column), { location: { column: spec.column }, hint: msg.HINT_REBALANCE_SHARES });
  let sum = 0;
  for (const [v, s] of entries) {
    if (!(typeof s === 'number' && s >= 0 && Number.isFinite(s))) throw new ValueError(msg.rebalanceShareInvalid(spec.column, JSON.stringify(v), JSON.stringify(s)), { location: { column: spec.column } });
    sum += s;
  }
  if (!(sum > 0)) throw new ValueError(msg.rebalanceSharesZero(spec.column), { location: { column: spec.column } });
  if (Math.abs(sum - 1) > 1e-6) throw new ValueError(msg.rebalanceSharesNotOne(spec.column, sum), { location: { column: spec.column }, hint: msg.HINT_SHARES_SUM_TO_ONE });
  return entries.map(([v, s]) => [v, s / sum]);
}

/** Counts summing to n, each within 1 of n * w_i / Σ w (largest remainder; ties by order). */
export function exactCounts(weights: readonly number[], n: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w * n) / total);
  const counts = raw.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]![1]]!++;
  return counts;
}

/** Pulls rows from a batch generator on demand. */
class RowBuffer {
  private buf: Table[] = [];
  private have = 0;
  stats?: ConditionalSampleStats;
  constructor(private readonly gen: Generator<Table, ConditionalSampleStats>) {}
  take(k: number): Table[] {
    while (this.have < k) {
      const r = this.gen.next();
      if (r.done) {
        this.stats = r.value;
        break;
      }
      this.buf.push(r.value);
      this.have += r.value.rowCount;
    }
    const all = this.buf.length === 1 ? this.buf[0]! : this.buf.length ? concatTables(this.buf) : null;
    if (!all || k === 0) return [];
    const out = sliceRows(all, 0, k);
    const rest = all.rowCount - k;
    this.buf = rest > 0 ? [sliceRows(all, k, all.rowCount)] : [];
    this.have = rest;
    return [out];
  }
  finish(): ConditionalSampleStats | undefined {
    if (!this.stats) {
      const r = this.gen.next();
      if (r.done) this.stats = r.value;
    }
    return this.stats;
  }
}

function sliceRows(t: Table, from: number, to: number): Table {
  return { names: t.names, columns: t.columns.map((c) => c.slice(from, to) as Cell[]), rowCount: to - from };
}

/**
 * Exactly n rows whose `spec.column` shares are as asked (exact counts), in shuffled batches of
 * `opts.batchSize` (default 10,000); returns per-group statistics.
 * @throws {InputError} for an unknown column or value, shares that do not sum to 1, or a group the model
 *   (almost) never generates under `opts.conditions`.
 */
export function* sampleRebalancedBatches(source: ConditionalSource, n: number, spec: RebalanceSpec, opts: RebalanceOptions = {}): Generator<Table, RebalanceStats> {
  const t0 = performance.now();
  const pairs = rebalanceShares(source, spec);
  const extra = opts.conditions ?? [];
  if (extra.some((c) => c.column === spec.column)) throw new ValueError(msg.conditionOnRebalanced(spec.column), { location: { column: spec.column } });
  const counts = exactCounts(pairs.map((p) => p[1]), n);
  const seed = opts.seed ?? 0;
  const batchSize = opts.batchSize ?? 10_000;
  const rng = new Rng(seed).fork('rebalance');
  const groups = pairs.map(([value], g) => {
    const { conditions: _c, onProgress: _p, ...rest } = opts;
    const gen = source.sampleGuided(counts[g]!, [{ column: spec.column, value }, ...extra], { ...rest, seed: rng.fork(`group:${value}`).nextU32(), batchSize: Math.min(batchSize, Math.max(1, counts[g]!)) });
    return { value, share: pairs[g]![1], rows: counts[g]!, left: counts[g]!, buffer: new RowBuffer(gen) };
  });
  // fail fast on unknown values: resolve every group's conditions before producing anything
  for (const g of groups) resolveConditions(source.encoder, [{ column: spec.column, value: g.value }, ...extra]);
  let done = 0;
  let b = 0;
  while (done < n) {
    if (opts.signal?.aborted) break;
    const m = Math.min(batchSize, n - done);
    // each group's share of this batch; never above what it has left (ceil(left * m / rest) <= left for m <= rest)
    const take = exactCounts(groups.map((g) => g.left), m);
    const parts: Table[] = [];
    groups.forEach((g, i) => {
      if (take[i]! > 0) parts.push(...g.buffer.take(take[i]!));
      g.left -= take[i]!;
    });
    const all = concatTables(parts);
    const order = Int32Array.from({ length: all.rowCount }, (_, i) => i);
    rng.fork(`shuffle-${b++}`).shuffle(order);
    done += all.rowCount;
    opts.onProgress?.(done, n);
    yield takeRows(all, order);
  }
  return {
    column: spec.column,
    groups: groups.map((g) => ({ value: g.value, share: g.share, rows: g.rows, stats: g.buffer.finish()! })),
    rows: done,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** All n rows in one table, with the statistics. */
export function sampleRebalanced(source: ConditionalSource, n: number, spec: RebalanceSpec, opts: RebalanceOptions = {}): { table: Table; stats: RebalanceStats } {
  const parts: Table[] = [];
  const gen = sampleRebalancedBatches(source, n, spec, opts);
  for (;;) {
    const r = gen.next();
    if (r.done) return { table: parts.length ? concatTables(parts) : { names: source.encoder.columns, columns: source.encoder.columns.map(() => []), rowCount: 0 }, stats: r.value };
    parts.push(r.value);
  }
}
