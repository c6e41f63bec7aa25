/**
 * MST: privacy accounting (every release a ledger entry, the total exactly the planned budget and never
 * above it), determinism, the stored state, and that a strong pairwise dependence is recovered where
 * independent marginals lose it.
 */
import { describe, expect, it } from 'vitest';
import { ModelError, PrivacyError } from '../../../src/errors.js';
import { SCHEMA_KIND, SCHEMA_VERSION, type Metadata } from '../../../src/metadata/Metadata.js';
import { PrivacyLedger } from '../../../src/privacy/PrivacyLedger.js';
import { planBudget } from '../../../src/privacy/planBudget.js';
import { Rng } from '../../../src/rng.js';
import type { Cell, Table } from '../../../src/table/Table.js';
import { fitMst, MstModel, mstPreprocessingShare, mstSynthesizer } from '../../../src/synthesizers/mst/MstSynthesizer.js';
import { IndependentMarginals } from '../../../src/synthesizers/baselines/IndependentMarginals.js';
import { binOf, columnDomain, decodeValue, domainSize } from '../../../src/synthesizers/mst/discretize.js';

const LEVELS = ['a', 'b', 'c', 'd'];
const metadata: Metadata = {
  kind: SCHEMA_KIND,
  version: SCHEMA_VERSION,
  missingValues: [],
  trim: true,
  columns: [
    { name: 'x', type: 'categorical', action: 'keep', nullable: false },
    { name: 'y', type: 'categorical', action: 'keep', nullable: false },
    { name: 'age', type: 'integer', action: 'keep', nullable: false, public: true, min: 0, max: 90 },
    { name: 'amount', type: 'numeric', action: 'keep', nullable: true },
    { name: 'flag', type: 'categorical', action: 'keep', nullable: false, public: true, categories: ['no', 'yes'] },
  ],
};

/** y copies x 90% of the time (else uniform); age depends on x; amount lognormal with 5% missing; flag independent. */
function table(n: number, seed = 1): Table {
  const rng = new Rng(seed).fork('mst-table');
  const cols: Cell[][] = [[], [], [], [], []];
  for (let i = 0; i < n; i++) {
    const x = rng.int(4);
    cols[0]!.push(LEVELS[x]!);
    cols[1]!.push(rng.uniform() < 0.9 ? LEVELS[x]! : LEVELS[rng.int(4)]!);
    cols[2]!.push(Math.max(0, Math.min(90, Math.round(20 + 15 * x + 5 * rng.normal()))));
    cols[3]!.push(rng.uniform() < 0.05 ? null : Math.round(Math.exp(3 + rng.normal()) * 100) / 100);
    cols[4]!.push(rng.uniform() < 0.3 ? 'yes' : 'no');
  }
  return { names: metadata.columns.map((c) => c.name), columns: cols, rowCount: n };
}

/** 1 - TVD of the joint distribution of two categorical columns. */
function pairSimilarity(a: Table, b: Table, p: string, q: string): number {
  const joint = (t: Table): Map<string, number> => {
    const m = new Map<string, number>();
    const cp = t.columns[t.names.indexOf(p)]!;
    const cq = t.columns[t.names.indexOf(q)]!;
    for (let i = 0; i < t.rowCount; i++) {
      const key = `${String(cp[i])}\u0000${String(cq[i])}`;
      m.set(key, (m.get(key) ?? 0) + 1 / t.rowCount);
    }
    return m;
  };
  const ja = joint(a);
  const jb = joint(b);
  let tvd = 0;
  for (const k of new Set([...ja.keys(), ...jb.keys()])) tvd += Math.abs((ja.get(k) ?? 0) - (jb.get(k) ?? 0));
  return 1 - tvd / 2;
}

const dp = { epsilon: 1, delta: 1e-5 };
const train = table(3000);

describe('fitMst privacy accounting', () => {
  it('records every release, spends exactly the planned budget and stays within it', () => {
    const ledger = new PrivacyLedger(dp);
    const m = fitMst(train, metadata, { dp, seed: 3, ledger });
    const d = 5;
    const entries = ledger.entries;
    const labels = entries.map((e) => e.label);
    // preprocessing: the row count, categories of x and y, bounds + histogram of amount, histogram of age (flag is public)
    expect(labels.filter((l) => !l.startsWith('mst:')).sort()).toEqual(['bounds:amount', 'categories:x', 'categories:y', 'count:rows', 'histogram:age', 'histogram:amount']);
    // x's and y's one-way parts are spent in their category releases (whose counts are their one-way marginals)
    expect(labels.filter((l) => l.startsWith('mst:one-way:')).sort()).toEqual(['mst:one-way:age', 'mst:one-way:amount', 'mst:one-way:flag']);
    const select = entries.filter((e) => e.label.startsWith('mst:select:'));
    const twoWay = entries.filter((e) => e.label.startsWith('mst:two-way:'));
    expect(select).toHaveLength(d - 1);
    expect(twoWay).toHaveLength(d - 1);
    expect(m.state.edges).toHaveLength(d - 1);
    // each exponential-mechanism round: rho = epsilon^2 / 8 of its own epsilon
    for (const e of select) {
      const eps = (e.params as { epsilon: number }).epsilon;
      expect(e.mechanism).toBe('zcdp');
      expect((e as { rho: number }).rho).toBeCloseTo((eps * eps) / 8, 15);
    }
    // the sum of the spends is the whole plan (preprocessing + the three thirds), a hair under it
    // units: count 1 + x, y categories 1.5 each + age histogram (public bounds) 2 + amount bounds and histogram 3 = 9
    // (flag is public); the share makes a 1.5-unit release as precise as a one-way marginal: 9 / (9 + 4.5 * 5)
    const share = mstPreprocessingShare(metadata.columns);
    expect(share).toBeCloseTo(9 / (9 + 22.5), 12);
    const plan = planBudget({ epsilon: 1, delta: 1e-5, preprocessingShare: share, thresholdDeltaShare: 0.1 });
    expect(ledger.zcdpRho).toBeLessThanOrEqual(plan.totalRho);
    expect(ledger.zcdpRho / plan.totalRho).toBeGreaterThan(1 - 1e-8);
    const sel = select.reduce((s, e) => s + (e as { rho: number }).rho, 0);
    const each = sel / d; // a column's part of the one-way third
    const preRho = entries.filter((e) => !e.label.startsWith('mst:')).reduce((s, e) => s + (e as { rho: number }).rho, 0);
    expect(preRho).toBeCloseTo(plan.preprocessingRho + 2 * each, 12);
    const oneWay = entries.filter((e) => e.label.startsWith('mst:one-way:')).reduce((s, e) => s + (e as { rho: number }).rho, 0);
    const two = twoWay.reduce((s, e) => s + (e as { rho: number }).rho, 0);
    expect(oneWay + 2 * each).toBeCloseTo(sel, 12);
    expect(two).toBeCloseTo(sel, 12);
    // delta: the thresholded category releases spend exactly the reserved share
    expect(ledger.deltaSpent).toBeCloseTo(1e-6, 18);
    const total = ledger.total();
    expect(total.epsilon).toBeLessThanOrEqual(1);
    expect(total.epsilon).toBeGreaterThan(0.999);
    expect(total.delta).toBeLessThanOrEqual(1e-5);
    expect(() => ledger.assertWithinBudget()).not.toThrow();
  });

  it('a single column spends everything after preprocessing on its one-way marginal', () => {
    const md: Metadata = { ...metadata, columns: [metadata.columns[2]!] };
    const t: Table = { names: ['age'], columns: [train.columns[2]!], rowCount: train.rowCount };
    const ledger = new PrivacyLedger(dp);
    fitMst(t, md, { dp, seed: 1, ledger });
    expect(ledger.entries.map((e) => e.label)).toEqual(['count:rows', 'histogram:age', 'mst:one-way:age']);
    expect(ledger.total().epsilon).toBeLessThanOrEqual(1);
    expect(ledger.total().epsilon).toBeGreaterThan(0.999);
  });

  it('with every bound and category declared public, preprocessing gets 0.05 (only the row count is needed)', () => {
    const pub = metadata.columns.map((c) => ({ ...c, public: true, ...(c.type === 'categorical' ? { categories: c.categories ?? LEVELS } : { min: 0, max: 1000 }) }));
    expect(mstPreprocessingShare(pub)).toBe(0.05);
  });

  it('refuses to fit without a budget', () => {
    expect(() => fitMst(train, metadata, { seed: 1, ledger: PrivacyLedger.notPrivate() })).toThrow(PrivacyError);
  });
});

describe('MST model', () => {
  it('same seed, same state and samples; another seed, others', () => {
    const fit = (seed: number): MstModel => fitMst(train, metadata, { dp, seed, ledger: new PrivacyLedger(dp) });
    const a = fit(5);
    const b = fit(5);
    expect(JSON.stringify(a.state)).toBe(JSON.stringify(b.state));
    expect(a.sample(500, 1)).toEqual(b.sample(500, 1));
    expect(a.sample(500, 1)).not.toEqual(a.sample(500, 2));
    expect(JSON.stringify(fit(6).state)).not.toBe(JSON.stringify(a.state));
  });

  it('round-trips its state through JSON and samples the same rows', () => {
    const m = fitMst(train, metadata, { dp, seed: 2, ledger: new PrivacyLedger(dp) });
    const loaded = mstSynthesizer.load(JSON.parse(JSON.stringify(m.state)), '/tmp/m');
    expect(loaded.sample(300, 4)).toEqual(m.sample(300, 4));
  });

  it('rejects a damaged state with a ModelError', () => {
    const m = fitMst(train, metadata, { dp, seed: 2, ledger: new PrivacyLedger(dp) });
    const s = JSON.parse(JSON.stringify(m.state));
    s.marginals.edges[0].pop();
    expect(() => mstSynthesizer.load(s, '/tmp/m')).toThrow(ModelError);
    expect(() => mstSynthesizer.load({ ...m.state, version: 99 }, '/tmp/m')).toThrow(/version/);
    const t = JSON.parse(JSON.stringify(m.state));
    const num = t.domains.findIndex((d: { kind: string }) => d.kind === 'numeric');
    t.domains[num].edges[1] = 'x';
    expect(() => mstSynthesizer.load(t, '/tmp/m')).toThrow(/domain is malformed/);
  });

  it('stores released values only: noisy row estimate, DP categories, the declared bounds', () => {
    const m = fitMst(train, metadata, { dp, seed: 2, ledger: new PrivacyLedger(dp) });
    expect(m.state.estimatedRows).not.toBe(train.rowCount);
    expect(Math.abs(m.state.estimatedRows - train.rowCount)).toBeLessThan(200);
    const age = m.state.domains.find((d) => d.name === 'age')!;
    expect(age.kind === 'numeric' && [age.edges[0], age.edges[age.edges.length - 1]]).toEqual([0, 90]);
    // amount's range is a DP estimate, not the data's exact min/max
    const amount = m.columns().find((c) => c.name === 'amount')!;
    const xs = train.columns[3]!.filter((v): v is number => v !== null);
    expect(amount.max).not.toBe(Math.max(...xs));
    expect(amount.decimals).toBeUndefined();
  });

  it('samples typed values inside the domains: categories, whole numbers in range, nulls only where nullable', () => {
    const m = fitMst(train, metadata, { dp, seed: 2, ledger: new PrivacyLedger(dp) });
    const s = m.sample(5000, 8);
    expect(s.names).toEqual(metadata.columns.map((c) => c.name));
    for (const v of s.columns[0]!) expect(LEVELS).toContain(v);
    for (const v of s.columns[2]!) expect(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 90).toBe(true);
    for (const v of s.columns[4]!) expect(['no', 'yes']).toContain(v);
  });

  it('recovers a strong pairwise dependence that independent marginals lose (epsilon 1, 3,000 rows)', () => {
    const holdout = table(20_000, 2);
    const m = fitMst(train, metadata, { dp, seed: 4, ledger: new PrivacyLedger(dp) });
    const names = m.state.domains.map((d) => d.name);
    expect(m.state.edges.map(([a, b]) => [names[a], names[b]].sort().join('-'))).toContain('x-y');
    const mst = pairSimilarity(m.sample(20_000, 1), holdout, 'x', 'y');
    const ind = pairSimilarity(IndependentMarginals.fit(train, metadata, { dp, seed: 4 }).sample(20_000, 1), holdout, 'x', 'y');
    // independent draws of x and y give 1 - 0.675 = 0.325 in expectation (see the table's construction)
    expect(ind).toBeLessThan(0.4);
    expect(mst).toBeGreaterThan(0.9);
  });
});

describe('discretize', () => {
  it('decodes every bin to a value that encodes back to it (integer and real layouts, missing code)', () => {
    const rng = new Rng(1);
    const specs = [
      { name: 'i', type: 'integer' as const, action: 'keep' as const, nullable: true, min: 3, max: 9 },
      { name: 'j', type: 'integer' as const, action: 'keep' as const, nullable: false, min: 0, max: 1000 },
      { name: 'r', type: 'numeric' as const, action: 'keep' as const, nullable: false, min: -2.5, max: 7 },
    ];
    for (const spec of specs) {
      const d = columnDomain(spec, 8);
      if (d.kind !== 'numeric') throw new Error('numeric expected');
      expect(d.layout).toBe(spec.name === 'i' ? 'values' : 'bounds');
      const k = domainSize(d);
      for (let c = 0; c < k; c++) {
        for (let rep = 0; rep < 20; rep++) {
          const v = decodeValue(d, c, rng);
          if (d.nullable && c === k - 1) {
            expect(v).toBeNull();
            continue;
          }
          expect(binOf(d, v as number), `${spec.name} bin ${c} value ${v}`).toBe(c);
          expect(v as number).toBeGreaterThanOrEqual(spec.min);
          expect(v as number).toBeLessThanOrEqual(spec.max);
          if (spec.type === 'integer') expect(Number.isInteger(v)).toBe(true);
        }
      }
      // the bounds have bins of their own
      expect(binOf(d, spec.min)).toBe(0);
      expect(binOf(d, spec.max)).toBe(d.edges.length - 2);
    }
  });
});
