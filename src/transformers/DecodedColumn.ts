/**
 * A decoded column in typed form: what the fast sampler produces and the CSV byte writer reads,
 * without one JS value per cell.
 *
 *   number: Float64Array, NaN = missing (numeric, integer, datetime as epoch ms; already rounded)
 *   code:   Int32Array of indices into `labels` (a label may be null = missing)
 *
 * `decodedCells` turns either into the `Cell[]` a Table holds.
 */
import type { Cell } from '../table/Table.js';
import type { Rng } from '../rng.js';

export type DecodedColumn = { kind: 'number'; values: Float64Array } | { kind: 'code'; codes: Int32Array; labels: readonly Cell[] };

/** The cells of a decoded column (NaN and null labels become null). */
export function decodedCells(c: DecodedColumn): Cell[] {
  if (c.kind === 'number') {
    const v = c.values;
    const out: Cell[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = Number.isNaN(v[i]!) ? null : v[i]!;
    return out;
  }
  const { codes, labels } = c;
  const out: Cell[] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = labels[codes[i]!] ?? null;
  return out;
}

/**
 * What the compact decode of a numeric column may be given: the decoder's output sigma for its value
 * span, and a monotone transport applied to the values before clamping and rounding (calibration).
 */
export interface DrawDecodeOptions {
  /** Output noise std of each tanh span, indexed by absolute span index (TVAE's learned sigma). */
  spanSigmas?: Float32Array;
  /** Applied in place to a numeric column's unrounded values (present rows only are meaningful). */
  transport?: (column: string, values: Float64Array, rng: Rng) => void;
}
