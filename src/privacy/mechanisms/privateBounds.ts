import type { Rng } from '../../rng.js';
import { PrivacyError } from '../../errors.js';
import { normalUpperQuantile } from '../analysis/normalUpperQuantile.js';
import type { ZcdpSpend } from '../PrivacySpend.js';
import { noisyHistogram } from './noisyHistogram.js';
import * as msg from '../../messages.js';

export interface PrivateBoundsOptions {
  rho: number;
  /** Ledger label, e.g. `bounds:income`. */
  label: string;
  /** Lower quantile to cover (of the bins that stand out of the noise). Default 0.005. */
  lowerQuantile?: number;
  /** Upper quantile to cover. Default 0.995. */
  upperQuantile?: number;
  /** Probability that any empty bin survives the noise threshold (union bound over bins). Default 0.01. */
  failureProbability?: number;
  /** The column holds integers (public type): a range reaching into (-1, 1) reaches ±1, not ±2^-20. */
  integer?: boolean;
}

export interface PrivateBounds {
  /**
   * [lo, hi]: the octaves that cover the requested quantiles, widened by one octave on each side (never
   * across 0). Always a usable finite range, also when nothing stood out of the noise (see `fallback`).
   */
  bounds: { lo: number; hi: number };
  /** The covering octaves before the one-octave margin. */
  core: { lo: number; hi: number };
  /** True when no bin cleared the threshold and the range is the run of octaves with the largest noisy mass. */
  fallback: boolean;
  /** Noise std per bin. */
  std: number;
  /** Noisy counts below this were treated as empty. */
  threshold: number;
  spend: ZcdpSpend;
}

/** Exponents k of the octave edges 2^k: from 2^-20 (≈ 1e-6) to 2^50 (≈ 1.13e15). */
const K_MIN = -20;
const K_MAX = 50;
/** Longest run of adjacent bins the fallback considers. */
const FALLBACK_RUN = 3;
/** Largest magnitude on the grid, 2^50 ≈ 1.13e15; values beyond fall in the two open-ended bins. */
export const GRID_LIMIT = 2 ** K_MAX;

/**
 * The fixed, data-independent signed octave grid: 0, ±2^k for k = -20..50 (±9.5e-7 .. ±1.13e15), sorted
 * ascending (143 edges, 142 bins). Wide bins (a factor 2) put much more of a small table's rows in each bin
 * than a finer grid, so they stand out of the noise at budgets where finer bins do not; the one-octave
 * resolution is then refined by a second histogram inside the range (fitPrivateEncoder).
 */
export function octaveGridEdges(): number[] {
  const pos: number[] = [];
  for (let k = K_MIN; k <= K_MAX; k++) pos.push(2 ** k);
  return [...pos.map((x) => -x).reverse(), 0, ...pos];
}

/**
 * DP estimate of a numeric column's range [lo, hi] without user-declared bounds; always returns one.
 *
 * 1. A {@link noisyHistogram} over {@link octaveGridEdges} plus the two open-ended bins beyond ±2^50 (missing
 *    values are counted in their own bin and ignored). Each row is in exactly one bin, so the release is
 *    rho-zCDP with L2 sensitivity 1 and std s = 1 / sqrt(2 rho); everything after is post-processing.
 * 2. Noisy counts below t = s * z_{1 - beta/B} (B bins, beta = failureProbability) are set to 0, so with
 *    probability >= 1 - beta no empty bin contributes (union bound). If no bin clears t (a tiny table, a tiny
 *    budget), the run of 1 to 3 adjacent bins with the largest noisy sum / sqrt(run length) is kept (a
 *    report-noisy-max matched filter: still post-processing of the same release), so a range is always
 *    returned (`fallback: true`).
 * 3. The core range: lo is the left edge of the kept bin where the kept mass first reaches lowerQuantile, hi
 *    the right edge of the bin where it reaches upperQuantile. Unless the threshold is under 2% of the kept
 *    mass (a large table), the returned bounds widen it by one octave on each side (lo / 2 or 2 lo, hi * 2
 *    or hi / 2), two where the outermost kept bin holds over half of the kept mass or the range is the
 *    fallback's, never across 0 (0 stays a bound of non-negative data), so
 *    a tail octave too thin to clear the threshold is still inside; the range is at most a factor 16 (plus
 *    the octaves the data spans) wider than the data. The open-ended bins map to ±2^50.
 *
 * Cost: rho-zCDP (recorded in the returned spend), whatever the outcome.
 *
 * @throws PrivacyError (E_PRIVACY) for quantiles outside 0 <= lower < upper <= 1 or invalid rho.
 */
export function privateBounds(values: ArrayLike<number | null | undefined>, opts: PrivateBoundsOptions, rng: Rng): PrivateBounds {
  const lowerQ = opts.lowerQuantile ?? 0.005;
  const upperQ = opts.upperQuantile ?? 0.995;
  const beta = opts.failureProbability ?? 0.01;
  if (!(lowerQ >= 0 && lowerQ < upperQ && upperQ <= 1)) {
    throw new PrivacyError(msg.boundsQuantilesInvalid(opts.label, lowerQ, upperQ));
  }
  if (!(beta > 0 && beta < 1)) throw new PrivacyError(msg.boundsFailureProbability(opts.label, beta));

  const edges = octaveGridEdges();
  const h = noisyHistogram(values, edges, { rho: opts.rho, label: opts.label }, rng);
  // Bins in order: (-inf, edges[0]), inner bins, [edges[last], +inf); with their covering edges.
  const counts = [h.below, ...h.counts, h.above];
  const left = [-GRID_LIMIT, ...edges.slice(0, -1), GRID_LIMIT];
  const right = [-GRID_LIMIT, ...edges.slice(1), GRID_LIMIT];
  const threshold = h.std * normalUpperQuantile(beta / counts.length);
  const kept = counts.map((c) => (c >= threshold ? c : 0));
  let total = kept.reduce((a, b) => a + b, 0);
  const fallback = !(total > 0);
  if (fallback) {
    // the run of 1 to 3 adjacent bins with the largest noisy sum / sqrt(width) (a matched filter: a column
    // spread over neighbouring octaves stands out of the noise where none of its single bins does)
    let best = { i: 0, w: 1, score: -Infinity };
    for (let w = 1; w <= FALLBACK_RUN; w++) {
      for (let i = 0; i + w <= counts.length; i++) {
        let sum = 0;
        for (let j = i; j < i + w; j++) sum += counts[j]!;
        const score = sum / Math.sqrt(w);
        if (score > best.score) best = { i, w, score };
      }
    }
    for (let j = best.i; j < best.i + best.w; j++) kept[j] = 1;
    total = best.w;
  }
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
  if (hi <= lo) hi = right[kept.findIndex((k) => k > 0)]!; // the open-ended bins: lo = hi = ±2^50
  if (opts.integer) {
    if (hi > 0 && hi < 1) hi = 1;
    if (lo < 0 && lo > -1) lo = -1;
  }
  // One octave of margin on each side; two where the outermost kept bin holds over half of the kept
  // mass (the column probably goes on beyond it, in bins too thin to clear the threshold) or where the range
  // is the fallback's.
  const firstKept = kept.findIndex((k) => k > 0);
  let lastKept = kept.length - 1;
  while (kept[lastKept] === 0) lastKept--;
  const heavy = (i: number) => fallback || kept[i]! > 0.5 * total;
  const widen = (x: number, up: boolean, times: number): number => {
    for (let t = 0; t < times; t++) {
      if (x === 0 || Math.abs(x) >= GRID_LIMIT) return x;
      const outward = up ? x > 0 : x < 0;
      if (outward) x *= 2;
      else x = Math.abs(x) <= 2 ** K_MIN || (opts.integer && Math.abs(x) <= 1) ? 0 : x / 2;
    }
    return x;
  };
  // no margin at all when the threshold is under 2% of the kept mass (a large table: an octave too thin to
  // clear it holds little, and the data's extremes lie inside the kept octaves' edges)
  const margin = (i: number) => (!fallback && threshold <= 0.02 * total ? 0 : heavy(i) ? 2 : 1);
  let wlo = widen(lo, false, margin(firstKept));
  let whi = widen(hi, true, margin(lastKept));
  if (!(whi > wlo)) [wlo, whi] = [lo, hi > lo ? hi : lo + 1];
  const spend: ZcdpSpend = {
    ...h.spend,
    params: { ...h.spend.params, release: 'bounds', grid: 'signed octaves 2^k, k=-20..50', threshold, lowerQuantile: lowerQ, upperQuantile: upperQ },
  };
  return { bounds: { lo: wlo, hi: whi }, core: { lo, hi }, fallback, std: h.std, threshold, spend };
}
