/**
 * Every WebAssembly opcode privsynth's kernels use, each defined once, by its name in the text format
 * (https://webassembly.github.io/spec/core/binary/instructions.html). The assembler (assembler.ts)
 * takes names, so a typo is a type error and an opcode number appears nowhere else.
 */

/** Instructions with no immediate: one opcode byte. */
export const PLAIN = {
  unreachable: 0x00,
  return: 0x0f,
  'i32.eqz': 0x45,
  'i32.lt_s': 0x48,
  'i32.ge_u': 0x4f,
  'i64.lt_u': 0x54,
  'i64.ge_u': 0x5a,
  'f64.ne': 0x62,
  'f64.lt': 0x63,
  'f64.le': 0x65,
  'f64.ge': 0x66,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.and': 0x71,
  'i32.shl': 0x74,
  'i32.shr_u': 0x76,
  'i64.sub': 0x7d,
  'i64.mul': 0x7e,
  'i64.div_u': 0x80,
  'f32.sqrt': 0x91,
  'f32.add': 0x92,
  'f32.sub': 0x93,
  'f32.mul': 0x94,
  'f32.div': 0x95,
  'f64.neg': 0x9a,
  'f64.floor': 0x9c,
  'f64.add': 0xa0,
  'f64.sub': 0xa1,
  'f64.mul': 0xa2,
  'f64.div': 0xa3,
  'i32.wrap_i64': 0xa7,
  'i64.trunc_f64_u': 0xb1,
  'f32.convert_i32_s': 0xb2,
  'f32.demote_f64': 0xb6,
  'f64.promote_f32': 0xbb,
} as const;

/** Loads and stores: opcode and natural alignment (log2 of the access width in bytes). */
export const MEMORY = {
  'i32.load': { op: 0x28, align: 2 },
  'i64.load': { op: 0x29, align: 3 },
  'f32.load': { op: 0x2a, align: 2 },
  'f64.load': { op: 0x2b, align: 3 },
  'i32.load16_u': { op: 0x2f, align: 1 },
  'i32.store': { op: 0x36, align: 2 },
  'i64.store': { op: 0x37, align: 3 },
  'f32.store': { op: 0x38, align: 2 },
  'i32.store8': { op: 0x3a, align: 0 },
  'i32.store16': { op: 0x3b, align: 1 },
} as const;

/** The 0xfd prefix of SIMD instructions. */
export const SIMD_PREFIX = 0xfd;

/** SIMD instructions with no immediate: the prefix, then this number as an unsigned LEB128. */
export const SIMD = {
  'i32x4.splat': 0x11,
  'f32x4.splat': 0x13,
  'i32x4.eq': 0x37,
  'v128.and': 0x4e,
  'v128.or': 0x50,
  'v128.xor': 0x51,
  'v128.any_true': 0x53,
  'i32x4.shl': 0xab,
  'i32x4.shr_u': 0xad,
  'i32x4.add': 0xae,
  'i32x4.mul': 0xb5,
  'f32x4.sqrt': 0xe3,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.div': 0xe7,
  'f32x4.convert_i32x4_s': 0xfa,
} as const;

/** SIMD loads and stores (a memarg follows). */
export const SIMD_MEMORY = {
  'v128.load': { op: 0x00, align: 4 },
  'v128.store': { op: 0x0b, align: 4 },
} as const;

/** SIMD lane instructions (a lane index byte follows; the memory ones a memarg first). */
export const SIMD_LANE = {
  'i32x4.extract_lane': { op: 0x1b, lanes: 4 },
} as const;

export const SIMD_MEMORY_LANE = {
  'v128.load32_lane': { op: 0x56, align: 2, lanes: 4 },
} as const;

/** Control instructions (structured: the assembler emits their `end`). */
export const CONTROL = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  br: 0x0c,
  br_if: 0x0d,
  end: 0x0b,
} as const;

export const VARIABLE = {
  'local.get': 0x20,
  'local.set': 0x21,
  'local.tee': 0x22,
} as const;

export const CONST = {
  'i32.const': 0x41,
  'i64.const': 0x42,
  'f32.const': 0x43,
  'f64.const': 0x44,
} as const;

/** Value types. */
export const VALTYPE = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
} as const;

/** The empty block type. */
export const BLOCKTYPE_EMPTY = 0x40;
/** The function type constructor. */
export const FUNCTYPE = 0x60;

export const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;
export const EXTERNAL = { func: 0x00, memory: 0x02 } as const;
/** Limits flags: minimum only, or minimum and maximum. */
export const LIMITS = { min: 0x00, minMax: 0x01 } as const;
/** "\0asm" and version 1. */
export const PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] as const;
