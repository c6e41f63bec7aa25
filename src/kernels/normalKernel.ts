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
import { encodeModule, f32Const, get, i32Const, ifThen, KernelFunction, lane, mem, memLane, op, PAGE, set, tee, whileNot, type Code, type Local } from './wasm/assembler.js';
import { instantiateKernel, kernelsEnabled } from './wasm/instantiateKernel.js';
import { regions } from './wasm/layout.js';
import { Xoshiro128 } from '../random/xoshiro128.js';

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

/** The state of the four streams: word w of stream j at int32 [4w + j] (the kernel's four v128 registers s0..s3). */
const STATE_BYTES = 64;
const LAYOUT = regions(
  ['table', (TABLE_CELLS + 1) * 4, 64],
  ['state', STATE_BYTES, 64],
  ['tails', NORMAL_CHUNK * 4, 16],
  ['out', NORMAL_CHUNK * 4, 16],
);
const AT = LAYOUT.at;
const PAGES = Math.ceil(LAYOUT.end / PAGE);

/** The module: normals(groups, out, table, state, tails) -> tail count. */
export function normalModule(): Uint8Array<ArrayBuffer> {
  const f = new KernelFunction('normals', { groups: 'i32', out: 'i32', table: 'i32', state: 'i32', tails: 'i32' }, ['i32']);
  const { p } = f;
  const i = f.local('i', 'i32'); // byte offset into out
  const bytes = f.local('bytes', 'i32'); // 16 groups
  const count = f.local('count', 'i32'); // tail values so far
  // the four streams' state words, and per step: m5 = s1 * 5, the output word r, t = s1 << 9, cell k, table address, ends lo and hi, fraction, tail mask
  const v = f.locals('v128', 's0', 's1', 's2', 's3', 'm5', 'r', 't', 'k', 'addr', 'lo', 'hi', 'frac', 'tail');
  const xorInto = (a: Local, b: Local): Code => [...get(a), ...get(b), ...op('v128.xor'), ...set(a)];
  const rotl = (x: Local, k: number): Code => [...get(x), ...i32Const(k), ...op('i32x4.shl'), ...get(x), ...i32Const(32 - k), ...op('i32x4.shr_u'), ...op('v128.or')];
  const splatI = (n: number): Code => [...i32Const(n), ...op('i32x4.splat')];
  const gather = (into: Local, offset: number): Code =>
    [0, 1, 2, 3].flatMap((j) => [...get(v.addr), ...lane('i32x4.extract_lane', j), ...get(into), ...memLane('v128.load32_lane', j, { offset }), ...set(into)]);
  const tailLanes = [0, 1, 2, 3].flatMap((j) => [
    ...get(v.tail), ...lane('i32x4.extract_lane', j),
    ...ifThen([
      // tails[count] = i / 4 + j (the value's index in this call: i is 16 bytes a group of four); count++
      ...get(p.tails), ...get(count), ...i32Const(2), ...op('i32.shl'), ...op('i32.add'), ...get(i), ...i32Const(2), ...op('i32.shr_u'), ...i32Const(j), ...op('i32.add'), ...mem('i32.store'),
      ...get(count), ...i32Const(1), ...op('i32.add'), ...set(count),
    ]),
  ]);
  const step = [
    // the xoshiro128** step (random/xoshiro128.ts), four streams at once: r = rotl(s1 * 5, 7) * 9; t = s1 << 9
    ...get(v.s1), ...splatI(5), ...op('i32x4.mul'), ...set(v.m5),
    ...rotl(v.m5, 7), ...splatI(9), ...op('i32x4.mul'), ...set(v.r),
    ...get(v.s1), ...i32Const(9), ...op('i32x4.shl'), ...set(v.t),
    // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
    ...xorInto(v.s2, v.s0), ...xorInto(v.s3, v.s1), ...xorInto(v.s1, v.s2), ...xorInto(v.s0, v.s3), ...xorInto(v.s2, v.t),
    ...rotl(v.s3, 11), ...set(v.s3),
    // k = r >>> 20; addr = table + 4k
    ...get(v.r), ...i32Const(20), ...op('i32x4.shr_u'), ...tee(v.k), ...i32Const(2), ...op('i32x4.shl'), ...get(p.table), ...op('i32x4.splat'), ...op('i32x4.add'), ...set(v.addr),
    ...gather(v.lo, 0),
    ...gather(v.hi, 4),
    // frac = (r & 0xfffff) * 2^-20 (exact)
    ...get(v.r), ...splatI(0xfffff), ...op('v128.and'), ...op('f32x4.convert_i32x4_s'), ...f32Const(2 ** -20), ...op('f32x4.splat'), ...op('f32x4.mul'), ...set(v.frac),
    // out[i] = lo + frac * (hi - lo)
    ...get(p.out), ...get(i), ...op('i32.add'), ...get(v.lo), ...get(v.frac), ...get(v.hi), ...get(v.lo), ...op('f32x4.sub'), ...op('f32x4.mul'), ...op('f32x4.add'), ...mem('v128.store'),
    // tail cells: k == 0 or k == 4095
    ...get(v.k), ...splatI(0), ...op('i32x4.eq'), ...get(v.k), ...splatI(TABLE_CELLS - 1), ...op('i32x4.eq'), ...op('v128.or'), ...tee(v.tail), ...op('v128.any_true'),
    ...ifThen(tailLanes),
  ];
  const words = [v.s0, v.s1, v.s2, v.s3];
  f.body = [
    ...words.flatMap((w, k) => [...get(p.state), ...mem('v128.load', { offset: 16 * k }), ...set(w)]),
    ...i32Const(0), ...set(i),
    ...i32Const(0), ...set(count),
    ...get(p.groups), ...i32Const(4), ...op('i32.shl'), ...set(bytes),
    ...whileNot([...get(i), ...get(bytes), ...op('i32.ge_u')], step, [...get(i), ...i32Const(16), ...op('i32.add'), ...set(i)]),
    ...words.flatMap((w, k) => [...get(p.state), ...get(w), ...mem('v128.store', { offset: 16 * k })]),
    ...get(count),
  ];
  return encodeModule(f, { pages: PAGES });
}

/**
 * A kernel over the given table (4,097 float32 quantiles): WebAssembly SIMD unless switched off
 * (PRIVSYNTH_NO_WASM, `forceJs` for tests) or unavailable. @throws KernelError when the kernel does not compile.
 */
export function createNormalKernel(table: Float32Array, opts: { forceJs?: boolean } = {}): NormalKernel {
  if (table.length !== TABLE_CELLS + 1) throw new Error(`normal kernel: the table must hold ${TABLE_CELLS + 1} values`);
  if (!opts.forceJs && kernelsEnabled('simd')) {
    const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
    const fn = instantiateKernel('normals', normalModule(), memory).normals as (groups: number, out: number, table: number, state: number, tails: number) => number;
    new Float32Array(memory.buffer, AT.table, TABLE_CELLS + 1).set(table);
    const state = new Int32Array(memory.buffer, AT.state, STATE_BYTES / 4);
    const out = new Float32Array(memory.buffer, AT.out, NORMAL_CHUNK);
    const tails = new Int32Array(memory.buffer, AT.tails, NORMAL_CHUNK);
    return {
      simd: true,
      seed: (w) => seedInto(state, w),
      next(groups) {
        const tailCount = fn(groups, AT.out, AT.table, AT.state, AT.tails);
        return { out, tails, tailCount };
      },
    };
  }
  // PRIVSYNTH_NO_WASM, or no WebAssembly SIMD here: the JS fallback below gives the same bits
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

/** Stream j's words into the state layout (STATE_BYTES above); an all-zero stream gets s0 = 1, as Xoshiro128's constructor. */
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
    const g = new Xoshiro128(state[j]!, state[4 + j]!, state[8 + j]!, state[12 + j]!);
    for (let k4 = 0; k4 < groups; k4++) {
      const r = g.next();
      const k = r >>> 20;
      const lo = t[k]!;
      out[4 * k4 + j] = f(lo + f((r & 0xfffff) * 9.5367431640625e-7 * f(t[k + 1]! - lo)));
      if (k === 0 || k === TABLE_CELLS - 1) marks[4 * k4 + j] = 1;
    }
    state[j] = g.s0;
    state[4 + j] = g.s1;
    state[8 + j] = g.s2;
    state[12 + j] = g.s3;
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
