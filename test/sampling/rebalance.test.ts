/** Rebalanced sampling and the group/parity report. */
import { beforeAll, describe, expect, it } from 'vitest';
import { exactCounts, sampleRebalanced, sampleRebalancedBatches } from '../../src/sampling/rebalance.js';
import { groupReport } from '../../src/sampling/groupReport.js';
import { concatTables } from '../../src/sampling/tableOps.js';
import { tableFromRows } from '../../src/table/Table.js';
import type { DpVaeSynthesizer } from '../../src/synthesizers/dp-vae/DpVaeSynthesizer.js';
import type { Table } from '../../src/table/Table.js';
import { col, cpsModel, RARE_RACE, share } from '../fixtures/cpsModel.js';

let synth: DpVaeSynthesizer;
let real: Table;
beforeAll(async () => {
  ({ synth, table: real } = await cpsModel());
});

function withinThreeSe(observed: number, p: number, n: number): void {
  const se = Math.sqrt((p * (1 - p)) / n);
  expect(Math.abs(observed - p)).toBeLessThanOrEqual(3 * se + 1e-12);
}

describe('sampleRebalanced', () => {
  it('gives the asked shares (within 3 standard errors; exact counts in fact)', () => {
    const n = 4000;
    const { table, stats } = sampleRebalanced(synth, n, { column: 'occupation', shares: { clerical: 0.1, management: 0.4, professional: 0.5 } }, { seed: 1 });
    expect(table.rowCount).toBe(n);
    withinThreeSe(share(table, 'occupation', 'clerical'), 0.1, n);
    withinThreeSe(share(table, 'occupation', 'management'), 0.4, n);
    withinThreeSe(share(table, 'occupation', 'professional'), 0.5, n);
    expect(share(table, 'occupation', 'sales')).toBe(0);
    expect(stats.groups.map((g) => g.rows)).toEqual([400, 1600, 2000]);
  });

  it('uniform: true spreads over the fitted categories, the 1% one included', () => {
    const n = 3001;
    const { table } = sampleRebalanced(synth, n, { column: 'race', uniform: true }, { seed: 2 });
    expect(table.rowCount).toBe(n);
    for (const v of ['hispanic', 'other', 'white', RARE_RACE]) withinThreeSe(share(table, 'race', v), 0.25, n);
  });

  it('combines with further conditions and yields shuffled batches deterministically', () => {
    const spec = { column: 'gender', shares: { female: 0.5, male: 0.5 } };
    const opts = { seed: 3, batchSize: 700, conditions: [{ column: 'sector', value: 'construction' }] };
    const batches = [...sampleRebalancedBatches(synth, 2000, spec, opts)];
    expect(batches.map((b) => b.rowCount)).toEqual([700, 700, 600]);
    const all = concatTables(batches);
    expect(col(all, 'sector').every((v) => v === 'construction')).toBe(true);
    expect(share(all, 'gender', 'female')).toBe(0.5);
    // every batch is balanced too (interleaved, not one group after the other)
    for (const b of batches) expect(Math.abs(share(b, 'gender', 'female') - 0.5)).toBeLessThan(0.01);
    expect(sampleRebalanced(synth, 2000, spec, opts).table.columns).toEqual(all.columns);
  });

  it('rejects unknown values, shares that do not sum to 1 and non-categorical columns', () => {
    expect(() => sampleRebalanced(synth, 10, { column: 'race', shares: { martian: 1 } })).toThrow(/martian[\s\S]*never generates/);
    expect(() => sampleRebalanced(synth, 10, { column: 'race', shares: { white: 0.5, other: 0.2 } })).toThrow(/sum to 0.7/);
    expect(() => sampleRebalanced(synth, 10, { column: 'wage', uniform: true })).toThrow(/not a categorical column/);
  });

  it('exactCounts sums to n and stays within 1 of each share', () => {
    const c = exactCounts([1, 1, 1], 10);
    expect(c.reduce((a, b) => a + b, 0)).toBe(10);
    expect(c).toEqual([4, 3, 3]);
    expect(exactCounts([0.5, 0.5], 3)).toEqual([2, 1]);
  });
});

describe('groupReport', () => {
  it('computes shares, rates and the demographic parity difference (hand-checked)', () => {
    const r = tableFromRows([
      { g: 'a', y: 'yes' },
      { g: 'a', y: 'no' },
      { g: 'b', y: 'yes' },
      { g: 'b', y: 'yes' },
    ]);
    const s = tableFromRows([
      { g: 'a', y: 'no' },
      { g: 'b', y: 'yes' },
      { g: 'b', y: 'no' },
      { g: 'b', y: 'yes' },
    ]);
    const rep = groupReport(r, s, { column: 'g', target: { column: 'y', positive: 'yes' } });
    expect(rep.groups).toEqual([
      { value: 'a', realShare: 0.5, syntheticShare: 0.25, realRate: 0.5, syntheticRate: 0 },
      { value: 'b', realShare: 0.5, syntheticShare: 0.75, realRate: 1, syntheticRate: 2 / 3 },
    ]);
    expect(rep.shareTvd).toBeCloseTo(0.25, 12);
    expect(rep.target!.demographicParityDifference.real).toBeCloseTo(0.5, 12);
    expect(rep.target!.demographicParityDifference.synthetic).toBeCloseTo(2 / 3, 12);
    expect(JSON.parse(JSON.stringify(rep))).toEqual(rep);
  });

  it('reports real vs rebalanced synthetic shares on CPS', () => {
    const { table } = sampleRebalanced(synth, 2000, { column: 'gender', uniform: true }, { seed: 4 });
    const rep = groupReport(real, table, { column: 'gender', target: { column: 'union', positive: '1' } });
    expect(rep.groups.find((g) => g.value === 'female')!.syntheticShare).toBe(0.5);
    expect(rep.groups.find((g) => g.value === 'female')!.realShare).toBeCloseTo(245 / 534, 12);
    expect(rep.target!.demographicParityDifference.synthetic).toBeGreaterThanOrEqual(0);
  });
});
