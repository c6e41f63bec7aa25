/**
 * Validate a schema document (from a file or an edit) and fill defaults. Collects every problem,
 * then throws once, naming the column and what to do.
 */
import { SchemaError, MultiError } from '../errors.js';
import type { Constraint } from './Constraint.js';
import { constraintProblems } from './constraintProblems.js';
import { isDatePattern } from './DateFormat.js';
import { SEPARATOR_CANDIDATES } from './NumberFormat.js';
import { COLUMN_TYPES, DEFAULT_MISSING_VALUES, SCHEMA_KIND, SCHEMA_VERSION, type ColumnSpec, type Metadata } from './Metadata.js';
import * as msg from '../messages.js';

const ACTIONS = ['keep', 'drop', 'surrogate'];
/** Delimiters a schema may name for CSV output (those the reader detects). */
const CSV_DELIMITERS = [',', ';', '\t', '|'];
/** As many columns as the CSV reader accepts; more is not a schema privsynth can use. */
export const MAX_SCHEMA_COLUMNS = 20_000;
/** Problems listed in one error; the rest are counted. */
const MAX_LISTED_PROBLEMS = 50;

export function validateMetadata(doc: unknown, file?: string): Metadata {
  const problems: SchemaError[] = [];
  const fail = (message: string, column?: string, hint?: string): void => {
    problems.push(new SchemaError(message, { location: { file, column }, hint }));
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new SchemaError(msg.SCHEMA_NOT_OBJECT, { location: { file }, hint: msg.HINT_WRITE_SCHEMA });
  }
  const d = doc as Record<string, unknown>;
  if (d.kind !== undefined && d.kind !== SCHEMA_KIND) fail(`this is not a privsynth schema (kind is ${JSON.stringify(d.kind)})`);
  if (d.version !== undefined && d.version !== SCHEMA_VERSION) {
    fail(`schema version ${JSON.stringify(d.version)} is not supported (this privsynth reads version ${SCHEMA_VERSION})`, undefined, 'regenerate it with "privsynth inspect"');
  }
  if (!Array.isArray(d.columns)) {
    fail('the schema has no "columns" list', undefined, msg.HINT_WRITE_SCHEMA);
    throw problems.length === 1 ? problems[0]! : new MultiError(problems);
  }
  if (d.columns.length > MAX_SCHEMA_COLUMNS) {
    throw new SchemaError(msg.schemaTooManyColumns(d.columns.length, MAX_SCHEMA_COLUMNS), {
      location: { file },
      hint: msg.HINT_DESCRIBE_OWN_COLUMNS,
    });
  }
  if (d.missingValues !== undefined && (!Array.isArray(d.missingValues) || d.missingValues.some((x) => typeof x !== 'string' && typeof x !== 'number'))) {
    fail('"missingValues" must be a list of strings (or numbers)', undefined, 'e.g. "missingValues": ["", "NA", "?"]');
  }
  if (d.delimiter !== undefined && !CSV_DELIMITERS.includes(d.delimiter as string)) fail(`"delimiter" must be one of ${CSV_DELIMITERS.map((x) => JSON.stringify(x)).join(', ')}, got ${JSON.stringify(d.delimiter)}`);
  const seen = new Set<string>();
  const columns: ColumnSpec[] = [];
  (d.columns as unknown[]).forEach((c, k) => {
    if (typeof c !== 'object' || c === null) return fail(`columns[${k}] is not an object`);
    const col = c as Record<string, unknown>;
    const name = col.name;
    if (typeof name !== 'string' || !name) return fail(`columns[${k}] has no "name"`);
    if (seen.has(name)) fail(`column "${name}" is described twice`, name);
    seen.add(name);
    const type = col.type;
    if (typeof type !== 'string' || !(COLUMN_TYPES as readonly string[]).includes(type)) {
      return fail(`column "${name}" has type ${JSON.stringify(type)}`, name, `use one of: ${COLUMN_TYPES.join(', ')}`);
    }
    const action = col.action ?? 'keep';
    if (typeof action !== 'string' || !ACTIONS.includes(action)) fail(`column "${name}" has action ${JSON.stringify(action)}`, name, `use one of: ${ACTIONS.join(', ')}`);
    if (col.categories !== undefined && (!Array.isArray(col.categories) || col.categories.some((x) => typeof x !== 'string'))) {
      fail(`column "${name}": "categories" must be a list of strings`, name);
    }
    if ((type === 'numeric' || type === 'integer') && (col.min !== undefined || col.max !== undefined)) {
      const okNum = (x: unknown): boolean => x === undefined || (typeof x === 'number' && Number.isFinite(x));
      if (!okNum(col.min) || !okNum(col.max) || (col.min !== undefined && col.max !== undefined && !((col.min as number) <= (col.max as number)))) {
        fail(`column "${name}": "min" and "max" must be numbers with min <= max`, name);
      }
    }
    if (col.decimals !== undefined && !(Number.isSafeInteger(col.decimals) && (col.decimals as number) >= 0)) fail(`column "${name}": "decimals" must be a whole number >= 0`, name);
    if (col.format !== undefined && col.format !== 'date' && col.format !== 'datetime') fail(`column "${name}": "format" must be "date" or "datetime"`, name);
    if (type === 'datetime') {
      for (const key of ['min', 'max'] as const) {
        const v = col[key];
        if (v !== undefined && !Number.isFinite(typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN)) {
          fail(`column "${name}": "${key}" is not a date`, name, 'use ISO 8601, e.g. "2020-01-31"');
        }
      }
    }
    if (type === 'boolean' && Array.isArray(col.categories) && col.categories.length > 2) fail(`column "${name}" is boolean but lists ${col.categories.length} categories`, name, 'use type "categorical"');
    if (col.numberFormat !== undefined) {
      const f = col.numberFormat as Record<string, unknown> | null;
      const ok = typeof f === 'object' && f !== null && SEPARATOR_CANDIDATES.some(([d, g]) => d === f.decimalMark && g === f.groupSeparator) &&
        typeof f.prefix === 'string' && typeof f.suffix === 'string' && !/\d/.test(f.prefix + f.suffix) &&
        (f.fixedDecimals === undefined || (Number.isSafeInteger(f.fixedDecimals) && (f.fixedDecimals as number) >= 0 && (f.fixedDecimals as number) <= 15));
      if (!ok) fail(`column "${name}": "numberFormat" must be {"decimalMark": "." or ",", "groupSeparator": "", ",", ".", " " or "'" (not the decimal mark), "prefix": text, "suffix": text, "fixedDecimals"?: 0..15}`, name, 'e.g. {"decimalMark": ".", "groupSeparator": ",", "prefix": "$", "suffix": ""} for $1,234.50');
      if (type !== 'numeric' && type !== 'integer') fail(`column "${name}" has a "numberFormat" but is ${type}`, name, 'remove it, or make the column numeric');
    }
    if (col.dateFormat !== undefined && (typeof col.dateFormat !== 'string' || !isDatePattern(col.dateFormat))) {
      fail(`column "${name}": "dateFormat" ${JSON.stringify(col.dateFormat)} is not a date pattern`, name, 'use tokens YYYY, MM or M, DD or D (and HH, mm, ss), e.g. "MM/DD/YYYY" or "DD.MM.YYYY HH:mm"');
    } else if (col.dateFormat !== undefined && type !== 'datetime') fail(`column "${name}" has a "dateFormat" but is ${type}`, name, 'remove it, or make the column datetime');
    if (col.missingValues !== undefined && (!Array.isArray(col.missingValues) || col.missingValues.some((x) => typeof x !== 'string'))) fail(`column "${name}": "missingValues" must be a list of strings`, name);
    if (col.missingMarker !== undefined && typeof col.missingMarker !== 'string') fail(`column "${name}": "missingMarker" must be a string`, name);
    if (col.junkCells !== undefined && !(Number.isSafeInteger(col.junkCells) && (col.junkCells as number) >= 0)) fail(`column "${name}": "junkCells" must be a whole number >= 0`, name);
    if (col.reason !== undefined && typeof col.reason !== 'string') fail(`column "${name}": "reason" must be a string`, name);
    if (col.public !== undefined && typeof col.public !== 'boolean') fail(`column "${name}": "public" must be true or false`, name);
    columns.push({ ...(col as object), name, type, action: action as ColumnSpec['action'], nullable: col.nullable === undefined ? true : Boolean(col.nullable) } as ColumnSpec);
  });
  for (const p of constraintProblems(d.constraints, columns)) fail(p.message, p.column, p.hint);
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > MAX_LISTED_PROBLEMS) {
    const more = problems.length - MAX_LISTED_PROBLEMS;
    problems.length = MAX_LISTED_PROBLEMS;
    problems.push(new SchemaError(msg.moreProblemsNotListed(more), { location: { file } }));
  }
  if (problems.length) throw new MultiError(problems);
  return {
    kind: SCHEMA_KIND,
    version: SCHEMA_VERSION,
    missingValues: Array.isArray(d.missingValues) ? (d.missingValues as (string | number)[]).map(String) : [...DEFAULT_MISSING_VALUES],
    trim: d.trim === undefined ? true : Boolean(d.trim),
    ...(d.delimiter !== undefined && d.delimiter !== ',' ? { delimiter: d.delimiter as string } : {}),
    columns,
    ...(d.constraints !== undefined ? { constraints: d.constraints as Constraint[] } : {}),
  };
}
