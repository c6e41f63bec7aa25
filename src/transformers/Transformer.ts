/**
 * A reversible column transformer: real column <-> block of encoded numeric columns.
 *
 * The public `fit` / `transform` / `reverse` of `BaseTransformer` do the bookkeeping and validation;
 * subclasses implement the small hooks (`_fit`, `_transform`, `_reverse`), as sdv-dev/RDT does.
 *
 * Encoded values: each transformer writes `width` float columns and describes them as output spans
 * the VAE uses to choose its output heads:
 *   - `{ kind: 'tanh' }`      a scalar in [-1, 1] modelled by tanh + Gaussian (TVAE's continuous head)
 *   - `{ kind: 'softmax', width }` a one-hot block modelled by a softmax head (cross-entropy)
 *
 * Privacy: `fit` reads the private column. A transformer states whether that fit costs privacy
 * budget; the DP path (`fitPrivate`) receives an epsilon share and a seeded RNG, and records what it
 * spent; the non-private path is marked not DP. Fitted state is plain JSON (`toJSON`) and must never
 * contain raw rows.
 */
import type { Cell } from '../table/Table.js';
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Rng } from '../rng.js';

export type OutputSpan = { kind: 'tanh' } | { kind: 'softmax'; width: number };

export interface DpFitBudget {
  /** Zero-concentrated DP budget (rho) this fit may spend; 0 = must use declared public values only. */
  rho: number;
  rng: Rng;
}

export interface SpendRecord {
  label: string;
  mechanism: string;
  /** zCDP rho spent. */
  rho: number;
  params: Record<string, number | string | boolean>;
}

export interface TransformerState {
  type: string;
  column: string;
  [key: string]: unknown;
}

export interface Transformer {
  readonly type: string;
  readonly column: string;
  /** Number of encoded float columns. */
  readonly width: number;
  readonly spans: OutputSpan[];
  /**
   * Write encoded values of `values` into `out` (row-major, stride `stride`, starting at `offset`).
   * `firstRow` (default 0): the table row of `values[0]`, for error messages when encoding in chunks.
   */
  transform(values: readonly Cell[], out: Float32Array, stride: number, offset: number, rng: Rng, firstRow?: number): void;
  /**
   * Decode rows [0, n) of `enc` (row-major, stride, offset) back to cells. `sigmas` (per encoded
   * column, may be undefined) are the decoder's learned output noise for tanh spans.
   */
  reverse(enc: Float32Array, n: number, stride: number, offset: number, rng: Rng, sigmas?: Float32Array): Cell[];
  toJSON(): TransformerState;
}
