/**
 * Missing values of a nullable numeric-like column (numeric, integer, datetime).
 *
 * Wraps a ClusterBasedNormalizer (or DatetimeTransformer) and appends a softmax span of width 2,
 * [present, missing]. The inner transformer is fitted on the present values only; missing cells are
 * imputed with the mean of the present values before encoding (RDT's `missing_value_replacement=
 * 'mean'` with `missing_value_generation='from_column'`), and decode to null when the indicator's
 * missing slot wins the argmax.
 */
import type { Cell } from '../table/Table.js';
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Rng } from '../rng.js';
import { ValueError } from '../errors.js';
import type { OutputSpan, TransformerState } from './Transformer.js';
import { BaseTransformer, type FittedFrom, numberField, stateError, type NumericSummary, type ValueKind } from './BaseTransformer.js';
import type { ClusterBasedNormalizer } from './ClusterBasedNormalizer.js';
import type { DecodedColumn, DrawDecodeOptions } from './DecodedColumn.js';
import * as msg from '../messages.js';

export class MissingIndicator extends BaseTransformer {
  static readonly fitsFrom: readonly FittedFrom[] = ['data', 'summary'];
  readonly type: string = 'MissingIndicator';
  readonly valueKind: ValueKind = 'number';
  readonly inner: ClusterBasedNormalizer;
  /** The value missing cells are imputed with before encoding (mean of the present values). */
  private fill = 0;

  constructor(inner: ClusterBasedNormalizer) {
    super(inner.column);
    this.inner = inner;
  }

  /**
   * Fit the inner transformer from a weighted summary of the PRESENT values; the imputation value is
   * the summary's weighted mean (negative weights count as 0). Records `fittedFrom: 'summary'`.
   */
  fitFromSummary(summary: NumericSummary, spec: ColumnSpec, rng: Rng): this {
    this.checkSpec(spec);
    this.inner.fitFromSummary(summary, { ...spec, nullable: false }, rng);
    let sw = 0;
    let swx = 0;
    for (let i = 0; i < summary.points.length; i++) {
      const w = Math.max(0, summary.weights[i]!);
      sw += w;
      swx += w * summary.points[i]!;
    }
    this.fill = Math.min(summary.max, Math.max(summary.min, swx / sw));
    this.markFitted('summary');
    return this;
  }

  protected acceptsMissing(): boolean {
    return true;
  }

  protected _fit(values: readonly Cell[], spec: ColumnSpec, rng: Rng): void {
    const present: number[] = [];
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== null) {
        present.push(v as number);
        sum += v as number;
      }
    }
    if (present.length === 0) {
      throw new ValueError(msg.everyValueMissing(this.column), {
        location: { column: this.column },
        hint: msg.HINT_DROP_OR_CONSTANT,
      });
    }
    this.inner.fit(present, { ...spec, nullable: false }, rng);
    this.fill = sum / present.length;
  }

  protected _width(): number {
    return this.inner.width + 2;
  }

  protected _spans(): OutputSpan[] {
    return [...this.inner.spans, { kind: 'softmax', width: 2 }];
  }

  protected _transform(values: readonly Cell[], out: Float32Array, stride: number, offset: number, rng: Rng, firstRow: number): void {
    const n = values.length;
    const filled: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      filled[i] = v === null ? this.fill : (v as number);
    }
    this.inner.transform(filled, out, stride, offset, rng, firstRow);
    const ind = offset + this.inner.width;
    for (let i = 0; i < n; i++) {
      const base = i * stride + ind;
      const missing = values[i] === null;
      out[base] = missing ? 0 : 1;
      out[base + 1] = missing ? 1 : 0;
    }
  }

  protected _reverse(enc: Float32Array, n: number, stride: number, offset: number, rng: Rng, sigmas?: Float32Array): Cell[] {
    const res = this.inner.reverse(enc, n, stride, offset, rng, sigmas);
    const ind = offset + this.inner.width;
    for (let i = 0; i < n; i++) {
      const base = i * stride + ind;
      if (enc[base + 1]! > enc[base]!) res[i] = null;
    }
    return res;
  }

  /** Compact decode: the inner column's spans, then the indicator's drawn slot (1 = missing -> NaN). */
  override reverseDraws(draws: Float32Array, n: number, stride: number, spanOffset: number, rng: Rng, opts: DrawDecodeOptions = {}): DecodedColumn {
    this.assertFitted();
    const col = this.inner.reverseDraws(draws, n, stride, spanOffset, rng, opts);
    if (col.kind !== 'number') return col;
    const ind = spanOffset + this.inner.spans.length;
    const v = col.values;
    for (let i = 0; i < n; i++) if (draws[i * stride + ind] === 1) v[i] = NaN;
    return col;
  }

  protected _state(): Record<string, unknown> {
    return { fill: this.fill, inner: this.inner.toJSON() };
  }

  /** Restore; `restoreInner` rebuilds the wrapped transformer (the registry passes its own loader). */
  static fromJSON(state: TransformerState, restoreInner: (s: TransformerState) => BaseTransformer): MissingIndicator {
    const innerState = state.inner as TransformerState | undefined;
    if (!innerState || typeof innerState !== 'object') throw stateError(state, 'inner', innerState);
    const inner = restoreInner(innerState);
    if (inner.valueKind !== 'number' || !('fitFromSummary' in inner) || inner.column !== state.column) throw stateError(state, 'inner', innerState.type);
    const t = new MissingIndicator(inner as ClusterBasedNormalizer);
    t.restoreBase(state);
    t.fill = numberField(state, 'fill')!;
    return t;
  }
}
