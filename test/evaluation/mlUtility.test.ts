/**
 * Known answers for ml_utility (TSTR vs TRTR), in particular what it reports when the synthetic table carries
 * no relation between the target and the features. Reference values are computed in the tests from the
 * generating model (the "oracle" AUC of the true logit on the holdout) or from exact symmetries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compute, stratifiedSplit, type UtilityDetails, type UtilityScore } from '../../src/evaluation/metrics/mlUtility.js';
import { prepareData } from '../../src/evaluation/prepare.js';
import { aucPermutationTest, bootstrapAuc, rocAuc } from '../../src/evaluation/stats/roc.js';
import { IndependentMarginals } from '../../src/synthesizers/baselines/IndependentMarginals.js';
import { makeTable, type Cell, type Table } from '../../src/table/Table.js';
import type { ColumnSpec, Metadata } from '../../src/metadata/Metadata.js';
import { Rng } from '../../src/rng.js';
import { ADULT_PRESENT, ADULT_SKIP_REASON, adultMetadata, readAdult } from '../fixtures/adult.js';

const EFFECT: Record<string, number> = { a: -1, b: 0, c: 1.2 };

/** y ~ Bernoulli(sigmoid(-1 + 1.5 x1 + EFFECT[x2])), x1 ~ N(0, 1), x2 uniform on a, b, c. */
function logisticTable(n: number, seed: number): { table: Table; logit: number[]; positive: number[] } {
  const rng = new Rng(seed);
  const x1: Cell[] = [];
  const x2: Cell[] = [];
  const y: Cell[] = [];
  const logit: number[] = [];
  const positive: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const c = 'abc'[rng.int(3)]!;
    const z = -1 + 1.5 * a + EFFECT[c]!;
    const pos = rng.uniform() < 1 / (1 + Math.exp(-z));
    x1.push(a);
    x2.push(c);
    y.push(pos ? 'yes' : 'no');
    logit.push(z);
    positive.push(pos ? 1 : 0);
  }
  return { table: makeTable(['x1', 'x2', 'y'], [x1, x2, y]), logit, positive };
}

function schema(types: Record<string, ColumnSpec['type']>): Metadata {
  return { kind: 'privsynth.schema', version: 1, missingValues: [], trim: true, columns: Object.entries(types).map(([name, type]) => ({ name, type, action: 'keep', nullable: true })) };
}
const MD = schema({ x1: 'numeric', x2: 'categorical', y: 'categorical' });

function utility(train: Table, holdout: Table, synthetic: Table, md: Metadata, target: string, seed = 0) {
  const r = compute(prepareData(train, holdout, synthetic, md), target, { maxRows: 30_000 }, new Rng(seed));
  const d = r.details as UtilityDetails;
  const score = (model: UtilityScore['model'], on: UtilityScore['trainedOn']) => d.scores.find((s) => s.model === model && s.trainedOn === on)!;
  return { ...r, d, score };
}

/** The same rows in another order, the target and the categories first seen in another order. */
function reordered(t: Table): Table {
  const n = t.rowCount;
  const yes = t.columns[2]!.indexOf('yes');
  const order = [yes, ...Array.from({ length: n }, (_, i) => n - 1 - i).filter((i) => i !== yes)];
  return makeTable(t.names, t.columns.map((c) => order.map((i) => c[i]!)));
}

function relabelled(t: Table, j: number, swap: Record<string, string>): Table {
  return makeTable(t.names, t.columns.map((c, k) => (k === j ? c.map((v) => (typeof v === 'string' && v in swap ? swap[v]! : v)) : c)));
}

describe('ml_utility: a known logistic model', () => {
  const train = logisticTable(20_000, 1).table;
  const ho = logisticTable(5_000, 2);
  const oracle = rocAuc(ho.logit, ho.positive); // the true model's AUC on these holdout rows: 0.8474
  const synthetic = logisticTable(20_000, 3).table; // an independent draw from the same model

  it('TSTR on a fresh draw from the generating model reaches the oracle AUC; the relation is detected', () => {
    const u = utility(train, ho.table, synthetic, MD, 'y');
    expect(oracle).toBeCloseTo(0.8474, 4);
    expect(Math.abs(u.score('logistic_regression', 'synthetic').auc! - oracle)).toBeLessThan(0.003);
    expect(Math.abs(u.score('gradient_boosting', 'synthetic').auc! - oracle)).toBeLessThan(0.01);
    for (const m of ['logistic_regression', 'gradient_boosting'] as const) {
      const c = u.score(m, 'synthetic').withinSynthetic!;
      expect(c.detected).toBe(true);
      expect(c.auc).toBeGreaterThan(0.8);
      expect(c.pValue).toBe(1 / 1000); // no shuffle of 999 comes close
      expect(c.testRows).toBe(4_000);
      expect(u.score(m, 'train').withinSynthetic).toBeUndefined();
    }
    expect(u.d.noRelation).toBe(false);
    expect(u.value).toBe(Math.max(u.score('logistic_regression', 'synthetic').auc!, u.score('gradient_boosting', 'synthetic').auc!));
    expect(u.warnings!.filter((w) => w.code === 'NO_RELATION')).toEqual([]);
  });

  it('categories and classes are matched by value, not by the order a table first shows them', () => {
    const a = utility(train, ho.table, synthetic, MD, 'y');
    const b = utility(train, ho.table, reordered(synthetic), MD, 'y');
    for (const m of ['logistic_regression', 'gradient_boosting'] as const) expect(b.score(m, 'synthetic').auc).toBeCloseTo(a.score(m, 'synthetic').auc!, 3);
    // Swapping two category spellings in the synthetic table only is a different relation: the AUC drops.
    const swapped = utility(train, ho.table, relabelled(synthetic, 1, { a: 'c', c: 'a' }), MD, 'y');
    expect(swapped.score('logistic_regression', 'synthetic').auc!).toBeLessThan(oracle - 0.05);
  });

  it('flipped labels in the synthetic table give 1 - AUC: a reversed relation, detected and reported as such', () => {
    const a = utility(train, ho.table, synthetic, MD, 'y');
    const f = utility(train, ho.table, relabelled(synthetic, 2, { yes: 'no', no: 'yes' }), MD, 'y');
    expect(f.score('logistic_regression', 'synthetic').auc).toBeCloseTo(1 - a.score('logistic_regression', 'synthetic').auc!, 6);
    expect(f.score('gradient_boosting', 'synthetic').auc).toBeCloseTo(1 - a.score('gradient_boosting', 'synthetic').auc!, 2);
    expect(f.d.noRelation).toBe(false);
    expect(f.value).toBeLessThan(0.2);
  });

  it('the positive class is the same in both tables, whichever class the synthetic table shows first', () => {
    const first = train.columns[2]![0] as string; // classes follow the shared dictionary (train first)
    const syn = reordered(synthetic);
    expect(syn.columns[2]![0]).toBe('yes');
    const u = utility(train, ho.table, syn, MD, 'y');
    expect(u.d.classes).toEqual([first, first === 'yes' ? 'no' : 'yes']);
    // With mismatched positives the AUC would be ~1 - 0.847.
    expect(u.score('logistic_regression', 'synthetic').auc).toBeGreaterThan(0.84);
  });
});

describe('ml_utility: a synthetic table without any relation', () => {
  // One numeric feature: a fitted linear score is monotone in x with the sign of the fitted weight, so the
  // TSTR AUC is exactly AUC(x) or 1 - AUC(x) on the holdout, whatever the number of synthetic rows.
  const gen = (n: number, seed: number, relation: boolean) => {
    const rng = new Rng(seed);
    const x: Cell[] = [];
    const y: Cell[] = [];
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      x.push(v);
      const z = relation ? -0.5 + 1.5 * v : -0.5 + 1.5 * rng.normal();
      y.push(rng.uniform() < 1 / (1 + Math.exp(-z)) ? 'yes' : 'no');
    }
    return makeTable(['x', 'y'], [x, y]);
  };
  const md = schema({ x: 'numeric', y: 'categorical' });
  const train = gen(3_000, 100, true);
  const holdout = gen(3_000, 101, true);
  const xh = holdout.columns[0] as number[];
  const yh = (holdout.columns[1] as string[]).map((v) => (v === 'yes' ? 1 : 0));
  const aucX = rocAuc(xh, yh);

  it('LR TSTR AUC is AUC(x) or 1 - AUC(x), far from 0.5 at any size, yet the synthetic rows show no relation: headline 0.5', () => {
    expect(aucX).toBeGreaterThan(0.8);
    const signs = new Set<number>();
    let flagged = 0;
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    for (const seed of seeds) {
      const u = utility(train, holdout, gen(seed % 2 ? 1_000 : 10_000, seed, false), md, 'y', seed);
      const lr = u.score('logistic_regression', 'synthetic');
      const auc = lr.auc!;
      expect(Math.min(Math.abs(auc - aucX), Math.abs(auc - (1 - aucX)))).toBeLessThan(1e-12);
      signs.add(Math.sign(auc - 0.5));
      // A bootstrap interval over the holdout does not reveal it: it excludes 0.5 by far.
      const p = Float64Array.from(xh, (v) => (auc > 0.5 ? v : -v));
      const ci = bootstrapAuc(p, yh, new Rng(seed), 100);
      expect(ci[0] > 0.5 || ci[1] < 0.5).toBe(true);
      if (u.d.noRelation) {
        flagged++;
        expect(u.value).toBe(0.5);
        expect(u.d.bestTstr).toBe(0.5);
        expect(u.d.gap).toBeCloseTo(u.d.bestTrtr! - 0.5, 12);
        expect(u.warnings!.some((w) => w.code === 'NO_RELATION' && w.message.includes('reported as 0.5'))).toBe(true);
      }
    }
    expect(signs).toEqual(new Set([1, -1]));
    // Each check is a one-sided 2.5% test per model (5% for both): about 1 seed in 20 may see a chance "relation".
    expect(flagged).toBeGreaterThanOrEqual(9);
  });

  it('multiclass: no relation flagged; a real 3-class relation detected', () => {
    const three = (n: number, seed: number, relation: boolean) => {
      const rng = new Rng(seed);
      const x: Cell[] = [];
      const y: Cell[] = [];
      for (let i = 0; i < n; i++) {
        const k = rng.int(3);
        y.push(['lo', 'mid', 'hi'][k]!);
        x.push((relation ? 2 * k : 2 * rng.int(3)) + rng.normal());
      }
      return makeTable(['x', 'y'], [x, y]);
    };
    const tr = three(2_000, 1, true);
    const hoT = three(2_000, 2, true);
    const none = utility(tr, hoT, three(2_000, 3, false), md, 'y');
    expect(none.d.task).toBe('multiclass');
    expect(none.d.noRelation).toBe(true);
    expect(none.value).toBe(0.5);
    const some = utility(tr, hoT, three(2_000, 4, true), md, 'y');
    expect(some.d.noRelation).toBe(false);
    expect(some.score('logistic_regression', 'synthetic').withinSynthetic!.detected).toBe(true);
    expect(some.value).toBeGreaterThan(0.85);
  });

  it('a class with a single synthetic row cannot be held out: the check is skipped with a warning, the score kept', () => {
    const syn = gen(300, 7, true);
    const y = syn.columns[1] as string[];
    const one = y.indexOf('yes');
    const lone = makeTable(syn.names, syn.columns.map((c, k) => (k === 1 ? c.map((v, i) => (i === one ? 'yes' : 'no')) : c)));
    const u = utility(train, holdout, lone, md, 'y');
    expect(u.score('logistic_regression', 'synthetic').withinSynthetic).toBeNull();
    expect(u.d.noRelation).toBe(false);
    expect(u.value).toBe(Math.max(u.score('logistic_regression', 'synthetic').auc!, u.score('gradient_boosting', 'synthetic').auc!));
    expect(u.warnings!.some((w) => w.code === 'TARGET' && w.message.includes('too few synthetic rows'))).toBe(true);
  });

  it('regression is not checked (a noise fit gives R^2 <= ~0, never a good score)', () => {
    const rng = new Rng(5);
    const t = (rel: boolean) => {
      const x = Array.from({ length: 500 }, () => rng.normal());
      return makeTable(['x', 'y'], [x, x.map((v) => (rel ? 2 * v : 0) + rng.normal())]);
    };
    const u = utility(t(true), t(true), t(false), schema({ x: 'numeric', y: 'numeric' }), 'y');
    expect(u.d.noRelation).toBe(false);
    expect(u.score('logistic_regression', 'synthetic').withinSynthetic).toBeUndefined();
    expect(u.value!).toBeLessThan(0.02);
  });
});

describe('aucPermutationTest', () => {
  it('matches rocAuc; p = 1 / (rounds + 1) for separated classes; ~uniform p-values for scores independent of the labels', () => {
    const rng = new Rng(3);
    const y = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const sep = y.map((v) => v + 0.1 * rng.uniform());
    const t = aucPermutationTest([sep], [1], y, new Rng(1), 199);
    expect(t.auc).toBe(rocAuc(sep, y));
    expect(t.auc).toBe(1);
    expect(t.pValue).toBe(1 / 200);
    // Ties count one half, as in rocAuc.
    const tied = y.map((v, i) => (i % 3 === 0 ? 0.5 : v));
    expect(aucPermutationTest([tied], [1], y, new Rng(1), 9).auc).toBeCloseTo(rocAuc(tied, y), 12);
    // Under the null the p-value is (close to) uniform: about 5% of 200 draws at or below 0.05.
    let small = 0;
    for (let r = 0; r < 200; r++) {
      const s = y.map(() => rng.normal());
      if (aucPermutationTest([s], [1], y, new Rng(100 + r), 99).pValue <= 0.05) small++;
    }
    expect(small).toBeGreaterThanOrEqual(3);
    expect(small).toBeLessThanOrEqual(20);
  });
});

describe('stratifiedSplit', () => {
  it('holds out ~20% of each class, none of a class with one row; deterministic', () => {
    const y = [...Array(50).fill(0), ...Array(10).fill(1), 2];
    const s = stratifiedSplit(y, 0.2, new Rng(1));
    expect(s.test.filter((i) => y[i] === 0)).toHaveLength(10);
    expect(s.test.filter((i) => y[i] === 1)).toHaveLength(2);
    expect(s.test.filter((i) => y[i] === 2)).toHaveLength(0);
    expect([...s.fit, ...s.test].sort((a, b) => a - b)).toEqual(y.map((_, i) => i));
    expect(stratifiedSplit(y, 0.2, new Rng(1))).toEqual(s);
  });
});

describe.skipIf(!ADULT_PRESENT)(`ml_utility on UCI Adult (${ADULT_PRESENT ? 'present' : ADULT_SKIP_REASON})`, () => {
  // Read in beforeAll, not in the describe body: vitest runs a skipped describe's body to collect
  // its tests, and a read there fails the whole file on a clone without ../shared.
  let train: Table;
  let holdout: Table;
  let md: Metadata;
  beforeAll(() => {
    train = readAdult('train.csv');
    holdout = readAdult('holdout.csv');
    md = adultMetadata(train);
  });

  it('the real train as "synthetic" reproduces TRTR exactly (LR 0.910) and shows a relation', () => {
    const u = utility(train, holdout, train, md, 'income');
    for (const m of ['logistic_regression', 'gradient_boosting'] as const) {
      expect(u.score(m, 'synthetic').auc).toBe(u.score(m, 'train').auc);
      expect(u.score(m, 'synthetic').withinSynthetic!.detected).toBe(true);
    }
    // RESULTS.md: TRTR logistic regression ROC AUC 0.910 on this split.
    expect(u.score('logistic_regression', 'train').auc).toBeCloseTo(0.91, 2);
    expect(u.d.noRelation).toBe(false);
  }, 60_000);

  it('independent marginals (no relation): LR TSTR 0.301 / 0.656 for seeds 8 / 18, headline 0.5 with NO_RELATION', () => {
    // Seeds 8 and 18 are the extremes of 30 seeds (benchmarks/tstrSanity.mjs): before the relation check
    // the headline (best TSTR) was 0.474 and 0.666 for tables without any relation to the target. Since the
    // baseline's point-mass bins (64013fd) seed 18 gives LR 0.656 (was 0.666; seed 8 unchanged), measured here.
    for (const [seed, lrAuc] of [[8, 0.301], [18, 0.656]] as const) {
      const syn = IndependentMarginals.fit(train, md, { seed }).sample(train.rowCount, seed);
      const u = utility(train, holdout, syn, md, 'income');
      expect(u.score('logistic_regression', 'synthetic').auc).toBeCloseTo(lrAuc, 3);
      expect(u.d.noRelation).toBe(true);
      expect(u.value).toBe(0.5);
      expect(u.d.gap).toBeCloseTo(u.d.bestTrtr! - 0.5, 12);
    }
  }, 120_000);
});
