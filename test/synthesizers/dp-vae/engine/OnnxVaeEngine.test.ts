/**
 * Parity of the onnxruntime engine with TfjsVaeEngine (whose gradients are checked against tfjs
 * autodiff and brute-force per-row clipping in TfjsVaeEngine.test.ts): same weights, same rows,
 * same eps => same gradients, same Adam trajectory, same decoder output.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { loadBackend, type Backend } from '../../../../src/nn/backend.js';
import { TfjsVaeEngine } from '../../../../src/synthesizers/dp-vae/engine/TfjsVaeEngine.js';
import { OnnxVaeEngine } from '../../../../src/synthesizers/dp-vae/engine/OnnxVaeEngine.js';
import { createVaeEngine } from '../../../../src/synthesizers/dp-vae/engine/createEngine.js';
import type { DpStepOptions, EncodedSpan } from '../../../../src/synthesizers/dp-vae/engine/VaeEngine.js';
import { Rng } from '../../../../src/rng.js';
import { relErr } from './relErr.js';
import { cfg, D, makeData, spans } from '../../../fixtures/vaeEngine.js';


function normals(n: number, seed: number): Float32Array {
  return new Rng(seed).fillNormal(new Float32Array(n)) as Float32Array;
}


describe('OnnxVaeEngine matches TfjsVaeEngine', () => {
  let be: Backend;
  beforeAll(async () => {
    be = await loadBackend();
  });

  function pair(n: number) {
    const tfe = new TfjsVaeEngine(be, D, spans, cfg, 7);
    const ox = new OnnxVaeEngine(D, spans, cfg, 123);
    ox.importWeights(tfe.exportWeights());
    // sigma away from its 0.1 start, so its gradient is not a constant
    const w = tfe.exportWeights();
    const sig = w.find((x) => x.name === 'sigma')!;
    sig.data.forEach((_, j) => (sig.data[j] = 0.05 + 0.07 * j));
    tfe.importWeights(w);
    ox.importWeights(w);
    const data = makeData(n, 3);
    tfe.setData(data, n);
    ox.setData(data, n);
    return { tfe, ox };
  }

  it('initialises the same weights as TfjsVaeEngine for the same seed', () => {
    const tfe = new TfjsVaeEngine(be, D, spans, cfg, 42);
    const ox = new OnnxVaeEngine(D, spans, cfg, 42);
    const a = tfe.exportWeights();
    const b = ox.exportWeights();
    expect(b.map((w) => w.name)).toEqual(a.map((w) => w.name));
    a.forEach((w, k) => {
      expect(b[k]!.shape).toEqual(w.shape);
      expect(Array.from(b[k]!.data)).toEqual(Array.from(w.data));
    });
    tfe.dispose();
    ox.dispose();
  });

  it('non-DP gradients are equal (relative 1e-4)', () => {
    const n = 40;
    const { tfe, ox } = pair(n);
    const rows = Int32Array.from({ length: 25 }, (_, i) => (i * 7) % n);
    const eps = normals(rows.length * cfg.embeddingDim, 5);
    const a = tfe.computeGradients(rows, 1, undefined, eps);
    const b = ox.computeGradients(rows, 1, undefined, eps);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a)) expect(relErr(b[k]!, a[k]!), k).toBeLessThan(1e-4);
    tfe.dispose();
    ox.dispose();
  });

  it('gradients are equal for a table without numeric columns (no tanh head)', () => {
    const catSpans: EncodedSpan[] = [
      { kind: 'softmax', start: 0, width: 3 },
      { kind: 'softmax', start: 3, width: 4 },
    ];
    const n = 20;
    const x = new Float32Array(n * 7);
    const rng = new Rng(8);
    for (let i = 0; i < n; i++) {
      x[i * 7 + rng.int(3)] = 1;
      x[i * 7 + 3 + rng.int(4)] = 1;
    }
    const tfe = new TfjsVaeEngine(be, 7, catSpans, cfg, 3);
    const ox = new OnnxVaeEngine(7, catSpans, cfg, 3);
    tfe.setData(x, n);
    ox.setData(x, n);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const eps = normals(n * cfg.embeddingDim, 6);
    for (const dp of [undefined, { clipNorm: 0.5, noiseMultiplier: 0, expectedBatchSize: 10 }]) {
      const a = tfe.computeGradients(rows, 1, dp, eps);
      const b = ox.computeGradients(rows, 1, dp, eps);
      for (const k of Object.keys(a)) expect(relErr(b[k]!, a[k]!), k).toBeLessThan(1e-4);
      expect(b['sigma']!.every((v) => v === 0)).toBe(true);
    }
    tfe.dispose();
    ox.dispose();
  });

  it('DP clipped sums are equal with the noise off, and clipping is exercised', () => {
    const n = 30;
    const { tfe, ox } = pair(n);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const eps = normals(n * cfg.embeddingDim, 9);
    const dp: DpStepOptions = { clipNorm: 1.0, noiseMultiplier: 0, expectedBatchSize: 20 };
    const a = tfe.computeGradients(rows, 2, dp, eps);
    const b = ox.computeGradients(rows, 2, dp, eps);
    for (const k of Object.keys(a)) expect(relErr(b[k]!, a[k]!), k).toBeLessThan(1e-4);
    // some but not all rows clipped: compare the unclipped sum (huge C) to be sure C mattered
    const big = ox.computeGradients(rows, 2, { ...dp, clipNorm: 1e9 }, eps);
    expect(relErr(big['out.W']!, b['out.W']!)).toBeGreaterThan(1e-2);
    tfe.dispose();
    ox.dispose();
  });

  it('a shard run in row chunks (wide encodings, issue 17) gives the same gradients, DP and not', () => {
    const n = 30;
    const { tfe, ox } = pair(n);
    // chunks of 4 rows: each shard of 15 rows runs in 4 chunks (4 + 4 + 4 + 3)
    const chunked = new OnnxVaeEngine(D, spans, cfg, 123, { chunkCells: 4 * D, parallel: 1 });
    chunked.importWeights(ox.exportWeights());
    chunked.setData(makeData(n, 3), n);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const eps = normals(n * cfg.embeddingDim, 11);
    const dp: DpStepOptions = { clipNorm: 1.0, noiseMultiplier: 0, expectedBatchSize: 20 };
    for (const opt of [undefined, dp]) {
      const a = ox.computeGradients(rows, 3, opt, eps);
      const b = chunked.computeGradients(rows, 3, opt, eps);
      for (const k of Object.keys(a)) expect(relErr(b[k]!, a[k]!), `${opt ? 'DP' : 'no DP'} ${k}`).toBeLessThan(1e-5);
      expect(relErr(b['out.W']!, a['out.W']!)).toBeLessThan(1e-5);
    }
    tfe.dispose();
    ox.dispose();
    chunked.dispose();
  });

  it('DP noise has scale sigma*C/E[B], is seeded, and an empty batch is a pure noise step', () => {
    const { ox } = pair(4);
    const dp: DpStepOptions = { clipNorm: 2, noiseMultiplier: 3, expectedBatchSize: 10 };
    const g1 = ox.computeGradients(new Int32Array(0), 11, dp);
    const g2 = ox.computeGradients(new Int32Array(0), 11, dp);
    const g3 = ox.computeGradients(new Int32Array(0), 12, dp);
    const w = g1['enc0.W']!;
    let s = 0;
    for (const v of w) s += v * v;
    const std = Math.sqrt(s / w.length);
    expect(std).toBeGreaterThan(0.6 * 0.85);
    expect(std).toBeLessThan(0.6 * 1.15);
    expect(Array.from(g2['enc0.W']!)).toEqual(Array.from(w));
    expect(Array.from(g3['enc0.W']!)).not.toEqual(Array.from(w));
    const before = ox.exportWeights();
    ox.trainStep(new Int32Array(0), 11, dp);
    const after = ox.exportWeights();
    expect(relErr(after[0]!.data, before[0]!.data)).toBeGreaterThan(0);
    ox.dispose();
  });

  it.each([
    ['no DP', undefined],
    ['DP', { clipNorm: 1.0, noiseMultiplier: 0, expectedBatchSize: 12 }],
  ] as [string, DpStepOptions | undefined][])('a few Adam steps stay equal (%s)', (_label, dp) => {
    const n = 36;
    const { tfe, ox } = pair(n);
    const rng = new Rng(77);
    const L = cfg.embeddingDim;
    // feed the tfjs engine the same eps through its computeGradients hook
    const priv = tfe as unknown as { gradients: (r: Int32Array, s: number, d?: DpStepOptions, e?: Float32Array) => unknown };
    const orig = priv.gradients.bind(tfe);
    let nextEps: Float32Array | undefined;
    priv.gradients = (r, s, d) => orig(r, s, d, nextEps);
    for (let step = 0; step < 5; step++) {
      const rows = Int32Array.from({ length: 12 }, () => rng.int(n));
      nextEps = normals(rows.length * L, 1000 + step);
      tfe.trainStep(rows, step, dp);
      ox.trainStep(rows, step, dp, nextEps);
    }
    const a = tfe.exportWeights();
    const b = ox.exportWeights();
    a.forEach((w, k) => expect(relErr(b[k]!.data, w.data), w.name).toBeLessThan(1e-4));
    const la = tfe.takeLoss();
    const lb = ox.takeLoss();
    expect(lb.steps).toBe(5);
    expect(Math.abs(lb.loss - la.loss) / Math.abs(la.loss)).toBeLessThan(1e-4);
    expect(Math.abs(lb.kl - la.kl) / Math.abs(la.kl)).toBeLessThan(1e-4);
    if (dp) expect(lb.clippedFraction).toBeCloseTo(la.clippedFraction!, 6);
    tfe.dispose();
    ox.dispose();
  });

  it('decodes the same z to the same raw outputs as the tfjs decoder', () => {
    const { tfe, ox } = pair(4);
    const tf = be.tf;
    const n = 50;
    const z = normals(n * cfg.embeddingDim, 4);
    const P = Object.fromEntries(tfe.exportWeights().map((w) => [w.name, tf.tensor(w.data, w.shape)]));
    const ref = tf.tidy(() => {
      let d = tf.tensor2d(z, [n, cfg.embeddingDim]);
      for (const name of ['dec0', 'dec1']) d = tf.relu(tf.add(tf.matMul(d, P[name + '.W'] as never), P[name + '.b']!)) as typeof d;
      return tf.add(tf.matMul(d, P['out.W'] as never), P['out.b']!).dataSync() as Float32Array;
    });
    expect(relErr(ox.decode(z, n), ref)).toBeLessThan(1e-5);
    tfe.dispose();
    ox.dispose();
  });

  it('is deterministic for a seed', () => {
    const run = (): Float32Array[] => {
      const ox = new OnnxVaeEngine(D, spans, cfg, 5);
      const data = makeData(20, 1);
      ox.setData(data, 20);
      for (let s = 0; s < 3; s++) ox.trainStep(Int32Array.from({ length: 10 }, (_, i) => (i + s) % 20), 100 + s);
      ox.trainStep(Int32Array.from([1, 2, 3]), 200, { clipNorm: 1, noiseMultiplier: 1, expectedBatchSize: 5 });
      const out = [ox.sample(7, 9), ox.sigmas(), ...ox.exportWeights().map((w) => w.data)];
      ox.dispose();
      return out;
    };
    const a = run();
    const b = run();
    a.forEach((x, k) => expect(Array.from(b[k]!)).toEqual(Array.from(x)));
  });

  it('createVaeEngine honours PRIVSYNTH_ENGINE-style preferences', async () => {
    const o = await createVaeEngine(D, spans, cfg, 1, 'onnx');
    expect(o.backendName).toBe('onnxruntime-cpu');
    const t = await createVaeEngine(D, spans, cfg, 1, 'tfjs');
    expect(t.backendName).not.toBe('onnxruntime-cpu');
    o.dispose();
    t.dispose();
  });
});
