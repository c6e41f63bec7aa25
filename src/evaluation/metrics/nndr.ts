/**
 * nndr: nearest-neighbour distance ratio of the synthetic rows, d1 / d2 with d1, d2 the Gower distances
 * to the closest and second-closest row of the train sample (0/0 counts as 1). Small ratios mean a
 * synthetic row sits much closer to one training row than to any other (an outlier reproduced).
 * The headline is the median; the same summary against the holdout sample is the baseline.
 */
import type { PrivacyContext } from '../privacyContext.js';
import { synthNeighbours } from '../privacyContext.js';
import { summarize } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, Summary } from '../types.js';
import type { Neighbours } from '../gower.js';

export const descriptor: MetricDescriptor = {
  name: 'nndr',
  kind: 'privacy',
  goal: 'maximize',
  range: [0, 1],
  description: 'Median over synthetic rows of (distance to nearest train row) / (distance to second nearest); compare with the same ratio against the holdout.',
};

function ratios(nb: Neighbours): Float64Array {
  const n = nb.dist.length / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d1 = nb.dist[2 * i]!;
    const d2 = nb.dist[2 * i + 1]!;
    out[i] = d2 === Infinity ? NaN : d2 === 0 ? 1 : d1 / d2;
  }
  return out;
}

export function compute(ctx: PrivacyContext): MetricOutput & { details: { train: Summary | null; holdout: Summary | null } } {
  const { toTrain, toHoldout } = synthNeighbours(ctx);
  const train = summarize(ratios(toTrain));
  const holdout = summarize(ratios(toHoldout));
  return { value: train ? train.median : null, details: { train, holdout } };
}
