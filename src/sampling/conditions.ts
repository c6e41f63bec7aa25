/**
 * Conditions for conditional sampling, resolved against a fitted table encoder.
 *
 *   { column, value }            categorical / boolean equality (value null = missing);
 *                                on a nullable numeric column only `value: null` ("is missing")
 *   { column, min?, max? }       numeric / integer / datetime range, inclusive (datetimes: epoch ms or ISO)
 *
 * A categorical condition becomes a "guide": the softmax span and slot whose probability weights a
 * latent draw, and that is clamped when the row is decoded. A range becomes a guide on the column's
 * missing indicator (the value must be present) when the column is nullable, plus a check on the
 * decoded value (rejection).
 *
 * @throws {InputError} E_COLUMN for a column the model does not generate; E_VALUE for a value outside the
 *   fitted categories (the message lists the known ones) or a malformed condition.
 */
import { ColumnError, ValueError } from '../errors.js';
import type { Cell } from '../table/Table.js';
import type { ColumnBlock, TableEncoder } from '../transformers/TableEncoder.js';
import * as msg from '../messages.js';

export type ConditionValue = string | number | boolean | null;

export type Condition =
  | { column: string; value: ConditionValue }
  | { column: string; min?: number | string; max?: number | string };

/** One clamped softmax slot: weight a latent draw by softmax_slot(r[start .. start+width)). */
export interface Guide {
  column: string;
  start: number;
  width: number;
  slot: number;
  /** What the condition asked for (for messages). */
  label: string;
}

/** A range checked on decoded values. */
export interface RangeCheck {
  column: string;
  min: number;
  max: number;
}

export interface ResolvedConditions {
  guides: Guide[];
  ranges: RangeCheck[];
  /** The conditions as given, for reports. */
  conditions: Condition[];
}

interface OneHotState {
  type: string;
  categories: string[];
  nullable: boolean;
  unknown: 'error' | 'other';
  otherLabel: string;
}

/** Slot layout of a fitted OneHotEncoder (see OneHotEncoder.ts): categories, other, missing. */
export function oneHotLayout(block: ColumnBlock): { categories: string[]; otherSlot: number; otherLabel: string; missingSlot: number } | null {
  const s = block.transformer.toJSON() as unknown as OneHotState;
  if (s.type !== 'OneHotEncoder') return null;
  let k = s.categories.length;
  const otherSlot = s.unknown === 'other' ? k++ : -1;
  const missingSlot = s.nullable ? k++ : -1;
  return { categories: [...s.categories], otherSlot, otherLabel: s.otherLabel, missingSlot };
}

/** The category labels a column can take in decoded output (categories, the other label, null), in slot order. */
export function slotLabels(block: ColumnBlock): Cell[] | null {
  const l = oneHotLayout(block);
  if (!l) return null;
  const labels: Cell[] = [...l.categories];
  if (l.otherSlot >= 0) labels.push(l.otherLabel);
  if (l.missingSlot >= 0) labels.push(null);
  return labels;
}

function blockOf(encoder: TableEncoder, column: string): ColumnBlock {
  const b = encoder.blocks.find((x) => x.column === column);
  if (!b) {
    throw new ColumnError(msg.conditionColumnNotGenerated(column), {
      location: { column },
      hint: msg.hintConditionColumns(encoder.columns),
    });
  }
  return b;
}

function knownList(labels: readonly Cell[]): string {
  const shown = labels.slice(0, 30).map((c) => (c === null ? msg.KNOWN_MISSING : JSON.stringify(c)));
  return shown.join(', ') + (labels.length > 30 ? msg.knownInAll(labels.length) : '');
}

function toNumber(v: number | string | undefined, column: string, which: string): number | undefined {
  if (v === undefined) return undefined;
  const x = typeof v === 'number' ? v : Date.parse(v.length === 10 ? v + 'T00:00:00Z' : v);
  if (!Number.isFinite(x)) throw new ValueError(msg.conditionBoundNotNumber(column, which, JSON.stringify(v)), { location: { column } });
  return x;
}

/** Resolve conditions against a fitted encoder (see the file comment). */
export function resolveConditions(encoder: TableEncoder, conditions: readonly Condition[]): ResolvedConditions {
  const guides: Guide[] = [];
  const ranges: RangeCheck[] = [];
  const seen = new Set<string>();
  for (const c of conditions) {
    if (!c || typeof c.column !== 'string') throw new ValueError(msg.conditionNeedsColumn(JSON.stringify(c)));
    const block = blockOf(encoder, c.column);
    if (seen.has(c.column)) throw new ValueError(msg.twoConditions(c.column), { location: { column: c.column }, hint: msg.HINT_ONE_CONDITION });
    seen.add(c.column);
    const layout = oneHotLayout(block);
    const isMissingIndicator = block.transformer.type === 'MissingIndicator';
    if ('value' in c) {
      const v = c.value;
      if (layout) {
        const labels = slotLabels(block)!;
        let slot = -1;
        if (v === null) slot = layout.missingSlot;
        else {
          const s = typeof v === 'boolean' ? layout.categories[v ? 1 : 0] ?? String(v) : String(v);
          slot = layout.categories.indexOf(s);
          if (slot < 0 && layout.otherSlot >= 0 && s === layout.otherLabel) slot = layout.otherSlot;
        }
        if (slot < 0) {
          const other = layout.otherSlot >= 0 ? msg.generatedAsOther(JSON.stringify(layout.otherLabel)) : '';
          throw new ValueError(msg.valueNeverGenerated(c.column, JSON.stringify(v), other), {
            location: { column: c.column },
            hint: msg.hintKnownValuesOf(c.column, knownList(labels)),
          });
        }
        guides.push({ column: c.column, start: block.start, width: block.width, slot, label: `${c.column} = ${JSON.stringify(v)}` });
      } else if (isMissingIndicator && v === null) {
        guides.push({ column: c.column, start: block.start + block.width - 2, width: 2, slot: 1, label: `${c.column} is missing` });
      } else {
        throw new ValueError(msg.numericConditionValue(c.column, JSON.stringify(v)), {
          location: { column: c.column },
          hint: msg.hintWriteRange(c.column, isMissingIndicator),
        });
      }
    } else {
      if (layout) {
        throw new ValueError(msg.categoricalConditionNeedsValue(c.column), { location: { column: c.column }, hint: msg.hintKnownValues(knownList(slotLabels(block)!)) });
      }
      const min = toNumber(c.min, c.column, 'min') ?? -Infinity;
      const max = toNumber(c.max, c.column, 'max') ?? Infinity;
      if (!(min <= max)) throw new ValueError(msg.conditionMinAboveMax(c.column, String(c.min), String(c.max)), { location: { column: c.column } });
      if (min === -Infinity && max === Infinity) throw new ValueError(msg.conditionEmpty(c.column), { location: { column: c.column } });
      ranges.push({ column: c.column, min, max });
      if (isMissingIndicator) guides.push({ column: c.column, start: block.start + block.width - 2, width: 2, slot: 0, label: `${c.column} is present` });
    }
  }
  return { guides, ranges, conditions: [...conditions] };
}
