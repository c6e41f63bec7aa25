import type { Cell } from '../table/Table.js';
import { batchRng } from './batchRng.js';

/** Fresh surrogate identifiers for rows [offset, offset + n): random, never copied from the data. */
export function surrogateColumn(name: string, offset: number, n: number, seed: number, batch: number): Cell[] {
  const rng = batchRng(seed, batch).fork(`surrogate:${name}`);
  const col: Cell[] = new Array(n);
  for (let i = 0; i < n; i++) col[i] = `${name}-${(offset + i + 1).toString().padStart(8, '0')}-${rng.nextU32().toString(16).padStart(8, '0')}`;
  return col;
}
