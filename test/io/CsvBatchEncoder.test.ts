/** CSV bytes from typed columns are exactly what TableWriter writes for the same cells. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvBatchEncoder } from '../../src/io/CsvBatchEncoder.js';
import { TableWriter } from '../../src/io/TableWriter.js';
import type { ColumnSpec } from '../../src/metadata/Metadata.js';
import { decodedCells, type DecodedColumn } from '../../src/transformers/DecodedColumn.js';
import { Rng } from '../../src/rng.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'privsynth-csvbytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (name: string, type: ColumnSpec['type'], extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type, action: 'keep', nullable: true, ...extra });

describe('CsvBatchEncoder', () => {
  it('writes the same bytes as TableWriter: integers, rounded decimals, free numbers, datetimes, hostile labels, missing values', async () => {
    const rng = new Rng(5);
    const n = 3000;
    const labels = ['plain', '=cmd()', '+1', '-2', '@x', 'a,b', 'say "hi"', 'two\nlines', ' padded ', 'Zürich 東京', '', null];
    const specs = [
      spec('int', 'integer'),
      spec('dec2', 'numeric', { decimals: 2 }),
      spec('dec0', 'numeric', { decimals: 0 }),
      spec('free', 'numeric'),
      spec('day', 'datetime', { format: 'date' }),
      spec('ts', 'datetime', { format: 'datetime' }),
      spec('cat', 'categorical'),
      spec('flag', 'boolean'),
    ];
    const num = (f: (i: number) => number): DecodedColumn => ({ kind: 'number', values: Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? NaN : f(i))) });
    const cols: DecodedColumn[] = [
      num(() => Math.round((rng.uniform() - 0.5) * 2e6) + 0),
      num(() => Math.round((rng.uniform() - 0.5) * 2e5) / 100 + 0),
      num(() => Math.round((rng.uniform() - 0.5) * 100) + 0),
      num(() => (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 30 - 10)),
      num(() => Math.round(rng.uniform() * 20000) * 86_400_000),
      num(() => Math.round(rng.uniform() * 2e12)),
      { kind: 'code', codes: Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * labels.length)), labels },
      { kind: 'code', codes: Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * 2)), labels: ['false', 'true'] },
    ];
    const file = path.join(dir, 'ref.csv');
    const w = await TableWriter.open(file, specs);
    await w.write({ names: specs.map((s) => s.name), columns: cols.map(decodedCells), rowCount: n });
    await w.commit();
    const ref = readFileSync(file, 'utf8');
    const body = ref.slice(ref.indexOf('\n') + 1);
    const enc = new CsvBatchEncoder(specs);
    expect(Buffer.from(enc.encode(cols, n)).toString('utf8')).toBe(body);
    // and through the writer's byte path: the same file
    const file2 = path.join(dir, 'bytes.csv');
    const w2 = await TableWriter.open(file2, specs);
    await w2.writeCsvBytes(enc.encode(cols.map((c) => c), 1000), 1000);
    await w2.writeCsvBytes(new CsvBatchEncoder(specs).encode(cols.map((c) => (c.kind === 'number' ? { kind: 'number', values: c.values.subarray(1000) } : { ...c, codes: c.codes.subarray(1000) })), n - 1000), n - 1000);
    await w2.commit();
    expect(readFileSync(file2, 'utf8')).toBe(ref);
  });

  it('a wide row whose free-number fields outgrow the room ensured for its category fields (a 500-column run crashed: DataView offset)', async () => {
    // rows of 550 x (8 numbers with 2 decimals, a category); the numbers go through field writers, which
    // grow the buffer exactly for themselves and are not counted in the per-row reserve of the category fields
    const groups = 550; // a size where, without the fix, a category field starts within 20 bytes of the buffer's end
    const n = 3;
    const specs: ColumnSpec[] = [];
    const cols: DecodedColumn[] = [];
    const labels = ['alpha-beta', 'gamma-delta-epsilon'];
    for (let g = 0; g < groups; g++) {
      for (let q = 0; q < 8; q++) {
        specs.push(spec(`x${g}_${q}`, 'numeric', { decimals: 2 }));
        cols.push({ kind: 'number', values: Float64Array.from({ length: n }, (_, i) => Math.round((g * 8 + q + i) * 12.3457) / 100) });
      }
      specs.push(spec(`c${g}`, 'categorical'));
      cols.push({ kind: 'code', codes: Int32Array.from({ length: n }, (_, i) => (g + i) % 2), labels });
    }
    const file = path.join(dir, 'wide.csv');
    const w = await TableWriter.open(file, specs);
    await w.write({ names: specs.map((s) => s.name), columns: cols.map(decodedCells), rowCount: n });
    await w.commit();
    const ref = readFileSync(file, 'utf8');
    const body = Buffer.from(new CsvBatchEncoder(specs).encode(cols, n)).toString('utf8');
    expect(body.length).toBeGreaterThan(65_536);
    expect(body).toBe(ref.slice(ref.indexOf('\n') + 1));
  });

  it('columns with a display format (number/date format, missing marker): the same bytes as TableWriter, in the input format', async () => {
    const rng = new Rng(9);
    const n = 2000;
    const specs = [
      spec('money', 'numeric', { decimals: 2, numberFormat: { decimalMark: '.', groupSeparator: ',', prefix: '$', suffix: '', fixedDecimals: 2 } }),
      spec('count', 'integer', { numberFormat: { decimalMark: '.', groupSeparator: ',', prefix: '', suffix: '' }, missingMarker: '-' }),
      spec('eu', 'numeric', { decimals: 2, numberFormat: { decimalMark: ',', groupSeparator: '.', prefix: '', suffix: '' } }),
      spec('pct', 'numeric', { decimals: 1, numberFormat: { decimalMark: '.', groupSeparator: '', prefix: '', suffix: '%' }, missingMarker: 'n/a' }),
      spec('us', 'datetime', { format: 'date', dateFormat: 'MM/DD/YYYY', missingMarker: '?' }),
      spec('cat', 'categorical', { missingMarker: '?' }),
      spec('int', 'integer', { missingMarker: '=x' }),
    ];
    const num = (f: () => number): DecodedColumn => ({ kind: 'number', values: Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : f())) });
    const cols: DecodedColumn[] = [
      num(() => Math.round((rng.uniform() - 0.3) * 1e8) / 100),
      num(() => Math.round(rng.uniform() * 1e7)),
      num(() => Math.round(rng.uniform() * 1e7) / 100),
      num(() => Math.round(rng.uniform() * 1000) / 10),
      num(() => Math.round(rng.uniform() * 20000) * 86_400_000),
      { kind: 'code', codes: Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * 3)), labels: ['a', 'b', null] },
      num(() => Math.round(rng.uniform() * 100)),
    ];
    const file = path.join(dir, 'display.csv');
    const w = await TableWriter.open(file, specs);
    await w.write({ names: specs.map((s) => s.name), columns: cols.map(decodedCells), rowCount: n });
    await w.commit();
    const ref = readFileSync(file, 'utf8');
    expect(Buffer.from(new CsvBatchEncoder(specs).encode(cols, n)).toString('utf8')).toBe(ref.slice(ref.indexOf('\n') + 1));
    const first = ref.split('\n')[1]!; // row 0: every number column missing
    expect(first).toBe(",-,,n/a,?," + first.split(',').slice(5).join(','));
    expect(ref).toMatch(/\n"\$\d{1,3}(,\d{3})*\.\d\d",/); // "$1,234.50", quoted for its commas
    expect(ref).toMatch(/,"\d{1,3}(\.\d{3})*(,\d\d?)?",\d+(\.\d)?%,\d\d\/\d\d\/\d{4},/);
    expect(ref).toContain(",'=x\n"); // a marker that is a formula is neutralised like any cell
    // JSONL and Parquet get typed values: no display format
    const j = path.join(dir, 'display.jsonl');
    const wj = await TableWriter.open(j, specs);
    await wj.write({ names: specs.map((s) => s.name), columns: cols.map(decodedCells), rowCount: 2 });
    await wj.commit();
    const row1 = JSON.parse(readFileSync(j, 'utf8').split('\n')[1]!);
    expect(typeof row1.money).toBe('number');
    expect(row1.us).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it('codes and whole numbers only (the WebAssembly kernel): the same bytes as TableWriter, halves, signs, big magnitudes', async () => {
    const rng = new Rng(6);
    const n = 4000;
    const labels = ['plain', '=cmd()', 'a,b', 'say "hi"', 'Zürich 東京', '', null, 'exactly8', 'a label of twenty-3 b', 'x'];
    const edge = [0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999999999999994, 9, 10, 99, 100, 101, 999_999, 2 ** 53 - 1, -(2 ** 53 - 1), 123456789012345];
    const specs = [spec('a', 'integer'), spec('c', 'categorical'), spec('b', 'integer'), spec('d', 'categorical')];
    const ints = (): DecodedColumn => ({
      kind: 'number',
      values: Float64Array.from({ length: n }, (_, i) => (i % 13 === 0 ? NaN : i < edge.length ? edge[i]! : Math.round((rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 12)))),
    });
    const codes = (): DecodedColumn => ({ kind: 'code', codes: Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * labels.length)), labels });
    const cols = [ints(), codes(), ints(), codes()];
    const reference = async (c: DecodedColumn[], rows: number): Promise<string> => {
      const file = path.join(dir, `k${rows}.csv`);
      const w = await TableWriter.open(file, specs);
      await w.write({ names: specs.map((x) => x.name), columns: c.map(decodedCells), rowCount: rows });
      await w.commit();
      const t = readFileSync(file, 'utf8');
      return t.slice(t.indexOf('\n') + 1);
    };
    const enc = new CsvBatchEncoder(specs);
    expect(Buffer.from(enc.encode(cols, n)).toString('utf8')).toBe(await reference(cols, n));
    // a second batch through the same encoder (labels already in the kernel's memory), fewer rows
    expect(Buffer.from(enc.encode(cols, 7)).toString('utf8')).toBe(await reference(cols.map((c) => (c.kind === 'number' ? { ...c, values: c.values.subarray(0, 7) } : { ...c, codes: c.codes.subarray(0, 7) })), 7));
    // 2^53 and beyond (JS writes them with String()): the batch falls back to JS, same bytes
    const big: DecodedColumn[] = [{ kind: 'number', values: Float64Array.of(2 ** 53, -(2 ** 60), 1e21, 5) }, cols[1]!, { kind: 'number', values: Float64Array.of(1, 2, 3, 4) }, cols[3]!];
    const bigRef = await reference(big.map((c) => (c.kind === 'code' ? { ...c, codes: c.codes.subarray(0, 4) } : c)), 4);
    expect(Buffer.from(enc.encode(big, 4)).toString('utf8')).toBe(bigRef);
  });

  it('writes Cell[] columns (surrogates, text) and empty fields for an absent column', () => {
    const specs = [spec('id', 'id'), spec('note', 'text'), spec('gone', 'integer')];
    const out = Buffer.from(new CsvBatchEncoder(specs).encode([['a-1', 'b-2'], ['hello, world', '=SUM(A1)'], null], 2)).toString();
    expect(out).toBe('a-1,"hello, world",\nb-2,\'=SUM(A1),\n');
  });
});
