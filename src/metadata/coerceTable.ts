/**
 * Type a raw table against a schema: trim, map missing spellings to null, parse numbers and dates.
 *
 * Output cells: numeric/integer/datetime → number | null (datetimes as epoch ms);
 * categorical/boolean/text/id → string | null. A column's own `missingValues` are missing too; numbers are
 * read with its `numberFormat` and dates with its `dateFormat` when it has them. Every bad cell is collected (up to 20 are listed)
 * and reported at once with its row and column.
 */
import { MultiError, SchemaError, type PrivsynthError, ValueError } from '../errors.js';
import type { Cell, Table } from '../table/Table.js';
import type { Metadata } from './Metadata.js';
import { cleanCell } from './inferMetadata.js';
import { parseFormattedNumber } from './NumberFormat.js';
import { parseDate } from './DateFormat.js';
import * as msg from '../messages.js';

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface CoerceOptions {
  /** Only coerce these columns (default: every schema column with action other than 'drop'). */
  columns?: string[];
  /** Columns of the schema that may be absent from the table (e.g. dropped ones). */
  allowMissingColumns?: boolean;
}

export function coerceTable(table: Table, md: Metadata, opts: CoerceOptions = {}): Table {
  const file = table.source;
  const missing = new Set(md.missingValues);
  const problems: PrivsynthError[] = [];
  const specs = md.columns.filter((c) => (opts.columns ? opts.columns.includes(c.name) : c.action !== 'drop'));
  for (const name of table.names) {
    if (!md.columns.some((c) => c.name === name)) {
      problems.push(new SchemaError(msg.dataColumnNotInSchema(name), {
        location: { file, column: name },
        hint: msg.HINT_ADD_TO_SCHEMA,
      }));
    }
  }
  const names: string[] = [];
  const columns: Cell[][] = [];
  for (const spec of specs) {
    const j = table.names.indexOf(spec.name);
    if (j < 0) {
      problems.push(new SchemaError(msg.schemaColumnNotInData(spec.name), {
        location: { file, column: spec.name },
        hint: msg.hintDataColumns(table.names),
      }));
      continue;
    }
    const raw = table.columns[j]!;
    const n = raw.length;
    const colMissing = spec.missingValues?.length ? new Set([...missing, ...spec.missingValues]) : missing;
    const nf = spec.numberFormat;
    const df = spec.dateFormat;
    // Copy on first change: a column already typed as the schema wants (numbers from Parquet, trimmed
    // strings) is passed on as it is, not copied, so a large typed table is not held twice.
    let out: Cell[] | null = null;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const r = raw[i]!;
      const v = cleanCell(r, colMissing, md.trim);
      let c: Cell;
      if (v === null) c = null;
      else {
        switch (spec.type) {
          case 'numeric':
          case 'integer': {
            let x: number;
            if (typeof v === 'number') x = v;
            else if (typeof v === 'boolean') x = v ? 1 : 0;
            else if (nf) x = parseFormattedNumber(v, nf);
            else x = NUMBER_RE.test(v) ? Number(v) : NaN;
            if (!Number.isFinite(x)) {
              if (bad++ < 3) {
                problems.push(new ValueError(msg.cellNotNumber(short(String(v)), spec.name, spec.type), {
                  location: { file, row: i + 1, column: spec.name },
                  hint: msg.hintFixNumber(nf ? JSON.stringify(nf.prefix + '1' + (nf.groupSeparator || '') + '234' + nf.decimalMark + '5' + nf.suffix) : null),
                }));
              }
              c = null;
            } else c = x;
            break;
          }
          case 'datetime': {
            const x = typeof v === 'number' ? v : df && typeof v === 'string' ? parseDate(v, df) : Date.parse(typeof v === 'string' && v.length === 10 ? v + 'T00:00:00Z' : String(v));
            if (!Number.isFinite(x)) {
              if (bad++ < 3) {
                problems.push(new ValueError(msg.cellNotDate(short(String(v)), spec.name), {
                  location: { file, row: i + 1, column: spec.name },
                  hint: df ? msg.hintWriteDateAs(df) : msg.HINT_ISO_DATES,
                }));
              }
              c = null;
            } else c = x;
            break;
          }
          default:
            c = typeof v === 'string' ? v : String(v);
        }
      }
      if (out) out[i] = c;
      else if (!Object.is(c, r)) {
        out = new Array<Cell>(n);
        for (let k = 0; k < i; k++) out[k] = raw[k]!;
        out[i] = c;
      }
    }
    if (bad > 3) {
      problems.push(new ValueError(msg.moreUnreadableValues(bad - 3, spec.name, spec.type), {
        location: { file, column: spec.name },
      }));
    }
    names.push(spec.name);
    columns.push(out ?? raw);
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length) throw new MultiError(problems.slice(0, 20), `${problems.length} problem(s) reading ${file ?? 'the table'} against the schema:\n` + problems.slice(0, 20).map((p) => '  - ' + p.describe().replace(/\n/g, '\n    ')).join('\n'));
  return { names, columns, rowCount: table.rowCount, source: file };
}

function short(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
