/**
 * Compact decoding: every transformer's fast reverseDraws gives the cells its reverse gives for the
 * same draws (the base class's generic path expands draws to the encoded layout and calls reverse).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BaseTransformer } from '../../src/transformers/BaseTransformer.js';
import { decodedCells } from '../../src/transformers/DecodedColumn.js';
import { ClusterBasedNormalizer } from '../../src/transformers/ClusterBasedNormalizer.js';
import { DatetimeTransformer } from '../../src/transformers/DatetimeTransformer.js';
import { MissingIndicator } from '../../src/transformers/MissingIndicator.js';
import { OneHotEncoder } from '../../src/transformers/OneHotEncoder.js';
import { TableEncoder } from '../../src/transformers/TableEncoder.js';
import type { ColumnSpec } from '../../src/metadata/Metadata.js';
import type { Cell } from '../../src/table/Table.js';
import { Rng } from '../../src/rng.js';

const n = 2000;
const rng = new Rng(1);
const numbers = (f: () => number, missing = 0): Cell[] => Array.from({ length: n }, () => (rng.uniform() < missing ? null : f()));
const specs: ColumnSpec[] = [
  { name: 'x', type: 'numeric', action: 'keep', nullable: false, decimals: 2 },
  { name: 'k', type: 'integer', action: 'keep', nullable: true },
  { name: 'd', type: 'datetime', action: 'keep', nullable: false, format: 'date' },
  { name: 'c', type: 'categorical', action: 'keep', nullable: true },
];
let encoder: TableEncoder;
beforeAll(() => {
  const table = {
    names: specs.map((s) => s.name),
    columns: [
      numbers(() => Math.round((rng.uniform() < 0.5 ? rng.normal() : 5 + 2 * rng.normal()) * 100) / 100),
      numbers(() => Math.floor(rng.uniform() * 50), 0.2),
      numbers(() => Math.floor(rng.uniform() * 3000) * 86_400_000),
      Array.from({ length: n }, (): Cell => (rng.uniform() < 0.1 ? null : ['a', 'b', 'c', 'd'][Math.floor(rng.uniform() * 4)]!)),
    ],
    rowCount: n,
  };
  encoder = TableEncoder.fit(specs, table, new Rng(2));
});

describe('reverseDraws', () => {
  it('covers the numeric, integer+missing, date and categorical transformers', () => {
    const kinds = encoder.blocks.map((b) => b.transformer.constructor);
    expect(kinds).toEqual([ClusterBasedNormalizer, MissingIndicator, DatetimeTransformer, OneHotEncoder]);
  });

  it('each fast path equals the generic expand-and-reverse path on random draws', () => {
    const S = encoder.spans.length;
    const draws = new Float32Array(n * S);
    const r = new Rng(3);
    for (let i = 0; i < n; i++) {
      encoder.spans.forEach((sp, k) => {
        draws[i * S + k] = sp.kind === 'tanh' ? r.uniform() * 2.2 - 1.1 : Math.floor(r.uniform() * sp.width);
      });
    }
    const offs = encoder.blockSpanOffsets;
    encoder.blocks.forEach((b, k) => {
      const fast = b.transformer.reverseDraws(draws, n, S, offs[k]!, new Rng(4));
      const generic = BaseTransformer.prototype.reverseDraws.call(b.transformer, draws, n, S, offs[k]!, new Rng(4));
      expect(decodedCells(fast), b.column).toEqual(decodedCells(generic));
    });
    const cols = encoder.decodeDraws(draws, n, new Rng(5));
    expect(cols.map(decodedCells)).toEqual(encoder.blocks.map((b, k) => decodedCells(b.transformer.reverseDraws(draws, n, S, offs[k]!, new Rng(5).fork(`decode:${b.column}`)))));
  });
});
