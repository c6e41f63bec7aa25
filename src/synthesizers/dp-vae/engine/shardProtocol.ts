/**
 * What the main thread and the training worker threads of OnnxVaeEngine share (onnxShards.ts does the
 * arithmetic, shardPool.ts runs the workers, onnxShardWorker.ts is one): the step's scalars and the lanes'
 * settings, the control block of Int32 counters and commands, the step block of Float64 scalars, the blocking
 * waits on them (Atomics), and the messages a worker is started with. onnxShards.ts describes the protocol.
 */
import type { ParamSlot } from '../../../nn/onnx/vaeGraphs.js';

export interface AdamConfig {
  lr: number;
  l2: number;
  learnSigma: boolean;
  /** The constant sigma when learnSigma is false. */
  fixedSigma: number;
  sigmaMin: number;
  sigmaMax: number;
  /** The sigma slot [sigmaLo, sigmaHi) in the flat parameter vector. */
  sigmaLo: number;
  sigmaHi: number;
}

/** One step's scalars (the same for every shard and range). */
export interface StepInfo {
  /** Adam's step number, from 1. */
  t: number;
  seed: number;
  /** Rows in the whole batch. */
  B: number;
  dp: boolean;
  clip: number;
  /** sigma * C: the DP noise std (0: none). */
  noiseStd: number;
  /** 1 / E[B] (DP). */
  invE: number;
}

export interface LaneModels {
  grad: Uint8Array;
  gradDp: Uint8Array;
}

/** Shapes of the model a lane trains. */
export interface LaneDims {
  /** Parameters. */
  P: number;
  /** Encoded data width. */
  D: number;
  /** Latent width. */
  L: number;
  /** The flat layout (vaeParamLayout). */
  slots: ParamSlot[];
  /**
   * Rows x D at most per onnxruntime run (default SHARD_CHUNK_CELLS): a shard with more is run in row
   * chunks whose gradients and stats are summed (see ShardLane.run).
   */
  chunkCells?: number;
}

// ---- the shared control block

/** Int32 slots of the control array. */
export const C_SEQ = 0; // bumped by the main thread to issue a command
export const C_CMD = 1;
export const C_ERR = 2; // nonzero once any lane failed
export const C_GRAD = 16; // + lane: last step whose gradients the lane has published
export const C_ADAM = 48; // + lane: last step whose Adam ranges the lane has finished
export const C_ACK = 80; // + lane: last non-step command the lane has carried out
export const C_EPOCH = 3; // bumped by the main thread when it replaced the shared moments
export const CTRL_INTS = 112;
export const MAX_LANES = 32;

export const CMD_STEP = 1;
export const CMD_BUFFERS = 2;
export const CMD_EXIT = 3;

/** Float64 slots of the step block. */
export const P_T = 0;
export const P_SEED = 1;
export const P_B = 2;
export const P_DP = 3;
export const P_CLIP = 4;
export const P_NOISE = 5;
export const P_INVE = 6;
export const PARAM_F64 = 8;

export function writeStep(p: Float64Array, s: StepInfo): void {
  p[P_T] = s.t;
  p[P_SEED] = s.seed;
  p[P_B] = s.B;
  p[P_DP] = s.dp ? 1 : 0;
  p[P_CLIP] = s.clip;
  p[P_NOISE] = s.noiseStd;
  p[P_INVE] = s.invE;
}

export function readStep(p: Float64Array): StepInfo {
  return { t: p[P_T]!, seed: p[P_SEED]!, B: p[P_B]!, dp: p[P_DP] === 1, clip: p[P_CLIP]!, noiseStd: p[P_NOISE]!, invE: p[P_INVE]! };
}

export class LaneFailure extends Error {}

/**
 * Block until ctrl[idx] has reached `target` (counters only grow). Throws when a lane has failed
 * or nothing happened for `timeoutMs`.
 */
export function waitFor(ctrl: Int32Array, idx: number, target: number, timeoutMs: number): void {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = Atomics.load(ctrl, idx);
    if (((v - target) | 0) >= 0) return;
    if (Atomics.load(ctrl, C_ERR) !== 0) throw new LaneFailure('another training thread failed');
    const left = deadline - performance.now();
    if (left <= 0) throw new LaneFailure(`a training thread did not answer within ${Math.round(timeoutMs / 1000)} s`);
    Atomics.wait(ctrl, idx, v, Math.min(left, 1000));
  }
}

export function signal(ctrl: Int32Array, idx: number, value: number): void {
  Atomics.store(ctrl, idx, value);
  Atomics.notify(ctrl, idx);
}

/** Mark the step as failed and wake every waiter. */
export function fail(ctrl: Int32Array): void {
  Atomics.store(ctrl, C_ERR, 1);
  for (let i = 0; i < CTRL_INTS; i++) Atomics.notify(ctrl, i);
}

/** What a worker lane is started with (workerData). */
export interface WorkerInit {
  protocol: number;
  lane: number;
  lanes: number;
  S: number;
  dims: LaneDims;
  models: LaneModels;
  adam: AdamConfig;
  ctrl: SharedArrayBuffer;
  params: SharedArrayBuffer;
  theta: SharedArrayBuffer;
  m: SharedArrayBuffer;
  v: SharedArrayBuffer;
  grads: SharedArrayBuffer[];
  stats: SharedArrayBuffer;
  /** How long a lane waits for the others inside a step. */
  timeoutMs: number;
}

/** The CMD_BUFFERS message (sent on the worker's port, read with receiveMessageOnPort). */
export interface BuffersMessage {
  /** The batch's rows as the main thread gathered them for the workers' shards (capacity rows x D). */
  x: SharedArrayBuffer;
}
