import { readTable } from '../io/readTable.js';
import { coerceTable } from '../metadata/coerceTable.js';
import { inferMetadataWithWarnings } from '../metadata/inferMetadata.js';
import type { Metadata } from '../metadata/Metadata.js';
import { readMetadataFile } from '../metadata/metadataFile.js';
import type { Table } from '../table/Table.js';
import * as msg from '../messages.js';

/**
 * A read table's schema: the given file, or inferred from the table. `warnings`: what inference decided that the
 * user should hear (a column dropped as PII, as an identifier, or as empty or constant), one per column, as
 * `column "NAME": text`; none with a schema.
 */
export async function schemaFor(raw: Table, schemaFile?: string): Promise<{ metadata: Metadata; warnings: string[] }> {
  if (schemaFile) return { metadata: await readMetadataFile(schemaFile), warnings: [] };
  const inferred = inferMetadataWithWarnings(raw);
  return { metadata: inferred.metadata, warnings: inferred.warnings.map((w) => msg.inferredColumnWarning(w.column, w.message)) };
}

/** Read a table and its schema (given or inferred, see {@link schemaFor}), then type it. */
export async function loadTypedTable(file: string, schemaFile?: string): Promise<{ table: Table; metadata: Metadata; raw: Table; warnings: string[] }> {
  const raw = await readTable(file);
  const { metadata, warnings } = await schemaFor(raw, schemaFile);
  const table = coerceTable(raw, metadata);
  return { table, metadata, raw, warnings };
}
