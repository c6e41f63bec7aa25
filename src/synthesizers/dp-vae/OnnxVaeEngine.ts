/**
 * The VAE engine on onnxruntime-node: TfjsVaeEngine's model, gradients, DP-SGD step and Adam,
 * written as ONNX graphs (src/nn/onnx/vaeGraphs.ts) that onnxruntime runs with MLAS's matMuls.
 *
 *   JS: gather the batch rows, draw eps (and DP noise) from the seeded Rng
 *     ──► one session.run: forward, backward, (clipping, noise,) flat gradient
 *     ──► JS: Adam over the flat vectors in one pass, sigma clamp
 *
 * Parameters and Adam moments live in JS as flat Float32Arrays laid out by `vaeParamLayout`
 * (TfjsVaeEngine's names and order), so weights files are interchangeable between the engines.
 * The parameter vector is fed to onnxruntime without a copy; the gradient comes back as one
 * parameter-sized array (onnxruntime-node copies outputs, see vaeGraphs.ts). Results are deterministic for a seed, but
 * not equal to TfjsVaeEngine's for the same seed: the engines draw eps with different generators.
 */
import { Rng } from '../../rng.js';
import { loadOrt, type Ort, type OrtSession, type OrtTensor } from '../../nn/onnx/runtime.js';
import { fillNormalFast } from '../../nn/onnx/normals.js';
import {
  buildDecodeGraph,
  buildGradGraph,
  paramCount,
  SIGMA_MAX,
  SIGMA_MIN,
  vaeParamLayout,
  type ParamSlot,
  type VaeGraphSpec,
} from '../../nn/onnx/vaeGraphs.js';
import { summarizeLoss, type DpStepOptions, type EncodedSpan, type LossSummary, type NamedWeight, type VaeEngine } from './VaeEngine.js';
import { SIGMA_FIXED, type VaeConfig } from './VaeConfig.js';

export interface OnnxEngineOptions {
  /** onnxruntime intra-op threads (default: PRIVSYNTH_ORT_THREADS, else 1). */
  threads?: number;
}

type SessionKind = 'grad' | 'gradDp' | 'decode';

const ADAM_B1 = 0.9;
const ADAM_B2 = 0.999;
const ADAM_EPS = 1e-8;

export class OnnxVaeEngine implements VaeEngine {
  readonly backendName = 'onnxruntime-cpu';
  readonly dataDim: number;
  readonly threads: number;
  private readonly ort: Ort;
  private readonly cfg: VaeConfig;
  private readonly spec: VaeGraphSpec;
  private readonly slots: ParamSlot[];
  private readonly P: number;
  private readonly sigmaSlot: ParamSlot;
  private readonly sessions = new Map<SessionKind, OrtSession>();
  /** Parameters and Adam moments, flat (vaeParamLayout order). */
  private readonly theta: Float32Array;
  private readonly mom1: Float32Array;
  private readonly mom2: Float32Array;
  private readonly thetaT: OrtTensor;
  private t = 0;
  private data: Float32Array | null = null;
  private nRows = 0;
  private xBuf = new Float32Array(0);
  private epsBuf = new Float32Array(0);
  private readonly noiseBuf: Float32Array;
  private readonly noiseT: OrtTensor;
  private readonly zeroNoiseT: OrtTensor;
  private readonly stats = new Float32Array(4);
  private readonly statsT: OrtTensor;
  private readonly scalars: Record<'invB' | 'clip' | 'invE', { buf: Float32Array; t: OrtTensor }>;
  /** [loss, rec, kl, clipped, rows] summed since takeLoss(). */
  private readonly acc = new Float64Array(5);
  private stepsAcc = 0;
  private dpSteps = 0;

  /** Throws when onnxruntime-node cannot be loaded (createVaeEngine catches that). */
  constructor(dataDim: number, spans: EncodedSpan[], cfg: VaeConfig, seed: number, opts: OnnxEngineOptions = {}) {
    this.ort = loadOrt();
    this.dataDim = dataDim;
    this.cfg = cfg;
    const envThreads = Number(process.env.PRIVSYNTH_ORT_THREADS);
    this.threads = opts.threads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : 1);
    this.spec = graphSpec(dataDim, spans, cfg);
    this.slots = vaeParamLayout(this.spec);
    this.P = paramCount(this.slots);
    this.sigmaSlot = this.slot('sigma');
    const P = this.P;
    const T = (a: Float32Array, dims: number[] = [a.length]): OrtTensor => new this.ort.Tensor('float32', a, dims);
    this.theta = new Float32Array(P);
    this.mom1 = new Float32Array(P);
    this.mom2 = new Float32Array(P);
    this.thetaT = T(this.theta);
    this.noiseBuf = new Float32Array(P);
    this.noiseT = T(this.noiseBuf);
    this.zeroNoiseT = T(new Float32Array(P));
    this.statsT = T(this.stats);
    const scalar = () => {
      const buf = new Float32Array(1);
      return { buf, t: T(buf, []) };
    };
    this.scalars = { invB: scalar(), clip: scalar(), invE: scalar() };
    this.initParams(seed);
  }

  /** PyTorch nn.Linear's default init, drawn exactly as TfjsVaeEngine draws it (same seed, same weights). */
  private initParams(seed: number): void {
    const rng = new Rng(seed).fork('vae-init');
    const th = this.theta;
    for (const s of this.slots) {
      if (s.name === 'sigma') {
        th.fill(0.1, s.offset, s.offset + s.size);
        continue;
      }
      const fin = s.name.endsWith('.W') ? s.shape[0]! : this.slots.find((w) => w.name === s.name.replace(/\.b$/, '.W'))!.shape[0]!;
      const bound = 1 / Math.sqrt(fin);
      for (let i = 0; i < s.size; i++) th[s.offset + i] = (rng.uniform() * 2 - 1) * bound;
    }
  }

  private session(kind: SessionKind): OrtSession {
    let s = this.sessions.get(kind);
    if (!s) {
      const model = kind === 'decode' ? buildDecodeGraph(this.spec) : buildGradGraph(this.spec, { dp: kind === 'gradDp' });
      s = this.ort.createSession(model, { intraOpNumThreads: this.threads });
      this.sessions.set(kind, s);
    }
    return s;
  }

  /** Build the non-DP training session (otherwise built on first use). */
  prepare(): void {
    this.session('grad');
  }

  setData(enc: Float32Array, n: number): void {
    if (enc.length < n * this.dataDim) throw new Error(`setData: ${enc.length} values cannot hold ${n} rows of ${this.dataDim}`);
    this.data = enc; // kept by reference, not copied
    this.nRows = n;
  }

  /** Gather the batch rows and draw eps; returns the X and eps tensors. */
  private batchInputs(rows: Int32Array, seed: number, epsOverride?: Float32Array): { X: OrtTensor; eps: OrtTensor } {
    if (!this.data) throw new Error('setData() first');
    const B = rows.length;
    const D = this.dataDim;
    const L = this.cfg.embeddingDim;
    if (this.xBuf.length < B * D) this.xBuf = new Float32Array(B * D);
    if (this.epsBuf.length < B * L) this.epsBuf = new Float32Array(B * L);
    const x = this.xBuf.subarray(0, B * D);
    for (let i = 0; i < B; i++) {
      const r = rows[i]!;
      if (!(r >= 0 && r < this.nRows)) throw new RangeError(`row ${r} is outside the ${this.nRows} rows given to setData`);
      x.set(this.data.subarray(r * D, (r + 1) * D), i * D);
    }
    let eps: Float32Array = this.epsBuf.subarray(0, B * L);
    if (epsOverride) {
      if (epsOverride.length !== B * L) throw new Error(`epsOverride must hold ${B} x ${L} values`);
      eps = epsOverride;
    } else {
      fillNormalFast(new Rng(seed).fork('eps'), eps);
    }
    return { X: new this.ort.Tensor('float32', x, [B, D]), eps: new this.ort.Tensor('float32', eps, [B, L]) };
  }

  private feeds(rows: Int32Array, seed: number, dp: DpStepOptions | undefined, epsOverride?: Float32Array): Record<string, OrtTensor> {
    const B = rows.length;
    if (B === 0 && !dp) throw new Error('an empty batch has no gradient without DP');
    const { X, eps } = this.batchInputs(rows, seed, epsOverride);
    const f: Record<string, OrtTensor> = { X, eps, theta: this.thetaT };
    const sc = this.scalars;
    if (dp) {
      const noiseStd = dp.noiseMultiplier * dp.clipNorm;
      if (noiseStd > 0) fillNormalFast(new Rng(seed).fork('dp-noise'), this.noiseBuf, noiseStd);
      f.noise = noiseStd > 0 ? this.noiseT : this.zeroNoiseT;
      sc.clip.buf[0] = dp.clipNorm;
      sc.invE.buf[0] = 1 / dp.expectedBatchSize;
      f.clip = sc.clip.t;
      f.invE = sc.invE.t;
    } else {
      sc.invB.buf[0] = 1 / B;
      f.invB = sc.invB.t;
    }
    return f;
  }

  /**
   * One Adam step. `epsOverride` (B x embeddingDim, row-major) replaces the seeded
   * reparameterisation noise; the parity tests use it to feed both engines the same eps.
   */
  trainStep(rows: Int32Array, seed: number, dp?: DpStepOptions, epsOverride?: Float32Array): void {
    if (rows.length === 0 && !dp) return; // nothing to learn from; an empty DP batch still takes a noise step
    const f = this.feeds(rows, seed, dp, epsOverride);
    const r = this.session(dp ? 'gradDp' : 'grad').run(f, { grad: null, stats: this.statsT });
    this.adam(r.grad!.data as Float32Array);
    this.accumulate(rows.length);
    if (dp) this.dpSteps++;
  }

  /**
   * Adam with PyTorch semantics (L2 weight decay added to the gradient; bias-corrected moments;
   * eps added to sqrt(v_hat)), then sigma clamped to [SIGMA_MIN, SIGMA_MAX]: TfjsVaeEngine's
   * applyAdam, in one pass over the flat vectors.
   */
  private adam(G: Float32Array): void {
    this.t++;
    const { learningRate: lr, l2scale: l2 } = this.cfg;
    const lrc = lr / (1 - ADAM_B1 ** this.t);
    const invBc2 = 1 / (1 - ADAM_B2 ** this.t);
    const th = this.theta;
    const m = this.mom1;
    const v = this.mom2;
    const n = this.P;
    for (let i = 0; i < n; i++) {
      const p = th[i]!;
      const g = G[i]! + p * l2;
      const mi = m[i]! * ADAM_B1 + g * (1 - ADAM_B1);
      const vi = v[i]! * ADAM_B2 + g * g * (1 - ADAM_B2);
      m[i] = mi;
      v[i] = vi;
      th[i] = p - (mi * lrc) / (Math.sqrt(vi * invBc2) + ADAM_EPS);
    }
    const sg = this.sigmaSlot;
    if (this.cfg.learnSigma === false) {
      // a constant: undo Adam's move (its gradient is zero, but noise and weight decay would move it)
      for (let j = sg.offset; j < sg.offset + sg.size; j++) {
        th[j] = this.cfg.fixedSigma ?? SIGMA_FIXED;
        m[j] = 0;
        v[j] = 0;
      }
      return;
    }
    for (let j = sg.offset; j < sg.offset + sg.size; j++) th[j] = Math.min(SIGMA_MAX, Math.max(SIGMA_MIN, th[j]!));
  }

  private accumulate(rows: number): void {
    const s = this.stats;
    this.acc[0] += s[0]!;
    this.acc[1] += s[1]!;
    this.acc[2] += s[2]!;
    this.acc[3] += s[3]!;
    this.acc[4] += rows;
    this.stepsAcc++;
  }

  /**
   * Gradients of the batch loss (without DP the mean over rows; with DP the clipped per-example
   * sum plus noise over the expected batch size), by parameter name. For tests.
   */
  computeGradients(rows: Int32Array, seed: number, dp?: DpStepOptions, epsOverride?: Float32Array): Record<string, Float32Array> {
    const f = this.feeds(rows, seed, dp, epsOverride);
    const r = this.session(dp ? 'gradDp' : 'grad').run(f, { grad: null, stats: this.statsT });
    const G = r.grad!.data as Float32Array;
    const out: Record<string, Float32Array> = {};
    for (const s of this.slots) out[s.name] = G.slice(s.offset, s.offset + s.size);
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
    const r = this.session('decode').run(
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
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
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
