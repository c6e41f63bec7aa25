/**
 * What happened to an input column, in one line a report or `info` can show: kept (as which type, read how),
 * dropped (and why), surrogate, coerced with N junk cells treated as missing, declared public.
 *
 * Reads only the schema (ColumnSpec), so it works for an inferred schema and a user's own alike.
 */
import type { ColumnSpec } from './Metadata.js';

export type ColumnFateKind = 'kept' | 'dropped' | 'surrogate';

export interface ColumnFate {
  column: string;
  fate: ColumnFateKind;
  type: ColumnSpec['type'];
  /** Junk cells treated as missing (when inspect coerced the column), else 0. */
  junkCells: number;
  /** The bounds / categories were declared public (not read from the data). */
  declaredPublic: boolean;
  /** One line for humans, e.g. 'kept as numeric; coerced with 5 junk cells treated as missing ("n/a", "-")'. */
  summary: string;
}

export function columnFate(c: ColumnSpec): ColumnFate {
  const fate: ColumnFateKind = c.action === 'surrogate' ? 'surrogate' : c.action === 'drop' || c.type === 'id' ? 'dropped' : 'kept';
  const parts: string[] = [];
  if (fate === 'kept') parts.push(`kept as ${c.type}${c.type === 'text' ? ' (written by the LLM filler, or left out)' : ''}`);
  else if (fate === 'surrogate') parts.push('replaced by fresh surrogate values');
  else parts.push(c.reason && /dropped as/.test(c.reason) ? '' : `dropped (${c.type === 'id' ? 'an identifier' : 'action "drop" in the schema'})`);
  if (c.reason) parts.push(c.reason.replace(/coerced to \w+ with/, 'coerced with'));
  if (c.numberFormat && !c.reason) parts.push('numbers written in the input\'s format');
  if (c.dateFormat && !c.reason) parts.push(`dates written as ${c.dateFormat}`);
  if (c.missingMarker) parts.push(`missing written as ${JSON.stringify(c.missingMarker)}`);
  if (c.public) parts.push('bounds/categories declared public');
  return {
    column: c.name,
    fate,
    type: c.type,
    junkCells: c.junkCells ?? 0,
    declaredPublic: Boolean(c.public),
    summary: parts.filter(Boolean).join('; '),
  };
}
