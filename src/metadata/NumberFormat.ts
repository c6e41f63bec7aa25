/**
 * How the numbers of a text column are written: decimal mark, thousands separator, currency prefix,
 * percent or unit suffix, fixed decimals. `inspect` detects it (detectNumberFormat), `coerceTable` reads
 * with it (parseFormattedNumber) and the CSV writer writes with it (formatNumber), so `$1,234.50`,
 * `958,47` and `43.5%` come back as they went in.
 *
 * Values are the numbers as written, without their affixes: `43.5%` is 43.5 (not 0.435), `$1,234.50`
 * is 1234.5. Bounds, decimals and histograms are then in the units the user reads, and the round trip
 * is exact (no x100 scaling and its rounding errors).
 *
 * Privacy: a number format is structure (like a column's type), not a statistic; a DP model keeps it.
 */

export type DecimalMark = '.' | ',';
export type GroupSeparator = '' | ',' | '.' | ' ' | "'";

export interface NumberFormat {
  /** The decimal mark: '.' (1234.5) or ',' (1234,5). */
  decimalMark: DecimalMark;
  /** The thousands separator, '' for none. */
  groupSeparator: GroupSeparator;
  /** Written before the digits (after a minus sign), e.g. '$' or '€ '. */
  prefix: string;
  /** Written after the digits, e.g. '%' or ' €'. */
  suffix: string;
  /** Every value is written with exactly this many decimals (money: 2); absent: as few as needed. */
  fixedDecimals?: number;
}

/** Currency prefixes and percent / currency suffixes that inspect recognises. */
const PREFIX_RE = /^([$€£¥₹]|(?:USD|EUR|GBP|CHF) ?)/;
const SUFFIX_RE = /( ?[%€£$]| ?(?:USD|EUR|GBP|CHF))$/;

/** Candidate (decimal mark, group separator) pairs, in order of preference when a value fits several. */
export const SEPARATOR_CANDIDATES: readonly [DecimalMark, GroupSeparator][] = [
  ['.', ''], ['.', ','], [',', ''], [',', '.'], ['.', ' '], [',', ' '], ['.', "'"],
];

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Body regexes (unsigned, no affixes) per candidate: group 1 = integer part, group 2 = fraction digits. */
const BODY_RES: RegExp[] = SEPARATOR_CANDIDATES.map(([d, g]) => {
  // a grouped integer part starts with 1-9 ("0,123" is a decimal comma, not 123)
  const int = g ? `([1-9]\\d{0,2}(?:${esc(g)}\\d{3})+|\\d+)` : '(\\d+)';
  return new RegExp(`^${int}(?:${esc(d)}(\\d+))?$`);
});

/** One cell split into sign, affixes and body. */
export interface NumberParts {
  negative: boolean;
  prefix: string;
  suffix: string;
  body: string;
}

/** Split sign and recognised affixes off a trimmed cell ("-$1,234.50" → -, "$", "", "1,234.50"). */
export function splitNumberParts(s: string): NumberParts | null {
  let t = s;
  let negative = false;
  if (t[0] === '-' || t[0] === '+') {
    negative = t[0] === '-';
    t = t.slice(1);
  }
  const pm = PREFIX_RE.exec(t);
  const prefix = pm ? pm[0] : '';
  if (prefix) t = t.slice(prefix.length);
  if (!negative && (t[0] === '-' || t[0] === '+')) {
    negative = t[0] === '-';
    t = t.slice(1);
  }
  const sm = SUFFIX_RE.exec(t);
  const suffix = sm ? sm[0] : '';
  if (suffix) t = t.slice(0, t.length - suffix.length);
  if (!t || t.charCodeAt(0) < 48 || t.charCodeAt(0) > 57) return null;
  return { negative, prefix, suffix, body: t };
}

/** Bit k set when the body parses under SEPARATOR_CANDIDATES[k]. */
export function separatorMask(body: string): number {
  let m = 0;
  for (let k = 0; k < BODY_RES.length; k++) if (BODY_RES[k]!.test(body)) m |= 1 << k;
  return m;
}

/** Digits after the decimal mark of a body under candidate k (0 without one). */
export function fractionDigits(body: string, k: number): number {
  const m = BODY_RES[k]!.exec(body);
  return m && m[2] ? m[2].length : 0;
}

/** The integer part of a body under candidate k, without group separators. */
export function integerDigits(body: string, k: number): string {
  const m = BODY_RES[k]!.exec(body);
  return m ? m[1]!.replace(/\D/g, '') : '';
}

/** The value of a body under candidate k. */
export function bodyValue(body: string, k: number): number {
  const m = BODY_RES[k]!.exec(body);
  if (!m) return NaN;
  return Number(m[1]!.replace(/\D/g, '') + (m[2] ? '.' + m[2] : ''));
}

/** Read a cell written in `fmt` (its affixes optional, as inspect saw them); NaN when it does not fit. */
export function parseFormattedNumber(s: string, fmt: NumberFormat): number {
  let t = s;
  let negative = false;
  if (t[0] === '-' || t[0] === '+') {
    negative = t[0] === '-';
    t = t.slice(1);
  }
  if (fmt.prefix && t.startsWith(fmt.prefix)) t = t.slice(fmt.prefix.length);
  else if (fmt.prefix && t.startsWith(fmt.prefix.trim())) t = t.slice(fmt.prefix.trim().length).trimStart();
  if (!negative && (t[0] === '-' || t[0] === '+')) {
    negative = t[0] === '-';
    t = t.slice(1);
  }
  if (fmt.suffix && t.endsWith(fmt.suffix)) t = t.slice(0, t.length - fmt.suffix.length);
  else if (fmt.suffix && t.endsWith(fmt.suffix.trim())) t = t.slice(0, t.length - fmt.suffix.trim().length).trimEnd();
  const k = SEPARATOR_CANDIDATES.findIndex(([d, g]) => d === fmt.decimalMark && g === fmt.groupSeparator);
  if (k < 0) return NaN;
  const x = bodyValue(t, k);
  return negative ? -x : x;
}

/**
 * A number as `fmt` writes it: `decimals` (the column's rounding, if any) or `fixedDecimals` places,
 * grouped, with the format's decimal mark and affixes; the minus sign comes first ("-$1,234.50").
 */
export function formatNumber(x: number, fmt: NumberFormat, decimals?: number): string {
  const neg = x < 0 && !Object.is(x, -0);
  const a = Math.abs(x);
  let s: string;
  if (fmt.fixedDecimals !== undefined) s = a.toFixed(fmt.fixedDecimals);
  else if (decimals !== undefined) s = trimZeros(a.toFixed(Math.min(decimals, 20)));
  else {
    s = String(a);
    if (s.includes('e')) s = trimZeros(a.toFixed(a < 1 ? 12 : 0));
  }
  const dot = s.indexOf('.');
  let int = dot >= 0 ? s.slice(0, dot) : s;
  const frac = dot >= 0 ? s.slice(dot + 1) : '';
  if (neg && /^[0.]*$/.test(int + frac)) return fmt.prefix + int + (frac ? fmt.decimalMark + frac : '') + fmt.suffix;
  if (fmt.groupSeparator && int.length > 3) int = int.replace(/\B(?=(\d{3})+$)/g, fmt.groupSeparator);
  return (neg ? '-' : '') + fmt.prefix + int + (frac ? fmt.decimalMark + frac : '') + fmt.suffix;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A readable name of the format for messages, e.g. `"$1,234.50"`. */
export function describeNumberFormat(fmt: NumberFormat): string {
  const d = fmt.fixedDecimals ?? 2;
  return JSON.stringify(formatNumber(1234.5, { ...fmt, fixedDecimals: d }));
}
