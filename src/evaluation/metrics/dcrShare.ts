/**
 * dcr_share: over the synthetic rows, the share closer (Gower DCR, distance to the closest record) to
 * the train sample than to the holdout, ties counting one half:
 *   mean(d_train < d_holdout) + 0.5 * mean(d_train == d_holdout),
 * with train down-sampled (seeded) to the holdout's size (or the holdout to train's, if smaller) so that
 * a synthesizer that learned only the distribution scores 0.5. Higher means synthetic rows sit closer to
 * the training rows than fresh rows of the same distribution do: memorisation.
 * Details: the DCR distributions (quantiles) to train and to holdout.
 */
import type { PrivacyContext } from '../privacyContext.js';
import { synthNeighbours } from '../privacyContext.js';
import { summarize } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, Summary } from '../types.js';

export const descriptor: MetricDescriptor = {
  name: 'dcr_share',
  kind: 'privacy',
  goal: 'target',
  ideal: 0.5,
  range: [0, 1],
  description:
    'Share of synthetic rows whose closest record (Gower) is in train rather than in the holdout, ties half; train down-sampled to the holdout size. 0.5 = no memorisation, higher = leak.',
};

export interface DcrDetails {
  sampleSize: number;
  closerToTrain: number;
  ties: number;
  dcrTrain: Summary | null;
  dcrHoldout: Summary | null;
  /** Share of synthetic rows at distance 0 from some train-sample row / holdout row. */
  zeroDistanceTrain: number;
  zeroDistanceHoldout: number;
}

export function compute(ctx: PrivacyContext, onProgress?: (f: number) => void): MetricOutput & { details: DcrDetails } {
  const { toTrain, toHoldout } = synthNeighbours(ctx, onProgress);
  const n = ctx.synthetic.n;
  const dT = new Float64Array(n);
  const dH = new Float64Array(n);
  let less = 0;
  let ties = 0;
  let zT = 0;
  let zH = 0;
  for (let i = 0; i < n; i++) {
    const a = toTrain.dist[i * 2]!;
    const b = toHoldout.dist[i * 2]!;
    dT[i] = a;
    dH[i] = b;
    if (a < b) less++;
    else if (a === b) ties++;
    if (a === 0) zT++;
    if (b === 0) zH++;
  }
  return {
    value: (less + 0.5 * ties) / n,
    details: {
      sampleSize: ctx.trainSample.length,
      closerToTrain: less / n,
      ties: ties / n,
      dcrTrain: summarize(dT),
      dcrHoldout: summarize(dH),
      zeroDistanceTrain: zT / n,
      zeroDistanceHoldout: zH / n,
    },
  };
}
