/**
 * Sampling from a fitted VAE, in typed form and fast.
 *
 *   rng ──► z ~ N(0, I) [n x L], u ~ U(0, 1) [n x softmax spans]
 *       ──► DrawSource: decoder + output heads ──► compact draws [n x spans] (tanh value | category index)
 *       ──► TableEncoder.decodeDraws (+ output sigma noise, calibration transport, rounding)
 *       ──► DecodedColumn[] (Float64Array numbers, Int32Array category codes)
 *
 * Two draw sources compute the same thing: onnxruntime running src/nn/onnx/drawGraph.ts (default), and
 * plain JS (a float32 MLP + drawHeads) where onnxruntime cannot load. Given the same rng they consume
 * the same z and u, so they agree up to float rounding (tested). The sampler is built from the
 * weights alone (no training engine), so worker threads can each build one from a model file.
 *
 * Randomness: a batch's rng is forked into 'z', 'u' and 'decode'; callers give each batch its own rng
 * (derived from the seed and the batch index), so output does not depend on how batches are scheduled.
 */
import type { Rng } from '../../../rng.js';
import { fillStandardNormal } from '../../../random/fillStandardNormal.js';
import { fillUniformFast } from '../../../random/fillUniformFast.js';
import { loadOrt, type Ort, type OrtSession, type OrtTensor } from '../../../nn/onnx/runtime.js';
import { buildDrawGraph, EXP_SAFE } from '../../../nn/onnx/drawGraph.js';
import { LOGIT_CLIP } from '../../../nn/logitClip.js';
import { buildDecodeGraph, paramCount, vaeParamLayout, type VaeGraphSpec } from '../../../nn/onnx/vaeGraphs.js';
import type { TableEncoder } from '../../../transformers/TableEncoder.js';
import type { DecodedColumn } from '../../../transformers/DecodedColumn.js';
import type { EncodedSpan, NamedWeight } from '../engine/VaeEngine.js';
import type { VaeConfig } from '../VaeConfig.js';
import { drawFromExp, drawHeads, identityOrder, scanOrder } from './drawHeads.js';
import { createHeadsKernel, type HeadsKernel } from '../../../kernels/headsKernel.js';

export interface HeadSettings {
  /** 1 (default) = the model's distribution; 0 = argmax (TVAE). */
  temperature: number;
  /** Added to the logits, one per encoded column (calibration); zeros by default. */
  bias: Float32Array;
  /** Scan order of each span's categories (drawHeads.scanOrder), fixed by the model and its calibration. */
  order: Int32Array;
}

/** Decoder + heads: compact draws for n rows from the given z and u. */
export interface DrawSource {
  readonly name: 'onnxruntime' | 'js';
  /** z: n x L; u: n x softmax spans (ignored for argmax). Returns n x spans draws. */
  draw(z: Float32Array, u: Float32Array, n: number, heads: HeadSettings): Float32Array;
  /** The decoder's raw outputs (pre-activation), n x D. */
  raw(z: Float32Array, n: number): Float32Array;
  /** exp(clip(r, ±30)) of the raw outputs, n x D (calibration's pilot works from these). */
  exps(z: Float32Array, n: number): Float32Array;
  dispose(): void;
}

/** Where a numeric value of a column is moved before rounding (calibration), with its rng. */
export type Transport = (column: string, values: Float64Array, rng: Rng) => void;

export interface VaeSamplerOptions {
  temperature?: number;
  /** 'auto' (default): onnxruntime when it loads, else JS. */
  source?: 'auto' | 'onnxruntime' | 'js';
  /** onnxruntime intra-op threads (default 1). */
  threads?: number;
}

export class VaeSampler {
  readonly encoder: TableEncoder;
  readonly config: VaeConfig;
  readonly source: DrawSource;
  readonly spans: readonly EncodedSpan[];
  readonly softmaxSpans: number;
  readonly heads: HeadSettings;
  /** Sigma of each span's output noise (tanh spans; TVAE's learned or the fixed sigma). */
  readonly spanSigmas: Float32Array;
  /** The calibration transport of numeric values (setCalibration), if any. */
  transport: Transport | undefined;

  constructor(encoder: TableEncoder, config: VaeConfig, weights: readonly NamedWeight[], opts: VaeSamplerOptions = {}) {
    const temperature = opts.temperature ?? 1;
    if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new RangeError(`temperature must be a finite number >= 0, got ${temperature}`);
    this.encoder = encoder;
    this.config = config;
    this.spans = encoder.spans as EncodedSpan[];
    this.softmaxSpans = this.spans.filter((s) => s.kind === 'softmax').length;
    this.heads = { temperature, bias: new Float32Array(encoder.width), order: identityOrder(this.spans, encoder.width) };
    const net = { dataDim: encoder.width, embeddingDim: config.embeddingDim, compressDims: config.compressDims, decompressDims: config.decompressDims };
    const theta = flatTheta(net, weights);
    const sigma = weights.find((w) => w.name === 'sigma')?.data;
    this.spanSigmas = new Float32Array(this.spans.length);
    this.spans.forEach((s, k) => {
      if (s.kind === 'tanh') this.spanSigmas[k] = sigma ? sigma[s.start]! : 0;
    });
    const want = opts.source ?? 'auto';
    let source: DrawSource | null = null;
    if (want !== 'js') {
      try {
        source = new OrtDrawSource(loadOrt(), net, this.spans, theta, opts.threads ?? 1);
      } catch (e) {
        if (want === 'onnxruntime') throw e;
      }
    }
    this.source = source ?? new JsDrawSource(net, this.spans, theta);
    // the decoder's logits at the latent mean z = 0 order each span's categories for the draws (the JS
    // decoder for every source, so that all of them scan in the same order)
    this.meanLogits = jsDecode(net, theta, new Float32Array(config.embeddingDim), 1);
    this.heads.order = scanOrder(this.meanLogits, this.spans, encoder.width);
  }

  private readonly meanLogits: Float32Array;

  /** Calibration: logit shifts per encoded column and a transport of numeric values (see calibration.ts). */
  setCalibration(bias: Float32Array | null, transport: Transport | undefined): void {
    this.heads.bias = bias ? Float32Array.from(bias) : new Float32Array(this.encoder.width);
    this.heads.order = scanOrder(this.meanLogits.map((r, j) => r + this.heads.bias[j]!), this.spans, this.encoder.width);
    this.transport = transport;
  }

  /** z and u of a batch, from its rng. */
  latents(n: number, rng: Rng): { z: Float32Array; u: Float32Array } {
    const z = fillStandardNormal(rng.fork('z'), new Float32Array(n * this.config.embeddingDim));
    const u = fillUniformFast(rng.fork('u'), new Float32Array(n * this.softmaxSpans));
    return { z, u };
  }

  /** Compact draws of a batch (n x spans). */
  draws(n: number, rng: Rng): Float32Array {
    const { z, u } = this.latents(n, rng);
    return this.source.draw(z, u, n, this.heads);
  }

  /** One batch of n rows as typed columns (encoder column order). */
  drawBatch(n: number, rng: Rng, transport: Transport | undefined = this.transport): DecodedColumn[] {
    const d = this.draws(n, rng);
    return this.encoder.decodeDraws(d, n, rng.fork('decode'), { spanSigmas: this.spanSigmas, transport });
  }

  dispose(): void {
    this.source.dispose();
  }
}

/**
 * Rows per onnxruntime call: its matMuls ran ~15% faster per row on 2,000-row inputs than on 10,000
 * (activations of 10,000 x 128 floats no longer fit a core's L2 cache).
 */
const CHUNK = 2048;

type NetShape = Pick<VaeGraphSpec, 'dataDim' | 'embeddingDim' | 'compressDims' | 'decompressDims'>;

/** A full graph spec for the decoder-only graphs (the loss fields are not read by them). */
function fullSpec(net: NetShape): VaeGraphSpec {
  const D = net.dataDim;
  return { ...net, lossFactor: 0, l2scale: 0, learnSigma: true, tanhMask: new Float32Array(D), softmaxMask: new Float32Array(D), spanIndicator: new Float32Array(D), nSpans: 1 };
}

/** The parameters flat in vaeParamLayout order (the onnxruntime graphs' `theta`). */
export function flatTheta(net: NetShape, weights: readonly NamedWeight[]): Float32Array {
  const slots = vaeParamLayout(fullSpec(net));
  const theta = new Float32Array(paramCount(slots));
  const byName = new Map(weights.map((w) => [w.name, w]));
  for (const s of slots) {
    const w = byName.get(s.name);
    if (!w) throw new Error(`the weights lack parameter ${s.name}`);
    if (w.shape.join('x') !== s.shape.join('x')) throw new Error(`parameter ${s.name} has shape ${w.shape.join('x')}, expected ${s.shape.join('x')}`);
    if (w.data.length !== s.size) throw new Error(`parameter ${s.name} has ${w.data.length} values, expected ${s.size}`);
    theta.set(w.data, s.offset);
  }
  return theta;
}

class OrtDrawSource implements DrawSource {
  readonly name = 'onnxruntime' as const;
  private readonly sessions = new Map<string, OrtSession>();
  private readonly thetaT: OrtTensor;
  private readonly scale: Float32Array;
  private readonly shift: Float32Array;
  private readonly scaleT: OrtTensor;
  private readonly shiftT: OrtTensor;
  private readonly outputs = new Map<number, { e: Float32Array; tot: Float32Array; fetches: Record<string, OrtTensor> }>();
  /** The heads' draws in WebAssembly (null: drawFromExp in JS); the 'draw' graph writes into its memory. */
  private readonly kernel: HeadsKernel | null;

  constructor(
    private readonly ort: Ort,
    private readonly net: NetShape,
    private readonly spans: readonly EncodedSpan[],
    private readonly theta: Float32Array,
    private readonly threads: number,
  ) {
    this.thetaT = new ort.Tensor('float32', theta, [theta.length]);
    this.scale = new Float32Array(net.dataDim);
    this.shift = new Float32Array(net.dataDim);
    this.scaleT = new ort.Tensor('float32', this.scale, [net.dataDim]);
    this.shiftT = new ort.Tensor('float32', this.shift, [net.dataDim]);
    this.session('draw'); // fail here (and fall back) rather than mid-sampling
    this.kernel = createHeadsKernel(spans, net.dataDim, CHUNK); // null: PRIVSYNTH_NO_WASM or no WebAssembly
  }

  private session(kind: 'draw' | 'exps' | 'raw'): OrtSession {
    let s = this.sessions.get(kind);
    if (!s) {
      const soft = this.spans.filter((x) => x.kind === 'softmax');
      const model =
        kind === 'draw' ? buildDrawGraph(this.net, soft) : kind === 'exps' ? buildDrawGraph(this.net) : buildDecodeGraph(fullSpec(this.net));
      s = this.ort.createSession(model, { intraOpNumThreads: this.threads });
      this.sessions.set(kind, s);
    }
    return s;
  }

  draw(z: Float32Array, u: Float32Array, n: number, heads: HeadSettings): Float32Array {
    if (n === 0) return new Float32Array(0);
    const argmax = heads.temperature === 0;
    const invT = argmax ? 1 : 1 / heads.temperature;
    let maxShift = 0;
    this.scale.fill(1);
    this.shift.fill(0);
    for (const s of this.spans) {
      if (s.kind !== 'softmax') continue;
      for (let j = s.start; j < s.start + s.width; j++) {
        this.scale[j] = invT;
        this.shift[j] = heads.bias[j]!;
        maxShift = Math.max(maxShift, Math.abs(heads.bias[j]!));
      }
    }
    // temperature 1: the unscaled graph, with the shifts in theta's output bias
    const unscaled = !argmax && invT === 1;
    if (unscaled) this.unscaledSession(heads.bias);
    else if (LOGIT_CLIP * invT + maxShift > EXP_SAFE) {
      // low temperature: exp could overflow without a per-span maximum; draw from the raw outputs
      return drawHeads(this.raw(z, n), n, this.net.dataDim, this.spans, u, { invT, argmax, bias: heads.bias, order: heads.order });
    }
    const S = this.spans.length;
    const nSoft = this.spans.filter((x) => x.kind === 'softmax').length;
    const L = this.net.embeddingDim;
    const out = new Float32Array(n * S);
    for (let a = 0; a < n; a += CHUNK) {
      const m = Math.min(CHUNK, n - a);
      const r = this.runExp(unscaled ? 'draw1' : 'draw', z.subarray(a * L, (a + m) * L), m);
      const ua = u.subarray(a * nSoft, (a + m) * nSoft);
      if (this.kernel && !argmax) out.set(this.kernel.draw(m, ua, heads.order), a * S);
      else drawFromExp(r.e, m, this.net.dataDim, this.spans, ua, argmax, r.tot, out.subarray(a * S, (a + m) * S), heads.order);
    }
    return out;
  }

  /**
   * A draw graph on m rows with the current scale and shift: e, and with 'draw' the span totals. The
   * 'draw' outputs go into tensors kept per row count (a batch has at most two: CHUNK and its
   * remainder), so no output is allocated per call; they are overwritten by the next call.
   */
  /**
   * The unscaled draw graph (temperature 1) with theta as constants, the shifts of the softmax columns
   * added to the output bias (float32 sums); built once per bias array (calibration).
   */
  private unscaledSession(bias: Float32Array): OrtSession {
    if (this.shifted?.bias !== bias) {
      const th = Float32Array.from(this.theta);
      const ob = vaeParamLayout(fullSpec(this.net)).find((s) => s.name === 'out.b')!;
      for (const s of this.spans) if (s.kind === 'softmax') for (let j = s.start; j < s.start + s.width; j++) th[ob.offset + j] = th[ob.offset + j]! + bias[j]!;
      this.shifted?.session.dispose();
      const soft = this.spans.filter((x) => x.kind === 'softmax');
      this.shifted = { bias, session: this.ort.createSession(buildDrawGraph(this.net, soft, { unscaled: true, theta: th }), { intraOpNumThreads: this.threads }) };
    }
    return this.shifted.session;
  }

  private shifted: { bias: Float32Array; session: OrtSession } | null = null;

  private runExp(kind: 'draw' | 'draw1' | 'exps', z: Float32Array, m: number): { e: Float32Array; tot?: Float32Array } {
    const D = this.net.dataDim;
    const zT = new this.ort.Tensor('float32', z, [m, this.net.embeddingDim]);
    const feeds: Record<string, OrtTensor> = kind === 'draw1' ? { z: zT } : { z: zT, theta: this.thetaT, scale: this.scaleT, shift: this.shiftT };
    if (kind === 'exps') return { e: this.session(kind).run(feeds, { e: null }).e!.data as Float32Array };
    const nSoft = this.spans.filter((x) => x.kind === 'softmax').length;
    let o = this.outputs.get(m);
    if (!o) {
      if (this.outputs.size >= 4) this.outputs.clear();
      // with the kernel, views of its memory (the graph writes where the kernel reads)
      const e = this.kernel ? this.kernel.e(m) : new Float32Array(m * D);
      const tot = this.kernel ? this.kernel.tot(m) : new Float32Array(m * Math.max(1, nSoft));
      o = { e, tot, fetches: { e: new this.ort.Tensor('float32', e, [m, D]), ...(nSoft ? { tot: new this.ort.Tensor('float32', tot, [m, nSoft]) } : {}) } };
      this.outputs.set(m, o);
    }
    (kind === 'draw1' ? this.shifted!.session : this.session(kind)).run(feeds, o.fetches);
    return { e: o.e, ...(nSoft ? { tot: o.tot } : {}) };
  }

  exps(z: Float32Array, n: number): Float32Array {
    this.scale.fill(1);
    this.shift.fill(0);
    const D = this.net.dataDim;
    const L = this.net.embeddingDim;
    const out = new Float32Array(n * D);
    for (let a = 0; a < n; a += CHUNK) {
      const m = Math.min(CHUNK, n - a);
      out.set(this.runExp('exps', z.subarray(a * L, (a + m) * L), m).e, a * D);
    }
    return out;
  }

  raw(z: Float32Array, n: number): Float32Array {
    if (n === 0) return new Float32Array(0);
    return this.session('raw').run({ z: new this.ort.Tensor('float32', z, [n, this.net.embeddingDim]), theta: this.thetaT }, { y: null }).y!.data as Float32Array;
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.shifted?.session.dispose();
    this.shifted = null;
  }
}

class JsDrawSource implements DrawSource {
  readonly name = 'js' as const;
  constructor(
    private readonly net: NetShape,
    private readonly spans: readonly EncodedSpan[],
    private readonly theta: Float32Array,
  ) {}

  draw(z: Float32Array, u: Float32Array, n: number, heads: HeadSettings): Float32Array {
    const r = this.raw(z, n);
    const argmax = heads.temperature === 0;
    return drawHeads(r, n, this.net.dataDim, this.spans, u, { invT: argmax ? 1 : 1 / heads.temperature, argmax, bias: heads.bias, order: heads.order });
  }

  raw(z: Float32Array, n: number): Float32Array {
    return jsDecode(this.net, this.theta, z, n);
  }

  exps(z: Float32Array, n: number): Float32Array {
    const r = this.raw(z, n);
    for (let i = 0; i < r.length; i++) r[i] = Math.exp(Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, r[i]!)));
    return r;
  }

  dispose(): void {}
}

/** The decoder in plain JS (float32 storage, float64 accumulation per output): ReLU layers, then the output layer. */
export function jsDecode(net: NetShape, theta: Float32Array, z: Float32Array, n: number): Float32Array {
  const slots = vaeParamLayout(fullSpec(net));
  const slot = (name: string) => slots.find((s) => s.name === name)!;
  let h = z;
  let fin = net.embeddingDim;
  const layers = [...net.decompressDims.map((_, k) => `dec${k}`), 'out'];
  layers.forEach((name, li) => {
    const W = slot(`${name}.W`);
    const b = slot(`${name}.b`);
    const fout = W.shape[1]!;
    const out = new Float32Array(n * fout);
    const acc = new Float64Array(fout);
    const relu = li < layers.length - 1;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < fout; j++) acc[j] = theta[b.offset + j]!;
      for (let k = 0; k < fin; k++) {
        const a = h[i * fin + k]!;
        if (a === 0) continue;
        const row = W.offset + k * fout;
        for (let j = 0; j < fout; j++) acc[j] += a * theta[row + j]!;
      }
      for (let j = 0; j < fout; j++) out[i * fout + j] = relu && acc[j]! < 0 ? 0 : acc[j]!;
    }
    h = out;
    fin = fout;
  });
  return h;
}
