/**
 * Infer an editable schema from a table: per column a type, nullability, missing rate, categories,
 * range, decimals, and PII flags. Values are trimmed and the usual missing-value spellings
 * (`?`, `NA`, ...) count as missing.
 *
 * The result contains values read from the data (categories, min/max): it is private until the user
 * declares it public. `inspect` prints it; `fit` uses it when no schema is given.
 */
import { DEFAULT_MISSING_VALUES, SCHEMA_KIND, SCHEMA_VERSION, type ColumnSpec, type ColumnType, type Metadata } from './Metadata.js';
import { DIRECT_IDENTIFIER_KINDS, piiFromName, piiFromValues } from './detectPii.js';
import type { Cell, Table } from '../table/Table.js';

export interface InferOptions {
  missingValues?: string[];
  trim?: boolean;
  /** Max distinct values for a string column to be categorical when not clearly free text (default 1000). */
  maxCategories?: number;
}

export interface ColumnWarning {
  column: string;
  message: string;
}

export interface InferResult {
  metadata: Metadata;
  warnings: ColumnWarning[];
}

/** The spellings a boolean column is inferred from (false first): fixed, public vocabulary. */
export const BOOL_PAIRS: readonly [string, string][] = [
  ['false', 'true'], ['no', 'yes'], ['n', 'y'], ['f', 't'], ['0', '1'],
];
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function inferMetadata(table: Table, opts: InferOptions = {}): Metadata {
  return inferMetadataWithWarnings(table, opts).metadata;
}

export function inferMetadataWithWarnings(table: Table, opts: InferOptions = {}): InferResult {
  const missingValues = opts.missingValues ?? DEFAULT_MISSING_VALUES;
  const trim = opts.trim ?? true;
  const missing = new Set(missingValues);
  const warnings: ColumnWarning[] = [];
  const columns = table.names.map((name, j) =>
    inferColumn(name, table.columns[j]!, table.sourceTypes?.[name], missing, trim, opts.maxCategories ?? 1000, warnings),
  );
  return {
    metadata: { kind: SCHEMA_KIND, version: SCHEMA_VERSION, missingValues: [...missingValues], trim, columns },
    warnings,
  };
}

/** Normalise a raw cell: trim strings and map missing spellings to null. */
export function cleanCell(v: Cell, missing: ReadonlySet<string>, trim: boolean): Cell {
  if (typeof v !== 'string') return v;
  const s = trim ? v.trim() : v;
  return missing.has(s) ? null : s;
}

function inferColumn(
  name: string,
  raw: readonly Cell[],
  sourceType: string | undefined,
  missing: ReadonlySet<string>,
  trim: boolean,
  maxCategories: number,
  warnings: ColumnWarning[],
): ColumnSpec {
  const n = raw.length;
  // Counts by the value's text. While every value is a number (typed sources), they are counted by number and
  // turned into text once per distinct value at the end (or at the first non-number, in first-seen order, so
  // the result is the same): not one string per cell.
  let counts = new Map<string, number>();
  let numCounts: Map<number, number> | null = new Map<number, number>();
  let nNums = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let nMissing = 0;
  let allNumeric = true;
  let allInt = true;
  let allDate = true;
  let allDateTime = true;
  let maxDecimals = 0;
  let totalLen = 0;
  let withSpace = 0;
  let typedBool = 0;
  const addNumber = (x: number): void => {
    nNums++;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  };
  /** The number counts as text counts, in first-seen order; adds their text lengths (a number's text has no space). */
  const textCounts = (m: Map<number, number>): Map<string, number> => {
    const out = new Map<string, number>();
    for (const [x, c] of m) {
      const s = String(x);
      out.set(s, (out.get(s) ?? 0) + c);
      totalLen += s.length * c;
    }
    return out;
  };
  for (let i = 0; i < n; i++) {
    const v = cleanCell(raw[i]!, missing, trim);
    if (v === null) {
      nMissing++;
      continue;
    }
    if (typeof v === 'number') {
      if (numCounts) numCounts.set(v, (numCounts.get(v) ?? 0) + 1);
      else {
        const s = String(v);
        counts.set(s, (counts.get(s) ?? 0) + 1);
        totalLen += s.length;
      }
      addNumber(v);
      if (!Number.isInteger(v)) allInt = false;
      allDate = allDateTime = false;
      continue;
    }
    if (numCounts) {
      counts = textCounts(numCounts);
      numCounts = null;
    }
    if (typeof v === 'boolean') typedBool++;
    const s = String(v);
    counts.set(s, (counts.get(s) ?? 0) + 1);
    totalLen += s.length;
    if (s.indexOf(' ') >= 0) withSpace++;
    if (allNumeric) {
      if (NUMBER_RE.test(s)) {
        addNumber(Number(s));
        if (!INT_RE.test(s)) {
          allInt = false;
          const dot = s.indexOf('.');
          if (dot >= 0) maxDecimals = Math.max(maxDecimals, s.replace(/[eE].*$/, '').length - dot - 1);
        }
      } else allNumeric = false;
    }
    if (allDate && !DATE_RE.test(s)) allDate = false;
    if (allDateTime && !DATETIME_RE.test(s) && !DATE_RE.test(s)) allDateTime = false;
  }
  if (numCounts) counts = textCounts(numCounts);
  const nPresent = n - nMissing;
  const distinct = counts.size;
  const spec: ColumnSpec = {
    name,
    type: 'categorical',
    action: 'keep',
    nullable: nMissing > 0,
    missingRate: n ? round(nMissing / n, 4) : 0,
  };
  const pii = piiFromName(name);
  const sample = [...counts.keys()].slice(0, 2000);
  // Value patterns only mean something on columns with many distinct values: a 5-level category
  // like "Highly Effective" is not a person's name.
  const manyDistinct = distinct >= 20 && distinct / Math.max(1, n - nMissing) > 0.05;
  const byValues = !manyDistinct ? [] : allNumeric ? piiFromValues(sample).filter((f) => f.kind === 'card_number' || f.kind === 'phone') : piiFromValues(sample);
  for (const f of byValues) if (!pii.some((p) => p.kind === f.kind)) pii.push(f);

  if (nPresent === 0) {
    warnings.push({ column: name, message: 'every value is missing; drop the column (action "drop") or fill it' });
    spec.type = 'categorical';
    spec.categories = [];
    return finish(spec, pii);
  }
  if (distinct === 1) warnings.push({ column: name, message: 'the column holds a single value; it carries no information to learn' });

  const st = sourceType?.toUpperCase() ?? '';
  let type: ColumnType;
  if (st === 'BOOLEAN' || typedBool === nPresent) type = 'boolean';
  else if (st.startsWith('DATE') || st.startsWith('TIMESTAMP')) type = 'datetime';
  else if (isBooleanSet(counts)) type = 'boolean';
  else if (allNumeric && nNums === nPresent) {
    // A unique integer key named like an identifier ("id", "patient_id") is an identifier, not a number.
    const uniqueKey = allInt && distinct === nPresent && nPresent >= 20 && pii.some((f) => f.kind === 'identifier');
    type = uniqueKey ? 'id' : allInt ? 'integer' : 'numeric';
  }
  else if (allDate || allDateTime) type = 'datetime';
  else {
    const meanLen = totalLen / nPresent;
    const distinctRatio = distinct / nPresent;
    const looksText = meanLen > 40 || (withSpace / nPresent > 0.5 && distinctRatio > 0.5 && meanLen > 20);
    if (looksText) type = 'text';
    else if (distinctRatio > 0.95 && nPresent >= 20) type = 'id';
    else if (distinct > maxCategories) type = distinctRatio > 0.5 ? 'id' : 'categorical';
    else type = 'categorical';
  }
  spec.type = type;

  if (type === 'boolean') {
    spec.categories = booleanOrder([...counts.keys()]);
  } else if (type === 'categorical') {
    spec.categories = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]);
  } else if (type === 'integer' || type === 'numeric') {
    spec.min = lo;
    spec.max = hi;
    if (type === 'numeric') spec.decimals = Math.min(maxDecimals, 8);
  } else if (type === 'datetime') {
    // a loop, not Math.min(...times): spreading millions of values overflows the stack (flights-3m)
    let tmin = Infinity;
    let tmax = -Infinity;
    for (const s of counts.keys()) {
      const t = nNums === nPresent ? Number(s) : Date.parse(s.length === 10 ? s + 'T00:00:00Z' : s);
      if (!Number.isFinite(t)) continue;
      if (t < tmin) tmin = t;
      if (t > tmax) tmax = t;
    }
    spec.format = allDate && !st.startsWith('TIMESTAMP') ? 'date' : 'datetime';
    spec.min = new Date(tmin).toISOString();
    spec.max = new Date(tmax).toISOString();
  }
  return finish(spec, pii);

  function finish(s: ColumnSpec, flagsIn: typeof pii): ColumnSpec {
    // Timestamps stored as numbers (epoch ms from Parquet) look like phone or card numbers: value
    // patterns say nothing about a datetime column.
    const flags = s.type === 'datetime' ? flagsIn.filter((f) => f.evidence === 'name') : flagsIn;
    if (flags.length) {
      s.pii = flags;
      const direct = flags.some((f) => DIRECT_IDENTIFIER_KINDS.has(f.kind) && (f.evidence === 'values' || s.type === 'id' || s.type === 'text' || f.kind !== 'identifier'));
      // A name hint alone on a low-cardinality column (e.g. "zip" with 5 values) is flagged, not dropped.
      const highCardinality = distinct > 50 && distinct / Math.max(1, nPresent) > 0.2;
      if (direct && (highCardinality || s.type === 'id' || flags.some((f) => f.evidence === 'values'))) s.action = 'drop';
    }
    if (s.type === 'id') s.action = 'drop';
    return s;
  }
}

function isBooleanSet(counts: Map<string, number>): boolean {
  if (counts.size !== 2) return false;
  const keys = [...counts.keys()].map((k) => k.toLowerCase()).sort();
  return BOOL_PAIRS.some(([f, t]) => [f, t].sort().join('\u0000') === keys.join('\u0000'));
}

function booleanOrder(keys: string[]): string[] {
  const lower = keys.map((k) => k.toLowerCase());
  for (const [f] of BOOL_PAIRS) {
    const i = lower.indexOf(f);
    if (i >= 0) return [keys[i]!, keys[1 - i]!];
  }
  return keys.sort();
}

function round(x: number, d: number): number {
  const m = 10 ** d;
  return Math.round(x * m) / m;
}
