import { describe, expect, it } from 'vitest';
import { GRID_LIMIT, octaveGridEdges, privateBounds } from '../../../src/privacy/mechanisms/privateBounds.js';
import { PrivacyLedger } from '../../../src/privacy/PrivacyLedger.js';
import { Rng } from '../../../src/rng.js';

function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

describe('octaveGridEdges', () => {
  it('is symmetric, sorted, includes 0 and reaches beyond 1e15', () => {
    const e = octaveGridEdges();
    expect(e.length).toBe(2 * 71 + 1);
    expect(e[71]).toBe(0);
    for (let i = 1; i < e.length; i++) expect(e[i]!).toBeGreaterThan(e[i - 1]!);
    expect(e[e.length - 1]).toBe(GRID_LIMIT);
    expect(GRID_LIMIT).toBeGreaterThan(1e15);
    expect(e[0]).toBe(-GRID_LIMIT);
  });
});

describe('privateBounds', () => {
  it('covers the 0.5%..99.5% quantiles of a normal column, within a factor 4 of the covering octaves', () => {
    const rng = new Rng(11);
    const values = Array.from({ length: 20000 }, () => 1000 + 100 * rng.normal());
    const sorted = [...values].sort((a, b) => a - b);
    const q1 = quantile(sorted, 0.005);
    const q2 = quantile(sorted, 0.995);
    for (let seed = 0; seed < 20; seed++) {
      const r = privateBounds(values, { rho: 0.003, label: 'bounds:x' }, new Rng(seed));
      const { lo, hi } = r.bounds;
      expect(r.fallback).toBe(false);
      expect(lo).toBeLessThanOrEqual(q1);
      expect(hi).toBeGreaterThanOrEqual(q2);
      // the data lie in the octaves [512, 2048): one octave of margin, two on a heavy side, at most
      expect(lo).toBeGreaterThanOrEqual(128);
      expect(hi).toBeLessThanOrEqual(8192);
    }
  });

  it('handles negative and mixed-sign data and values beyond the grid', () => {
    const rng = new Rng(12);
    const values = Array.from({ length: 10000 }, () => -50 + 20 * rng.normal());
    const r = privateBounds(values, { rho: 0.01, label: 'b' }, new Rng(1));
    expect(r.bounds.lo).toBeLessThan(-100);
    expect(r.bounds.lo).toBeGreaterThanOrEqual(-512);
    // the 0.6% of positive values are too few to clear the threshold, and the margin never crosses 0
    expect(r.bounds.hi).toBeGreaterThanOrEqual(-4);
    expect(r.bounds.hi).toBeLessThan(64);
    const huge = Array.from({ length: 10000 }, (_, i) => (i % 2 ? 1e18 : -1e18));
    const h = privateBounds(huge, { rho: 0.01, label: 'b' }, new Rng(1));
    expect(h.bounds).toEqual({ lo: -GRID_LIMIT, hi: GRID_LIMIT });
  });

  it('always returns a usable range, near the data, even when no bin stands out of the noise; the spend is recorded', () => {
    // 300 rows of ages at a budget where a single octave holds ~4 noise stds (heart-cleveland's situation)
    const data = new Rng(5);
    const values = Array.from({ length: 300 }, () => Math.round(55 + 9 * data.normal()));
    let near = 0;
    for (let seed = 0; seed < 40; seed++) {
      const ledger = new PrivacyLedger({ epsilon: 1, delta: 1e-5 });
      const r = privateBounds(values, { rho: 2e-4, label: 'bounds:age', integer: true }, new Rng(seed));
      ledger.add(r.spend);
      expect(ledger.zcdpRho).toBeCloseTo(2e-4, 15);
      expect(r.spend.mechanism).toBe('gaussian');
      expect(Number.isFinite(r.bounds.lo) && Number.isFinite(r.bounds.hi) && r.bounds.hi > r.bounds.lo).toBe(true);
      if (r.bounds.lo <= 40 && r.bounds.hi >= 70 && r.bounds.hi <= 512 && r.bounds.lo >= 0) near++;
    }
    // measured: 35 of 40 seeds (seeds 0-39 on this commit); a wrong octave is possible at this budget
    expect(near).toBeGreaterThanOrEqual(32);
  });

  it('falls back to a range (never null) on five rows at a tiny budget', () => {
    const r = privateBounds([1, 2, 3, 4, 5], { rho: 0.001, label: 'bounds:small' }, new Rng(1));
    expect(r.fallback).toBe(true);
    expect(r.bounds.hi).toBeGreaterThan(r.bounds.lo);
    expect(Math.abs(r.bounds.lo)).toBeLessThan(GRID_LIMIT);
    expect(r.spend.rho).toBeCloseTo(0.001, 15);
  });

  it('keeps 0 as the lower bound of non-negative integers and reaches 1 from the zero bin', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 10 < 6 ? 0 : (i % 4) + 1));
    const r = privateBounds(values, { rho: 0.01, label: 'b', integer: true }, new Rng(2));
    expect(r.bounds.lo).toBe(0);
    expect(r.bounds.hi).toBeGreaterThanOrEqual(4);
    expect(r.bounds.hi).toBeLessThanOrEqual(32);
  });

  it('ignores missing values', () => {
    const values: Array<number | null> = [...Array.from({ length: 5000 }, (_, i) => 10 + (i % 10)), ...Array(5000).fill(null)];
    const r = privateBounds(values, { rho: 0.05, label: 'b' }, new Rng(3));
    expect(r.bounds.lo).toBeGreaterThanOrEqual(2);
    expect(r.bounds.lo).toBeLessThanOrEqual(10);
    expect(r.bounds.hi).toBeGreaterThanOrEqual(19);
    expect(r.bounds.hi).toBeLessThanOrEqual(128);
  });
});
