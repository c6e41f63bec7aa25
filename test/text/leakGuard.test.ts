import { describe, expect, it } from 'vitest';
import { LeakGuard, redact, wordSet, REDACTED, type LeakMatch } from '../../src/text/leakGuard.js';
import { PhraseIndex, tokenize } from '../../src/text/phraseIndex.js';
import { tableFromRows, makeTable } from '../../src/table/Table.js';
import { hospitalMetadata, realTable, PLANTED_NAME } from '../fixtures/hospital.js';

const kinds = (ms: LeakMatch[]) => ms.map((m) => `${m.kind}:${m.column}`);

describe('LeakGuard', () => {
  const guard = LeakGuard.fromTable(realTable(), hospitalMetadata());

  it('takes identifier columns from the schema (type id, PII flags) and counts rare words in categorical/id/text columns', () => {
    const s = guard.stats;
    expect(s.identifierColumns).toEqual(['patient_id', 'name']);
    expect(s.rareSourceColumns).toEqual(['patient_id', 'name', 'sex', 'ward', 'note']);
    expect(s.identifierValues).toBeGreaterThan(0);
    expect(s.rareRowThreshold).toBe(5);
    expect(s.minLength).toBe(4);
  });

  it('finds the planted name verbatim, case-insensitively, across punctuation and spacing, on word boundaries', () => {
    expect(kinds(guard.scan(`Seen by ${PLANTED_NAME} today.`))).toEqual(['identifier:name']);
    expect(kinds(guard.scan('zebulon-QUACKENBUSH.'))).toEqual(['identifier:name']);
    const m = guard.scan('Patient zebulon   quackenbush left.')[0]!;
    expect('Patient zebulon   quackenbush left.'.slice(m.start, m.end)).toBe('zebulon   quackenbush');
    // the surname alone is a rare word of the real data (1 row), reported as such
    expect(kinds(guard.scan('Mr Quackenbush left'))).toEqual(['rare:name']);
    // not inside a longer word
    expect(guard.scan('Quackenbushes and Zebulonia')).toEqual([]);
  });

  it('finds identifier values (patient ids) and rare words of the real text', () => {
    expect(kinds(guard.scan('Record P-1017 closed'))).toEqual(['identifier:patient_id']);
    expect(kinds(guard.scan('Signs of kikuchi disease'))).toEqual(['rare:note', 'rare:note']); // both words are in 1 real row
  });

  it('ignores frequent real words, common English, short words and words the prompt supplied', () => {
    expect(guard.scan('Stable, discharged home on day 3.')).toEqual([]); // 39 real rows each
    expect(guard.scan('they went there with their families')).toEqual([]);
    expect(kinds(guard.scan('recovered after surgery'))).toEqual(['rare:note']); // "recovered" is in 1 real row
    expect(guard.scan('recovered after surgery', wordSet(['Recovered well after a short stay.']))).toEqual([]);
    // identifier values are never exempt, even if the prompt happened to contain them
    expect(kinds(guard.scan(PLANTED_NAME, wordSet([PLANTED_NAME])))).toEqual(['identifier:name']);
  });

  it('rare means at most k distinct rows (a word repeated within one row counts once)', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ ward: i < 6 ? 'common' : 'Ward', note: i === 0 ? 'zyxw zyxw zyxw' : 'ok' }));
    const t = tableFromRows(rows);
    const g = LeakGuard.fromTable(t, undefined, { rareRowThreshold: 4 });
    expect(kinds(g.scan('zyxw'))).toEqual(['rare:note']); // 1 row
    expect(kinds(g.scan('ward'))).toEqual(['rare:ward']); // 4 rows = k
    expect(g.scan('common')).toEqual([]); // 6 rows > k
  });

  it('without a schema, judges columns by name and skips numeric strings', () => {
    const t = tableFromRows([{ full_name: 'Ursula Wexford', income: '123456', city: 'Lyon' }]);
    const g = LeakGuard.fromTable(t);
    expect(g.stats.identifierColumns).toEqual(['full_name']);
    expect(kinds(g.scan('ursula wexford earns 123456 in lyon'))).toEqual(['identifier:full_name', 'rare:city']);
  });

  it('clear() forgets every real value', () => {
    const g = LeakGuard.fromTable(realTable(), hospitalMetadata());
    g.clear();
    expect(g.scan(PLANTED_NAME)).toEqual([]);
    expect(g.stats.identifierValues).toBe(0);
    expect(JSON.stringify(g.stats)).not.toMatch(/zebulon|quackenbush|kikuchi/i);
  });

  it('builds and scans a 200,000-row table through the index (no per-value regex)', () => {
    const n = 200_000;
    const names = Array.from({ length: n }, (_, i) => `Person${i} Family${i % 1000}`);
    const t = makeTable(['name'], [names]);
    const g = LeakGuard.fromTable(t, undefined);
    expect(g.stats.identifierValues).toBe(n);
    const text = 'A long note mentioning person123456 family456 and nobody else. '.repeat(20);
    const ms = g.scan(text);
    expect(ms.filter((m) => m.kind === 'identifier')).toHaveLength(20);
  });
});

describe('redact', () => {
  it('replaces spans, merging overlaps', () => {
    const text = 'Zebulon Quackenbush has kikuchi.';
    const ms: LeakMatch[] = [
      { start: 0, end: 19, kind: 'identifier', column: 'name' },
      { start: 8, end: 19, kind: 'rare', column: 'name' },
      { start: 24, end: 31, kind: 'rare', column: 'note' },
    ];
    expect(redact(text, ms)).toBe(`${REDACTED} has ${REDACTED}.`);
  });
  it('cuts to maxLength without splitting a marker', () => {
    const ms: LeakMatch[] = [{ start: 4, end: 8, kind: 'rare', column: 'x' }];
    expect(redact('abc wxyz', ms, REDACTED, 9)).toBe('abc');
    expect(redact('abc wxyz tail', ms, REDACTED, 14)).toBe(`abc ${REDACTED}`);
  });
});

describe('PhraseIndex', () => {
  it('prefers the longest phrase at a position', () => {
    const idx = new PhraseIndex<string>();
    idx.add('new', 'a');
    idx.add('new york city', 'b');
    const ms = idx.scan(tokenize('in New York City now, new'));
    expect(ms.map((m) => m.tag)).toEqual(['b', 'a']);
  });
});
