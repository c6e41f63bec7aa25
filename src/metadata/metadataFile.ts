/** Read and write schema JSON files. */
import { promises as fs } from 'node:fs';
import { SchemaError, FileNotFoundError } from '../errors.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { Metadata } from './Metadata.js';
import { validateMetadata } from './validateMetadata.js';
import * as msg from '../messages.js';

export async function readMetadataFile(file: string): Promise<Metadata> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new FileNotFoundError(msg.cannotReadSchemaFile(file), { location: { file }, hint: msg.HINT_CHECK_PATH });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SchemaError(msg.schemaFileNotJson((e as Error).message), { location: { file }, hint: msg.HINT_FIX_JSON_SYNTAX });
  }
  return validateMetadata(doc, file);
}

/**
 * What a schema inferred from the data says about itself: its categories and ranges are real values
 * (exact category lists, minima and maxima). Written into the file (as "$comment", which the reader
 * ignores) and printed on stderr by `inspect -o`.
 */
export const INFERRED_SCHEMA_WARNING =
  'SENSITIVE: this schema was inferred from the real data and holds real values (exact category lists, minimum and maximum of each column). ' +
  'Treat it as you treat the data: do not share it. Values you mark "public": true must really be public knowledge (e.g. a code list or a range from the data dictionary), not read off this file.';

export function metadataToJSON(md: Metadata, opts: { inferred?: boolean } = {}): string {
  return JSON.stringify(opts.inferred ? { $comment: INFERRED_SCHEMA_WARNING, ...md } : md, null, 2) + '\n';
}

/** `inferred`: the schema was read off the data (adds INFERRED_SCHEMA_WARNING to the file). */
export async function writeMetadataFile(file: string, md: Metadata, opts: { inferred?: boolean } = {}): Promise<void> {
  await writeFileAtomic(file, metadataToJSON(md, opts));
}
