/**
 * Standard-normal fills for the sampler: inversion through a small table.
 *
 * Each value takes one 32-bit word of one of four interleaved xoshiro128** streams (seeded by 16 words of
 * the given `Rng`; value i from stream i % 4, so a WebAssembly SIMD kernel runs the four at once:
 * kernels/normalKernel.ts). Its top 12 bits pick one of 4,096 equal-probability cells [k / 2^12, (k + 1) / 2^12) of the
 * uniform, its low 20 bits a point inside it, and the value is Phi^-1 at the cell's ends interpolated
 * linearly. So every cell gets exactly its normal probability (the CDF is exact at 4,097 points; inside a
 * cell the density is flat instead of Gaussian, which moves the CDF by less than 1e-5 anywhere), and the
 * two outer cells, which hold the tails beyond |x| = 3.49, are drawn exactly by Marsaglia's tail method
 * (1 value in 2,048). The 16 KiB table stays in L1: a 2^16-cell table (256 KiB) ran at 13-15 ns a value
 * on this shared machine, from cache misses; the ziggurat (fillNormalFast) at 6-18 ns. The sampler draws
 * 128 a row for TVAE's latent. Arithmetic is float32 (the kernel's), so the JS fallback gives the same bits.
 *
 * Phi^-1 at the table points: Acklam's rational approximation (relative error < 1.2e-9), far below
 * float32's resolution.
 */
import type { Rng } from '../rng.js';
import { createNormalKernel, NORMAL_CHUNK, type NormalKernel } from '../kernels/normalKernel.js';

const BITS = 12;
const CELLS = 1 << BITS;
let table: Float32Array | null = null;

function inverseNormalCdf(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowTail = (q: number): number => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return lowTail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -lowTail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Phi^-1(k / 2^12) for k = 0..2^12 (the ends are the tail thresholds, not infinities). */
export function quantileTable(): Float32Array {
  return quantiles();
}

function quantiles(): Float32Array {
  if (table) return table;
  const t = new Float32Array(CELLS + 1);
  for (let k = 1; k < CELLS; k++) t[k] = inverseNormalCdf(k / CELLS);
  t[0] = t[1]!;
  t[CELLS] = t[CELLS - 1]!;
  table = t;
  return t;
}

let kernel: NormalKernel | null = null;

/** The thread's kernel (WebAssembly SIMD when available, else the JS fallback with the same bits). */
export function normalKernel(): NormalKernel {
  return (kernel ??= createNormalKernel(quantiles()));
}

/**
 * Fill `out` with independent N(0, scale^2) draws seeded by 16 words of `rng` (four interleaved streams,
 * see kernels/normalKernel.ts; its fork 'tail' draws the tails). The same bits with or without
 * WebAssembly SIMD.
 */
export function fillStandardNormal<T extends Float32Array | Float64Array>(rng: Rng, out: T, scale = 1): T {
  const k = normalKernel();
  const words = new Int32Array(16);
  for (let i = 0; i < 16; i++) words[i] = rng.nextU32() | 0;
  k.seed(words);
  const n = out.length;
  let tails: number[] | null = null;
  for (let at = 0; at < n; at += NORMAL_CHUNK) {
    const m = Math.min(NORMAL_CHUNK, n - at);
    const r = k.next(Math.ceil(m / 4));
    const src = r.out;
    if (scale === 1) out.set(m === src.length ? src : src.subarray(0, m), at);
    else for (let i = 0; i < m; i++) out[at + i] = Math.fround(src[i]! * scale);
    for (let j = 0; j < r.tailCount; j++) {
      const i = r.tails[j]!;
      if (i < m) (tails ??= []).push(at + i, src[i]! < 0 ? 0 : 1);
    }
  }
  if (tails) {
    // beyond a = |Phi^-1(2^-12)|: x = a + E1 / a, accepted when 2 E2 > (E1 / a)^2 (Marsaglia 1964)
    const tr = rng.fork('tail');
    const a = -quantiles()[1]!;
    for (let j = 0; j < tails.length; j += 2) {
      let x: number;
      let y: number;
      do {
        x = -Math.log(1 - tr.uniform()) / a;
        y = -Math.log(1 - tr.uniform());
      } while (y + y < x * x);
      out[tails[j]!] = (tails[j + 1] === 0 ? -(a + x) : a + x) * scale;
    }
  }
  return out;
}
