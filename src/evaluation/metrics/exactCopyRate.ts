/**
 * exact_copy_rate: share of synthetic rows identical (on every evaluated column, missing = missing) to
 * some row of the full train table. Baseline: the same share for the holdout rows, which shows how often
 * an independent sample repeats a training row by chance (Adult has many such duplicates).
 */
import type { PreparedTable } from '../prepare.js';
import type { PrivacyContext } from '../privacyContext.js';
import type { MetricDescriptor, MetricOutput } from '../types.js';

export const descriptor: MetricDescriptor = {
  name: 'exact_copy_rate',
  kind: 'privacy',
  goal: 'minimize',
  range: [0, 1],
  description: 'Share of synthetic rows identical to a train row (evaluated columns); compare with holdoutBaseline, the share of holdout rows identical to a train row.',
};

function rowKeys(t: PreparedTable): string[] {
  const keys: string[] = new Array(t.n);
  for (let i = 0; i < t.n; i++) {
    let s = '';
    for (const v of t.values) {
      const x = v[i]!;
      s += (x === x ? String(x) : 'NA') + '\u0001';
    }
    keys[i] = s;
  }
  return keys;
}

export function compute(ctx: PrivacyContext): MetricOutput & { details: { holdoutBaseline: number; excess: number; copies: number } } {
  const train = new Set(rowKeys(ctx.data.train));
  let copies = 0;
  for (const k of rowKeys(ctx.data.synthetic)) if (train.has(k)) copies++;
  let base = 0;
  for (const k of rowKeys(ctx.data.holdout)) if (train.has(k)) base++;
  const rate = copies / ctx.data.synthetic.n;
  const holdoutBaseline = base / ctx.data.holdout.n;
  return { value: rate, details: { holdoutBaseline, excess: rate - holdoutBaseline, copies } };
}
