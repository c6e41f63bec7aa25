/**
 * xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c): the one generator
 * behind every random draw in privsynth, written here once. `Rng` (rng.ts) steps it for its draws; the
 * fast fills (fillUniformFast, fillNormalFast) step their own instance seeded by four words of an `Rng`;
 * the normal kernel (kernels/normalKernel.ts) runs four instances, and its WebAssembly SIMD version
 * spells the same step in i32x4 instructions (tested bit-identical against this one).
 *
 * State words are int32 (so the hot loops keep one number representation); `next()` returns the
 * output word as a signed int32 (`>>> 0` for the unsigned one).
 */
export class Xoshiro128 {
  s0: number;
  s1: number;
  s2: number;
  s3: number;

  /** A generator from four state words; the all-zero state (a fixed point) becomes s0 = 1. */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator seeded by the next four 32-bit words of `source`. */
  static seededBy(source: { nextU32(): number }): Xoshiro128 {
    const a = source.nextU32();
    const b = source.nextU32();
    const c = source.nextU32();
    const d = source.nextU32();
    return new Xoshiro128(a, b, c, d);
  }

  /** The next output word (signed int32), and the state one step on. */
  next(): number {
    const s1 = this.s1;
    const m5 = Math.imul(s1, 5);
    const result = Math.imul((m5 << 7) | (m5 >>> 25), 9);
    const t = s1 << 9;
    const s2 = this.s2 ^ this.s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = this.s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }
}
