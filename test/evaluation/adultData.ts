/**
 * Tiny loader for the UCI Adult split in /work/shared/datasets/adult (no quoted fields, '?' = missing).
 * Tests that need it skip with a stated reason when the files are absent.
 */
import path from 'node:path';
import { SHARED } from '../helpers.js';
import { existsSync, readFileSync } from 'node:fs';
import { makeTable, type Cell, type Table } from '../../src/table/Table.js';
import type { ColumnSpec, Metadata } from '../../src/metadata/Metadata.js';

export const ADULT_DIR = process.env.PRIVSYNTH_ADULT_DIR ?? path.join(SHARED, 'adult');
export const ADULT_PRESENT = existsSync(`${ADULT_DIR}/train.csv`) && existsSync(`${ADULT_DIR}/holdout.csv`);
export const ADULT_SKIP_REASON = `Adult data not found at ${ADULT_DIR}/{train,holdout}.csv (set PRIVSYNTH_ADULT_DIR)`;

const NUMERIC = new Set(['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']);

export function readAdult(file: string): Table {
  const lines = readFileSync(`${ADULT_DIR}/${file}`, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const names = lines[0]!.split(',').map((s) => s.trim());
  const cols: Cell[][] = names.map(() => []);
  for (let i = 1; i < lines.length; i++) {
    const parts = lines[i]!.split(',');
    names.forEach((name, j) => {
      const raw = (parts[j] ?? '').trim();
      if (raw === '' || raw === '?') cols[j]!.push(null);
      else cols[j]!.push(NUMERIC.has(name) ? Number(raw) : raw);
    });
  }
  return makeTable(names, cols, file);
}

export function adultMetadata(t: Table): Metadata {
  const columns: ColumnSpec[] = t.names.map((name) => ({
    name,
    type: NUMERIC.has(name) ? 'integer' : 'categorical',
    action: 'keep',
    nullable: true,
  }));
  return { kind: 'privsynth.schema', version: 1, missingValues: ['?'], trim: true, columns };
}
