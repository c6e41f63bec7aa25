/**
 * Date patterns other than ISO 8601: `MM/DD/YYYY` (US), `DD.MM.YYYY` (EU), `D/M/YYYY`, with an optional
 * ` HH:mm` or ` HH:mm:ss` time. `inspect` detects the pattern (dateCellParts + chooseDateOrder), `coerceTable`
 * reads with it and the CSV writer writes with it, so `03/04/2021` comes back as `MM/DD/YYYY`, not ISO.
 *
 * Tokens: YYYY year, MM / M month (padded / not), DD / D day, HH hour, mm minute, ss second; anything else
 * is a literal. All times are UTC (the input has no zone; we do not invent one).
 *
 * Privacy: a date pattern is structure (like a column's type), not a statistic; a DP model keeps it.
 */

/** Day-month order of a date pattern. */
export type DateOrder = 'DMY' | 'MDY' | 'YMD';

/** A date cell split into its numeric fields and separators (as written). */
export interface DateCellParts {
  /** The three date fields as written, e.g. ['03', '04', '2021']. */
  fields: [string, string, string];
  separator: string;
  /** ' HH:mm' / 'THH:mm:ss' time part, as its pattern ('' without). */
  timePattern: string;
  hour: number;
  minute: number;
  second: number;
}

const CELL_RE = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(?:([ T])(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** The parts of a cell that looks like a non-ISO date (d/m/y in some order with a 4-digit year), or null. */
export function dateCellParts(s: string): DateCellParts | null {
  const m = CELL_RE.exec(s);
  if (!m) return null;
  const a = m[1]!;
  const c = m[4]!;
  // a 4-digit year first (YYYY/MM/DD, YYYY.MM.DD) or last (DD/MM/YYYY, MM/DD/YYYY); two-digit years are not guessed
  if (!((a.length === 4 && c.length <= 2) || (a.length <= 2 && c.length === 4))) return null;
  const time = m[5] ? `${m[5]}${m[6]!.length === 2 ? 'HH' : 'H'}:mm${m[8] !== undefined ? ':ss' : ''}` : '';
  return {
    fields: [a, m[3]!, c],
    separator: m[2]!,
    timePattern: time,
    hour: m[6] ? Number(m[6]) : 0,
    minute: m[7] ? Number(m[7]) : 0,
    second: m[8] ? Number(m[8]) : 0,
  };
}

/** The pattern for an order, separator, padding and time part, e.g. ('MDY', '/', true, true, '') → 'MM/DD/YYYY'. */
export function datePattern(order: DateOrder, sep: string, padMonth: boolean, padDay: boolean, time: string): string {
  const M = padMonth ? 'MM' : 'M';
  const D = padDay ? 'DD' : 'D';
  const body = order === 'YMD' ? ['YYYY', M, D] : order === 'DMY' ? [D, M, 'YYYY'] : [M, D, 'YYYY'];
  return body.join(sep) + time;
}

const TOKEN_RE = /YYYY|MM|M|DD|D|HH|H|mm|ss/g;

interface CompiledPattern {
  re: RegExp;
  tokens: string[];
}

const compiled = new Map<string, CompiledPattern>();

function compile(pattern: string): CompiledPattern {
  let c = compiled.get(pattern);
  if (!c) {
    const tokens: string[] = [];
    let src = '';
    let last = 0;
    for (const m of pattern.matchAll(TOKEN_RE)) {
      src += pattern.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      tokens.push(m[0]);
      src += m[0] === 'YYYY' ? '(\\d{4})' : m[0].length === 2 ? '(\\d{1,2})' : '(\\d{1,2})';
      last = m.index + m[0].length;
    }
    src += pattern.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    c = { re: new RegExp('^' + src + '$'), tokens };
    compiled.set(pattern, c);
  }
  return c;
}

/** True when the pattern has no invalid tokens and names a year, a month and a day. */
export function isDatePattern(pattern: string): boolean {
  const { tokens } = compile(pattern);
  return tokens.includes('YYYY') && tokens.some((t) => t === 'MM' || t === 'M') && tokens.some((t) => t === 'DD' || t === 'D');
}

/** True when the pattern has a time of day. */
export function patternHasTime(pattern: string): boolean {
  return compile(pattern).tokens.some((t) => t === 'HH' || t === 'H');
}

/** Epoch ms (UTC) of a cell written in `pattern`; NaN when it does not fit or is not a real date (31/02). */
export function parseDate(s: string, pattern: string): number {
  const { re, tokens } = compile(pattern);
  const m = re.exec(s);
  if (!m) return NaN;
  let y = 0;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let se = 0;
  tokens.forEach((t, k) => {
    const v = Number(m[k + 1]);
    if (t === 'YYYY') y = v;
    else if (t === 'MM' || t === 'M') mo = v;
    else if (t === 'DD' || t === 'D') d = v;
    else if (t === 'HH' || t === 'H') h = v;
    else if (t === 'mm') mi = v;
    else if (t === 'ss') se = v;
  });
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return NaN;
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return NaN;
  return t;
}

/** Epoch ms written in `pattern` (UTC). */
export function formatDate(ms: number, pattern: string): string {
  const dt = new Date(ms);
  const p2 = (v: number): string => (v < 10 ? '0' + v : String(v));
  return pattern.replace(TOKEN_RE, (t) => {
    switch (t) {
      case 'YYYY': return String(dt.getUTCFullYear()).padStart(4, '0');
      case 'MM': return p2(dt.getUTCMonth() + 1);
      case 'M': return String(dt.getUTCMonth() + 1);
      case 'DD': return p2(dt.getUTCDate());
      case 'D': return String(dt.getUTCDate());
      case 'HH': return p2(dt.getUTCHours());
      case 'H': return String(dt.getUTCHours());
      case 'mm': return p2(dt.getUTCMinutes());
      default: return p2(dt.getUTCSeconds());
    }
  });
}
