/**
 * The VAE training loop: batching (shuffled epochs without DP, Poisson sampling with DP), progress,
 * cancellation. Engine-agnostic: all arithmetic goes through `VaeEngine`.
 *
 * The training rows stay compact (`TrainingRows`, e.g. transformers/EncodedRows): each step gathers its batch
 * into a dense B x dataDim buffer, hands that to the engine (`setData(batch, B)`) and trains on rows 0..B-1 of
 * it. The engine sees the same rows in the same order as it would in a full dense matrix, so the model is the
 * same; the dense n x dataDim matrix (5.6 GiB for flights-3m) never exists.
 */
import { CancelledError } from '../../../errors.js';
import { Rng } from '../../../rng.js';
import type { DpStepOptions, VaeEngine } from '../engine/VaeEngine.js';
import * as msg from '../../../messages.js';

export interface DpTrainingPlan {
  /** Poisson sampling rate q: every row joins each batch independently with probability q. */
  sampleRate: number;
  noiseMultiplier: number;
  clipNorm: number;
  steps: number;
  /** Row count used for q * n (noisy or declared, never the exact private count). */
  expectedBatchSize: number;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  rowsPerSecond: number;
  elapsedSeconds: number;
  etaSeconds: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  dp?: DpTrainingPlan;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface TrainingSummary {
  epochs: number;
  steps: number;
  seconds: number;
  finalLoss: number;
  lossHistory: number[];
  /** DP only: mean share of examples whose gradient was clipped. */
  clippedFraction?: number;
}

/** Encoded training rows the trainer can gather batches from (transformers/EncodedRows implements it). */
export interface TrainingRows {
  readonly n: number;
  readonly width: number;
  /** Write the dense encoding of `rows` into `out` (rows.length x width, row-major). */
  gather(rows: ArrayLike<number>, out: Float32Array): void;
}

export async function trainVae(engine: VaeEngine, data: TrainingRows, opts: TrainOptions): Promise<TrainingSummary> {
  const n = data.n;
  const D = engine.dataDim;
  if (data.width !== D) throw new RangeError(`trainVae: the training rows are ${data.width} wide, the engine expects ${D}`);
  const rng = new Rng(opts.seed).fork('train');
  const t0 = performance.now();
  const lossHistory: number[] = [];
  let steps = 0;
  let rowsSeen = 0;
  let clippedSum = 0;
  const dp = opts.dp;
  const stepsPerEpoch = dp ? Math.max(1, Math.round(1 / dp.sampleRate)) : Math.ceil(n / opts.batchSize);
  const totalSteps = dp ? dp.steps : stepsPerEpoch * opts.epochs;
  const epochs = Math.ceil(totalSteps / stepsPerEpoch);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const poisson = new Int32Array(n);
  let batch = new Float32Array(0);
  let local = new Int32Array(0); // 0, 1, 2, ...: the batch's rows in `batch`
  engine.setData(new Float32Array(D), 1); // a DP step on an empty first batch still needs data set
  const dpStep: DpStepOptions | undefined = dp && { clipNorm: dp.clipNorm, noiseMultiplier: dp.noiseMultiplier, expectedBatchSize: dp.expectedBatchSize };

  if (opts.signal?.aborted) throw new CancelledError(msg.TRAINING_INTERRUPTED);
  await engine.beginTraining?.();
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      // Let the event loop run once an epoch so Ctrl-C (SIGINT handlers) and timers are served.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!dp) rng.shuffle(order);
      for (let s = 0; s < stepsPerEpoch && steps < totalSteps; s++) {
        if (opts.signal?.aborted) throw new CancelledError(msg.TRAINING_INTERRUPTED);
        let rows: Int32Array;
        if (dp) {
          // Poisson sampling (each row independently with probability q): the accountant's assumption.
          let k = 0;
          const q = dp.sampleRate;
          for (let i = 0; i < n; i++) if (rng.uniform() < q) poisson[k++] = i;
          rows = poisson.slice(0, k);
        } else {
          rows = order.subarray(s * opts.batchSize, Math.min(n, (s + 1) * opts.batchSize));
        }
        // the batch's rows, gathered from the compact training rows (the dense matrix is never built)
        const B = rows.length;
        if (batch.length < B * D) {
          batch = new Float32Array(B * D);
          local = Int32Array.from({ length: B }, (_, i) => i);
        }
        if (B > 0) {
          data.gather(rows, batch);
          engine.setData(batch.subarray(0, B * D), B);
        }
        engine.trainStep(local.subarray(0, B), rng.nextU32(), dpStep);
        rowsSeen += rows.length;
        steps++;
      }
      const l = engine.takeLoss();
      lossHistory.push(l.loss);
      if (l.clippedFraction !== undefined) clippedSum += l.clippedFraction;
      if (opts.onProgress) {
        const elapsed = (performance.now() - t0) / 1000;
        opts.onProgress({
          epoch: epoch + 1,
          epochs,
          step: steps,
          steps: totalSteps,
          loss: l.loss,
          rowsPerSecond: rowsSeen / Math.max(elapsed, 1e-9),
          elapsedSeconds: elapsed,
          etaSeconds: (elapsed / steps) * (totalSteps - steps),
        });
      }
    }
  } finally {
    engine.endTraining?.(); // also on errors and cancellation: no worker outlives the loop
  }
  return {
    epochs,
    steps,
    seconds: (performance.now() - t0) / 1000,
    finalLoss: lossHistory[lossHistory.length - 1] ?? NaN,
    lossHistory,
    ...(dp ? { clippedFraction: clippedSum / Math.max(1, epochs) } : {}),
  };
}
