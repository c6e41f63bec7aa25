/**
 * Quality checks of generated text columns, for the report:
 *
 * - consistency: with `text.consistency = {column, keywords}` (keywords per value of another
 *   column, e.g. {column: 'sex', keywords: {F: ['she', 'her'], M: ['he', 'his']}}), the share of
 *   checked rows whose text mentions a keyword of a *different* value than the row's own (a
 *   contradiction: "he" in a row with sex F), and the share that mention one of their own value's
 *   keywords. A keyword listed under both values contradicts neither. Rows whose value has no
 *   keyword list, or whose text or value is missing, are not checked. Keywords match
 *   case-insensitively on word boundaries.
 * - lengths: min, quartiles (linear interpolation between order statistics), max and mean of the
 *   non-missing values' lengths in characters (code points).
 *
 * O(rows × words per value).
 */
import type { ColumnSpec, Metadata } from '../metadata/Metadata.js';
import type { Cell, Table } from '../table/Table.js';
import { PhraseIndex, tokenize } from './phraseIndex.js';

export interface LengthStats {
  count: number;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
  mean: number | null;
}

export interface ConsistencyResult {
  /** The column the keywords are keyed by. */
  against: string;
  /** Rows checked (both values present and the row's value has a keyword list). */
  checked: number;
  /** Checked rows mentioning a keyword of another value. */
  contradicting: number;
  /** contradicting / checked, or null when nothing was checked. */
  contradictionShare: number | null;
  /** Checked rows mentioning a keyword of their own value. */
  supporting: number;
  supportingShare: number | null;
  /** Problems that made the check impossible (e.g. the column is absent). */
  problem?: string;
}

export interface TextColumnQuality {
  column: string;
  lengths: LengthStats;
  consistency?: ConsistencyResult;
}

/** Quantile by linear interpolation between order statistics (R type 7) of a sorted array. */
function quantileSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Length distribution of the non-missing values (characters = code points). */
export function lengthStats(values: readonly Cell[]): LengthStats {
  const lens: number[] = [];
  for (const v of values) if (v !== null && v !== undefined) lens.push([...String(v)].length);
  if (!lens.length) return { count: 0, min: null, q1: null, median: null, q3: null, max: null, mean: null };
  lens.sort((a, b) => a - b);
  const mean = lens.reduce((s, x) => s + x, 0) / lens.length;
  return {
    count: lens.length,
    min: lens[0]!,
    q1: quantileSorted(lens, 0.25),
    median: quantileSorted(lens, 0.5),
    q3: quantileSorted(lens, 0.75),
    max: lens[lens.length - 1]!,
    mean,
  };
}

/**
 * Consistency of a text column against the column its keywords are keyed by.
 *
 * @example consistencyCheck(['She is well', 'He is well'], ['F', 'F'], {F: ['she'], M: ['he']})
 *   // {checked: 2, contradicting: 1, contradictionShare: 0.5, supporting: 1, ...}
 */
export function consistencyCheck(
  texts: readonly Cell[],
  against: readonly Cell[],
  keywords: Readonly<Record<string, readonly string[]>>,
  againstName = '',
): ConsistencyResult {
  const idx = new PhraseIndex<Set<string>>();
  const tags = new Map<string, Set<string>>();
  for (const [value, words] of Object.entries(keywords)) {
    for (const w of words) {
      const key = tokenize(w).map((t) => t.norm).join(' ');
      if (!key) continue;
      let owners = tags.get(key);
      if (!owners) {
        owners = new Set();
        tags.set(key, owners);
        idx.addTokens(key.split(' '), owners);
      }
      owners.add(value);
    }
  }
  const keys = new Set(Object.keys(keywords));
  const lowerKeys = new Map([...keys].map((k) => [k.toLowerCase(), k]));
  let checked = 0;
  let contradicting = 0;
  let supporting = 0;
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    const a = against[i];
    if (t === null || t === undefined || a === null || a === undefined) continue;
    const raw = String(a);
    const value = keys.has(raw) ? raw : lowerKeys.get(raw.toLowerCase());
    if (value === undefined) continue;
    checked++;
    let contra = false;
    let support = false;
    for (const m of idx.scan(tokenize(String(t)))) {
      if (m.tag.has(value)) support = true;
      else contra = true;
    }
    if (contra) contradicting++;
    if (support) supporting++;
  }
  return {
    against: againstName,
    checked,
    contradicting,
    contradictionShare: checked ? contradicting / checked : null,
    supporting,
    supportingShare: checked ? supporting / checked : null,
  };
}

/** Length statistics and (when declared) consistency for one text column of a table. */
export function checkTextColumn(table: Table, column: ColumnSpec): TextColumnQuality {
  const j = table.names.indexOf(column.name);
  const texts = j >= 0 ? table.columns[j]! : [];
  const out: TextColumnQuality = { column: column.name, lengths: lengthStats(texts) };
  const c = column.text?.consistency;
  if (c) {
    const k = table.names.indexOf(c.column);
    if (k < 0 || j < 0) {
      const missing = j < 0 ? column.name : c.column;
      out.consistency = { against: c.column, checked: 0, contradicting: 0, contradictionShare: null, supporting: 0, supportingShare: null, problem: `column "${missing}" is not in the table` };
    } else {
      out.consistency = consistencyCheck(texts, table.columns[k]!, c.keywords, c.column);
    }
  }
  return out;
}

/** {@link checkTextColumn} for every kept text column of the schema. */
export function checkTextColumns(table: Table, metadata: Metadata): TextColumnQuality[] {
  return metadata.columns.filter((c) => c.type === 'text' && c.action === 'keep').map((c) => checkTextColumn(table, c));
}
