/**
 * The typed sampler: onnxruntime's decoder+exp graph and the JS reference give the same draws for the
 * same z and u (every temperature path), the draws follow the softmax, and batches depend only on
 * their own rng.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { VaeSampler, flatTheta, jsDecode } from '../../../../src/synthesizers/dp-vae/sample/VaeSampler.js';
import { batchRng } from '../../../../src/sampling/batchRng.js';
import { drawFromExp, drawHeads } from '../../../../src/synthesizers/dp-vae/sample/drawHeads.js';
import type { DpVaeSynthesizer } from '../../../../src/synthesizers/dp-vae/DpVaeSynthesizer.js';
import type { EncodedSpan, NamedWeight } from '../../../../src/synthesizers/dp-vae/engine/VaeEngine.js';
import { fillUniformFast } from '../../../../src/random/fillUniformFast.js';
import { Rng } from '../../../../src/rng.js';
import { cpsModel } from '../../../fixtures/cpsModel.js';

let synth: DpVaeSynthesizer;
let weights: NamedWeight[];
beforeAll(async () => {
  ({ synth } = await cpsModel(20));
  weights = synth.engine.exportWeights();
});

function compare(a: Float32Array, b: Float32Array, spans: readonly EncodedSpan[]): { mismatched: number; draws: number; tanhErr: number } {
  const S = spans.length;
  let mismatched = 0;
  let draws = 0;
  let tanhErr = 0;
  for (let i = 0; i < a.length; i++) {
    if (spans[i % S]!.kind === 'softmax') {
      draws++;
      if (a[i] !== b[i]) mismatched++;
    } else tanhErr = Math.max(tanhErr, Math.abs(a[i]! - b[i]!));
  }
  return { mismatched, draws, tanhErr };
}

describe('VaeSampler', () => {
  it('onnxruntime and JS sources agree on the same z and u at temperature 1, 0.25 (raw fallback) and 0 (argmax)', () => {
    for (const temperature of [1, 0.25, 0]) {
      const ort = new VaeSampler(synth.encoder, synth.config, weights, { source: 'onnxruntime', temperature });
      const js = new VaeSampler(synth.encoder, synth.config, weights, { source: 'js', temperature });
      expect(ort.source.name).toBe('onnxruntime');
      const a = ort.draws(3000, batchRng(1, 0));
      const b = js.draws(3000, batchRng(1, 0));
      const c = compare(a, b, ort.spans);
      // a draw differs only when u lies within float32 rounding of a category boundary
      expect(c.mismatched, `temperature ${temperature}`).toBeLessThanOrEqual(Math.ceil(c.draws * 1e-4));
      expect(c.tanhErr).toBeLessThan(1e-5);
      ort.dispose();
      js.dispose();
    }
  });

  it('onnxruntime (unscaled graph, shifts in the output bias) and JS sources agree with calibration shifts at temperature 1', () => {
    const D = synth.encoder.width;
    const bias = Float32Array.from({ length: D }, (_, j) => ((j * 7919) % 13) / 3 - 2);
    const ort = new VaeSampler(synth.encoder, synth.config, weights, { source: 'onnxruntime' });
    const js = new VaeSampler(synth.encoder, synth.config, weights, { source: 'js' });
    ort.setCalibration(bias, undefined);
    js.setCalibration(bias, undefined);
    const c = compare(ort.draws(3000, batchRng(2, 0)), js.draws(3000, batchRng(2, 0)), ort.spans);
    expect(c.mismatched).toBeLessThanOrEqual(Math.ceil(c.draws * 1e-4));
    expect(c.tanhErr).toBeLessThan(1e-5);
    // and the shifts matter: without them the draws differ
    ort.setCalibration(null, undefined);
    expect(compare(ort.draws(3000, batchRng(2, 0)), js.draws(3000, batchRng(2, 0)), ort.spans).mismatched).toBeGreaterThan(100);
    ort.dispose();
    js.dispose();
  });

  it('the exp path equals the max-subtracted reference on the same raw outputs, with calibration shifts', () => {
    const s = new VaeSampler(synth.encoder, synth.config, weights, { source: 'js' });
    const n = 2000;
    const { z, u } = s.latents(n, new Rng(4));
    const raw = s.source.raw(z, n);
    const D = synth.encoder.width;
    const bias = Float32Array.from({ length: D }, (_, j) => ((j * 7919) % 13) / 3 - 2);
    const ref = drawHeads(raw, n, D, s.spans, u, { invT: 1, argmax: false, bias });
    const e = Float32Array.from(raw, (r, k) => Math.exp(Math.max(-30, Math.min(30, r)) + (s.spans.some((sp) => sp.kind === 'softmax' && k % D >= sp.start && k % D < sp.start + sp.width) ? bias[k % D]! : 0)));
    const fast = drawFromExp(e, n, D, s.spans, u, false);
    const c = compare(ref, fast, s.spans);
    expect(c.mismatched).toBeLessThanOrEqual(Math.ceil(c.draws * 1e-4));
    expect(c.tanhErr).toBeLessThan(1e-5);
  });

  it('draws each category with its softmax probability (chi-square on a fixed logit row)', () => {
    const spans: EncodedSpan[] = [{ kind: 'softmax', start: 0, width: 4 }];
    const logits = [0.5, -1, 2, 0];
    const n = 200_000;
    const raw = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) raw.set(logits, i * 4);
    const u = fillUniformFast(new Rng(9), new Float32Array(n));
    const d = drawHeads(raw, n, 4, spans, u, { invT: 1, argmax: false });
    const counts = [0, 0, 0, 0];
    for (const k of d) counts[k]!++;
    const z = logits.reduce((a, l) => a + Math.exp(l), 0);
    let chi2 = 0;
    logits.forEach((l, k) => {
      const e = (n * Math.exp(l)) / z;
      chi2 += (counts[k]! - e) ** 2 / e;
    });
    expect(chi2).toBeLessThan(16.3); // 3 degrees of freedom, P = 0.001
    // any scan order draws from the same distribution (it only changes which u maps to which category)
    const order = Int32Array.from([2, 0, 3, 1]);
    const d2 = drawHeads(raw, n, 4, spans, u, { invT: 1, argmax: false, order });
    const c2 = [0, 0, 0, 0];
    for (const k of d2) c2[k]!++;
    let chi2b = 0;
    logits.forEach((l, k) => {
      const e = (n * Math.exp(l)) / z;
      chi2b += (c2[k]! - e) ** 2 / e;
    });
    expect(chi2b).toBeLessThan(16.3);
    expect(Array.from(d2)).not.toEqual(Array.from(d));
    expect(Array.from(drawFromExp(Float32Array.from(raw, Math.exp), n, 4, spans, u, false, undefined, undefined, order))).toEqual(Array.from(d2));
    // temperature 0 is the argmax
    expect(new Set(drawHeads(raw.subarray(0, 40), 10, 4, spans, u, { invT: 1, argmax: true }))).toEqual(new Set([2]));
  });

  it('a batch depends only on its rng: the same rows alone or after other batches, and none repeat', () => {
    const s = new VaeSampler(synth.encoder, synth.config, weights);
    s.drawBatch(500, batchRng(5, 0));
    const again = s.drawBatch(300, batchRng(5, 1));
    const fresh = new VaeSampler(synth.encoder, synth.config, weights).drawBatch(300, batchRng(5, 1));
    expect(again).toEqual(fresh);
    expect(s.drawBatch(300, batchRng(5, 2))).not.toEqual(fresh);
  });

  it('the onnxruntime source gives the same batches with its WebAssembly heads kernel and without (PRIVSYNTH_NO_WASM)', () => {
    const a = new VaeSampler(synth.encoder, synth.config, weights, { source: 'onnxruntime' });
    process.env.PRIVSYNTH_NO_WASM = '1';
    let b: VaeSampler;
    try {
      b = new VaeSampler(synth.encoder, synth.config, weights, { source: 'onnxruntime' });
    } finally {
      delete process.env.PRIVSYNTH_NO_WASM;
    }
    // 5,000 rows: two full 2,048-row calls and a remainder
    expect(a.drawBatch(5000, batchRng(8, 3))).toEqual(b.drawBatch(5000, batchRng(8, 3)));
    a.dispose();
    b.dispose();
  });

  it('the JS decoder computes what the onnxruntime decode graph computes (raw outputs within float tolerance)', () => {
    const z = new Float32Array(50 * synth.config.embeddingDim).map((_, i) => Math.sin(i));
    const s = new VaeSampler(synth.encoder, synth.config, weights, { source: 'onnxruntime' });
    const viaOrt = s.source.raw(z, 50);
    const net = { dataDim: synth.encoder.width, embeddingDim: synth.config.embeddingDim, compressDims: synth.config.compressDims, decompressDims: synth.config.decompressDims };
    const viaJs = jsDecode(net, flatTheta(net, weights), z, 50);
    let err = 0;
    for (let i = 0; i < viaJs.length; i++) err = Math.max(err, Math.abs(viaJs[i]! - viaOrt[i]!));
    expect(err).toBeLessThan(1e-4);
  });
});
