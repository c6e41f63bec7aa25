/**
 * Gradient checks for the hand-written backpropagation of the VAE engine.
 * Reference: tfjs's own automatic differentiation (tf.grads) of the same loss, written forward-only
 * from TVAE's `_loss_function` (sdv-dev/CTGAN tvae.py), and for DP a brute-force loop that
 * differentiates each row's loss separately, clips it to norm C and sums.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Backend } from '../../../../src/nn/backend.js';
import { TfjsVaeEngine } from '../../../../src/synthesizers/dp-vae/engine/TfjsVaeEngine.js';
import type { EncodedSpan } from '../../../../src/synthesizers/dp-vae/engine/VaeEngine.js';
import { DEFAULT_VAE_CONFIG, type VaeConfig } from '../../../../src/synthesizers/dp-vae/VaeConfig.js';
import { Rng } from '../../../../src/rng.js';
import { relErr } from './relErr.js';

const spans: EncodedSpan[] = [
  { kind: 'tanh', start: 0, width: 1 },
  { kind: 'softmax', start: 1, width: 3 },
  { kind: 'tanh', start: 4, width: 1 },
  { kind: 'softmax', start: 5, width: 2 },
];
const D = 7;
const cfg: VaeConfig = { ...DEFAULT_VAE_CONFIG, embeddingDim: 4, compressDims: [6, 5], decompressDims: [5, 6], l2scale: 0 };

function makeData(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    x[i * D] = rng.uniform() * 1.8 - 0.9;
    x[i * D + 1 + rng.int(3)] = 1;
    x[i * D + 4] = rng.uniform() * 1.8 - 0.9;
    x[i * D + 5 + rng.int(2)] = 1;
  }
  return x;
}

/** Per-row losses l_i as a tfjs function of the parameters (forward only; autodiff differentiates it). */
function rowLosses(tf: typeof TF, P: Record<string, TF.Tensor>, X: TF.Tensor2D, eps: TF.Tensor2D): TF.Tensor1D {
  const lin = (a: TF.Tensor, n: string): TF.Tensor2D => tf.add(tf.matMul(a as TF.Tensor2D, P[n + '.W'] as TF.Tensor2D), P[n + '.b']!) as TF.Tensor2D;
  let h: TF.Tensor = X;
  h = tf.relu(lin(h, 'enc0'));
  h = tf.relu(lin(h, 'enc1'));
  const mu = lin(h, 'mu');
  const lv = lin(h, 'logvar');
  const z = tf.add(mu, tf.mul(eps, tf.exp(tf.mul(lv, 0.5))));
  let d: TF.Tensor = tf.relu(lin(z, 'dec0'));
  d = tf.relu(lin(d, 'dec1'));
  const r = lin(d, 'out');
  const sig = P['sigma']!;
  const parts: TF.Tensor[] = [];
  for (const s of spans) {
    if (s.kind === 'tanh') {
      const x = tf.slice(X, [0, s.start], [-1, 1]);
      const t = tf.tanh(tf.slice(r, [0, s.start], [-1, 1]));
      const sj = tf.slice(sig, [s.start], [1]);
      parts.push(tf.sum(tf.add(tf.div(tf.square(tf.sub(x, t)), tf.mul(2, tf.square(sj))), tf.log(sj)), 1));
    } else {
      const x = tf.slice(X, [0, s.start], [-1, s.width]);
      const logits = tf.slice(r, [0, s.start], [-1, s.width]);
      parts.push(tf.neg(tf.sum(tf.mul(x, tf.logSoftmax(logits)), 1)));
    }
  }
  const rec = tf.addN(parts);
  const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(mu)), tf.exp(lv)), 1));
  return tf.add(tf.mul(rec, cfg.lossFactor), kl) as TF.Tensor1D;
}


describe('TfjsVaeEngine gradients', () => {
  let be: Backend;
  beforeAll(async () => {
    be = await loadBackend();
  });

  function setup(n: number) {
    const eng = new TfjsVaeEngine(be, D, spans, cfg, 7);
    const data = makeData(n, 3);
    eng.setData(data, n);
    const tf = be.tf;
    const P: Record<string, TF.Tensor> = {};
    for (const w of eng.exportWeights()) P[w.name] = tf.tensor(w.data, w.shape);
    return { eng, data, tf, P };
  }

  it('non-DP gradient equals autodiff of the mean TVAE loss', () => {
    const n = 12;
    const { eng, data, tf, P } = setup(n);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const seed = 99;
    const mine = eng.computeGradients(rows, seed);
    const names = Object.keys(P);
    const X = tf.tensor2d(data, [n, D]);
    const eps = tf.randomNormal([n, cfg.embeddingDim], 0, 1, 'float32', seed) as TF.Tensor2D;
    const g = tf.grads((...ps: TF.Tensor[]) => {
      const Q: Record<string, TF.Tensor> = {};
      names.forEach((nm, k) => (Q[nm] = ps[k]!));
      return tf.mean(rowLosses(tf, Q, X, eps));
    })(names.map((nm) => P[nm]!));
    names.forEach((nm, k) => {
      expect(relErr(mine[nm]!, g[k]!.dataSync() as Float32Array), nm).toBeLessThan(2e-4);
    });
    eng.dispose();
  });

  it('DP clipped sum equals brute-force per-row clipping (noise off)', () => {
    const n = 10;
    const { eng, data, tf, P } = setup(n);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const seed = 5;
    const C = 1.5;
    const mine = eng.computeGradients(rows, seed, { clipNorm: C, noiseMultiplier: 0, expectedBatchSize: 1 });
    const names = Object.keys(P);
    const eps = tf.randomNormal([n, cfg.embeddingDim], 0, 1, 'float32', seed) as TF.Tensor2D;
    const sum: Record<string, Float32Array> = {};
    for (const nm of names) sum[nm] = new Float32Array(P[nm]!.size);
    let nClipped = 0;
    for (let i = 0; i < n; i++) {
      const Xi = tf.tensor2d(data.subarray(i * D, (i + 1) * D), [1, D]);
      const ei = tf.slice(eps, [i, 0], [1, -1]) as TF.Tensor2D;
      const g = tf.grads((...ps: TF.Tensor[]) => {
        const Q: Record<string, TF.Tensor> = {};
        names.forEach((nm, k) => (Q[nm] = ps[k]!));
        return tf.sum(rowLosses(tf, Q, Xi, ei));
      })(names.map((nm) => P[nm]!));
      const arrs = g.map((t) => t.dataSync() as Float32Array);
      let sq = 0;
      for (const a of arrs) for (const v of a) sq += v * v;
      const norm = Math.sqrt(sq);
      if (norm > C) nClipped++;
      const scale = Math.min(1, C / norm);
      names.forEach((nm, k) => {
        const a = arrs[k]!;
        for (let j = 0; j < a.length; j++) sum[nm]![j]! += a[j]! * scale;
      });
    }
    expect(nClipped).toBeGreaterThan(0); // the test must exercise clipping
    for (const nm of names) expect(relErr(mine[nm]!, sum[nm]!), nm).toBeLessThan(5e-4);
    eng.dispose();
  });

  it('DP noise has the calibrated scale sigma*C/E[B] and is seeded', () => {
    const n = 4;
    const { eng } = setup(n);
    const rows = new Int32Array(0); // empty Poisson batch: pure noise
    const dp = { clipNorm: 2, noiseMultiplier: 3, expectedBatchSize: 10 };
    const g1 = eng.computeGradients(rows, 11, dp);
    const g2 = eng.computeGradients(rows, 11, dp);
    const w = g1['enc0.W']!;
    let s = 0;
    for (const v of w) s += v * v;
    const std = Math.sqrt(s / w.length);
    expect(std).toBeGreaterThan(0.6 * 0.9);
    expect(std).toBeLessThan(0.6 * 1.1);
    const diffs = Array.from(w).map((v, j) => [j, v, g2['enc0.W']![j]!]).filter(([, a, b]) => a !== b);
    expect(diffs).toEqual([]);
    eng.dispose();
  });
});
