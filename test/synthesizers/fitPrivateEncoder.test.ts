/**
 * fitPrivateEncoder's category releases that double as one-way marginals (categoryMarginalRho), and
 * measureMarginals taking them as given: one release per categorical column, not two.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATE_RANGE, fitPrivateEncoder, OTHER_LABEL } from '../../src/synthesizers/fitPrivateEncoder.js';
import { measureMarginals } from '../../src/sampling/marginals.js';
import { PrivacyLedger } from '../../src/privacy/PrivacyLedger.js';
import { Rng } from '../../src/rng.js';
import type { ColumnSpec } from '../../src/metadata/Metadata.js';
import type { Cell, Table } from '../../src/table/Table.js';

// 2,000 rows: colour a 1,000 / b 600 / c 390 / rare 10 (never released at this budget); flag yes/no (a structural
// boolean); x numeric 0..99
const N = 2000;
const colour: Cell[] = Array.from({ length: N }, (_, i) => (i < 1000 ? 'a' : i < 1600 ? 'b' : i < 1990 ? 'c' : 'rare'));
const flag: Cell[] = Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 'yes' : 'no'));
const x: Cell[] = Array.from({ length: N }, (_, i) => i % 100);
const TABLE: Table = { names: ['colour', 'flag', 'x'], columns: [colour, flag, x], rowCount: N };
const SPECS: ColumnSpec[] = [
  { name: 'colour', type: 'categorical', action: 'keep', nullable: false },
  { name: 'flag', type: 'boolean', action: 'keep', nullable: false, categories: ['no', 'yes'] },
  { name: 'x', type: 'numeric', action: 'keep', nullable: false },
];

function run(categoryMarginalRho: number | undefined, seed = 1) {
  const ledger = new PrivacyLedger({ epsilon: 5, delta: 1e-5 });
  const pre = fitPrivateEncoder(TABLE, SPECS, { preprocessingRho: 0.05, thresholdDelta: 1e-6, ledger, rng: new Rng(seed), noisyRows: N, ...(categoryMarginalRho !== undefined ? { categoryMarginalRho } : {}) });
  return { pre, ledger };
}

describe('fitPrivateEncoder with categoryMarginalRho', () => {
  it('adds the extra rho to each categorical release (thresholded and structural), not to numeric ones', () => {
    const without = run(undefined).ledger.entries;
    const withExtra = run(0.02).ledger.entries;
    const rho = (es: typeof without, label: string) => (es.find((e) => e.label === label) as { rho: number }).rho;
    expect(rho(withExtra, 'categories:colour') - rho(without, 'categories:colour')).toBeCloseTo(0.02, 12);
    expect(rho(withExtra, 'categories:flag') - rho(without, 'categories:flag')).toBeCloseTo(0.02, 12);
    expect(rho(withExtra, 'bounds:x')).toBeCloseTo(rho(without, 'bounds:x'), 12);
    expect(rho(withExtra, 'histogram:x')).toBeCloseTo(rho(without, 'histogram:x'), 12);
    expect(run(undefined).pre.categoryMarginals.size).toBe(0);
  });

  it('returns the released counts in the layout the model encodes: unreleased rows on the fallback category', () => {
    const { pre } = run(0.02);
    const m = pre.categoryMarginals.get('colour')!;
    // rho ~0.03 in all: std ~4 rows, threshold ~20: "rare" (10 rows) is not released and its rows map to the
    // most frequent released category ("a"), which the counts show (1,010 +- noise)
    expect(m.std).toBeGreaterThan(2);
    expect(m.std).toBeLessThan(6);
    expect([...m.counts.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(m.counts.get('a')!).toBeGreaterThan(1010 - 6 * m.std * 2);
    expect(m.counts.get('a')!).toBeLessThan(1010 + 6 * m.std * 2);
    expect(Math.abs(m.counts.get('b')! - 600)).toBeLessThan(6 * m.std);
    expect(Math.abs(m.counts.get('c')! - 390)).toBeLessThan(6 * m.std);
    const flag = pre.categoryMarginals.get('flag')!;
    expect(Math.abs(flag.counts.get('yes')! - 500)).toBeLessThan(6 * flag.std);
    expect(pre.categoryMarginals.has('x')).toBe(false);
  });

  it('puts the unreleased mass in the other slot when the encoder has one', () => {
    // 300 rows of 30 values of 10 rows each: none clears the threshold, so the column gets an "(other)" slot
    const many: Cell[] = Array.from({ length: N }, (_, i) => (i < 1700 ? 'a' : `v${i % 30}`));
    const t: Table = { names: ['colour'], columns: [many], rowCount: N };
    const ledger = new PrivacyLedger({ epsilon: 5, delta: 1e-5 });
    const pre = fitPrivateEncoder(t, [SPECS[0]!], { preprocessingRho: 0.02, thresholdDelta: 1e-6, ledger, rng: new Rng(2), noisyRows: N, categoryMarginalRho: 0.02 });
    const m = pre.categoryMarginals.get('colour')!;
    expect(m.counts.has(OTHER_LABEL)).toBe(true);
    expect(Math.abs(m.counts.get(OTHER_LABEL)! - 300)).toBeLessThan(8 * m.std);
    expect(Math.abs(m.counts.get('a')! - 1700)).toBeLessThan(6 * m.std);
  });
});

describe('measureMarginals with given counts', () => {
  it('uses the given counts for those columns (no spend) and splits its rho over the others', () => {
    const { pre } = run(0.02, 3);
    const given = pre.categoryMarginals;
    const { release, spends } = measureMarginals(pre.clipped, pre.encoder, 0.02, new Rng(4), { rows: N, given });
    expect(spends.map((s) => s.label)).toEqual(['marginal:x']);
    expect(spends[0]!.rho).toBeCloseTo(0.02, 12);
    const colour = release.marginals.find((m) => m.column === 'colour')!;
    expect(colour.kind).toBe('categorical');
    if (colour.kind !== 'categorical') return;
    const byLabel = new Map(colour.labels.map((l, i) => [l, colour.counts[i]!]));
    // the given counts (projected onto the DP row count), not a new measurement
    const g = given.get('colour')!;
    const sum = [...g.counts.values()].reduce((a, b) => a + b, 0);
    for (const [label, c] of g.counts) expect(byLabel.get(label)!).toBeCloseTo(sum > N ? c - (sum - N) / g.counts.size : c, 6);
    expect(colour.std).toBe(g.std);
  });
});

describe('fitPrivateEncoder on dates whose range the noise hides', () => {
  it('uses the public default date range (1900-2100) when the DP bounds are noise, not a range picked by noise', () => {
    // 100 birth dates in 1930-1950 at a budget where nothing stands out (rho 1e-5 in all: noise std ~500 rows a bin)
    const days = 24 * 3600 * 1000;
    const dates: Cell[] = Array.from({ length: 100 }, (_, i) => Date.UTC(1930, 0, 1) + i * 70 * days);
    const t: Table = { names: ['born'], columns: [dates], rowCount: 100 };
    const spec: ColumnSpec = { name: 'born', type: 'datetime', action: 'keep', nullable: false, format: 'date' };
    for (const seed of [1, 2, 3]) {
      const ledger = new PrivacyLedger({ epsilon: 1, delta: 1e-5 });
      const pre = fitPrivateEncoder(t, [spec], { preprocessingRho: 1e-5, thresholdDelta: 1e-6, ledger, rng: new Rng(seed), noisyRows: 100 });
      expect(pre.columns[0]!.min).toBe(new Date(DEFAULT_DATE_RANGE.lo).toISOString());
      expect(pre.columns[0]!.max).toBe(new Date(DEFAULT_DATE_RANGE.hi).toISOString());
      // the training values stay where they were (inside the range), not clipped onto one instant
      expect(new Set(pre.clipped.columns[0]).size).toBe(100);
    }
  });
});

describe('fitPrivateEncoder warnings for columns the budget cannot serve', () => {
  const low = (t: Table, specs: ColumnSpec[], seed: number) => {
    const warnings: string[] = [];
    const ledger = new PrivacyLedger({ epsilon: 1, delta: 1e-5 });
    const pre = fitPrivateEncoder(t, specs, { preprocessingRho: 1e-5, thresholdDelta: 1e-6, ledger, rng: new Rng(seed), noisyRows: t.rowCount, onWarning: (w) => warnings.push(w) });
    return { pre, warnings };
  };

  it('names a numeric column whose range is a guess (nothing stood out of the noise) and says to declare min and max', () => {
    // 100 values at rho 1e-5 (noise std ~220 rows an octave): no octave clears the threshold
    const v: Cell[] = Array.from({ length: 100 }, (_, i) => 0.001 * (i + 1));
    const t: Table = { names: ['dose'], columns: [v], rowCount: 100 };
    for (const seed of [1, 2]) {
      const { warnings } = low(t, [{ name: 'dose', type: 'numeric', action: 'keep', nullable: false }], seed);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/column "dose": no part of its range stood out of the DP noise/);
      expect(warnings[0]).toMatch(/declare its public min and max in the schema/);
    }
  });

  it('says so for a date column given the default range', () => {
    const days = 24 * 3600 * 1000;
    const dates: Cell[] = Array.from({ length: 100 }, (_, i) => Date.UTC(1930, 0, 1) + i * 70 * days);
    const t: Table = { names: ['born'], columns: [dates], rowCount: 100 };
    const { warnings } = low(t, [{ name: 'born', type: 'datetime', action: 'keep', nullable: false, format: 'date' }], 1);
    expect(warnings).toEqual([expect.stringMatching(/column "born": .* the default range 1900-01-01 to 2100-01-01 is used/)]);
  });

  it('names a categorical column that keeps fewer than two values, and is silent where the budget suffices', () => {
    // 100 rows of 4 values at rho 1e-5: none clears the threshold, the column would be one value
    const c: Cell[] = Array.from({ length: 100 }, (_, i) => ['a', 'b', 'c', 'd'][i % 4]!);
    const t: Table = { names: ['ward'], columns: [c], rowCount: 100 };
    const { pre, warnings } = low(t, [{ name: 'ward', type: 'categorical', action: 'keep', nullable: false }], 1);
    expect(pre.columns[0]!.categories!.length).toBeLessThan(2);
    expect(warnings).toEqual([expect.stringMatching(/column "ward": only .* cleared the DP release threshold .* every synthetic value of the column is the same; declare its categories public/)]);
    // the 2,000-row table above at rho 0.05: every range found, colour keeps three values: no warning
    const quiet: string[] = [];
    fitPrivateEncoder(TABLE, SPECS, { preprocessingRho: 0.05, thresholdDelta: 1e-6, ledger: new PrivacyLedger({ epsilon: 5, delta: 1e-5 }), rng: new Rng(1), noisyRows: N, onWarning: (w) => quiet.push(w) });
    expect(quiet).toEqual([]);
  });
});
