/**
 * A small typed WebAssembly assembler: the kernels are written with it as sequences of named
 * instructions over named locals, and encoded to a module at run time (nothing compiled or downloaded
 * at install). Binary format: https://webassembly.github.io/spec/core/binary/.
 *
 *   const f = new KernelFunction('adam', { th: 'i32', n: 'i32' }, []);   // exported name, params, results
 *   const i = f.local('i', 'i32');                                       // named locals
 *   f.body = [...get(f.p.n), ...i32Const(2), ...op('i32.shl'), ...set(i), ...];
 *   const bytes = encodeModule(f, { pages: 1 });                         // imports env.mem
 *
 * Every opcode comes from opcodes.ts by name (typos are type errors), every immediate is LEB128
 * encoded here (memory offsets, lanes and constants are range-checked: an out-of-range one throws
 * while assembling, not at run time), structured control emits its own `end`. The instruction stream
 * is not type-checked here: WebAssembly.validate does that (tests run it on every kernel, and
 * instantiateKernel.ts surfaces a compile error with the kernel's name).
 */
import {
  BLOCKTYPE_EMPTY, CONST, CONTROL, EXTERNAL, FUNCTYPE, LIMITS, MEMORY, PLAIN, PREAMBLE, SECTION, SIMD, SIMD_LANE, SIMD_MEMORY, SIMD_MEMORY_LANE,
  SIMD_PREFIX, VALTYPE, VARIABLE,
} from './opcodes.js';

export type ValType = keyof typeof VALTYPE;
export type Code = number[];

// ---- LEB128 (https://webassembly.github.io/spec/core/binary/values.html#integers)

/** Unsigned LEB128 of an integer in [0, 2^32). */
export function uleb(n: number): Code {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`uleb: ${n} is not a u32`);
  const out: Code = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a bigint (any width; the caller checks the range of its type). */
export function slebBig(n: bigint): Code {
  const out: Code = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** Signed LEB128 of an integer in [-2^31, 2^32) (i32 constants: values past 2^31 wrap, as in the text format). */
export function sleb32(n: number): Code {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new RangeError(`i32: ${n} is not a 32-bit integer`);
  return slebBig(BigInt(n | 0));
}

const bytesOf = (s: string): Code => Array.from(new TextEncoder().encode(s));
const name = (s: string): Code => [...uleb(bytesOf(s).length), ...bytesOf(s)];
const vec = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];

// ---- functions and named locals

/** A parameter or local of one function. */
export interface Local {
  readonly name: string;
  readonly type: ValType;
  readonly index: number;
}

/** One exported function: named parameters (in declaration order), named locals, a body. */
export class KernelFunction<P extends Record<string, ValType> = Record<string, ValType>> {
  /** The parameters by name. */
  readonly p: { readonly [K in keyof P]: Local };
  readonly params: readonly ValType[];
  private readonly declared: Local[] = [];
  private readonly names = new Set<string>();
  /** The instructions (the final `end` is added when encoding). */
  body: Code = [];

  constructor(readonly exportName: string, params: P, readonly results: readonly ValType[]) {
    const p: Record<string, Local> = {};
    for (const [k, type] of Object.entries(params)) p[k] = this.add(k, type, Object.keys(p).length);
    this.p = p as { [K in keyof P]: Local };
    this.params = Object.values(params);
  }

  /** A new local (names are unique among params and locals). */
  local(localName: string, type: ValType): Local {
    const l = this.add(localName, type, this.params.length + this.declared.length);
    this.declared.push(l);
    return l;
  }

  /** Several locals of one type, by name. */
  locals<K extends string>(type: ValType, ...localNames: K[]): Record<K, Local> {
    return Object.fromEntries(localNames.map((n) => [n, this.local(n, type)])) as Record<K, Local>;
  }

  /** The locals declaration: runs of one type. */
  encodeLocals(): Code {
    const runs: [number, ValType][] = [];
    for (const l of this.declared) {
      const last = runs[runs.length - 1];
      if (last && last[1] === l.type) last[0]++;
      else runs.push([1, l.type]);
    }
    return vec(runs.map(([count, type]) => [...uleb(count), VALTYPE[type]]));
  }

  private add(localName: string, type: ValType, index: number): Local {
    if (this.names.has(localName)) throw new Error(`${this.exportName}: local '${localName}' declared twice`);
    this.names.add(localName);
    return { name: localName, type, index };
  }
}

export const get = (x: Local): Code => [VARIABLE['local.get'], ...uleb(x.index)];
export const set = (x: Local): Code => [VARIABLE['local.set'], ...uleb(x.index)];
export const tee = (x: Local): Code => [VARIABLE['local.tee'], ...uleb(x.index)];

// ---- instructions

export type PlainOp = keyof typeof PLAIN;
export type SimdOp = keyof typeof SIMD;
export type MemoryOp = keyof typeof MEMORY | keyof typeof SIMD_MEMORY;

/** An instruction without immediates. */
export function op(o: PlainOp | SimdOp): Code {
  if (o in PLAIN) return [PLAIN[o as PlainOp]];
  return [SIMD_PREFIX, ...uleb(SIMD[o as SimdOp])];
}

/** Static offset added to the address, and alignment (log2 bytes; default and maximum the natural one). */
export interface MemArg {
  offset?: number;
  align?: number;
}

function memarg(o: string, natural: number, m: MemArg): Code {
  const align = m.align ?? natural;
  if (!Number.isInteger(align) || align < 0 || align > natural) throw new RangeError(`${o}: alignment 2^${align} exceeds the natural 2^${natural}`);
  return [...uleb(align), ...uleb(m.offset ?? 0)];
}

/** A load or store: [address(, value)] -> (value). */
export function mem(o: MemoryOp, m: MemArg = {}): Code {
  if (o in MEMORY) {
    const d = MEMORY[o as keyof typeof MEMORY];
    return [d.op, ...memarg(o, d.align, m)];
  }
  const d = SIMD_MEMORY[o as keyof typeof SIMD_MEMORY];
  return [SIMD_PREFIX, ...uleb(d.op), ...memarg(o, d.align, m)];
}

function laneIndex(o: string, lane: number, lanes: number): number {
  if (!Number.isInteger(lane) || lane < 0 || lane >= lanes) throw new RangeError(`${o}: lane ${lane} outside 0..${lanes - 1}`);
  return lane;
}

/** A lane instruction (extract_lane). */
export function lane(o: keyof typeof SIMD_LANE, l: number): Code {
  const d = SIMD_LANE[o];
  return [SIMD_PREFIX, ...uleb(d.op), laneIndex(o, l, d.lanes)];
}

/** A lane load: [address, vector] -> vector with lane `l` loaded from address + offset. */
export function memLane(o: keyof typeof SIMD_MEMORY_LANE, l: number, m: MemArg = {}): Code {
  const d = SIMD_MEMORY_LANE[o];
  return [SIMD_PREFIX, ...uleb(d.op), ...memarg(o, d.align, m), laneIndex(o, l, d.lanes)];
}

export const i32Const = (n: number): Code => [CONST['i32.const'], ...sleb32(n)];

/** i64.const of a safe integer (or a bigint in the signed 64-bit range). */
export function i64Const(n: number | bigint): Code {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`i64: ${n} is not a safe integer`);
  const b = BigInt(n);
  if (b < -(1n << 63n) || b >= 1n << 63n) throw new RangeError(`i64: ${b} is outside the signed 64-bit range`);
  return [CONST['i64.const'], ...slebBig(b)];
}

/** f32.const x (little-endian IEEE single: x is rounded to float32). */
export const f32Const = (x: number): Code => [CONST['f32.const'], ...new Uint8Array(Float32Array.of(x).buffer)];
/** f64.const x (little-endian IEEE double). */
export const f64Const = (x: number): Code => [CONST['f64.const'], ...new Uint8Array(Float64Array.of(x).buffer)];

// ---- structured control (each emits its own `end`; blocks take no values and leave none)

export const block = (...body: Code[]): Code => [CONTROL.block, BLOCKTYPE_EMPTY, ...body.flat(), CONTROL.end];
export const loop = (...body: Code[]): Code => [CONTROL.loop, BLOCKTYPE_EMPTY, ...body.flat(), CONTROL.end];
/** if [condition on the stack] then ... (else ...) end. */
export const ifThen = (then: Code, otherwise?: Code): Code =>
  [CONTROL.if, BLOCKTYPE_EMPTY, ...then, ...(otherwise ? [CONTROL.else, ...otherwise] : []), CONTROL.end];
export const br = (depth: number): Code => [CONTROL.br, ...uleb(depth)];
export const brIf = (depth: number): Code => [CONTROL.br_if, ...uleb(depth)];

/** block { loop { exit if `exitWhen` (pushes an i32); body; continue } }: a while loop, tested first. */
export const whileNot = (exitWhen: Code, ...body: Code[]): Code => block(loop(exitWhen, brIf(1), ...body, br(0)));

// ---- module

export const PAGE = 65536;

/**
 * A module of the one exported function `f`, importing `env.mem` with `pages` pages minimum (and
 * `maximum` pages, when given).
 */
export function encodeModule(f: KernelFunction, memory: { pages: number; maximum?: number }): Uint8Array<ArrayBuffer> {
  const limits = memory.maximum === undefined ? [LIMITS.min, ...uleb(memory.pages)] : [LIMITS.minMax, ...uleb(memory.pages), ...uleb(memory.maximum)];
  const valtypes = (ts: readonly ValType[]): Code => vec(ts.map((t) => [VALTYPE[t]]));
  const fnBody = [...f.encodeLocals(), ...f.body, CONTROL.end];
  return new Uint8Array([
    ...PREAMBLE,
    ...section(SECTION.type, vec([[FUNCTYPE, ...valtypes(f.params), ...valtypes(f.results)]])),
    ...section(SECTION.import, vec([[...name('env'), ...name('mem'), EXTERNAL.memory, ...limits]])),
    ...section(SECTION.function, vec([uleb(0)])),
    ...section(SECTION.export, vec([[...name(f.exportName), EXTERNAL.func, ...uleb(0)]])),
    ...section(SECTION.code, vec([[...uleb(fnBody.length), ...fnBody]])),
  ]);
}
