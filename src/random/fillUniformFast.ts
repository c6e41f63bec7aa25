/**
 * Fast uniform fills for the sampler, seeded from the project's `Rng` (as fillNormalFast).
 *
 * Four 32-bit seed words come from the given `Rng`, so every value is determined by the seed passed
 * in; the same xoshiro128** generator then runs inline. Each value is the word's top 24 bits as
 * (k + 0.5) / 2^24: strictly inside (0, 1), exactly representable in float32, ~1 ns a value.
 */
import type { Rng } from '../rng.js';

export function fillUniformFast<T extends Float32Array | Float64Array>(rng: Rng, out: T): T {
  let s0 = rng.nextU32() | 0;
  let s1 = rng.nextU32() | 0;
  let s2 = rng.nextU32() | 0;
  let s3 = rng.nextU32() | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const m5 = Math.imul(s1, 5);
    const r = Math.imul((m5 << 7) | (m5 >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[i] = ((r >>> 8) + 0.5) * 5.9604644775390625e-8; // 2^-24
  }
  return out;
}
