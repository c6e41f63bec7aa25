/**
 * writtenTable: the table a CSV reader gets back from what TableWriter writes, without the file.
 *
 *   typed Table ──► per cell: the text of its CSV field (csvCellText: integer rounding, decimals, ISO dates,
 *                   number/date formats, missing markers, the formula escape) ──► '' as null
 *               ──► what io/readTable returns for the CSV file (names and cells still escaped)
 *
 * `run` evaluates its synthetic rows in memory with it: undoFormulaEscape and coerceTable then type the
 * cells exactly as they typed synthetic.csv read back from disk (test/io/writtenTable.test.ts checks the
 * two against each other).
 */
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Cell, Table } from '../table/Table.js';
import { csvCellText, csvFieldText } from './TableWriter.js';

/** The raw table (cells as field texts, '' as null) that reading TableWriter's CSV output of `t` gives. */
export function writtenTable(t: Table, columns: readonly ColumnSpec[], source?: string): Table {
  const names = columns.map((c) => csvFieldText(c.name, true).trim()); // the reader trims header names
  const out: Cell[][] = columns.map((c) => {
    const j = t.names.indexOf(c.name);
    const col: Cell[] = new Array(t.rowCount);
    if (j < 0) return col.fill(null);
    const src = t.columns[j]!;
    for (let i = 0; i < t.rowCount; i++) {
      const s = csvCellText(src[i]!, c);
      col[i] = s === '' ? null : s;
    }
    return col;
  });
  return { names, columns: out, rowCount: t.rowCount, ...(source !== undefined ? { source } : {}) };
}

