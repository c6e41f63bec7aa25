/**
 * UCI Adult (train split) from /work/shared, typed as the schema would type it: a tiny CSV split
 * (the file has no quoted fields), "?" = missing. Shared by the real-data test and the benchmark.
 */
import path from 'node:path';
import { SHARED } from '../helpers.js';
import { existsSync, readFileSync } from 'node:fs';
import type { ColumnSpec } from '../../src/metadata/Metadata.js';
import type { Cell, Table } from '../../src/table/Table.js';

export const ADULT_TRAIN = path.join(SHARED, 'adult', 'train.csv');
export const adultAvailable = existsSync(ADULT_TRAIN);

const INTEGER = new Set(['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']);

export function readAdult(): { table: Table; columns: ColumnSpec[] } {
  const lines = readFileSync(ADULT_TRAIN, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const names = lines[0]!.split(',');
  const cols: Cell[][] = names.map(() => []);
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.split(',');
    if (f.length !== names.length) throw new Error(`${ADULT_TRAIN} line ${i + 1}: ${f.length} fields, expected ${names.length}`);
    for (let j = 0; j < names.length; j++) {
      const s = f[j]!.trim();
      cols[j]!.push(s === '?' || s === '' ? null : INTEGER.has(names[j]!) ? Number(s) : s);
    }
  }
  const columns: ColumnSpec[] = names.map((name, j) => ({
    name,
    type: INTEGER.has(name) ? 'integer' : 'categorical',
    action: 'keep',
    nullable: cols[j]!.some((v) => v === null),
  }));
  return { table: { names, columns: cols, rowCount: lines.length - 1, source: ADULT_TRAIN }, columns };
}
