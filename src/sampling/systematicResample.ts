import type { Rng } from '../rng.js';

/** k indices drawn by systematic resampling from weights W (total s); each i appears floor or ceil of k W_i / s times. */
export function systematicResample(W: Float64Array, s: number, k: number, rng: Rng): Int32Array {
  const out = new Int32Array(k);
  const step = s / k;
  let u = rng.uniform() * step;
  let cum = W[0]!;
  let i = 0;
  for (let j = 0; j < k; j++) {
    while (u >= cum && i < W.length - 1) cum += W[++i]!;
    out[j] = i;
    u += step;
  }
  return out;
}
