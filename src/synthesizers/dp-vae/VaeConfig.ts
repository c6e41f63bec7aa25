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
