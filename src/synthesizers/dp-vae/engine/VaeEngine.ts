/**
 * The contract between the VAE trainer/sampler and the code that does the arithmetic.
 *
 * The trainer (batching, Poisson sampling, privacy accounting, progress, cancellation) and the
 * sampler only talk to this interface, so a faster engine (a WebAssembly SIMD kernel, a native
 * addon, onnxruntime) can replace the tfjs one without touching them.
 *
 * Every engine computes the same model: TVAE's encoder/decoder MLPs with ReLU, a Gaussian latent,
 * tanh+Gaussian heads for 'tanh' spans (learned per-column sigma, clamped to [0.01, 1]) and softmax
 * heads for one-hot spans, Adam with L2 weight decay. Gradients are computed per example so that
 * DP-SGD can clip each example's whole gradient (ghost norms: for a dense layer the per-example
 * weight gradient is a_i g_i^T, whose squared norm is |a_i|^2 |g_i|^2; the bias adds |g_i|^2).
 */
export interface EncodedSpan {
  kind: 'tanh' | 'softmax';
  start: number;
  width: number;
}

export interface DpStepOptions {
  /** Per-example L2 clip norm C over all parameters. */
  clipNorm: number;
  /** sigma: the noise std is sigma * C. */
  noiseMultiplier: number;
  /** q * n, the expected Poisson batch size the noisy sum is divided by. */
  expectedBatchSize: number;
}

export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface LossSummary {
  /** Mean over steps of TVAE's loss (factor * reconstruction + KL) / batch. */
  loss: number;
  reconstruction: number;
  kl: number;
  steps: number;
  /** DP only: share of examples whose gradient norm exceeded C. */
  clippedFraction?: number;
}

export interface VaeEngine {
  readonly backendName: string;
  readonly dataDim: number;
  /**
   * Upload the encoded training matrix (row-major n x dataDim). trainVae calls it before every step with that
   * step's batch only (B x dataDim, then `trainStep` on rows 0..B-1), so that the full dense matrix never has
   * to exist: keep it cheap (a reference or one B x dataDim copy), do no whole-matrix work here.
   */
  setData(enc: Float32Array, n: number): void;
  /**
   * Optional: acquire what a run of trainStep calls uses (worker threads). trainVae awaits it
   * before the first step and calls endTraining() in a finally. Results must not depend on it.
   */
  beginTraining?(): Promise<void>;
  /** Optional: release what beginTraining() acquired (idempotent; dispose() also does it). */
  endTraining?(): void;
  /** One optimiser step on the given rows; `seed` drives the reparameterisation (and DP) noise. */
  trainStep(rows: Int32Array, seed: number, dp?: DpStepOptions): void;
  /** Loss accumulated since the last call (reads device memory once). */
  takeLoss(): LossSummary;
  /**
   * Decode n latent draws z ~ N(0, I) (seeded) into the decoder's raw outputs r (pre-activation),
   * row-major n x dataDim. The output heads (tanh, softmax sampling) are applied by the caller
   * (`applyOutputHeads`), identically for every engine.
   */
  sample(n: number, seed: number): Float32Array;
  /** The decoder's learned output std per encoded column. */
  sigmas(): Float32Array;
  exportWeights(): NamedWeight[];
  importWeights(weights: NamedWeight[]): void;
  dispose(): void;
}

/**
 * Turn an engine's accumulated sums [loss, reconstruction, kl, clipped, rows] over `steps` steps into
 * per-row means (shared by every engine so their reports agree).
 */
export function summarizeLoss(acc: ArrayLike<number>, steps: number, dp: boolean): LossSummary {
  const [loss, rec, kl, clipped, rows] = [acc[0]!, acc[1]!, acc[2]!, acc[3]!, acc[4]!];
  const perRow = (x: number): number => (rows > 0 ? x / rows : NaN);
  return { loss: perRow(loss), reconstruction: perRow(rec), kl: perRow(kl), steps, ...(dp ? { clippedFraction: perRow(clipped) } : {}) };
}
