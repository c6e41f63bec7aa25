/**
 * Standard-normal fills for the sampler: inversion through a small table.
 *
 * Each value takes one 32-bit word of an inline xoshiro128** stream (seeded by four words of the given
 * `Rng`). Its top 12 bits pick one of 4,096 equal-probability cells [k / 2^12, (k + 1) / 2^12) of the
 * uniform, its low 20 bits a point inside it, and the value is Phi^-1 at the cell's ends interpolated
 * linearly. So every cell gets exactly its normal probability (the CDF is exact at 4,097 points; inside a
 * cell the density is flat instead of Gaussian, which moves the CDF by less than 1e-5 anywhere), and the
 * two outer cells, which hold the tails beyond |x| = 3.49, are drawn exactly by Marsaglia's tail method
 * (1 value in 2,048). The 16 KiB table stays in L1: a 2^16-cell table (256 KiB) ran at 13-15 ns a value
 * on this shared machine, from cache misses; the ziggurat (fillNormalFast) at 6-18 ns. The sampler draws
 * 128 a row for TVAE's latent.
 *
 * Phi^-1 at the table points: Acklam's rational approximation (relative error < 1.2e-9), far below
 * float32's resolution.
 */
import type { Rng } from '../rng.js';

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
function quantiles(): Float32Array {
  if (table) return table;
  const t = new Float32Array(CELLS + 1);
  for (let k = 1; k < CELLS; k++) t[k] = inverseNormalCdf(k / CELLS);
  t[0] = t[1]!;
  t[CELLS] = t[CELLS - 1]!;
  table = t;
  return t;
}

/** Fill `out` with independent N(0, scale^2) draws seeded by four words of `rng` (and its fork 'tail' for the tails). */
export function fillStandardNormal<T extends Float32Array | Float64Array>(rng: Rng, out: T, scale = 1): T {
  const t = quantiles();
  let s0 = rng.nextU32() | 0;
  let s1 = rng.nextU32() | 0;
  let s2 = rng.nextU32() | 0;
  let s3 = rng.nextU32() | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const n = out.length;
  let tails: number[] | null = null;
  for (let i = 0; i < n; i++) {
    const m5 = Math.imul(s1, 5);
    const r = Math.imul((m5 << 7) | (m5 >>> 25), 9);
    const tt = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= tt;
    s3 = (s3 << 11) | (s3 >>> 21);
    const k = r >>> 20;
    if (k === 0 || k === 4095) {
      (tails ??= []).push(i, k);
      continue;
    }
    const lo = t[k]!;
    out[i] = (lo + (r & 0xfffff) * 9.5367431640625e-7 * (t[k + 1]! - lo)) * scale;
  }
  if (tails) {
    // beyond a = |Phi^-1(2^-12)|: x = a + E1 / a, accepted when 2 E2 > (E1 / a)^2 (Marsaglia 1964)
    const tr = rng.fork('tail');
    const a = -t[1]!;
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
