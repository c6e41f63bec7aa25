/**
 * writtenTable (what `run` evaluates in memory) against the file itself: a typed table written by TableWriter
 * to CSV and read back with readTable gives exactly writtenTable's names and cells, and so the same typed
 * table after undoFormulaEscape and coerceTable. On the messy fixtures (number and date formats, missing
 * markers, ';' delimiters) and on generated tables (formula-like and padded strings, quotes, line breaks,
 * rounding to decimals and integers, dates with fractional milliseconds, missing cells).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableWriter, columnsForOutput } from '../../src/io/TableWriter.js';
import { writtenTable } from '../../src/io/writtenTable.js';
import { readTable } from '../../src/io/readTable.js';
import { undoFormulaEscape } from '../../src/io/undoFormulaEscape.js';
import { coerceTable } from '../../src/metadata/coerceTable.js';
import { inferMetadata } from '../../src/metadata/inferMetadata.js';
import type { ColumnSpec, Metadata } from '../../src/metadata/Metadata.js';
import { outputColumns } from '../../src/metadata/outputColumns.js';
import type { Cell, Table } from '../../src/table/Table.js';
import { ROOT } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-written-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Write `t` as the sample job writes CSV, read it back; and writtenTable of the same. */
async function both(t: Table, md: Metadata): Promise<{ file: Table; memory: Table; typedFile: Table; typedMemory: Table }> {
  const cols = outputColumns(md);
  const out = path.join(dir, `t${n++}.csv`);
  const w = await TableWriter.open(out, cols, { delimiter: md.delimiter });
  await w.write(t);
  await w.commit();
  const file = await readTable(out);
  const memory = writtenTable(t, columnsForOutput(cols, 'csv'), out);
  return { file, memory, typedFile: coerceTable(undoFormulaEscape(file), md), typedMemory: coerceTable(undoFormulaEscape(memory), md) };
}

function expectSame(a: Table, b: Table): void {
  expect(b.names).toEqual(a.names);
  expect(b.rowCount).toBe(a.rowCount);
  a.columns.forEach((c, j) => expect(b.columns[j], a.names[j]).toEqual(c));
}

describe('writtenTable', () => {
  for (const name of ['bank.csv', 'money.csv', 'lab.csv', 'adult_like.csv', 'dates_ambiguous.csv']) {
    it(`gives what reading the written CSV gives: ${name} (number and date formats, delimiters)`, async () => {
      const raw = await readTable(path.join(ROOT, 'test', 'fixtures', 'messy', name));
      const md = { ...inferMetadata(raw), delimiter: raw.delimiter };
      const typed = coerceTable(raw, md);
      const r = await both(typed, md);
      expectSame(r.file, r.memory);
      expectSame(r.typedFile, r.typedMemory);
    });
  }

  it('gives what reading the written CSV gives on generated tables', async () => {
    const chars = fc.constantFrom('"', ',', ';', '\n', '\r\n', ' ', '\t', "'", '=', '+', '-', '@', 'NA', '?', 'é', 'a', '1', '.');
    const str = fc.oneof(fc.constant(null), fc.string({ unit: chars, maxLength: 8 }));
    const num = fc.oneof(fc.constant(null), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -1000, max: 1000 }));
    const date = fc.oneof(fc.constant(null), fc.double({ min: -1e12, max: 4e12, noNaN: true }));
    const spec: ColumnSpec[] = [
      { name: 'cat', type: 'categorical', action: 'keep', nullable: true },
      { name: '=formula name', type: 'categorical', action: 'keep', nullable: true },
      { name: 'x', type: 'numeric', action: 'keep', nullable: true },
      { name: 'x2', type: 'numeric', action: 'keep', nullable: true, decimals: 2 },
      { name: 'k', type: 'integer', action: 'keep', nullable: true },
      { name: 'd', type: 'datetime', action: 'keep', nullable: true, format: 'date' },
      { name: 'ts', type: 'datetime', action: 'keep', nullable: true },
    ];
    const row = fc.tuple(str, str, num, num, num, date, date);
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), fc.constantFrom(',', ';', '\t'), async (rows, delimiter) => {
        const t: Table = { names: spec.map((c) => c.name), columns: spec.map((_, j) => rows.map((r) => r[j] as Cell)), rowCount: rows.length };
        const md: Metadata = { kind: 'privsynth.schema', version: 1, missingValues: ['', '?', 'NA'], trim: true, delimiter, columns: spec } as Metadata;
        const r = await both(t, md);
        expectSame(r.file, r.memory);
        expectSame(r.typedFile, r.typedMemory);
      }),
      { seed: 20260601, numRuns: 60 },
    );
  });
});
