/**
 * singling_out (after Anonymeter's univariate singling-out evaluator): the attacker writes predicates
 * that match exactly one synthetic row, from single columns: `col == v` for values that occur once in
 * the synthetic table, `col <= min` and `col >= max` for numbers, `col is missing` when exactly one
 * synthetic value is missing. A predicate succeeds on a table when it matches exactly one of its rows.
 *
 * Success on a train sample is compared with success on the holdout (same number of rows, so chance
 * uniqueness is comparable): risk = (success_train - success_holdout) / (1 - success_holdout), interval
 * from the Wilson 95% interval of success_train, clipped to [0, 1].
 */
import type { Rng } from '../../rng.js';
import type { PreparedData, PreparedTable } from '../prepare.js';
import type { PrivacyContext } from '../privacyContext.js';
import { wilson } from '../stats/binomial.js';
import { sampleIndices } from '../stats/summary.js';
import { takePrepared } from '../prepare.js';
import type { MetricDescriptor, MetricOutput } from '../types.js';
import * as msg from '../../messages.js';

export const descriptor: MetricDescriptor = {
  name: 'singling_out',
  kind: 'privacy',
  goal: 'minimize',
  range: [0, 1],
  description:
    'Anonymeter-style univariate singling-out risk: predicates unique in the synthetic table, (success on a train sample - success on the holdout) / (1 - success on the holdout).',
};

type Predicate = { column: number; op: 'eq' | 'le' | 'ge' | 'missing'; value: number };

function predicates(data: PreparedData): Predicate[] {
  const out: Predicate[] = [];
  data.columns.forEach((col, j) => {
    const v = data.synthetic.values[j]!;
    const counts = new Map<number, number>();
    let missing = 0;
    let mn = Infinity;
    let mx = -Infinity;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (col.kind === 'num' ? x !== x : x < 0) {
        missing++;
        continue;
      }
      counts.set(x, (counts.get(x) ?? 0) + 1);
      if (x < mn) mn = x;
      if (x > mx) mx = x;
    }
    for (const [x, c] of counts) if (c === 1) out.push({ column: j, op: 'eq', value: x });
    if (col.kind === 'num' && Number.isFinite(mn)) {
      out.push({ column: j, op: 'le', value: mn });
      if (mx > mn) out.push({ column: j, op: 'ge', value: mx });
    }
    if (missing === 1) out.push({ column: j, op: 'missing', value: 0 });
  });
  return out;
}

function matchesExactlyOne(t: PreparedTable, p: Predicate, kind: 'num' | 'cat'): boolean {
  const v = t.values[p.column]!;
  let c = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    const miss = kind === 'num' ? x !== x : x < 0;
    let hit: boolean;
    if (p.op === 'missing') hit = miss;
    else if (miss) hit = false;
    else hit = p.op === 'eq' ? x === p.value : p.op === 'le' ? x <= p.value : x >= p.value;
    if (hit && ++c > 1) return false;
  }
  return c === 1;
}

export interface SinglingOutDetails {
  predicatesAvailable: number;
  attacks: number;
  rowsPerTable: number;
  successTrain: number;
  successTrainCi95: [number, number];
  successHoldout: number;
  successHoldoutCi95: [number, number];
  riskCi95: [number, number];
}

export function compute(ctx: PrivacyContext, attacks: number, rng: Rng): MetricOutput & { details: SinglingOutDetails | null } {
  const { data } = ctx;
  const all = predicates(data);
  if (all.length === 0) {
    return {
      value: 0,
      details: null,
      warnings: [{ code: 'METRIC_SKIPPED', metric: descriptor.name, message: msg.SINGLING_OUT_NONE }],
    };
  }
  const chosen = Array.from(sampleIndices(all.length, attacks, rng.fork('predicates')), (i) => all[i]!);
  const trainS = takePrepared(data.train, ctx.trainSample);
  const holdS = takePrepared(data.holdout, ctx.holdoutSample);
  let okT = 0;
  let okH = 0;
  for (const p of chosen) {
    const kind = data.columns[p.column]!.kind;
    if (matchesExactlyOne(trainS, p, kind)) okT++;
    if (matchesExactlyOne(holdS, p, kind)) okH++;
  }
  const n = chosen.length;
  const rT = okT / n;
  const rH = okH / n;
  const ciT = wilson(okT, n);
  const denom = 1 - rH;
  const clip = (x: number) => Math.max(0, Math.min(1, x));
  const risk = denom > 0 ? clip((rT - rH) / denom) : 0;
  return {
    value: risk,
    details: {
      predicatesAvailable: all.length,
      attacks: n,
      rowsPerTable: ctx.trainSample.length,
      successTrain: rT,
      successTrainCi95: ciT,
      successHoldout: rH,
      successHoldoutCi95: wilson(okH, n),
      riskCi95: denom > 0 ? [clip((ciT[0] - rH) / denom), clip((ciT[1] - rH) / denom)] : [0, 0],
    },
  };
}
