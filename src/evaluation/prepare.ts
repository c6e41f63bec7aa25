/**
 * Boundary of the evaluation: check the three typed tables against the schema once, turn each evaluated
 * column into a compact array (Float64Array with NaN = missing for numbers, Int32Array of category codes
 * with -1 = missing for categories, one dictionary shared by the three tables), and collect warnings.
 *
 * Everything after this trusts the prepared data.
 */
import type { Cell, Table } from '../table/Table.js';
import type { ColumnSpec, ColumnType, Metadata } from '../metadata/Metadata.js';
import { EvaluationError } from '../errors.js';
import type { Warning } from './types.js';
import * as msg from '../messages.js';

export type ColumnKind = 'num' | 'cat';

export interface PreparedColumn {
  name: string;
  type: ColumnType;
  kind: ColumnKind;
  /** Category spellings by code (cat columns); shared by train, holdout and synthetic. */
  categories: string[];
}

export interface PreparedTable {
  n: number;
  /** Aligned with `PreparedData.columns`: Float64Array (num, NaN = missing) or Int32Array (cat, -1 = missing). */
  values: (Float64Array | Int32Array)[];
}

export interface PreparedData {
  columns: PreparedColumn[];
  train: PreparedTable;
  holdout: PreparedTable;
  synthetic: PreparedTable;
  missingFromSynthetic: string[];
  unseenCategories: { column: string; count: number; examples: string[]; syntheticShare: number }[];
  warnings: Warning[];
}

/** Tables smaller than this get a SMALL_TABLE warning: the metrics are too noisy to read much into. */
export const SMALL_TABLE_ROWS = 50;

export function numericType(t: ColumnType): boolean {
  return t === 'numeric' || t === 'integer' || t === 'datetime';
}

/**
 * Validate and prepare the inputs of `evaluate`.
 * @throws EvaluationError when the tables cannot be compared: an empty table, an evaluated column absent
 *   from train or holdout, a cell of the wrong type, no column left to evaluate.
 */
export function prepareData(train: Table, holdout: Table, synthetic: Table, md: Metadata): PreparedData {
  const warnings: Warning[] = [];
  const specs = md.columns.filter((c) => c.action === 'keep' && c.type !== 'text' && c.type !== 'id');
  if (specs.length === 0) {
    throw new EvaluationError(msg.NO_COLUMN_TO_EVALUATE, {
      hint: msg.HINT_KEEP_EVALUABLE_COLUMN,
    });
  }
  for (const [label, t] of [['train', train], ['holdout', holdout], ['synthetic', synthetic]] as const) {
    if (t.rowCount === 0) throw new EvaluationError(msg.evaluatedTableEmpty(label), { location: { file: t.source } });
    if (t.rowCount < SMALL_TABLE_ROWS) {
      warnings.push({ code: 'SMALL_TABLE', message: msg.evaluatedTableSmall(label, t.rowCount, SMALL_TABLE_ROWS) });
    }
  }
  const missingFromSynthetic: string[] = [];
  const used: ColumnSpec[] = [];
  for (const spec of specs) {
    for (const [label, t] of [['train', train], ['holdout', holdout]] as const) {
      if (!t.names.includes(spec.name)) {
        throw new EvaluationError(msg.schemaColumnNotInEvaluatedTable(spec.name, label), {
          location: { file: t.source, column: spec.name },
          hint: msg.hintTableHas(label, t.names),
        });
      }
    }
    if (!synthetic.names.includes(spec.name)) {
      missingFromSynthetic.push(spec.name);
      warnings.push({
        code: 'COLUMN_MISSING_FROM_SYNTHETIC',
        column: spec.name,
        message: msg.columnMissingFromSynthetic(spec.name),
      });
      continue;
    }
    used.push(spec);
  }
  if (used.length === 0) {
    throw new EvaluationError(msg.NO_EVALUATED_COLUMN_IN_SYNTHETIC, {
      location: { file: synthetic.source },
      hint: msg.hintExpectedSomeOf(specs.map((s) => s.name)),
    });
  }

  const columns: PreparedColumn[] = [];
  const tv: PreparedTable[] = [train, holdout, synthetic].map((t) => ({ n: t.rowCount, values: [] }));
  const unseenCategories: PreparedData['unseenCategories'] = [];
  for (const spec of used) {
    const kind: ColumnKind = numericType(spec.type) ? 'num' : 'cat';
    const raw = [train, holdout, synthetic].map((t) => t.columns[t.names.indexOf(spec.name)]!);
    const sources = [train, holdout, synthetic];
    if (kind === 'num') {
      raw.forEach((cells, k) => tv[k]!.values.push(toNumbers(cells, spec, sources[k]!)));
      columns.push({ name: spec.name, type: spec.type, kind, categories: [] });
    } else {
      const dict = new Map<string, number>();
      const codes = raw.map((cells, k) => toCodes(cells, spec, sources[k]!, dict));
      codes.forEach((c, k) => tv[k]!.values.push(c));
      const categories = [...dict.keys()];
      columns.push({ name: spec.name, type: spec.type, kind, categories });
      // Categories the synthetic table invented (or spelled differently).
      const seen = new Uint8Array(categories.length);
      for (const c of [codes[0]!, codes[1]!]) for (let i = 0; i < c.length; i++) if (c[i]! >= 0) seen[c[i]!] = 1;
      const counts = new Map<number, number>();
      const syn = codes[2]!;
      let unseenRows = 0;
      for (let i = 0; i < syn.length; i++) {
        const v = syn[i]!;
        if (v >= 0 && !seen[v]) {
          counts.set(v, (counts.get(v) ?? 0) + 1);
          unseenRows++;
        }
      }
      if (counts.size > 0) {
        const examples = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([v]) => categories[v]!);
        const syntheticShare = unseenRows / syn.length;
        unseenCategories.push({ column: spec.name, count: counts.size, examples, syntheticShare });
        warnings.push({
          code: 'UNSEEN_CATEGORIES',
          column: spec.name,
          message: msg.unseenCategories(spec.name, counts.size, (100 * syntheticShare).toFixed(2), examples.slice(0, 3).map((e) => JSON.stringify(e)).join(', ')),
        });
      }
    }
    const j = columns.length - 1;
    ['train', 'holdout', 'synthetic'].forEach((label, k) => {
      const v = tv[k]!.values[j]!;
      if (countPresent(v) === 0) {
        warnings.push({
          code: 'ALL_MISSING',
          column: spec.name,
          message: msg.columnAllMissingIn(spec.name, label),
        });
      }
    });
  }
  return { columns, train: tv[0]!, holdout: tv[1]!, synthetic: tv[2]!, missingFromSynthetic, unseenCategories, warnings };
}

export function countPresent(v: Float64Array | Int32Array): number {
  let n = 0;
  if (v instanceof Float64Array) {
    for (let i = 0; i < v.length; i++) if (v[i] === v[i]) n++;
  } else {
    for (let i = 0; i < v.length; i++) if (v[i]! >= 0) n++;
  }
  return n;
}

function toNumbers(cells: readonly Cell[], spec: ColumnSpec, t: Table): Float64Array {
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v === null || v === undefined) out[i] = NaN;
    else if (typeof v === 'number' && Number.isFinite(v)) out[i] = v;
    else {
      throw new EvaluationError(msg.cellWrongType(spec.name, spec.type, i + 1, JSON.stringify(v), typeof v), {
        location: { file: t.source, row: i + 1, column: spec.name },
        hint: msg.HINT_TYPED_NUMBERS,
      });
    }
  }
  return out;
}

function toCodes(cells: readonly Cell[], spec: ColumnSpec, t: Table, dict: Map<string, number>): Int32Array {
  const out = new Int32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v === null || v === undefined) {
      out[i] = -1;
      continue;
    }
    let s: string;
    if (typeof v === 'string') s = v;
    else if (typeof v === 'boolean' && spec.type === 'boolean') s = String(v);
    else {
      throw new EvaluationError(msg.cellWrongType(spec.name, spec.type, i + 1, JSON.stringify(v), typeof v), {
        location: { file: t.source, row: i + 1, column: spec.name },
        hint: msg.HINT_TYPED_STRINGS,
      });
    }
    let code = dict.get(s);
    if (code === undefined) {
      code = dict.size;
      dict.set(s, code);
    }
    out[i] = code;
  }
  return out;
}

/** The rows at `idx` of a prepared table. */
export function takePrepared(t: PreparedTable, idx: ArrayLike<number>): PreparedTable {
  const n = idx.length;
  return {
    n,
    values: t.values.map((v) => {
      const out = v instanceof Float64Array ? new Float64Array(n) : new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = v[idx[i]!]!;
      return out;
    }),
  };
}

/** Rows of a prepared table stacked: a then b. */
export function concatPrepared(a: PreparedTable, b: PreparedTable): PreparedTable {
  return {
    n: a.n + b.n,
    values: a.values.map((v, j) => {
      const out = v instanceof Float64Array ? new Float64Array(a.n + b.n) : new Int32Array(a.n + b.n);
      out.set(v as never, 0);
      out.set(b.values[j]! as never, a.n);
      return out;
    }),
  };
}
