/**
 * Conditional sampling on a small CPS 1985 model: exact counts, rare categories, agreement with rejection
 * sampling (the reference: plain samples filtered on the condition), determinism, and clear errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleConditional, sampleConditionalBatches } from '../../../../src/synthesizers/dp-vae/sample/guidedSample.js';
import { resolveConditions } from '../../../../src/sampling/conditions.js';
import type { DpVaeSynthesizer } from '../../../../src/synthesizers/dp-vae/DpVaeSynthesizer.js';
import type { Table } from '../../../../src/table/Table.js';
import { InputError } from '../../../../src/errors.js';
import { concatTables } from '../../../../src/sampling/tableOps.js';
import { col, cpsModel, RARE_RACE, share } from '../../../fixtures/cpsModel.js';

let synth: DpVaeSynthesizer;
beforeAll(async () => {
  ({ synth } = await cpsModel());
});

function plain(n: number, seed: number): Table {
  return concatTables([...synth.sampleBatches(n, seed)]);
}

describe('sampleConditional', () => {
  it('returns exactly n rows, every one meeting the condition', () => {
    const { table, stats } = sampleConditional(synth, 5000, [{ column: 'gender', value: 'female' }], { seed: 1 });
    expect(table.rowCount).toBe(5000);
    expect(col(table, 'gender').every((v) => v === 'female')).toBe(true);
    expect(stats.rows).toBe(5000);
    expect(stats.effectiveSampleSize).toBeGreaterThan(0);
    expect(stats.estimatedProbability).toBeGreaterThan(0.2);
    expect(stats.estimatedProbability).toBeLessThan(0.8);
  });

  it('returns exact counts for a category with a 1% share', () => {
    const { table, stats } = sampleConditional(synth, 3000, [{ column: 'race', value: RARE_RACE }], { seed: 2 });
    expect(table.rowCount).toBe(3000);
    expect(col(table, 'race').every((v) => v === RARE_RACE)).toBe(true);
    expect(stats.estimatedProbability).toBeGreaterThan(0.001);
    expect(stats.estimatedProbability).toBeLessThan(0.05);
    expect(share(plain(20_000, 4), 'race', RARE_RACE)).toBeLessThan(0.05); // it is rare in plain samples too
  });

  it('meets several conditions at once, including a numeric range (rejection inside the guided batch)', () => {
    const conds = [
      { column: 'gender', value: 'male' },
      { column: 'sector', value: 'construction' },
      { column: 'wage', min: 8, max: 20 },
    ];
    const { table, stats } = sampleConditional(synth, 2000, conds, { seed: 3 });
    expect(table.rowCount).toBe(2000);
    expect(col(table, 'gender').every((v) => v === 'male')).toBe(true);
    expect(col(table, 'sector').every((v) => v === 'construction')).toBe(true);
    expect(col(table, 'wage').every((v) => typeof v === 'number' && v >= 8 && v <= 20)).toBe(true);
    expect(stats.rangeAcceptance).toBeGreaterThan(0);
    expect(stats.rangeAcceptance).toBeLessThanOrEqual(1);
  });

  it('agrees with rejection sampling on the other columns (within 4 standard errors)', () => {
    const cond = [{ column: 'gender', value: 'female' }];
    const guided = sampleConditional(synth, 20_000, cond, { seed: 5 }).table;
    const ref = plain(60_000, 6);
    const g = col(ref, 'gender');
    const keep = [...Array(ref.rowCount).keys()].filter((i) => g[i] === 'female');
    const rej: Table = { names: ref.names, columns: ref.columns.map((c) => keep.map((i) => c[i]!)), rowCount: keep.length };
    expect(rej.rowCount).toBeGreaterThan(10_000);
    for (const [c, v] of [['occupation', 'clerical'], ['occupation', 'professional'], ['married', '1'], ['union', '1'], ['sector', 'manufacturing']] as const) {
      const a = share(guided, c, v);
      const b = share(rej, c, v);
      const se = Math.sqrt((a * (1 - a)) / guided.rowCount + (b * (1 - b)) / rej.rowCount);
      // SIR shares z between rows, so its variance is a little above the binomial one: allow 4 SE
      expect(Math.abs(a - b), `${c}=${v}: guided ${a.toFixed(4)} vs rejection ${b.toFixed(4)}`).toBeLessThan(4 * se + 0.005);
    }
  });

  it('is deterministic for a seed and independent of how the batches are consumed', () => {
    const cond = [{ column: 'race', value: 'hispanic' }];
    const a = sampleConditional(synth, 1500, cond, { seed: 9, batchSize: 500 }).table;
    const b = concatTables([...sampleConditionalBatches(synth, 1500, cond, { seed: 9, batchSize: 500 })]);
    expect(b.columns).toEqual(a.columns);
    const c = sampleConditional(synth, 1500, cond, { seed: 10, batchSize: 500 }).table;
    expect(c.columns).not.toEqual(a.columns);
  });

  it('is reachable from the synthesizer (sampleGuided)', () => {
    const rows = [...synth.sampleGuided(100, [{ column: 'south', value: '1' }], { seed: 1 })].reduce((s, t) => s + t.rowCount, 0);
    expect(rows).toBe(100);
  });

  it('follows the decoding temperature (0 = argmax) and still meets the condition', () => {
    const cond = [{ column: 'occupation', value: 'other' }];
    const { table, stats } = sampleConditional(synth, 500, cond, { seed: 12, temperature: 0 });
    expect(table.rowCount).toBe(500);
    expect(col(table, 'occupation').every((v) => v === 'other')).toBe(true);
    expect(stats.estimatedProbability).toBeGreaterThan(0); // P(argmax = other) under the model
    expect(() => sampleConditional(synth, 5, cond, { temperature: -1 })).toThrow(/temperature/);
  });

  it('maps boolean true/false to the two spellings', () => {
    expect(resolveConditions(synth.encoder, [{ column: 'union', value: true }]).guides[0]!.slot).toBe(1);
    expect(resolveConditions(synth.encoder, [{ column: 'union', value: false }]).guides[0]!.slot).toBe(0);
  });
});

describe('impossible or unseen conditions', () => {
  it('rejects a value the encoder does not know, naming the column, the value and the known values', () => {
    let err: unknown;
    try {
      sampleConditional(synth, 10, [{ column: 'occupation', value: 'astronaut' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.code).toBe('E_VALUE');
    expect(e.message).toContain('occupation');
    expect(e.message).toContain('astronaut');
    expect(e.hint).toContain('"clerical"');
    expect(e.hint).toContain('"management"');
  });

  it('rejects a column the model does not generate', () => {
    expect(() => sampleConditional(synth, 10, [{ column: 'shoe_size', value: '42' }])).toThrow(/shoe_size.*does not generate/);
  });

  it('stops with a clear error when the model (almost) never meets the condition, instead of looping', () => {
    // wage is clipped to the schema's [0, 50]: no row can fall in [60, 70]
    expect(() => sampleConditional(synth, 100, [{ column: 'wage', min: 60, max: 70 }], { seed: 1, checkAfter: 20_000 })).toThrow(/almost\) never generates.*wage/);
    // a categorical condition below the probability floor
    let err: InputError | undefined;
    try {
      sampleConditional(synth, 100, [{ column: 'race', value: RARE_RACE }, { column: 'sector', value: 'construction' }, { column: 'occupation', value: 'management' }], { seed: 1, checkAfter: 8192, minProbability: 0.01 });
    } catch (e) {
      err = e as InputError;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/estimated probability \d\.\d+e-\d+/);
    expect(err!.message).toContain(`race = "${RARE_RACE}"`);
  });

  it('rejects malformed conditions', () => {
    expect(() => sampleConditional(synth, 10, [{ column: 'wage', value: 3 }])).toThrow(/numeric columns take a range/);
    expect(() => sampleConditional(synth, 10, [{ column: 'gender', min: 1 }])).toThrow(/needs a "value"/);
    expect(() => sampleConditional(synth, 10, [{ column: 'age', min: 50, max: 20 }])).toThrow(/above max/);
    expect(() => sampleConditional(synth, 10, [{ column: 'gender', value: 'male' }, { column: 'gender', value: 'female' }])).toThrow(/two conditions/);
  });
});
