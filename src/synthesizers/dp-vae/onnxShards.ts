/**
 * The data-parallel training step of OnnxVaeEngine: batch shards, their gradient sum, Adam by
 * parameter range. Shared by the main thread and the worker threads (onnxShardWorker.ts).
 *
 *   batch rows ──► S shards (fixed row ranges; S is a setting, never the machine's core count)
 *     shard k ──► one onnxruntime run (1 intra-op thread) ──► g_k (P floats), stats_k
 *   parameters ──► S ranges [lo_c, hi_c); on range c:
 *     no DP: g = g_0 + g_1 + ...                (each g_k already carries the batch's 1/B)
 *     DP:    g = (g_0 + g_1 + ... + noise_c) / E[B]   (noise drawn once a step, per range)
 *     ──► Adam (PyTorch semantics, L2 added to the gradient) ──► sigma clamp / fixed sigma
 *
 * A lane is one thread: the main thread is lane 0, worker threads are lanes 1, 2, ...; lane j
 * computes the shards and the Adam ranges k with k % lanes === j. No number depends on the lane
 * count: a shard gives the same bytes on any lane (same graph, same inputs, one thread), the sums
 * run in shard order, eps is drawn per shard and DP noise per range from seeds derived from the
 * step's seed. So one lane running both shards in turn writes the same weights as two lanes, and a
 * seed gives the same model on a 1-core and a 16-core machine.
 *
 * Cross-thread protocol (SharedArrayBuffer + Atomics; onnxruntime-node rejects typed arrays over a
 * SharedArrayBuffer as tensors, so each lane feeds its own ArrayBuffer copies): the main thread
 * writes the step (rows, scalars) and bumps `seq`; each lane runs its shards, copies the parts of
 * its gradients other lanes' ranges need into shared memory, bumps its GRAD counter, waits for
 * every lane's GRAD, runs Adam on its ranges of the shared parameters, bumps its ADAM counter.
 * The main thread returns once every ADAM counter has reached `seq`.
 */
import { Rng } from '../../rng.js';
import { fillNormalFast } from '../../nn/onnx/normals.js';
import type { Ort, OrtSession, OrtTensor } from '../../nn/onnx/runtime.js';

export const ADAM_B1 = 0.9;
export const ADAM_B2 = 0.999;
export const ADAM_EPS = 1e-8;

/** Bumped whenever the worker protocol or the step arithmetic changes (a stale dist/ worker is refused). */
export const SHARD_PROTOCOL = 1;

/** Rows [start, end) of shard k of a B-row batch. */
export function shardRows(B: number, S: number, k: number): [number, number] {
  return [Math.floor((k * B) / S), Math.floor(((k + 1) * B) / S)];
}

/**
 * The S Adam ranges [lo, hi) of P parameters; inner boundaries on 16-float (64-byte) multiples so
 * two threads never write the same cache line.
 */
export function paramRanges(P: number, S: number): [number, number][] {
  const cut = (c: number): number => (c <= 0 ? 0 : c >= S ? P : Math.min(P, Math.round((c * P) / S / 16) * 16));
  return Array.from({ length: S }, (_, c) => [cut(c), cut(c + 1)] as [number, number]);
}

/** Which lane computes shard (or range) k. */
export function laneOf(k: number, lanes: number): number {
  return k % lanes;
}

/** The generator of shard k's reparameterisation noise (one shard: the unsharded engine's stream). */
export function epsRng(seed: number, S: number, k: number): Rng {
  return new Rng(seed).fork(S === 1 ? 'eps' : `eps/${k}`);
}

/** The generator of range c's DP noise. */
export function noiseRng(seed: number, S: number, c: number): Rng {
  return new Rng(seed).fork(S === 1 ? 'dp-noise' : `dp-noise/${c}`);
}

/** Adam's settings, fixed for an engine. */
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

/** Parameters and Adam moments (flat, vaeParamLayout order). */
export interface AdamState {
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * Adam on parameters [lo, hi) with the summed shard gradients `grads` (in shard order; null: an
 * empty shard, which adds nothing). `noise` is scratch of at least hi - lo floats.
 */
export function adamRange(
  st: AdamState,
  grads: (Float32Array | null)[],
  lo: number,
  hi: number,
  cfg: AdamConfig,
  step: StepInfo,
  S: number,
  c: number,
  noise: Float32Array,
  zeros: Float32Array,
): void {
  const lrc = cfg.lr / (1 - ADAM_B1 ** step.t);
  const invBc2 = 1 / (1 - ADAM_B2 ** step.t);
  const l2 = cfg.l2;
  const c1 = 1 - ADAM_B1;
  const c2 = 1 - ADAM_B2;
  const live = grads.filter((g): g is Float32Array => g !== null);
  // a + b (+ noise) in double; more than two shards: the leading ones pre-summed in shard order
  let a: Float32Array = live[0] ?? zeros;
  const b: Float32Array = live[live.length - 1] && live.length > 1 ? live[live.length - 1]! : zeros;
  if (live.length > 2) {
    const pre = new Float32Array(hi);
    for (let i = lo; i < hi; i++) {
      let s = 0;
      for (let k = 0; k < live.length - 1; k++) s += live[k]![i]!;
      pre[i] = s;
    }
    a = pre;
  }
  let nz = zeros;
  let off = lo;
  if (step.dp && step.noiseStd > 0) {
    fillNormalFast(noiseRng(step.seed, S, c), noise.subarray(0, hi - lo), step.noiseStd);
    nz = noise;
    off = 0;
  }
  const scale = step.dp ? step.invE : 1;
  const th = st.theta;
  const m = st.m;
  const v = st.v;
  for (let i = lo; i < hi; i++) {
    const p = th[i]!;
    const g = (a[i]! + b[i]! + nz[i - lo + off]!) * scale + p * l2;
    const mi = m[i]! * ADAM_B1 + g * c1;
    const vi = v[i]! * ADAM_B2 + g * g * c2;
    m[i] = mi;
    v[i] = vi;
    th[i] = p - (mi * lrc) / (Math.sqrt(vi * invBc2) + ADAM_EPS);
  }
  const sLo = Math.max(lo, cfg.sigmaLo);
  const sHi = Math.min(hi, cfg.sigmaHi);
  for (let j = sLo; j < sHi; j++) {
    if (cfg.learnSigma) {
      th[j] = Math.min(cfg.sigmaMax, Math.max(cfg.sigmaMin, th[j]!));
    } else {
      // a constant: undo Adam's move (its gradient is zero, but noise and weight decay would move it)
      th[j] = cfg.fixedSigma;
      m[j] = 0;
      v[j] = 0;
    }
  }
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
}

/**
 * One thread's onnxruntime sessions and buffers: runs a shard's forward and backward pass.
 * `theta` is this lane's ArrayBuffer copy of the parameters (what onnxruntime reads).
 */
export class ShardLane {
  readonly theta: Float32Array;
  private readonly thetaT: OrtTensor;
  private readonly sessions = new Map<boolean, OrtSession>();
  private xBuf = new Float32Array(0);
  private epsBuf = new Float32Array(0);
  private readonly statsBuf = new Float32Array(4);
  private readonly statsT: OrtTensor;
  private readonly scalarBuf = new Float32Array(1);
  private readonly scalarT: OrtTensor;
  private readonly outT = new Map<Float32Array, OrtTensor>();

  constructor(
    private readonly ort: Ort,
    private readonly models: LaneModels,
    readonly dims: LaneDims,
    private readonly threads: number,
    theta?: Float32Array,
  ) {
    this.theta = theta ?? new Float32Array(dims.P);
    this.thetaT = new ort.Tensor('float32', this.theta, [dims.P]);
    this.statsT = new ort.Tensor('float32', this.statsBuf, [4]);
    this.scalarT = new ort.Tensor('float32', this.scalarBuf, []);
  }

  private session(dp: boolean): OrtSession {
    let s = this.sessions.get(dp);
    if (!s) {
      s = this.ort.createSession(dp ? this.models.gradDp : this.models.grad, { intraOpNumThreads: this.threads });
      this.sessions.set(dp, s);
    }
    return s;
  }

  /** Build a session now (so a failure surfaces before training). */
  prepare(dp: boolean): void {
    this.session(dp);
  }

  /**
   * Shard k's gradient into `out` (P floats, an ArrayBuffer-backed array) and its 4 stats into
   * stats[4k .. 4k + 4). `rows` are the shard's rows of `data` (n x D, row-major); `eps` (rows x L)
   * replaces the seeded reparameterisation noise when given.
   */
  run(step: StepInfo, S: number, k: number, rows: Int32Array, data: Float32Array, nRows: number, out: Float32Array, stats: Float64Array, eps?: Float32Array): void {
    const { D, L, P } = this.dims;
    const B = rows.length;
    if (this.xBuf.length < B * D) this.xBuf = new Float32Array(B * D);
    if (this.epsBuf.length < B * L) this.epsBuf = new Float32Array(B * L);
    const x = this.xBuf.subarray(0, B * D);
    for (let i = 0; i < B; i++) {
      const r = rows[i]!;
      if (!(r >= 0 && r < nRows)) throw new RangeError(`row ${r} is outside the ${nRows} rows given to setData`);
      x.set(data.subarray(r * D, (r + 1) * D), i * D);
    }
    let e: Float32Array;
    if (eps) {
      if (eps.length !== B * L) throw new Error(`shard ${k}: eps must hold ${B} x ${L} values`);
      e = eps;
    } else {
      e = fillNormalFast(epsRng(step.seed, S, k), this.epsBuf.subarray(0, B * L));
    }
    let o = this.outT.get(out);
    if (!o) {
      if (out.length !== P) throw new Error(`gradient buffer must hold ${P} values`);
      o = new this.ort.Tensor('float32', out, [P]);
      this.outT.set(out, o);
    }
    this.scalarBuf[0] = step.dp ? step.clip : 1 / step.B;
    const feeds: Record<string, OrtTensor> = {
      X: new this.ort.Tensor('float32', x, [B, D]),
      eps: new this.ort.Tensor('float32', e, [B, L]),
      theta: this.thetaT,
      [step.dp ? 'clip' : 'invB']: this.scalarT,
    };
    this.session(step.dp).run(feeds, { grad: o, stats: this.statsT });
    for (let i = 0; i < 4; i++) stats[4 * k + i] = this.statsBuf[i]!;
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }
}

/** Everything a lane touches in a step. */
export interface LaneContext {
  lane: number;
  lanes: number;
  S: number;
  ranges: [number, number][];
  runner: ShardLane;
  /** Where this lane's onnxruntime writes shard k (ArrayBuffer-backed; only own shards are used). */
  local: Float32Array[];
  /** Shared per-shard gradient buffers other lanes read (null: one lane, nothing is shared). */
  shared: Float32Array[] | null;
  /** The parameters and moments Adam updates (shared between lanes, or the engine's own arrays). */
  state: AdamState;
  /** Per-shard stats, 4 each. */
  stats: Float64Array;
  adam: AdamConfig;
  noise: Float32Array;
  zeros: Float32Array;
}

/** Run this lane's shards of the batch `rows`. `eps` (B x L, whole batch) overrides the seeded noise. */
export function runOwnShards(ctx: LaneContext, step: StepInfo, rows: Int32Array, data: Float32Array, nRows: number, eps?: Float32Array): void {
  const L = ctx.runner.dims.L;
  for (let k = ctx.lane; k < ctx.S; k += ctx.lanes) {
    const [r0, r1] = shardRows(step.B, ctx.S, k);
    if (r1 === r0) {
      ctx.stats.fill(0, 4 * k, 4 * k + 4);
      continue;
    }
    ctx.runner.run(step, ctx.S, k, rows.subarray(r0, r1), data, nRows, ctx.local[k]!, ctx.stats, eps?.subarray(r0 * L, r1 * L));
    if (ctx.shared) {
      // the parts of g_k that other lanes' Adam ranges read
      const g = ctx.local[k]!;
      const sh = ctx.shared[k]!;
      ctx.ranges.forEach(([lo, hi], c) => {
        if (laneOf(c, ctx.lanes) !== ctx.lane) sh.set(g.subarray(lo, hi), lo);
      });
    }
  }
}

/** Adam on this lane's parameter ranges; copies them into the lane's own theta when that is a separate array. */
export function adamOwnRanges(ctx: LaneContext, step: StepInfo): void {
  const grads: (Float32Array | null)[] = [];
  for (let k = 0; k < ctx.S; k++) {
    const [r0, r1] = shardRows(step.B, ctx.S, k);
    if (r1 === r0) grads.push(null);
    else grads.push(laneOf(k, ctx.lanes) === ctx.lane || !ctx.shared ? ctx.local[k]! : ctx.shared[k]!);
  }
  for (let c = ctx.lane; c < ctx.S; c += ctx.lanes) {
    const [lo, hi] = ctx.ranges[c]!;
    adamRange(ctx.state, grads, lo, hi, ctx.adam, step, ctx.S, c, ctx.noise, ctx.zeros);
    if (ctx.state.theta !== ctx.runner.theta) ctx.runner.theta.set(ctx.state.theta.subarray(lo, hi), lo);
  }
}

// ---- the shared control block

/** Int32 slots of the control array. */
export const C_SEQ = 0; // bumped by the main thread to issue a command
export const C_CMD = 1;
export const C_ERR = 2; // nonzero once any lane failed
export const C_GRAD = 16; // + lane: last step whose gradients the lane has published
export const C_ADAM = 48; // + lane: last step whose Adam ranges the lane has finished
export const C_ACK = 80; // + lane: last non-step command the lane has carried out
export const CTRL_INTS = 112;
export const MAX_LANES = 32;

export const CMD_STEP = 1;
export const CMD_DATA = 2;
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

/** The CMD_DATA message (sent on the worker's port, read with receiveMessageOnPort). */
export interface DataMessage {
  data: SharedArrayBuffer;
  nRows: number;
  rows: SharedArrayBuffer;
}
