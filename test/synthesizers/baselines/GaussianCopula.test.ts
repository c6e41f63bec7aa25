import { describe, expect, it } from 'vitest';
import { GaussianCopula, normalCdf, normalQuantile } from '../../../src/synthesizers/baselines/GaussianCopula.js';
import { SCHEMA_KIND, SCHEMA_VERSION, type Metadata } from '../../../src/metadata/Metadata.js';
import { Rng } from '../../../src/rng.js';
import type { Cell, Table } from '../../../src/table/Table.js';

const metadata: Metadata = {
  kind: SCHEMA_KIND,
  version: SCHEMA_VERSION,
  missingValues: [],
  trim: true,
  columns: [
    { name: 'x', type: 'numeric', action: 'keep', nullable: false },
    { name: 'y', type: 'numeric', action: 'keep', nullable: true },
    { name: 'group', type: 'categorical', action: 'keep', nullable: false },
  ],
};

/** y = x + small noise (exponential x, skewed); group = "high" when x is large. */
function table(n: number): Table {
  const rng = new Rng(9);
  const x: Cell[] = [];
  const y: Cell[] = [];
  const g: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const v = -Math.log(1 - rng.uniform());
    x.push(v);
    y.push(i % 20 === 0 ? null : v + 0.1 * rng.normal());
    g.push(v > 1.5 ? 'high' : 'low');
  }
  return { names: ['x', 'y', 'group'], columns: [x, y, g], rowCount: n };
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('GaussianCopula', () => {
  it('normal CDF and quantile agree with reference values (Abramowitz & Stegun table 26.1)', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 4);
    for (const u of [0.001, 0.2, 0.5, 0.77, 0.999]) expect(normalCdf(normalQuantile(u))).toBeCloseTo(u, 6);
  });

  it('keeps the marginals, the missing rate and the dependence between columns', () => {
    const m = GaussianCopula.fit(table(4000), metadata, { seed: 1 });
    const s = m.sample(8000, 2);
    const x = s.columns[0] as number[];
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(mean).toBeGreaterThan(0.9);
    expect(mean).toBeLessThan(1.1);
    const missing = s.columns[1]!.filter((v) => v === null).length / s.rowCount;
    expect(Math.abs(missing - 0.05)).toBeLessThan(0.01);
    const pairs = x.map((v, i) => [v, s.columns[1]![i]] as const).filter((p) => p[1] !== null);
    expect(pearson(pairs.map((p) => p[0]), pairs.map((p) => p[1] as number))).toBeGreaterThan(0.9);
    // group follows x: "high" rows have larger x on average
    const hi = x.filter((_, i) => s.columns[2]![i] === 'high');
    const lo = x.filter((_, i) => s.columns[2]![i] === 'low');
    expect(hi.reduce((a, b) => a + b, 0) / hi.length).toBeGreaterThan(lo.reduce((a, b) => a + b, 0) / lo.length + 0.8);
    const shareHigh = hi.length / s.rowCount; // P(Exp(1) > 1.5) = 0.223
    expect(Math.abs(shareHigh - 0.223)).toBeLessThan(0.03);
  });

  it('is deterministic for a seed', () => {
    const t = table(500);
    expect(GaussianCopula.fit(t, metadata, { seed: 3 }).sample(50, 4)).toEqual(GaussianCopula.fit(t, metadata, { seed: 3 }).sample(50, 4));
  });
});
