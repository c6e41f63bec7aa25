/**
 * CSV bytes straight from typed columns: the sampler's fast path to disk.
 *
 *   DecodedColumn (Int32 codes | Float64 numbers) or Cell[] per output column ──► UTF-8 bytes of the rows
 *
 * The bytes are exactly what TableWriter writes for the same cells (csvField(formatCell(v, spec))): each
 * category label's field (quoted, formula-neutralised) is encoded once, integers are written digit by
 * digit, numbers with declared decimals are written from their scaled integer, and everything else
 * (datetimes, free numbers, Cell[] columns) goes through formatCell/csvField, and a column with a display
 * format (number/date format, missing marker) through csvCell. Tested against
 * TableWriter on the same table.
 */
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Cell } from '../table/Table.js';
import type { DecodedColumn } from '../transformers/DecodedColumn.js';
import { csvCell, csvField, formatCell, hasDisplayFormat } from './TableWriter.js';
import { createCsvFormatterKernel, type CsvFormatterKernel, type CsvFormatterColumn } from './csvFormatterKernel.js';

export type BatchColumn = DecodedColumn | readonly Cell[] | null;

/** A column's label fields: bytes end to end with offsets, and as little-endian 32-bit words (stride words a label). */
interface LabelFields {
  blob: Uint8Array;
  offsets: Int32Array;
  longest: number;
  words: Uint32Array;
  stride: number;
  lengths: Int32Array;
  /** The labels for the WebAssembly kernel: each padded to `stride` bytes (a multiple of 8). */
  kernel: { words: Uint8Array; stride: number; lengths: Int32Array };
}

/** "00".."99" as two ASCII bytes in a little-endian uint16 (high digit first in memory). */
const PAIRS = Uint16Array.from({ length: 100 }, (_, i) => (48 + Math.floor(i / 10)) | ((48 + (i % 10)) << 8));

const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

const utf8 = new TextEncoder();

export class CsvBatchEncoder {
  private readonly specs: readonly ColumnSpec[];
  /** Per column and label array: the label's encoded field (cached by the labels array's identity). */
  private readonly labelCache: WeakMap<readonly Cell[], LabelFields>[];
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private readonly digits = new Uint8Array(32);
  /** The WebAssembly kernel for batches of codes and whole numbers only (null: JS). */
  private kernel: CsvFormatterKernel | null | undefined;

  /** The field delimiter's byte (',' unless the input CSV used another). */
  private readonly sep: number;
  private readonly delimiter: string;

  constructor(columns: readonly ColumnSpec[], delimiter = ',') {
    this.specs = columns;
    this.delimiter = delimiter;
    this.sep = delimiter.charCodeAt(0);
    this.labelCache = columns.map(() => new WeakMap());
  }

  /** The CSV lines of rows [0, n) (each ending in \n), one column per spec; a null column writes empty fields. */
  encode(cols: readonly BatchColumn[], n: number): Uint8Array {
    if (cols.length !== this.specs.length) throw new Error(`CsvBatchEncoder: ${cols.length} columns for ${this.specs.length} specs`);
    const K = cols.length;
    // One loop over rows with the two hot kinds inline (category codes: copy the label's bytes; integers:
    // write digits), every other column through its field writer.
    const kinds = new Int8Array(K); // 0 = category, 1 = integer, 2 = field writer
    const codes: (Int32Array | null)[] = [];
    const words: (Uint32Array | null)[] = [];
    const strides = new Int32Array(K);
    const lengths: (Int32Array | null)[] = [];
    const ints: (Float64Array | null)[] = [];
    const writers: (((i: number) => void) | null)[] = [];
    let rowMax = K + 1;
    for (let k = 0; k < K; k++) {
      const c = cols[k]!;
      codes.push(null);
      words.push(null);
      lengths.push(null);
      ints.push(null);
      writers.push(null);
      if (c !== null && !Array.isArray(c) && (c as DecodedColumn).kind === 'code') {
        const fields = this.labelFields(c as DecodedColumn & { kind: 'code' }, k);
        kinds[k] = 0;
        codes[k] = (c as DecodedColumn & { kind: 'code' }).codes;
        words[k] = fields.words;
        strides[k] = fields.stride;
        lengths[k] = fields.lengths;
        rowMax += fields.stride * 4; // words may write up to 3 bytes past a label: the next field overwrites them
      } else if (c !== null && !Array.isArray(c) && (c as DecodedColumn).kind === 'number' && this.specs[k]!.type === 'integer' && !hasDisplayFormat(this.specs[k]!)) {
        kinds[k] = 1;
        ints[k] = (c as DecodedColumn & { kind: 'number' }).values;
        rowMax += 24;
      } else {
        kinds[k] = 2;
        writers[k] = this.writerFor(c, k);
      }
    }
    if (kinds.every((k) => k !== 2) && this.sep === COMMA) {
      // every field a category code or a whole number: the kernel writes the same bytes (csvFormatterKernel.ts)
      if (this.kernel === undefined) this.kernel = createCsvFormatterKernel();
      if (this.kernel) {
        const kc: CsvFormatterColumn[] = cols.map((c, k) =>
          kinds[k] === 0
            ? { kind: 'code', codes: codes[k]!, fields: this.labelFields(c as DecodedColumn & { kind: 'code' }, k).kernel }
            : { kind: 'integer', values: ints[k]! },
        );
        const out = this.kernel.encode(kc, n);
        if (out) return out;
      }
    }
    this.pos = 0;
    this.ensure(n * Math.min(rowMax, 64));
    const d = this.digits;
    for (let i = 0; i < n; i++) {
      if (this.pos + rowMax > this.buf.length) this.ensure(rowMax);
      let b = this.buf;
      let v = this.view;
      let p = this.pos;
      for (let k = 0; k < K; k++) {
        if (k) b[p++] = this.sep;
        const kind = kinds[k];
        if (kind === 0) {
          // the label's bytes four at a time (the padding past its end is overwritten by what follows)
          const c = codes[k]![i]!;
          const wd = words[k]!;
          const len = lengths[k]![c]!;
          let w = c * strides[k]!;
          for (let q = 0; q < len; q += 4) v.setUint32(p + q, wd[w++]!, true);
          p += len;
        } else if (kind === 1) {
          let x = ints[k]![i]!;
          if (x !== x) continue;
          x = Math.round(x);
          if (x < 0) {
            b[p++] = MINUS;
            x = -x;
          }
          if (x >= 2 ** 53) {
            this.pos = p;
            this.text(String(x));
            b = this.buf;
            v = this.view;
            p = this.pos;
            continue;
          }
          // digits two at a time from the right, then copied in order
          let nd = 0;
          while (x >= 100) {
            const q = Math.floor(x / 100);
            const t = PAIRS[x - q * 100]!;
            d[nd++] = t >> 8;
            d[nd++] = t & 255;
            x = q;
          }
          if (x >= 10) {
            const t = PAIRS[x]!;
            d[nd++] = t >> 8;
            d[nd++] = t & 255;
          } else d[nd++] = ZERO + x;
          while (nd > 0) b[p++] = d[--nd]!;
        } else {
          this.pos = p;
          writers[k]!(i);
          // rowMax covers the inline fields only: what the writer took may have eaten the room ensured for them
          this.ensure(rowMax);
          b = this.buf;
          v = this.view;
          p = this.pos;
        }
      }
      b[p++] = NEWLINE;
      this.pos = p;
    }
    return this.buf.slice(0, this.pos);
  }

  /** Each label's encoded field, end to end, with offsets and as words (cached per column and labels array). */
  private labelFields(c: DecodedColumn & { kind: 'code' }, k: number): LabelFields {
    let f = this.labelCache[k]!.get(c.labels);
    if (!f) {
      const spec = this.specs[k]!;
      const parts = c.labels.map((l) => utf8.encode(hasDisplayFormat(spec) ? csvCell(l, spec, this.delimiter) : csvField(formatCell(l, spec), true, this.delimiter)));
      const offsets = new Int32Array(parts.length + 1);
      parts.forEach((q, j) => (offsets[j + 1] = offsets[j]! + q.length));
      const blob = new Uint8Array(offsets[parts.length]!);
      parts.forEach((q, j) => blob.set(q, offsets[j]!));
      const longest = parts.reduce((m, q) => Math.max(m, q.length), 0);
      const stride = Math.max(1, Math.ceil(longest / 4));
      const padded = new Uint8Array(parts.length * stride * 4);
      parts.forEach((q, j) => padded.set(q, j * stride * 4));
      const words = new Uint32Array(parts.length * stride);
      const view = new DataView(padded.buffer);
      for (let w = 0; w < words.length; w++) words[w] = view.getUint32(w * 4, true);
      const stride8 = Math.max(8, Math.ceil(longest / 8) * 8);
      const bytes8 = new Uint8Array(parts.length * stride8);
      parts.forEach((q, j) => bytes8.set(q, j * stride8));
      const lengths = Int32Array.from(parts, (q) => q.length);
      f = { blob, offsets, longest, words, stride, lengths, kernel: { words: bytes8, stride: stride8, lengths } };
      this.labelCache[k]!.set(c.labels, f);
    }
    return f;
  }

  private writerFor(c: BatchColumn, k: number): (i: number) => void {
    const spec = this.specs[k]!;
    if (c === null) return () => {};
    const display = hasDisplayFormat(spec);
    if (Array.isArray(c) || !('kind' in (c as object))) {
      const cells = c as readonly Cell[];
      if (display) return (i) => this.text(csvCell(cells[i] ?? null, spec, this.delimiter));
      return (i) => this.text(csvField(formatCell(cells[i] ?? null, spec), true, this.delimiter));
    }
    const col = c as DecodedColumn;
    if (col.kind === 'code') {
      const { blob, offsets } = this.labelFields(col, k);
      const codes = col.codes;
      return (i) => this.bytes(blob.subarray(offsets[codes[i]!]!, offsets[codes[i]! + 1]!));
    }
    const v = col.values;
    if (display) return (i) => this.text(csvCell(v[i]!, spec, this.delimiter));
    if (spec.type === 'integer') {
      return (i) => {
        const x = v[i]!;
        if (x === x) this.integer(Math.round(x));
      };
    }
    if (spec.type === 'numeric' && spec.decimals !== undefined && spec.decimals >= 0 && spec.decimals <= 9) {
      // the sampler's values are already rounded to d decimals (x = m / 10^d), so String(x) is m
      // written with d decimals and trailing zeros trimmed; anything else takes formatCell's path
      const d = spec.decimals;
      const f = 10 ** d;
      return (i) => {
        const x = v[i]!;
        if (x !== x) return;
        const m = Math.round(x * f);
        if (m / f === x && Math.abs(m) < 2 ** 52) this.fixed(m, d);
        else this.text(csvField(formatCell(x, spec), true, this.delimiter));
      };
    }
    return (i) => {
      const x = v[i]!;
      if (x === x) this.text(csvField(formatCell(x, spec), true, this.delimiter));
    };
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }

  private byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  private bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.pos + n > this.buf.length) this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let j = 0; j < n; j++) b[p++] = src[j]!;
    this.pos = p;
  }

  private text(s: string): void {
    if (!s) return;
    this.ensure(s.length * 3);
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** A whole number (|x| < 2^53) in decimal; -0 as 0. */
  private integer(x: number): void {
    if (x < 0) {
      this.byte(MINUS);
      x = -x;
    }
    if (x >= 2 ** 53) {
      this.text(String(x));
      return;
    }
    const d = this.digits;
    let k = 0;
    do {
      const q = Math.floor(x / 10);
      d[k++] = ZERO + (x - q * 10);
      x = q;
    } while (x > 0);
    this.ensure(k);
    const b = this.buf;
    let p = this.pos;
    while (k > 0) b[p++] = d[--k]!;
    this.pos = p;
  }

  /** m / 10^d in the shortest form String() gives: trailing zeros of the fraction trimmed. */
  private fixed(m: number, d: number): void {
    if (m < 0) {
      this.byte(MINUS);
      m = -m;
    }
    if (d === 0) {
      this.integer(m);
      return;
    }
    let frac = m % 10 ** d;
    const whole = (m - frac) / 10 ** d;
    this.integer(whole);
    if (frac === 0) return;
    let width = d;
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    this.byte(DOT);
    const digits = String(frac);
    for (let j = digits.length; j < width; j++) this.byte(ZERO);
    this.text(digits);
  }
}
