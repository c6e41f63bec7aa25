/** Read and write schema JSON files. */
import { promises as fs } from 'node:fs';
import { InputError, SchemaError } from '../errors.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { Metadata } from './Metadata.js';
import { validateMetadata } from './validateMetadata.js';

export async function readMetadataFile(file: string): Promise<Metadata> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new InputError('E_FILE_NOT_FOUND', `cannot read the schema file ${file}`, { location: { file }, hint: 'check the path' });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SchemaError('E_SCHEMA', `the schema file is not valid JSON: ${(e as Error).message}`, { location: { file }, hint: 'fix the JSON syntax (a trailing comma?)' });
  }
  return validateMetadata(doc, file);
}

export function metadataToJSON(md: Metadata): string {
  return JSON.stringify(md, null, 2) + '\n';
}

export async function writeMetadataFile(file: string, md: Metadata): Promise<void> {
  await writeFileAtomic(file, metadataToJSON(md));
}
