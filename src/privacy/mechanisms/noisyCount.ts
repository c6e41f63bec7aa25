import type { Rng } from '../../rng.js';
import { gaussianRho, gaussianStdForRho } from '../analysis/zcdp.js';
import type { ZcdpSpend } from '../PrivacySpend.js';
import { PrivacyError } from '../../errors.js';
import * as msg from '../../messages.js';

export interface NoisyCountOptions {
  /** zCDP budget for this release. */
  rho: number;
  /** Ledger label, e.g. `count:rows`. Must not contain data values. */
  label: string;
}

export interface NoisyCount {
  /** The true count plus N(0, std^2) noise, clamped at 0 (post-processing). Not rounded. */
  count: number;
  std: number;
  spend: ZcdpSpend;
}

/**
 * Gaussian noisy count (e.g. the number of rows).
 *
 * Under add/remove-one-row adjacency a count has L2 sensitivity 1, so adding N(0, s^2) with s = 1 / sqrt(2 rho)
 * is rho-zCDP (Bun & Steinke 2016, Prop. 1.6). Clamping at 0 is post-processing and costs nothing.
 *
 * @throws PrivacyError (E_PRIVACY) for a negative/non-integer count or rho <= 0.
 * @example noisyCount(table.numRows, { rho: 0.001, label: 'count:rows' }, rng.fork('count'))
 */
export function noisyCount(n: number, opts: NoisyCountOptions, rng: Rng): NoisyCount {
  if (!(Number.isInteger(n) && n >= 0)) throw new PrivacyError(msg.countInvalid(n));
  const std = gaussianStdForRho(1, opts.rho);
  const count = Math.max(0, n + std * rng.normal());
  return {
    count,
    std,
    spend: { label: opts.label, mechanism: 'gaussian', rho: gaussianRho(1, std), params: { std, sensitivity: 1, release: 'count' } },
  };
}
