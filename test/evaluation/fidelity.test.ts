import { describe, expect, it } from 'vitest';
import { prepareData } from '../../src/evaluation/prepare.js';
import * as ks from '../../src/evaluation/metrics/ksComplement.js';
import * as tv from '../../src/evaluation/metrics/tvComplement.js';
import * as corr from '../../src/evaluation/metrics/correlationSimilarity.js';
import * as cont from '../../src/evaluation/metrics/contingencySimilarity.js';
import { METRICS } from '../../src/evaluation/metrics/index.js';
import { makeTable, type Cell } from '../../src/table/Table.js';
import type { Metadata } from '../../src/metadata/Metadata.js';
import { population, populationMetadata } from '../fixtures/population.js';

const md = (cols: [string, 'numeric' | 'categorical'][]): Metadata => ({
  kind: 'privsynth.schema',
  version: 1,
  missingValues: [],
  trim: true,
  columns: cols.map(([name, type]) => ({ name, type, action: 'keep', nullable: true })),
});

describe('metric registry', () => {
  it('every metric declares name, kind, goal, range and description', () => {
    const names = new Set<string>();
    for (const m of METRICS) {
      expect(m.name).toMatch(/^[a-z_]+$/);
      expect(['fidelity', 'utility', 'privacy']).toContain(m.kind);
      expect(['maximize', 'minimize', 'target']).toContain(m.goal);
      expect(m.range[0]).toBeLessThan(m.range[1]);
      expect(m.description.length).toBeGreaterThan(20);
      if (m.goal === 'target') expect(typeof m.ideal).toBe('number');
      names.add(m.name);
    }
    expect(names.size).toBe(METRICS.length);
  });
});

describe('fidelity metrics', () => {
  it('identical tables score 1.0 everywhere', () => {
    const t = population(400, 1);
    const data = prepareData(t, t, t, populationMetadata());
    expect(ks.compute(data).value).toBe(1);
    expect(tv.compute(data).value).toBe(1);
    expect(corr.compute(data).value).toBe(1);
    expect(cont.compute(data).value).toBe(1);
  });

  it('KS and TVD on hand-computed cases', () => {
    // x: train {1,2,3,4} vs synthetic {3,4,5,6}: D = 0.5 (see stats.test.ts) -> ks_complement 0.5.
    // c: train {a,a,b,missing} p = (.5,.25,.25 missing); synthetic {a,b,b,c} p = (.25,.5,c .25):
    //    |diffs| = .25 (a) + .25 (b) + .25 (missing) + .25 (c) = 1 -> TVD 0.5 -> tv_complement 0.5.
    const train = makeTable(['x', 'c'], [[1, 2, 3, 4], ['a', 'a', 'b', null]]);
    const syn = makeTable(['x', 'c'], [[3, 4, 5, 6], ['a', 'b', 'b', 'c']]);
    const data = prepareData(train, train, syn, md([['x', 'numeric'], ['c', 'categorical']]));
    expect(ks.compute(data).value).toBeCloseTo(0.5, 12);
    expect(tv.compute(data).value).toBeCloseTo(0.5, 12);
  });

  it('correlation similarity: r = 1 vs r = -1 gives 0; contingency on a hand case', () => {
    const x: Cell[] = [1, 2, 3, 4, 5];
    const train = makeTable(['x', 'y'], [x, [2, 4, 6, 8, 10]]);
    const syn = makeTable(['x', 'y'], [x, [10, 8, 6, 4, 2]]);
    const data = prepareData(train, train, syn, md([['x', 'numeric'], ['y', 'numeric']]));
    expect(corr.compute(data).value).toBeCloseTo(0, 12);
    // Joint of two categorical columns: train pairs (a,u),(a,u),(b,v),(b,v); synthetic (a,v),(a,u),(b,v),(b,u)
    // p_train: au .5, bv .5; p_syn: av .25, au .25, bv .25, bu .25 -> TVD = .5*(.25+.25+.25+.25) = .5.
    const t2 = makeTable(['p', 'q'], [['a', 'a', 'b', 'b'], ['u', 'u', 'v', 'v']]);
    const s2 = makeTable(['p', 'q'], [['a', 'a', 'b', 'b'], ['v', 'u', 'v', 'u']]);
    const d2 = prepareData(t2, t2, s2, md([['p', 'categorical'], ['q', 'categorical']]));
    expect(cont.compute(d2).value).toBeCloseTo(0.5, 12);
  });

  it('a shifted synthetic column scores lower than an unshifted one, worst first in details', () => {
    const t = population(500, 2);
    const s = population(500, 3);
    const shifted = makeTable(s.names, s.columns.map((c, j) => (s.names[j] === 'age' ? c.map((v) => (v === null ? null : (v as number) + 30)) : c)));
    const data = prepareData(t, t, shifted, populationMetadata());
    const cols = ks.compute(data).details.columns;
    const age = cols.find((c) => c.column === 'age')!;
    const income = cols.find((c) => c.column === 'income')!;
    expect(age.score).toBeLessThan(0.3);
    expect(income.score).toBeGreaterThan(0.85);
  });
});
