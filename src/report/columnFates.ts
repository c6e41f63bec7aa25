/**
 * columnFates: what happened to every input column, for the report and `privsynth info`: kept
 * (modelled), dropped (as PII, as an identifier, or by the schema, with the reason), replaced by
 * surrogates, a text column, coerced with N junk cells treated as missing, and whether its bounds or
 * categories were declared public (used without spending epsilon: the epsilon claim does not cover
 * them, so a reader must know).
 *
 * Reads only the schema (and the input's header names): no data values beyond what the schema holds.
 * `junkCells` and `reason` are optional schema fields written by `inspect` (0 / derived when absent).
 * The one place that words a column's fate (the library exports it; the report and `info` use it).
 */
import type { ColumnSpec, Metadata } from '../metadata/Metadata.js';

export type ColumnFateKind = 'kept' | 'dropped' | 'surrogate' | 'text' | 'not_in_schema';

export interface ColumnFate {
  name: string;
  type: string;
  fate: ColumnFateKind;
  /** One sentence: why, and what it means for the output. */
  reason: string;
  /** Cells of the input that were not values of the type and were treated as missing. */
  junkCells: number;
  /** Bounds/categories declared public in the schema (not measured under DP, not paid for with epsilon). */
  publicDeclared: boolean;
  /** What was declared public, e.g. "range 0 .. 120" or "3 categories", when publicDeclared. */
  declared?: string;
}


function declaredValues(c: ColumnSpec): string | undefined {
  if (c.categories?.length) return `${c.categories.length} categories`;
  if (c.min !== undefined || c.max !== undefined) return `range ${String(c.min ?? '?')} .. ${String(c.max ?? '?')}`;
  return undefined;
}

function piiText(c: ColumnSpec): string {
  return (c.pii ?? []).map((p) => `${p.kind.replace(/_/g, ' ')} (${p.evidence === 'name' ? 'by its name' : 'by its values'})`).join(', ');
}

/**
 * The fate of each column, in input order when `inputNames` is given (columns the schema does not
 * describe are listed as not_in_schema), else in schema order.
 * @param dp whether the model is differentially private (changes what "public" and "measured" mean)
 */
export function columnFates(md: Pick<Metadata, 'columns'>, inputNames: readonly string[] | null, dp: boolean): ColumnFate[] {
  const specs = new Map(md.columns.map((c) => [c.name, c]));
  const names = inputNames ? [...inputNames, ...md.columns.map((c) => c.name).filter((n) => !inputNames.includes(n))] : md.columns.map((c) => c.name);
  return names.map((name): ColumnFate => {
    const c = specs.get(name);
    if (!c) return { name, type: 'unknown', fate: 'not_in_schema', reason: 'not described by the schema: not modelled, not in the output', junkCells: 0, publicDeclared: false };
    const junk = typeof c.junkCells === 'number' && c.junkCells > 0 ? c.junkCells : 0;
    const pub = c.public === true && c.action === 'keep';
    const pii = piiText(c);
    let fate: ColumnFateKind;
    let reason: string;
    if (c.action === 'drop') {
      fate = 'dropped';
      reason = c.reason ?? (pii ? `dropped as PII: ${pii}` : c.type === 'id' ? 'dropped as an identifier (every value distinct: carries no pattern, only identity)' : 'dropped by the schema (action "drop")');
    } else if (c.action === 'surrogate') {
      fate = 'surrogate';
      reason = `replaced by fresh surrogate values, not learned from the data${pii ? ` (PII: ${pii})` : ''}`;
    } else if (c.type === 'text') {
      fate = 'text';
      reason = 'free text: not modelled; written only when a local LLM fills it (--llm-model), leak-guarded';
    } else if (c.type === 'id') {
      fate = 'dropped';
      reason = c.reason ?? 'identifier: not modelled';
    } else {
      fate = 'kept';
      reason = `modelled as ${c.type}`;
      if (c.reason) reason += ` (${c.reason})`;
    }
    if (junk > 0 && !/junk cell/.test(reason)) reason += `; coerced to ${c.type} with ${junk} junk cell${junk === 1 ? '' : 's'} treated as missing`;
    if (fate === 'kept') {
      if (c.numberFormat && !c.reason) reason += "; numbers written in the input's format";
      if (c.dateFormat && !c.reason) reason += `; dates written as ${c.dateFormat}`;
      if (c.missingMarker) reason += `; missing written as ${JSON.stringify(c.missingMarker)}`;
    }
    const declared = pub ? declaredValues(c) : undefined;
    if (pub) {
      reason += dp
        ? `; ${declared ?? 'bounds/categories'} DECLARED PUBLIC in the schema (used without spending epsilon)`
        : `; ${declared ?? 'bounds/categories'} declared public by the schema`;
    } else if (fate === 'kept' && dp) {
      reason += c.type === 'categorical' || c.type === 'boolean' ? '; categories measured under DP (paid from epsilon)' : '; bounds measured under DP (paid from epsilon)';
    }
    return { name, type: c.type, fate, reason, junkCells: junk, publicDeclared: pub, ...(declared ? { declared } : {}) };
  });
}

/** One line: "11 input columns: 7 kept, 3 dropped, 1 surrogate; 2 with junk cells; 1 declared public". */
export function summarizeFates(f: readonly ColumnFate[]): string {
  const count = (k: ColumnFateKind) => f.filter((x) => x.fate === k).length;
  const parts = (['kept', 'dropped', 'surrogate', 'text', 'not_in_schema'] as const).filter((k) => count(k) > 0).map((k) => `${count(k)} ${k.replace(/_/g, ' ')}`);
  const junk = f.filter((x) => x.junkCells > 0).length;
  const pub = f.filter((x) => x.publicDeclared).length;
  return `${f.length} input column${f.length === 1 ? '' : 's'}: ${parts.join(', ')}${junk ? `; ${junk} with junk cells treated as missing` : ''}${pub ? `; ${pub} with bounds/categories declared public` : ''}`;
}
