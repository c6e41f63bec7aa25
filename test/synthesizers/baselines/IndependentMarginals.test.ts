import { describe, expect, it } from 'vitest';
import { IndependentMarginals } from '../../../src/synthesizers/baselines/IndependentMarginals.js';
import { SCHEMA_KIND, SCHEMA_VERSION, type Metadata } from '../../../src/metadata/Metadata.js';
import { Rng } from '../../../src/rng.js';
import type { Cell, Table } from '../../../src/table/Table.js';

const metadata: Metadata = {
  kind: SCHEMA_KIND,
  version: SCHEMA_VERSION,
  missingValues: [],
  trim: true,
  columns: [
    { name: 'age', type: 'integer', action: 'keep', nullable: true },
    { name: 'colour', type: 'categorical', action: 'keep', nullable: false },
  ],
};

function table(n: number): Table {
  const rng = new Rng(3);
  const age: Cell[] = [];
  const colour: Cell[] = [];
  for (let i = 0; i < n; i++) {
    age.push(i % 10 === 0 ? null : 20 + Math.floor(rng.uniform() * 40));
    colour.push(rng.uniform() < 0.7 ? 'red' : 'blue');
  }
  colour[0] = 'unique-value'; // a category held by one row must not be released under DP
  return { names: ['age', 'colour'], columns: [age, colour], rowCount: n };
}

describe('IndependentMarginals', () => {
  it('without DP keeps each marginal (ranges, shares, missing rate) and is marked not private', () => {
    const m = IndependentMarginals.fit(table(5000), metadata, { seed: 1 });
    expect(m.differentiallyPrivate).toBe(false);
    const s = m.sample(20_000, 2);
    expect(s.names).toEqual(['age', 'colour']);
    const age = s.columns[0]!;
    const present = age.filter((v) => v !== null) as number[];
    expect(Math.abs(1 - present.length / s.rowCount - 0.1)).toBeLessThan(0.01);
    expect(Math.min(...present)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...present)).toBeLessThanOrEqual(59);
    expect(present.every(Number.isInteger)).toBe(true);
    const red = s.columns[1]!.filter((v) => v === 'red').length / s.rowCount;
    expect(Math.abs(red - 0.7)).toBeLessThan(0.015);
  });

  it('keeps a point mass at a bound (60% zeros, as capital-gain), with and without DP (public bounds)', () => {
    const rng = new Rng(4);
    const n = 20_000;
    const gain: Cell[] = Array.from({ length: n }, () => (rng.uniform() < 0.6 ? 0 : 1 + Math.floor(rng.uniform() * 99_999)));
    const md: Metadata = { ...metadata, columns: [{ name: 'gain', type: 'integer', action: 'keep', nullable: false, public: true, min: 0, max: 100_000 }] };
    for (const dp of [undefined, { epsilon: 1, delta: 1e-5 }]) {
      const s = IndependentMarginals.fit({ names: ['gain'], columns: [gain], rowCount: n }, md, { seed: 1, dp }).sample(20_000, 2);
      const zeros = s.columns[0]!.filter((v) => v === 0).length / s.rowCount;
      // 32 equal-width bins alone would give ~0.0002 exact zeros (0.61 spread over the 3,126 integers of the first bin)
      expect(Math.abs(zeros - 0.6), `dp ${dp ? 'on' : 'off'}`).toBeLessThan(0.02);
    }
  });

  it('with DP records every release in the ledger, stays within epsilon, and hides a one-row category', () => {
    const m = IndependentMarginals.fit(table(5000), metadata, { seed: 1, dp: { epsilon: 1, delta: 1e-5 } });
    expect(m.differentiallyPrivate).toBe(true);
    const t = m.privacy;
    expect(t.epsilon).toBeLessThanOrEqual(1 + 1e-9);
    expect(t.epsilon).toBeGreaterThan(0.9);
    expect(t.entries.map((e) => e.label).sort()).toEqual(['bounds:age', 'marginal:age', 'marginal:colour']);
    const s = m.sample(5000, 2);
    expect(new Set(s.columns[1]).has('unique-value')).toBe(false);
    expect(s.columns[1]!.every((v) => v === 'red' || v === 'blue' || v === null)).toBe(true);
  });

  it('fits within the budget at every epsilon, with many columns (no rounding overshoot)', () => {
    const t = table(2000);
    const names = Array.from({ length: 17 }, (_, k) => `c${k}`);
    const wide: Table = { names, columns: names.map((_, k) => t.columns[k % 2]!), rowCount: t.rowCount };
    const md: Metadata = { ...metadata, columns: names.map((name, k) => ({ ...metadata.columns[k % 2]!, name })) };
    for (const epsilon of [0.5, 1, 3, 10]) {
      const m = IndependentMarginals.fit(wide, md, { seed: 2, dp: { epsilon, delta: 1e-5 } });
      expect(m.privacy.epsilon).toBeLessThanOrEqual(epsilon);
    }
  });

  it('is deterministic for a seed', () => {
    const a = IndependentMarginals.fit(table(1000), metadata, { seed: 4, dp: { epsilon: 3, delta: 1e-5 } }).sample(100, 5);
    const b = IndependentMarginals.fit(table(1000), metadata, { seed: 4, dp: { epsilon: 3, delta: 1e-5 } }).sample(100, 5);
    expect(a).toEqual(b);
  });
});
