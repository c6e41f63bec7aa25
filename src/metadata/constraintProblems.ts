/**
 * The constraint entries of a schema checked against its columns (validateMetadata collects these problems
 * with the column problems), and their short labels. Enforcement on sampled rows is sampling/constraints.ts.
 */
import { CONSTRAINT_KINDS, type Constraint } from './Constraint.js';
import type { ColumnSpec } from './Metadata.js';
import * as msg from '../messages.js';

const OPS: readonly string[] = ['<', '<=', '>', '>='];
const NUMERIC_TYPES = ['numeric', 'integer', 'datetime'];

/** A short label without data values, e.g. `inequality:start<end`. */
export function constraintLabel(c: Constraint): string {
  switch (c.kind) {
    case 'range':
      return `range:${c.column}`;
    case 'inequality':
      return `inequality:${c.left}${c.op}${c.right}`;
    case 'fixedCombinations':
      return `fixedCombinations:${c.columns.join('+')}`;
    case 'sum':
      return `sum:${c.total}=${c.parts.join('+')}${c.offset ? `${c.offset < 0 ? '-' : '+'}${Math.abs(c.offset)}` : ''}`;
    case 'pattern':
      return `pattern:${c.column}`;
    case 'mapping':
      return `mapping:${c.from}->${c.to}`;
  }
}

/**
 * Every problem with a constraints list against the schema's columns (empty when valid). Used by
 * validateMetadata, which collects them with the column problems.
 */
export function constraintProblems(raw: unknown, columns: readonly ColumnSpec[]): { message: string; column?: string; hint?: string }[] {
  const out: { message: string; column?: string; hint?: string }[] = [];
  if (raw === undefined) return out;
  if (!Array.isArray(raw)) return [{ message: msg.CONSTRAINTS_NOT_LIST, hint: msg.HINT_CONSTRAINTS_LIST }];
  const byName = new Map(columns.map((c) => [c.name, c]));
  raw.forEach((c: unknown, k) => {
    const where = `constraints[${k}]`;
    if (typeof c !== 'object' || c === null) return out.push({ message: msg.constraintNotObject(where) });
    const o = c as Record<string, unknown>;
    const col = (key: string, numeric: boolean): void => {
      const name = o[key];
      if (typeof name !== 'string' || !byName.has(name)) {
        out.push({ message: msg.constraintKeyNotColumn(where, String(o.kind), key, JSON.stringify(name)), column: typeof name === 'string' ? name : undefined });
        return;
      }
      const spec = byName.get(name)!;
      if (numeric && !NUMERIC_TYPES.includes(spec.type)) out.push({ message: msg.constraintNeedsNumeric(where, String(o.kind), name, spec.type), column: name });
    };
    const bound = (key: string, colName: unknown): void => {
      const v = o[key];
      if (v === undefined) return;
      const spec = typeof colName === 'string' ? byName.get(colName) : undefined;
      const ok = typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && spec?.type === 'datetime' && Number.isFinite(Date.parse(v));
      if (!ok) out.push({ message: msg.rangeBoundNotNumber(where, key, spec?.type === 'datetime', JSON.stringify(v)), column: spec?.name });
    };
    switch (o.kind) {
      case 'range':
        col('column', true);
        bound('min', o.column);
        bound('max', o.column);
        if (o.min === undefined && o.max === undefined) out.push({ message: msg.rangeEmpty(where) });
        break;
      case 'inequality':
        col('left', true);
        col('right', true);
        if (typeof o.op !== 'string' || !OPS.includes(o.op)) out.push({ message: msg.inequalityOp(where, OPS.join(' '), JSON.stringify(o.op)) });
        break;
      case 'sum':
        col('total', true);
        if (!Array.isArray(o.parts) || o.parts.length === 0) out.push({ message: msg.sumPartsEmpty(where) });
        else (o.parts as unknown[]).forEach((_, i) => col_list(o.parts as unknown[], i, true));
        if (o.offset !== undefined && !(typeof o.offset === 'number' && Number.isFinite(o.offset))) out.push({ message: msg.sumOffsetInvalid(where, JSON.stringify(o.offset)) });
        break;
      case 'fixedCombinations':
        if (!Array.isArray(o.columns) || o.columns.length < 2) out.push({ message: msg.fixedCombinationsColumns(where) });
        else {
          (o.columns as unknown[]).forEach((_, i) => col_list(o.columns as unknown[], i, false));
          if (o.allowed !== undefined) {
            const w = (o.columns as unknown[]).length;
            if (!Array.isArray(o.allowed) || o.allowed.some((r) => !Array.isArray(r) || r.length !== w || r.some((x: unknown) => typeof x !== 'string'))) {
              out.push({ message: msg.fixedCombinationsAllowed(where, w) });
            }
          }
        }
        break;
      case 'pattern':
        col('column', false);
        if (typeof o.regex !== 'string') out.push({ message: msg.patternRegexNotString(where) });
        else
          try {
            new RegExp(o.regex);
          } catch (e) {
            out.push({ message: msg.patternRegexInvalid(where, (e as Error).message) });
          }
        break;
      case 'mapping': {
        col('from', false);
        col('to', false);
        if (o.from === o.to) out.push({ message: msg.mappingSameColumn(where, String(o.from)) });
        const map = o.map;
        if (typeof map !== 'object' || map === null || Array.isArray(map) || Object.keys(map).length === 0 || Object.values(map).some((v) => typeof v !== 'string')) {
          out.push({ message: msg.mappingMapInvalid(where), hint: msg.HINT_MAPPING_MAP });
        } else {
          const to = typeof o.to === 'string' ? byName.get(o.to) : undefined;
          if (to && NUMERIC_TYPES.includes(to.type)) {
            const bad = Object.values(map as Record<string, string>).find((v) => !Number.isFinite(to.type === 'datetime' ? Date.parse(v) : Number(v)) || v.trim() === '');
            if (bad !== undefined) out.push({ message: msg.mappingValueNotType(where, to.name, to.type, JSON.stringify(bad)), column: to.name });
          }
        }
        break;
      }
      default:
        out.push({ message: msg.constraintKindUnknown(where, JSON.stringify(o.kind)), hint: msg.hintUseOneOf(CONSTRAINT_KINDS) });
    }
    function col_list(list: unknown[], i: number, numeric: boolean): void {
      const name = list[i];
      if (typeof name !== 'string' || !byName.has(name)) out.push({ message: msg.constraintNameNotColumn(where, String(o.kind), JSON.stringify(name)), column: typeof name === 'string' ? name : undefined });
      else if (numeric && !NUMERIC_TYPES.includes(byName.get(name)!.type)) out.push({ message: msg.sumNeedsNumeric(where, String(o.kind), name, byName.get(name)!.type), column: name });
    }
  });
  return out;
}
