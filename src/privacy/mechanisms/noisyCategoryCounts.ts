import type { Rng } from '../../rng.js';
import { PrivacyError } from '../../errors.js';
import { normalUpperQuantile } from '../analysis/normalUpperQuantile.js';
import { gaussianRho, gaussianStdForRho } from '../analysis/zcdp.js';
import type { ZcdpSpend } from '../PrivacySpend.js';
import * as msg from '../../messages.js';

export interface CategoryCount {
  category: string;
  /** Noisy count (never the true count). */
  count: number;
}

export interface NoisyCategoryCountsOptions {
  rho: number;
  /**
   * Probability that a category occurring in a single row is released; this is the extra delta of the release.
   * Typically planBudget().thresholdDelta divided by the number of such columns.
   */
  deltaShare: number;
  /** Ledger label, e.g. `categories:city`. */
  label: string;
}

export interface NoisyCategoryCounts {
  /** Released categories (noisy count > threshold), sorted by category (UTF-16 code unit order). */
  categories: CategoryCount[];
  /** Noisy count of null/undefined values (a public bin: always released), clamped at 0. */
  missing: number;
  /** The release threshold tau. */
  threshold: number;
  std: number;
  spend: ZcdpSpend;
}

/**
 * Stability-based noisy histogram for a categorical column whose categories come from the data
 * (Korolova et al. 2009; Bun, Nissim & Stemmer 2016; Wilson et al. 2020, "Differentially Private SQL with
 * Bounded User Contribution", Sec. 4).
 *
 * Each observed category's count gets N(0, s^2) noise with s = 1 / sqrt(2 rho); a category is released only if
 * its noisy count exceeds tau = 1 + s * z_{1 - deltaShare}, where z is the standard normal upper quantile.
 * Privacy under add/remove one row: if the differing row's category also occurs elsewhere, only one count
 * moves by 1, the Gaussian mechanism with L2 sensitivity 1 (rho-zCDP); if it is the only row with that
 * category, the category can appear only when 1 + N(0, s^2) > tau, which has probability exactly deltaShare.
 * Together: rho-zCDP up to an additive failure probability deltaShare (recorded as `deltaSpent`).
 *
 * Released categories are sorted by name, never listed in data order (first-appearance order would leak
 * which category came first), and noise is drawn in that sorted order.
 *
 * @throws PrivacyError (E_PRIVACY) for rho <= 0 or deltaShare outside (0, 1).
 */
export function noisyCategoryCounts(values: ArrayLike<string | null | undefined>, opts: NoisyCategoryCountsOptions, rng: Rng): NoisyCategoryCounts {
  if (!(opts.deltaShare > 0 && opts.deltaShare < 1)) {
    throw new PrivacyError(msg.categoriesDeltaShare(opts.label, opts.deltaShare), {
      hint: msg.HINT_CATEGORIES_DELTA_SHARE,
    });
  }
  const std = gaussianStdForRho(1, opts.rho);
  const threshold = 1 + std * normalUpperQuantile(opts.deltaShare);
  const { counts, missing } = countValues(values);
  const released: CategoryCount[] = [];
  for (const category of [...counts.keys()].sort(byCodeUnits)) {
    const noisy = counts.get(category)! + std * rng.normal();
    if (noisy > threshold) released.push({ category, count: noisy });
  }
  const noisyMissing = Math.max(0, missing + std * rng.normal());
  return {
    categories: released,
    missing: noisyMissing,
    threshold,
    std,
    spend: {
      label: opts.label,
      mechanism: 'thresholded_gaussian_histogram',
      rho: gaussianRho(1, std),
      deltaSpent: opts.deltaShare,
      params: { std, sensitivity: 1, threshold, released: released.length },
    },
  };
}

export interface NoisyPublicCategoryCounts {
  /** One noisy count per declared category, in the declared order, clamped at 0. */
  counts: CategoryCount[];
  /** Noisy count of values not in the declared list (their names are never released), clamped at 0. */
  other: number;
  /** Noisy count of null/undefined values, clamped at 0. */
  missing: number;
  std: number;
  spend: ZcdpSpend;
}

/**
 * Noisy counts over a DECLARED public category list: no threshold and no extra delta, because the set of bins
 * does not depend on the data. Each row is in exactly one bin (a declared category, `other`, or `missing`), so
 * the L2 sensitivity is 1 and the release is rho-zCDP with s = 1 / sqrt(2 rho). Clamping is post-processing.
 *
 * @throws PrivacyError (E_PRIVACY) for duplicate declared categories or rho <= 0.
 */
export function noisyPublicCategoryCounts(
  values: ArrayLike<string | null | undefined>,
  categories: readonly string[],
  opts: { rho: number; label: string },
  rng: Rng,
): NoisyPublicCategoryCounts {
  if (new Set(categories).size !== categories.length) throw new PrivacyError(msg.declaredCategoriesRepeat(opts.label));
  const std = gaussianStdForRho(1, opts.rho);
  const { counts, missing } = countValues(values);
  const declared = new Set(categories);
  let other = 0;
  for (const [c, n] of counts) if (!declared.has(c)) other += n;
  const noisy = (n: number) => Math.max(0, n + std * rng.normal());
  return {
    counts: categories.map((category) => ({ category, count: noisy(counts.get(category) ?? 0) })),
    other: noisy(other),
    missing: noisy(missing),
    std,
    spend: { label: opts.label, mechanism: 'gaussian', rho: gaussianRho(1, std), params: { std, sensitivity: 1, release: 'public categories', bins: categories.length + 2 } },
  };
}

function countValues(values: ArrayLike<string | null | undefined>): { counts: Map<string, number>; missing: number } {
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { counts, missing };
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
