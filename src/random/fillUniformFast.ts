/**
 * Fast uniform fills for the sampler, seeded from the project's `Rng` (as fillNormalFast).
 *
 * Four 32-bit seed words come from the given `Rng`, so every value is determined by the seed passed
 * in; they seed a xoshiro128** generator (xoshiro128.ts). Each value is the word's top 24 bits as
 * (k + 0.5) / 2^24: strictly inside (0, 1), exactly representable in float32, ~1 ns a value.
 */
import type { Rng } from '../rng.js';
import { Xoshiro128 } from './xoshiro128.js';

export function fillUniformFast<T extends Float32Array | Float64Array>(rng: Rng, out: T): T {
  const g = Xoshiro128.seededBy(rng);
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const r = g.next();
    out[i] = ((r >>> 8) + 0.5) * 5.9604644775390625e-8; // 2^-24
  }
  return out;
}
