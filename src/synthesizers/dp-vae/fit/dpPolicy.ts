/**
 * dp-vae's DP training policy: defaults, and the batch size and learning rate derived from released
 * values (the noisy row count, the calibrated noise): post-processing, free.
 */
import type { ColumnSpec } from '../../../metadata/Metadata.js';
import { preprocessingShareFor, preprocessingUnits } from '../../fitPrivateEncoder.js';
import type { VaeConfig } from '../VaeConfig.js';

/** DP training defaults, chosen from the experiments on Adult recorded in benchmarks/RESULTS.md. */
export const DP_DEFAULTS = {
  epochs: 120,
  /** Expected batch = this share of the noisy row count (Poisson rate q), within [minBatch, maxBatch]. */
  sampleRate: 0.15,
  minBatch: 32,
  maxBatch: 4000,
  clipNorm: 1.0,
  /**
   * Preprocessing's share on large tables (dpBudgetShares, t = 0). UCI Adult at epsilon 1, seeds 1-3: 0.1 gave
   * 1-KS 0.965, 1-TVD 0.980, contingency 0.921, TSTR 0.864; 0.2 gave 0.976, 0.984, 0.927, 0.866 (categories
   * with fewer rows cleared the release threshold, bounds and modes were sharper); 0.3 gave 0.976, 0.986, 0.929,
   * 0.860 (benchmarks/RESULTS.md).
   */
  preprocessingShare: 0.2,
  thresholdDeltaShare: 0.1,
  /** The largest DP learning rate (Adam); see dpLearningRate. */
  learningRate: 5e-3,
  /** The smallest DP learning rate (TVAE's, without DP); see dpLearningRate. */
  minLearningRate: 1e-3,
  /** Learning rate over the noise std of a coordinate of the averaged gradient, sigma / E[B]; see dpLearningRate. */
  learningRateToNoise: 2,
  /** Modes per numeric column under DP (TVAE: 10). */
  maxModes: 10,
  /** Share of the whole budget (as zCDP rho) for the noisy one-way marginals used by calibration, on large tables (see dpBudgetShares). */
  calibrationShare: 0.15,
  /** Share of the whole budget (as zCDP rho) for the DP row count, released before the rest is split (see dpBudgetShares). */
  countShare: 0.01,
  /** At most this share of the budget for preprocessing, and at least `minTrainingShare` left to DP-SGD. */
  maxPreprocessingShare: 0.35,
  minTrainingShare: 0.08,
  /**
   * Share for two-way marginals (fitDecoderToMarginals) when a prediction target is given, on a table of any size.
   * Measured with `--target` on the small tables at epsilon 1, seeds 1-3: TSTR AUC insurance 0.28 -> 0.82, breast
   * cancer 0.65 -> 0.93, pima 0.55 -> 0.65, CPS 0.53 -> 0.59, for contingency similarity 0.01 to 0.02 lower
   * (heart-cleveland, 242 rows: 0.06); credit-data at epsilon 3 (3,563 rows) TSTR AUC 0.527 -> 0.731 (MST 0.733).
   * Large tables had them off (rows x epsilon over 14,000) while they lowered UCI Adult's figures; with calibration
   * as it is now they raise them: Adult at epsilon 1, seeds 1-6, TSTR AUC 0.855 -> 0.866, contingency 0.932 ->
   * 0.932, 1-KS 0.979 -> 0.973, fit 6 -> 25 s; at epsilon 3, seeds 1-3, TSTR 0.862 -> 0.878, contingency 0.938 ->
   * 0.940 (benchmarks/RESULTS.md, "2026-12-06 16:00 UTC").
   */
  pairShare: 0.2,
  /** Tables with dpBudgetShares' t at least this (rows x epsilon up to about 14,000) are small (targetMarginalShare). */
  smallTableT: 0.15,
  /**
   * A prediction target whose categories a thresholded release decides gets at least this share of the one-way
   * budget (targetMarginalShare): its part is 1/d of it otherwise, and on breast cancer (31 columns, 456 rows,
   * epsilon 1) the "M" diagnosis (170 rows) fell under the release threshold (126, noise std 26) in seeds 1 and 5
   * of six, which left the synthetic table one class; with 1/8, in none.
   */
  minTargetMarginalShare: 1 / 8,
  /**
   * A smaller network and a heavier reconstruction weight than TVAE's. DP noise is added to every
   * parameter's gradient, so its norm grows with sqrt(#parameters) while the clipped signal does not:
   * TVAE's 128x128/latent 128 network (~120k parameters) learned no relation between columns on Adult
   * even at epsilon 10 (income independent of sex and marital status); 32x32/latent 8 (~14k) did, and a
   * loss factor of 10 (KL weight 1/10) kept the latent code in use at epsilon 3 (posterior collapse
   * otherwise).
   *
   * The output sigma is fixed (see VaeConfig.learnSigma) at 0.5, not TVAE's 0.1: clipping bounds each
   * row's WHOLE gradient, so the loss terms share a norm of C, and a numeric column's position term
   * has gradient (x - tanh r)(1 - tanh^2 r) / sigma^2 against a category's (p - x). At 0.1 the six
   * numeric positions of Adult took almost all of each clipped gradient, and the categorical relations
   * (income by marital status, sex, education) drowned in the noise: none was learned at epsilon 1, nor
   * at epsilon 3 for 2 of 3 seeds. At 0.5 (weights 4:1) every seed learns them at epsilon 1 (TSTR AUC
   * ~0.87). See benchmarks/RESULTS.md.
   */
  vae: { compressDims: [32, 32], decompressDims: [32, 32], embeddingDim: 8, lossFactor: 10, learnSigma: false, fixedSigma: 0.5 } as Partial<VaeConfig>,
};

/** DP batch size from the DP row count (post-processing of a released value: free). */
export function dpBatchSize(noisyRows: number): number {
  return Math.max(DP_DEFAULTS.minBatch, Math.min(DP_DEFAULTS.maxBatch, Math.round(DP_DEFAULTS.sampleRate * noisyRows)));
}

/**
 * DP learning rate from the noise the accountant calibrated (post-processing: free). Adam divides each
 * coordinate's step by the root of its second moment, and under DP that is the noise: sigma * C / E[B] per
 * coordinate of the averaged gradient, where the signal is at most C. So Adam's step on the signal is
 * about lr * E[B] / sigma in units of C, and a FIXED lr takes larger steps the larger epsilon is: on Adult
 * lr 5e-3 diverged at epsilon 10 (3 of 5 seeds: weights and KL blew up after epoch ~100, marginals off by
 * 0.3), where lr / (sigma / E[B]) is 7; 2 (and up to 5) was stable; below 0.5 (lr 2e-3 at epsilon 1)
 * training moved too little to learn any relation. Hence lr = 2 sigma / E[B], within [1e-3, 5e-3]
 * (5e-3 at epsilon 1 on Adult, 3.9e-3 at 3, 1.4e-3 at 10). See benchmarks/RESULTS.md.
 */
export function dpLearningRate(noiseMultiplier: number, expectedBatchSize: number): number {
  const lr = (DP_DEFAULTS.learningRateToNoise * noiseMultiplier) / Math.max(1, expectedBatchSize);
  return Math.min(DP_DEFAULTS.learningRate, Math.max(DP_DEFAULTS.minLearningRate, lr));
}

/**
 * How dp-vae splits its budget (zCDP rho, shares of the whole) between DP preprocessing and the one-way
 * marginals that calibration matches; DP-SGD's noise is then calibrated to fill what is left. From the DP row
 * count and epsilon (post-processing of a release) and the public schema: free.
 *
 * What DP-SGD learns grows with rows x epsilon. On UCI Adult (26,048 rows, epsilon 1) it learns the relations,
 * and preprocessing 0.2 (see DP_DEFAULTS.preprocessingShare) and marginals 0.15 do best. On the 427-row CPS demo it
 * learns almost nothing: moving budget from DP-SGD to the one-way marginals and to preprocessing raised every
 * figure (contingency similarity 0.709 -> 0.788, 1-KS 0.70 -> 0.82; german credit's contingency 0.36 -> 0.61,
 * where a 0.1 share lost categories). Between the two, linear in log(rows x epsilon):
 * t = 1 - log(m / 400) / log(26000 / 400) within [0, 1], m = rows x epsilon; marginals 0.15 + 0.5 t;
 * preprocessing from preprocessingShareFor's share (t = 0) to MST's rule (t = 1: a 1.5-unit release as precise
 * as one column's one-way marginal, units / (units + 4.5 columns)), at most 0.35; DP-SGD keeps at least 8%.
 * With a prediction target (`run --target`, `fit --target`), 0.2 more buys two-way marginals the decoder is
 * fitted to (DP_DEFAULTS.pairShare; which pairs: pairPlan), taken from the one-way marginals' share (small tables)
 * or from DP-SGD's (large ones).
 * Measured in benchmarks/RESULTS.md ("budget shares from the DP row count").
 */
export interface BudgetShareOptions {
  /** A prediction target is given (run --target, fit --target): two-way marginals with it. */
  target?: boolean;
  /** The user's shares (DpOptions), which replace the rule's; the marginals' default then fits around them. */
  preprocessing?: number;
  calibration?: number;
  pairs?: number;
}

export function dpBudgetShares(noisyRows: number, epsilon: number, modelled: readonly ColumnSpec[], opts: BudgetShareOptions = {}): { preprocessing: number; calibration: number; pairs: number; t: number } {
  const m = Math.max(1, noisyRows * epsilon);
  const t = Math.min(1, Math.max(0, 1 - Math.log(m / 400) / Math.log(26000 / 400)));
  const base = preprocessingShareFor(modelled, DP_DEFAULTS.preprocessingShare);
  const { units } = preprocessingUnits(modelled);
  const rule = Math.max(base, units / (units + 4.5 * Math.max(1, modelled.length)));
  // preprocessing includes the row count's share, released before this split
  const preprocessing = Math.max(2 * DP_DEFAULTS.countShare, opts.preprocessing ?? Math.min(DP_DEFAULTS.maxPreprocessingShare, base + t * (rule - base)));
  const pairs = opts.pairs ?? (opts.target ? DP_DEFAULTS.pairShare : 0);
  const calibration = opts.calibration ?? Math.max(0.05, Math.min(DP_DEFAULTS.calibrationShare + 0.5 * t, 1 - DP_DEFAULTS.minTrainingShare - preprocessing - pairs));
  return { preprocessing, calibration, pairs, t };
}

/**
 * Which pairs dp-vae measures and how their rho is split (public: the budget, the schema, which column is the
 * target). With a target (`focus`): every pair of it, nothing chosen, all of `pairRho` measuring, on a table of any
 * width. Without: columns - 1 pairs chosen among all by the exponential mechanism with a third of it.
 *
 * Wide tables once had no pairs (over 16 columns), then 4 of the target's chosen; with the shrink counting the
 * interaction's degrees of freedom (pairTarget), every pair measures best: epsilon 1, seeds 1-6, TSTR AUC with 4 /
 * 8 / 12 chosen / all: breast cancer (30 pairs) 0.548 / 0.756 / 0.887 / 0.868, german credit (20) 0.570 / 0.610 /
 * 0.607 / 0.601 (MST 0.661, 0.648; benchmarks/RESULTS.md, "2026-12-06 10:40 UTC").
 */
export function pairPlan(columns: number, focus: boolean, pairRho: number): { pairs: number; rhoSelect: number; rhoMeasure: number } {
  const pairs = Math.max(1, columns - 1);
  return focus ? { pairs, rhoSelect: 0, rhoMeasure: pairRho } : { pairs, rhoSelect: pairRho / 3, rhoMeasure: (2 * pairRho) / 3 };
}

/**
 * The prediction target's share of the one-way budget: 1/d like every column, or DP_DEFAULTS.minTargetMarginalShare
 * when that is larger, its categories come from a thresholded release (so fewer of them fall under the
 * threshold) and the table is small (dpBudgetShares' t at least DP_DEFAULTS.smallTableT). The other
 * columns share the rest equally. From the public schema and the DP row count: free. Not on large tables: UCI
 * Adult's income (15 columns) lost no category at 1/15, and 1/8 took 6% from every other column (seeds 1-3, TSTR
 * AUC 0.861 -> 0.858, contingency 0.930 -> 0.929).
 */
export function targetMarginalShare(columns: number, targetThresholded: boolean, t: number): number {
  const even = 1 / Math.max(1, columns);
  return targetThresholded && t >= DP_DEFAULTS.smallTableT ? Math.max(even, DP_DEFAULTS.minTargetMarginalShare) : even;
}
