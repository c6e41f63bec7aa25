/**
 * Group shares, real vs synthetic, and (with a target) per-group positive rates and the demographic
 * parity difference, as plain JSON for the report.
 *
 *   share_g = rows with column = g / rows;   rate_g = rows with column = g and target = positive / rows with column = g
 *   demographic parity difference = max_g rate_g - min_g rate_g over groups with at least `minGroupRows` rows
 *
 * Only shares and rates are reported (no counts of the real table); missing group values are the group null.
 * Complexity O(rows).
 */
import { ColumnError } from '../errors.js';
import type { Cell, Table } from '../table/Table.js';
import { columnOrUndefined } from './tableOps.js';
import * as msg from '../messages.js';

export interface GroupReportOptions {
  column: string;
  target?: { column: string; positive: string | number | boolean };
  /** Groups with fewer rows (in that table) get rate null and are left out of the parity difference (default 1). */
  minGroupRows?: number;
}

export interface GroupRow {
  value: Cell;
  realShare: number;
  syntheticShare: number;
  realRate?: number | null;
  syntheticRate?: number | null;
}

export interface GroupReport {
  kind: 'privsynth.groupReport';
  version: 1;
  column: string;
  groups: GroupRow[];
  /** Σ_g |realShare - syntheticShare| / 2. */
  shareTvd: number;
  target?: {
    column: string;
    positive: string;
    realRate: number;
    syntheticRate: number;
    demographicParityDifference: { real: number | null; synthetic: number | null };
  };
}

function column(t: Table, name: string, which: string): Cell[] {
  const c = columnOrUndefined(t, name);
  if (!c) throw new ColumnError(msg.groupTableLacksColumn(which, name), { location: { column: name }, hint: msg.hintItsColumns(t.names) });
  return c;
}

function tally(t: Table, opts: GroupReportOptions, which: string): { n: number; groups: Map<Cell, { rows: number; pos: number }>; pos: number } {
  const g = column(t, opts.column, which);
  const y = opts.target ? column(t, opts.target.column, which) : null;
  const positive = opts.target ? String(opts.target.positive) : '';
  const groups = new Map<Cell, { rows: number; pos: number }>();
  let pos = 0;
  for (let i = 0; i < t.rowCount; i++) {
    const key = g[i] ?? null;
    let e = groups.get(key);
    if (!e) groups.set(key, (e = { rows: 0, pos: 0 }));
    e.rows++;
    if (y && y[i] !== null && String(y[i]) === positive) {
      e.pos++;
      pos++;
    }
  }
  return { n: t.rowCount, groups, pos };
}

export function groupReport(real: Table, synthetic: Table, opts: GroupReportOptions): GroupReport {
  const minRows = opts.minGroupRows ?? 1;
  const r = tally(real, opts, 'real');
  const s = tally(synthetic, opts, 'synthetic');
  const keys = [...new Set([...r.groups.keys(), ...s.groups.keys()])].sort((a, b) => (a === null ? 1 : b === null ? -1 : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const rate = (e: { rows: number; pos: number } | undefined) => (e && e.rows >= minRows ? e.pos / e.rows : null);
  let tvd = 0;
  const groups: GroupRow[] = keys.map((k) => {
    const a = r.groups.get(k);
    const b = s.groups.get(k);
    const row: GroupRow = { value: k, realShare: r.n ? (a?.rows ?? 0) / r.n : 0, syntheticShare: s.n ? (b?.rows ?? 0) / s.n : 0 };
    tvd += Math.abs(row.realShare - row.syntheticShare) / 2;
    if (opts.target) {
      row.realRate = rate(a);
      row.syntheticRate = rate(b);
    }
    return row;
  });
  const dpd = (rates: (number | null | undefined)[]): number | null => {
    const xs = rates.filter((x): x is number => typeof x === 'number');
    return xs.length >= 2 ? Math.max(...xs) - Math.min(...xs) : null;
  };
  const out: GroupReport = { kind: 'privsynth.groupReport', version: 1, column: opts.column, groups, shareTvd: tvd };
  if (opts.target) {
    out.target = {
      column: opts.target.column,
      positive: String(opts.target.positive),
      realRate: r.n ? r.pos / r.n : 0,
      syntheticRate: s.n ? s.pos / s.n : 0,
      demographicParityDifference: { real: dpd(groups.map((g) => g.realRate)), synthetic: dpd(groups.map((g) => g.syntheticRate)) },
    };
  }
  return out;
}
