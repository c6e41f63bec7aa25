/** `privsynth inspect`: the schema a table would get (types, missing values, categories, PII flags). */
import { readTable } from '../io/readTable.js';
import { inferMetadataWithWarnings, type ColumnWarning } from '../metadata/inferMetadata.js';
import type { Metadata } from '../metadata/Metadata.js';

export interface InspectResult {
  file: string;
  rows: number;
  metadata: Metadata;
  warnings: ColumnWarning[];
}

export async function inspect(file: string): Promise<InspectResult> {
  const table = await readTable(file);
  const { metadata, warnings } = inferMetadataWithWarnings(table);
  return { file, rows: table.rowCount, metadata, warnings };
}
