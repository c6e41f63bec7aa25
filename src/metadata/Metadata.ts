/**
 * The schema: what each column is and how privsynth should treat it. A versioned JSON document the
 * user can edit (`privsynth inspect -o schema.json`, then `--schema schema.json`).
 *
 * Privacy note: a schema written by `inspect` contains values read from the data (categories,
 * bounds). Those are marked `public: false` until the user declares them public; DP fitting only
 * uses declared-public values for free and pays budget for everything else.
 */
import type { Constraint } from './Constraint.js';
import type { NumberFormat } from './NumberFormat.js';

export type { NumberFormat } from './NumberFormat.js';

export const SCHEMA_VERSION = 1;
export const SCHEMA_KIND = 'privsynth.schema';

export type ColumnType = 'numeric' | 'integer' | 'categorical' | 'boolean' | 'datetime' | 'text' | 'id';
export const COLUMN_TYPES: readonly ColumnType[] = ['numeric', 'integer', 'categorical', 'boolean', 'datetime', 'text', 'id'];

/** What to do with a column: model it, drop it from the output, or replace it with fresh surrogate values. */
export type ColumnAction = 'keep' | 'drop' | 'surrogate';

export type PiiKind = 'email' | 'phone' | 'national_id' | 'iban' | 'card_number' | 'person_name' | 'street_address' | 'ip_address' | 'identifier' | 'name_hint';

export interface PiiFlag {
  kind: PiiKind;
  /** 'name' = the column's name suggests it; 'values' = values match a pattern. */
  evidence: 'name' | 'values';
  /** Share of sampled non-missing values matching the pattern (for 'values'). */
  matchRate?: number;
}

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  action: ColumnAction;
  nullable: boolean;
  /** Share of missing cells seen by `inspect` (informational; read from the data). */
  missingRate?: number;
  /** Categories (categorical/boolean). For booleans: the two spellings, false first. */
  categories?: string[];
  /** Numeric/integer/datetime range. Datetimes as ISO strings. */
  min?: number | string;
  max?: number | string;
  /**
   * True when the user declares that `categories` / `min` / `max` are public knowledge (not read from
   * the private table), so DP fitting may use them without spending budget.
   */
  public?: boolean;
  /** Datetime output format: 'date' (YYYY-MM-DD) or 'datetime' (ISO 8601). */
  format?: 'date' | 'datetime';
  /** Decimal places seen in the input for numeric columns; outputs are rounded to it. */
  decimals?: number;
  pii?: PiiFlag[];
  /**
   * How numbers are written in the input when not plainly (`$1,234.50`, `958,47`, `43.5%`; see
   * NumberFormat.ts): coerceTable reads with it and CSV output is written with it. Structure, not data.
   */
  numberFormat?: NumberFormat;
  /**
   * Datetime pattern of a non-ISO input (`MM/DD/YYYY`, `DD.MM.YYYY`, ...; see DateFormat.ts): read and
   * written with it. Absent: ISO 8601. Structure, not data.
   */
  dateFormat?: string;
  /**
   * Spellings that mean missing in this column only, in addition to the schema's `missingValues`
   * (inspect puts here the junk cells of a numeric or date column, e.g. "n/a", "-", "unknown").
   */
  missingValues?: string[];
  /** How a missing cell is written in CSV output: the input's own marker (e.g. "?" in UCI Adult); default empty. */
  missingMarker?: string;
  /**
   * Cells inspect found that are not values of the column's type and treated as missing (their spellings
   * are in `missingValues`): "coerced to numeric with N junk cells treated as missing". Read from the data.
   */
  junkCells?: number;
  /** Why inspect chose this type or action when it is not the obvious one; every dropped column says why. */
  reason?: string;
  /** Free text for humans, and for the LLM filler of text columns. */
  description?: string;
  /** Text columns: generation settings for the LLM filler. */
  text?: TextColumnOptions;
}

export interface TextColumnOptions {
  instructions?: string;
  examples?: string[];
  mustNotContain?: string[];
  maxLength?: number;
  /** Keywords per value of another column, for consistency checks. */
  consistency?: { column: string; keywords: Record<string, string[]> };
}

export interface Metadata {
  kind: typeof SCHEMA_KIND;
  version: number;
  /** Values that count as missing in addition to empty cells (e.g. "?" in UCI Adult). */
  missingValues: string[];
  /** Trim leading/trailing white space of string cells (default true). */
  trim: boolean;
  columns: ColumnSpec[];
  /** The input CSV's delimiter when it is not ',' (e.g. ';' with decimal commas): CSV output uses it too. */
  delimiter?: string;
  /** Rules every synthetic row must satisfy (see sampling/constraints.ts); enforced when sampling. */
  constraints?: Constraint[];
}

export function findColumn(md: Metadata, name: string): ColumnSpec | undefined {
  return md.columns.find((c) => c.name === name);
}

/** Columns the synthesizer models (kept, not text/id). */
export function modelledColumns(md: Metadata): ColumnSpec[] {
  return md.columns.filter((c) => c.action === 'keep' && c.type !== 'text' && c.type !== 'id');
}

export const DEFAULT_MISSING_VALUES = ['', '?', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None'];
