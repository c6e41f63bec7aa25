/**
 * CSV bytes straight from typed columns: the sampler's fast path to disk.
 *
 *   DecodedColumn (Int32 codes | Float64 numbers) or Cell[] per output column ──► UTF-8 bytes of the rows
 *
 * The bytes are exactly what TableWriter writes for the same cells (csvField(formatCell(v, spec))): each
 * category label's field (quoted, formula-neutralised) is encoded once, integers are written digit by
 * digit, numbers with declared decimals are written from their scaled integer, and everything else
 * (datetimes, free numbers, Cell[] columns) goes through formatCell/csvField. Tested against
 * TableWriter on the same table.
 */
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Cell } from '../table/Table.js';
import type { DecodedColumn } from '../transformers/DecodedColumn.js';
import { csvField, formatCell } from './TableWriter.js';

export type BatchColumn = DecodedColumn | readonly Cell[] | null;

const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

const utf8 = new TextEncoder();

export class CsvBatchEncoder {
  private readonly specs: readonly ColumnSpec[];
  /** Per column and label array: the label's encoded field (cached by the labels array's identity). */
  private readonly labelCache: WeakMap<readonly Cell[], Uint8Array[]>[];
  private buf = new Uint8Array(1 << 16);
  private pos = 0;
  private readonly digits = new Uint8Array(32);

  constructor(columns: readonly ColumnSpec[]) {
    this.specs = columns;
    this.labelCache = columns.map(() => new WeakMap());
  }

  /** The CSV lines of rows [0, n) (each ending in \n), one column per spec; a null column writes empty fields. */
  encode(cols: readonly BatchColumn[], n: number): Uint8Array {
    if (cols.length !== this.specs.length) throw new Error(`CsvBatchEncoder: ${cols.length} columns for ${this.specs.length} specs`);
    this.pos = 0;
    this.ensure(n * 16 * (this.specs.length + 1));
    const writers = cols.map((c, k) => this.writerFor(c, k));
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < writers.length; k++) {
        if (k) this.byte(COMMA);
        writers[k]!(i);
      }
      this.byte(NEWLINE);
    }
    return this.buf.slice(0, this.pos);
  }

  private writerFor(c: BatchColumn, k: number): (i: number) => void {
    const spec = this.specs[k]!;
    if (c === null) return () => {};
    if (Array.isArray(c) || !('kind' in (c as object))) {
      const cells = c as readonly Cell[];
      return (i) => this.text(csvField(formatCell(cells[i] ?? null, spec), true));
    }
    const col = c as DecodedColumn;
    if (col.kind === 'code') {
      let fields = this.labelCache[k]!.get(col.labels);
      if (!fields) {
        fields = col.labels.map((l) => utf8.encode(csvField(formatCell(l, spec), true)));
        this.labelCache[k]!.set(col.labels, fields);
      }
      const codes = col.codes;
      const f = fields;
      return (i) => this.bytes(f[codes[i]!]!);
    }
    const v = col.values;
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
        else this.text(csvField(formatCell(x, spec), true));
      };
    }
    return (i) => {
      const x = v[i]!;
      if (x === x) this.text(csvField(formatCell(x, spec), true));
    };
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
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
