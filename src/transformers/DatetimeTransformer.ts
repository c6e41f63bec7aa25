/**
 * Datetime columns: epoch milliseconds (as typed by the schema) encoded by mode-specific
 * normalisation, exactly as a numeric column; decoded back to epoch milliseconds, rounded to whole
 * UTC days when the schema's `format` is 'date', else to whole milliseconds.
 *
 * Declared bounds in the schema are ISO strings (or epoch ms numbers).
 */
import type { ColumnSpec } from '../metadata/Metadata.js';
import { SchemaValueError } from '../errors.js';
import type { TransformerState } from './Transformer.js';
import { ClusterBasedNormalizer, optionsOf, type ClusterBasedNormalizerOptions } from './ClusterBasedNormalizer.js';
import { stateError } from './BaseTransformer.js';
import * as msg from '../messages.js';

const DAY_MS = 86_400_000;

export type DatetimeFormat = 'date' | 'datetime';

export class DatetimeTransformer extends ClusterBasedNormalizer {
  override readonly type: string = 'DatetimeTransformer';
  private format: DatetimeFormat = 'datetime';

  constructor(column: string, options: ClusterBasedNormalizerOptions = {}) {
    super(column, options);
  }

  protected override declaredBounds(spec: ColumnSpec): { min?: number; max?: number } {
    const ms = (v: number | string | undefined, which: string): number | undefined => {
      if (v === undefined) return undefined;
      const t = typeof v === 'number' ? v : Date.parse(v);
      if (Number.isFinite(t)) return t;
      throw new SchemaValueError(msg.schemaBoundNotDate(this.column, which, JSON.stringify(v)), {
        location: { column: this.column },
        hint: msg.HINT_DATE_BOUNDS,
      });
    };
    return { min: ms(spec.min, 'min'), max: ms(spec.max, 'max') };
  }

  protected override decimalsFor(spec: ColumnSpec): number | null {
    this.format = spec.format === 'date' ? 'date' : 'datetime';
    return 0;
  }

  override get roundingUnit(): number | null {
    return this.format === 'date' ? DAY_MS : 1;
  }

  protected override round(x: number): number {
    return this.format === 'date' ? Math.round(x / DAY_MS) * DAY_MS + 0 : Math.round(x) + 0;
  }

  protected override _state(): Record<string, unknown> {
    return { ...super._state(), format: this.format };
  }

  protected override restore(state: TransformerState): this {
    super.restore(state);
    if (state.format !== 'date' && state.format !== 'datetime') throw stateError(state, 'format', state.format);
    this.format = state.format;
    return this;
  }

  static override fromJSON(state: TransformerState): DatetimeTransformer {
    return new DatetimeTransformer(String(state.column), optionsOf(state)).restore(state);
  }
}
