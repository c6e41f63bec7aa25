import type { ColumnSpec, Metadata } from './Metadata.js';

/** Output columns: the input's order; dropped columns omitted; text columns only when an LLM fills them. */
export function outputColumns(md: Metadata, withText = false): ColumnSpec[] {
  return md.columns.filter((c) => c.action === 'surrogate' || (c.action === 'keep' && c.type !== 'id' && (c.type !== 'text' || withText)));
}
