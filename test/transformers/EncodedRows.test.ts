/**
 * The compact training rows: `TableEncoder.encodeRows(...).gather(rows)` must give exactly the rows of the dense
 * `encode` (the model is trained on them), for every transformer kind, with missing values, across chunks.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../src/metadata/Metadata.js';
import { makeTable, type Cell } from '../../src/table/Table.js';
import { Rng } from '../../src/rng.js';
import { TableEncoder } from '../../src/transformers/TableEncoder.js';
import { EncodedRows } from '../../src/transformers/EncodedRows.js';
import { InputError, InternalError } from '../../src/errors.js';

const DAY = 86_400_000;

function mixedTable(n: number, seed: number) {
  const r = new Rng(seed);
  const columns: ColumnSpec[] = [
    { name: 'age', type: 'integer', action: 'keep', nullable: false },
    { name: 'city', type: 'categorical', action: 'keep', nullable: true },
    { name: 'joined', type: 'datetime', action: 'keep', nullable: true, format: 'date' },
    { name: 'score', type: 'numeric', action: 'keep', nullable: true, decimals: 1 },
    { name: 'member', type: 'boolean', action: 'keep', nullable: false, categories: ['no', 'yes'] },
    { name: 'notes', type: 'text', action: 'keep', nullable: true },
  ];
  const cols: Cell[][] = columns.map(() => []);
  for (let i = 0; i < n; i++) {
    cols[0]!.push(18 + Math.floor(r.uniform() * 60));
    cols[1]!.push(r.uniform() < 0.1 ? null : ['Oslo', 'Lima', 'Pune', 'Kyiv'][r.int(4)]!);
    cols[2]!.push(r.uniform() < 0.2 ? null : Date.UTC(2015, 0, 1) + r.int(3000) * DAY);
    cols[3]!.push(r.uniform() < 0.05 ? null : Math.round((r.uniform() < 0.5 ? 3 + r.normal() : 9 + 0.5 * r.normal()) * 10) / 10);
    cols[4]!.push(r.uniform() < 0.3 ? 'yes' : 'no');
    cols[5]!.push('free text');
  }
  return { columns, table: makeTable(columns.map((c) => c.name), cols, 'mixed.csv') };
}

const iota = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('TableEncoder.encodeRows / EncodedRows', () => {
  const N = 2500;
  const { columns, table } = mixedTable(N, 1);
  const te = TableEncoder.fit(columns, table, new Rng(2));
  const dense = te.encode(table, new Rng(3));

  it('gathers every row exactly as encode writes it, whatever the chunk size', () => {
    for (const chunkFloats of [1, te.width * 7 + 3, 2 ** 21]) {
      const rows = te.encodeRows(table, new Rng(3), { chunkFloats });
      expect(rows.n).toBe(N);
      expect(rows.width).toBe(te.width);
      const out = new Float32Array(N * te.width);
      rows.gather(iota(N), out);
      expect(out).toEqual(dense);
    }
  });

  it('gathers any rows in any order, repeats included, into a larger buffer', () => {
    const rows = te.encodeRows(table, new Rng(3));
    const pick = Int32Array.from([N - 1, 0, 17, 17, 1234]);
    const out = new Float32Array((pick.length + 2) * te.width).fill(-5);
    rows.gather(pick, out);
    pick.forEach((r, i) => expect(out.subarray(i * te.width, (i + 1) * te.width)).toEqual(dense.subarray(r * te.width, (r + 1) * te.width)));
    expect(out.subarray(pick.length * te.width).every((v) => v === -5)).toBe(true);
    expect(() => rows.gather([N], out)).toThrow(RangeError);
    expect(() => rows.gather(iota(10), new Float32Array(te.width))).toThrow(InternalError);
  });

  it('keeps missing values: the missing slots of nullable columns come back hot', () => {
    const rows = te.encodeRows(table, new Rng(3));
    const city = te.blocks.find((b) => b.column === 'city')!; // Kyiv, Lima, Oslo, Pune, missing
    const i = table.columns[1]!.indexOf(null);
    const out = new Float32Array(te.width);
    rows.gather([i], out);
    expect(Array.from(out.subarray(city.start, city.start + city.width))).toEqual([0, 0, 0, 0, 1]);
    const joined = te.blocks.find((b) => b.column === 'joined')!; // ..., [present, missing]
    const k = table.columns[2]!.indexOf(null);
    rows.gather([k], out);
    expect(Array.from(out.subarray(joined.start + joined.width - 2, joined.start + joined.width))).toEqual([0, 1]);
  });

  it('is small: 4 bytes a tanh span and 2 a softmax span, per row', () => {
    const rows = te.encodeRows(table, new Rng(3));
    const tanh = te.spans.filter((s) => s.kind === 'tanh').length;
    const soft = te.spans.length - tanh;
    expect(rows.byteLength).toBe(N * (4 * tanh + 2 * soft));
    expect(rows.byteLength).toBeLessThan(dense.byteLength / 3);
  });

  it('names the table row of a bad cell in a later chunk', () => {
    const bad = table.columns[0]!.slice();
    bad[2100] = null; // age is not nullable
    const t2 = makeTable(table.names, table.columns.map((c, j) => (j === 0 ? bad : c)), 'mixed.csv');
    let err: InputError | undefined;
    try {
      te.encodeRows(t2, new Rng(3), { chunkFloats: te.width * 1000 });
    } catch (e) {
      err = e as InputError;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(err!.location).toMatchObject({ column: 'age', row: 2101 });
  });

  it('refuses a softmax block that is not exactly one-hot', () => {
    const spans = [{ kind: 'tanh' as const, start: 0, width: 1 }, { kind: 'softmax' as const, start: 1, width: 3 }];
    const rows = new EncodedRows(spans, 4, 2);
    rows.setDense(0, Float32Array.from([0.25, 0, 1, 0, -0.5, 1, 0, 0]), 2);
    const out = new Float32Array(8);
    rows.gather([1, 0], out);
    expect(Array.from(out)).toEqual([-0.5, 1, 0, 0, 0.25, 0, 1, 0]);
    for (const block of [[0, 0, 0], [1, 1, 0], [0.5, 0.5, 0], [1, -0, 0]]) {
      expect(() => rows.setDense(0, Float32Array.from([0, ...block]), 1), block.join(',')).toThrow(InternalError);
    }
    expect(() => new EncodedRows(spans, 5, 1)).toThrow(/cover 4 encoded columns/);
  });
});
