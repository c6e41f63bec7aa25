/**
 * The WebAssembly SIMD Adam kernel (src/kernels/adamKernel.ts): it assembles and validates here,
 * gives the same bits as its JS fallback (also on ranges whose ends are not multiples of 4, where
 * the scalar tail runs), and agrees with a double-precision Adam (PyTorch's formulas) to float32
 * rounding.
 */
import { describe, expect, it } from 'vitest';
import { createAdamKernel, type AdamCoefficients, type AdamKernel } from '../../src/kernels/adamKernel.js';
import { Rng } from '../../src/rng.js';

const n = 1037;

function vectors(k: AdamKernel, seed: number) {
  const rng = new Rng(seed);
  const [th, m, v, a, b, nz] = Array.from({ length: 6 }, () => k.alloc(n));
  for (let i = 0; i < n; i++) {
    th[i] = rng.normal();
    m[i] = rng.normal() * 0.01;
    v[i] = rng.uniform() * 1e-4;
    a[i] = rng.normal();
    b[i] = rng.normal() * 0.1;
    nz[i] = rng.normal() * 0.5;
  }
  v[3] = 0; // sqrt(0): the eps keeps the step finite
  a[7] = 1e-30; // denormal-range products
  return { th, m, v, a, b, nz };
}

const coef = (t: number): AdamCoefficients => ({ scale: 0.04, l2: 1e-5, b1: 0.9, b2: 0.999, lrc: 1e-3 / (1 - 0.9 ** t), ibc2: 1 / (1 - 0.999 ** t), eps: 1e-8 });

describe('adam kernel', () => {
  it('runs as WebAssembly SIMD on this Node', () => {
    expect(createAdamKernel(16).simd).toBe(true);
  });

  it('gives the same bits as the JS fallback', () => {
    const w = createAdamKernel(6 * (n + 16));
    const j = createAdamKernel(6 * (n + 16), { forceJs: true });
    expect(j.simd).toBe(false);
    const W = vectors(w, 1);
    const J = vectors(j, 1);
    for (const [lo, hi, t] of [[0, n, 1], [5, n - 3, 2], [1, 2, 3], [0, 0, 4], [17, 512, 5]] as const) {
      w.adam(W.th, W.m, W.v, W.a, W.b, W.nz, lo, hi, coef(t));
      j.adam(J.th, J.m, J.v, J.a, J.b, J.nz, lo, hi, coef(t));
    }
    for (const key of ['th', 'm', 'v'] as const) {
      expect(Buffer.from(W[key].buffer, W[key].byteOffset, W[key].byteLength).equals(Buffer.from(J[key].buffer, J[key].byteOffset, J[key].byteLength)), key).toBe(true);
    }
  });

  it('agrees with Adam in double precision and leaves the outside of [lo, hi) alone', () => {
    const k = createAdamKernel(6 * (n + 16));
    const X = vectors(k, 2);
    const ref = { th: Float64Array.from(X.th), m: Float64Array.from(X.m), v: Float64Array.from(X.v) };
    const [lo, hi] = [3, n - 2];
    const c = coef(1);
    k.adam(X.th, X.m, X.v, X.a, X.b, X.nz, lo, hi, c);
    for (let i = 0; i < n; i++) {
      if (i < lo || i >= hi) {
        expect(X.th[i]).toBe(Math.fround(ref.th[i]!));
        continue;
      }
      const p = ref.th[i]!;
      const g = (X.a[i]! + X.b[i]! + X.nz[i]!) * c.scale + p * c.l2;
      const m = ref.m[i]! * c.b1 + g * (1 - c.b1);
      const v = ref.v[i]! * c.b2 + g * g * (1 - c.b2);
      const p2 = p - (m * c.lrc) / (Math.sqrt(v * c.ibc2) + c.eps);
      expect(Math.abs(X.m[i]! - m)).toBeLessThanOrEqual(1e-6 * (Math.abs(ref.m[i]! * c.b1) + Math.abs(g * (1 - c.b1))) + 1e-30); // relative to the summed terms
      expect(Math.abs(X.th[i]! - p2)).toBeLessThanOrEqual(1e-6 * Math.abs(p2) + 1e-9);
    }
  });

  it('refuses vectors outside its memory', () => {
    const k = createAdamKernel(64);
    const x = k.alloc(8);
    expect(() => k.adam(x, x, x, x, x, new Float32Array(8), 0, 8, coef(1))).toThrow(/not in the kernel memory/);
  });
});
