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
import { encodeModule, f64Const, get, i32Const, i64Const, ifThen, KernelFunction, mem, op, PAGE, set, tee, whileNot, type Code } from '../kernels/wasm/assembler.js';
import { instantiateKernel, kernelsEnabled } from '../kernels/wasm/instantiateKernel.js';
import { alignUp, struct } from '../kernels/wasm/layout.js';

const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;
const ZERO = 48;
/** Column kinds in a descriptor. */
const KIND_CODE = 0; // the kernel tests kind with i32.eqz
const KIND_INTEGER = 1;
/** A column's descriptor: kind, data address, label words address, label lengths address, label stride (bytes), label count. */
const DESC = struct('kind', 'data', 'words', 'lengths', 'stride', 'labels');
/** "00".."99" at address 0. */
const PAIRS_AT = 0;
const PAIRS_BYTES = 200;
/** The first byte after the digit pairs where label words go. */
const LABELS_AT = 256;

/** csv(n, K, desc, pairs, out) -> bytes written, or -1 (encode this batch in JS). */
export function csvFormatterModule(): Uint8Array<ArrayBuffer> {
  const f = new KernelFunction('csv', { n: 'i32', k: 'i32', desc: 'i32', pairs: 'i32', out: 'i32' }, ['i32']);
  const { p } = f;
  const l = f.locals('i32',
    'row', 'col',
    'at', // output address
    'd', // address of the column's descriptor
    'data', // the column's values
    'code', 'len', 'src', 'q', // code field: the label, its length, its bytes, the copied count
    'digits', 'end', // integer field: digit count, address after the last digit
  );
  const w = f.locals('i64', 'x', 't', 'x100');
  const r = f.locals('f64', 'value', 'rounded');
  const descField = (field: keyof typeof DESC.offset): Code => [...get(l.d), ...mem('i32.load', { offset: DESC.offset[field] })];
  const putByte = (byte: number): Code => [...get(l.at), ...i32Const(byte), ...mem('i32.store8'), ...get(l.at), ...i32Const(1), ...op('i32.add'), ...set(l.at)];
  const returnJs = [...i32Const(-1), ...op('return')];
  // the two digits of v (i64 in [0, 100)) from the pairs table
  const pair = (v: Code): Code => [...get(p.pairs), ...v, ...op('i32.wrap_i64'), ...i32Const(1), ...op('i32.shl'), ...op('i32.add'), ...mem('i32.load16_u')];
  const codeField = [
    // code = codes[row]; code >= labels (unsigned: also code < 0) -> -1
    ...get(l.data), ...get(l.row), ...i32Const(2), ...op('i32.shl'), ...op('i32.add'), ...mem('i32.load'), ...tee(l.code),
    ...descField('labels'), ...op('i32.ge_u'), ...ifThen(returnJs),
    ...descField('lengths'), ...get(l.code), ...i32Const(2), ...op('i32.shl'), ...op('i32.add'), ...mem('i32.load'), ...set(l.len),
    ...descField('words'), ...get(l.code), ...descField('stride'), ...op('i32.mul'), ...op('i32.add'), ...set(l.src),
    // copy the label 8 bytes at a time (label words sit at any byte: align 1)
    ...i32Const(0), ...set(l.q),
    ...whileNot([...get(l.q), ...get(l.len), ...op('i32.ge_u')],
      [...get(l.at), ...get(l.q), ...op('i32.add'), ...get(l.src), ...get(l.q), ...op('i32.add'), ...mem('i64.load', { align: 0 }), ...mem('i64.store', { align: 0 })],
      [...get(l.q), ...i32Const(8), ...op('i32.add'), ...set(l.q)],
    ),
    ...get(l.at), ...get(l.len), ...op('i32.add'), ...set(l.at),
  ];
  const intField = [
    // value = values[row]; NaN (value != value) -> an empty field
    ...get(l.data), ...get(l.row), ...i32Const(3), ...op('i32.shl'), ...op('i32.add'), ...mem('f64.load'), ...tee(r.value), ...get(r.value), ...op('f64.ne'), ...op('i32.eqz'),
    ...ifThen([
      // rounded = Math.round(value): floor, + 1 when the rest is >= 0.5
      ...get(r.value), ...op('f64.floor'), ...set(r.rounded),
      ...get(r.value), ...get(r.rounded), ...op('f64.sub'), ...f64Const(0.5), ...op('f64.ge'), ...ifThen([...get(r.rounded), ...f64Const(1), ...op('f64.add'), ...set(r.rounded)]),
      ...get(r.rounded), ...f64Const(0), ...op('f64.lt'), ...ifThen([...putByte(MINUS), ...get(r.rounded), ...op('f64.neg'), ...set(r.rounded)]),
      ...get(r.rounded), ...f64Const(2 ** 53), ...op('f64.ge'), ...ifThen(returnJs),
      ...get(r.rounded), ...op('i64.trunc_f64_u'), ...tee(w.x), ...set(w.t),
      // digits = the number of decimal digits of x
      ...i32Const(1), ...set(l.digits),
      ...whileNot([...get(w.t), ...i64Const(10), ...op('i64.lt_u')],
        [...get(w.t), ...i64Const(10), ...op('i64.div_u'), ...set(w.t)],
        [...get(l.digits), ...i32Const(1), ...op('i32.add'), ...set(l.digits)],
      ),
      // end = at + digits; two digits at a time from the right while x >= 100
      ...get(l.at), ...get(l.digits), ...op('i32.add'), ...set(l.end),
      ...whileNot([...get(w.x), ...i64Const(100), ...op('i64.lt_u')],
        [...get(w.x), ...i64Const(100), ...op('i64.div_u'), ...set(w.x100)],
        [...get(l.end), ...i32Const(2), ...op('i32.sub'), ...tee(l.end), ...pair([...get(w.x), ...get(w.x100), ...i64Const(100), ...op('i64.mul'), ...op('i64.sub')]), ...mem('i32.store16', { align: 0 })],
        [...get(w.x100), ...set(w.x)],
      ),
      ...get(w.x), ...i64Const(10), ...op('i64.ge_u'),
      ...ifThen(
        [...get(l.end), ...i32Const(2), ...op('i32.sub'), ...pair(get(w.x)), ...mem('i32.store16', { align: 0 })],
        [...get(l.end), ...i32Const(1), ...op('i32.sub'), ...get(w.x), ...op('i32.wrap_i64'), ...i32Const(ZERO), ...op('i32.add'), ...mem('i32.store8')],
      ),
      ...get(l.at), ...get(l.digits), ...op('i32.add'), ...set(l.at),
    ]),
  ];
  const columnLoop = [
    ...i32Const(0), ...set(l.col),
    ...get(p.desc), ...set(l.d),
    ...whileNot([...get(l.col), ...get(p.k), ...op('i32.ge_u')],
      [...get(l.col), ...ifThen(putByte(COMMA))],
      [...descField('data'), ...set(l.data)],
      [...descField('kind'), ...op('i32.eqz'), ...ifThen(codeField, intField)], // kind 0: KIND_CODE
      [...get(l.d), ...i32Const(DESC.bytes), ...op('i32.add'), ...set(l.d)],
      [...get(l.col), ...i32Const(1), ...op('i32.add'), ...set(l.col)],
    ),
  ];
  f.body = [
    ...i32Const(0), ...set(l.row),
    ...get(p.out), ...set(l.at),
    ...whileNot([...get(l.row), ...get(p.n), ...op('i32.ge_u')],
      columnLoop,
      putByte(NEWLINE),
      [...get(l.row), ...i32Const(1), ...op('i32.add'), ...set(l.row)],
    ),
    ...get(l.at), ...get(p.out), ...op('i32.sub'),
  ];
  // memory imported with a minimum of 1 page and no maximum: encode() grows it to the batch
  return encodeModule(f, { pages: 1 });
}

/** One column of a batch for the kernel: codes with their label fields, or whole numbers. */
export type CsvFormatterColumn =
  | { kind: 'code'; codes: Int32Array; fields: { words: Uint8Array; stride: number; lengths: Int32Array } }
  | { kind: 'integer'; values: Float64Array };

export interface CsvFormatterKernel {
  /** The CSV bytes of rows [0, n) (a fresh array), or null when this batch must be encoded in JS. */
  encode(cols: readonly CsvFormatterColumn[], n: number): Uint8Array | null;
}

/**
 * A kernel, or null when switched off (PRIVSYNTH_NO_WASM) or where WebAssembly is unavailable (the
 * caller encodes in JS: the same bytes). @throws KernelError when the kernel does not compile.
 */
export function createCsvFormatterKernel(): CsvFormatterKernel | null {
  if (!kernelsEnabled('wasm')) return null;
  // no maximum: encode() grows the memory to the batch
  const memory = new WebAssembly.Memory({ initial: 1 });
  const fn = instantiateKernel('CSV formatter', csvFormatterModule(), memory).csv as (n: number, k: number, desc: number, pairs: number, out: number) => number;
  // labels are copied in once per label set (by identity of the words array)
  const placed = new Map<Uint8Array, number>();
  let labelsEnd = LABELS_AT;
  const pairs = new Uint8Array(PAIRS_BYTES);
  for (let v = 0; v < 100; v++) {
    pairs[2 * v] = ZERO + Math.floor(v / 10);
    pairs[2 * v + 1] = ZERO + (v % 10);
  }
  new Uint8Array(memory.buffer).set(pairs, PAIRS_AT);
  const ensure = (bytes: number): void => {
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
  };
  const align = (n: number): number => alignUp(n, 16);
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
        new Uint8Array(memory.buffer).set(c.fields.words, at);
        new Int32Array(memory.buffer, lenAt, c.fields.lengths.length).set(c.fields.lengths);
        placed.set(c.fields.words, at);
      }
      const descAt = align(labelsEnd);
      let dataAt = align(descAt + K * DESC.bytes);
      let rowMax = K + 1;
      const dataOffsets: number[] = [];
      for (const c of cols) {
        dataOffsets.push(dataAt);
        dataAt = align(dataAt + (c.kind === 'code' ? 4 : 8) * n);
        rowMax += c.kind === 'code' ? c.fields.stride : 17;
      }
      const outAt = align(dataAt);
      ensure(outAt + n * rowMax + 16);
      const buf = memory.buffer;
      const desc = new Int32Array(buf, descAt, K * DESC.words);
      cols.forEach((c, k) => {
        const d = k * DESC.words;
        desc[d + DESC.word.data] = dataOffsets[k]!;
        if (c.kind === 'code') {
          const at = placed.get(c.fields.words)!;
          desc[d + DESC.word.kind] = KIND_CODE;
          desc[d + DESC.word.words] = at;
          desc[d + DESC.word.lengths] = align(at + c.fields.words.length);
          desc[d + DESC.word.stride] = c.fields.stride;
          desc[d + DESC.word.labels] = c.fields.lengths.length;
          new Int32Array(buf, dataOffsets[k]!, n).set(c.codes.subarray(0, n));
        } else {
          desc[d + DESC.word.kind] = KIND_INTEGER;
          new Float64Array(buf, dataOffsets[k]!, n).set(c.values.subarray(0, n));
        }
      });
      const written = fn(n, K, descAt, PAIRS_AT, outAt);
      if (written < 0) return null;
      return new Uint8Array(buf, outAt, written).slice();
    },
  };
}
