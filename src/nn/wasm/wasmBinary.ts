/**
 * A minimal WebAssembly binary writer (https://webassembly.github.io/spec/core/binary/): LEB128
 * numbers, vectors, sections, and the instructions privsynth's kernels use, as byte arrays to
 * concatenate. Kernels are assembled from these at run time: nothing is compiled or downloaded at install.
 */

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

// ---- control, locals, constants
export const get = (i: number): number[] => [0x20, ...uleb(i)];
export const set = (i: number): number[] => [0x21, ...uleb(i)];
export const tee = (i: number): number[] => [0x22, ...uleb(i)];
export const i32c = (n: number): number[] => [0x41, ...sleb(n)];
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const IF = [0x04, 0x40];
export const BR = (d: number): number[] => [0x0c, ...uleb(d)];
export const BR_IF = (d: number): number[] => [0x0d, ...uleb(d)];
export const END = [0x0b];

// ---- scalar
export const I32_ADD = [0x6a];
export const I32_AND = [0x71];
export const I32_SHL = [0x74];
export const I32_GE_U = [0x4f];
export const I32_STORE = [0x36, 2, 0];
export const F32_LOAD = [0x2a, 2, 0]; // align 2^2, offset 0
export const F32_STORE = [0x38, 2, 0];
export const F32_ADD = [0x92];
export const F32_SUB = [0x93];
export const F32_MUL = [0x94];
export const F32_DIV = [0x95];
export const F32_SQRT = [0x91];

// ---- SIMD (0xfd prefix)
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];
export const V_LOAD = [...simd(0x00), 4, 0]; // v128.load align 2^4, offset 0
export const V_STORE = [...simd(0x0b), 4, 0];
/** v128.load32_lane: [address, vector] -> vector with lane `lane` loaded from address + offset. */
export const V_LOAD32_LANE = (lane: number, offset = 0): number[] => [...simd(0x56), 2, ...uleb(offset), lane];
export const I4_SPLAT = simd(0x11);
export const F4_SPLAT = simd(0x13);
export const I4_EXTRACT = (lane: number): number[] => [...simd(0x1b), lane];
export const I4_EQ = simd(0x37);
export const V_AND = simd(0x4e);
export const V_OR = simd(0x50);
export const V_XOR = simd(0x51);
export const V_ANY_TRUE = simd(0x53);
export const I4_SHL = simd(0xab);
export const I4_SHR_U = simd(0xad);
export const I4_ADD = simd(0xae);
export const I4_MUL = simd(0xb5);
export const F4_SQRT = simd(0xe3);
export const F4_ADD = simd(0xe4);
export const F4_SUB = simd(0xe5);
export const F4_MUL = simd(0xe6);
export const F4_DIV = simd(0xe7);
export const F4_CONVERT_I4_S = simd(0xfa);

/** A module of one exported function `name` with the given params/results, importing env.mem of `pages` pages. */
export function moduleWithMemory(name: string, params: number[], results: number[], locals: [number, number][], code: number[], pages: number): Uint8Array<ArrayBuffer> {
  const fnBody = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(params.map((t) => [t])), ...vec(results.map((t) => [t]))]])), // type
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(pages)]])), // import memory, min pages
    ...section(3, vec([uleb(0)])), // function 0 has type 0
    ...section(7, vec([[...str(name), 0x00, ...uleb(0)]])), // export func 0
    ...section(10, vec([[...uleb(fnBody.length), ...fnBody]])), // code
  ];
  return new Uint8Array(bytes);
}

export const PAGE = 65536;

export const I32_SHR_U = [0x76];
/** f32.const x (little-endian IEEE single). */
export const f32c = (x: number): number[] => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];
export const V_LOAD_AT = (offset: number): number[] => [...simd(0x00), 4, ...uleb(offset)];
export const V_STORE_AT = (offset: number): number[] => [...simd(0x0b), 4, ...uleb(offset)];

// ---- more scalar opcodes (the heads and CSV kernels)
export const F64 = 0x7c;
export const I64 = 0x7e;
export const ELSE = [0x05];
/** i32.load at a static byte offset (align 2^2). */
export const I32_LOAD = (offset = 0): number[] => [0x28, 2, ...uleb(offset)];
export const I32_EQZ = [0x45];
export const I32_SUB = [0x6b];
export const I32_MUL = [0x6c];
export const F64_ADD = [0xa0];
export const F64_SUB = [0xa1];
/** f64.const x (little-endian IEEE double). */
export const f64c = (x: number): number[] => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)];
