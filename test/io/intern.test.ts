import { describe, expect, it } from 'vitest';
import { intern, MAX_INTERNED, type InternPool } from '../../src/io/intern.js';
import { parseCsv } from '../../src/io/parseCsv.js';

describe('intern', () => {
  it('returns an equal string, one per distinct value, and stops growing at the cap', () => {
    const pool: InternPool = new Map();
    const long = 'x'.repeat(20) + 'never-married';
    const big = `${long},${long}\n`.repeat(3);
    expect(intern(pool, big.slice(0, long.length))).toBe(long);
    expect(intern(pool, 'LAS')).toBe('LAS');
    expect(pool.size).toBe(2);
    for (let i = 0; pool.size < MAX_INTERNED; i++) intern(pool, `v${i}`);
    expect(intern(pool, 'one more')).toBe('one more');
    expect(pool.size).toBe(MAX_INTERNED);
    expect(pool.has('one more')).toBe(false);
  });

  it('leaves the parsed cells as they were', () => {
    const csv = 'a,b\n' + Array.from({ length: 50 }, (_, i) => `${i % 3 ? `"${'Never-married, no kids'.slice(0, 13 + (i % 2))}"` : ''},"q""${i % 2}"`).join('\n');
    const p = parseCsv(csv);
    expect(p.rowCount).toBe(50);
    expect(p.columns[0]!.slice(0, 4)).toEqual(['', 'Never-married,', 'Never-married', '']);
    expect(p.columns[1]!.slice(0, 2)).toEqual(['q"0', 'q"1']);
  });
});
