import type { Rng } from '../../rng.js';
import { PrivacyError } from '../../errors.js';
import { gaussianRho, gaussianStdForRho } from '../analysis/zcdp.js';
import type { ZcdpSpend } from '../PrivacySpend.js';
import * as msg from '../../messages.js';

export interface NoisyHistogramOptions {
  rho: number;
  /** Ledger label, e.g. `histogram:age`. */
  label: string;
}

export interface NoisyHistogram {
  /** The caller's edges (copied). Inner bin i is [edges[i], edges[i+1]); the last inner bin also includes its right edge. */
  edges: number[];
  /** Noisy counts of the edges.length - 1 inner bins, clamped at 0. */
  counts: number[];
  /** Noisy count of values below edges[0] (including -Infinity), clamped at 0. */
  below: number;
  /** Noisy count of values above the last edge (including +Infinity), clamped at 0. */
  above: number;
  /** Noisy count of null, undefined and NaN values, clamped at 0. */
  missing: number;
  std: number;
  spend: ZcdpSpend;
}

/**
 * Gaussian-noised histogram over DATA-INDEPENDENT bins: the edges must be fixed before looking at the data
 * (declared by the user, or a fixed grid); edges computed from the data would leak through the bin layout.
 *
 * Every row falls in exactly one of the inner bins, `below`, `above` or `missing`, so under add/remove-one-row
 * adjacency the vector of counts has L2 sensitivity 1 and adding N(0, s^2), s = 1 / sqrt(2 rho), to every bin
 * is rho-zCDP (Bun & Steinke 2016, Prop. 1.6). Clamping at 0 is post-processing.
 *
 * Complexity: O(n log b) for n values and b bins.
 * @throws PrivacyError (E_PRIVACY) for fewer than 2 edges, non-finite or non-increasing edges, or rho <= 0.
 */
export function noisyHistogram(values: ArrayLike<number | null | undefined>, edges: readonly number[], opts: NoisyHistogramOptions, rng: Rng): NoisyHistogram {
  checkEdges(edges, opts.label);
  const std = gaussianStdForRho(1, opts.rho);
  const nBins = edges.length - 1;
  const raw = new Float64Array(nBins + 3); // inner bins, below, above, missing
  const BELOW = nBins;
  const ABOVE = nBins + 1;
  const MISSING = nBins + 2;
  const last = edges[nBins]!;
  for (let r = 0; r < values.length; r++) {
    const x = values[r];
    if (x === null || x === undefined || Number.isNaN(x)) raw[MISSING]!++;
    else if (x < edges[0]!) raw[BELOW]!++;
    else if (x > last) raw[ABOVE]!++;
    else raw[binOf(x, edges)]!++;
  }
  const noisy = Array.from(raw, (c) => Math.max(0, c + std * rng.normal()));
  return {
    edges: edges.slice(),
    counts: noisy.slice(0, nBins),
    below: noisy[BELOW]!,
    above: noisy[ABOVE]!,
    missing: noisy[MISSING]!,
    std,
    spend: { label: opts.label, mechanism: 'gaussian', rho: gaussianRho(1, std), params: { std, sensitivity: 1, release: 'histogram', bins: nBins + 3 } },
  };
}

/** Index i of the inner bin holding x, for edges[0] <= x <= edges[last]: largest i < nBins with edges[i] <= x. */
function binOf(x: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function checkEdges(edges: readonly number[], label: string): void {
  if (edges.length < 2) throw new PrivacyError(msg.histogramTooFewEdges(label, edges.length));
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i]!)) throw new PrivacyError(msg.histogramEdgeNotFinite(label, i, edges[i]));
    if (i > 0 && !(edges[i]! > edges[i - 1]!)) throw new PrivacyError(msg.histogramEdgesNotIncreasing(label, i));
  }
}
