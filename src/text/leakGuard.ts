/**
 * The leak guard: finds, in generated text, verbatim values of the real table's identifier/PII
 * columns and rare words of the real data, so the filler can regenerate or redact them.
 *
 * A local model never sees real rows (prompts hold synthetic values only), but an instruct model
 * has seen the world, and a user may opt in to real few-shot examples; the guard is the last check
 * that nothing rare from the real table reaches the output.
 *
 * What counts:
 * - identifier: the whole value of a cell in an identifier/PII column (type `id`, or flagged as a
 *   direct identifier in `pii`, or, for a column the schema does not describe, a name such as
 *   `name`/`email`/`patient_id`), at least `minLength` characters, matched as a word sequence.
 * - rare: a word of at least `minLength` characters that occurs in at most `rareRowThreshold`
 *   (default 5) distinct real rows, counted across categorical, id, text and identifier columns.
 *   Common English words are exempt, and so are words the prompt itself supplied (the synthetic
 *   row's values, the user's instructions and examples): repeating them is not a leak.
 *
 * Matching is case-insensitive on word boundaries through a {@link PhraseIndex}: building is
 * O(real cells), scanning a value is O(its words).
 *
 * Privacy: the index holds real values in memory only, for one run; nothing is written to disk or
 * to the report (the report counts matches by kind and source column, never the matched text).
 * Call {@link LeakGuard.clear} when done.
 */
import type { Metadata, ColumnSpec } from '../metadata/Metadata.js';
import { findColumn } from '../metadata/Metadata.js';
import { DIRECT_IDENTIFIER_KINDS, piiFromName } from '../metadata/detectPii.js';
import type { Table, Cell } from '../table/Table.js';
import { PhraseIndex, tokenize, tokenStrings, type Token } from './phraseIndex.js';

export type LeakKind = 'identifier' | 'rare' | 'forbidden';

export interface LeakMatch {
  /** Offsets of the match in the scanned text. */
  start: number;
  end: number;
  kind: LeakKind;
  /** The real column the matched value or word came from ('forbidden': the text column whose mustNotContain it is). */
  column: string;
}

export interface LeakGuardOptions {
  /** A word is rare when it occurs in at most this many real rows. Default 5. */
  rareRowThreshold?: number;
  /** Shortest value or word (in characters) the guard looks for. Default 4. */
  minLength?: number;
  /** Extra words that are never rare (lower-cased on use), e.g. domain vocabulary. */
  allowWords?: Iterable<string>;
  /** Override which real columns are identifiers (default: from the schema and column names). */
  identifierColumns?: readonly string[];
  /** Override which real columns rare words are counted in (default: categorical, id, text and identifier columns). */
  rareSourceColumns?: readonly string[];
}

export interface LeakGuardStats {
  identifierColumns: string[];
  rareSourceColumns: string[];
  identifierValues: number;
  rareWords: number;
  rareRowThreshold: number;
  minLength: number;
}

interface Tag {
  kind: 'identifier' | 'rare';
  column: string;
}

export const DEFAULT_RARE_ROW_THRESHOLD = 5;
export const DEFAULT_MIN_LENGTH = 4;

/** True when the schema (or, failing that, the column's name) marks the column as a direct identifier. */
export function isIdentifierColumn(name: string, spec: ColumnSpec | undefined): boolean {
  if (spec?.type === 'id') return true;
  const flags = spec?.pii?.length ? spec.pii : piiFromName(name);
  return flags.some((f) => DIRECT_IDENTIFIER_KINDS.has(f.kind) || f.kind === 'name_hint');
}

function isRareSource(name: string, spec: ColumnSpec | undefined): boolean {
  if (isIdentifierColumn(name, spec)) return true;
  if (!spec) return true; // undescribed column: count its non-numeric strings
  return spec.type === 'categorical' || spec.type === 'id' || spec.type === 'text';
}

function cellText(v: Cell, spec: ColumnSpec | undefined): string | null {
  if (v === null || typeof v === 'boolean') return null;
  if (typeof v === 'number') return spec && (spec.type === 'id' || spec.type === 'categorical') ? String(v) : null;
  if (!spec && v.trim() !== '' && Number.isFinite(Number(v))) return null;
  return v;
}

export class LeakGuard {
  private index = new PhraseIndex<Tag>();
  private allow: Set<string>;
  private readonly statsValue: LeakGuardStats;

  private constructor(stats: LeakGuardStats, allow: Set<string>) {
    this.statsValue = stats;
    this.allow = allow;
  }

  /**
   * Builds the guard from the real table. O(real cells).
   *
   * @param real the real (private) table, as read; kept only as an in-memory index
   * @param metadata its schema; columns it does not describe are judged by name and values
   */
  static fromTable(real: Table, metadata?: Metadata, opts: LeakGuardOptions = {}): LeakGuard {
    const k = opts.rareRowThreshold ?? DEFAULT_RARE_ROW_THRESHOLD;
    const minLength = opts.minLength ?? DEFAULT_MIN_LENGTH;
    if (!(k >= 1)) throw new RangeError(`rareRowThreshold must be >= 1, got ${k}`);
    const spec = (n: string) => (metadata ? findColumn(metadata, n) : undefined);
    const idCols = opts.identifierColumns
      ? [...opts.identifierColumns]
      : real.names.filter((n) => isIdentifierColumn(n, spec(n)));
    const rareCols = opts.rareSourceColumns ? [...opts.rareSourceColumns] : real.names.filter((n) => isRareSource(n, spec(n)));
    for (const n of [...idCols, ...rareCols]) if (!real.names.includes(n)) throw new RangeError(`leak guard: no column "${n}" in the real table`);

    const allow = new Set(COMMON_WORDS);
    for (const w of opts.allowWords ?? []) for (const t of tokenStrings(w)) allow.add(t);
    const guard = new LeakGuard(
      { identifierColumns: idCols, rareSourceColumns: rareCols, identifierValues: 0, rareWords: 0, rareRowThreshold: k, minLength },
      allow,
    );

    // Identifier values: the whole value as a word sequence.
    for (const n of idCols) {
      const col = real.columns[real.names.indexOf(n)]!;
      for (const v of col) {
        const text = v === null || typeof v === 'boolean' ? null : String(v);
        if (!text || text.trim().length < minLength) continue;
        if (guard.index.add(text, { kind: 'identifier', column: n })) guard.statsValue.identifierValues++;
      }
    }

    // Rare words: distinct rows per word, across the source columns.
    const rowsWith = new Map<string, { rows: number; last: number; column: string }>();
    const cols = rareCols.map((n) => ({ n, col: real.columns[real.names.indexOf(n)]!, s: spec(n) }));
    for (let i = 0; i < real.rowCount; i++) {
      for (const { n, col, s } of cols) {
        const text = cellText(col[i]!, s);
        if (!text) continue;
        for (const t of tokenStrings(text)) {
          if (t.length < minLength) continue;
          const e = rowsWith.get(t);
          if (!e) rowsWith.set(t, { rows: 1, last: i, column: n });
          else if (e.last !== i) {
            e.rows++;
            e.last = i;
          }
        }
      }
    }
    for (const [t, e] of rowsWith) {
      if (e.rows > k || allow.has(t)) continue;
      if (guard.index.addTokens([t], { kind: 'rare', column: e.column })) guard.statsValue.rareWords++;
    }
    rowsWith.clear();
    return guard;
  }

  /** What the guard looks for, as counts (no values). */
  get stats(): LeakGuardStats {
    return { ...this.statsValue, identifierColumns: [...this.statsValue.identifierColumns], rareSourceColumns: [...this.statsValue.rareSourceColumns] };
  }

  /**
   * The leaks in a text. `allowed`: lower-cased words the prompt supplied, exempt from the rare-word
   * rule (identifier values are never exempt).
   */
  scan(text: string, allowed?: ReadonlySet<string>): LeakMatch[] {
    return this.scanTokens(tokenize(text), allowed);
  }

  scanTokens(tokens: readonly Token[], allowed?: ReadonlySet<string>): LeakMatch[] {
    const skip = (first: Token, _length: number, tag: Tag): boolean =>
      tag.kind === 'rare' && (this.allow.has(first.norm) || !!allowed?.has(first.norm));
    return this.index.scan(tokens, skip).map((m) => ({ start: m.start, end: m.end, kind: m.tag.kind, column: m.tag.column }));
  }

  /** Forgets every real value. The guard finds nothing afterwards. */
  clear(): void {
    this.index.clear();
    this.statsValue.identifierValues = 0;
    this.statsValue.rareWords = 0;
  }
}

/** A phrase index of forbidden words/phrases (a column's `mustNotContain`). */
export function forbiddenIndex(column: string, phrases: readonly string[] | undefined): PhraseIndex<Tag> | undefined {
  if (!phrases?.length) return undefined;
  const idx = new PhraseIndex<Tag>();
  for (const p of phrases) idx.add(p, { kind: 'identifier', column });
  return idx.size ? idx : undefined;
}

/** Matches of a forbidden-phrase index in a text, as 'forbidden' leaks. */
export function scanForbidden(tokens: readonly Token[], idx: PhraseIndex<Tag> | undefined): LeakMatch[] {
  if (!idx) return [];
  return idx.scan(tokens).map((m) => ({ start: m.start, end: m.end, kind: 'forbidden' as const, column: m.tag.column }));
}

/** The lower-cased words of some texts, for the `allowed` argument of {@link LeakGuard.scan}. */
export function wordSet(texts: Iterable<string>): Set<string> {
  const s = new Set<string>();
  for (const t of texts) for (const w of tokenStrings(t)) s.add(w);
  return s;
}

export const REDACTED = '[redacted]';

/**
 * Replaces every matched span with `replacement` (overlapping spans merged). When `maxLength` is
 * given, the result is cut to it, never in the middle of a replacement marker.
 */
export function redact(text: string, matches: readonly LeakMatch[], replacement = REDACTED, maxLength?: number): string {
  const spans = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  const markers: [number, number][] = [];
  for (const m of spans) {
    if (m.end <= pos) continue;
    const start = Math.max(m.start, pos);
    out += text.slice(pos, start);
    markers.push([out.length, out.length + replacement.length]);
    out += replacement;
    pos = m.end;
  }
  out += text.slice(pos);
  if (maxLength !== undefined && out.length > maxLength) {
    let cut = maxLength;
    for (const [a, b] of markers) if (a < cut && cut < b) cut = a;
    out = out.slice(0, cut).trimEnd();
  }
  return out;
}

/**
 * Frequent English words of four letters or more: never "rare" however few real rows use them
 * (a small table's free text would otherwise have every ordinary word redacted).
 */
const COMMON_WORDS: readonly string[] = (
  'about above after again against also always among another any anything around away back because been before being below ' +
  'best better between both came cannot come could daily days does doing done down during each early either else even ' +
  'ever every fine first from full gave give given going good great group had half hand hard have having help here high ' +
  'home hour hours into just keep kind know last late later least left less like line little long look made make many ' +
  'more most much must near need needs never next nice none normal note notes noted nothing once only open other ' +
  'over part past patient plan point report reports right said same seen several should show shows side since some ' +
  'soon still such sure take taken than that their them then there these they thing things think this those though ' +
  'three through time times today together told took toward under until upon used very want well went were what when ' +
  'where whether which while will with within without work would year years your'
).split(' ');
