/**
 * The encoded training matrix, stored by span instead of densely.
 *
 * TableEncoder's dense rows are mostly zeros: a tanh span holds one value, a softmax span (a mode or a
 * category) one 1 among its zeros. Stored as one Float32 per tanh span and one slot index per softmax span, a
 * row of flights-3m (5 columns, 488 encoded floats) takes 22 bytes instead of 1,952, and the 3-million-row
 * matrix 66 MB instead of 5.6 GiB. `gather` writes the dense rows of a batch, equal float for float to the rows
 * of `TableEncoder.encode` (zeros included), so what a model is trained on does not change.
 *
 *   dense block (m x width, from the transformers) ──setDense──► values (n x tanh spans), hot (n x softmax spans)
 *   rows [r0, r1, ...] ──gather──► dense batch (rows.length x width)
 *
 * Memory: 4 bytes per tanh span and 2 (4 when a softmax span is wider than 65,535) per softmax span and row.
 */
import { InternalError } from '../errors.js';

/** The bits of 1.0f. */
const ONE_BITS = 0x3f800000;

export interface EncodedSpanLayout {
  kind: 'tanh' | 'softmax';
  start: number;
  width: number;
}

export class EncodedRows {
  /** Rows. */
  readonly n: number;
  /** Dense row width (encoded columns). */
  readonly width: number;
  /** Encoded column of each tanh span. */
  private readonly tanhAt: Int32Array;
  /** First encoded column of each softmax span, and its width. */
  private readonly softStart: Int32Array;
  private readonly softWidth: Int32Array;
  /** n x tanh spans, row-major. */
  private readonly values: Float32Array;
  /** n x softmax spans, row-major: the hot slot within the span. */
  private readonly hot: Uint16Array | Uint32Array;

  constructor(spans: readonly EncodedSpanLayout[], width: number, n: number) {
    if (!Number.isInteger(n) || n < 0) throw new InternalError(`EncodedRows: row count ${n} is not a non-negative integer`);
    const tanh = spans.filter((s) => s.kind === 'tanh');
    const soft = spans.filter((s) => s.kind === 'softmax');
    const covered = tanh.length + soft.reduce((a, s) => a + s.width, 0);
    if (covered !== width) throw new InternalError(`EncodedRows: spans cover ${covered} encoded columns, the width is ${width}`);
    this.n = n;
    this.width = width;
    this.tanhAt = Int32Array.from(tanh, (s) => s.start);
    this.softStart = Int32Array.from(soft, (s) => s.start);
    this.softWidth = Int32Array.from(soft, (s) => s.width);
    this.values = new Float32Array(n * tanh.length);
    this.hot = soft.some((s) => s.width > 0xffff) ? new Uint32Array(n * soft.length) : new Uint16Array(n * soft.length);
  }

  /** Bytes held (the dense matrix would take n x width x 4). */
  get byteLength(): number {
    return this.values.byteLength + this.hot.byteLength;
  }

  /**
   * Store rows [first, first + m) from their dense encoding (m x width, row-major).
   * @throws {InternalError} when a softmax span of a row is not one-hot (exactly one 1, zeros elsewhere)
   */
  setDense(first: number, dense: Float32Array, m: number): void {
    const W = this.width;
    const T = this.tanhAt.length;
    const S = this.softStart.length;
    if (!(first >= 0 && first + m <= this.n) || dense.length < m * W) throw new InternalError(`EncodedRows.setDense: rows [${first}, ${first + m}) of ${this.n}, ${dense.length} floats for width ${W}`);
    // compare bit patterns: exactly +0 and 1 (a -0 or 0.5 is not one-hot and would not survive the round trip)
    const bits = new Uint32Array(dense.buffer, dense.byteOffset, m * W);
    for (let i = 0; i < m; i++) {
      const base = i * W;
      const r = first + i;
      for (let t = 0; t < T; t++) this.values[r * T + t] = dense[base + this.tanhAt[t]!]!;
      for (let s = 0; s < S; s++) {
        const start = base + this.softStart[s]!;
        const w = this.softWidth[s]!;
        let hot = -1;
        let bad = false;
        for (let j = 0; j < w; j++) {
          const b = bits[start + j]!;
          if (b !== 0) {
            if (b === ONE_BITS && hot < 0) hot = j;
            else bad = true;
          }
        }
        if (hot < 0 || bad) throw new InternalError(`EncodedRows: row ${r + 1}, softmax span at encoded column ${this.softStart[s]}: not one-hot`);
        this.hot[r * S + s] = hot;
      }
    }
  }

  /** Write the dense encoding of `rows` (table row indices) into `out` (rows.length x width, row-major). */
  gather(rows: ArrayLike<number>, out: Float32Array): void {
    const W = this.width;
    const T = this.tanhAt.length;
    const S = this.softStart.length;
    const B = rows.length;
    if (out.length < B * W) throw new InternalError(`EncodedRows.gather: ${out.length} floats cannot hold ${B} rows of width ${W}`);
    out.fill(0, 0, B * W);
    for (let i = 0; i < B; i++) {
      const r = rows[i]!;
      if (!(r >= 0 && r < this.n)) throw new RangeError(`EncodedRows.gather: row ${r} is outside [0, ${this.n})`);
      const base = i * W;
      for (let t = 0; t < T; t++) out[base + this.tanhAt[t]!] = this.values[r * T + t]!;
      for (let s = 0; s < S; s++) out[base + this.softStart[s]! + this.hot[r * S + s]!] = 1;
    }
  }
}
