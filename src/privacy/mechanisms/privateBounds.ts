import type { Rng } from '../../rng.js';
import { PrivacyError } from '../../errors.js';
import { normalUpperQuantile } from '../analysis/normalUpperQuantile.js';
import type { ZcdpSpend } from '../PrivacySpend.js';
import { noisyHistogram } from './noisyHistogram.js';

export interface PrivateBoundsOptions {
  rho: number;
  /** Ledger label, e.g. `bounds:income`. */
  label: string;
  /** Lower quantile to cover. Default 0.005. */
  lowerQuantile?: number;
  /** Upper quantile to cover. Default 0.995. */
  upperQuantile?: number;
  /** Probability that any empty bin survives the noise threshold (union bound over bins). Default 0.05. */
  failureProbability?: number;
}

export interface PrivateBounds {
  /** [lo, hi] as grid edges around the requested quantiles, or null if no bin stood out of the noise. */
  bounds: { lo: number; hi: number } | null;
  /** Noise std per bin. */
  std: number;
  /** Noisy counts below this were treated as empty. */
  threshold: number;
  spend: ZcdpSpend;
}

/** Exponents k of the grid edges 2^(k/4): from 2^-40 to 2^50 ≈ 1.13e15. */
const K_MIN = -160;
const K_MAX = 200;
/** Largest magnitude on the grid, 2^50 ≈ 1.13e15; values beyond fall in the two open-ended bins. */
export const GRID_LIMIT = 2 ** (K_MAX / 4);

/**
 * The fixed, data-independent signed-log grid: 0, ±2^(k/4) for k = -160..200 (±2^-40 .. ±2^50 ≈ ±1.13e15),
 * sorted ascending (723 edges, 722 bins; neighbouring edges differ by a factor 2^(1/4) ≈ 1.19 away from 0).
 */
export function signedLogGridEdges(): number[] {
  const pos: number[] = [];
  for (let k = K_MIN; k <= K_MAX; k++) pos.push(2 ** (k / 4));
  return [...pos.map((x) => -x).reverse(), 0, ...pos];
}

/**
 * DP estimate of a numeric column's range [lo, hi] without user-declared bounds.
 *
 * 1. A {@link noisyHistogram} over {@link signedLogGridEdges} plus the two open-ended bins beyond ±2^50
 *    (missing values are counted in their own bin and ignored). Each row is in exactly one bin, so the
 *    release is rho-zCDP with L2 sensitivity 1 and std s = 1 / sqrt(2 rho); everything after is post-processing.
 * 2. Noisy counts below t = s * z_{1 - beta/B} (B bins, beta = failureProbability) are set to 0, so with
 *    probability >= 1 - beta no empty bin contributes noise mass (union bound); true bins smaller than ~t are lost.
 * 3. Quantiles of the resulting noisy CDF: lo is the LEFT edge of the bin where the CDF first reaches
 *    lowerQuantile, hi the RIGHT edge of the bin where it reaches upperQuantile, so [lo, hi] covers those
 *    quantiles up to the noise, overshooting by at most one grid step (factor 2^(1/4)). The open-ended bins
 *    map to ±2^50: values beyond ±1.13e15 are treated as clipped there.
 *
 * Cost: rho-zCDP (recorded in the returned spend). Accuracy degrades when rho is small relative to the
 * number of rows per bin: if nothing survives the threshold the result is `bounds: null` (the spend still
 * happened and must be recorded); declare bounds for such columns instead.
 *
 * @throws PrivacyError (E_PRIVACY) for quantiles outside 0 <= lower < upper <= 1 or invalid rho.
 */
export function privateBounds(values: ArrayLike<number | null | undefined>, opts: PrivateBoundsOptions, rng: Rng): PrivateBounds {
  const lowerQ = opts.lowerQuantile ?? 0.005;
  const upperQ = opts.upperQuantile ?? 0.995;
  const beta = opts.failureProbability ?? 0.05;
  if (!(lowerQ >= 0 && lowerQ < upperQ && upperQ <= 1)) {
    throw new PrivacyError('E_PRIVACY', `bounds "${opts.label}": need 0 <= lowerQuantile < upperQuantile <= 1, got ${lowerQ}, ${upperQ}`);
  }
  if (!(beta > 0 && beta < 1)) throw new PrivacyError('E_PRIVACY', `bounds "${opts.label}": failureProbability must be in (0, 1), got ${beta}`);

  const edges = signedLogGridEdges();
  const h = noisyHistogram(values, edges, { rho: opts.rho, label: opts.label }, rng);
  // Bins in order: (-inf, edges[0]), inner bins, [edges[last], +inf); with their covering edges.
  const counts = [h.below, ...h.counts, h.above];
  const left = [-GRID_LIMIT, ...edges.slice(0, -1), GRID_LIMIT];
  const right = [-GRID_LIMIT, ...edges.slice(1), GRID_LIMIT];
  const threshold = h.std * normalUpperQuantile(beta / counts.length);
  const kept = counts.map((c) => (c >= threshold ? c : 0));
  const total = kept.reduce((a, b) => a + b, 0);
  const spend: ZcdpSpend = { ...h.spend, params: { ...h.spend.params, release: 'bounds', grid: 'signed-log 2^(k/4), k=-160..200', threshold, lowerQuantile: lowerQ, upperQuantile: upperQ } };
  if (!(total > 0)) return { bounds: null, std: h.std, threshold, spend };

  let cum = 0;
  let lo = NaN;
  let hi = NaN;
  for (let i = 0; i < kept.length; i++) {
    if (kept[i] === 0) continue;
    cum += kept[i]!;
    if (Number.isNaN(lo) && cum >= lowerQ * total) lo = left[i]!;
    if (cum >= upperQ * total) {
      hi = right[i]!;
      break;
    }
  }
  if (Number.isNaN(hi)) hi = right[kept.length - 1]!; // rounding: cum fell a hair short of upperQ * total
  return { bounds: { lo, hi }, std: h.std, threshold, spend };
}
