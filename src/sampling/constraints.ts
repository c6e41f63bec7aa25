/**
 * Schema constraints (`Metadata.constraints`) and their enforcement on sampled rows.
 *
 *   range              { kind: 'range', column, min?, max? }            repaired: clipped into [min, max]
 *   inequality         { kind: 'inequality', left, op, right }          repaired: left and right swapped when the
 *                                                                        order is wrong (a tie under '<' / '>' is rejected)
 *   sum                { kind: 'sum', total, parts, offset? }           repaired: total := Σ parts + offset (rounded
 *                                                                        to the total column's decimals)
 *   fixedCombinations  { kind: 'fixedCombinations', columns, allowed }  rejection: only the declared combinations
 *   pattern            { kind: 'pattern', column, regex }               rejection: the whole value must match
 *   mapping            { kind: 'mapping', from, to, map }               repaired: to := map[from] (a declared function:
 *                                                                        a code and its label); a value of from
 *                                                                        the map lacks is rejected
 *
 * Repairs run in declaration order, then every constraint is checked again and violating rows are dropped
 * (rejection), so a later repair that breaks an earlier constraint is caught. Missing values (null) satisfy
 * range, inequality, pattern and fixedCombinations (a row with a missing member is not a combination); a sum
 * with a missing part is a violation unless the total and every part are missing.
 *
 * Privacy: `allowed` combinations are private data when read from the table. Declare them (public), or buy
 * them with `measureFixedCombinations` (a thresholded noisy histogram whose spend goes to the ledger).
 * `checkTrainingData` reports violation COUNTS of the real table: they are for the data owner's eyes and must
 * not go into a model file or a shared report of a DP model.
 */
import { ColumnError, SchemaValueError, ValueError } from '../errors.js';
import { Rng } from '../rng.js';
import type { ColumnSpec, Metadata } from '../metadata/Metadata.js';
import type { Cell, Table } from '../table/Table.js';
import { takeRows } from '../table/Table.js';
import type { ZcdpSpend } from '../privacy/PrivacySpend.js';
import { noisyCategoryCounts } from '../privacy/mechanisms/noisyCategoryCounts.js';
import { concatTables } from './tableOps.js';

import type { Constraint } from '../metadata/Constraint.js';
import { constraintLabel } from '../metadata/constraintProblems.js';
import * as msg from '../messages.js';

export { CONSTRAINT_KINDS, type Constraint, type InequalityOp } from '../metadata/Constraint.js';
export { constraintLabel, constraintProblems } from '../metadata/constraintProblems.js';
// ---- compiled checks -------------------------------------------------------------------------

interface Compiled {
  label: string;
  constraint: Constraint;
  /** Repair row i in place (columns are mutable copies); returns true when something changed. */
  repair?: (i: number) => boolean;
  ok: (i: number) => boolean;
}

function toMs(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : Date.parse(v.length === 10 ? v + 'T00:00:00Z' : v);
}

function decimalsOf(spec: ColumnSpec | undefined): number | null {
  if (!spec) return null;
  if (spec.type === 'integer' || spec.type === 'datetime') return 0;
  return spec.decimals ?? null;
}

function compile(cols: Map<string, Cell[]>, constraints: readonly Constraint[], metadata?: Metadata): Compiled[] {
  const get = (name: string): Cell[] => {
    const c = cols.get(name);
    if (!c) throw new ColumnError(msg.constraintColumnMissing(name), { location: { column: name }, hint: msg.hintTableColumns([...cols.keys()]) });
    return c;
  };
  const specOf = (name: string) => metadata?.columns.find((c) => c.name === name);
  return constraints.map((c): Compiled => {
    const label = constraintLabel(c);
    switch (c.kind) {
      case 'range': {
        const x = get(c.column);
        const lo = toMs(c.min) ?? -Infinity;
        const hi = toMs(c.max) ?? Infinity;
        return {
          label,
          constraint: c,
          repair: (i) => {
            const v = x[i];
            if (typeof v !== 'number') return false;
            if (v < lo) return ((x[i] = lo), true);
            if (v > hi) return ((x[i] = hi), true);
            return false;
          },
          ok: (i) => {
            const v = x[i];
            return v === null || (typeof v === 'number' && v >= lo && v <= hi);
          },
        };
      }
      case 'inequality': {
        const a = get(c.left);
        const b = get(c.right);
        const holds = (l: number, r: number): boolean => (c.op === '<' ? l < r : c.op === '<=' ? l <= r : c.op === '>' ? l > r : l >= r);
        return {
          label,
          constraint: c,
          repair: (i) => {
            const l = a[i];
            const r = b[i];
            if (typeof l !== 'number' || typeof r !== 'number' || l === r || holds(l, r)) return false; // a swap cannot fix a tie
            a[i] = r;
            b[i] = l;
            return true;
          },
          ok: (i) => {
            const l = a[i];
            const r = b[i];
            return typeof l !== 'number' || typeof r !== 'number' || holds(l, r);
          },
        };
      }
      case 'sum': {
        const t = get(c.total);
        const ps = c.parts.map(get);
        const d = decimalsOf(specOf(c.total));
        const f = d === null ? 0 : 10 ** d;
        const offset = c.offset ?? 0;
        const sumAt = (i: number): number | null => {
          let s = offset;
          for (const p of ps) {
            const v = p[i];
            if (typeof v !== 'number') return null;
            s += v;
          }
          return f ? Math.round(s * f) / f + 0 : s;
        };
        const tol = (x: number) => 1e-9 * Math.max(1, Math.abs(x)) + (f ? 0.5 / f : 0);
        return {
          label,
          constraint: c,
          repair: (i) => {
            const s = sumAt(i);
            if (s === null || t[i] === s) return false;
            t[i] = s;
            return true;
          },
          ok: (i) => {
            const s = sumAt(i);
            if (s === null) return t[i] === null && ps.every((p) => p[i] === null);
            return typeof t[i] === 'number' && Math.abs((t[i] as number) - s) <= tol(s);
          },
        };
      }
      case 'fixedCombinations': {
        if (!c.allowed) {
          throw new SchemaValueError(msg.noAllowedCombinations(label), {
            hint: msg.HINT_DECLARE_ALLOWED,
          });
        }
        const xs = c.columns.map(get);
        const allowed = new Set(c.allowed.map((r) => JSON.stringify(r)));
        return {
          label,
          constraint: c,
          ok: (i) => xs.some((x) => x[i] === null) || allowed.has(JSON.stringify(xs.map((x) => String(x[i])))),
        };
      }
      case 'pattern': {
        const x = get(c.column);
        const re = new RegExp(`^(?:${c.regex})$`, 'u');
        return { label, constraint: c, ok: (i) => x[i] === null || re.test(String(x[i])) };
      }
      case 'mapping': {
        const from = get(c.from);
        const to = get(c.to);
        const type = specOf(c.to)?.type;
        // the map's strings as the to column's cells (coerceTable's types: numbers for numeric, integer, datetime)
        const typed = new Map<string, Cell>(Object.entries(c.map).map(([k, v]) => [k, type === 'numeric' || type === 'integer' ? Number(v) : type === 'datetime' ? toMs(v)! : v]));
        return {
          label,
          constraint: c,
          repair: (i) => {
            const v = from[i];
            if (v === null || v === undefined) return false;
            const want = typed.get(String(v));
            if (want === undefined || to[i] === want) return false;
            to[i] = want;
            return true;
          },
          ok: (i) => {
            const v = from[i];
            return v === null || v === undefined || (typed.has(String(v)) && to[i] === typed.get(String(v)));
          },
        };
      }
    }
  });
}

export interface ConstraintOutcome {
  label: string;
  kind: Constraint['kind'];
  /** Rows changed by this constraint's repair. */
  repaired: number;
  /** Rows still violating it after all repairs (dropped). */
  rejected: number;
}

export interface EnforceReport {
  rows: number;
  kept: number;
  /** Dropped rows / rows. */
  rejectionRate: number;
  constraints: ConstraintOutcome[];
}

/**
 * Repair, then drop rows still violating any constraint (see the file comment). Does not modify `table`.
 * @throws {InputError} when a constraint names a column the table lacks, or fixedCombinations has no `allowed`
 */
export function enforceConstraints(table: Table, constraints: readonly Constraint[], opts: { metadata?: Metadata } = {}): { table: Table; report: EnforceReport } {
  const columns = table.columns.map((c) => c.slice());
  const cols = new Map(table.names.map((n, j) => [n, columns[j]!]));
  const compiled = compile(cols, constraints, opts.metadata);
  const outcomes: ConstraintOutcome[] = compiled.map((c) => ({ label: c.label, kind: c.constraint.kind, repaired: 0, rejected: 0 }));
  const keep: number[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    compiled.forEach((c, k) => {
      if (c.repair?.(i)) outcomes[k]!.repaired++;
    });
    let ok = true;
    compiled.forEach((c, k) => {
      if (!c.ok(i)) {
        outcomes[k]!.rejected++;
        ok = false;
      }
    });
    if (ok) keep.push(i);
  }
  const repairedTable: Table = { names: table.names, columns, rowCount: table.rowCount };
  const out = keep.length === table.rowCount ? repairedTable : takeRows(repairedTable, keep);
  return { table: out, report: { rows: table.rowCount, kept: keep.length, rejectionRate: table.rowCount ? 1 - keep.length / table.rowCount : 0, constraints: outcomes } };
}

export interface ConstrainedSampleOptions {
  seed?: number;
  metadata?: Metadata;
  /** Stop with an error when, after `checkAfter` drawn rows, fewer than this share is kept (default 0.001). */
  minAcceptance?: number;
  checkAfter?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Exactly n rows satisfying every constraint: draws rows with `draw(m, seed)` (e.g.
 * `(m, s) => synth.sampleBatches(m, s)` or a guided sampler), enforces, and draws more for the rejected ones.
 * Returns the summed enforcement report.
 * @throws {InputError} when the kept share stays below `minAcceptance`
 */
export function* sampleConstrainedBatches(draw: (m: number, seed: number) => Iterable<Table>, n: number, constraints: readonly Constraint[], opts: ConstrainedSampleOptions = {}): Generator<Table, EnforceReport> {
  const rng = new Rng(opts.seed ?? 0).fork('constrained');
  const minAcceptance = opts.minAcceptance ?? 0.001;
  const checkAfter = opts.checkAfter ?? 100_000;
  const total: EnforceReport = { rows: 0, kept: 0, rejectionRate: 0, constraints: [] };
  let done = 0;
  for (let round = 0; done < n; round++) {
    const acc = total.rows ? Math.max(minAcceptance, total.kept / total.rows) : 1;
    const m = Math.ceil((n - done) / acc * (round === 0 ? 1 : 1.05)) + (round === 0 ? 0 : 16);
    for (const batch of draw(m, rng.fork(`round-${round}`).nextU32())) {
      if (opts.signal?.aborted) return total;
      const { table, report } = enforceConstraints(batch, constraints, { metadata: opts.metadata });
      total.rows += report.rows;
      total.kept += report.kept;
      report.constraints.forEach((c, k) => {
        const t = (total.constraints[k] ??= { label: c.label, kind: c.kind, repaired: 0, rejected: 0 });
        t.repaired += c.repaired;
        t.rejected += c.rejected;
      });
      const take = Math.min(n - done, table.rowCount);
      if (take > 0) {
        const out = take === table.rowCount ? table : takeRows(table, Int32Array.from({ length: take }, (_, i) => i));
        done += take;
        opts.onProgress?.(done, n);
        yield out;
      }
      if (done >= n) break;
    }
    total.rejectionRate = total.rows ? 1 - total.kept / total.rows : 0;
    if (done < n && total.rows >= checkAfter && total.kept / total.rows < minAcceptance) {
      const worst = [...total.constraints].sort((a, b) => b.rejected - a.rejected)[0];
      throw new ValueError(msg.constraintsRarelyMet((100 * total.kept / total.rows).toFixed(3), total.rows, worst?.label), {
        hint: msg.HINT_CONSTRAINTS_RARELY_MET,
      });
    }
  }
  total.rejectionRate = total.rows ? 1 - total.kept / total.rows : 0;
  return total;
}

/** All n constrained rows in one table, with the enforcement report. */
export function sampleConstrained(draw: (m: number, seed: number) => Iterable<Table>, n: number, constraints: readonly Constraint[], opts: ConstrainedSampleOptions = {}): { table: Table; report: EnforceReport } {
  const parts: Table[] = [];
  const gen = sampleConstrainedBatches(draw, n, constraints, opts);
  for (;;) {
    const r = gen.next();
    if (r.done) return { table: parts.length ? concatTables(parts) : { names: [], columns: [], rowCount: 0 }, report: r.value };
    parts.push(r.value);
  }
}

export type TrainingDataPolicy = 'drop' | 'fail';

export interface TrainingDataCheck {
  policy: TrainingDataPolicy;
  /** Violating rows per constraint (counts only, never rows). Not DP: for the data owner only. */
  violations: { label: string; kind: Constraint['kind']; rows: number }[];
  /** Rows violating at least one constraint (dropped under 'drop'). */
  violatingRows: number;
}

/**
 * Check the real (typed) table against the constraints, without repairing anything.
 * 'drop' returns the table without the violating rows; 'fail' throws when any row violates.
 * @throws {InputError} E_VALUE under 'fail' with the count per constraint
 */
export function checkTrainingData(table: Table, constraints: readonly Constraint[], policy: TrainingDataPolicy, opts: { metadata?: Metadata } = {}): { table: Table; check: TrainingDataCheck } {
  const cols = new Map(table.names.map((n, j) => [n, table.columns[j]!]));
  const compiled = compile(cols, constraints, opts.metadata);
  const counts = compiled.map(() => 0);
  const keep: number[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    let ok = true;
    compiled.forEach((c, k) => {
      if (!c.ok(i)) {
        counts[k]!++;
        ok = false;
      }
    });
    if (ok) keep.push(i);
  }
  const check: TrainingDataCheck = { policy, violations: compiled.map((c, k) => ({ label: c.label, kind: c.constraint.kind, rows: counts[k]! })), violatingRows: table.rowCount - keep.length };
  if (policy === 'fail' && check.violatingRows > 0) {
    const list = check.violations.filter((v) => v.rows > 0).map((v) => msg.constraintViolations(v.label, v.rows)).join('; ');
    throw new ValueError(msg.trainingRowsViolate(check.violatingRows, list), {
      location: { file: table.source },
      hint: msg.HINT_FIX_VIOLATIONS,
    });
  }
  return { table: policy === 'drop' && check.violatingRows ? { ...takeRows(table, keep), source: table.source } : table, check };
}

/**
 * The allowed combinations of a fixedCombinations constraint, measured under DP: a thresholded Gaussian
 * histogram over the joint values (noisyCategoryCounts: rho-zCDP plus `deltaShare`), releasing only
 * combinations whose noisy count clears the threshold, so a combination held by one row is (w.h.p.) not
 * revealed. Add `spend` to the ledger. Rows with a missing value in any of the columns are not counted.
 */
export function measureFixedCombinations(table: Table, constraint: Extract<Constraint, { kind: 'fixedCombinations' }>, opts: { rho: number; deltaShare: number }, rng: Rng): { constraint: Extract<Constraint, { kind: 'fixedCombinations' }>; spend: ZcdpSpend } {
  const cols = constraint.columns.map((name) => {
    const j = table.names.indexOf(name);
    if (j < 0) throw new ColumnError(msg.fixedCombinationsColumnMissing(name), { location: { column: name } });
    return table.columns[j]!;
  });
  const keys: (string | null)[] = new Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) keys[i] = cols.some((c) => c[i] === null) ? null : JSON.stringify(cols.map((c) => String(c[i])));
  const r = noisyCategoryCounts(keys, { rho: opts.rho, deltaShare: opts.deltaShare, label: constraintLabel(constraint) }, rng);
  return { constraint: { ...constraint, allowed: r.categories.map((c) => JSON.parse(c.category) as string[]) }, spend: r.spend };
}
