/**
 * What the privacy metrics share: the Gower encoding of the three tables, the seeded split of train
 * into a holdout-sized sample, and the synthetic -> (train sample, holdout) nearest-neighbour search
 * that both dcr_share and nndr read. Computed once.
 */
import type { Rng } from '../rng.js';
import { makeGowerEncoder, nearestNeighbours, type GowerEncoder, type GowerSpace, type Neighbours } from './gower.js';
import { takePrepared, type PreparedData } from './prepare.js';
import { sampleIndices } from './stats/summary.js';

export interface PrivacyContext {
  data: PreparedData;
  encoder: GowerEncoder;
  train: GowerSpace;
  holdout: GowerSpace;
  synthetic: GowerSpace;
  /** Rows of train (and of holdout) of equal number m = min(n_train, n_holdout), seeded. */
  trainSample: Int32Array;
  holdoutSample: Int32Array;
  /** 2 nearest rows of each synthetic row in the train sample and in the holdout sample. */
  synToTrain: Neighbours | null;
  synToHoldout: Neighbours | null;
}

export function makePrivacyContext(data: PreparedData, rng: Rng): PrivacyContext {
  const encoder = makeGowerEncoder(data);
  const m = Math.min(data.train.n, data.holdout.n);
  const trainSample = sampleIndices(data.train.n, m, rng.fork('train-sample')).sort();
  const holdoutSample = sampleIndices(data.holdout.n, m, rng.fork('holdout-sample')).sort();
  return {
    data,
    encoder,
    train: encoder.encode(data.train),
    holdout: encoder.encode(data.holdout),
    synthetic: encoder.encode(data.synthetic),
    trainSample,
    holdoutSample,
    synToTrain: null,
    synToHoldout: null,
  };
}

/** Run (once) the synthetic -> train-sample and synthetic -> holdout-sample 2-NN searches. */
export function synthNeighbours(ctx: PrivacyContext, onProgress?: (f: number) => void): { toTrain: Neighbours; toHoldout: Neighbours } {
  if (!ctx.synToTrain || !ctx.synToHoldout) {
    const tr = ctx.encoder.encode(takePrepared(ctx.data.train, ctx.trainSample));
    const ho = ctx.encoder.encode(takePrepared(ctx.data.holdout, ctx.holdoutSample));
    ctx.synToTrain = nearestNeighbours(ctx.synthetic, tr, 2, { onProgress: (f) => onProgress?.(f / 2) });
    ctx.synToHoldout = nearestNeighbours(ctx.synthetic, ho, 2, { onProgress: (f) => onProgress?.(0.5 + f / 2) });
  }
  return { toTrain: ctx.synToTrain, toHoldout: ctx.synToHoldout };
}
