/**
 * The DuckDB reader (Parquet / JSON) reads chunk by chunk with typed fast paths; these tests hold it to the
 * cells of the straightforward reader it replaced (every value through @duckdb/node-api's JS converter).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSDuckDBValueConverter } from '@duckdb/node-api';
import { readTable } from '../../src/io/readTable.js';
import { duckdb, sqlString } from '../../src/io/duckdb.js';
import { InputError } from '../../src/errors.js';
import type { Cell } from '../../src/table/Table.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'privsynth-readtable-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The reader before the chunked one: materialise everything, convert every value with the JS converter. */
async function referenceColumns(file: string, fn: string): Promise<Cell[][]> {
  const con = await duckdb();
  const reader = await con.runAndReadAll(`SELECT * FROM ${fn}(${sqlString(file)})`);
  const raw = reader.convertColumns(JSDuckDBValueConverter) as unknown[][];
  return raw.map((col) =>
    col.map((v): Cell => {
      if (v === null || v === undefined) return null;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      if (typeof v === 'string' || typeof v === 'boolean') return v;
      if (v instanceof Date) return v.getTime();
      return JSON.stringify(v);
    }),
  );
}

async function copyTo(file: string, select: string, format: 'PARQUET' | 'JSON'): Promise<void> {
  const con = await duckdb();
  await con.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT ${format})`);
}

// 5,000 rows: several 2,048-row chunks, a partial last one; nulls, repeats, NaN/inf, negative epochs, a list
const MIXED = `
  SELECT
    CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 7919) % 1000 - 500 END::BIGINT AS big,
    CASE WHEN i % 11 = 0 THEN NULL ELSE TIMESTAMP '1969-12-31 23:59:59.9995' + INTERVAL (i * 3777) SECOND END AS ts,
    TIMESTAMP '1969-12-31 23:59:59.9995' - INTERVAL (i * 3777) SECOND AS neg,
    DATE '1960-02-29' + (i % 20000)::INTEGER AS d,
    CASE WHEN i % 5 = 0 THEN NULL ELSE ['LAS', 'ATL', 'MCI', ' sp ', ''][1 + i % 5] END AS s,
    (i % 3 = 0) AS b,
    CASE WHEN i % 13 = 0 THEN 'nan'::DOUBLE WHEN i % 17 = 0 THEN 'inf'::DOUBLE ELSE i / 8.0 END AS x,
    (i % 100)::INTEGER AS k,
    (i % 1000)::UBIGINT AS u,
    (i / 3.0)::DECIMAL(10, 2) AS dec,
    [i::INTEGER, i::INTEGER + 1] AS lst
  FROM range(5000) t(i)`;

describe('readTable through DuckDB', () => {
  it('reads Parquet cell for cell as the JS converter does, with the stored types', async () => {
    const file = path.join(dir, 'mixed.parquet');
    await copyTo(file, MIXED, 'PARQUET');
    const t = await readTable(file);
    const ref = await referenceColumns(file, 'read_parquet');
    expect(t.rowCount).toBe(5000);
    expect(t.names).toEqual(['big', 'ts', 'neg', 'd', 's', 'b', 'x', 'k', 'u', 'dec', 'lst']);
    for (let j = 0; j < t.names.length; j++) expect(t.columns[j], t.names[j]).toEqual(ref[j]);
    expect(t.sourceTypes).toMatchObject({ big: 'BIGINT', ts: 'TIMESTAMP', d: 'DATE', s: 'VARCHAR', b: 'BOOLEAN', x: 'DOUBLE', u: 'UBIGINT' });
    expect(t.source).toBe(file);
    // spot checks of the semantics the converter defines
    expect(t.columns[1]![1]).toBe(Date.UTC(1970, 0, 1, 1, 2, 56, 999)); // 1969-12-31 23:59:59.9995 + 3777 s, ms truncated toward zero
    expect(t.columns[1]![0]).toBeNull();
    expect(t.columns[2]![0]).toBe(0); // -500 microseconds: truncated toward zero, as the converter's micros / 1000n
    expect(t.columns[2]![1]).toBe(-3_777_000); // -3,777,000.5 ms
    expect(t.columns[3]![0]).toBe(Date.UTC(1960, 1, 29));
    expect(t.columns[4]!.slice(0, 5)).toEqual([null, 'ATL', 'MCI', ' sp ', '']);
    expect(t.columns[6]![13]).toBeNull(); // NaN is missing
  });

  it('reads JSON lines the same way', async () => {
    const file = path.join(dir, 'mixed.jsonl');
    await copyTo(file, `SELECT big, ts, s, b, k FROM (${MIXED})`, 'JSON');
    const t = await readTable(file);
    const ref = await referenceColumns(file, 'read_json_auto');
    expect(t.rowCount).toBe(5000);
    for (let j = 0; j < t.names.length; j++) expect(t.columns[j], t.names[j]).toEqual(ref[j]);
  });

  it('writes nested values as JSON text, BIGINT members as numbers', async () => {
    const file = path.join(dir, 'nested.parquet');
    await copyTo(file, `SELECT [i, i + 1] AS lst, {'a': i, 'b': 'x'} AS st FROM range(3) t(i)`, 'PARQUET');
    const t = await readTable(file);
    expect(t.columns[0]).toEqual(['[0,1]', '[1,2]', '[2,3]']);
    expect(t.columns[1]![2]).toBe('{"a":2,"b":"x"}');
  });

  it('keeps a numeric column without missing values unboxed (only numbers in the array)', async () => {
    const file = path.join(dir, 'num.parquet');
    await copyTo(file, 'SELECT i::BIGINT AS a, i * 0.5 AS b FROM range(3000) t(i)', 'PARQUET');
    const t = await readTable(file);
    for (const col of t.columns) expect(col.every((v) => typeof v === 'number')).toBe(true);
    expect(t.columns[1]![2999]).toBe(1499.5);
  });

  it('names the file, row and column of a timestamp a JavaScript date cannot hold', async () => {
    const file = path.join(dir, 'far.parquet');
    await copyTo(file, `SELECT CASE WHEN i = 2500 THEN TIMESTAMP '290000-01-01 00:00:00' ELSE TIMESTAMP '2001-01-01' END AS ts FROM range(3000) t(i)`, 'PARQUET');
    const err = await readTable(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toEqual({ file, row: 2501, column: 'ts' });
  });

  it('says which file is not valid Parquet', async () => {
    const file = path.join(dir, 'bad.parquet');
    await (await import('node:fs/promises')).writeFile(file, 'not parquet');
    await expect(readTable(file)).rejects.toThrow(/cannot read .*bad\.parquet as parquet/);
  });
});
