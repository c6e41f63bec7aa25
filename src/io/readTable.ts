/**
 * Read a table file into a columnar `Table`.
 *
 * - `.csv`, `.tsv`, `.txt`: our RFC 4180 parser (exact error locations); cells are raw strings,
 *   empty fields are null. Typing happens later, against the schema (`coerceTable`).
 * - `.parquet`, `.json`, `.jsonl`, `.ndjson`: DuckDB, keeping the stored types (BIGINT → number,
 *   DATE/TIMESTAMP → epoch ms number, BOOLEAN → boolean); `sourceTypes` records them.
 */
import { promises as fs } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import path from 'node:path';
import { InputError, EmptyTableError, FileNotFoundError, ValueError } from '../errors.js';
import { makeTable, type Cell, type Table } from '../table/Table.js';
import { decodeUtf8, parseCsv } from './parseCsv.js';
import { intern, type InternPool } from './intern.js';
import { duckdb, sqlIdent, sqlString } from './duckdb.js';
import type { DuckDBType } from '@duckdb/node-api';
import * as msg from '../messages.js';

export type TableFormat = 'csv' | 'parquet' | 'json';

export interface ReadTableOptions {
  delimiter?: string;
  format?: TableFormat;
}

export function formatOf(file: string): TableFormat | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return 'json';
  return null;
}

export async function readTable(file: string, opts: ReadTableOptions = {}): Promise<Table> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new FileNotFoundError(msg.cannotFindFile(file), {
      location: { file },
      hint: msg.HINT_CHECK_RELATIVE_PATH,
    });
  }
  if (stat.isDirectory()) throw new InputError(msg.inputIsDirectory(file), { location: { file } });
  const format = opts.format ?? formatOf(file);
  if (!format) {
    throw new InputError(msg.unknownInputFormat(file), {
      location: { file },
      hint: msg.HINT_INPUT_FORMATS,
    });
  }
  const table = format === 'csv' ? await readCsv(file, opts, stat.size) : await readWithDuckdb(file, format);
  if (table.rowCount === 0) {
    throw new EmptyTableError(msg.headerButNoRows(file), {
      location: { file },
      hint: msg.HINT_NEEDS_ROWS,
    });
  }
  return table;
}

async function readCsv(file: string, opts: ReadTableOptions, size: number): Promise<Table> {
  // The parser holds the file as one string; V8 cannot make a longer one (and Node cannot read a
  // file over 2 GiB into a buffer). Say so, instead of a misleading "not valid UTF-8" or a crash.
  if (size > bufferConstants.MAX_STRING_LENGTH) {
    throw new InputError(msg.csvTooLarge(file, (size / 2 ** 20).toFixed(0), Math.floor(bufferConstants.MAX_STRING_LENGTH / 2 ** 20)), {
      location: { file },
      hint: msg.HINT_CONVERT_TO_PARQUET,
    });
  }
  const buf = await fs.readFile(file);
  const text = decodeUtf8(buf, file);
  const delimiter = opts.delimiter ?? (path.extname(file).toLowerCase() === '.tsv' ? '\t' : undefined);
  const parsed = parseCsv(text, { file, delimiter });
  // the parser's own arrays become the columns, '' -> null in place (no second copy of every column)
  const columns: Cell[][] = parsed.columns;
  for (const col of columns) for (let i = 0; i < col.length; i++) if (col[i] === '') col[i] = null;
  return { ...makeTable(parsed.header, columns, file), delimiter: parsed.delimiter };
}

/**
 * Parquet/JSON through DuckDB, chunk by chunk into pre-sized columns (a probe query for the names and stored
 * types, `count(*)` for the length, then a streamed read), so that only the finished columns and one 2,048-row
 * chunk are alive at a time. Common types are read as JS primitives straight from DuckDB's vectors (BIGINT,
 * TIMESTAMP and DATE are cast to DOUBLE / epoch ms in the query), without a Date, BigInt or value object per
 * cell; repeated strings are interned, so a 3-letter category over millions of rows is one string, not millions.
 * Every other type goes through @duckdb/node-api's JS converter and `toCell`, as before. (A JSON file is parsed
 * twice, once for the count; Parquet keeps its row count in the footer.)
 */
async function readWithDuckdb(file: string, format: TableFormat): Promise<Table> {
  const con = await duckdb();
  const fn = format === 'parquet' ? 'read_parquet' : 'read_json_auto';
  const from = `FROM ${fn}(${sqlString(file)})`;
  const fail = (e: unknown): InputError =>
    new InputError(msg.cannotReadAs(file, format, (e as Error).message.split('\n')[0]), {
      location: { file },
      hint: msg.hintValidFormat(format),
      cause: e,
    });
  let names: string[];
  let types: DuckDBType[];
  let n: number;
  try {
    const probe = await con.run(`SELECT * ${from} LIMIT 0`);
    names = probe.columnNames();
    types = probe.columnTypes();
    n = Number((await (await con.run(`SELECT count(*) ${from}`)).getRowsJS())[0]![0]);
  } catch (e) {
    throw fail(e);
  }
  const { DuckDBTypeId, JSDuckDBValueConverter } = await import('@duckdb/node-api');
  // Read as: 'value' = the vector's item is already a Cell-compatible primitive (after the cast in the query);
  // 'time' = epoch ms, within the range of a JS Date (as the converter requires); 'string' = interned;
  // 'generic' = the JS converter, then toCell. Duplicate names cannot be projected, so they read generically.
  const unique = new Set(names).size === names.length;
  const kinds = types.map((t): 'value' | 'time' | 'string' | 'generic' => {
    if (!unique) return 'generic';
    switch (t.typeId) {
      case DuckDBTypeId.BOOLEAN:
      case DuckDBTypeId.TINYINT:
      case DuckDBTypeId.SMALLINT:
      case DuckDBTypeId.INTEGER:
      case DuckDBTypeId.UTINYINT:
      case DuckDBTypeId.USMALLINT:
      case DuckDBTypeId.UINTEGER:
      case DuckDBTypeId.FLOAT:
      case DuckDBTypeId.DOUBLE:
      case DuckDBTypeId.BIGINT:
      case DuckDBTypeId.UBIGINT:
        return 'value';
      case DuckDBTypeId.TIMESTAMP:
      case DuckDBTypeId.DATE:
        return 'time';
      case DuckDBTypeId.VARCHAR:
        return 'string';
      default:
        return 'generic';
    }
  });
  const select = !unique
    ? '*'
    : names
        .map((name, j) => {
          const id = sqlIdent(name);
          const t = types[j]!.typeId;
          // the JS converter's semantics: BIGINT -> Number(bigint); TIMESTAMP -> ms truncated toward zero; DATE -> days * 86,400,000
          if (t === DuckDBTypeId.BIGINT || t === DuckDBTypeId.UBIGINT) return `CAST(${id} AS DOUBLE)`;
          if (t === DuckDBTypeId.TIMESTAMP || t === DuckDBTypeId.DATE) return `CAST(epoch_ms(${id}) AS DOUBLE)`;
          return id;
        })
        .join(', ');
  const columns: Cell[][] = names.map(() => new Array<Cell>(n));
  const interned: InternPool[] = names.map(() => new Map());
  let offset = 0;
  try {
    const result = await con.stream(`SELECT ${select} ${from}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      if (offset + m > n) throw new Error(`the file has more than the ${n} rows it had a moment ago (was it modified while being read?)`);
      for (let j = 0; j < names.length; j++) {
        const out = columns[j]!;
        const vec = chunk.getColumnVector(j);
        const kind = kinds[j]!;
        if (kind === 'value') {
          for (let i = 0; i < m; i++) {
            const v = vec.getItem(i) as number | boolean | null;
            out[offset + i] = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : v;
          }
        } else if (kind === 'time') {
          for (let i = 0; i < m; i++) {
            const v = vec.getItem(i) as number | null;
            if (v !== null && !(Math.abs(v) <= MAX_DATE_MS)) {
              throw new ValueError(msg.dateOutOfRange(names[j], offset + i + 1, types[j]!.toString()), {
                location: { file, row: offset + i + 1, column: names[j] },
                hint: msg.HINT_REPLACE_OR_CAST,
              });
            }
            out[offset + i] = v;
          }
        } else {
          const pool = interned[j]!;
          const type = types[j]!;
          for (let i = 0; i < m; i++) {
            const v = kind === 'string' ? (vec.getItem(i) as string | null) : toCell(JSDuckDBValueConverter(vec.getItem(i), type, JSDuckDBValueConverter));
            out[offset + i] = typeof v === 'string' ? intern(pool, v) : v;
          }
        }
      }
      offset += m;
    }
  } catch (e) {
    throw e instanceof InputError ? e : fail(e);
  }
  if (offset !== n) throw fail(new Error(`read ${offset} rows, but the file had ${n} a moment ago (was it modified while being read?)`));
  const sourceTypes: Record<string, string> = {};
  names.forEach((name, j) => (sourceTypes[name] = types[j]!.toString()));
  const t = makeTable(names, columns, file);
  return { ...t, sourceTypes };
}

/** The largest |epoch ms| a JS Date holds (ECMA-262 TimeClip). */
const MAX_DATE_MS = 8.64e15;

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.getTime();
  // nested values (lists, structs) as JSON text; their BIGINT members as numbers (JSON has no bigint)
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
}
