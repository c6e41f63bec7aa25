/**
 * Standard normals by table inversion in four interleaved xoshiro128** streams: a WebAssembly SIMD
 * kernel (i32x4 generators, lane loads from the table, f32x4 interpolation) and a JS fallback that
 * gives the same bits (every float operation rounded to float32 with Math.fround, as the kernel's).
 *
 *   value i comes from stream i % 4: r = xoshiro128**(stream); k = r >>> 20 (one of 4,096 cells of
 *   equal probability); z = t[k] + f * (t[k + 1] - t[k]) with f = (r & 0xfffff) / 2^20, in float32
 *
 * Cells 0 and 4,095 hold the tails beyond |x| = 3.49: the kernel reports their indices and the caller
 * draws them exactly (fillStandardNormal.ts). The table and why it is small: fillStandardNormal.ts.
 */
import {
  BLOCK, BR, BR_IF, END, F4_ADD, F4_CONVERT_I4_S, F4_MUL, F4_SPLAT, F4_SUB, I32, I32_ADD, I32_GE_U, I32_SHL, I32_SHR_U, I32_STORE, I4_ADD, I4_EQ,
  I4_EXTRACT, I4_MUL, I4_SHL, I4_SHR_U, I4_SPLAT, IF, LOOP, PAGE, V128, V_ANY_TRUE, V_AND, V_LOAD32_LANE, V_LOAD_AT, V_OR, V_STORE, V_STORE_AT, V_XOR,
  f32c, get, i32c, moduleWithMemory, set, tee,
} from './wasmBinary.js';

/** Values per kernel call (the caller loops over chunks; the streams continue across calls). */
export const NORMAL_CHUNK = 65536;
export const TABLE_CELLS = 4096;

export interface NormalKernel {
  readonly simd: boolean;
  /** Seed the four streams (16 words: stream-major, 4 words each). */
  seed(words: ArrayLike<number>): void;
  /**
   * The next 4 * groups values (groups <= NORMAL_CHUNK / 4) of the interleaved streams, in `out`
   * (a view valid until the next call); `tails` gets the indices (within this call) of values that fell
   * in a tail cell, and the count is returned.
   */
  next(groups: number): { out: Float32Array; tails: Int32Array; tailCount: number };
}

// memory layout (bytes)
const TABLE_AT = 0;
const STATE_AT = 16_448; // after 4,097 floats, 64-aligned
const TAILS_AT = 16_512;
const OUT_AT = TAILS_AT + NORMAL_CHUNK * 4;
const PAGES = Math.ceil((OUT_AT + NORMAL_CHUNK * 4) / PAGE);

/** The module: normals(groups, out, table, state, tails) -> tail count. */
export function normalModule(): Uint8Array<ArrayBuffer> {
  const [N, OUT, TAB, ST, TL] = [0, 1, 2, 3, 4]; // params
  const [I, CNT] = [5, 6]; // i32 locals: byte offset into out, tail count
  const [S0, S1, S2, S3, M5, R, T, K, ADDR, LO, HI, FR, MASK] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]; // v128 locals
  const xor = (a: number, b: number): number[] => [...get(a), ...get(b), ...V_XOR, ...set(a)];
  const rotl = (x: number, k: number): number[] => [...get(x), ...i32c(k), ...I4_SHL, ...get(x), ...i32c(32 - k), ...I4_SHR_U, ...V_OR];
  const gather = (into: number, offset: number): number[] =>
    [0, 1, 2, 3].flatMap((j) => [...get(ADDR), ...I4_EXTRACT(j), ...get(into), ...V_LOAD32_LANE(j, offset), ...set(into)]);
  const tailLanes = [0, 1, 2, 3].flatMap((j) => [
    ...get(MASK), ...I4_EXTRACT(j), ...IF,
    // tails[cnt] = i / 4 + j (the value's index in this call)
    ...get(TL), ...get(CNT), ...i32c(2), ...I32_SHL, ...I32_ADD, ...get(I), ...i32c(2), ...I32_SHR_U, ...i32c(j), ...I32_ADD, ...I32_STORE,
    ...get(CNT), ...i32c(1), ...I32_ADD, ...set(CNT),
    ...END,
  ]);
  const body = [
    // m5 = s1 * 5; r = rotl(m5, 7) * 9; t = s1 << 9
    ...get(S1), ...i32c(5), ...I4_SPLAT, ...I4_MUL, ...set(M5),
    ...rotl(M5, 7), ...i32c(9), ...I4_SPLAT, ...I4_MUL, ...set(R),
    ...get(S1), ...i32c(9), ...I4_SHL, ...set(T),
    // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
    ...xor(S2, S0), ...xor(S3, S1), ...xor(S1, S2), ...xor(S0, S3), ...xor(S2, T),
    ...rotl(S3, 11), ...set(S3),
    // k = r >>> 20; addr = table + 4k
    ...get(R), ...i32c(20), ...I4_SHR_U, ...tee(K), ...i32c(2), ...I4_SHL, ...get(TAB), ...I4_SPLAT, ...I4_ADD, ...set(ADDR),
    ...gather(LO, 0),
    ...gather(HI, 4),
    // f = (r & 0xfffff) * 2^-20 (exact)
    ...get(R), ...i32c(0xfffff), ...I4_SPLAT, ...V_AND, ...F4_CONVERT_I4_S, ...f32c(2 ** -20), ...F4_SPLAT, ...F4_MUL, ...set(FR),
    // out[i] = lo + f * (hi - lo)
    ...get(OUT), ...get(I), ...I32_ADD, ...get(LO), ...get(FR), ...get(HI), ...get(LO), ...F4_SUB, ...F4_MUL, ...F4_ADD, ...V_STORE,
    // tail cells: k == 0 or k == 4095
    ...get(K), ...i32c(0), ...I4_SPLAT, ...I4_EQ, ...get(K), ...i32c(TABLE_CELLS - 1), ...I4_SPLAT, ...I4_EQ, ...V_OR, ...tee(MASK), ...V_ANY_TRUE,
    ...IF, ...tailLanes, ...END,
  ];
  const code = [
    ...get(ST), ...V_LOAD_AT(0), ...set(S0),
    ...get(ST), ...V_LOAD_AT(16), ...set(S1),
    ...get(ST), ...V_LOAD_AT(32), ...set(S2),
    ...get(ST), ...V_LOAD_AT(48), ...set(S3),
    ...i32c(0), ...set(I),
    ...i32c(0), ...set(CNT),
    ...get(N), ...i32c(4), ...I32_SHL, ...set(N), // groups -> bytes
    ...BLOCK, ...LOOP,
    ...get(I), ...get(N), ...I32_GE_U, ...BR_IF(1),
    ...body,
    ...get(I), ...i32c(16), ...I32_ADD, ...set(I),
    ...BR(0),
    ...END, ...END,
    ...get(ST), ...get(S0), ...V_STORE_AT(0),
    ...get(ST), ...get(S1), ...V_STORE_AT(16),
    ...get(ST), ...get(S2), ...V_STORE_AT(32),
    ...get(ST), ...get(S3), ...V_STORE_AT(48),
    ...get(CNT),
    ...END,
  ];
  return moduleWithMemory('normals', [I32, I32, I32, I32, I32], [I32], [[2, I32], [13, V128]], code, PAGES);
}

/** A kernel over the given table (4,097 float32 quantiles). `forceJs` for the fallback (tests). */
export function createNormalKernel(table: Float32Array, opts: { forceJs?: boolean } = {}): NormalKernel {
  if (table.length !== TABLE_CELLS + 1) throw new Error(`normal kernel: the table must hold ${TABLE_CELLS + 1} values`);
  if (!opts.forceJs) {
    try {
      const mem = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
      const inst = new WebAssembly.Instance(new WebAssembly.Module(normalModule()), { env: { mem } });
      const fn = inst.exports.normals as (groups: number, out: number, table: number, state: number, tails: number) => number;
      new Float32Array(mem.buffer, TABLE_AT, TABLE_CELLS + 1).set(table);
      const state = new Int32Array(mem.buffer, STATE_AT, 16);
      const out = new Float32Array(mem.buffer, OUT_AT, NORMAL_CHUNK);
      const tails = new Int32Array(mem.buffer, TAILS_AT, NORMAL_CHUNK);
      return {
        simd: true,
        seed: (w) => seedInto(state, w),
        next(groups) {
          const tailCount = fn(groups, OUT_AT, TABLE_AT, STATE_AT, TAILS_AT);
          return { out, tails, tailCount };
        },
      };
    } catch {
      // no WebAssembly SIMD here: the JS fallback below gives the same bits
    }
  }
  const state = new Int32Array(16);
  const out = new Float32Array(NORMAL_CHUNK);
  const tails = new Int32Array(NORMAL_CHUNK);
  return {
    simd: false,
    seed: (w) => seedInto(state, w),
    next(groups) {
      return { out, tails, tailCount: normalsJs(groups, out, table, state, tails) };
    },
  };
}

/** State layout: word w of stream j at [4w + j] (the kernel's four v128 registers s0..s3). */
function seedInto(state: Int32Array, words: ArrayLike<number>): void {
  for (let j = 0; j < 4; j++) {
    let any = 0;
    for (let w = 0; w < 4; w++) {
      state[4 * w + j] = words[4 * j + w]! | 0;
      any |= state[4 * w + j]!;
    }
    if (any === 0) state[j] = 1;
  }
}

const marks = new Uint8Array(NORMAL_CHUNK);

function normalsJs(groups: number, out: Float32Array, t: Float32Array, state: Int32Array, tails: Int32Array): number {
  const f = Math.fround;
  let cnt = 0;
  for (let j = 0; j < 4; j++) {
    let s0 = state[j]!;
    let s1 = state[4 + j]!;
    let s2 = state[8 + j]!;
    let s3 = state[12 + j]!;
    for (let g = 0; g < groups; g++) {
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
      const lo = t[k]!;
      out[4 * g + j] = f(lo + f((r & 0xfffff) * 9.5367431640625e-7 * f(t[k + 1]! - lo)));
      if (k === 0 || k === TABLE_CELLS - 1) marks[4 * g + j] = 1;
    }
    state[j] = s0;
    state[4 + j] = s1;
    state[8 + j] = s2;
    state[12 + j] = s3;
  }
  // tail cells, in index order (as the kernel records them)
  for (let i = 0; i < groups * 4; i++) {
    if (marks[i]) {
      tails[cnt++] = i;
      marks[i] = 0;
    }
  }
  return cnt;
}
