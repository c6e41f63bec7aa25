/**
 * Seeded train/holdout split, stratified on a column when one is given (each value's rows are split
 * in the same proportion, so a rare class appears in both parts). Missing counts as its own stratum.
 */
import type { Table } from './Table.js';
import { takeRows } from './Table.js';
import type { Rng } from '../rng.js';

export interface Split {
  train: Table;
  holdout: Table;
}

export function splitTable(t: Table, holdoutFraction: number, rng: Rng, stratifyBy?: string): Split {
  if (!(holdoutFraction > 0 && holdoutFraction < 1)) throw new RangeError(`holdout fraction must be in (0, 1), got ${holdoutFraction}`);
  const groups = new Map<string, number[]>();
  const col = stratifyBy ? t.columns[t.names.indexOf(stratifyBy)] : undefined;
  for (let i = 0; i < t.rowCount; i++) {
    const key = col ? String(col[i]) : '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const keys = [...groups.keys()].sort();
  let nHoldout = 0;
  for (const key of keys) nHoldout += Math.round(groups.get(key)!.length * holdoutFraction);
  // typed index arrays filled in loops: push(...slice) of a million-row stratum overflows the call stack
  const train = new Int32Array(t.rowCount - nHoldout);
  const holdout = new Int32Array(nHoldout);
  let a = 0;
  let b = 0;
  for (const key of keys) {
    const g = groups.get(key)!;
    rng.shuffle(g);
    const k = Math.round(g.length * holdoutFraction);
    for (let i = 0; i < k; i++) holdout[b++] = g[i]!;
    for (let i = k; i < g.length; i++) train[a++] = g[i]!;
  }
  train.sort();
  holdout.sort();
  return { train: takeRows(t, train), holdout: takeRows(t, holdout) };
}
