/**
 * Streamed, atomic table output in the input's column order and types.
 *
 * CSV and JSONL are written in batches to a temporary file and renamed into place on `commit()`;
 * Parquet goes through a temporary CSV that DuckDB converts with explicit column types. Memory does
 * not grow with the number of rows. String cells that a spreadsheet would run as a formula
 * (starting with = + - @ or a tab/CR) are prefixed with a single quote in CSV output (OWASP).
 *
 * CSV output is written in the input's own format per column (see columnsForOutput): numbers with their
 * `numberFormat` ("$1,234.50", "958,47", "43.5%"), dates with their `dateFormat` ("03/04/2021") and
 * missing cells as the column's `missingMarker` ("?"). JSONL and Parquet get typed values (numbers,
 * ISO dates, null), which is what those formats are for.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { ColumnSpec } from '../metadata/Metadata.js';
import { formatNumber } from '../metadata/NumberFormat.js';
import { formatDate } from '../metadata/DateFormat.js';
import type { Cell, Table } from '../table/Table.js';
import { AtomicStream, registerTemp, tempPathFor, unregisterTemp } from './writeFileAtomic.js';
import { assertOutputAvailable } from './assertOutputAvailable.js';
import { duckdb, sqlIdent, sqlString } from './duckdb.js';
import * as msg from '../messages.js';

export type OutputFormat = 'csv' | 'jsonl' | 'parquet';

export function outputFormatOf(file: string): OutputFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  throw new InputError(msg.unknownOutputFormat(file), {
    location: { file },
    hint: msg.HINT_OUTPUT_FORMATS,
  });
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function formatCell(v: Cell, spec: ColumnSpec): string | number | boolean | null {
  if (v === null) return null;
  if (spec.type === 'datetime' && typeof v === 'number') {
    const iso = new Date(v).toISOString();
    return spec.format === 'date' ? iso.slice(0, 10) : iso;
  }
  if ((spec.type === 'numeric' || spec.type === 'integer') && typeof v === 'number') {
    if (spec.type === 'integer') return Math.round(v);
    const d = spec.decimals;
    return d === undefined ? v : Number(v.toFixed(Math.min(d, 12)));
  }
  return v;
}

/** True when a column's CSV text is not its plain value: a number or date format, or a missing marker. */
export function hasDisplayFormat(spec: ColumnSpec): boolean {
  return Boolean(spec.missingMarker) || ((spec.type === 'numeric' || spec.type === 'integer') && spec.numberFormat !== undefined) || (spec.type === 'datetime' && spec.dateFormat !== undefined);
}

/**
 * The columns as a writer of `format` uses them: the display formats (numberFormat, dateFormat,
 * missingMarker) apply to CSV only, so JSONL and Parquet outputs get typed values.
 */
export function columnsForOutput(columns: readonly ColumnSpec[], format: OutputFormat): ColumnSpec[] {
  if (format === 'csv') return [...columns];
  return columns.map((c) => {
    if (!hasDisplayFormat(c)) return c;
    const { numberFormat: _n, dateFormat: _d, missingMarker: _m, ...rest } = c;
    return rest;
  });
}

/** A marker of dashes only ("-", "--") is not a formula in any spreadsheet: written as it is. */
const DASHES = /^-+$/;

/**
 * The CSV field of one cell of a column with a display format (hasDisplayFormat): the missing marker, a
 * formatted number or date (made here from a number, so never a formula: not neutralised), or the cell
 * as csvField writes it.
 */
export function csvCell(v: Cell, spec: ColumnSpec, delimiter = ','): string {
  if (v === null || (typeof v === 'number' && v !== v)) {
    const m = spec.missingMarker;
    return m ? csvField(m, !DASHES.test(m), delimiter) : '';
  }
  if (typeof v === 'number') {
    if ((spec.type === 'numeric' || spec.type === 'integer') && spec.numberFormat) {
      return csvField(formatNumber(spec.type === 'integer' ? Math.round(v) : v, spec.numberFormat, spec.type === 'integer' ? 0 : spec.decimals), false, delimiter);
    }
    if (spec.type === 'datetime' && spec.dateFormat) return csvField(formatDate(v, spec.dateFormat), false, delimiter);
  }
  return csvField(formatCell(v, spec), true, delimiter);
}

/** Characters that make a field quoted, per delimiter. */
const QUOTE_RES: Record<string, RegExp> = { ',': /[",\n\r]/, ';': /[";\n\r]/, '\t': /["\t\n\r]/, '|': /["|\n\r]/ };

/** A CSV field: quoted when it holds the delimiter, a quote, a line break or outer white space. */
export function csvField(v: string | number | boolean | null, neutralise: boolean, delimiter = ','): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  const s = csvFieldText(v, neutralise);
  if ((QUOTE_RES[delimiter] ?? QUOTE_RES[',']!).test(s) || s !== s.trim()) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

/** The text of a CSV field before quoting (what a CSV reader gets back): a formula-like string neutralised. */
export function csvFieldText(v: string | number | boolean | null, neutralise: boolean): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  return neutralise && FORMULA_START.test(v) ? "'" + v : v;
}

/**
 * The text of the CSV field TableWriter writes for `v` in column `spec`, before quoting: what a CSV reader
 * (io/parseCsv) gets back for it. Same cases as csvCell and fieldWriter: the missing marker, a number or date
 * format, else the cell as formatCell types it.
 */
export function csvCellText(v: Cell, spec: ColumnSpec): string {
  if (hasDisplayFormat(spec)) {
    if (v === null || (typeof v === 'number' && v !== v)) {
      const m = spec.missingMarker;
      return m ? csvFieldText(m, !DASHES.test(m)) : '';
    }
    if (typeof v === 'number') {
      if ((spec.type === 'numeric' || spec.type === 'integer') && spec.numberFormat) return formatNumber(spec.type === 'integer' ? Math.round(v) : v, spec.numberFormat, spec.type === 'integer' ? 0 : spec.decimals);
      if (spec.type === 'datetime' && spec.dateFormat) return formatDate(v, spec.dateFormat);
    }
  }
  return csvFieldText(formatCell(v, spec), true);
}

export class TableWriter {
  readonly file: string;
  readonly format: OutputFormat;
  private readonly columns: ColumnSpec[];
  private readonly stream: AtomicStream;
  private readonly csvTmp: string | null;
  /** The CSV field delimiter (',' except for a CSV output of a ';', tab or '|' input). */
  readonly delimiter: string;
  /** Per column: cell -> CSV field. String columns cache their (repeating) values' fields. */
  private readonly fields: ((v: Cell, neutralise: boolean) => string)[];
  rows = 0;

  private constructor(file: string, format: OutputFormat, columns: ColumnSpec[], delimiter: string) {
    this.file = file;
    this.format = format;
    this.columns = columns;
    this.delimiter = delimiter;
    this.fields = columns.map((c) => fieldWriter(c, delimiter));
    if (format === 'parquet') {
      this.csvTmp = tempPathFor(file) + '.csv';
      this.stream = new AtomicStream(this.csvTmp);
    } else {
      this.csvTmp = null;
      this.stream = new AtomicStream(file);
    }
  }

  /** `delimiter` applies to CSV output only (Parquet's temporary CSV and JSONL do not use it). */
  static async open(file: string, columns: ColumnSpec[], opts: { force?: boolean; delimiter?: string } = {}): Promise<TableWriter> {
    const format = outputFormatOf(file);
    await assertOutputAvailable(file, { force: opts.force });
    try {
      await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
    } catch {
      /* the write will report it */
    }
    const delimiter = format === 'csv' ? opts.delimiter ?? ',' : ',';
    if (!QUOTE_RES[delimiter]) throw new Error(`TableWriter: unsupported delimiter ${JSON.stringify(delimiter)}`);
    const w = new TableWriter(file, format, columnsForOutput(columns, format), delimiter);
    if (format !== 'jsonl') await w.stream.write(columns.map((c) => csvField(c.name, format === 'csv', delimiter)).join(delimiter) + '\n');
    return w;
  }

  async write(t: Table): Promise<void> {
    const idx = this.columns.map((c) => t.names.indexOf(c.name));
    const cols = idx.map((j) => (j >= 0 ? t.columns[j]! : null));
    const lines: string[] = new Array(t.rowCount);
    const neutralise = this.format === 'csv';
    for (let i = 0; i < t.rowCount; i++) {
      if (this.format === 'jsonl') {
        const o: Record<string, unknown> = {};
        this.columns.forEach((c, k) => (o[c.name] = cols[k] ? formatCell(cols[k]![i]!, c) : null));
        lines[i] = JSON.stringify(o);
      } else {
        let line = '';
        for (let k = 0; k < this.columns.length; k++) {
          if (k) line += this.delimiter;
          const col = cols[k];
          if (col) line += this.fields[k]!(col[i]!, neutralise);
        }
        lines[i] = line;
      }
    }
    if (lines.length) await this.stream.write(lines.join('\n') + '\n');
    this.rows += t.rowCount;
  }

  /**
   * Append rows already encoded as CSV lines (CsvBatchEncoder, same column order as this writer's), for
   * the CSV and Parquet formats (Parquet converts its temporary CSV on commit).
   */
  async writeCsvBytes(bytes: Uint8Array, rows: number): Promise<void> {
    if (this.format === 'jsonl') throw new Error('writeCsvBytes: JSONL output takes tables (write)');
    if (bytes.length) await this.stream.write(bytes);
    this.rows += rows;
  }

  async commit(): Promise<void> {
    await this.stream.commit();
    if (this.format !== 'parquet') return;
    const tmpOut = tempPathFor(this.file);
    registerTemp(tmpOut);
    try {
      const con = await duckdb();
      const types = this.columns
        .map((c) => `${sqlString(c.name)}: '${c.type === 'integer' ? 'BIGINT' : c.type === 'numeric' ? 'DOUBLE' : c.type === 'datetime' ? (c.format === 'date' ? 'DATE' : 'TIMESTAMP') : 'VARCHAR'}'`)
        .join(', ');
      await con.run(
        `COPY (SELECT ${this.columns.map((c) => sqlIdent(c.name)).join(', ')} FROM read_csv(${sqlString(this.csvTmp!)}, header=true, auto_detect=false, delim=',', quote='"', escape='"', columns={${types}})) TO ${sqlString(tmpOut)} (FORMAT parquet)`,
      );
      await fs.rename(tmpOut, this.file);
    } finally {
      await fs.rm(tmpOut, { force: true });
      await fs.rm(this.csvTmp!, { force: true });
      unregisterTemp(tmpOut);
    }
  }

  async abort(): Promise<void> {
    await this.stream.abort();
    if (this.csvTmp) await fs.rm(this.csvTmp, { force: true });
  }
}

/**
 * The CSV field writer of one column, chosen once: numbers format without the per-cell type switch,
 * and string columns (categories repeat) cache each distinct value's quoted/neutralised field.
 * Same output as csvField(formatCell(v, spec), neutralise).
 */
function fieldWriter(spec: ColumnSpec, d: string): (v: Cell, neutralise: boolean) => string {
  if (hasDisplayFormat(spec)) return (v) => csvCell(v, spec, d);
  if (spec.type === 'integer') return (v, n) => (typeof v === 'number' ? String(Math.round(v)) : csvField(formatCell(v, spec), n, d));
  if (spec.type === 'numeric' || spec.type === 'datetime') return (v, n) => csvField(formatCell(v, spec), n, d);
  const cache = new Map<string, string>();
  return (v, n) => {
    if (typeof v !== 'string' || !n) return csvField(formatCell(v, spec), n, d);
    let f = cache.get(v);
    if (f === undefined) {
      f = csvField(v, n, d);
      if (cache.size < 100_000) cache.set(v, f);
    }
    return f;
  };
}
