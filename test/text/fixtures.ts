/** A small hospital-like schema, a "real" table with a planted name, and a synthetic table to fill. */
import { SCHEMA_KIND, SCHEMA_VERSION, type ColumnSpec, type Metadata } from '../../src/metadata/Metadata.js';
import { tableFromRows, type Table } from '../../src/table/Table.js';

export const PLANTED_NAME = 'Zebulon Quackenbush';

export function hospitalMetadata(note: Partial<ColumnSpec> = {}): Metadata {
  return {
    kind: SCHEMA_KIND,
    version: SCHEMA_VERSION,
    missingValues: [],
    trim: true,
    columns: [
      { name: 'patient_id', type: 'id', action: 'drop', nullable: false },
      { name: 'name', type: 'categorical', action: 'drop', nullable: false, pii: [{ kind: 'person_name', evidence: 'values', matchRate: 1 }] },
      { name: 'age', type: 'integer', action: 'keep', nullable: false, description: 'age in years' },
      { name: 'sex', type: 'categorical', action: 'keep', nullable: false, categories: ['F', 'M'] },
      { name: 'ward', type: 'categorical', action: 'keep', nullable: false, categories: ['cardiology', 'oncology', 'surgery'] },
      {
        name: 'note',
        type: 'text',
        action: 'keep',
        nullable: true,
        description: 'a short discharge note',
        text: {
          instructions: 'One sentence about how the stay went.',
          examples: ['Recovered well after a short stay.'],
          mustNotContain: ['guaranteed cure'],
          maxLength: 60,
          consistency: { column: 'sex', keywords: { F: ['she', 'her'], M: ['he', 'his'] } },
        },
        ...note,
      },
    ],
  };
}

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Frank', 'Grace', 'Hugo'];
const LAST = ['Smith', 'Jones', 'Brown', 'Taylor'];

/** 40 real rows; row 17 is the planted patient, whose note also names a rare condition. */
export function realTable(): Table {
  const rows = [];
  for (let i = 0; i < 40; i++) {
    const planted = i === 17;
    rows.push({
      patient_id: `P-${1000 + i}`,
      name: planted ? PLANTED_NAME : `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}`,
      age: 30 + (i % 50),
      sex: i % 2 ? 'M' : 'F',
      ward: ['cardiology', 'oncology', 'surgery'][i % 3]!,
      note: planted ? `${PLANTED_NAME} developed Kikuchi disease and recovered.` : `Stable, discharged home on day ${1 + (i % 4)}.`,
    });
  }
  return tableFromRows(rows);
}

/** Synthetic structured rows (as the VAE would sample them); the text column is not there yet. */
export function syntheticTable(n = 8): Table {
  const rows = [];
  for (let i = 0; i < n; i++) rows.push({ age: 40 + i, sex: i % 2 ? 'M' : 'F', ward: ['cardiology', 'oncology', 'surgery'][i % 3]! });
  return tableFromRows(rows);
}
