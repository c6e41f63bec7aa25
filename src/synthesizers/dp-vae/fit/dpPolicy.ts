/**
 * dp-vae's DP training policy: defaults, and the batch size and learning rate derived from released
 * values (the noisy row count, the calibrated noise): post-processing, free.
 */
import type { VaeConfig } from '../VaeConfig.js';

/** DP training defaults, chosen from the experiments on Adult recorded in benchmarks/RESULTS.md. */
export const DP_DEFAULTS = {
  epochs: 120,
  /** Expected batch = this share of the noisy row count (Poisson rate q), within [minBatch, maxBatch]. */
  sampleRate: 0.15,
  minBatch: 32,
  maxBatch: 4000,
  clipNorm: 1.0,
  preprocessingShare: 0.1,
  thresholdDeltaShare: 0.1,
  /** The largest DP learning rate (Adam); see dpLearningRate. */
  learningRate: 5e-3,
  /** The smallest DP learning rate (TVAE's, without DP); see dpLearningRate. */
  minLearningRate: 1e-3,
  /** Learning rate over the noise std of a coordinate of the averaged gradient, sigma / E[B]; see dpLearningRate. */
  learningRateToNoise: 2,
  /** Modes per numeric column under DP (TVAE: 10). */
  maxModes: 10,
  /** Share of the whole budget (as zCDP rho) for the noisy one-way marginals used by calibration. */
  calibrationShare: 0.15,
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
