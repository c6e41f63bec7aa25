/** Small table helpers for the sampling verbs (row concatenation, column lookup). */
import { InternalError } from '../errors.js';
import type { Cell, Table } from '../table/Table.js';

/** Rows of several tables with the same columns, one after another. */
export function concatTables(parts: readonly Table[]): Table {
  if (parts.length === 0) throw new InternalError('concatTables: no tables');
  if (parts.length === 1) return parts[0]!;
  const names = parts[0]!.names;
  for (const p of parts) if (p.names.join('\u0000') !== names.join('\u0000')) throw new InternalError('concatTables: the tables have different columns');
  const rowCount = parts.reduce((s, p) => s + p.rowCount, 0);
  const columns = names.map((_, j) => {
    const out: Cell[] = new Array(rowCount);
    let o = 0;
    for (const p of parts) {
      const c = p.columns[j]!;
      for (let i = 0; i < p.rowCount; i++) out[o++] = c[i]!;
    }
    return out;
  });
  return { names, columns, rowCount };
}

/** The named column, or undefined. */
export function columnOrUndefined(t: Table, name: string): Cell[] | undefined {
  const j = t.names.indexOf(name);
  return j < 0 ? undefined : t.columns[j];
}
