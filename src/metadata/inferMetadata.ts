/**
 * Infer an editable schema from a table: per column a type, nullability, missing rate, categories,
 * range, decimals, and PII flags. Values are trimmed and the usual missing-value spellings
 * (`?`, `NA`, ...) count as missing.
 *
 * Messy text columns (see classifyTextValues.ts): formatted numbers (`$1,234.50`, `958,47`, `43.5%`) are
 * numeric with a `numberFormat`; US/EU dates are datetimes with a `dateFormat`; a few junk cells (`n/a`,
 * `-`) in a numeric or date column are treated as missing, listed in the column's `missingValues` and
 * counted in `junkCells`; integers with leading zeros (`07919`) are codes (categorical). Each column's
 * most frequent missing spelling becomes its `missingMarker`, so outputs write missing cells the same
 * way. Every dropped column, and every guess (ambiguous separators or day/month order), says why in its
 * `reason` and in a warning.
 *
 * The result contains values read from the data (categories, min/max): it is private until the user
 * declares it public. `inspect` prints it; `fit` uses it when no schema is given.
 */
import { DEFAULT_MISSING_VALUES, SCHEMA_KIND, SCHEMA_VERSION, type ColumnSpec, type ColumnType, type Metadata } from './Metadata.js';
import { DIRECT_IDENTIFIER_KINDS, piiFromName, piiFromValues } from './detectPii.js';
import { classifyTextValues, dateOrderOf, type TextClassification } from './classifyTextValues.js';
import type { DateOrder } from './DateFormat.js';
import { describeNumberFormat } from './NumberFormat.js';
import type { Cell, Table } from '../table/Table.js';
import * as msg from '../messages.js';

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
  const maxCategories = opts.maxCategories ?? 1000;
  const evidence = new Map<string, DateOrder>();
  const inferred = table.names.map((name, j) => inferColumn(name, table.columns[j]!, table.sourceTypes?.[name], missing, trim, maxCategories, warnings, evidence));
  // A day/month order that one column's values leave open is read like another column of the file whose
  // values settle it (same separator): "03/04/2021" next to "25/12/2021" is day first.
  for (const r of inferred) {
    const d = dateOrderOf(r.cls);
    if (d && !evidence.has(d.separator)) evidence.set(d.separator, d.order);
  }
  const columns = inferred.map((r, j) => {
    const amb = r.cls?.kind === 'date' ? r.cls.ambiguousOrder : undefined;
    if (!amb || !evidence.has(amb.separator) || evidence.get(amb.separator) === amb.order) return r.spec;
    const name = table.names[j]!;
    for (let k = warnings.length - 1; k >= 0; k--) if (warnings[k]!.column === name) warnings.splice(k, 1);
    return inferColumn(name, table.columns[j]!, table.sourceTypes?.[name], missing, trim, maxCategories, warnings, evidence).spec;
  });
  return {
    metadata: { kind: SCHEMA_KIND, version: SCHEMA_VERSION, missingValues: [...missingValues], trim, ...(table.delimiter && table.delimiter !== ',' ? { delimiter: table.delimiter } : {}), columns },
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
  dateEvidence: ReadonlyMap<string, DateOrder>,
): { spec: ColumnSpec; cls: TextClassification | null } {
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
  /** The first integer written with a leading zero ("07919"): the column is a code, not a number. */
  let leadingZero: string | null = null;
  // how missing cells are spelled (trimmed; '' for empty), for the output's missing marker
  const missingSpellings = new Map<string, number>();
  // decimals of typed numbers (Parquet/JSON): DECIMAL(p,s) declares them; FLOAT/DOUBLE show them
  const st0 = sourceType?.toUpperCase() ?? '';
  const declaredScale = /^DECIMAL\(\d+,\s*(\d+)\)$/.exec(st0);
  const isFloat32 = st0 === 'FLOAT' || st0 === 'REAL' || st0 === 'FLOAT4';
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
    const r = raw[i]!;
    const v = cleanCell(r, missing, trim);
    if (v === null) {
      nMissing++;
      const sp = typeof r === 'string' ? (trim ? r.trim() : r) : '';
      missingSpellings.set(sp, (missingSpellings.get(sp) ?? 0) + 1);
      continue;
    }
    if (typeof v === 'number') {
      if (!declaredScale && maxDecimals < 8 && !Number.isInteger(v)) maxDecimals = Math.max(maxDecimals, numberDecimals(v, isFloat32));
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
        if (INT_RE.test(s)) {
          if (leadingZero === null && /^[+-]?0\d/.test(s)) leadingZero = s;
        } else {
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
  if (declaredScale) maxDecimals = Number(declaredScale[1]);
  // Text that is not plain numbers: formatted numbers, dates in a pattern, numbers or dates with a few
  // junk cells, codes with leading zeros (classifyTextValues.ts). Junk cells count as missing from here on.
  const cls = !allNumeric && !(allDate || allDateTime) && typedBool === 0 && !isBooleanSet(counts) ? classifyTextValues(counts, n - nMissing, { dateOrderEvidence: dateEvidence }) : null;
  let junkCells = 0;
  if (cls && cls.kind !== 'code') {
    for (const [s, c] of cls.junk) {
      junkCells += c;
      counts.delete(s);
      missingSpellings.set(s, c);
    }
    nMissing += junkCells;
  }
  const nPresent = n - nMissing;
  const distinct = counts.size;
  const spec: ColumnSpec = {
    name,
    type: 'categorical',
    action: 'keep',
    nullable: nMissing > 0,
    missingRate: n ? round(nMissing / n, 4) : 0,
  };
  let marker = '';
  let markerCount = 0;
  for (const [sp, c] of missingSpellings) if (c > markerCount) [marker, markerCount] = [sp, c];
  if (marker) spec.missingMarker = marker;
  if (cls && cls.kind !== 'code' && cls.junk.size) {
    spec.missingValues = [...cls.junk.keys()];
    spec.junkCells = junkCells;
  }
  const pii = piiFromName(name);
  const sample = [...counts.keys()].slice(0, 2000);
  // Value patterns only mean something on columns with many distinct values: a 5-level category
  // like "Highly Effective" is not a person's name.
  const manyDistinct = distinct >= 20 && distinct / Math.max(1, n - nMissing) > 0.05;
  const numberLike = allNumeric || cls?.kind === 'number';
  const byValues = !manyDistinct ? [] : numberLike ? piiFromValues(sample).filter((f) => f.kind === 'card_number' || f.kind === 'phone') : piiFromValues(sample);
  for (const f of byValues) if (!pii.some((p) => p.kind === f.kind)) pii.push(f);

  if (nPresent === 0) {
    // dropped with its warning by finish()
    spec.type = 'categorical';
    spec.categories = [];
    return { spec: finish(spec, pii), cls };
  }
  // one value in every row: dropped with its warning by finish(); one value and missing cells: only whether a value is missing is learned
  if (distinct === 1 && nPresent < n) warnings.push({ column: name, message: msg.SINGLE_VALUE_BESIDES_MISSING });

  const st = st0;
  let type: ColumnType;
  if (st === 'BOOLEAN' || typedBool === nPresent) type = 'boolean';
  else if (st.startsWith('DATE') || st.startsWith('TIMESTAMP')) type = 'datetime';
  else if (isBooleanSet(counts)) type = 'boolean';
  else if (allNumeric && nNums === nPresent && leadingZero !== null) {
    type = distinct > maxCategories && distinct / nPresent > 0.5 ? 'id' : 'categorical';
    spec.reason = `values have leading zeros (e.g. "${leadingZero}"): read as a code (categorical), not a number, so the zeros are kept`;
  } else if (allNumeric && nNums === nPresent) {
    // An integer key named like an identifier ("id", "patient_id", "patient_nbr") is an identifier, not a number:
    // unique, or mostly distinct (a patient's number repeats over their encounters: diabetes-130's patient_nbr has
    // 22,080 values in 25,000 rows, and a repeated key still links a row to a person)
    const uniqueKey = allInt && distinct >= 0.5 * nPresent && nPresent >= 20 && pii.some((f) => f.kind === 'identifier');
    type = uniqueKey ? 'id' : allInt && !(declaredScale && maxDecimals > 0) ? 'integer' : 'numeric';
  }
  else if (allDate || allDateTime) type = 'datetime';
  else if (cls?.kind === 'number') {
    const uniqueKey = cls.integer && !cls.numberFormat && distinct >= 0.5 * nPresent && nPresent >= 20 && pii.some((f) => f.kind === 'identifier');
    type = uniqueKey ? 'id' : cls.integer ? 'integer' : 'numeric';
  } else if (cls?.kind === 'date') type = 'datetime';
  else if (cls?.kind === 'code') {
    type = distinct > maxCategories && distinct / nPresent > 0.5 ? 'id' : 'categorical';
    spec.reason = cls.reason;
  }
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
  } else if ((type === 'integer' || type === 'numeric') && cls?.kind === 'number') {
    spec.min = cls.min;
    spec.max = cls.max;
    if (type === 'numeric') spec.decimals = cls.decimals;
    if (cls.numberFormat) spec.numberFormat = cls.numberFormat;
    const what = cls.numberFormat ? `numbers written like ${describeNumberFormat(cls.numberFormat)}${cls.numberFormat.suffix.includes('%') ? ' (the value is the number before "%": 43.5% is 43.5)' : ''}` : '';
    const junkNote = junkCells ? `coerced to ${type} with ${junkCells} junk cell(s) treated as missing (${[...cls.junk.keys()].map((s) => JSON.stringify(s)).join(', ')})` : '';
    spec.reason = [what, junkNote, cls.ambiguity ?? ''].filter(Boolean).join('; ');
    if (junkNote || cls.ambiguity) warnings.push({ column: name, message: [junkNote, cls.ambiguity ?? ''].filter(Boolean).join('; ') });
  } else if (type === 'integer' || type === 'numeric') {
    // FLOAT values widened to doubles (0.011f is 0.010999999940395355): bounds as written, to the column's decimals
    spec.min = isFloat32 ? Number(lo.toFixed(maxDecimals)) : lo;
    spec.max = isFloat32 ? Number(hi.toFixed(maxDecimals)) : hi;
    if (type === 'numeric') spec.decimals = Math.min(maxDecimals, 8);
  } else if (type === 'datetime' && cls?.kind === 'date') {
    spec.format = cls.withTime ? 'datetime' : 'date';
    if (cls.dateFormat) spec.dateFormat = cls.dateFormat;
    spec.min = new Date(cls.min).toISOString();
    spec.max = new Date(cls.max).toISOString();
    const junkNote = junkCells ? `coerced to datetime with ${junkCells} junk cell(s) treated as missing (${[...cls.junk.keys()].map((s) => JSON.stringify(s)).join(', ')})` : '';
    spec.reason = [cls.dateFormat ? `dates written as ${cls.dateFormat}` : '', junkNote, cls.ambiguity ?? ''].filter(Boolean).join('; ');
    if (junkNote || cls.ambiguity) warnings.push({ column: name, message: [junkNote, cls.ambiguity ?? ''].filter(Boolean).join('; ') });
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
  return { spec: finish(spec, pii), cls };

  function finish(s: ColumnSpec, flagsIn: typeof pii): ColumnSpec {
    // Entirely empty, or one value in every row: nothing to learn (checkLearnable refuses such a column when a
    // schema keeps it). Dropped with a warning, so a table with such columns is fitted on the others, not refused
    // (diabetes-130 has 7 columns that are "No" in every one of its 25,000 rows).
    if (n > 0 && (nPresent === 0 || (distinct === 1 && nPresent === n))) {
      s.action = 'drop';
      s.reason = joinReason(s.reason, nPresent === 0 ? 'dropped: entirely empty, nothing to learn' : 'dropped: one value in every row, nothing to learn');
      warnings.push({ column: name, message: msg.droppedConstant(s.reason) });
      return s;
    }
    // Timestamps stored as numbers (epoch ms from Parquet) look like phone or card numbers: value
    // patterns say nothing about a datetime column.
    const flags = s.type === 'datetime' ? flagsIn.filter((f) => f.evidence === 'name') : flagsIn;
    if (flags.length) {
      s.pii = flags;
      const direct = flags.some((f) => DIRECT_IDENTIFIER_KINDS.has(f.kind) && (f.evidence === 'values' || s.type === 'id' || s.type === 'text' || f.kind !== 'identifier'));
      // A name hint alone on a low-cardinality column (e.g. "zip" with 5 values) is flagged, not dropped.
      const highCardinality = distinct > 50 && distinct / Math.max(1, nPresent) > 0.2;
      if (direct && (highCardinality || s.type === 'id' || flags.some((f) => f.evidence === 'values'))) {
        s.action = 'drop';
        const f = flags.find((x) => DIRECT_IDENTIFIER_KINDS.has(x.kind) && x.evidence === 'values') ?? flags.find((x) => DIRECT_IDENTIFIER_KINDS.has(x.kind))!;
        s.reason = joinReason(s.reason, `dropped as PII: ${f.evidence === 'values' ? `${Math.round((f.matchRate ?? 1) * 100)}% of the sampled values look like ${kindName(f.kind)}` : `the name "${name}" suggests ${kindName(f.kind)}`}${highCardinality ? ` and ${distinct} distinct values` : ''}`);
      }
    }
    if (s.type === 'id' && s.action !== 'drop') {
      s.action = 'drop';
      s.reason = joinReason(s.reason, `dropped as an identifier: ${distinct} distinct values in ${nPresent} present rows${pii.some((p) => p.kind === 'identifier') ? ` and an identifier-like name` : ''}`);
    }
    if (s.action === 'drop') {
      warnings.push({ column: name, message: msg.droppedKeepIt(s.reason) });
    }
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

function joinReason(a: string | undefined, b: string): string {
  return a ? `${a}; ${b}` : b;
}

const KIND_NAMES: Record<string, string> = {
  identifier: 'an identifier', email: 'e-mail addresses', phone: 'phone numbers', national_id: 'national id numbers',
  iban: 'IBANs', card_number: 'card numbers', person_name: "people's names", street_address: 'addresses or postcodes',
  ip_address: 'IP addresses', name_hint: 'names',
};

function kindName(k: string): string {
  return KIND_NAMES[k] ?? k;
}

/**
 * Decimals a typed number shows: the fewest (up to 8) that give it back, as a 32-bit float for FLOAT
 * columns (0.1f is 0.10000000149 as a double: 1 decimal, not 11).
 */
function numberDecimals(x: number, float32: boolean): number {
  for (let d = 1; d < 8; d++) {
    const r = Number(x.toFixed(d));
    if (float32 ? Math.fround(r) === Math.fround(x) : r === x) return d;
  }
  return 8;
}

function round(x: number, d: number): number {
  const m = 10 ** d;
  return Math.round(x * m) / m;
}
