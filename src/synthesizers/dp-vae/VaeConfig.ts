/** Hyper-parameters of the tabular VAE. Defaults are TVAE's (sdv-dev/CTGAN `TVAE.__init__`). */
export interface VaeConfig {
  embeddingDim: number;
  compressDims: number[];
  decompressDims: number[];
  /** Weight of the reconstruction term (TVAE's loss_factor). */
  lossFactor: number;
  /** Adam weight decay (TVAE's l2scale). */
  l2scale: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /**
   * Learn the decoder's per-column output sigma (TVAE does). Off under DP: per-example clipping biases
   * it towards its 0.01 floor (well-fitted rows each push it down with weight ~1, the outliers that
   * should push it up are capped), and its gradient (~1/sigma^3) then dominates every example's norm,
   * so clipping shrinks the network's gradients to nothing and the model stops learning relations
   * (measured on Adult at epsilon 10: the training loss rose from 35 to 226). Fixed instead (`fixedSigma`;
   * fit/dpPolicy.ts DP_DEFAULTS uses 0.5).
   */
  learnSigma?: boolean;
  /**
   * The constant output sigma when learnSigma is false (default SIGMA_FIXED). It weights each numeric
   * column's position term (1 / sigma^2) against the categorical ones, and is the noise added to that
   * position when sampling (TVAE's inverse transform).
   */
  fixedSigma?: number;
}

export const DEFAULT_VAE_CONFIG: VaeConfig = {
  embeddingDim: 128,
  compressDims: [128, 128],
  decompressDims: [128, 128],
  lossFactor: 2,
  l2scale: 1e-5,
  learningRate: 1e-3,
  batchSize: 500,
  epochs: 300,
};

/** The decoder's output sigma when it is not learned (TVAE's initial value). */
export const SIGMA_FIXED = 0.1;
