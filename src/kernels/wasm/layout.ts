/**
 * Named memory layouts shared by a kernel's code and its JS side, so no byte offset is written twice.
 *
 *   struct:  fields of 4-byte words (i32 or f32) at offsets 0, 4, 8, ...; `offset.x` for the kernel's
 *            loads, `word.x` for an Int32Array view on the JS side, `bytes` for the stride
 *   regions: consecutive named regions of memory, each starting at a multiple of its alignment
 */

export interface Struct<K extends string> {
  /** Byte offset of each field. */
  readonly offset: Readonly<Record<K, number>>;
  /** Index of each field in an Int32Array/Float32Array view of one record. */
  readonly word: Readonly<Record<K, number>>;
  /** Bytes per record. */
  readonly bytes: number;
  /** Words per record. */
  readonly words: number;
}

/** A record of 4-byte fields, in the order given. */
export function struct<K extends string>(...fields: K[]): Struct<K> {
  const offset = {} as Record<K, number>;
  const word = {} as Record<K, number>;
  fields.forEach((f, k) => {
    if (f in word) throw new Error(`struct: field '${f}' declared twice`);
    word[f] = k;
    offset[f] = 4 * k;
  });
  return { offset, word, bytes: 4 * fields.length, words: fields.length };
}

/** n rounded up to a multiple of `to` (a power of two). */
export const alignUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/** Named regions laid out one after another: [name, bytes, alignment] in order; `end` is the first byte after the last. */
export function regions<K extends string>(...spec: [K, number, number][]): { readonly at: Readonly<Record<K, number>>; readonly end: number } {
  const at = {} as Record<K, number>;
  let end = 0;
  for (const [name, bytes, align] of spec) {
    at[name] = alignUp(end, align);
    end = at[name] + bytes;
  }
  return { at, end };
}
