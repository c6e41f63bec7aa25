/**
 * The VAE engine on @tensorflow/tfjs, with hand-written backpropagation.
 *
 * Why by hand: (1) DP-SGD needs each example's per-layer input a_i and output gradient g_i to
 * compute ghost norms and clip without a backward pass per row; (2) tfjs-wasm's matMul with
 * transposed operands falls back to a naive kernel ~10x slower than XNNPACK's plain matMul, and
 * tfjs's autodiff uses those transposed forms; here every transpose is explicit.
 *
 * Notation (B rows, D encoded columns, L latent): X (B x D) -> h1 -> h2 (ReLU MLP) -> mu, logvar;
 * z = mu + eps * exp(logvar / 2); z -> d1 -> d2 (ReLU MLP) -> r (B x D).
 * Per-row loss l_i = factor * rec_i + kl_i with
 *   rec_i = sum_{tanh cols j} (x_ij - tanh r_ij)^2 / (2 s_j^2) + log s_j  -  sum_{softmax spans} log softmax(r_i)[target]
 *   kl_i  = -1/2 sum_k (1 + logvar_ik - mu_ik^2 - exp(logvar_ik))
 * exactly TVAE's `_loss_function` (sdv-dev/CTGAN tvae.py), which divides the batch sum by B.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Backend } from '../../../nn/backend.js';
import { summarizeLoss, type DpStepOptions, type EncodedSpan, type LossSummary, type NamedWeight, type VaeEngine } from './VaeEngine.js';
import { SIGMA_FIXED, type VaeConfig } from '../VaeConfig.js';
import { Rng } from '../../../rng.js';
import { LOGIT_CLIP } from '../../../nn/logitClip.js';

type T2 = TF.Tensor2D;
type T1 = TF.Tensor1D;

interface Dense {
  W: T2;
  b: T1;
}

const SIGMA_MIN = 0.01;
const SIGMA_MAX = 1.0;

export class TfjsVaeEngine implements VaeEngine {
  readonly backendName: string;
  readonly dataDim: number;
  private readonly tf: typeof TF;
  private readonly cfg: VaeConfig;
  private readonly spans: EncodedSpan[];
  /** Parameters in a fixed order; names are stable (they key the weights file). */
  private params: Map<string, TF.Tensor>;
  private m = new Map<string, TF.Tensor>();
  private v = new Map<string, TF.Tensor>();
  private t = 0;
  private data: T2 | null = null;
  private readonly maskT: T2; // 1 x D: 1 on tanh columns
  private readonly maskS: T2; // 1 x D: 1 on softmax columns
  private readonly S: T2; // D x nSpans indicator of softmax spans
  private readonly ST: T2;
  private lossAcc: TF.Tensor | null = null; // [loss, rec, kl, clipped, rows]
  private stepsAcc = 0;
  private dpSteps = 0;

  constructor(backend: Backend, dataDim: number, spans: EncodedSpan[], cfg: VaeConfig, seed: number) {
    this.tf = backend.tf;
    this.backendName = backend.name;
    this.dataDim = dataDim;
    this.cfg = cfg;
    this.spans = spans;
    const tf = this.tf;
    const mt = new Float32Array(dataDim);
    const ms = new Float32Array(dataDim);
    const soft = spans.filter((s) => s.kind === 'softmax');
    const S = new Float32Array(dataDim * Math.max(1, soft.length));
    soft.forEach((s, k) => {
      for (let j = s.start; j < s.start + s.width; j++) {
        ms[j] = 1;
        S[j * soft.length + k] = 1;
      }
    });
    for (const s of spans) if (s.kind === 'tanh') mt[s.start] = 1;
    this.maskT = tf.tensor2d(mt, [1, dataDim]);
    this.maskS = tf.tensor2d(ms, [1, dataDim]);
    this.S = tf.tensor2d(S, [dataDim, Math.max(1, soft.length)]);
    this.ST = tf.transpose(this.S);
    this.params = this.initParams(seed);
  }

  /** PyTorch nn.Linear's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases. */
  private initParams(seed: number): Map<string, TF.Tensor> {
    const tf = this.tf;
    const rng = new Rng(seed).fork('vae-init');
    const p = new Map<string, TF.Tensor>();
    const dense = (name: string, fin: number, fout: number): void => {
      const bound = 1 / Math.sqrt(fin);
      const w = new Float32Array(fin * fout);
      for (let i = 0; i < w.length; i++) w[i] = (rng.uniform() * 2 - 1) * bound;
      const b = new Float32Array(fout);
      for (let i = 0; i < b.length; i++) b[i] = (rng.uniform() * 2 - 1) * bound;
      p.set(name + '.W', tf.tensor2d(w, [fin, fout]));
      p.set(name + '.b', tf.tensor1d(b));
    };
    let fin = this.dataDim;
    this.cfg.compressDims.forEach((h, k) => {
      dense(`enc${k}`, fin, h);
      fin = h;
    });
    dense('mu', fin, this.cfg.embeddingDim);
    dense('logvar', fin, this.cfg.embeddingDim);
    fin = this.cfg.embeddingDim;
    this.cfg.decompressDims.forEach((h, k) => {
      dense(`dec${k}`, fin, h);
      fin = h;
    });
    dense('out', fin, this.dataDim);
    // a fixed sigma holds its value from the first step on (TVAE's learned one starts at 0.1)
    p.set('sigma', tf.fill([this.dataDim], this.cfg.learnSigma === false ? this.cfg.fixedSigma ?? SIGMA_FIXED : 0.1));
    return p;
  }

  private dense(name: string): Dense {
    return { W: this.params.get(name + '.W') as T2, b: this.params.get(name + '.b') as T1 };
  }

  setData(enc: Float32Array, n: number): void {
    this.data?.dispose();
    this.data = this.tf.tensor2d(enc, [n, this.dataDim]);
  }

  trainStep(rows: Int32Array, seed: number, dp?: DpStepOptions): void {
    if (rows.length === 0 && !dp) return; // nothing to learn from; an empty DP batch still takes a noise step
    const r = this.gradients(rows, seed, dp);
    this.lossAcc?.dispose();
    this.lossAcc = r.acc;
    this.stepsAcc++;
    if (dp) this.dpSteps++;
    this.applyAdam(r.grads);
  }

  /**
   * Gradients of the batch loss (without DP: mean over rows; with DP: clipped per-example sum plus
   * noise, divided by the expected batch size). Exposed for the gradient-check tests.
   */
  computeGradients(rows: Int32Array, seed: number, dp?: DpStepOptions, epsOverride?: Float32Array): Record<string, Float32Array> {
    const r = this.gradients(rows, seed, dp, epsOverride);
    r.acc.dispose();
    const out: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(r.grads)) {
      out[k] = Float32Array.from(t.dataSync());
      t.dispose();
    }
    return out;
  }

  /** `epsOverride` (B x embeddingDim) replaces the seeded reparameterisation noise (engine parity tests). */
  private gradients(rows: Int32Array, seed: number, dp?: DpStepOptions, epsOverride?: Float32Array): { grads: Record<string, TF.Tensor>; acc: TF.Tensor } {
    if (!this.data) throw new Error('setData() first');
    const tf = this.tf;
    const B = rows.length;
    const cfg = this.cfg;
    const factor = cfg.lossFactor;
    if (B === 0) {
      if (!dp) throw new Error('an empty batch has no gradient without DP');
      // An empty Poisson batch: the clipped sum is exactly zero, so the step is pure noise. (XNNPACK
      // returns uninitialised memory for zero-row matMuls, so this case must not reach them.)
      return tf.tidy(() => {
        const out: Record<string, TF.Tensor> = {};
        for (const [name, p] of this.params) out[name] = tf.zeros(p.shape);
        this.addNoise(out, seed, dp);
        const acc = this.lossAcc ? tf.add(this.lossAcc, tf.zeros([5])) : tf.zeros([5]);
        return { grads: out, acc } as unknown as TF.TensorContainer;
      }) as unknown as { grads: Record<string, TF.Tensor>; acc: TF.Tensor };
    }
    const grads = tf.tidy(() => {
      const X = tf.gather(this.data!, tf.tensor1d(rows, 'int32')) as T2;
      const mmT = (a: T2, W: T2): T2 => tf.matMul(a, tf.transpose(W)); // a W^T
      const encLayers = cfg.compressDims.map((_, k) => this.dense(`enc${k}`));
      const decLayers = cfg.decompressDims.map((_, k) => this.dense(`dec${k}`));
      const muL = this.dense('mu');
      const lvL = this.dense('logvar');
      const outL = this.dense('out');
      const sigma = this.params.get('sigma') as T1;

      // ---- forward
      const { inputs: encIn, output: h } = this.reluStack(X, encLayers);
      const mu = tf.add(tf.matMul(h, muL.W), muL.b) as T2;
      const lv = tf.add(tf.matMul(h, lvL.W), lvL.b) as T2;
      const std = tf.exp(tf.mul(lv, 0.5));
      const eps = epsOverride ? tf.tensor2d(epsOverride, [B, cfg.embeddingDim]) : tf.randomNormal([B, cfg.embeddingDim], 0, 1, 'float32', seed);
      const z = tf.add(mu, tf.mul(eps, std)) as T2;
      const { inputs: decIn, output: d } = this.reluStack(z, decLayers);
      const r = tf.add(tf.matMul(d, outL.W), outL.b) as T2;

      // ---- loss pieces (per row)
      const s2 = tf.reshape(sigma, [1, this.dataDim]);
      const t = tf.tanh(r);
      const diff = tf.sub(X, t);
      const inv2s2 = tf.div(0.5, tf.square(s2));
      const recTanh = tf.sum(tf.mul(tf.add(tf.mul(tf.square(diff), inv2s2), tf.log(s2)), this.maskT), 1);
      const rc = tf.clipByValue(r, -LOGIT_CLIP, LOGIT_CLIP);
      const e = tf.mul(tf.exp(rc), this.maskS);
      const denom = tf.add(tf.matMul(tf.matMul(e, this.S), this.ST), tf.sub(1, this.maskS));
      const p = tf.div(e, denom);
      const logp = tf.sub(rc, tf.log(denom));
      const ce = tf.neg(tf.sum(tf.mul(tf.mul(X, this.maskS), logp), 1));
      const rec = tf.add(recTanh, ce);
      const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(mu)), tf.exp(lv)), 1));

      // ---- per-row gradients of l_i (unscaled)
      const invS2 = tf.div(1, tf.square(s2));
      const gTanh = tf.mul(tf.mul(tf.neg(diff), tf.sub(1, tf.square(t))), invS2);
      const gR = tf.mul(tf.add(tf.mul(gTanh, this.maskT), tf.mul(tf.sub(p, X), this.maskS)), factor) as T2;
      // d l_i / d s_j = factor * (-(x-t)^2 / s^3 + 1/s) on tanh columns
      const gSigma = tf.mul(tf.mul(tf.add(tf.neg(tf.div(tf.square(diff), tf.pow(s2, 3))), tf.div(1, s2)), this.maskT), factor) as T2;

      const layerIO: { name: string; a: T2; g: T2 }[] = [];
      layerIO.push({ name: 'out', a: d, g: gR });
      let g = tf.mul(mmT(gR, outL.W), tf.step(d)) as T2;
      for (let k = decLayers.length - 1; k >= 0; k--) {
        layerIO.push({ name: `dec${k}`, a: decIn[k]!, g });
        const gin = mmT(g, decLayers[k]!.W);
        g = k > 0 ? (tf.mul(gin, tf.step(decIn[k]!)) as T2) : gin;
      }
      const gZ = g;
      const gMu = tf.add(gZ, mu) as T2;
      const gLv = tf.add(tf.mul(tf.mul(gZ, eps), tf.mul(std, 0.5)), tf.mul(0.5, tf.sub(tf.exp(lv), 1))) as T2;
      layerIO.push({ name: 'mu', a: h, g: gMu });
      layerIO.push({ name: 'logvar', a: h, g: gLv });
      g = tf.mul(tf.add(mmT(gMu, muL.W), mmT(gLv, lvL.W)), tf.step(h)) as T2;
      for (let k = encLayers.length - 1; k >= 0; k--) {
        layerIO.push({ name: `enc${k}`, a: encIn[k]!, g });
        if (k > 0) g = tf.mul(mmT(g, encLayers[k]!.W), tf.step(encIn[k]!)) as T2;
      }

      // ---- per-row coefficient: 1/B without DP; min(1, C/|grad_i|) with DP
      let coef: T2;
      let clipped: TF.Scalar = tf.scalar(0);
      if (dp) {
        let sq = cfg.learnSigma === false ? tf.zeros([B]) : tf.sum(tf.square(gSigma), 1);
        for (const { a, g: gg } of layerIO) {
          sq = tf.add(sq, tf.mul(tf.add(tf.sum(tf.square(a), 1), 1), tf.sum(tf.square(gg), 1)));
        }
        const norm = tf.sqrt(sq);
        coef = tf.reshape(tf.minimum(1, tf.div(dp.clipNorm, tf.add(norm, 1e-12))), [B, 1]) as T2;
        clipped = tf.sum(tf.cast(tf.greater(norm, dp.clipNorm), 'float32')) as TF.Scalar;
      } else {
        coef = tf.fill([B, 1], 1 / B) as T2;
      }

      const out: Record<string, TF.Tensor> = {};
      for (const { name, a, g: gg } of layerIO) {
        const gs = tf.mul(gg, coef);
        out[name + '.W'] = tf.matMul(tf.transpose(a), gs);
        out[name + '.b'] = tf.sum(gs, 0);
      }
      out['sigma'] = cfg.learnSigma === false ? tf.zeros([this.dataDim]) : tf.sum(tf.mul(gSigma, coef), 0);
      if (dp) this.addNoise(out, seed, dp);
      // running loss: TVAE's reported loss is (factor * sum rec + sum kl) / B
      const recSum = tf.sum(rec);
      const klSum = tf.sum(kl);
      const stepLoss = tf.stack([tf.add(tf.mul(recSum, factor), klSum), recSum, klSum, clipped, tf.scalar(B)]);
      const acc = this.lossAcc ? tf.add(this.lossAcc, stepLoss) : stepLoss;
      return { grads: out, acc } as unknown as TF.TensorContainer;
    }) as unknown as { grads: Record<string, TF.Tensor>; acc: TF.Tensor };
    return grads;
  }

  /**
   * The Gaussian mechanism on the clipped gradient sum: add N(0, sigma^2 C^2) to every coordinate,
   * then divide by the expected batch size q*n (Abadi et al. 2016; Opacus with Poisson sampling).
   * Call inside tf.tidy.
   */
  private addNoise(out: Record<string, TF.Tensor>, seed: number, dp: DpStepOptions): void {
    const tf = this.tf;
    const noiseStd = dp.noiseMultiplier * dp.clipNorm;
    const rng = new Rng(seed).fork('dp-noise');
    for (const name of Object.keys(out)) {
      const gsum = out[name]!;
      const noisy = noiseStd > 0 ? tf.add(gsum, tf.randomNormal(gsum.shape, 0, noiseStd, 'float32', rng.nextU32())) : gsum;
      out[name] = tf.div(noisy, dp.expectedBatchSize);
    }
  }

  /** Adam (PyTorch semantics, L2 weight decay added to the gradient), then clamp sigma. */
  private applyAdam(grads: Record<string, TF.Tensor>): void {
    const tf = this.tf;
    const { learningRate: lr, l2scale } = this.cfg;
    const b1 = 0.9;
    const b2 = 0.999;
    const epsA = 1e-8;
    this.t++;
    const bc1 = 1 - b1 ** this.t;
    const bc2 = 1 - b2 ** this.t;
    const next = tf.tidy(() => {
      const np: Record<string, TF.Tensor> = {};
      const nm: Record<string, TF.Tensor> = {};
      const nv: Record<string, TF.Tensor> = {};
      for (const [name, p] of this.params) {
        if (name === 'sigma' && this.cfg.learnSigma === false) {
          np[name] = tf.fill(p.shape, this.cfg.fixedSigma ?? SIGMA_FIXED); // a constant (see VaeConfig.learnSigma)
          nm[name] = tf.zerosLike(p);
          nv[name] = tf.zerosLike(p);
          continue;
        }
        let g = grads[name]!;
        if (l2scale) g = tf.add(g, tf.mul(p, l2scale));
        const m0 = this.m.get(name);
        const v0 = this.v.get(name);
        const m = m0 ? tf.add(tf.mul(m0, b1), tf.mul(g, 1 - b1)) : tf.mul(g, 1 - b1);
        const v = v0 ? tf.add(tf.mul(v0, b2), tf.mul(tf.square(g), 1 - b2)) : tf.mul(tf.square(g), 1 - b2);
        const upd = tf.div(tf.mul(m, lr / bc1), tf.add(tf.sqrt(tf.div(v, bc2)), epsA));
        let q = tf.sub(p, upd);
        if (name === 'sigma') q = tf.clipByValue(q, SIGMA_MIN, SIGMA_MAX);
        np[name] = q;
        nm[name] = m;
        nv[name] = v;
      }
      return { np, nm, nv } as unknown as TF.TensorContainer;
    }) as unknown as { np: Record<string, TF.Tensor>; nm: Record<string, TF.Tensor>; nv: Record<string, TF.Tensor> };
    for (const g of Object.values(grads)) g.dispose();
    for (const x of this.params.values()) x.dispose();
    for (const x of this.m.values()) x.dispose();
    for (const x of this.v.values()) x.dispose();
    this.params = new Map(Object.entries(next.np));
    this.m = new Map(Object.entries(next.nm));
    this.v = new Map(Object.entries(next.nv));
  }

  takeLoss(): LossSummary {
    const steps = this.stepsAcc;
    if (!this.lossAcc || steps === 0) return { loss: NaN, reconstruction: NaN, kl: NaN, steps: 0 };
    const summary = summarizeLoss(this.lossAcc.dataSync(), steps, this.dpSteps > 0);
    this.lossAcc.dispose();
    this.lossAcc = null;
    this.stepsAcc = 0;
    this.dpSteps = 0;
    return summary;
  }

  sample(n: number, seed: number): Float32Array {
    const tf = this.tf;
    return tf.tidy(() => {
      const z = tf.randomNormal([n, this.cfg.embeddingDim], 0, 1, 'float32', seed) as T2;
      const { output: d } = this.reluStack(z, this.cfg.decompressDims.map((_, k) => this.dense(`dec${k}`)));
      const outL = this.dense('out');
      return tf.add(tf.matMul(d, outL.W), outL.b).dataSync() as Float32Array;
    });
  }

  /** Dense + ReLU layers in turn; returns each layer's input (for backprop) and the last output. Call inside tf.tidy. */
  private reluStack(x: T2, layers: readonly Dense[]): { inputs: T2[]; output: T2 } {
    const tf = this.tf;
    const inputs: T2[] = [];
    let h = x;
    for (const L of layers) {
      inputs.push(h);
      h = tf.relu(tf.add(tf.matMul(h, L.W), L.b)) as T2;
    }
    return { inputs, output: h };
  }

  sigmas(): Float32Array {
    return this.params.get('sigma')!.dataSync() as Float32Array;
  }

  exportWeights(): NamedWeight[] {
    return [...this.params].map(([name, t]) => ({ name, shape: t.shape.slice(), data: Float32Array.from(t.dataSync()) }));
  }

  importWeights(weights: NamedWeight[]): void {
    const tf = this.tf;
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const [name, t] of this.params) {
      const w = byName.get(name);
      if (!w) throw new Error(`weights file lacks parameter ${name}`);
      if (w.shape.join('x') !== t.shape.join('x')) throw new Error(`parameter ${name} has shape ${w.shape.join('x')}, expected ${t.shape.join('x')}`);
    }
    for (const [name, t] of this.params) {
      const w = byName.get(name)!;
      t.dispose();
      this.params.set(name, tf.tensor(w.data, w.shape));
    }
  }

  dispose(): void {
    for (const x of [...this.params.values(), ...this.m.values(), ...this.v.values()]) x.dispose();
    this.data?.dispose();
    this.lossAcc?.dispose();
    this.maskT.dispose();
    this.maskS.dispose();
    this.S.dispose();
    this.ST.dispose();
  }
}
