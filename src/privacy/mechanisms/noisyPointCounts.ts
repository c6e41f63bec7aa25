import type { Rng } from '../../rng.js';
import { PrivacyError } from '../../errors.js';
import { gaussianRho, gaussianStdForRho } from '../analysis/zcdp.js';
import type { ZcdpSpend } from '../PrivacySpend.js';
import * as msg from '../../messages.js';

export interface NoisyPointCounts {
  /** The caller's points (copied), distinct. */
  points: number[];
  /** Noisy count of the values equal to each point, clamped at 0. */
  counts: number[];
  std: number;
  spend: ZcdpSpend;
}

/**
 * Gaussian-noised counts of the values equal to each of some DATA-INDEPENDENT points (chosen before looking at the
 * data, or from DP releases only: e.g. the integers inside the bins where a noisy histogram spikes). The points are
 * distinct, so a row adds 1 to at most one count: L2 sensitivity 1 under add/remove-one-row adjacency, and
 * N(0, s^2), s = 1 / sqrt(2 rho), on every count is rho-zCDP (Bun & Steinke 2016, Prop. 1.6). Values equal to no
 * point are not counted (nothing is released about them). Clamping at 0 is post-processing. O(n) with a hash map.
 * @throws PrivacyError (E_PRIVACY) for no points, repeated or non-finite ones, or rho <= 0.
 */
export function noisyPointCounts(values: ArrayLike<number | null | undefined>, points: readonly number[], opts: { rho: number; label: string }, rng: Rng): NoisyPointCounts {
  if (!(opts.rho > 0)) throw new PrivacyError(msg.pointCountsInvalid(opts.label, `rho ${opts.rho}`));
  if (points.length === 0) throw new PrivacyError(msg.pointCountsInvalid(opts.label, 'no points'));
  const index = new Map<number, number>();
  points.forEach((p, i) => {
    if (!Number.isFinite(p) || index.has(p)) throw new PrivacyError(msg.pointCountsInvalid(opts.label, `point ${p} is not finite or repeated`));
    index.set(p, i);
  });
  const raw = new Float64Array(points.length);
  for (let r = 0; r < values.length; r++) {
    const x = values[r];
    if (typeof x !== 'number') continue;
    const i = index.get(x);
    if (i !== undefined) raw[i]!++;
  }
  const std = gaussianStdForRho(1, opts.rho);
  const counts = Array.from(raw, (c) => Math.max(0, c + std * rng.normal()));
  return { points: points.slice(), counts, std, spend: { label: opts.label, mechanism: 'gaussian', rho: gaussianRho(1, std), params: { std, sensitivity: 1, release: 'point counts', points: points.length } } };
}
