/**
 * MST's discrete domains: every modelled column becomes a small set of codes, fixed before any
 * marginal is measured, from public or DP-released values only (the column specs fitPrivateEncoder
 * returns: declared or DP bounds, declared or DP-released categories, DP nullability).
 *
 *   categorical/boolean: one code per category (released ones, plus "(other)" when DP preprocessing made one)
 *   numeric/integer/datetime: the bins of histogramEdges(lo, hi) (the project's DP histogram layout: a bin
 *     for exactly each bound, equal-width bins between; one bin per value for a short integer range)
 *   nullable columns: one more code for missing
 *
 * Back to values: a category, or a value uniform within its bin (the bound itself for a bound bin),
 * integers rounded to a whole number inside the bin, datetimes to whole milliseconds.
 */
import { ColumnError, ValueError } from '../../errors.js';
import type { ColumnSpec } from '../../metadata/Metadata.js';
import type { Cell } from '../../table/Table.js';
import type { Rng } from '../../rng.js';
import { histogramEdges } from '../fitPrivateEncoder.js';
import * as msg from '../../messages.js';

export type ColumnDomain =
  | { kind: 'categorical'; name: string; categories: string[]; nullable: boolean }
  | {
      kind: 'numeric';
      name: string;
      type: 'numeric' | 'integer' | 'datetime';
      /**
       * 'values': one bin per whole number lo..hi (edges lo, lo+1, ..., hi+1); 'bounds': bin 0 is exactly lo,
       * the last bin exactly hi, equal-width bins between (the top one closed at hi's side).
       */
      layout: 'values' | 'bounds';
      edges: number[];
      nullable: boolean;
      decimals?: number;
    };

/** Number of codes of a domain (values plus the missing code). */
export function domainSize(d: ColumnDomain): number {
  return (d.kind === 'categorical' ? d.categories.length : d.edges.length - 1) + (d.nullable ? 1 : 0);
}

export const isNumericType = (t: ColumnSpec['type']): boolean => t === 'numeric' || t === 'integer' || t === 'datetime';

function toNumber(v: number | string): number {
  return typeof v === 'number' ? v : Date.parse(v.length === 10 ? v + 'T00:00:00Z' : v);
}

/**
 * The domain of a column from its stored (public or DP-released) spec. `bins` is the number of numeric
 * bins (chosen from the expected signal-to-noise; post-processing of DP values). Decimals are kept only
 * when declared public (they are read from the data otherwise).
 */
export function columnDomain(spec: ColumnSpec, bins: number): ColumnDomain {
  if (isNumericType(spec.type)) {
    if (spec.min === undefined || spec.max === undefined) throw new ColumnError(msg.noBoundsToDiscretize(spec.name), { location: { column: spec.name } });
    const lo = toNumber(spec.min);
    const hi = toNumber(spec.max);
    const integer = spec.type === 'integer';
    const edges = histogramEdges(lo, hi, integer, Math.max(4, bins));
    const layout = integer && edges.length - 1 === edges[edges.length - 1]! - edges[0]! && edges.every((e, i) => e === edges[0]! + i) ? 'values' : 'bounds';
    return { kind: 'numeric', name: spec.name, type: spec.type as 'numeric' | 'integer' | 'datetime', layout, edges, nullable: spec.nullable, ...(spec.public && spec.decimals !== undefined ? { decimals: spec.decimals } : {}) };
  }
  return { kind: 'categorical', name: spec.name, categories: [...(spec.categories ?? [])], nullable: spec.nullable };
}

/** Codes of a column's (preprocessed: clipped, categories mapped) values. @throws InputError for a value outside the domain. */
export function encodeColumn(d: ColumnDomain, values: readonly Cell[], source?: string): Int32Array {
  const out = new Int32Array(values.length);
  const k = domainSize(d);
  const missing = d.nullable ? k - 1 : -1;
  if (d.kind === 'categorical') {
    const index = new Map(d.categories.map((c, i) => [c, i]));
    for (let r = 0; r < values.length; r++) {
      const v = values[r];
      const i = v === null || v === undefined ? missing : index.get(String(v));
      if (i === undefined || i < 0) {
        throw new ValueError(msg.notAmongCategories(r + 1, d.name, v === null ? null : JSON.stringify(v), d.nullable), {
          location: { file: source, row: r + 1, column: d.name },
          hint: msg.HINT_ADD_TO_CATEGORIES,
        });
      }
      out[r] = i;
    }
    return out;
  }
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      // fitPrivateEncoder fills the missing values of a column it models as not nullable; be safe anyway
      out[r] = missing >= 0 ? missing : 0;
      continue;
    }
    out[r] = binOf(d, v as number);
  }
  return out;
}

/** The bin of a value (clamped to the bounds) in a numeric domain's layout. */
export function binOf(d: Extract<ColumnDomain, { kind: 'numeric' }>, v: number): number {
  const e = d.edges;
  const nb = e.length - 1;
  if (d.layout === 'values') return Math.min(nb - 1, Math.max(0, Math.round(v) - e[0]!));
  if (v <= e[0]!) return 0;
  if (v >= e[nb]!) return nb - 1;
  if (v < e[1]!) return 1;
  if (v >= e[nb - 1]!) return nb - 2;
  let lo = 1;
  let hi = nb - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (e[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A value for code `c` (seeded): the category, or a value in the bin (the bound itself for a bound bin). */
export function decodeValue(d: ColumnDomain, c: number, rng: Rng): Cell {
  const k = domainSize(d);
  if (d.nullable && c === k - 1) return null;
  if (d.kind === 'categorical') return d.categories[c]!;
  const e = d.edges;
  const nb = e.length - 1;
  if (d.layout === 'values') return e[c]!;
  if (c === 0) return d.type === 'integer' ? e[0]! : finish(d, e[0]!);
  if (c === nb - 1) return d.type === 'integer' ? e[nb]! : finish(d, e[nb]!);
  // an inner bin [e[c], e[c+1]); the top inner bin reaches up to (not including) the upper bound
  const a = c === 1 ? e[1]! : e[c]!;
  const b = c === nb - 2 ? e[nb]! : e[c + 1]!;
  if (d.type === 'integer') {
    const lo = Math.ceil(a);
    const hi = Math.ceil(b) - 1;
    if (hi < lo) return Math.min(e[nb]! - 1, Math.max(e[0]! + 1, Math.round((a + b) / 2)));
    return lo + Math.floor(rng.uniform() * (hi - lo + 1));
  }
  return finish(d, a + (b - a) * rng.uniform());
}

function finish(d: Extract<ColumnDomain, { kind: 'numeric' }>, x: number): number {
  if (d.type === 'datetime') return Math.round(x);
  return d.decimals === undefined ? x : Number(x.toFixed(Math.min(d.decimals, 12)));
}
