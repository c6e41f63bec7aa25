/**
 * The VAE engine on onnxruntime-node: TfjsVaeEngine's model, gradients, DP-SGD step and Adam,
 * written as ONNX graphs (src/nn/onnx/vaeGraphs.ts) that onnxruntime runs with MLAS's matMuls.
 *
 *   JS: split the batch into S shards (default 2), per shard: gather rows, draw eps
 *     ──► per shard one session.run (1 thread): forward, backward, (clipping,) the shard's gradient
 *     ──► JS: sum the shards in order (DP: + noise, / E[B]), Adam by parameter range, sigma clamp
 *
 * The shards run on `parallel` threads (the main thread and worker threads, onnxShards.ts and
 * shardPool.ts) once trainVae has called beginTraining(); before that, and for computeGradients,
 * the main thread runs them in turn. Both give the same bytes: S is part of the arithmetic, the
 * thread count is not.
 *
 * Parameters and Adam moments live in JS as flat Float32Arrays laid out by `vaeParamLayout`
 * (TfjsVaeEngine's names and order), so weights files are interchangeable between the engines.
 * The parameter vector is fed to onnxruntime without a copy and the gradient is written into a
 * pre-allocated parameter-sized array. Results are deterministic for a seed and shard count, but
 * not equal to TfjsVaeEngine's for the same seed: the engines draw eps with different generators.
 */
import os from 'node:os';
import { Rng } from '../../../rng.js';
import { env } from '../../../env.js';
import { loadOrt, type Ort, type OrtSession, type OrtTensor } from '../../../nn/onnx/runtime.js';
import { fillNormalFast } from '../../../random/fillNormalFast.js';
import {
  buildDecodeGraph,
  buildGradGraph,
  paramCount,
  SIGMA_MAX,
  SIGMA_MIN,
  vaeParamLayout,
  type ParamSlot,
  type VaeGraphSpec,
} from '../../../nn/onnx/vaeGraphs.js';
import { summarizeLoss, type DpStepOptions, type EncodedSpan, type LossSummary, type NamedWeight, type VaeEngine } from './VaeEngine.js';
import { SIGMA_FIXED, type VaeConfig } from '../VaeConfig.js';
import {
  adamOwnRanges,
  gatherRows,
  laneContext,
  laneOf,
  noiseRng,
  runOwnShards,
  shardRows,
  type LaneContext,
} from './onnxShards.js';
import {
  C_ADAM,
  C_GRAD,
  signal,
  type AdamConfig,
  type LaneModels,
  type StepInfo,
} from './shardProtocol.js';
import type { ShardLane } from './onnxShards.js';
import { ShardPool } from './shardPool.js';
import { AdaptiveSchedule } from './adaptiveSchedule.js';

export interface OnnxEngineOptions {
  /** onnxruntime intra-op threads of the main thread's session (default: PRIVSYNTH_ORT_THREADS, else 1; 1 when parallel > 1). */
  threads?: number;
  /**
   * Shards each batch is split into (default 2). Part of the arithmetic, like the seed: the same
   * seed and shard count give the same model whatever `parallel` is.
   */
  shards?: number;
  /**
   * Threads that train, the main thread included (default: PRIVSYNTH_TRAIN_THREADS, else
   * min(shards, available cores)); 1 runs every shard on the main thread.
   */
  parallel?: number;
  /**
   * With worker threads, time the step both ways now and then and train on the main thread alone
   * while that is faster (another process holding a core makes two threads slower than one).
   * Results do not depend on it. `period`: steps before the first probe of the other way (doubling
   * while the choice holds, up to 16x); `probe`: steps a probe lasts. false: always the workers.
   */
  adaptive?: { period: number; probe: number } | false;
  /** Rows x encoded width at most per onnxruntime run (default SHARD_CHUNK_CELLS, onnxShards.ts); tests set it small. */
  chunkCells?: number;
}

/** The default adaptive schedule (see OnnxEngineOptions.adaptive): probes cost ~1% on an idle machine. */
export const DEFAULT_ADAPTIVE = { period: 400, probe: 16 };

/** The default shard count (see OnnxEngineOptions.shards). */
export const DEFAULT_SHARDS = 2;

export class OnnxVaeEngine implements VaeEngine {
  readonly backendName = 'onnxruntime-cpu';
  readonly dataDim: number;
  readonly threads: number;
  readonly shards: number;
  /** Threads asked for (see activeLanes for what runs). */
  readonly parallel: number;
  /** Why beginTraining() trains on the main thread alone although parallel > 1 (null: it did not). */
  parallelFallbackReason: string | null = null;
  private readonly ort: Ort;
  private readonly cfg: VaeConfig;
  private readonly spec: VaeGraphSpec;
  private readonly slots: ParamSlot[];
  private readonly P: number;
  private readonly decodeSessions = new Map<'decode', OrtSession>();
  /** Parameters and Adam moments, flat (vaeParamLayout order), in lane 0's kernel memory. `theta` is always current. */
  private readonly theta: Float32Array;
  private readonly mom1: Float32Array;
  private readonly mom2: Float32Array;
  private readonly thetaT: OrtTensor;
  private readonly adamCfg: AdamConfig;
  private readonly models: LaneModels;
  /** The main thread's lane (lane 0); its lanes/shared/stats switch while workers run. */
  private readonly runner: ShardLane;
  private readonly ctx: LaneContext;
  private readonly soloStats: Float64Array;
  private pool: ShardPool | null = null;
  /** The pool exists but the main thread trains alone (adaptive choice). */
  private poolIdle = false;
  private readonly schedule: AdaptiveSchedule | null;
  private t = 0;
  private data: Float32Array | null = null;
  private nRows = 0;
  /** [loss, rec, kl, clipped, rows] summed since takeLoss(). */
  private readonly acc = new Float64Array(5);
  private stepsAcc = 0;
  private dpSteps = 0;

  /** Throws when onnxruntime-node cannot be loaded (createVaeEngine catches that). */
  constructor(dataDim: number, spans: EncodedSpan[], cfg: VaeConfig, seed: number, opts: OnnxEngineOptions = {}) {
    this.ort = loadOrt();
    this.dataDim = dataDim;
    this.cfg = cfg;
    this.shards = opts.shards ?? DEFAULT_SHARDS;
    if (!(Number.isInteger(this.shards) && this.shards >= 1)) throw new RangeError(`shards must be a positive integer, got ${this.shards}`);
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    this.parallel = Math.max(1, Math.min(this.shards, opts.parallel ?? env.trainThreads() ?? cores));
    this.threads = this.parallel > 1 ? 1 : (opts.threads ?? env.ortThreads() ?? 1);
    const adaptive = opts.adaptive ?? DEFAULT_ADAPTIVE;
    this.schedule = adaptive ? new AdaptiveSchedule(adaptive) : null;
    this.spec = graphSpec(dataDim, spans, cfg);
    this.slots = vaeParamLayout(this.spec);
    this.P = paramCount(this.slots);
    const P = this.P;
    const sig = this.slot('sigma');
    this.adamCfg = {
      lr: cfg.learningRate,
      l2: cfg.l2scale,
      learnSigma: cfg.learnSigma !== false,
      fixedSigma: cfg.fixedSigma ?? SIGMA_FIXED,
      sigmaMin: SIGMA_MIN,
      sigmaMax: SIGMA_MAX,
      sigmaLo: sig.offset,
      sigmaHi: sig.offset + sig.size,
    };
    const spec = this.spec;
    let grad: Uint8Array | undefined;
    let gradDp: Uint8Array | undefined;
    this.models = {
      get grad() {
        return (grad ??= buildGradGraph(spec, { dp: false }));
      },
      get gradDp() {
        return (gradDp ??= buildGradGraph(spec, { dp: true }));
      },
    };
    const dims = { P, D: dataDim, L: cfg.embeddingDim, slots: this.slots, ...(opts.chunkCells !== undefined ? { chunkCells: opts.chunkCells } : {}) };
    this.soloStats = new Float64Array(4 * this.shards);
    this.ctx = laneContext(this.ort, this.models, dims, this.threads, 0, 1, this.shards, this.adamCfg, null, this.soloStats, false);
    this.runner = this.ctx.runner;
    this.theta = this.ctx.state.theta;
    this.mom1 = this.ctx.state.m;
    this.mom2 = this.ctx.state.v;
    this.thetaT = new this.ort.Tensor('float32', this.theta, [P]);
    this.initParams(seed);
  }

  /** PyTorch nn.Linear's default init, drawn exactly as TfjsVaeEngine draws it (same seed, same weights). */
  private initParams(seed: number): void {
    const rng = new Rng(seed).fork('vae-init');
    const th = this.theta;
    for (const s of this.slots) {
      if (s.name === 'sigma') {
        // a fixed sigma holds its value from the first step on (TVAE's learned one starts at 0.1)
        th.fill(this.cfg.learnSigma === false ? this.cfg.fixedSigma ?? SIGMA_FIXED : 0.1, s.offset, s.offset + s.size);
        continue;
      }
      const fin = s.name.endsWith('.W') ? s.shape[0]! : this.slots.find((w) => w.name === s.name.replace(/\.b$/, '.W'))!.shape[0]!;
      const bound = 1 / Math.sqrt(fin);
      for (let i = 0; i < s.size; i++) th[s.offset + i] = (rng.uniform() * 2 - 1) * bound;
    }
  }

  private decodeSession(): OrtSession {
    let s = this.decodeSessions.get('decode');
    if (!s) {
      s = this.ort.createSession(buildDecodeGraph(this.spec), { intraOpNumThreads: this.threads });
      this.decodeSessions.set('decode', s);
    }
    return s;
  }

  /** Build the non-DP training session (otherwise built on first use). */
  prepare(): void {
    this.runner.prepare(false);
  }

  /** Threads training now: 1 until beginTraining() has started the workers. */
  get activeLanes(): number {
    return this.pool?.alive && !this.poolIdle ? this.pool.lanes : 1;
  }

  /**
   * Start the worker threads (parallel - 1 of them) for a run of trainStep calls. When they
   * cannot start, training stays on the main thread (same results, slower) and
   * parallelFallbackReason says why.
   */
  async beginTraining(): Promise<void> {
    if (this.pool?.alive || this.parallel <= 1) return;
    let pool: ShardPool;
    try {
      pool = await ShardPool.start({ lanes: this.parallel, S: this.shards, dims: this.runner.dims, models: this.models, adam: this.adamCfg });
    } catch (e) {
      this.parallelFallbackReason = (e as Error)?.message ?? String(e);
      return;
    }
    pool.state.theta.set(this.theta);
    pool.state.m.set(this.mom1);
    pool.state.v.set(this.mom2);
    pool.stateReplaced();
    this.pool = pool;
    this.poolIdle = false;
    this.usePool(pool);
    this.schedule?.reset();
    this.parallelFallbackReason = null;
  }

  private usePool(pool: ShardPool): void {
    const ctx = this.ctx;
    ctx.lanes = pool.lanes;
    ctx.shared = { theta: pool.state.theta, m: pool.state.m, v: pool.state.v, grads: pool.grads };
    ctx.stats = pool.stats;
  }

  /** Bring the workers' ranges of theta and the moments back and train on the main thread alone. */
  private suspendPool(pool: ShardPool): void {
    const ctx = this.ctx;
    ctx.ranges.forEach(([lo, hi], c) => {
      if (laneOf(c, ctx.lanes) === 0) return;
      this.theta.set(pool.state.theta.subarray(lo, hi), lo);
      this.mom1.set(pool.state.m.subarray(lo, hi), lo);
      this.mom2.set(pool.state.v.subarray(lo, hi), lo);
    });
    ctx.lanes = 1;
    ctx.shared = null;
    ctx.stats = this.soloStats;
    this.poolIdle = true;
  }

  /** Hand the state back to the workers (they reload their moments on the next step). */
  private resumePool(pool: ShardPool): void {
    pool.state.theta.set(this.theta);
    pool.state.m.set(this.mom1);
    pool.state.v.set(this.mom2);
    pool.stateReplaced();
    this.usePool(pool);
    this.poolIdle = false;
  }

  /** The adaptive schedule: after each step with a pool, switch between the workers and the main thread when it says so. */
  private adaptAfterStep(pool: ShardPool, ms: number): void {
    if (!this.schedule?.after(ms, this.poolIdle)) return;
    if (this.poolIdle) this.resumePool(pool);
    else this.suspendPool(pool);
  }

  /** How often the adaptive schedule switched between the workers and the main thread alone. */
  get threadSwitches(): number {
    return this.schedule?.switches ?? 0;
  }

  /**
   * Stop the worker threads (idempotent). The workers' ranges of theta and the moments come back
   * from shared memory (they publish them after every step, so also after a failed one).
   */
  endTraining(): void {
    const pool = this.pool;
    if (!pool) return;
    if (!this.poolIdle) this.suspendPool(pool);
    this.pool = null;
    this.poolIdle = false;
    pool.close();
  }

  setData(enc: Float32Array, n: number): void {
    if (enc.length < n * this.dataDim) throw new Error(`setData: ${enc.length} values cannot hold ${n} rows of ${this.dataDim}`);
    this.data = enc; // kept by reference, not copied (the workers get each step's rows, gathered here)
    this.nRows = n;
  }

  private stepInfo(B: number, seed: number, dp: DpStepOptions | undefined, t: number): StepInfo {
    return {
      t,
      seed,
      B,
      dp: !!dp,
      clip: dp?.clipNorm ?? 0,
      noiseStd: dp ? dp.noiseMultiplier * dp.clipNorm : 0,
      invE: dp ? 1 / dp.expectedBatchSize : 1,
    };
  }

  /**
   * One Adam step. `epsOverride` (B x embeddingDim, row-major, the whole batch) replaces the
   * seeded reparameterisation noise; the parity tests use it to feed both engines the same eps.
   */
  trainStep(rows: Int32Array, seed: number, dp?: DpStepOptions, epsOverride?: Float32Array): void {
    if (rows.length === 0 && !dp) return; // nothing to learn from; an empty DP batch still takes a noise step
    if (!this.data) throw new Error('setData() first');
    const step = this.stepInfo(rows.length, seed, dp, this.t + 1);
    const ctx = this.ctx;
    const pool = this.pool;
    if (pool && epsOverride) throw new Error('epsOverride is only for steps on the main thread (call endTraining() first)');
    const t0 = performance.now();
    if (pool && !this.poolIdle) {
      this.parallelStep(pool, ctx, step, rows);
    } else {
      runOwnShards(ctx, step, { rows, data: this.data, nRows: this.nRows }, epsOverride);
      adamOwnRanges(ctx, step);
    }
    const ms = performance.now() - t0;
    const stats = ctx.stats;
    this.t = step.t;
    for (let k = 0; k < this.shards; k++) for (let i = 0; i < 4; i++) this.acc[i] += stats[4 * k + i]!;
    this.acc[4] += rows.length;
    this.stepsAcc++;
    if (dp) this.dpSteps++;
    if (pool && this.pool === pool) this.adaptAfterStep(pool, ms); // may switch threads for the next step
  }

  private parallelStep(pool: ShardPool, ctx: LaneContext, step: StepInfo, rows: Int32Array): void {
    const data = this.data!;
    const D = this.dataDim;
    let x: Float32Array;
    try {
      x = pool.batchBuffer(rows.length);
    } catch (e) {
      throw this.poolFailed(pool, e);
    }
    // the workers' rows, gathered here: a bad index throws before any worker is involved
    for (let k = 0; k < this.shards; k++) {
      if (laneOf(k, ctx.lanes) === 0) continue;
      const [r0, r1] = shardRows(rows.length, this.shards, k);
      gatherRows(data, this.nRows, D, rows.subarray(r0, r1), x.subarray(r0 * D, r1 * D));
    }
    try {
      const seq = pool.beginStep(step);
      runOwnShards(ctx, step, { rows, data, nRows: this.nRows });
      signal(pool.ctrl, C_GRAD, seq);
      pool.waitAll(C_GRAD, seq);
      adamOwnRanges(ctx, step);
      pool.waitAll(C_ADAM, seq);
      // the ranges the workers updated
      ctx.ranges.forEach(([lo, hi], c) => {
        if (laneOf(c, ctx.lanes) !== 0) this.theta.set(pool.state.theta.subarray(lo, hi), lo);
      });
    } catch (e) {
      throw this.poolFailed(pool, e);
    }
  }

  /** Close a failed pool; the main thread carries on alone with the last complete state. */
  private poolFailed(pool: ShardPool, e: unknown): Error {
    const err = pool.failure(e); // closes the pool
    this.endTraining();
    return err;
  }

  /**
   * Gradients of the batch loss (without DP the mean over rows; with DP the clipped per-example
   * sum plus noise over the expected batch size), by parameter name, summed over the shards as a
   * training step sums them. For tests; runs on the main thread.
   */
  computeGradients(rows: Int32Array, seed: number, dp?: DpStepOptions, epsOverride?: Float32Array): Record<string, Float32Array> {
    if (rows.length === 0 && !dp) throw new Error('an empty batch has no gradient without DP');
    if (!this.data) throw new Error('setData() first');
    const step = this.stepInfo(rows.length, seed, dp, 1);
    const ctx: LaneContext = { ...this.ctx, lanes: 1, shared: null, stats: new Float64Array(4 * this.shards) }; // every shard, here
    runOwnShards(ctx, step, { rows, data: this.data, nRows: this.nRows }, epsOverride);
    // what adamRange adds up: the shards in order, then (DP) the noise, times 1 / E[B]
    const G = new Float64Array(this.P);
    for (let k = 0; k < this.shards; k++) {
      const [r0, r1] = shardRows(rows.length, this.shards, k);
      if (r1 === r0) continue;
      const g = ctx.local[k]!;
      for (let i = 0; i < this.P; i++) G[i] += g[i]!;
    }
    if (step.dp) {
      const noise = new Float32Array(this.P);
      if (step.noiseStd > 0) ctx.ranges.forEach(([lo, hi], c) => fillNormalFast(noiseRng(seed, this.shards, c), noise.subarray(lo, hi), step.noiseStd));
      for (let i = 0; i < this.P; i++) G[i] = (G[i]! + noise[i]!) * step.invE;
    }
    const out: Record<string, Float32Array> = {};
    for (const s of this.slots) out[s.name] = Float32Array.from(G.subarray(s.offset, s.offset + s.size));
    return out;
  }

  takeLoss(): LossSummary {
    const steps = this.stepsAcc;
    if (steps === 0) return { loss: NaN, reconstruction: NaN, kl: NaN, steps: 0 };
    const summary = summarizeLoss(this.acc, steps, this.dpSteps > 0);
    this.acc.fill(0);
    this.stepsAcc = 0;
    this.dpSteps = 0;
    return summary;
  }

  sample(n: number, seed: number): Float32Array {
    const z = fillNormalFast(new Rng(seed).fork('latent'), new Float32Array(n * this.cfg.embeddingDim));
    return this.decode(z, n);
  }

  /** The decoder's raw outputs r (pre-activation) for n latent rows z (row-major n x embeddingDim). */
  decode(z: Float32Array, n: number): Float32Array {
    if (z.length !== n * this.cfg.embeddingDim) throw new Error(`decode: z must hold ${n} x ${this.cfg.embeddingDim} values`);
    if (n === 0) return new Float32Array(0);
    const r = this.decodeSession().run(
      { z: new this.ort.Tensor('float32', z, [n, this.cfg.embeddingDim]), theta: this.thetaT },
      { y: null },
    );
    return r.y!.data as Float32Array;
  }

  sigmas(): Float32Array {
    const s = this.slot('sigma');
    return this.theta.slice(s.offset, s.offset + s.size);
  }

  private slot(name: string): ParamSlot {
    return this.slots.find((s) => s.name === name)!;
  }

  exportWeights(): NamedWeight[] {
    const th = this.theta;
    return this.slots.map((s) => ({ name: s.name, shape: s.shape.slice(), data: th.slice(s.offset, s.offset + s.size) }));
  }

  importWeights(weights: NamedWeight[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const s of this.slots) {
      const w = byName.get(s.name);
      if (!w) throw new Error(`weights file lacks parameter ${s.name}`);
      if (w.shape.join('x') !== s.shape.join('x')) throw new Error(`parameter ${s.name} has shape ${w.shape.join('x')}, expected ${s.shape.join('x')}`);
      if (w.data.length !== s.size) throw new Error(`parameter ${s.name} has ${w.data.length} values, expected ${s.size}`);
    }
    const th = this.theta;
    for (const s of this.slots) th.set(byName.get(s.name)!.data, s.offset);
    this.pool?.state.theta.set(th);
  }

  dispose(): void {
    this.endTraining();
    this.runner.dispose();
    for (const s of this.decodeSessions.values()) s.dispose();
    this.decodeSessions.clear();
    this.data = null;
  }
}

function graphSpec(dataDim: number, spans: EncodedSpan[], cfg: VaeConfig): VaeGraphSpec {
  const tanhMask = new Float32Array(dataDim);
  const softmaxMask = new Float32Array(dataDim);
  const soft = spans.filter((s) => s.kind === 'softmax');
  const nSpans = Math.max(1, soft.length);
  const spanIndicator = new Float32Array(dataDim * nSpans);
  soft.forEach((s, k) => {
    for (let j = s.start; j < s.start + s.width; j++) {
      softmaxMask[j] = 1;
      spanIndicator[j * nSpans + k] = 1;
    }
  });
  for (const s of spans) if (s.kind === 'tanh') tanhMask[s.start] = 1;
  return {
    learnSigma: cfg.learnSigma !== false,
    dataDim,
    embeddingDim: cfg.embeddingDim,
    compressDims: cfg.compressDims,
    decompressDims: cfg.decompressDims,
    lossFactor: cfg.lossFactor,
    l2scale: cfg.l2scale,
    tanhMask,
    softmaxMask,
    spanIndicator,
    nSpans,
  };
}
