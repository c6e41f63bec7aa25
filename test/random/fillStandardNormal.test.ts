/** The sampler's table-inversion normal generator: N(0, 1) in the bulk and in the tails, seeded. */
import { describe, expect, it } from 'vitest';
import { fillStandardNormal, normalKernel, quantileTable } from '../../src/random/fillStandardNormal.js';
import { createNormalKernel } from '../../src/kernels/normalKernel.js';
import { fillUniformFast } from '../../src/random/fillUniformFast.js';
import { Rng } from '../../src/rng.js';

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7: enough for bin probabilities). */
function phi(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

describe('fillStandardNormal', () => {
  const n = 2_000_000;
  const x = fillStandardNormal(new Rng(42), new Float64Array(n));

  it('matches N(0, 1): mean, variance, and a chi-square over 20 bins from -5 to 5', () => {
    let s = 0;
    let s2 = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const edges = [-Infinity, ...Array.from({ length: 19 }, (_, k) => -4.5 + k * 0.5), Infinity];
    const counts = new Float64Array(edges.length - 1);
    for (const v of x) {
      let b = 0;
      while (v >= edges[b + 1]!) b++;
      counts[b]!++;
    }
    let chi2 = 0;
    for (let b = 0; b < counts.length; b++) {
      const e = n * (phi(edges[b + 1]!) - phi(edges[b]!));
      chi2 += (counts[b]! - e) ** 2 / e;
    }
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001
    expect(chi2).toBeLessThan(43.8);
  });

  it('draws the tails beyond the table (|x| > 3.49) at their normal rate and shape', () => {
    let beyond = 0;
    let beyond45 = 0;
    for (const v of x) {
      if (Math.abs(v) > 3.6) beyond++;
      if (Math.abs(v) > 4.5) beyond45++;
    }
    const p38 = 2 * (1 - phi(3.6));
    const p45 = 2 * (1 - phi(4.5));
    expect(Math.abs(beyond - n * p38)).toBeLessThan(5 * Math.sqrt(n * p38));
    expect(Math.abs(beyond45 - n * p45)).toBeLessThan(5 * Math.sqrt(n * p45) + 2);
  });

  it('is determined by the seed, and scales', () => {
    const a = fillStandardNormal(new Rng(7), new Float32Array(1000));
    const b = fillStandardNormal(new Rng(7), new Float32Array(1000), 2);
    expect(Array.from(b)).toEqual(Array.from(a, (v) => Math.fround(v * 2)));
    expect(Array.from(fillStandardNormal(new Rng(8), new Float32Array(1000)))).not.toEqual(Array.from(a));
  });
});

describe('normal kernel', () => {
  it('WebAssembly SIMD and the JS fallback give the same bits, tails flagged alike', () => {
    const simd = normalKernel();
    expect(simd.simd).toBe(true); // Node 20 has WebAssembly SIMD
    const js = createNormalKernel(quantileTable(), { forceJs: true });
    const words = Array.from({ length: 16 }, (_, i) => (i * 2654435761) | 0);
    simd.seed(words);
    js.seed(words);
    for (let call = 0; call < 3; call++) {
      const a = simd.next(16384);
      const b = js.next(16384);
      expect(Buffer.from(a.out.buffer, a.out.byteOffset, 65536 * 4).equals(Buffer.from(b.out.buffer, b.out.byteOffset, 65536 * 4)), `call ${call}`).toBe(true);
      expect(a.tailCount).toBe(b.tailCount);
      expect(a.tailCount).toBeGreaterThan(0);
      expect(Array.from(a.tails.subarray(0, a.tailCount))).toEqual(Array.from(b.tails.subarray(0, b.tailCount)));
    }
  });
});

describe('fillUniformFast', () => {
  it('is uniform on (0, 1), never 0 or 1, and seeded', () => {
    const u = fillUniformFast(new Rng(3), new Float32Array(1_000_000));
    const counts = new Float64Array(10);
    let min = 1;
    let max = 0;
    for (const v of u) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      counts[Math.floor(v * 10)]!++;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    let chi2 = 0;
    for (const c of counts) chi2 += (c - 100_000) ** 2 / 100_000;
    expect(chi2).toBeLessThan(27.9); // 9 degrees of freedom, P = 0.001
    expect(Array.from(fillUniformFast(new Rng(3), new Float32Array(10)))).toEqual(Array.from(u.subarray(0, 10)));
  });
});
