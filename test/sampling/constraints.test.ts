/** Schema constraints: validation, enforcement on 10,000 sampled rows, the training-data check, the DP measure. */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTrainingData, enforceConstraints, measureFixedCombinations, sampleConstrained, type Constraint } from '../../src/sampling/constraints.js';
import { validateMetadata } from '../../src/metadata/validateMetadata.js';
import { sampleConditionalBatches } from '../../src/synthesizers/dp-vae/sample/guidedSample.js';
import { tableFromRows, type Table } from '../../src/table/Table.js';
import type { Metadata } from '../../src/metadata/Metadata.js';
import type { DpVaeSynthesizer } from '../../src/synthesizers/dp-vae/DpVaeSynthesizer.js';
import { PrivacyLedger } from '../../src/privacy/PrivacyLedger.js';
import { Rng } from '../../src/rng.js';
import { InputError } from '../../src/errors.js';
import { col, cpsModel } from '../fixtures/cpsModel.js';

let synth: DpVaeSynthesizer;
let real: Table;
let metadata: Metadata;
beforeAll(async () => {
  ({ synth, table: real, metadata } = await cpsModel());
});

const ALLOWED = [
  ['clerical', 'other'],
  ['management', 'other'],
  ['professional', 'other'],
  ['sales', 'other'],
  ['service', 'other'],
  ['other', 'manufacturing'],
  ['other', 'construction'],
  ['other', 'other'],
];

const CONSTRAINTS: Constraint[] = [
  { kind: 'range', column: 'age', min: 18, max: 64 },
  { kind: 'inequality', left: 'experience', op: '<', right: 'age' },
  // "wage" must be the sum of two parts: not in the data, so it is enforced by construction
  { kind: 'sum', total: 'age', parts: ['education', 'experience'] },
  { kind: 'fixedCombinations', columns: ['occupation', 'sector'], allowed: ALLOWED },
  { kind: 'pattern', column: 'gender', regex: '(fe)?male' },
];

/** Independent check of every constraint on every row. */
function violations(t: Table): number {
  const age = col(t, 'age');
  const exp = col(t, 'experience');
  const edu = col(t, 'education');
  const occ = col(t, 'occupation');
  const sec = col(t, 'sector');
  const gen = col(t, 'gender');
  const allowed = new Set(ALLOWED.map((r) => r.join('|')));
  let bad = 0;
  for (let i = 0; i < t.rowCount; i++) {
    const a = age[i] as number;
    const ok = a >= 18 && a <= 64 && (exp[i] as number) < a && a === (edu[i] as number) + (exp[i] as number) && allowed.has(`${occ[i]}|${sec[i]}`) && /^(fe)?male$/.test(String(gen[i]));
    if (!ok) bad++;
  }
  return bad;
}

describe('constraints in the schema', () => {
  const doc = (constraints: unknown) => ({ columns: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }, { name: 'c', type: 'categorical' }], constraints });

  it('accepts valid constraints and keeps them', () => {
    const md = validateMetadata(doc([{ kind: 'inequality', left: 'a', op: '<=', right: 'b' }, { kind: 'range', column: 'a', min: 0 }, { kind: 'pattern', column: 'c', regex: '[a-z]+' }]));
    expect(md.constraints).toHaveLength(3);
    expect(validateMetadata(doc(undefined)).constraints).toBeUndefined();
  });

  it('collects every problem: unknown columns, wrong types, bad ops and regexes', () => {
    let err: Error | undefined;
    try {
      validateMetadata(doc([
        { kind: 'inequality', left: 'a', op: '=', right: 'zz' },
        { kind: 'sum', total: 'c', parts: ['a'] },
        { kind: 'pattern', column: 'c', regex: '(' },
        { kind: 'fixedCombinations', columns: ['a', 'c'], allowed: [['1']] },
        { kind: 'teleport' },
      ]));
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/"right" names "zz"/);
    expect(err?.message).toMatch(/"op" must be one of/);
    expect(err?.message).toMatch(/column "c" is categorical/);
    expect(err?.message).toMatch(/not a valid regular expression/);
    expect(err?.message).toMatch(/"allowed" must be a list of combinations, each a list of 2 strings/);
    expect(err?.message).toMatch(/kind "teleport"/);
  });
});

describe('enforcement', () => {
  it('never violates a constraint in 10,000 sampled rows, and reports repairs and the rejection rate', () => {
    const { table, report } = sampleConstrained((m, s) => synth.sampleBatches(m, s, 4000), 10_000, CONSTRAINTS, { seed: 1, metadata });
    expect(table.rowCount).toBe(10_000);
    expect(violations(table)).toBe(0);
    expect(report.rows).toBeGreaterThanOrEqual(10_000);
    expect(report.rejectionRate).toBeGreaterThan(0); // the sum pushes some ages out of range
    expect(report.rejectionRate).toBeLessThan(0.9);
    expect(report.constraints.find((c) => c.kind === 'sum')!.repaired).toBeGreaterThan(0);
    expect(report.constraints.find((c) => c.kind === 'pattern')!.rejected).toBe(0);
  });

  it('composes with conditional sampling', () => {
    const draw = (m: number, s: number) => sampleConditionalBatches(synth, m, [{ column: 'sector', value: 'construction' }], { seed: s });
    const { table } = sampleConstrained(draw, 2000, CONSTRAINTS, { seed: 2, metadata });
    expect(table.rowCount).toBe(2000);
    expect(violations(table)).toBe(0);
    expect(col(table, 'sector').every((v) => v === 'construction')).toBe(true);
  });

  it('repairs by construction: clip, swap, sum; rejects what cannot be repaired', () => {
    const t = tableFromRows([
      { lo: 5, hi: 3, x: 1.25, y: 2.5, tot: 0, code: 'AB12' },
      { lo: 4, hi: 4, x: 0.1, y: 0.2, tot: 9, code: 'ab12' },
      { lo: 1, hi: 2, x: null, y: 1, tot: 1, code: null },
    ]);
    const md = validateMetadata({ columns: [{ name: 'lo', type: 'integer' }, { name: 'hi', type: 'integer' }, { name: 'x', type: 'numeric', decimals: 2 }, { name: 'y', type: 'numeric', decimals: 2 }, { name: 'tot', type: 'numeric', decimals: 2 }, { name: 'code', type: 'categorical' }] });
    const { table, report } = enforceConstraints(
      t,
      [
        { kind: 'inequality', left: 'lo', op: '<', right: 'hi' },
        { kind: 'sum', total: 'tot', parts: ['x', 'y'] },
        { kind: 'pattern', column: 'code', regex: '[A-Z]{2}\\d+' },
      ],
      { metadata: md },
    );
    // row 1: swapped, summed; row 2: tie under '<' and a lowercase code -> rejected; row 3: a missing part -> rejected
    expect(table.rowCount).toBe(1);
    expect(table.columns.map((c) => c[0])).toEqual([3, 5, 1.25, 2.5, 3.75, 'AB12']);
    expect(report.constraints.map((c) => [c.repaired, c.rejected])).toEqual([[1, 1], [2, 1], [0, 1]]);
    expect(col(t, 'lo')[0]).toBe(5); // the input is not modified
    expect(report.rejectionRate).toBeCloseTo(2 / 3, 12);
  });

  it('a sum with an offset: total := parts + offset (CPS: age = education + experience + 6 in 533 of 534 rows)', () => {
    const t = tableFromRows([
      { education: 12, experience: 10, age: 99 },
      { education: 16, experience: 2, age: 24 },
      { education: 8, experience: null, age: 30 },
    ]);
    const md = validateMetadata({ columns: [{ name: 'education', type: 'integer' }, { name: 'experience', type: 'integer' }, { name: 'age', type: 'integer' }] });
    const { table, report } = enforceConstraints(t, [{ kind: 'sum', total: 'age', parts: ['education', 'experience'], offset: 6 }], { metadata: md });
    // row 1 repaired (99 -> 28), row 2 already holds (16 + 2 + 6 = 24), row 3 has a missing part: rejected
    expect(table.rowCount).toBe(2);
    expect(col(table, 'age')).toEqual([28, 24]);
    expect(report.constraints.map((c) => [c.repaired, c.rejected])).toEqual([[1, 1]]);
    expect(report.constraints[0]!.label).toBe('sum:age=education+experience+6');
    expect(() => validateMetadata({ columns: md.columns, constraints: [{ kind: 'sum', total: 'age', parts: ['education'], offset: 'six' as unknown as number }] })).toThrow(/"offset" must be a finite number/);
  });

  it('a mapping: to := map[from] (UCI Adult: education-num is the ordinal code of education); a value the map lacks is rejected', () => {
    const t = tableFromRows([
      { education: 'Bachelors', num: 9 },
      { education: 'HS-grad', num: 9 },
      { education: null, num: 4 },
      { education: 'Preschool', num: 1 },
    ]);
    const md = validateMetadata({ columns: [{ name: 'education', type: 'categorical' }, { name: 'num', type: 'integer' }] });
    const mapping: Constraint = { kind: 'mapping', from: 'education', to: 'num', map: { Bachelors: '13', 'HS-grad': '9' } };
    const { table, report } = enforceConstraints(t, [mapping], { metadata: md });
    // row 1 repaired (9 -> 13, a number as the integer column holds), row 2 holds, row 3 has no education (kept as
    // it is), row 4's Preschool is not in the map: rejected
    expect(table.rowCount).toBe(3);
    expect(col(table, 'num')).toEqual([13, 9, 4]);
    expect(report.constraints.map((c) => [c.label, c.repaired, c.rejected])).toEqual([['mapping:education->num', 1, 1]]);
    expect(col(t, 'num')[0]).toBe(9); // the input is not modified
  });

  it('validates a mapping: columns of the schema, two different ones, a map of strings the to column can hold', () => {
    const columns = [{ name: 'education', type: 'categorical' }, { name: 'num', type: 'integer' }];
    const problems = (c: unknown) => {
      try {
        validateMetadata({ columns, constraints: [c] });
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(problems({ kind: 'mapping', from: 'education', to: 'num', map: { Bachelors: '13' } })).toBe('');
    expect(problems({ kind: 'mapping', from: 'education', to: 'nums', map: { Bachelors: '13' } })).toMatch(/"to" names "nums"/);
    expect(problems({ kind: 'mapping', from: 'num', to: 'num', map: { '1': '1' } })).toMatch(/"from" and "to" are both "num"/);
    expect(problems({ kind: 'mapping', from: 'education', to: 'num', map: ['13'] })).toMatch(/"map" must be a non-empty object/);
    expect(problems({ kind: 'mapping', from: 'education', to: 'num', map: { Bachelors: 13 } })).toMatch(/"map" must be a non-empty object/);
    expect(problems({ kind: 'mapping', from: 'education', to: 'num', map: { Bachelors: 'thirteen' } })).toMatch(/"num" is integer, and the map gives it "thirteen"/);
  });

  it('refuses fixedCombinations without declared combinations', () => {
    expect(() => enforceConstraints(real, [{ kind: 'fixedCombinations', columns: ['occupation', 'sector'] }])).toThrow(/no "allowed" combinations/);
  });

  it('stops with an error when almost nothing passes', () => {
    expect(() => sampleConstrained((m, s) => synth.sampleBatches(m, s), 100, [{ kind: 'pattern', column: 'gender', regex: 'robot' }], { seed: 3, checkAfter: 5000 })).toThrow(/only 0\.000% of/);
  });
});

describe('checkTrainingData', () => {
  it('reports violation counts per constraint, never rows; drop removes them, fail throws', () => {
    const cs: Constraint[] = [{ kind: 'range', column: 'age', max: 60 }, { kind: 'inequality', left: 'education', op: '<', right: 'experience' }];
    const { table, check } = checkTrainingData(real, cs, 'drop');
    const age = col(real, 'age');
    const edu = col(real, 'education');
    const ex = col(real, 'experience');
    let old = 0;
    let ineq = 0;
    let any = 0;
    for (let i = 0; i < real.rowCount; i++) {
      const a = (age[i] as number) > 60;
      const b = !((edu[i] as number) < (ex[i] as number));
      old += a ? 1 : 0;
      ineq += b ? 1 : 0;
      any += a || b ? 1 : 0;
    }
    expect(check.violations).toEqual([{ label: 'range:age', kind: 'range', rows: old }, { label: 'inequality:education<experience', kind: 'inequality', rows: ineq }]);
    expect(check.violatingRows).toBe(any);
    expect(table.rowCount).toBe(real.rowCount - any);
    expect(JSON.stringify(check)).not.toMatch(/clerical|female/); // counts only
    expect(() => checkTrainingData(real, cs, 'fail')).toThrow(InputError);
    expect(() => checkTrainingData(real, cs, 'fail')).toThrow(new RegExp(`range:age: ${old} row\\(s\\)`));
  });
});

describe('measureFixedCombinations', () => {
  it('releases only combinations that clear the noise threshold and spends exactly its rho', () => {
    const rho = 0.5;
    const { constraint, spend } = measureFixedCombinations(real, { kind: 'fixedCombinations', columns: ['occupation', 'sector'] }, { rho, deltaShare: 1e-6 }, new Rng(1));
    expect(spend.rho).toBeCloseTo(rho, 12);
    expect(spend.deltaSpent).toBe(1e-6);
    const seen = new Set(real.columns[0]!.map((_, i) => `${col(real, 'occupation')[i]}|${col(real, 'sector')[i]}`));
    expect(constraint.allowed!.length).toBeGreaterThan(3);
    for (const c of constraint.allowed!) expect(seen.has(c.join('|'))).toBe(true);
    const ledger = new PrivacyLedger({ epsilon: 3, delta: 1e-5 }).add(spend);
    expect(ledger.zcdpRho).toBeCloseTo(rho, 12);
  });
});
