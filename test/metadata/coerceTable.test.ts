import { describe, expect, it } from 'vitest';
import { coerceTable } from '../../src/metadata/coerceTable.js';
import { inferMetadata } from '../../src/metadata/inferMetadata.js';
import { DEFAULT_MISSING_VALUES, SCHEMA_KIND, SCHEMA_VERSION, type ColumnSpec, type Metadata } from '../../src/metadata/Metadata.js';
import { makeTable, type Cell } from '../../src/table/Table.js';
import type { InputError } from '../../src/errors.js';

const schema = (columns: Partial<ColumnSpec>[]): Metadata => ({
  kind: SCHEMA_KIND,
  version: SCHEMA_VERSION,
  missingValues: [...DEFAULT_MISSING_VALUES],
  trim: true,
  columns: columns.map((c) => ({ action: 'keep', nullable: true, type: 'categorical', name: '?', ...c }) as ColumnSpec),
});

describe('coerceTable', () => {
  it('passes a column already typed as the schema wants on without copying it', () => {
    const num: Cell[] = [1, 2.5, null, -0, 1e12];
    const cat: Cell[] = ['a', 'b', null, 'a', 'c'];
    const t = makeTable(['x', 'ts', 'c'], [num, num.slice(), cat], 'f.parquet');
    const out = coerceTable(t, schema([{ name: 'x', type: 'numeric' }, { name: 'ts', type: 'datetime' }, { name: 'c' }]));
    expect(out.columns[0]).toBe(num);
    expect(out.columns[1]).toBe(t.columns[1]);
    expect(out.columns[2]).toBe(cat);
    expect(Object.is(out.columns[0]![3], -0)).toBe(true);
  });

  it('copies from the first changed cell and leaves the input as it was', () => {
    const raw: Cell[] = ['1', '2', ' 3 ', '?', '4.5'];
    const cats: Cell[] = ['a', 'b', ' a', 'NA', 'b'];
    const bools: Cell[] = [true, false, true, null, false];
    const t = makeTable(['x', 'c', 'b'], [raw, cats, bools], 'f.csv');
    const out = coerceTable(t, schema([{ name: 'x', type: 'numeric' }, { name: 'c' }, { name: 'b', type: 'boolean' }]));
    expect(out.columns[0]).toEqual([1, 2, 3, null, 4.5]);
    expect(out.columns[1]).toEqual(['a', 'b', 'a', null, 'b']);
    expect(out.columns[2]).toEqual(['true', 'false', 'true', null, 'false']);
    expect(raw).toEqual(['1', '2', ' 3 ', '?', '4.5']);
    expect(cats).toEqual(['a', 'b', ' a', 'NA', 'b']);
    // a boolean cell in a numeric column becomes 0/1, so the column is copied
    const mixed = makeTable(['x'], [[1, true, 2]]);
    const typed = coerceTable(mixed, schema([{ name: 'x', type: 'numeric' }]));
    expect(typed.columns[0]).toEqual([1, 1, 2]);
    expect(mixed.columns[0]).toEqual([1, true, 2]);
  });

  it('names the file, row and column of a bad value, also after unchanged cells', () => {
    const t = makeTable(['x'], [[1, 2, 3, 'four', 5]], 'data.parquet');
    let err: InputError | undefined;
    try {
      coerceTable(t, schema([{ name: 'x', type: 'integer' }]));
    } catch (e) {
      err = e as InputError;
    }
    expect(err?.location).toEqual({ file: 'data.parquet', row: 4, column: 'x' });
    expect(err?.message).toContain('"four" is not a number');
  });
});

describe('inferMetadata on typed cells', () => {
  it('gives the same schema for numbers as for their text, also when text follows numbers', () => {
    const nums: Cell[] = [3, 1.25, 3, 0, 7, 1.25, null];
    const asText = nums.map((v) => (v === null ? null : String(v)));
    const a = inferMetadata(makeTable(['x'], [nums]));
    const b = inferMetadata(makeTable(['x'], [asText]));
    // (decimals are read from the text only, as before)
    expect(a.columns[0]).toEqual({ ...b.columns[0], decimals: a.columns[0]!.decimals });
    expect(a.columns[0]).toMatchObject({ type: 'numeric', min: 0, max: 7, nullable: true });
    // numbers, then strings: categories keep the first-seen order for ties, as if every cell were text
    const mixed: Cell[] = [2, 1, 'x', 1, 'y', 2, 'x'];
    const m = inferMetadata(makeTable(['m'], [mixed]));
    const mt = inferMetadata(makeTable(['m'], [mixed.map((v) => String(v))]));
    expect(m.columns[0]).toEqual(mt.columns[0]);
    expect(m.columns[0]!.categories).toEqual(['1', '2', 'x', 'y']);
  });
});
