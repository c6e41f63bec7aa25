/**
 * The data-parallel training step of OnnxVaeEngine: batch shards, their gradient sum, Adam by
 * parameter range. Shared by the main thread and the worker threads (onnxShardWorker.ts).
 *
 *   batch rows ──► S shards (fixed row ranges; S is a setting, never the machine's core count)
 *     shard k ──► one onnxruntime run (1 intra-op thread) ──► g_k (P floats), stats_k
 *   parameters ──► S ranges [lo_c, hi_c); on range c:
 *     no DP: g = g_0 + g_1 + ...                (each g_k already carries the batch's 1/B)
 *     DP:    g = (g_0 + g_1 + ... + noise_c) / E[B]   (noise drawn once a step, per range)
 *     ──► Adam (PyTorch semantics, L2 added to the gradient; the WebAssembly SIMD kernel of
 *         src/kernels/adamKernel.ts, or its bit-identical JS fallback) ──► sigma clamp / fixed sigma
 *
 * A lane is one thread: the main thread is lane 0, worker threads are lanes 1, 2, ...; lane j
 * computes the shards and the Adam ranges k with k % lanes === j. No number depends on the lane
 * count: a shard gives the same bytes on any lane (same graph, same inputs, one thread), the sums
 * run in shard order, eps is drawn per shard and DP noise per range from seeds derived from the
 * step's seed. So one lane running both shards in turn writes the same weights as two lanes, and a
 * seed gives the same model on a 1-core and a 16-core machine.
 *
 * Cross-thread protocol (shardProtocol.ts: SharedArrayBuffer + Atomics; onnxruntime-node rejects typed arrays over a
 * SharedArrayBuffer as tensors, so each lane feeds its own ArrayBuffer copies): the main thread
 * gathers the rows of the workers' shards into shared memory (the workers never see the whole
 * training matrix, so it is not copied), writes the step's scalars and bumps `seq`; each lane copies the shared parameters into its
 * own, runs its shards, copies the parts of its gradients other lanes' ranges need into shared
 * memory, bumps its GRAD counter, waits for every lane's GRAD, runs Adam on its ranges (its own
 * copies of theta and the moments, in its kernel's memory), publishes those ranges of theta (a
 * worker also its moments) and bumps its ADAM counter. The main thread returns once every ADAM
 * counter has reached `seq`, after copying the other lanes' ranges of theta into its own.
 */
import { Rng } from '../../../rng.js';
import { fillNormalFast } from '../../../random/fillNormalFast.js';
import type { Ort, OrtSession, OrtTensor } from '../../../nn/onnx/runtime.js';
import { createAdamKernel, type AdamKernel } from '../../../kernels/adamKernel.js';
import { gradInputName, gradOutputName, gradOutputShape } from '../../../nn/onnx/vaeGraphs.js';
import type { AdamConfig, LaneDims, LaneModels, StepInfo } from './shardProtocol.js';

export const ADAM_B1 = 0.9;
export const ADAM_B2 = 0.999;
export const ADAM_EPS = 1e-8;

/** Bumped whenever the worker protocol or the step arithmetic changes (a stale dist/ worker is refused). */
export const SHARD_PROTOCOL = 5;

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
/** Parameters and Adam moments (flat, vaeParamLayout order). */
export interface AdamState {
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * A shard's rows x encoded width above which it runs in row chunks. onnxruntime holds about ten
 * rows x D float32 intermediates per run: a DP shard of 1,200 rows of a 10,000-level column took
 * ~1.2 GB (issue 17); chunks of 2^21 cells keep a run near 100 MB. Every gradient output and every
 * stat is a sum over the rows (non-DP: already times 1/B; DP: sums of clipped per-example gradients),
 * so the chunks' sum is the shard's (up to float32 summation order). Up to 13,000 rows of UCI Adult's
 * 157 columns fit in one run, so ordinary tables never chunk and give the same bits as before.
 */
export const SHARD_CHUNK_CELLS = 2 ** 21;

/**
 * One thread's onnxruntime sessions and buffers: runs a shard's forward and backward pass.
 * `theta` is this lane's ArrayBuffer copy of the parameters (what onnxruntime reads).
 */
export class ShardLane {
  readonly theta: Float32Array;
  private readonly sessions = new Map<boolean, OrtSession>();
  private xBuf = new Float32Array(0);
  private epsBuf = new Float32Array(0);
  /** Gradient of a row chunk after the first (ShardLane.run), allocated on first use. */
  private chunkOut: Float32Array | null = null;
  private readonly statsBuf = new Float32Array(4);
  private readonly statsT: OrtTensor;
  private readonly scalarBuf = new Float32Array(1);
  private readonly scalarT: OrtTensor;
  /** Per parameter, a tensor viewing its slice of theta. */
  private readonly paramFeeds: Record<string, OrtTensor> = {};
  /** Per (output vector, DP or not): the fetches viewing its slices. */
  private readonly fetches = new Map<Float32Array, Map<boolean, Record<string, OrtTensor>>>();

  constructor(
    private readonly ort: Ort,
    private readonly models: LaneModels,
    readonly dims: LaneDims,
    private readonly threads: number,
    theta?: Float32Array,
  ) {
    this.theta = theta ?? new Float32Array(dims.P);
    this.statsT = new ort.Tensor('float32', this.statsBuf, [4]);
    this.scalarT = new ort.Tensor('float32', this.scalarBuf, []);
    for (const s of dims.slots) this.paramFeeds[gradInputName(s)] = new ort.Tensor('float32', this.theta.subarray(s.offset, s.offset + s.size), s.shape);
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

  private fetchesFor(out: Float32Array, dp: boolean): Record<string, OrtTensor> {
    let byMode = this.fetches.get(out);
    if (!byMode) {
      if (out.length !== this.dims.P) throw new Error(`gradient buffer must hold ${this.dims.P} values`);
      byMode = new Map();
      this.fetches.set(out, byMode);
    }
    let f = byMode.get(dp);
    if (!f) {
      f = { stats: this.statsT };
      for (const s of this.dims.slots) f[gradOutputName(s)] = new this.ort.Tensor('float32', out.subarray(s.offset, s.offset + s.size), gradOutputShape(s, dp));
      byMode.set(dp, f);
    }
    return f;
  }

  /**
   * Shard k's gradient into `out` (P floats, an ArrayBuffer-backed array) and its 4 stats into
   * stats[4k .. 4k + 4). `src` gives the shard's rows: indices into the data (gathered here) or the
   * rows already gathered (B x D; copied, as they may be shared memory). `eps` (rows x L) replaces
   * the seeded reparameterisation noise when given.
   */
  run(step: StepInfo, S: number, k: number, src: ShardSource, out: Float32Array, stats: Float64Array, eps?: Float32Array): void {
    const { D, L } = this.dims;
    const B = 'rows' in src ? src.rows.length : src.x.length / D;
    if (this.xBuf.length < B * D) this.xBuf = new Float32Array(B * D);
    if (this.epsBuf.length < B * L) this.epsBuf = new Float32Array(B * L);
    const x = this.xBuf.subarray(0, B * D);
    if ('rows' in src) gatherRows(src.data, src.nRows, D, src.rows, x);
    else x.set(src.x);
    let e: Float32Array;
    if (eps) {
      if (eps.length !== B * L) throw new Error(`shard ${k}: eps must hold ${B} x ${L} values`);
      e = eps;
    } else {
      e = fillNormalFast(epsRng(step.seed, S, k), this.epsBuf.subarray(0, B * L));
    }
    this.scalarBuf[0] = step.dp ? step.clip : 1 / step.B;
    const chunk = Math.max(1, Math.floor((this.dims.chunkCells ?? SHARD_CHUNK_CELLS) / Math.max(1, D)));
    const runRows = (r0: number, r1: number, into: Float32Array): void => {
      const feeds: Record<string, OrtTensor> = {
        ...this.paramFeeds,
        X: new this.ort.Tensor('float32', x.subarray(r0 * D, r1 * D), [r1 - r0, D]),
        eps: new this.ort.Tensor('float32', e.subarray(r0 * L, r1 * L), [r1 - r0, L]),
        [step.dp ? 'clip' : 'invB']: this.scalarT,
      };
      this.session(step.dp).run(feeds, this.fetchesFor(into, step.dp));
    };
    if (B <= chunk) {
      runRows(0, B, out);
      for (let i = 0; i < 4; i++) stats[4 * k + i] = this.statsBuf[i]!;
      return;
    }
    // row chunks (see SHARD_CHUNK_CELLS): the first writes `out`, the others a scratch vector added to it
    if (this.chunkOut === null) this.chunkOut = new Float32Array(this.dims.P);
    const acc = [0, 0, 0, 0];
    for (let r0 = 0; r0 < B; r0 += chunk) {
      const r1 = Math.min(B, r0 + chunk);
      runRows(r0, r1, r0 === 0 ? out : this.chunkOut);
      if (r0 > 0) for (let j = 0; j < out.length; j++) out[j]! += this.chunkOut[j]!;
      for (let i = 0; i < 4; i++) acc[i]! += this.statsBuf[i]!;
    }
    for (let i = 0; i < 4; i++) stats[4 * k + i] = acc[i]!;
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }
}

/** A shard's rows: indices into the data, or the rows already gathered (B x D). */
export type ShardSource = { rows: Int32Array; data: Float32Array; nRows: number } | { x: Float32Array };

/** Copy rows `rows` of `data` (nRows x D, row-major) into `into` (rows.length x D); checks every index. */
export function gatherRows(data: Float32Array, nRows: number, D: number, rows: Int32Array, into: Float32Array): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!(r >= 0 && r < nRows)) throw new RangeError(`row ${r} is outside the ${nRows} rows given to setData`);
    into.set(data.subarray(r * D, (r + 1) * D), i * D);
  }
}

/** Shared memory of a multi-lane step (typed views over SharedArrayBuffers). */
export interface SharedState {
  theta: Float32Array;
  m: Float32Array;
  v: Float32Array;
  /** Per-shard gradients: the parts other lanes' ranges read. */
  grads: Float32Array[];
}

/** Everything a lane touches in a step. */
export interface LaneContext {
  lane: number;
  lanes: number;
  S: number;
  ranges: [number, number][];
  runner: ShardLane;
  kernel: AdamKernel;
  /** This lane's parameters (runner.theta) and moments, in the kernel's memory. */
  state: AdamState;
  /** Shard k's gradient in the kernel's memory: written by onnxruntime for own shards, copied in (own ranges) for the others. */
  local: Float32Array[];
  /** null: one lane, nothing is shared. */
  shared: SharedState | null;
  /** Per-shard stats, 4 each. */
  stats: Float64Array;
  adam: AdamConfig;
  /** Push this lane's moments to shared memory after Adam (workers; the main thread keeps its own). */
  publishMoments: boolean;
  noise: Float32Array;
  zeros: Float32Array;
  /** Scratch for more than two shards (their leading gradients pre-summed). */
  presum: Float32Array | null;
}

/** A lane's kernel and its vectors; `theta` etc. are views of the kernel's memory. */
export function laneContext(ort: Ort, models: LaneModels, dims: LaneDims, threads: number, lane: number, lanes: number, S: number, adam: AdamConfig, shared: SharedState | null, stats: Float64Array, publishMoments: boolean): LaneContext {
  const { P } = dims;
  const kernel = createAdamKernel((3 + S + 2 + (S > 2 ? 1 : 0)) * (P + 16));
  const theta = kernel.alloc(P);
  const state = { theta, m: kernel.alloc(P), v: kernel.alloc(P) };
  return {
    lane,
    lanes,
    S,
    ranges: paramRanges(P, S),
    runner: new ShardLane(ort, models, dims, threads, theta),
    kernel,
    state,
    local: Array.from({ length: S }, () => kernel.alloc(P)),
    shared,
    stats,
    adam,
    publishMoments,
    noise: kernel.alloc(P),
    zeros: kernel.alloc(P),
    presum: S > 2 ? kernel.alloc(P) : null,
  };
}

/**
 * Run this lane's shards of a batch of B = step.B rows: `batch` holds their indices into the data,
 * or (worker lanes) the rows gathered by the main thread, B x D. `eps` (B x L) overrides the seeded noise.
 */
export function runOwnShards(ctx: LaneContext, step: StepInfo, batch: ShardSource, eps?: Float32Array): void {
  const { L, D } = ctx.runner.dims;
  for (let k = ctx.lane; k < ctx.S; k += ctx.lanes) {
    const [r0, r1] = shardRows(step.B, ctx.S, k);
    if (r1 === r0) {
      ctx.stats.fill(0, 4 * k, 4 * k + 4);
      continue;
    }
    const src: ShardSource = 'rows' in batch ? { rows: batch.rows.subarray(r0, r1), data: batch.data, nRows: batch.nRows } : { x: batch.x.subarray(r0 * D, r1 * D) };
    ctx.runner.run(step, ctx.S, k, src, ctx.local[k]!, ctx.stats, eps?.subarray(r0 * L, r1 * L));
    if (ctx.shared) {
      // the parts of g_k that other lanes' Adam ranges read
      const g = ctx.local[k]!;
      const sh = ctx.shared.grads[k]!;
      ctx.ranges.forEach(([lo, hi], c) => {
        if (laneOf(c, ctx.lanes) !== ctx.lane) sh.set(g.subarray(lo, hi), lo);
      });
    }
  }
}

/** Adam on this lane's parameter ranges (the shard sum, DP noise, the kernel, the sigma rule); publishes them when shared. */
export function adamOwnRanges(ctx: LaneContext, step: StepInfo): void {
  const cfg = ctx.adam;
  const { theta, m, v } = ctx.state;
  const coef = {
    scale: step.dp ? step.invE : 1,
    l2: cfg.l2,
    b1: ADAM_B1,
    b2: ADAM_B2,
    lrc: cfg.lr / (1 - ADAM_B1 ** step.t),
    ibc2: 1 / (1 - ADAM_B2 ** step.t),
    eps: ADAM_EPS,
  };
  const live: number[] = [];
  for (let k = 0; k < ctx.S; k++) {
    const [r0, r1] = shardRows(step.B, ctx.S, k);
    if (r1 > r0) live.push(k);
  }
  for (let c = ctx.lane; c < ctx.S; c += ctx.lanes) {
    const [lo, hi] = ctx.ranges[c]!;
    if (ctx.shared) for (const k of live) if (laneOf(k, ctx.lanes) !== ctx.lane) ctx.local[k]!.set(ctx.shared.grads[k]!.subarray(lo, hi), lo);
    let a = live.length > 0 ? ctx.local[live[0]!]! : ctx.zeros;
    const b = live.length > 1 ? ctx.local[live[live.length - 1]!]! : ctx.zeros;
    if (live.length > 2) {
      // more than two shards: the leading ones summed first, in shard order, in float32
      const pre = ctx.presum!;
      pre.set(a.subarray(lo, hi), lo);
      for (let j = 1; j < live.length - 1; j++) {
        const g = ctx.local[live[j]!]!;
        for (let i = lo; i < hi; i++) pre[i] = pre[i]! + g[i]!;
      }
      a = pre;
    }
    let nz = ctx.zeros;
    if (step.dp && step.noiseStd > 0) {
      fillNormalFast(noiseRng(step.seed, ctx.S, c), ctx.noise.subarray(lo, hi), step.noiseStd);
      nz = ctx.noise;
    }
    ctx.kernel.adam(theta, m, v, a, b, nz, lo, hi, coef);
    for (let j = Math.max(lo, cfg.sigmaLo); j < Math.min(hi, cfg.sigmaHi); j++) {
      if (cfg.learnSigma) {
        theta[j] = Math.min(cfg.sigmaMax, Math.max(cfg.sigmaMin, theta[j]!));
      } else {
        // a constant: undo Adam's move (its gradient is zero, but noise and weight decay would move it)
        theta[j] = cfg.fixedSigma;
        m[j] = 0;
        v[j] = 0;
      }
    }
    if (ctx.shared) {
      ctx.shared.theta.set(theta.subarray(lo, hi), lo);
      if (ctx.publishMoments) {
        ctx.shared.m.set(m.subarray(lo, hi), lo);
        ctx.shared.v.set(v.subarray(lo, hi), lo);
      }
    }
  }
}

/** Copy the shared moments of this lane's ranges into its own (after the main thread replaced them). */
export function loadOwnMoments(ctx: LaneContext): void {
  if (!ctx.shared) return;
  for (let c = ctx.lane; c < ctx.S; c += ctx.lanes) {
    const [lo, hi] = ctx.ranges[c]!;
    ctx.state.m.set(ctx.shared.m.subarray(lo, hi), lo);
    ctx.state.v.set(ctx.shared.v.subarray(lo, hi), lo);
  }
}
