/**
 * The bookkeeping every transformer shares, as sdv-dev/RDT's `BaseTransformer`: the public
 * `fit` / `transform` / `reverse` / `toJSON` check the fitted state, the buffer layout and the cell
 * kinds, and name the column and row in every error; subclasses implement the hooks `_fit`,
 * `_transform`, `_reverse`, `_state`.
 *
 * Privacy bookkeeping: every fit records what it read, `fittedFrom`:
 *   - 'data'     the raw private column (non-private fit: whatever is trained on top is not DP
 *                unless this transformer's parameters are public anyway);
 *   - 'summary'  a summary the caller built (for DP: with noise, budget spent and recorded there);
 *   - 'declared' public values declared in the schema (`public: true`), free of budget.
 * It is part of the JSON state, so a saved model says how its transformers were fitted.
 */
import type { Cell } from '../table/Table.js';
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Rng } from '../rng.js';
import { InternalError, ModelError, ModelVersionError, ValueError } from '../errors.js';
import type { OutputSpan, Transformer, TransformerState } from './Transformer.js';
import type { DecodedColumn, DrawDecodeOptions } from './DecodedColumn.js';
import * as msg from '../messages.js';

export type FittedFrom = 'data' | 'summary' | 'declared';
const FITTED_FROM: readonly FittedFrom[] = ['data', 'summary', 'declared'];

/** Version of the transformer JSON state; `fromJSON` refuses other versions. */
export const TRANSFORMER_STATE_VERSION = 1;

/** The kind of cell a transformer reads and writes (see "typed cells" in Transformer.ts). */
export type ValueKind = 'number' | 'string';

/** A weighted summary of a numeric column, for fitting without reading raw values (the DP path). */
export interface NumericSummary {
  /** Support points, e.g. histogram bin centres. */
  points: Float64Array;
  /** Weights per point, e.g. noisy counts; negative weights count as 0. */
  weights: Float64Array;
  /** Output clipping bounds (declared or bought with budget by the caller). */
  min: number;
  max: number;
  /**
   * Width of the bins the points stand for (optional). A mode away from the bounds gets a std of at least half
   * of it: a mode fitted to one noisy bin would otherwise get a std near 0 and decode every value to one point.
   */
  resolution?: number;
  /**
   * The bound points' own mass (optional): their weight without the values clipped onto the bound. Only that can be
   * a point mass (fitFromSummary); a clipped tail piled on the bound is fitted with the other points.
   */
  boundMass?: { min: number; max: number };
  /**
   * Interior point masses (optional): values holding a share of the column by themselves (heaped integers, e.g. loan
   * terms of 36, 48 or 60 months), with their mass, already taken out of `weights`. Each is a mode of its own.
   */
  pointMasses?: readonly { value: number; mass: number }[];
}

/** Categories (and optional, possibly noisy, frequencies) for fitting without raw values. */
export interface CategorySummary {
  categories: string[];
  frequencies?: number[];
}

export abstract class BaseTransformer implements Transformer {
  abstract readonly type: string;
  /** The cell kind of non-missing values. */
  abstract readonly valueKind: ValueKind;
  readonly column: string;
  private _fittedFrom: FittedFrom | null = null;

  constructor(column: string) {
    if (typeof column !== 'string' || column === '') throw new InternalError('a transformer needs a column name');
    this.column = column;
  }

  // ---- hooks -------------------------------------------------------------------------------
  /** Fit on validated raw values (kinds checked; nulls only when `acceptsMissing()`). */
  protected abstract _fit(values: readonly Cell[], spec: ColumnSpec, rng: Rng): void;
  protected abstract _width(): number;
  protected abstract _spans(): OutputSpan[];
  /** `firstRow`: the table row of `values[0]` (0-based), for error messages when encoding in chunks. */
  protected abstract _transform(values: readonly Cell[], out: Float32Array, stride: number, offset: number, rng: Rng, firstRow: number): void;
  protected abstract _reverse(enc: Float32Array, n: number, stride: number, offset: number, rng: Rng, sigmas?: Float32Array): Cell[];
  /** Fitted parameters only (plain JSON, no raw rows). */
  protected abstract _state(): Record<string, unknown>;
  /** Whether null cells may be passed to fit/transform. */
  protected abstract acceptsMissing(): boolean;

  // ---- public API --------------------------------------------------------------------------
  get isFitted(): boolean {
    return this._fittedFrom !== null;
  }

  /** What the fit read: the raw column, a caller-made summary, or declared public values. */
  get fittedFrom(): FittedFrom {
    return this.assertFitted();
  }

  /** True when the fit read the private column directly (not differentially private). */
  get readsPrivateData(): boolean {
    return this.assertFitted() === 'data';
  }

  get width(): number {
    this.assertFitted();
    return this._width();
  }

  get spans(): OutputSpan[] {
    this.assertFitted();
    return this._spans();
  }

  /** Fit on the raw (typed) column. Non-private: records `fittedFrom: 'data'`. */
  fit(values: readonly Cell[], spec: ColumnSpec, rng: Rng): this {
    this.checkSpec(spec);
    this.checkValues(values);
    this._fit(values, spec, rng);
    this.markFitted('data');
    return this;
  }

  /**
   * Encode `values` into rows [0, values.length) of `out`. `firstRow` (default 0) is the table row of
   * `values[0]`, so that errors name the table's row when a caller encodes in chunks; a chunked caller passes
   * the same `rng` to every chunk, in row order (every transformer draws per row, in row order, so chunked
   * and whole-column encodings are equal: the conformance suite checks it).
   */
  transform(values: readonly Cell[], out: Float32Array, stride: number, offset: number, rng: Rng, firstRow = 0): void {
    this.assertFitted();
    this.checkLayout(values.length, out.length, stride, offset, 'transform');
    this.checkValues(values, firstRow);
    this._transform(values, out, stride, offset, rng, firstRow);
  }

  reverse(enc: Float32Array, n: number, stride: number, offset: number, rng: Rng, sigmas?: Float32Array): Cell[] {
    this.assertFitted();
    this.checkLayout(n, enc.length, stride, offset, 'reverse');
    if (sigmas && sigmas.length < offset + this._width()) {
      throw new ValueError(msg.sigmasTooShort(this.column, sigmas.length, offset + this._width()), {
        location: { column: this.column },
      });
    }
    return this._reverse(enc, n, stride, offset, rng, sigmas);
  }

  /**
   * Decode compact draws (the sampler's output: per row one value per output span, in span order; a
   * tanh span holds tanh(r), a softmax span the drawn index) into a typed column. Rows [0, n) of
   * `draws` (row-major, `stride` values a row); this transformer's spans start at `spanOffset`.
   * The default expands the draws to the encoded layout and calls `reverse`; the hot transformers
   * override it with direct loops.
   */
  reverseDraws(draws: Float32Array, n: number, stride: number, spanOffset: number, rng: Rng, opts: DrawDecodeOptions = {}): DecodedColumn {
    this.assertFitted();
    const spans = this._spans();
    const w = this._width();
    const enc = new Float32Array(n * w);
    const sig = new Float32Array(w);
    let pos = 0;
    spans.forEach((sp, j) => {
      if (sp.kind === 'tanh') {
        sig[pos] = opts.spanSigmas?.[spanOffset + j] ?? 0;
        for (let i = 0; i < n; i++) enc[i * w + pos] = draws[i * stride + spanOffset + j]!;
        pos += 1;
      } else {
        for (let i = 0; i < n; i++) enc[i * w + pos + draws[i * stride + spanOffset + j]!] = 1;
        pos += sp.width;
      }
    });
    const cells = this.reverse(enc, n, w, 0, rng, opts.spanSigmas ? sig : undefined);
    if (this.valueKind === 'number') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = cells[i] === null ? NaN : (cells[i] as number);
      return { kind: 'number', values };
    }
    const labels: Cell[] = [];
    const index = new Map<Cell, number>();
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let k = index.get(cells[i]!);
      if (k === undefined) {
        k = labels.length;
        labels.push(cells[i]!);
        index.set(cells[i]!, k);
      }
      codes[i] = k;
    }
    return { kind: 'code', codes, labels };
  }

  toJSON(): TransformerState {
    const fittedFrom = this.assertFitted();
    return { type: this.type, column: this.column, version: TRANSFORMER_STATE_VERSION, fittedFrom, ...this._state() };
  }

  // ---- helpers for subclasses ----------------------------------------------------------------
  protected markFitted(from: FittedFrom): void {
    this._fittedFrom = from;
  }

  protected assertFitted(): FittedFrom {
    if (this._fittedFrom === null) {
      throw new InternalError(`transformer ${this.type} for column "${this.column}" is used before it was fitted; call fit (or fitFromSummary) first`);
    }
    return this._fittedFrom;
  }

  protected checkSpec(spec: ColumnSpec): void {
    if (spec.name !== this.column) throw new InternalError(`transformer for column "${this.column}" was given the spec of column "${spec.name}"`);
  }

  /** Validate the common part of a saved state and restore `fittedFrom`. */
  protected restoreBase(state: TransformerState): void {
    if (state.type !== this.type) throw new ModelError(msg.transformerStateWrongType(String(state.type), this.type));
    if (state.version !== TRANSFORMER_STATE_VERSION) {
      throw new ModelVersionError(msg.transformerStateVersion(this.column, String(state.version), TRANSFORMER_STATE_VERSION), {
        hint: msg.HINT_REFIT_THIS_VERSION,
      });
    }
    if (!FITTED_FROM.includes(state.fittedFrom as FittedFrom)) throw stateError(state, 'fittedFrom', state.fittedFrom);
    this._fittedFrom = state.fittedFrom as FittedFrom;
  }

  private checkLayout(n: number, bufLen: number, stride: number, offset: number, what: string): void {
    const w = this._width();
    if (!Number.isInteger(stride) || !Number.isInteger(offset) || offset < 0 || offset + w > stride) {
      throw new InternalError(`${what} column "${this.column}": block [${offset}, ${offset + w}) does not fit in row stride ${stride}`);
    }
    if (!Number.isInteger(n) || n < 0 || bufLen < n * stride) {
      throw new InternalError(`${what} column "${this.column}": buffer of ${bufLen} floats is too small for ${n} rows of stride ${stride}`);
    }
  }

  /** One pass over the cells: right kind, finite numbers, nulls only where allowed (`firstRow`: see transform). */
  protected checkValues(values: readonly Cell[], firstRow = 0): void {
    const kind = this.valueKind;
    const nullOk = this.acceptsMissing();
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null) {
        if (nullOk) continue;
        throw new ValueError(msg.missingNotNullable(this.column, firstRow + i + 1), {
          location: { column: this.column, row: firstRow + i + 1 },
          hint: msg.HINT_DECLARE_NULLABLE,
        });
      }
      if (typeof v !== kind || (kind === 'number' && !Number.isFinite(v as number))) {
        const shown = typeof v === 'string' ? `string "${v.length > 40 ? v.slice(0, 40) + '…' : v}"` : `${typeof v} ${String(v)}`;
        throw new ValueError(msg.cellWrongKind(this.column, firstRow + i + 1, kind === 'number' ? 'a finite number' : 'a string', shown), {
          location: { column: this.column, row: firstRow + i + 1 },
          hint: kind === 'number' ? msg.HINT_NUMBER_CELLS : msg.HINT_STRING_CELLS,
        });
      }
    }
  }
}

/** A clear error for a malformed saved state field. */
export function stateError(state: { type?: unknown; column?: unknown }, field: string, value: unknown): ModelError {
  return new ModelError(msg.transformerStateField(String(state.type), String(state.column), field, JSON.stringify(value)?.slice(0, 80)), {
    hint: msg.HINT_MODEL_FILE_EDITED,
  });
}

/** Read a finite-number array field of a saved state. */
export function numberArray(state: TransformerState, field: string): number[] {
  const v = state[field];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw stateError(state, field, v);
  return v as number[];
}

/** Read a finite-number field of a saved state (null allowed when `nullable`). */
export function numberField(state: TransformerState, field: string, nullable = false): number | null {
  const v = state[field];
  if (nullable && v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw stateError(state, field, v);
  return v;
}
