/**
 * A minimal protocol-buffers writer: just what encoding an ONNX model needs.
 *
 * Wire format (https://protobuf.dev/programming-guides/encoding/): every field is a key
 * `(fieldNumber << 3) | wireType` followed by its value; wire type 0 is a varint, 2 is
 * length-delimited (strings, bytes, nested messages, packed repeated scalars), 5 is a 4-byte
 * little-endian fixed32 (float). Nested messages are written into their own writer first and
 * then copied in with their length, which is simple and fast enough for models of a few MB.
 */
const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

export class ProtoWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Unsigned varint of a non-negative integer up to 2^53 (or a negative int64, as 10 bytes). */
  private varint(value: number): void {
    this.ensure(10);
    if (value < 0) {
      // two's complement 64-bit, the encoding int64 fields use for negative numbers
      let lo = value >>> 0;
      let hi = Math.floor(value / 4294967296) >>> 0;
      for (let i = 0; i < 9; i++) {
        this.buf[this.len++] = (lo & 0x7f) | 0x80;
        lo = ((lo >>> 7) | (hi << 25)) >>> 0;
        hi >>>= 7;
      }
      this.buf[this.len++] = 1;
      return;
    }
    if (!Number.isSafeInteger(value)) throw new RangeError(`varint out of range: ${value}`);
    while (value >= 0x80) {
      this.buf[this.len++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[this.len++] = value;
  }

  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, value: number): this {
    this.key(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, WIRE_FIXED32);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, value, true);
    this.len += 4;
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE_LEN);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  message(field: number, w: ProtoWriter): this {
    return this.bytes(field, w.finish());
  }

  /** A packed repeated varint field (int64/int32 lists). */
  packedInts(field: number, values: ArrayLike<number>): this {
    const inner = new ProtoWriter(values.length * 2 + 8);
    for (let i = 0; i < values.length; i++) inner.varint(values[i]!);
    return this.message(field, inner);
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const f = Float32Array.from(values);
    return this.bytes(field, new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
