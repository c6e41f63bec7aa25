import { describe, expect, it } from 'vitest';
import { GRID_LIMIT, privateBounds, signedLogGridEdges } from '../../../src/privacy/mechanisms/privateBounds.js';
import { Rng } from '../../../src/rng.js';

function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

describe('signedLogGridEdges', () => {
  it('is symmetric, sorted, includes 0 and reaches beyond 1e15', () => {
    const e = signedLogGridEdges();
    expect(e.length).toBe(2 * 361 + 1);
    expect(e[361]).toBe(0);
    for (let i = 1; i < e.length; i++) expect(e[i]!).toBeGreaterThan(e[i - 1]!);
    expect(e[e.length - 1]).toBe(GRID_LIMIT);
    expect(GRID_LIMIT).toBeGreaterThan(1e15);
    expect(e[0]).toBe(-GRID_LIMIT);
  });
});

describe('privateBounds', () => {
  it('covers the 0.5%..99.5% quantiles of a normal column to within one grid step', () => {
    const rng = new Rng(11);
    const values = Array.from({ length: 20000 }, () => 1000 + 100 * rng.normal());
    const sorted = [...values].sort((a, b) => a - b);
    const q1 = quantile(sorted, 0.005);
    const q2 = quantile(sorted, 0.995);
    for (let seed = 0; seed < 20; seed++) {
      const r = privateBounds(values, { rho: 0.003, label: 'bounds:x' }, new Rng(seed));
      expect(r.bounds).not.toBeNull();
      const { lo, hi } = r.bounds!;
      // conservative: covers the quantiles (allowing for the noise in the CDF: a bin of ±std)…
      expect(lo).toBeLessThanOrEqual(q1 * 1.05);
      expect(hi).toBeGreaterThanOrEqual(q2 / 1.05);
      // …but not absurdly wide
      expect(lo).toBeGreaterThan(q1 / 2 ** 0.5);
      expect(hi).toBeLessThan(q2 * 2 ** 0.5);
    }
  });

  it('handles negative and mixed-sign data and values beyond the grid', () => {
    const rng = new Rng(12);
    const values = Array.from({ length: 10000 }, () => -50 + 20 * rng.normal());
    const r = privateBounds(values, { rho: 0.01, label: 'b' }, new Rng(1));
    expect(r.bounds!.lo).toBeLessThan(-90);
    expect(r.bounds!.lo).toBeGreaterThan(-200);
    expect(r.bounds!.hi).toBeGreaterThan(-15);
    expect(r.bounds!.hi).toBeLessThan(20);
    const huge = Array.from({ length: 10000 }, (_, i) => (i % 2 ? 1e18 : -1e18));
    const h = privateBounds(huge, { rho: 0.01, label: 'b' }, new Rng(1));
    expect(h.bounds).toEqual({ lo: -GRID_LIMIT, hi: GRID_LIMIT });
  });

  it('returns null (but still reports its spend) when nothing stands out of the noise', () => {
    const r = privateBounds([1, 2, 3, 4, 5], { rho: 0.001, label: 'bounds:small' }, new Rng(1));
    expect(r.bounds).toBeNull();
    expect(r.spend.rho).toBeCloseTo(0.001, 15);
    expect(r.spend.mechanism).toBe('gaussian');
  });

  it('ignores missing values', () => {
    const values: Array<number | null> = [...Array.from({ length: 5000 }, (_, i) => 10 + (i % 10)), ...Array(5000).fill(null)];
    const r = privateBounds(values, { rho: 0.05, label: 'b' }, new Rng(3));
    expect(r.bounds!.lo).toBeGreaterThan(8);
    expect(r.bounds!.lo).toBeLessThanOrEqual(10);
    expect(r.bounds!.hi).toBeGreaterThanOrEqual(19);
    expect(r.bounds!.hi).toBeLessThan(23);
  });
});
