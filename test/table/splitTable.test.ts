import { describe, expect, it } from 'vitest';
import { splitTable } from '../../src/table/splitTable.js';
import { makeTable } from '../../src/table/Table.js';
import { Rng } from '../../src/rng.js';

describe('splitTable', () => {
  const n = 1000;
  const t = makeTable(['id', 'y'], [Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => (i % 100 < 3 ? 'rare' : 'common'))]);
  it('splits every stratum in proportion and partitions the rows', () => {
    const { train, holdout } = splitTable(t, 0.2, new Rng(42), 'y');
    expect(train.rowCount + holdout.rowCount).toBe(n);
    const ids = new Set([...train.columns[0]!, ...holdout.columns[0]!]);
    expect(ids.size).toBe(n);
    const rare = (x: typeof t) => x.columns[1]!.filter((v) => v === 'rare').length;
    expect(rare(holdout)).toBe(6); // 30 rare rows * 0.2
    expect(rare(train)).toBe(24);
  });
  it('is deterministic for a seed', () => {
    const a = splitTable(t, 0.3, new Rng(7));
    const b = splitTable(t, 0.3, new Rng(7));
    expect(a.holdout.columns[0]).toEqual(b.holdout.columns[0]);
    expect(splitTable(t, 0.3, new Rng(8)).holdout.columns[0]).not.toEqual(a.holdout.columns[0]);
  });
  it('splits a table of a million rows in one stratum (no spread of its indices)', () => {
    const m = 1_000_000;
    const big = makeTable(['i'], [Array.from({ length: m }, (_, i) => i)]);
    const { train, holdout } = splitTable(big, 0.2, new Rng(1));
    expect([train.rowCount, holdout.rowCount]).toEqual([800_000, 200_000]);
    const h = holdout.columns[0] as number[];
    for (let i = 1; i < h.length; i++) if (!(h[i]! > h[i - 1]!)) throw new Error(`holdout rows out of order at ${i}`);
  });
});
