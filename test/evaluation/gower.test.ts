import { describe, expect, it } from 'vitest';
import { gowerDistance, makeGowerEncoder, nearestNeighbours } from '../../src/evaluation/gower.js';
import { prepareData, takePrepared } from '../../src/evaluation/prepare.js';
import { makeTable } from '../../src/table/Table.js';
import type { Metadata } from '../../src/metadata/Metadata.js';
import { population, populationMetadata } from '../fixtures/population.js';

const md: Metadata = {
  kind: 'privsynth.schema',
  version: 1,
  missingValues: [],
  trim: true,
  columns: [
    { name: 'x', type: 'numeric', action: 'keep', nullable: true },
    { name: 'c', type: 'categorical', action: 'keep', nullable: true },
  ],
};

describe('Gower distance', () => {
  it('matches a hand-computed case', () => {
    // Range of x over train + holdout = 10 - 0 = 10.
    const train = makeTable(['x', 'c'], [[0, 2, null], ['u', 'u', 'u']]);
    const holdout = makeTable(['x', 'c'], [[10, 7], ['v', 'v']]);
    const syn = makeTable(['x', 'c'], [[20, null], ['u', null]]);
    const data = prepareData(train, holdout, syn, md);
    const enc = makeGowerEncoder(data);
    const [tr, ho, sy] = [enc.encode(data.train), enc.encode(data.holdout), enc.encode(data.synthetic)];
    // (x=2, u) vs (x=7, v): (|2-7|/10 + 1) / 2 = 0.75
    expect(gowerDistance(tr, 1, ho, 1)).toBeCloseTo(0.75, 6);
    // (missing, u) vs (7, v): (1 + 1) / 2 = 1;  (missing, u) vs (missing, u): 0
    expect(gowerDistance(tr, 2, ho, 1)).toBe(1);
    expect(gowerDistance(tr, 2, tr, 2)).toBe(0);
    // (20, u) vs (2, u): |20-2|/10 = 1.8 capped at 1 -> (1 + 0) / 2 = 0.5
    expect(gowerDistance(sy, 0, tr, 1)).toBeCloseTo(0.5, 6);
    // (missing, missing) vs (0, u): (1 + 1) / 2 = 1
    expect(gowerDistance(sy, 1, tr, 0)).toBe(1);
  });

  it('blocked k-NN search equals brute force (with missing values, small blocks)', () => {
    const t = population(300, 5);
    const q = population(120, 6);
    const data = prepareData(t, t, q, populationMetadata());
    const enc = makeGowerEncoder(data);
    const ref = enc.encode(data.train);
    const qs = enc.encode(data.synthetic);
    const k = 3;
    const nb = nearestNeighbours(qs, ref, k, { queryBlock: 7, refBlock: 50 });
    for (let i = 0; i < qs.n; i++) {
      const all = Array.from({ length: ref.n }, (_, j) => gowerDistance(qs, i, ref, j)).sort((a, b) => a - b);
      for (let r = 0; r < k; r++) expect(nb.dist[i * k + r]).toBeCloseTo(all[r]!, 6);
      expect(gowerDistance(qs, i, ref, nb.index[i * k]!)).toBeCloseTo(nb.dist[i * k]!, 6);
    }
  });

  it('pads with Infinity when the reference has fewer than k rows', () => {
    const t = population(60, 7);
    const data = prepareData(t, t, t, populationMetadata());
    const enc = makeGowerEncoder(data);
    const small = enc.encode(takePrepared(data.train, [0]));
    const nb = nearestNeighbours(enc.encode(data.train), small, 2);
    expect(nb.dist[0]).toBe(0);
    expect(nb.dist[1]).toBe(Infinity);
    expect(nb.index[1]).toBe(-1);
  });
});
