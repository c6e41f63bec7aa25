/**
 * What the distinct text values of a column are, when they are not plain numbers: formatted numbers
 * (`$1,234.50`, `1,234`, `958,47`, `43.5%`), plain numbers or dates with a few junk cells (`n/a`, `-`,
 * `unknown`), dates in a US/EU pattern (`03/04/2021`, `04.03.2021`), or codes with leading zeros (`07919`).
 *
 * Works on the distinct values and their counts (not on every cell), so it costs O(distinct values).
 *
 * Junk: a value without a digit that is not a value of the type. A column is still numeric (or a date)
 * when its junk cells are at most JUNK_MAX_SHARE of the present cells and have at most JUNK_MAX_SPELLINGS
 * spellings; they are then treated as missing, and counted, never silently.
 */
import { bodyValue, fractionDigits, separatorMask, splitNumberParts, SEPARATOR_CANDIDATES, type NumberFormat } from './NumberFormat.js';
import { dateCellParts, datePattern, parseDate, type DateOrder } from './DateFormat.js';

/** At most this share of present cells may be junk in a numeric or date column (the rest: categorical). */
export const JUNK_MAX_SHARE = 0.05;
/** At most this many distinct junk spellings. */
export const JUNK_MAX_SPELLINGS = 10;

export type TextClassification =
  | {
      kind: 'number';
      integer: boolean;
      /** Absent for plain numbers (with junk only). */
      numberFormat?: NumberFormat;
      decimals: number;
      min: number;
      max: number;
      junk: Map<string, number>;
      /** Set when another reading of the separators fits as well: what was chosen and why. */
      ambiguity?: string;
    }
  | {
      kind: 'date';
      /** Absent for ISO 8601 values (with junk only). */
      dateFormat?: string;
      /** ISO with a time part (or a pattern with a time). */
      withTime: boolean;
      min: number;
      max: number;
      junk: Map<string, number>;
      /** Set when the day-month order could not be read from the values: what was chosen and why. */
      ambiguity?: string;
      /** The separator and order chosen for an ambiguous d/m order (so other columns' evidence can override). */
      ambiguousOrder?: { separator: string; order: DateOrder };
    }
  | { kind: 'code'; reason: string };

export interface ClassifyOptions {
  /** Day-month order already read unambiguously from another column, by separator. */
  dateOrderEvidence?: ReadonlyMap<string, DateOrder>;
}

const hasDigit = (s: string): boolean => /\d/.test(s);
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function classifyTextValues(counts: ReadonlyMap<string, number>, nPresent: number, opts: ClassifyOptions = {}): TextClassification | null {
  return classifyNumbers(counts, nPresent) ?? classifyDates(counts, nPresent, opts);
}

function junkOk(junk: Map<string, number>, nPresent: number): boolean {
  let cells = 0;
  for (const c of junk.values()) cells += c;
  return junk.size <= JUNK_MAX_SPELLINGS && cells <= JUNK_MAX_SHARE * nPresent && cells < nPresent;
}

function classifyNumbers(counts: ReadonlyMap<string, number>, nPresent: number): TextClassification | null {
  const junk = new Map<string, number>();
  let mask = (1 << SEPARATOR_CANDIDATES.length) - 1;
  const prefixes = new Map<string, number>();
  const suffixes = new Map<string, number>();
  const bodies: { body: string; negative: boolean; count: number }[] = [];
  for (const [s, c] of counts) {
    const p = splitNumberParts(s);
    const m = p ? separatorMask(p.body) : 0;
    if (!p || !m) {
      if (hasDigit(s) || junk.size >= JUNK_MAX_SPELLINGS) return null; // a word column: stop at once
      junk.set(s, c);
      continue;
    }
    mask &= m;
    if (!mask) return null;
    if (p.prefix) prefixes.set(p.prefix, (prefixes.get(p.prefix) ?? 0) + c);
    if (p.suffix) suffixes.set(p.suffix, (suffixes.get(p.suffix) ?? 0) + c);
    bodies.push({ body: p.body, negative: p.negative, count: c });
  }
  if (!bodies.length || prefixes.size > 1 || suffixes.size > 1 || !junkOk(junk, nPresent)) return null;
  const k = ctz(mask); // the first candidate, in order of preference, that fits every value
  const [decimalMark, groupSeparator] = SEPARATOR_CANDIDATES[k]!;
  // leading zeros ("07919"): a code, not a number; its zeros would be lost
  const zeros = bodies.find((b) => /^0\d/.test(b.body));
  if (zeros) return { kind: 'code', reason: `values have leading zeros (e.g. "${zeros.body}"): read as a code (categorical), not a number, so the zeros are kept` };
  const prefix = prefixes.size ? [...prefixes.keys()][0]! : '';
  const suffix = suffixes.size ? [...suffixes.keys()][0]! : '';
  let lo = Infinity;
  let hi = -Infinity;
  let maxFrac = 0;
  let fixed: number | null | undefined;
  for (const b of bodies) {
    const x = (b.negative ? -1 : 1) * bodyValue(b.body, k);
    if (x < lo) lo = x;
    if (x > hi) hi = x;
    const f = fractionDigits(b.body, k);
    if (f > maxFrac) maxFrac = f;
    fixed = fixed === undefined ? f : fixed === f ? fixed : null;
  }
  let ambiguity: string | undefined;
  for (let k2 = k + 1; k2 < SEPARATOR_CANDIDATES.length; k2++) {
    if (!(mask & (1 << k2))) continue;
    const diff = bodies.find((b) => bodyValue(b.body, k2) !== bodyValue(b.body, k));
    if (diff) {
      const [d2] = SEPARATOR_CANDIDATES[k2]!;
      ambiguity = `"${diff.body}" could be ${bodyValue(diff.body, k)} or ${bodyValue(diff.body, k2)}; read with "${decimalMark}" as the decimal mark${groupSeparator ? ` and "${groupSeparator}" as the thousands separator` : ''} (no value shows "${d2}" as a decimal mark); set "numberFormat" in the schema if that is wrong`;
      break;
    }
  }
  const plain = k === 0 && !prefix && !suffix;
  const fmt: NumberFormat | undefined = plain
    ? undefined
    : { decimalMark, groupSeparator: groupSeparator, prefix, suffix, ...(fixed && fixed > 0 ? { fixedDecimals: fixed } : {}) };
  return { kind: 'number', integer: maxFrac === 0, ...(fmt ? { numberFormat: fmt } : {}), decimals: Math.min(maxFrac, 8), min: lo, max: hi, junk, ...(ambiguity ? { ambiguity } : {}) };
}

function ctz(m: number): number {
  return 31 - Math.clz32(m & -m);
}

function classifyDates(counts: ReadonlyMap<string, number>, nPresent: number, opts: ClassifyOptions): TextClassification | null {
  const junk = new Map<string, number>();
  let iso = 0;
  let isoTime = false;
  let other = 0;
  let sep: string | null = null;
  let time: string | null = null;
  let yearFirst: boolean | null = null;
  let maxA = 0;
  let maxB = 0;
  let padA = true;
  let padB = true;
  const values: string[] = [];
  for (const [s, c] of counts) {
    if (ISO_DATE_RE.test(s) || ISO_DATETIME_RE.test(s)) {
      iso++;
      if (s.length > 10) isoTime = true;
      values.push(s);
      continue;
    }
    const p = dateCellParts(s);
    if (!p) {
      if (hasDigit(s) || junk.size >= JUNK_MAX_SPELLINGS) return null; // a word column: stop at once
      junk.set(s, c);
      continue;
    }
    const yf = p.fields[0].length === 4;
    if ((sep !== null && p.separator !== sep) || (time !== null && p.timePattern !== time) || (yearFirst !== null && yf !== yearFirst)) return null;
    sep = p.separator;
    time = p.timePattern;
    yearFirst = yf;
    other++;
    const [a, b] = yf ? [p.fields[1], p.fields[2]] : [p.fields[0], p.fields[1]];
    maxA = Math.max(maxA, Number(a));
    maxB = Math.max(maxB, Number(b));
    if (a.length !== 2) padA = false;
    if (b.length !== 2) padB = false;
    values.push(s);
  }
  if (!values.length || (iso && other) || !junkOk(junk, nPresent)) return null;
  if (iso) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of values) {
      const t = Date.parse(s.length === 10 ? s + 'T00:00:00Z' : s);
      if (!Number.isFinite(t)) return null;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    return { kind: 'date', withTime: isoTime, min: lo, max: hi, junk };
  }
  let order: DateOrder;
  let ambiguity: string | undefined;
  let ambiguousOrder: { separator: string; order: DateOrder } | undefined;
  if (yearFirst) {
    if (maxA > 12) return null;
    order = 'YMD';
  } else if (maxA > 12 && maxB > 12) return null;
  else if (maxA > 12) order = 'DMY';
  else if (maxB > 12) order = 'MDY';
  else {
    const evidence = opts.dateOrderEvidence?.get(sep!);
    order = evidence ?? (sep === '/' ? 'MDY' : 'DMY');
    ambiguity = evidence
      ? `no day above 12, so the values alone do not tell day from month; read as ${order === 'MDY' ? 'month/day' : 'day/month'} like another column of this file with the same "${sep}" separator`
      : `no day above 12, so the values alone do not tell day from month; read as ${order === 'MDY' ? 'month first (US convention for "/")' : `day first (European convention for "${sep}")`}; set "dateFormat" in the schema if that is wrong`;
    ambiguousOrder = { separator: sep!, order };
  }
  const [padMonth, padDay] = order === 'DMY' ? [padB, padA] : [padA, padB];
  const pattern = datePattern(order, sep!, padMonth, padDay, time!);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of values) {
    const t = parseDate(s, pattern);
    if (!Number.isFinite(t)) return null; // e.g. 31/02/2021: not a date column after all
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return { kind: 'date', dateFormat: pattern, withTime: time !== '', min: lo, max: hi, junk, ...(ambiguity ? { ambiguity } : {}), ...(ambiguousOrder ? { ambiguousOrder } : {}) };
}

/** The unambiguous day-month order a classification read from its values, by separator (for other columns). */
export function dateOrderOf(c: TextClassification | null): { separator: string; order: DateOrder } | null {
  if (!c || c.kind !== 'date' || !c.dateFormat || c.ambiguousOrder) return null;
  const m = /^(D{1,2}|M{1,2}|YYYY)([/.-])(D{1,2}|M{1,2})/.exec(c.dateFormat);
  if (!m) return null;
  return { separator: m[2]!, order: m[1]!.startsWith('Y') ? 'YMD' : m[1]!.startsWith('D') ? 'DMY' : 'MDY' };
}
