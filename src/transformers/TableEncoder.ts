/**
 * The table encoder: one fitted transformer per modelled column, concatenated into a row-major
 * Float32Array of n x width, and back.
 *
 *   Table (typed cells) ──encode──► Float32Array [row0: col-a block | col-b block | …, row1: …]
 *   Float32Array ──decode (argmax / tanh inverse, optional sigmas)──► Table (modelled columns, spec order)
 *
 * `spans` list the output heads with absolute offsets, in column order:
 *   { kind: 'tanh', start, width: 1 } | { kind: 'softmax', start, width }
 * and `blocks` say which encoded columns belong to which table column.
 *
 * Modelled columns: `action === 'keep'` and a default transformer exists (not text / id).
 * Randomness: each column gets its own fork of the passed generator (labelled by column name), so
 * adding a column does not change the draws of the others.
 */
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Cell, Table } from '../table/Table.js';
import type { Rng } from '../rng.js';
import { InternalError, ModelError, ColumnError, ModelVersionError, ValueError } from '../errors.js';
import type { OutputSpan } from './Transformer.js';
import type { DecodedColumn, DrawDecodeOptions } from './DecodedColumn.js';
import type { BaseTransformer } from './BaseTransformer.js';
import { EncodedRows } from './EncodedRows.js';
import { transformerFor, transformerFromJSON, type TransformerDefaults } from './registry.js';
import * as msg from '../messages.js';

export type EncodedSpan = { kind: 'tanh'; start: number; width: 1 } | { kind: 'softmax'; start: number; width: number };

export interface ColumnBlock {
  column: string;
  transformer: BaseTransformer;
  /** First encoded column of this table column. */
  start: number;
  width: number;
}

export const TABLE_ENCODER_KIND = 'privsynth.tableEncoder';
export const TABLE_ENCODER_VERSION = 1;

export interface TableEncoderState {
  kind: typeof TABLE_ENCODER_KIND;
  version: number;
  transformers: ReturnType<BaseTransformer['toJSON']>[];
}

/** Columns the encoder models, in spec order. */
export function encodedColumns(columns: readonly ColumnSpec[]): ColumnSpec[] {
  return columns.filter((c) => c.action === 'keep' && c.type !== 'text' && c.type !== 'id');
}

export class TableEncoder {
  readonly blocks: readonly ColumnBlock[];
  readonly width: number;
  readonly spans: readonly EncodedSpan[];

  private constructor(transformers: readonly BaseTransformer[]) {
    const seen = new Set<string>();
    const blocks: ColumnBlock[] = [];
    const spans: EncodedSpan[] = [];
    let start = 0;
    for (const t of transformers) {
      if (seen.has(t.column)) throw new InternalError(`TableEncoder: two transformers for column "${t.column}"`);
      seen.add(t.column);
      const width = t.width;
      blocks.push({ column: t.column, transformer: t, start, width });
      let s = start;
      for (const sp of t.spans) {
        spans.push(toEncodedSpan(sp, s));
        s += sp.kind === 'tanh' ? 1 : sp.width;
      }
      if (s !== start + width) throw new InternalError(`transformer ${t.type} for column "${t.column}": spans cover ${s - start} columns, width is ${width}`);
      start += width;
    }
    this.blocks = blocks;
    this.width = start;
    this.spans = spans;
  }

  /** Names of the modelled columns, in order. */
  get columns(): string[] {
    return this.blocks.map((b) => b.column);
  }

  /** Columns whose transformer read the private column directly (a non-DP fit). */
  get columnsFittedOnData(): string[] {
    return this.blocks.filter((b) => b.transformer.readsPrivateData).map((b) => b.column);
  }

  /**
   * Fit the default transformer of every modelled column on the raw (typed) table. Non-private:
   * every transformer records `fittedFrom: 'data'`.
   * @throws {InputError} when a modelled column is absent from the table or holds bad values
   */
  static fit(columns: readonly ColumnSpec[], table: Table, rng: Rng, defaults: TransformerDefaults = {}): TableEncoder {
    const ts: BaseTransformer[] = [];
    for (const spec of encodedColumns(columns)) {
      const t = transformerFor(spec, defaults);
      if (!t) continue;
      t.fit(columnOf(table, spec.name), spec, rng.fork(`fit:${spec.name}`));
      ts.push(t);
    }
    return new TableEncoder(ts);
  }

  /** Assemble already-fitted transformers (e.g. fitted from DP summaries), in the given order. */
  static fromTransformers(transformers: readonly BaseTransformer[]): TableEncoder {
    for (const t of transformers) if (!t.isFitted) throw new InternalError(`TableEncoder.fromTransformers: transformer for column "${t.column}" is not fitted`);
    return new TableEncoder(transformers);
  }

  /** Encode all rows: a row-major Float32Array of rowCount x width. */
  encode(table: Table, rng: Rng): Float32Array {
    const n = table.rowCount;
    const out = new Float32Array(n * this.width);
    for (const b of this.blocks) {
      const col = columnOf(table, b.column);
      if (col.length !== n) throw new ValueError(msg.columnLengthDiffers(b.column, col.length, n), { location: { column: b.column, file: table.source } });
      b.transformer.transform(col, out, this.width, b.start, rng.fork(`encode:${b.column}`));
    }
    return out;
  }

  /**
   * Encode all rows into the compact `EncodedRows` (see there): equal, row for row, to `encode` with the same
   * generator, without holding the dense n x width matrix. Works through blocks of about `chunkFloats` dense
   * floats (default 2^21, 8 MiB); errors name the table's row as `encode`'s do.
   * @throws {InputError} as `encode`; {InternalError} when a transformer writes a softmax span that is not one-hot
   */
  encodeRows(table: Table, rng: Rng, opts: { chunkFloats?: number } = {}): EncodedRows {
    const n = table.rowCount;
    const W = this.width;
    const cols = this.blocks.map((b) => {
      const col = columnOf(table, b.column);
      if (col.length !== n) throw new ValueError(msg.columnLengthDiffers(b.column, col.length, n), { location: { column: b.column, file: table.source } });
      return col;
    });
    // one generator per column for the whole column, continued from chunk to chunk, as encode's single call
    const rngs = this.blocks.map((b) => rng.fork(`encode:${b.column}`));
    const rows = new EncodedRows(this.spans, W, n);
    const chunk = Math.max(1, Math.min(n, Math.floor((opts.chunkFloats ?? 2 ** 21) / Math.max(1, W))));
    const buf = new Float32Array(chunk * W);
    for (let first = 0; first < n; first += chunk) {
      const m = Math.min(chunk, n - first);
      const dense = buf.subarray(0, m * W);
      dense.fill(0);
      this.blocks.forEach((b, k) => b.transformer.transform(cols[k]!.slice(first, first + m), dense, W, b.start, rngs[k]!, first));
      rows.setDense(first, dense, m);
    }
    return rows;
  }

  /**
   * Decode rows [0, n) of a row-major matrix (e.g. decoder outputs after activation) into a table of
   * the modelled columns. `sigmas`, when given, has one entry per encoded column (TVAE's learned
   * output noise); tanh spans add N(0, sigma) before inverting.
   */
  decode(enc: Float32Array, n: number, rng: Rng, sigmas?: Float32Array): Table {
    if (!Number.isInteger(n) || n < 0 || enc.length < n * this.width) {
      throw new ValueError(msg.decodeBufferTooSmall(enc.length, n, this.width));
    }
    if (sigmas && sigmas.length !== this.width) throw new ValueError(msg.decodeSigmasLength(sigmas.length, this.width));
    const cols: Cell[][] = this.blocks.map((b) => b.transformer.reverse(enc, n, this.width, b.start, rng.fork(`decode:${b.column}`), sigmas));
    return { names: this.columns, columns: cols, rowCount: n };
  }

  /** Index of each block's first output span in `spans`. */
  get blockSpanOffsets(): number[] {
    const out: number[] = [];
    let k = 0;
    for (const b of this.blocks) {
      out.push(k);
      k += b.transformer.spans.length;
    }
    return out;
  }

  /**
   * Decode compact draws (n x spans.length, row-major: per span a tanh value or a drawn index; see
   * BaseTransformer.reverseDraws) into one typed column per modelled column, in `columns` order.
   * Each column draws from its own fork of `rng`, as `decode`.
   */
  decodeDraws(draws: Float32Array, n: number, rng: Rng, opts: DrawDecodeOptions = {}): DecodedColumn[] {
    const S = this.spans.length;
    if (!Number.isInteger(n) || n < 0 || draws.length < n * S) throw new ValueError(msg.decodeDrawsTooSmall(draws.length, n, S));
    const offs = this.blockSpanOffsets;
    return this.blocks.map((b, k) => b.transformer.reverseDraws(draws, n, S, offs[k]!, rng.fork(`decode:${b.column}`), opts));
  }

  toJSON(): TableEncoderState {
    return { kind: TABLE_ENCODER_KIND, version: TABLE_ENCODER_VERSION, transformers: this.blocks.map((b) => b.transformer.toJSON()) };
  }

  /** @throws {ModelError} for another kind/version or a damaged transformer state */
  static fromJSON(state: unknown): TableEncoder {
    const s = state as Partial<TableEncoderState> | null;
    if (!s || typeof s !== 'object' || s.kind !== TABLE_ENCODER_KIND) throw new ModelError(msg.notTableEncoderState(JSON.stringify(s?.kind)), { hint: msg.HINT_MODEL_FILE_DAMAGED });
    if (s.version !== TABLE_ENCODER_VERSION) {
      throw new ModelVersionError(msg.tableEncoderVersion(String(s.version), TABLE_ENCODER_VERSION), { hint: msg.HINT_REFIT_THIS_VERSION });
    }
    if (!Array.isArray(s.transformers)) throw new ModelError(msg.TABLE_ENCODER_NO_TRANSFORMERS);
    return new TableEncoder(s.transformers.map((t) => transformerFromJSON(t)));
  }
}

function toEncodedSpan(sp: OutputSpan, start: number): EncodedSpan {
  return sp.kind === 'tanh' ? { kind: 'tanh', start, width: 1 } : { kind: 'softmax', start, width: sp.width };
}

function columnOf(table: Table, name: string): Cell[] {
  const j = table.names.indexOf(name);
  if (j < 0) {
    throw new ColumnError(msg.schemaColumnNotInTable(name, table.source), {
      location: { column: name, file: table.source },
      hint: msg.hintTableColumns(table.names.slice(0, 20)),
    });
  }
  return table.columns[j]!;
}
