/**
 * The small encoded layout and network the OnnxVaeEngine tests share: two tanh spans and three softmax
 * spans (11 encoded columns), and rows drawn over them.
 */
import type { EncodedSpan } from '../../src/synthesizers/dp-vae/VaeEngine.js';
import { DEFAULT_VAE_CONFIG, type VaeConfig } from '../../src/synthesizers/dp-vae/VaeConfig.js';
import { Rng } from '../../src/rng.js';

export const spans: EncodedSpan[] = [
  { kind: 'tanh', start: 0, width: 1 },
  { kind: 'softmax', start: 1, width: 3 },
  { kind: 'tanh', start: 4, width: 1 },
  { kind: 'softmax', start: 5, width: 4 },
  { kind: 'softmax', start: 9, width: 2 },
];
export const D = 11;
export const cfg: VaeConfig = { ...DEFAULT_VAE_CONFIG, embeddingDim: 6, compressDims: [16, 12], decompressDims: [12, 16], l2scale: 1e-3 };

/** n encoded rows: a value in [-0.9, 0.9] per tanh span, one category per softmax span. */
export function makeData(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    x[i * D] = rng.uniform() * 1.8 - 0.9;
    x[i * D + 1 + rng.int(3)] = 1;
    x[i * D + 4] = rng.uniform() * 1.8 - 0.9;
    x[i * D + 5 + rng.int(4)] = 1;
    x[i * D + 9 + rng.int(2)] = 1;
  }
  return x;
}
