/**
 * String interning for table readers: a column of repeated values (categories, codes, dates at a coarse grain)
 * holds one string per distinct value instead of one per cell. 3 million airport codes are then 229 strings and
 * 3 million pointers (24 MB) instead of 3 million strings (~100 MB more).
 *
 * A pool stops growing at `MAX_INTERNED` distinct values (past that a column is id- or text-like, and a pool
 * would only add a map entry per cell); values already in it are still shared.
 */
export const MAX_INTERNED = 100_000;

export type InternPool = Map<string, string>;

/**
 * The pooled copy of `s`. A pooled string is flattened first when it may be a slice of a larger one
 * (V8 makes substrings of 13 or more characters views of their parent, which would keep a whole CSV text alive
 * for as long as the column lives).
 */
export function intern(pool: InternPool, s: string): string {
  const hit = pool.get(s);
  if (hit !== undefined) return hit;
  if (pool.size >= MAX_INTERNED) return s;
  const own = s.length >= 13 ? (JSON.parse(JSON.stringify(s)) as string) : s;
  pool.set(own, own);
  return own;
}
