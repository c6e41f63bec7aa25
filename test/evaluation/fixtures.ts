/** Seeded generators of small typed tables for the evaluation tests. */
import { Rng } from '../../src/rng.js';
import { makeTable, type Cell, type Table } from '../../src/table/Table.js';
import type { ColumnSpec, Metadata } from '../../src/metadata/Metadata.js';

export const CITIES = ['Lyon', 'Paris', 'Nice', 'Lille', 'Brest'];

/**
 * n rows of a small population: age ~ N(40, 12), income depending on age, city depending on income,
 * member (boolean) depending on age, a datetime, and a few missing cells.
 */
export function population(n: number, seed: number): Table {
  const rng = new Rng(seed);
  const age: Cell[] = [];
  const income: Cell[] = [];
  const city: Cell[] = [];
  const member: Cell[] = [];
  const joined: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const a = 40 + 12 * rng.normal();
    const inc = 1000 * (20 + 0.8 * a + 8 * rng.normal());
    const c = CITIES[Math.min(4, Math.max(0, Math.floor(inc / 15000 + rng.normal())))]!;
    age.push(rng.uniform() < 0.03 ? null : Math.round(a * 10) / 10);
    income.push(Math.round(inc));
    city.push(rng.uniform() < 0.02 ? null : c);
    member.push(rng.uniform() < 1 / (1 + Math.exp(-(a - 40) / 8)) ? 'yes' : 'no');
    joined.push(Date.UTC(2020, 0, 1) + Math.floor(rng.uniform() * 3 * 365) * 86_400_000);
  }
  return makeTable(['age', 'income', 'city', 'member', 'joined', 'note'], [age, income, city, member, joined, age.map(() => 'free text')], `population(${seed})`);
}

export function populationMetadata(): Metadata {
  const col = (name: string, type: ColumnSpec['type']): ColumnSpec => ({ name, type, action: 'keep', nullable: true });
  return {
    kind: 'privsynth.schema',
    version: 1,
    missingValues: [],
    trim: true,
    columns: [col('age', 'numeric'), col('income', 'integer'), col('city', 'categorical'), col('member', 'boolean'), col('joined', 'datetime'), col('note', 'text')],
  };
}
