/**
 * The sampling graph: the VAE's decoder with its output heads' exponentials, in one onnxruntime call.
 *
 *   z [N, L], theta [P] ──► decoder (ReLU MLP) ──► r [N, D] (raw outputs)
 *                       ──► e = exp(clip(r, ±30) * scale + shift)   [N, D]
 *
 * Unscaled variant (temperature 1, the default): e = exp(clip(r', ±60)) where r' is the decoder's output
 * with the calibration shifts already added to its bias (the caller's theta): two elementwise passes
 * fewer (0.71 -> 0.53 us a row on Adult's DP network), and the clip bounds the exponent itself.
 *
 * For softmax columns scale = 1 / temperature and shift = a calibration bias, so e is the unnormalised
 * softmax weight of each category: the caller (drawFromExp in src/synthesizers/dp-vae/sample/drawHeads.ts)
 * draws each span's category from e by inversion. For tanh columns scale = 1 and shift = 0, and the
 * caller recovers tanh(r) = (e^2 - 1) / (e^2 + 1). The ±30 clip is the training loss's (vaeGraphs.ts).
 *
 * No per-span maximum is subtracted: the caller uses this graph only when |clip(r) * scale + shift|
 * <= 60 is guaranteed (30 * scale + |shift| <= 60), where exp stays a normal float32 (e^±60), and
 * falls back to the raw decoder and a max-subtracted JS draw otherwise (low temperatures).
 *
 * Why exponentials and not the draws themselves: a per-span graph (slice, max, exp, cumsum, compare,
 * count for each of Adult's 21 spans) ran at ~3.6 us a row in onnxruntime, its broadcasts over narrow
 * spans being slow; four elementwise ops over the whole [N, D] matrix plus a JS scan cost a fraction.
 */
import { OnnxGraph } from './OnnxGraph.js';
import { LOGIT_CLIP } from '../logitClip.js';
import { paramCount, vaeParamLayout, type ParamSlot, type VaeGraphSpec } from './vaeGraphs.js';

export type DecoderShape = Pick<VaeGraphSpec, 'dataDim' | 'embeddingDim' | 'compressDims' | 'decompressDims'>;

/** The largest |exponent| the graph's callers may allow (e^60 ~ 1.1e26, e^-60 ~ 8.8e-27: normal float32). */
export const EXP_SAFE = 60;

/**
 * Inputs z [N, L], theta [P], scale [D], shift [D]. Outputs e [N, D] and, when `softmaxSpans` are given,
 * tot [N, spans]: each span's sum of e (one small matMul with a 0/1 span indicator), which saves the
 * caller a pass over every category.
 */
export function buildDrawGraph(net: DecoderShape, softmaxSpans: readonly { start: number; width: number }[] = [], opts: { unscaled?: boolean; theta?: Float32Array } = {}): Uint8Array {
  const g = new OnnxGraph();
  const D = net.dataDim;
  const slots = vaeParamLayout({ ...net, lossFactor: 0, l2scale: 0, learnSigma: true, tanhMask: new Float32Array(D), softmaxMask: new Float32Array(D), spanIndicator: new Float32Array(D), nSpans: 1 });
  const P = paramCount(slots);
  const z = g.input('z', 'float', ['N', net.embeddingDim]);
  // with opts.theta the parameters are constants of the graph (onnxruntime prepacks the matMul weights:
  // 2.9 vs 3.4 us a row with TVAE's 128x128 decoder), else the `theta` input
  if (opts.theta && opts.theta.length !== P) throw new Error(`draw graph: theta has ${opts.theta.length} values, the network ${P}`);
  const theta = opts.theta ? '' : g.input('theta', 'float', [P]);
  // unscaled (temperature 1): no scale or shift inputs; the caller adds the shifts to the output bias in theta
  const scale = opts.unscaled ? '' : g.input('scale', 'float', [D]);
  const shift = opts.unscaled ? '' : g.input('shift', 'float', [D]);
  const param = (name: string): string => {
    const s = slots.find((x) => x.name === name) as ParamSlot;
    if (opts.theta) return g.constF(opts.theta.subarray(s.offset, s.offset + s.size), s.shape, name);
    let v = g.op('Slice', [theta, g.constI64([s.offset]), g.constI64([s.offset + s.size]), g.constI64([0])]);
    if (s.shape.length > 1) v = g.op('Reshape', [v, g.constI64(s.shape)]);
    return v;
  };
  let d = z;
  net.decompressDims.forEach((_, k) => {
    d = g.op('Relu', [g.op('Gemm', [d, param(`dec${k}.W`), param(`dec${k}.b`)])]);
  });
  const r = g.op('Gemm', [d, param('out.W'), param('out.b')]);
  const e = opts.unscaled
    ? g.op('Exp', [g.op('Clip', [r, g.scalar(-EXP_SAFE), g.scalar(EXP_SAFE)])])
    : g.op('Exp', [g.op('Add', [g.op('Mul', [g.op('Clip', [r, g.scalar(-LOGIT_CLIP), g.scalar(LOGIT_CLIP)]), scale]), shift])]);
  g.output(e, 'e', 'float', ['N', D]);
  const S = softmaxSpans.length;
  if (S > 0) {
    const ind = new Float32Array(D * S);
    softmaxSpans.forEach((sp, k) => {
      for (let j = sp.start; j < sp.start + sp.width; j++) ind[j * S + k] = 1;
    });
    g.output(g.op('MatMul', [e, g.constF(ind, [D, S], 'spans')]), 'tot', 'float', ['N', S]);
  }
  return g.toModel('vae_draw');
}
