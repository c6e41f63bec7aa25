/**
 * Categorical and boolean columns: one softmax span with one slot per category; decode by argmax.
 *
 * Slots, in order: the categories, then an "other" slot when `unknown: 'other'`, then a missing
 * slot when the column is nullable (missing is simply its own category; decoded to null).
 *
 * Category order: the schema's declared `categories` when present (booleans: false spelling first),
 * otherwise the distinct values sorted by code unit, so the encoding does not depend on row order.
 *
 * Unknown values at transform time are an InputError naming the column, row and value, unless the
 * encoder was built with `unknown: 'other'`; the other slot decodes to `otherLabel`.
 * Categories rarer than `minFrequency` (count in `fit`, given frequency in `fitFromSummary`) are
 * folded into the other slot (needs `unknown: 'other'`).
 */
import type { Cell } from '../table/Table.js';
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Rng } from '../rng.js';
import { InputError, PrivacyError, SchemaValueError, ValueError } from '../errors.js';
import type { DecodedColumn } from './DecodedColumn.js';
import type { OutputSpan, TransformerState } from './Transformer.js';
import { BaseTransformer, type FittedFrom, numberField, stateError, type CategorySummary, type ValueKind } from './BaseTransformer.js';
import * as msg from '../messages.js';

export interface OneHotEncoderOptions {
  /** What to do with a value outside the fitted categories (default 'error'). */
  unknown?: 'error' | 'other';
  /** The value the other slot decodes to (default "(other)"). */
  otherLabel?: string;
  /** Categories seen fewer times than this go to the other slot (default 0 = keep all). */
  minFrequency?: number;
}

export class OneHotEncoder extends BaseTransformer {
  /** Fit paths: raw column, a category list (`fitFromSummary`), or declared public categories (`fitDeclared`). */
  static readonly fitsFrom: readonly FittedFrom[] = ['data', 'summary', 'declared'];
  readonly type: string = 'OneHotEncoder';
  readonly valueKind: ValueKind = 'string';
  readonly unknown: 'error' | 'other';
  readonly otherLabel: string;
  readonly minFrequency: number;

  private categories: string[] = [];
  private nullable = false;
  private index = new Map<string, number>();
  private otherSlot = -1;
  private missingSlot = -1;
  private slots = 0;

  constructor(column: string, options: OneHotEncoderOptions = {}) {
    super(column);
    this.unknown = options.unknown ?? 'error';
    this.otherLabel = options.otherLabel ?? '(other)';
    this.minFrequency = options.minFrequency ?? 0;
    if (!(this.minFrequency >= 0)) throw new RangeError(`minFrequency must be >= 0, got ${this.minFrequency}`);
    if (this.minFrequency > 0 && this.unknown !== 'other') {
      throw new RangeError(`column "${column}": minFrequency > 0 folds rare categories into the other slot; set unknown: 'other' as well`);
    }
  }

  /** The fitted categories (without the other/missing slots). */
  get fittedCategories(): string[] {
    this.assertFitted();
    return [...this.categories];
  }

  /**
   * Fit from the schema's declared public categories only (no data read, no budget).
   * @throws {PrivacyError} when the categories are not declared public
   */
  fitDeclared(spec: ColumnSpec): this {
    this.checkSpec(spec);
    if (!spec.categories || spec.categories.length === 0) {
      throw new SchemaValueError(msg.noCategoriesDeclared(this.column), { location: { column: this.column }, hint: msg.HINT_LIST_CATEGORIES });
    }
    if (spec.public !== true) {
      throw new PrivacyError(msg.categoriesNotPublic(this.column), {
        location: { column: this.column },
        hint: msg.HINT_DECLARE_CATEGORIES_PUBLIC,
      });
    }
    this.setup(spec.categories, spec.nullable);
    this.markFitted('declared');
    return this;
  }

  /**
   * Fit from a category list (e.g. chosen by a DP mechanism), with optional (noisy) frequencies used
   * only for `minFrequency`. Records `fittedFrom: 'summary'`.
   */
  fitFromSummary(summary: CategorySummary, spec: ColumnSpec): this {
    this.checkSpec(spec);
    const { categories, frequencies } = summary;
    if (frequencies && frequencies.length !== categories.length) {
      throw new ValueError(msg.categoriesFrequenciesDiffer(this.column, categories.length, frequencies.length), { location: { column: this.column } });
    }
    if (frequencies?.some((f) => !Number.isFinite(f))) throw new ValueError(msg.frequenciesNotFinite(this.column), { location: { column: this.column } });
    const kept = frequencies && this.minFrequency > 0 ? categories.filter((_, i) => frequencies[i]! >= this.minFrequency) : categories;
    this.setup(kept, spec.nullable);
    this.markFitted('summary');
    return this;
  }

  protected acceptsMissing(): boolean {
    // Before fitting, fit() validates against the spec in _fit; afterwards, only a nullable encoder takes nulls.
    return !this.isFitted || this.missingSlot >= 0;
  }

  protected _fit(values: readonly Cell[], spec: ColumnSpec): void {
    const counts = new Map<string, number>();
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null) {
        if (!spec.nullable) {
          throw new ValueError(msg.missingNotNullable(this.column, i + 1), {
            location: { column: this.column, row: i + 1 },
            hint: msg.HINT_DECLARE_NULLABLE,
          });
        }
        continue;
      }
      counts.set(v as string, (counts.get(v as string) ?? 0) + 1);
    }
    let cats: string[];
    if (spec.categories && spec.categories.length > 0) {
      cats = [...spec.categories];
      if (this.unknown === 'error') {
        const declared = new Set(cats);
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (v !== null && !declared.has(v as string)) throw this.unknownError(v as string, i);
        }
      }
    } else {
      cats = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    if (this.minFrequency > 0) cats = cats.filter((c) => (counts.get(c) ?? 0) >= this.minFrequency);
    if (cats.length === 0 && !spec.nullable && this.unknown !== 'other') {
      throw new ValueError(msg.noCategoriesEmptyColumn(this.column), { location: { column: this.column } });
    }
    this.setup(cats, spec.nullable);
  }

  private setup(categories: readonly string[], nullable: boolean): void {
    const index = new Map<string, number>();
    categories.forEach((c, i) => {
      if (typeof c !== 'string') throw new SchemaValueError(msg.categoryNotString(this.column, JSON.stringify(c)), { location: { column: this.column } });
      if (index.has(c)) throw new SchemaValueError(msg.categoryListedTwice(this.column, c), { location: { column: this.column } });
      index.set(c, i);
    });
    this.categories = [...categories];
    this.index = index;
    this.nullable = nullable;
    let slots = categories.length;
    this.otherSlot = this.unknown === 'other' ? slots++ : -1;
    this.missingSlot = nullable ? slots++ : -1;
    this.slots = slots;
    if (slots === 0) throw new ValueError(msg.noCategoriesToEncode(this.column), { location: { column: this.column } });
  }

  private unknownError(v: string, i: number): InputError {
    const known = this.categories.length ? this.categories : [];
    return new ValueError(msg.unknownCategory(this.column, i + 1, v), {
      location: { column: this.column, row: i + 1 },
      hint: msg.hintKnownCategories(known),
    });
  }

  protected _width(): number {
    return this.slots;
  }

  protected _spans(): OutputSpan[] {
    return [{ kind: 'softmax', width: this.slots }];
  }

  protected _transform(values: readonly Cell[], out: Float32Array, stride: number, offset: number, _rng: Rng, firstRow: number): void {
    const w = this.slots;
    const index = this.index;
    for (let i = 0, n = values.length; i < n; i++) {
      const v = values[i];
      let slot: number;
      if (v === null) slot = this.missingSlot; // checkValues rejected nulls when there is no missing slot
      else {
        const s = index.get(v as string);
        if (s !== undefined) slot = s;
        else if (this.otherSlot >= 0) slot = this.otherSlot;
        else throw this.unknownError(v as string, firstRow + i);
      }
      const base = i * stride + offset;
      for (let j = 0; j < w; j++) out[base + j] = 0;
      out[base + slot] = 1;
    }
  }

  protected _reverse(enc: Float32Array, n: number, stride: number, offset: number): Cell[] {
    const w = this.slots;
    const labels: Cell[] = [...this.categories];
    if (this.otherSlot >= 0) labels[this.otherSlot] = this.otherLabel;
    if (this.missingSlot >= 0) labels[this.missingSlot] = null;
    const res: Cell[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const base = i * stride + offset;
      let k = 0;
      let best = enc[base]!;
      for (let j = 1; j < w; j++) {
        const v = enc[base + j]!;
        if (v > best) {
          best = v;
          k = j;
        }
      }
      res[i] = labels[k]!;
    }
    return res;
  }

  /** The label of each slot (categories, then other, then missing = null), as `reverse` decodes them. */
  get slotLabels(): Cell[] {
    const labels: Cell[] = [...this.categories];
    if (this.otherSlot >= 0) labels[this.otherSlot] = this.otherLabel;
    if (this.missingSlot >= 0) labels[this.missingSlot] = null;
    return labels;
  }

  override reverseDraws(draws: Float32Array, n: number, stride: number, spanOffset: number): DecodedColumn {
    this.assertFitted();
    const codes = new Int32Array(n);
    const last = this.slots - 1;
    for (let i = 0; i < n; i++) {
      const k = draws[i * stride + spanOffset]!;
      codes[i] = k >= 0 && k <= last ? k : last;
    }
    return { kind: 'code', codes, labels: this.slotLabels };
  }

  protected _state(): Record<string, unknown> {
    return { categories: [...this.categories], nullable: this.nullable, unknown: this.unknown, otherLabel: this.otherLabel, minFrequency: this.minFrequency };
  }

  static fromJSON(state: TransformerState): OneHotEncoder {
    const { categories, nullable, unknown, otherLabel } = state;
    if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string')) throw stateError(state, 'categories', categories);
    if (typeof nullable !== 'boolean') throw stateError(state, 'nullable', nullable);
    if (unknown !== 'error' && unknown !== 'other') throw stateError(state, 'unknown', unknown);
    if (typeof otherLabel !== 'string') throw stateError(state, 'otherLabel', otherLabel);
    const enc = new OneHotEncoder(String(state.column), { unknown, otherLabel, minFrequency: numberField(state, 'minFrequency')! });
    enc.restoreBase(state);
    enc.setup(categories as string[], nullable);
    return enc;
  }
}
