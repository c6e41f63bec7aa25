/**
 * The output heads of the VAE as compact draws: per row one value per span, in span order.
 *
 *   tanh span     -> tanh(r)
 *   softmax span  -> the index of a category drawn from softmax(clip(r, ±30) / T + bias) by inversion
 *                    with the given uniform u: the first j whose cumulative weight exceeds u * total
 *                    (T = 0: argmax of clip(r) + bias, u unused)
 *
 * This is the JS reference of the onnxruntime sampling graph (src/nn/onnx/drawGraph.ts), which computes
 * the same thing in float32 kernels; the two agree except where u falls within rounding of a category
 * boundary (tested). The logit clip is the training loss's, so T = 1 is the trained distribution.
 * Uniforms come from the caller (one per softmax span per row, row-major), so both implementations
 * consume the same random numbers.
 */
import type { EncodedSpan } from '../engine/VaeEngine.js';
import { LOGIT_CLIP } from '../../../nn/logitClip.js';


export interface HeadOptions {
  /** 1 / temperature (ignored when argmax). */
  invT: number;
  argmax: boolean;
  /** Added to the logits, one per encoded column (default none). */
  bias?: Float32Array;
  /** Scan order of each span's categories for the inversion (scanOrder; default index order). */
  order?: Int32Array;
}

/** raw: n x width decoder outputs; u: n x (softmax spans) uniforms (unused for argmax). Returns n x spans.length. */
export function drawHeads(raw: Float32Array, n: number, width: number, spans: readonly EncodedSpan[], u: Float32Array, opts: HeadOptions): Float32Array {
  const S = spans.length;
  const nSoft = spans.filter((s) => s.kind === 'softmax').length;
  const out = new Float32Array(n * S);
  const bias = opts.bias;
  const maxW = Math.max(1, ...spans.map((s) => s.width));
  const e = new Float64Array(maxW);
  const cum = new Float64Array(maxW);
  for (let i = 0; i < n; i++) {
    const row = i * width;
    let si = 0;
    for (let k = 0; k < S; k++) {
      const sp = spans[k]!;
      const a = row + sp.start;
      if (sp.kind === 'tanh') {
        out[i * S + k] = Math.tanh(raw[a]!);
        continue;
      }
      const w = sp.width;
      let max = -Infinity;
      let best = 0;
      for (let j = 0; j < w; j++) {
        let x = raw[a + j]!;
        x = x > LOGIT_CLIP ? LOGIT_CLIP : x < -LOGIT_CLIP ? -LOGIT_CLIP : x;
        x = (opts.argmax ? x : x * opts.invT) + (bias ? bias[sp.start + j]! : 0);
        e[j] = x;
        if (x > max) {
          max = x;
          best = j;
        }
      }
      if (opts.argmax) {
        out[i * S + k] = best;
        continue;
      }
      const ord = opts.order;
      let tot = 0;
      for (let j = 0; j < w; j++) {
        tot += Math.exp(e[ord ? ord[sp.start + j]! : j]! - max);
        cum[j] = tot;
      }
      const thr = u[i * nSoft + si]! * tot;
      let pick = 0;
      while (pick < w - 1 && cum[pick]! <= thr) pick++;
      out[i * S + k] = ord ? ord[sp.start + pick]! : pick;
      si++;
    }
  }
  return out;
}

/**
 * The same draws from the exponentials e = exp(clip(r, ±30) * scale + shift) that the onnxruntime
 * sampling graph returns (src/nn/onnx/drawGraph.ts): a softmax span's category by inversion of its
 * cumulative weights (argmax: the largest weight), a tanh span's value as (e^2 - 1) / (e^2 + 1).
 * Equal to `drawHeads` on the raw outputs up to float rounding, without its exps. `totals` (n x softmax
 * spans), when given, are the spans' sums of e (the graph's `tot`), saving a pass; `into` receives the draws.
 */
export function drawFromExp(e: Float32Array, n: number, width: number, spans: readonly EncodedSpan[], u: Float32Array, argmax: boolean, totals?: Float32Array, into?: Float32Array, order?: Int32Array): Float32Array {
  const ord = order ?? identityOrder(spans, width);
  const S = spans.length;
  const nSoft = spans.filter((s) => s.kind === 'softmax').length;
  const out = into ?? new Float32Array(n * S);
  const kinds = Int8Array.from(spans, (s) => (s.kind === 'tanh' ? 0 : 1));
  const starts = Int32Array.from(spans, (s) => s.start);
  const widths = Int32Array.from(spans, (s) => s.width);
  let o = 0;
  let ui = 0;
  for (let i = 0; i < n; i++) {
    const row = i * width;
    for (let k = 0; k < S; k++, o++) {
      const a = row + starts[k]!;
      if (kinds[k] === 0) {
        const E2 = e[a]! * e[a]!;
        out[o] = (E2 - 1) / (E2 + 1);
        continue;
      }
      const w = widths[k]!;
      if (argmax) {
        let best = 0;
        let max = e[a]!;
        for (let j = 1; j < w; j++) {
          if (e[a + j]! > max) {
            max = e[a + j]!;
            best = j;
          }
        }
        out[o] = best;
        continue;
      }
      let tot = 0;
      if (totals) tot = totals[ui]!;
      else for (let j = 0; j < w; j++) tot += e[a + j]!;
      const thr = u[ui++]! * tot;
      // categories in the span's scan order (most likely first: fewer steps; any fixed order is exact)
      const st = starts[k]!;
      let j = 0;
      let idx = ord[st]!;
      let c = e[a + idx]!;
      while (j < w - 1 && c <= thr) {
        idx = ord[st + ++j]!;
        c += e[a + idx]!;
      }
      out[o] = idx;
    }
    if (argmax) ui += nSoft;
  }
  return out;
}

/** The identity scan order: each span's categories in index order. */
export function identityOrder(spans: readonly EncodedSpan[], width: number): Int32Array {
  const order = new Int32Array(width);
  for (const s of spans) for (let j = 0; j < s.width; j++) order[s.start + j] = j;
  return order;
}

/**
 * Scan orders per softmax span (relative category indices at the span's columns, most likely first by
 * `logits`): inversion sampling reaches the drawn category after fewer steps when likely ones come first,
 * and any fixed order gives the exact distribution. Non-softmax columns hold 0.
 */
export function scanOrder(logits: ArrayLike<number>, spans: readonly EncodedSpan[], width: number): Int32Array {
  const order = new Int32Array(width);
  for (const s of spans) {
    if (s.kind !== 'softmax') continue;
    const idx = Array.from({ length: s.width }, (_, j) => j).sort((x, y) => logits[s.start + y]! - logits[s.start + x]! || x - y);
    order.set(idx, s.start);
  }
  return order;
}
