/**
 * The TVAE model, its hand-written backward pass, DP-SGD clipping and Adam, as ONNX graphs.
 *
 * The arithmetic is TfjsVaeEngine's, op for op where it matters (see that file for the
 * derivation); this file only lays it out for onnxruntime:
 *
 *   theta (all parameters, one flat float32 vector, fixed order) ─► Slice/Reshape per parameter
 *   X (B x D), eps (B x L) ─► encoder ─► mu, logvar ─► z ─► decoder ─► r ─► per-row loss pieces
 *                          ─► per-row output gradients g_i of each dense layer (backward)
 *   no DP: the loss seeds are scaled by 1/B up front, so weight gradients are plain a^T g
 *   DP:    ghost norms |grad_i|^2 = sum_layers (|a_i|^2 + 1) |g_i|^2 + |dsigma_i|^2,
 *          coef_i = min(1, C / (|grad_i| + 1e-12)), weight gradients a^T (coef * g): the clipped sum
 *
 * The graph sees one shard of a batch (OnnxVaeEngine splits each batch into a fixed number of
 * shards and sums their outputs): the 1/B scaling uses the whole batch's B (an input), and the DP
 * noise and the division by E[B] are applied once, after the sum, with Adam in JS
 * (src/synthesizers/dp-vae/engine/onnxShards.ts). The parameters stay one flat vector in JS; the training
 * graph takes each as its own input and writes each gradient as its own output (views of the flat
 * vectors, see gradInputName/gradOutputName), which saves slicing theta and concatenating the
 * gradient on every run (~0.4 ms a 500-row step). The decode graph takes the flat theta.
 */
import { OnnxGraph } from './OnnxGraph.js';
import { LOGIT_CLIP } from '../logitClip.js';

export interface VaeGraphSpec {
  dataDim: number;
  embeddingDim: number;
  compressDims: number[];
  decompressDims: number[];
  lossFactor: number;
  l2scale: number;
  /** 1 on the value column of each tanh span (length dataDim). */
  tanhMask: Float32Array;
  /** false: sigma is a constant (zero gradient, not in the per-example norm). */
  learnSigma: boolean;
  /** 1 on every column of a softmax span (length dataDim). */
  softmaxMask: Float32Array;
  /** dataDim x nSpans indicator of softmax spans (row-major); nSpans >= 1. */
  spanIndicator: Float32Array;
  nSpans: number;
}

export interface ParamSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

export const SIGMA_MIN = 0.01;
export const SIGMA_MAX = 1.0;

/** The parameters in TfjsVaeEngine's order (names key the weights file), packed end to end. */
export function vaeParamLayout(spec: VaeGraphSpec): ParamSlot[] {
  const slots: ParamSlot[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]): void => {
    const size = shape.reduce((a, b) => a * b, 1);
    slots.push({ name, shape, offset, size });
    offset += size;
  };
  const dense = (name: string, fin: number, fout: number): void => {
    add(name + '.W', [fin, fout]);
    add(name + '.b', [fout]);
  };
  let fin = spec.dataDim;
  spec.compressDims.forEach((h, k) => {
    dense(`enc${k}`, fin, h);
    fin = h;
  });
  dense('mu', fin, spec.embeddingDim);
  dense('logvar', fin, spec.embeddingDim);
  fin = spec.embeddingDim;
  spec.decompressDims.forEach((h, k) => {
    dense(`dec${k}`, fin, h);
    fin = h;
  });
  dense('out', fin, spec.dataDim);
  add('sigma', [spec.dataDim]);
  return slots;
}

export function paramCount(slots: ParamSlot[]): number {
  const last = slots[slots.length - 1]!;
  return last.offset + last.size;
}

interface Dense {
  W: string;
  b: string;
}

/** Small helpers over an OnnxGraph. */
class Ops {
  constructor(readonly g: OnnxGraph) {}
  add = (a: string, b: string): string => this.g.op('Add', [a, b]);
  sub = (a: string, b: string): string => this.g.op('Sub', [a, b]);
  mul = (a: string, b: string): string => this.g.op('Mul', [a, b]);
  div = (a: string, b: string): string => this.g.op('Div', [a, b]);
  exp = (a: string): string => this.g.op('Exp', [a]);
  log = (a: string): string => this.g.op('Log', [a]);
  sqrt = (a: string): string => this.g.op('Sqrt', [a]);
  neg = (a: string): string => this.g.op('Neg', [a]);
  relu = (a: string): string => this.g.op('Relu', [a]);
  c = (v: number): string => this.g.scalar(v);
  /** a @ W + b */
  linear = (a: string, L: Dense): string => this.g.op('Gemm', [a, L.W, L.b]);
  /** g @ W^T */
  backIn = (g: string, W: string): string => this.g.op('Gemm', [g, W], { transB: 1 });
  /** a^T @ g */
  outer = (a: string, g: string): string => this.g.op('Gemm', [a, g], { transA: 1 });
  /** Sum over axis, keepdims 0. */
  sumAxis = (a: string, axis: number): string => this.g.op('ReduceSum', [a, this.g.constI64([axis])], { keepdims: 0 });
  /** Sum of squares over axis 1, keepdims 0 (opset 17: axes is an attribute here). */
  sumSqRows = (a: string): string => this.g.op('ReduceSumSquare', [a], { axes: [1], keepdims: 0 });
  /** Sum of everything, as shape [1]. */
  total = (a: string): string => this.g.op('ReduceSum', [a], { keepdims: 1 });
  /** ReLU's derivative applied: g where act > 0, else 0 (tf.step). */
  reluGate = (g: string, act: string): string => this.g.op('Where', [this.g.op('Greater', [act, this.c(0)]), g, this.c(0)]);
}

function sliceParams(g: OnnxGraph, theta: string, slots: ParamSlot[]): Map<string, string> {
  const out = new Map<string, string>();
  const axes = g.constI64([0]);
  for (const s of slots) {
    let v = g.op('Slice', [theta, g.constI64([s.offset]), g.constI64([s.offset + s.size]), axes], {}, s.name.replace('.', '_'));
    if (s.shape.length > 1) v = g.op('Reshape', [v, g.constI64(s.shape)]);
    out.set(s.name, v);
  }
  return out;
}

/** The training graph's input holding parameter `slot` (shape slot.shape). */
export function gradInputName(slot: ParamSlot): string {
  return 'p_' + slot.name.replace('.', '_');
}

/** The training graph's output holding the gradient of `slot`. */
export function gradOutputName(slot: ParamSlot): string {
  return 'g_' + slot.name.replace('.', '_');
}

/**
 * Its shape: the slot's, except [1, n] for the bias and sigma gradients, which are [1, B] x [B, n]
 * products (coef^T g with DP, 1^T g without: a Gemm, ~10x faster than onnxruntime's ReduceSum over
 * rows).
 */
export function gradOutputShape(slot: ParamSlot, _dp: boolean): number[] {
  return slot.shape.length === 1 ? [1, slot.size] : slot.shape.slice();
}

function dense(P: Map<string, string>, name: string): Dense {
  return { W: P.get(name + '.W')!, b: P.get(name + '.b')! };
}

export interface GradGraphOptions {
  dp: boolean;
}

/**
 * Inputs:  X [B,D], eps [B,L] (B: this shard's rows), one input per parameter (gradInputName);
 *          DP: clip []; no DP: invB [] (1 / the whole batch's row count).
 * Outputs: one gradient per parameter (gradOutputName, gradOutputShape; DP: the clipped sum over the
 *          shard's rows, no noise; no DP: the shard's share of the batch mean);
 *          stats [4] = (factor * sum rec + sum kl, sum rec, sum kl, rows clipped).
 */
export function buildGradGraph(spec: VaeGraphSpec, opts: GradGraphOptions): Uint8Array {
  const g = new OnnxGraph();
  const o = new Ops(g);
  const D = spec.dataDim;
  const L = spec.embeddingDim;
  const slots = vaeParamLayout(spec);
  const factor = spec.lossFactor;

  const X = g.input('X', 'float', ['B', D]);
  const eps = g.input('eps', 'float', ['B', L]);
  const clip = opts.dp ? g.input('clip', 'float', []) : '';
  const invB = opts.dp ? '' : g.input('invB', 'float', []);
  const prm = new Map(slots.map((s) => [s.name, g.input(gradInputName(s), 'float', s.shape)]));
  const enc = spec.compressDims.map((_, k) => dense(prm, `enc${k}`));
  const dec = spec.decompressDims.map((_, k) => dense(prm, `dec${k}`));
  const muL = dense(prm, 'mu');
  const lvL = dense(prm, 'logvar');
  const outL = dense(prm, 'out');
  const sigma = prm.get('sigma')!;

  // ---- forward
  const encIn: string[] = [];
  let h = X;
  for (const Lk of enc) {
    encIn.push(h);
    h = o.relu(o.linear(h, Lk));
  }
  const mu = o.linear(h, muL);
  const lv = o.linear(h, lvL);
  const std = o.exp(o.mul(lv, o.c(0.5)));
  const z = o.add(mu, o.mul(eps, std));
  const decIn: string[] = [];
  let d = z;
  for (const Lk of dec) {
    decIn.push(d);
    d = o.relu(o.linear(d, Lk));
  }
  const r = o.linear(d, outL);

  // ---- per-row loss pieces
  // The tanh heads are a few columns (one per numeric column): their terms are computed on those
  // columns only (Gather, [B, nT]) and spread back to all D by the 0/1 matrix Sel [nT, D]. With no
  // tanh column, one dummy column with weight mT = 0 keeps every shape non-empty.
  const tIdx: number[] = [];
  spec.tanhMask.forEach((m, j) => m > 0 && tIdx.push(j));
  const nT = Math.max(1, tIdx.length);
  const TI = g.constI64(tIdx.length > 0 ? tIdx : [0], [nT], 'tanhIdx');
  const mT = g.constF(new Float32Array(nT).fill(tIdx.length > 0 ? 1 : 0), [nT], 'mT');
  const sel = new Float32Array(nT * D);
  tIdx.forEach((j, c) => (sel[c * D + j] = 1));
  const Sel = g.constF(sel, [nT, D], 'Sel');
  const maskS = g.constF(spec.softmaxMask, [D], 'maskS');
  const S = g.constF(spec.spanIndicator, [D, spec.nSpans], 'S');
  const ST = g.constF(transpose(spec.spanIndicator, D, spec.nSpans), [spec.nSpans, D], 'ST');
  const XT = g.op('Gather', [X, TI], { axis: 1 });
  const tT = g.op('Tanh', [g.op('Gather', [r, TI], { axis: 1 })]);
  const diff = o.sub(XT, tT); // [B, nT]
  const diff2 = o.mul(diff, diff);
  const sigT = g.op('Gather', [sigma, TI], { axis: 0 }); // [nT]
  const s2 = o.mul(sigT, sigT);
  // rec_tanh_i = sum_c mT_c (diff2_ic / (2 s_c^2) + log s_c): one matrix-vector product
  const wT = o.mul(o.div(o.c(0.5), s2), mT);
  const logTerm = o.total(o.mul(o.log(sigT), mT));
  const wTcol = g.op('Unsqueeze', [wT, g.constI64([1])]); // [nT, 1]: a matrix, so B = 0 rows still multiply
  const recTanh = o.add(g.op('Squeeze', [g.op('MatMul', [diff2, wTcol]), g.constI64([1])]), logTerm);
  // Segmented softmax. The denominator is constant within a span, so it is summed, inverted and
  // logged per span (B x nSpans) and spread back over the span's columns by the 0/1 matrix ST:
  //   p = e * (1 / spanSum) @ ST,  ce_i = -sum_j XS_ij rc_ij + sum_k (X @ S)_ik log spanSum_ik
  // (tfjs's log(e @ S @ ST + notS) takes the same values on softmax columns, 0 elsewhere). S and ST
  // are 0 on tanh columns, so e needs no mask and p is 0 there.
  const rc = g.op('Clip', [r, o.c(-LOGIT_CLIP), o.c(LOGIT_CLIP)]);
  const e = o.exp(rc);
  const spanSum = g.op('MatMul', [e, S]);
  const p = o.mul(e, g.op('MatMul', [g.op('Reciprocal', [spanSum]), ST]));
  const XS = o.mul(X, maskS);
  const ce = o.sub(o.sumAxis(o.mul(g.op('MatMul', [X, S]), o.log(spanSum)), 1), o.sumAxis(o.mul(XS, rc), 1));
  const rec = o.add(recTanh, ce);
  const kl = o.mul(o.c(-0.5), o.sumAxis(o.sub(o.sub(o.add(o.c(1), lv), o.mul(mu, mu)), o.exp(lv)), 1));

  // ---- per-row gradients. Without DP every seed is scaled by 1/B here (the mean), with DP not.
  const k = opts.dp ? o.c(factor) : o.mul(o.c(factor), invB);
  const invS2 = o.div(o.c(1), s2);
  // d l_i / d r: tanh columns  -(x - t)(1 - t^2)/s^2, softmax columns p - x; times factor
  const tanhCoef = o.mul(o.neg(o.mul(invS2, mT)), k); // [nT]
  const gTanh = o.mul(o.mul(diff, o.sub(o.c(1), o.mul(tT, tT))), tanhCoef); // [B, nT]
  const gSoft = o.mul(o.sub(p, XS), k); // 0 off the softmax columns
  const gR = o.add(gSoft, g.op('MatMul', [gTanh, Sel]));
  // d l_i / d s_c = factor * (-(x - t)^2 / s^3 + 1/s) on tanh columns = diff2 * a_c + b_c ([nT])
  const sigA = o.mul(o.neg(o.div(mT, o.mul(s2, sigT))), k);
  const sigB = o.mul(o.div(mT, sigT), k);

  const layerIO: { name: string; a: string; g: string }[] = [];
  layerIO.push({ name: 'out', a: d, g: gR });
  let gg = o.reluGate(o.backIn(gR, outL.W), d);
  for (let j = dec.length - 1; j >= 0; j--) {
    layerIO.push({ name: `dec${j}`, a: decIn[j]!, g: gg });
    const gin = o.backIn(gg, dec[j]!.W);
    gg = j > 0 ? o.reluGate(gin, decIn[j]!) : gin;
  }
  const gZ = gg;
  // KL seeds: d kl_i / d mu = mu, d kl_i / d logvar = (exp(logvar) - 1) / 2
  const klMu = opts.dp ? mu : o.mul(mu, invB);
  const klLvScale = opts.dp ? o.c(0.5) : o.mul(o.c(0.5), invB);
  const gMu = o.add(gZ, klMu);
  const gLv = o.add(o.mul(o.mul(gZ, eps), o.mul(std, o.c(0.5))), o.mul(o.sub(o.exp(lv), o.c(1)), klLvScale));
  layerIO.push({ name: 'mu', a: h, g: gMu });
  layerIO.push({ name: 'logvar', a: h, g: gLv });
  gg = o.reluGate(o.add(o.backIn(gMu, muL.W), o.backIn(gLv, lvL.W)), h);
  for (let j = enc.length - 1; j >= 0; j--) {
    layerIO.push({ name: `enc${j}`, a: encIn[j]!, g: gg });
    if (j > 0) gg = o.reluGate(o.backIn(gg, enc[j]!.W), encIn[j]!);
  }

  const grads = new Map<string, string>();
  let clipped = '';
  if (opts.dp) {
    // ghost norms
    const gSigma = o.add(o.mul(diff2, sigA), sigB); // [B, nT]
    const aSq = new Map<string, string>();
    let sq = spec.learnSigma ? o.sumSqRows(gSigma) : o.mul(o.sumSqRows(gSigma), o.c(0));
    for (const { a, g: gl } of layerIO) {
      let as = aSq.get(a);
      if (!as) {
        as = o.add(o.sumSqRows(a), o.c(1));
        aSq.set(a, as);
      }
      sq = o.add(sq, o.mul(as, o.sumSqRows(gl)));
    }
    const norm = o.sqrt(sq);
    const coef = g.op('Unsqueeze', [g.op('Min', [o.c(1), o.div(clip, o.add(norm, o.c(1e-12)))]), g.constI64([1])]); // [B, 1]
    clipped = o.total(g.op('Cast', [g.op('Greater', [norm, clip])], { to: 1 }));
    const widths = new Map<string, number>();
    slots.forEach((s) => s.shape.length === 2 && widths.set(s.name.slice(0, -2), s.shape[0]!));
    for (const { name, a, g: gl } of layerIO) {
      const fin = widths.get(name)!;
      const fout = slots.find((s) => s.name === name + '.b')!.size;
      // scale whichever side is narrower: a^T (coef g) = (coef a)^T g
      const W = fin <= fout ? o.outer(o.mul(a, coef), gl) : o.outer(a, o.mul(gl, coef));
      grads.set(name + '.W', W);
      grads.set(name + '.b', o.outer(coef, gl)); // [1, fout] = coef^T g
    }
    const gs = g.op('MatMul', [o.outer(coef, gSigma), Sel]); // [1, D]
    grads.set('sigma', spec.learnSigma ? gs : o.mul(gs, o.c(0)));
  } else {
    clipped = g.constF([0], [1], 'zero');
    const rowsI = g.op('Shape', [X], { start: 0, end: 1 }); // [1] int64
    const ones = g.op('Expand', [g.constF([1], [1, 1], 'one'), g.op('Concat', [rowsI, g.constI64([1])], { axis: 0 })]); // [B, 1]
    for (const { name, a, g: gl } of layerIO) {
      grads.set(name + '.W', o.outer(a, gl));
      grads.set(name + '.b', o.outer(ones, gl)); // [1, fout] column sums
    }
    // sum over the shard's rows i of (diff2_ij a_j + b_j), the batch's 1/B already in a_j, b_j
    const shardRows = g.op('Cast', [rowsI], { to: 1 }); // [1]
    const gs = g.op('MatMul', [o.add(o.mul(o.outer(ones, diff2), sigA), o.mul(sigB, shardRows)), Sel]); // [1, D]
    grads.set('sigma', spec.learnSigma ? gs : o.mul(gs, o.c(0)));
  }

  const recSum = o.total(rec);
  const klSum = o.total(kl);
  const stats = g.op('Concat', [o.add(o.mul(recSum, o.c(factor)), klSum), recSum, klSum, clipped], { axis: 0 });
  g.output(stats, 'stats', 'float', [4]);

  for (const s of slots) g.output(grads.get(s.name)!, gradOutputName(s), 'float', gradOutputShape(s, opts.dp));
  return g.toModel('vae_grad');
}

/** Inputs z [N, L], theta [P]; output y [N, D] = the decoder's raw outputs (heads applied by the caller). */
export function buildDecodeGraph(spec: VaeGraphSpec): Uint8Array {
  const g = new OnnxGraph();
  const o = new Ops(g);
  const slots = vaeParamLayout(spec);
  const z = g.input('z', 'float', ['N', spec.embeddingDim]);
  const theta = g.input('theta', 'float', [paramCount(slots)]);
  const prm = sliceParams(g, theta, slots);
  let d = z;
  spec.decompressDims.forEach((_, k) => {
    d = o.relu(o.linear(d, dense(prm, `dec${k}`)));
  });
  g.output(o.linear(d, dense(prm, 'out')), 'y', 'float', ['N', spec.dataDim]);
  return g.toModel('vae_decode');
}

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]!;
  return t;
}
