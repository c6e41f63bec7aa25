/**
 * The columnar table every stage passes around.
 *
 * Cells are `string | number | boolean | null` (null = missing). A CSV arrives as strings; typed
 * sources (Parquet, JSON) keep their types; datetimes are epoch milliseconds once typed by the schema.
 *
 * Memory: a column is a plain JS array. V8 stores an array holding only numbers unboxed (8 bytes a cell); one
 * null makes it an array of pointers, and every number that is not a small integer then takes a 16-byte heap
 * number as well (a 3M-row timestamp column with a few nulls: 72 MB instead of 24 MB). The readers intern
 * repeated strings (io/intern.ts), so a category column is one pointer a cell; coerceTable passes columns that
 * are already typed on without copying them. Build columns with `new Array(n)` and fill them; do not spread them
 * into calls (`f(...col)`, `push(...col)`): that overflows the stack past ~100k cells.
 */
export type Cell = string | number | boolean | null;

export interface Table {
  /** Column names in file order. */
  readonly names: readonly string[];
  /** One array per column, each of length `rowCount`. */
  readonly columns: readonly Cell[][];
  readonly rowCount: number;
  /** Where it came from, for error messages. */
  readonly source?: string;
  /** Storage types from a typed source (Parquet/JSON via DuckDB), e.g. {"ts": "TIMESTAMP"}; absent for CSV. */
  readonly sourceTypes?: Readonly<Record<string, string>>;
  /** The field delimiter of a CSV source (',', ';', '\t', '|'); absent for other sources. */
  readonly delimiter?: string;
}

/** Build a table from columns, checking that lengths agree. */
export function makeTable(names: readonly string[], columns: readonly Cell[][], source?: string): Table {
  if (names.length !== columns.length) throw new Error(`makeTable: ${names.length} names but ${columns.length} columns`);
  const rowCount = columns.length ? columns[0]!.length : 0;
  for (let j = 0; j < columns.length; j++) {
    if (columns[j]!.length !== rowCount) throw new Error(`makeTable: column "${names[j]}" has ${columns[j]!.length} rows, expected ${rowCount}`);
  }
  return { names: [...names], columns, rowCount, source };
}

/** Build a table from row objects (convenient in tests). */
export function tableFromRows(rows: Record<string, Cell>[], names?: string[]): Table {
  const cols = names ?? (rows.length ? Object.keys(rows[0]!) : []);
  return makeTable(cols, cols.map((n) => rows.map((r) => (r[n] === undefined ? null : r[n]!))));
}

/** Row i as an object (for tests and small outputs; not for hot loops). */
export function rowObject(t: Table, i: number): Record<string, Cell> {
  const o: Record<string, Cell> = {};
  t.names.forEach((n, j) => (o[n] = t.columns[j]![i]!));
  return o;
}

export function columnIndex(t: Table, name: string): number {
  return t.names.indexOf(name);
}

export function getColumn(t: Table, name: string): Cell[] {
  const j = t.names.indexOf(name);
  if (j < 0) throw new Error(`no column "${name}" in table (columns: ${t.names.join(', ')})`);
  return t.columns[j]!;
}

/** The rows at the given indices, as a new table. */
export function takeRows(t: Table, indices: ArrayLike<number>): Table {
  const n = indices.length;
  const cols = t.columns.map((c) => {
    const out: Cell[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = c[indices[i]!]!;
    return out;
  });
  return { names: t.names, columns: cols, rowCount: n, source: t.source };
}

/** Keep only the named columns, in the given order. */
export function selectColumns(t: Table, names: readonly string[]): Table {
  return makeTable(names, names.map((n) => getColumn(t, n)), t.source);
}

/** True for the cells privsynth treats as missing. */
export function isMissing(v: Cell): v is null {
  return v === null;
}
