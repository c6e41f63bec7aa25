/**
 * CSV rows of category codes and whole numbers as a WebAssembly kernel: CsvBatchEncoder's two hot
 * field kinds, for batches whose every column is one of them (Adult's schema is).
 *
 *   per row, per column:  ',' (not before the first)
 *     code     the label's field bytes (quoted and formula-neutralised in JS, once per label), copied
 *              eight bytes at a time (the padding past its end is overwritten by what follows)
 *     integer  NaN: nothing (an empty field); else Math.round (floor, + 1 when the rest is >= 0.5,
 *              which is JS's rounding of halves towards +infinity), '-' when negative, the digits two at
 *              a time from a "00".."99" table
 *   '\n'
 *
 * The bytes equal CsvBatchEncoder's JS path for the same columns (tested), which stays the fallback:
 * the kernel returns -1 (and the caller encodes the batch in JS) for a code outside the labels or a
 * magnitude of 2^53 or more (JS writes those with String()).
 */
import {
  BLOCK, BR, BR_IF, END, I32, I32_ADD, I32_GE_U, I32_SHL, LOOP, PAGE, get, i32c, moduleWithMemory, set, sleb, tee,
  F64, ELSE, I32_LOAD, I32_EQZ, I32_SUB, I32_MUL, F64_ADD, F64_SUB, f64c, IF, I64,
} from './wasmBinary.js';

const RETURN = [0x0f];
const I64_LOAD = [0x29, 0, 0]; // align 1: label words are at any byte
const F64_LOAD = [0x2b, 3, 0];
const I32_LOAD16_U = [0x2f, 1, 0];
const I64_STORE = [0x37, 0, 0];
const I32_STORE8 = [0x3a, 0, 0];
const I32_STORE16 = [0x3b, 0, 0];
const I64_LT_U = [0x54];
const I64_GE_U = [0x5a];
const F64_NE = [0x62];
const F64_LT = [0x63];
const F64_GE = [0x66];
const F64_NEG = [0x9a];
const F64_FLOOR = [0x9c];
const I64_MUL = [0x7e];
const I64_DIV_U = [0x80];
const I64_SUB = [0x7d];
const I32_WRAP_I64 = [0xa7];
const I64_TRUNC_F64_U = [0xb1];
const i64c = (n: number): number[] => [0x42, ...sleb(n)]; // small constants: the same LEB128 as i32's


const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;
const ZERO = 48;
/** Descriptor per column: kind (0 code, 1 integer), data address, label words, label lengths, stride bytes, label count. */
const DESC_BYTES = 24;

/** csv(n, K, desc, pairs, out) -> bytes written, or -1 (encode this batch in JS). */
export function csvModule(): Uint8Array<ArrayBuffer> {
  const [N, K, DESC, PAIRS, OUT] = [0, 1, 2, 3, 4];
  const [I, J, P, D, DATA, C, LEN, SRC, Q, ND, E] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]; // i32
  const [X, T, QQ] = [16, 17, 18]; // i64
  const [F, R] = [19, 20]; // f64
  const store8 = (addr: number[], byte: number[]): number[] => [...addr, ...byte, ...I32_STORE8];
  const pair = (v: number[]): number[] => [...get(PAIRS), ...v, ...I32_WRAP_I64, ...i32c(1), ...I32_SHL, ...I32_ADD, ...I32_LOAD16_U];
  const codeField = [
    // c = codes[i]; c >= labels (unsigned: also c < 0) -> -1
    ...get(DATA), ...get(I), ...i32c(2), ...I32_SHL, ...I32_ADD, ...I32_LOAD(), ...tee(C),
    ...get(D), ...I32_LOAD(20), ...I32_GE_U, ...IF, ...i32c(-1), ...RETURN, ...END,
    ...get(D), ...I32_LOAD(12), ...get(C), ...i32c(2), ...I32_SHL, ...I32_ADD, ...I32_LOAD(), ...set(LEN),
    ...get(D), ...I32_LOAD(8), ...get(C), ...get(D), ...I32_LOAD(16), ...I32_MUL, ...I32_ADD, ...set(SRC),
    ...i32c(0), ...set(Q),
    ...BLOCK, ...LOOP,
    ...get(Q), ...get(LEN), ...I32_GE_U, ...BR_IF(1),
    ...get(P), ...get(Q), ...I32_ADD, ...get(SRC), ...get(Q), ...I32_ADD, ...I64_LOAD, ...I64_STORE,
    ...get(Q), ...i32c(8), ...I32_ADD, ...set(Q),
    ...BR(0),
    ...END, ...END,
    ...get(P), ...get(LEN), ...I32_ADD, ...set(P),
  ];
  const intField = [
    ...get(DATA), ...get(I), ...i32c(3), ...I32_SHL, ...I32_ADD, ...F64_LOAD, ...tee(F), ...get(F), ...F64_NE, ...I32_EQZ,
    ...IF,
    // r = Math.round(f)
    ...get(F), ...F64_FLOOR, ...set(R),
    ...get(F), ...get(R), ...F64_SUB, ...f64c(0.5), ...F64_GE, ...IF, ...get(R), ...f64c(1), ...F64_ADD, ...set(R), ...END,
    ...get(R), ...f64c(0), ...F64_LT, ...IF, ...store8(get(P), i32c(MINUS)), ...get(P), ...i32c(1), ...I32_ADD, ...set(P), ...get(R), ...F64_NEG, ...set(R), ...END,
    ...get(R), ...f64c(2 ** 53), ...F64_GE, ...IF, ...i32c(-1), ...RETURN, ...END,
    ...get(R), ...I64_TRUNC_F64_U, ...tee(X), ...set(T),
    // nd = number of digits
    ...i32c(1), ...set(ND),
    ...BLOCK, ...LOOP,
    ...get(T), ...i64c(10), ...I64_LT_U, ...BR_IF(1),
    ...get(T), ...i64c(10), ...I64_DIV_U, ...set(T),
    ...get(ND), ...i32c(1), ...I32_ADD, ...set(ND),
    ...BR(0),
    ...END, ...END,
    // e = p + nd; pairs from the right while x >= 100
    ...get(P), ...get(ND), ...I32_ADD, ...set(E),
    ...BLOCK, ...LOOP,
    ...get(X), ...i64c(100), ...I64_LT_U, ...BR_IF(1),
    ...get(X), ...i64c(100), ...I64_DIV_U, ...set(QQ),
    ...get(E), ...i32c(2), ...I32_SUB, ...tee(E), ...pair([...get(X), ...get(QQ), ...i64c(100), ...I64_MUL, ...I64_SUB]), ...I32_STORE16,
    ...get(QQ), ...set(X),
    ...BR(0),
    ...END, ...END,
    ...get(X), ...i64c(10), ...I64_GE_U,
    ...IF, ...get(E), ...i32c(2), ...I32_SUB, ...pair(get(X)), ...I32_STORE16,
    ...ELSE, ...get(E), ...i32c(1), ...I32_SUB, ...get(X), ...I32_WRAP_I64, ...i32c(ZERO), ...I32_ADD, ...I32_STORE8,
    ...END,
    ...get(P), ...get(ND), ...I32_ADD, ...set(P),
    ...END,
  ];
  const columnLoop = [
    ...i32c(0), ...set(J),
    ...get(DESC), ...set(D),
    ...BLOCK, ...LOOP,
    ...get(J), ...get(K), ...I32_GE_U, ...BR_IF(1),
    ...get(J), ...IF, ...store8(get(P), i32c(COMMA)), ...get(P), ...i32c(1), ...I32_ADD, ...set(P), ...END,
    ...get(D), ...I32_LOAD(4), ...set(DATA),
    ...get(D), ...I32_LOAD(0), ...I32_EQZ, ...IF, ...codeField, ...ELSE, ...intField, ...END,
    ...get(D), ...i32c(DESC_BYTES), ...I32_ADD, ...set(D),
    ...get(J), ...i32c(1), ...I32_ADD, ...set(J),
    ...BR(0),
    ...END, ...END,
  ];
  const code = [
    ...i32c(0), ...set(I),
    ...get(OUT), ...set(P),
    ...BLOCK, ...LOOP,
    ...get(I), ...get(N), ...I32_GE_U, ...BR_IF(1),
    ...columnLoop,
    ...store8(get(P), i32c(NEWLINE)), ...get(P), ...i32c(1), ...I32_ADD, ...set(P),
    ...get(I), ...i32c(1), ...I32_ADD, ...set(I),
    ...BR(0),
    ...END, ...END,
    ...get(P), ...get(OUT), ...I32_SUB,
    ...END,
  ];
  // memory imported with a minimum of 1 page and no maximum: encode() grows it to the batch
  return moduleWithMemory('csv', [I32, I32, I32, I32, I32], [I32], [[11, I32], [3, I64], [2, F64]], code, 1);
}

/** One column of a batch for the kernel: codes with their label fields, or whole numbers. */
export type CsvKernelColumn =
  | { kind: 'code'; codes: Int32Array; fields: { words: Uint8Array; stride: number; lengths: Int32Array } }
  | { kind: 'integer'; values: Float64Array };

export interface CsvKernel {
  /** The CSV bytes of rows [0, n) (a fresh array), or null when this batch must be encoded in JS. */
  encode(cols: readonly CsvKernelColumn[], n: number): Uint8Array | null;
}

/** A kernel, or null where WebAssembly is unavailable. */
export function createCsvKernel(): CsvKernel | null {
  let fn: (n: number, k: number, desc: number, pairs: number, out: number) => number;
  let mem: WebAssembly.Memory;
  try {
    mem = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(csvModule()), { env: { mem } });
    fn = inst.exports.csv as typeof fn;
  } catch {
    return null;
  }
  // labels are copied in once per label set (by identity of the words array)
  const placed = new Map<Uint8Array, number>();
  let labelsEnd = 256; // [0, 200): "00".."99"
  const pairs = new Uint8Array(200);
  for (let v = 0; v < 100; v++) {
    pairs[2 * v] = ZERO + Math.floor(v / 10);
    pairs[2 * v + 1] = ZERO + (v % 10);
  }
  new Uint8Array(mem.buffer).set(pairs, 0);
  const ensure = (bytes: number): void => {
    const have = mem.buffer.byteLength;
    if (bytes > have) mem.grow(Math.ceil((bytes - have) / PAGE));
  };
  const align = (n: number): number => Math.ceil(n / 16) * 16;
  return {
    encode(cols, n) {
      const K = cols.length;
      // label words (kept across batches), then per batch: descriptors, data, output
      for (const c of cols) {
        if (c.kind !== 'code' || placed.has(c.fields.words)) continue;
        const at = align(labelsEnd);
        const lenAt = align(at + c.fields.words.length);
        labelsEnd = lenAt + c.fields.lengths.length * 4;
        ensure(labelsEnd);
        new Uint8Array(mem.buffer).set(c.fields.words, at);
        new Int32Array(mem.buffer, lenAt, c.fields.lengths.length).set(c.fields.lengths);
        placed.set(c.fields.words, at);
      }
      const descAt = align(labelsEnd);
      let dataAt = align(descAt + K * DESC_BYTES);
      let rowMax = K + 1;
      const dataOffsets: number[] = [];
      for (const c of cols) {
        dataOffsets.push(dataAt);
        dataAt = align(dataAt + (c.kind === 'code' ? 4 : 8) * n);
        rowMax += c.kind === 'code' ? c.fields.stride : 17;
      }
      const outAt = align(dataAt);
      ensure(outAt + n * rowMax + 16);
      const buf = mem.buffer;
      const desc = new Int32Array(buf, descAt, K * (DESC_BYTES / 4));
      cols.forEach((c, k) => {
        const d = k * (DESC_BYTES / 4);
        desc[d + 1] = dataOffsets[k]!;
        if (c.kind === 'code') {
          const at = placed.get(c.fields.words)!;
          desc[d] = 0;
          desc[d + 2] = at;
          desc[d + 3] = align(at + c.fields.words.length);
          desc[d + 4] = c.fields.stride;
          desc[d + 5] = c.fields.lengths.length;
          new Int32Array(buf, dataOffsets[k]!, n).set(c.codes.subarray(0, n));
        } else {
          desc[d] = 1;
          new Float64Array(buf, dataOffsets[k]!, n).set(c.values.subarray(0, n));
        }
      });
      const written = fn(n, K, descAt, 0, outAt);
      if (written < 0) return null;
      return new Uint8Array(buf, outAt, written).slice();
    },
  };
}
