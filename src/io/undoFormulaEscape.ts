/**
 * undoFormulaEscape: reverse the CSV-injection escape of privsynth's own CSV output. TableWriter writes
 * a string cell (and a header name) that starts with = + - @ tab or CR with a leading apostrophe, so a
 * spreadsheet shows it as text instead of running it as a formula (the OWASP advice). Reading such a
 * file back for evaluation (`run`, `evaluate --synthetic`) must see the original names and values, or a
 * column named "=total" is "missing" from the synthetic table and every "-" category is unseen.
 *
 * Only for a CSV that privsynth wrote (the escape is not applied to JSONL or Parquet). A value that
 * really started with an apostrophe followed by a formula character cannot be told from an escaped
 * one (the escape is lossy by design); it is read as the unescaped value.
 */
import type { Cell, Table } from '../table/Table.js';

const ESCAPED = /^'[=+\-@\t\r]/;

function unescape(s: string): string {
  return ESCAPED.test(s) ? s.slice(1) : s;
}

/** The table with escaped header names and string cells restored. Columns without escapes are shared, not copied. */
export function undoFormulaEscape(t: Table): Table {
  let changed = false;
  const names = t.names.map((n) => {
    const u = unescape(n);
    if (u !== n) changed = true;
    return u;
  });
  const columns = t.columns.map((col) => {
    let out: Cell[] | null = null;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (typeof v === 'string' && ESCAPED.test(v)) {
        out ??= col.slice();
        out[i] = v.slice(1);
      }
    }
    if (out) changed = true;
    return out ?? col;
  });
  return changed ? { ...t, names, columns } : t;
}

/** Whether `file` is written as CSV by privsynth (the format that carries the escape). */
export function carriesFormulaEscape(file: string): boolean {
  return /\.csv$/i.test(file);
}
