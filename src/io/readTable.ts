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
import { InputError } from '../errors.js';
import { makeTable, type Cell, type Table } from '../table/Table.js';
import { decodeUtf8, parseCsv } from './parseCsv.js';
import { duckdb, sqlString } from './duckdb.js';

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
    throw new InputError('E_FILE_NOT_FOUND', `cannot find the file ${file}`, {
      location: { file },
      hint: 'check the path (it is relative to the current directory)',
    });
  }
  if (stat.isDirectory()) throw new InputError('E_INPUT', `${file} is a directory, not a table file`, { location: { file } });
  const format = opts.format ?? formatOf(file);
  if (!format) {
    throw new InputError('E_INPUT', `cannot tell the format of ${file} from its extension`, {
      location: { file },
      hint: 'use .csv, .tsv, .parquet, .json or .jsonl',
    });
  }
  const table = format === 'csv' ? await readCsv(file, opts, stat.size) : await readWithDuckdb(file, format);
  if (table.rowCount === 0) {
    throw new InputError('E_EMPTY_TABLE', `the table in ${file} has a header but no data rows`, {
      location: { file },
      hint: 'privsynth needs real rows to learn from',
    });
  }
  return table;
}

async function readCsv(file: string, opts: ReadTableOptions, size: number): Promise<Table> {
  // The parser holds the file as one string; V8 cannot make a longer one (and Node cannot read a
  // file over 2 GiB into a buffer). Say so, instead of a misleading "not valid UTF-8" or a crash.
  if (size > bufferConstants.MAX_STRING_LENGTH) {
    throw new InputError('E_INPUT', `${file} is ${(size / 2 ** 20).toFixed(0)} MiB, more than the ${Math.floor(bufferConstants.MAX_STRING_LENGTH / 2 ** 20)} MiB the CSV reader can hold`, {
      location: { file },
      hint: 'convert it to Parquet (e.g. duckdb -c "COPY (FROM \'in.csv\') TO \'in.parquet\'") or select the rows and columns you need',
    });
  }
  const buf = await fs.readFile(file);
  const text = decodeUtf8(buf, file);
  const delimiter = opts.delimiter ?? (path.extname(file).toLowerCase() === '.tsv' ? '\t' : undefined);
  const parsed = parseCsv(text, { file, delimiter });
  const columns: Cell[][] = parsed.columns.map((col) => {
    const out: Cell[] = new Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = col[i] === '' ? null : col[i]!;
    return out;
  });
  return makeTable(parsed.header, columns, file);
}

async function readWithDuckdb(file: string, format: TableFormat): Promise<Table> {
  const con = await duckdb();
  const fn = format === 'parquet' ? 'read_parquet' : 'read_json_auto';
  let reader;
  try {
    reader = await con.runAndReadAll(`SELECT * FROM ${fn}(${sqlString(file)})`);
  } catch (e) {
    throw new InputError('E_INPUT', `cannot read ${file} as ${format}: ${(e as Error).message.split('\n')[0]}`, {
      location: { file },
      hint: `check that the file is a valid ${format} file`,
      cause: e,
    });
  }
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  const raw = reader.getColumnsJS() as unknown[][];
  const sourceTypes: Record<string, string> = {};
  const columns: Cell[][] = raw.map((col, j) => {
    sourceTypes[names[j]!] = types[j]!;
    const out: Cell[] = new Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = toCell(col[i]);
    return out;
  });
  const t = makeTable(names, columns, file);
  return { ...t, sourceTypes };
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.getTime();
  return JSON.stringify(v);
}
