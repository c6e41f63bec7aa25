/** A seeded wide table for the size tests (issue 17): many columns, few rows. */
import { Rng } from '../../src/rng.js';
import { makeTable, type Cell, type Table } from '../../src/table/Table.js';
import type { ColumnSpec, Metadata } from '../../src/metadata/Metadata.js';

const spec = (name: string, type: ColumnSpec['type']): ColumnSpec => ({ name, type, action: 'keep', nullable: true });

/** n rows of `cols` columns: even ones numeric, odd ones categorical with 2-6 levels (seeded). */
export function wideTable(n: number, cols: number, seed: number): { table: Table; metadata: Metadata } {
  const rng = new Rng(seed);
  const names = Array.from({ length: cols }, (_, j) => (j % 2 ? `c${j}` : `x${j}`));
  const columns: Cell[][] = names.map((_, j) => Array.from({ length: n }, () => (j % 2 ? `v${rng.int(2 + (j % 5))}` : Math.round(rng.normal() * 1000) / 100)));
  return { table: makeTable(names, columns, `wide(${seed})`), metadata: { kind: 'privsynth.schema', version: 1, missingValues: [], trim: true, columns: names.map((x, j) => spec(x, j % 2 ? 'categorical' : 'numeric')) } };
}

