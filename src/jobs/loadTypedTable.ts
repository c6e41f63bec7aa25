import { readTable } from '../io/readTable.js';
import { coerceTable } from '../metadata/coerceTable.js';
import { inferMetadataWithWarnings } from '../metadata/inferMetadata.js';
import type { Metadata } from '../metadata/Metadata.js';
import { readMetadataFile } from '../metadata/metadataFile.js';
import type { Table } from '../table/Table.js';

/** Read a table and its schema (given or inferred), then type it. */
export async function loadTypedTable(file: string, schemaFile?: string): Promise<{ table: Table; metadata: Metadata; raw: Table }> {
  const raw = await readTable(file);
  const metadata = schemaFile ? await readMetadataFile(schemaFile) : inferMetadataWithWarnings(raw).metadata;
  const table = coerceTable(raw, metadata);
  return { table, metadata, raw };
}
