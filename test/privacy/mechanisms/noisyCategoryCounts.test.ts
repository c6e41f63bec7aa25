import { describe, expect, it } from 'vitest';
import { noisyCategoryCounts, noisyPublicCategoryCounts } from '../../../src/privacy/mechanisms/noisyCategoryCounts.js';
import { planBudget } from '../../../src/privacy/planBudget.js';
import { logUpperTail } from '../../../src/privacy/analysis/normalUpperQuantile.js';
import { Rng } from '../../../src/rng.js';
import { PrivacyError } from '../../../src/errors.js';

// 30 000 rows: two common categories and one that occurs in exactly one row.
const VALUES: string[] = [...Array(20000).fill('alpha'), ...Array(9999).fill('beta'), 'rare-once'];

// Budget typical for epsilon = 1: the whole preprocessing share of planBudget (10% of the rho for eps=1,
// delta=1e-5) spent on this one column, which is the least noise this column would ever get.
const PLAN = planBudget({ epsilon: 1, delta: 1e-5, thresholdDeltaShare: 0.1 });

describe('noisyCategoryCounts', () => {
  it('never releases a category that occurs in exactly 1 row of 30,000 (2000 seeds, eps=1 budget)', () => {
    let rareReleased = 0;
    let commonMissed = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const r = noisyCategoryCounts(VALUES, { rho: PLAN.preprocessingRho, deltaShare: PLAN.thresholdDelta, label: 'categories:x' }, new Rng(seed));
      const names = r.categories.map((c) => c.category);
      if (names.includes('rare-once')) rareReleased++;
      if (!names.includes('alpha') || !names.includes('beta')) commonMissed++;
    }
    expect(rareReleased).toBe(0);
    expect(commonMissed).toBe(0);
  });

  it('releases a single-row category with probability deltaShare (threshold direction check)', () => {
    const deltaShare = 0.2;
    const r0 = noisyCategoryCounts(['x'], { rho: 0.01, deltaShare, label: 'c' }, new Rng(1));
    // P(1 + N(0, s^2) > tau) must be <= deltaShare (and equal up to rounding)
    expect(Math.exp(logUpperTail((r0.threshold - 1) / r0.std))).toBeLessThanOrEqual(deltaShare);
    expect(Math.exp(logUpperTail((r0.threshold - 1) / r0.std))).toBeCloseTo(deltaShare, 10);
    let released = 0;
    const trials = 4000;
    for (let seed = 0; seed < trials; seed++) {
      if (noisyCategoryCounts(['x', 'y', 'y'], { rho: 0.01, deltaShare, label: 'c' }, new Rng(seed)).categories.some((c) => c.category === 'x')) released++;
    }
    // binomial(4000, 0.2): mean 800, sd ~25
    expect(released / trials).toBeGreaterThan(0.17);
    expect(released / trials).toBeLessThan(0.23);
  });

  it('reports rho, the extra delta and noisy (not raw) counts, sorted by name', () => {
    const r = noisyCategoryCounts(['b', 'a', ...Array(500).fill('b'), ...Array(500).fill('a'), null], { rho: 0.005, deltaShare: 1e-6, label: 'categories:x' }, new Rng(3));
    expect(r.categories.map((c) => c.category)).toEqual(['a', 'b']);
    expect(r.categories[0]!.count).not.toBe(501);
    expect(Math.abs(r.categories[0]!.count - 501)).toBeLessThan(6 * r.std);
    expect(r.std).toBeCloseTo(1 / Math.sqrt(0.01), 12);
    expect(r.spend).toMatchObject({ label: 'categories:x', mechanism: 'thresholded_gaussian_histogram', deltaSpent: 1e-6 });
    expect(r.spend.rho).toBeCloseTo(0.005, 15);
    expect(JSON.stringify(r.spend)).not.toMatch(/"a"|"b"/);
  });

  it('is reproducible for a seed and independent of row order', () => {
    const vals = ['x', 'y', 'x', 'z', 'y', 'x', ...Array(300).fill('w')];
    const a = noisyCategoryCounts(vals, { rho: 0.5, deltaShare: 1e-3, label: 'c' }, new Rng(9));
    const b = noisyCategoryCounts([...vals].reverse(), { rho: 0.5, deltaShare: 1e-3, label: 'c' }, new Rng(9));
    expect(a).toEqual(b);
  });

  it('rejects a missing delta share', () => {
    expect(() => noisyCategoryCounts(['a'], { rho: 0.1, deltaShare: 0, label: 'c' }, new Rng(1))).toThrow(PrivacyError);
    expect(() => noisyCategoryCounts(['a'], { rho: 0, deltaShare: 1e-6, label: 'c' }, new Rng(1))).toThrow(PrivacyError);
  });
});

describe('noisyPublicCategoryCounts', () => {
  it('counts every declared category (even absent ones), pools the rest into other, spends no delta', () => {
    const vals = [...Array(1000).fill('yes'), ...Array(500).fill('no'), 'typo', undefined];
    const r = noisyPublicCategoryCounts(vals, ['no', 'yes', 'maybe'], { rho: 0.5, label: 'categories:answer' }, new Rng(5));
    expect(r.counts.map((c) => c.category)).toEqual(['no', 'yes', 'maybe']);
    expect(r.counts[1]!.count).toBeGreaterThan(1000 - 6);
    expect(r.counts[1]!.count).toBeLessThan(1000 + 6);
    expect(r.counts[2]!.count).toBeGreaterThanOrEqual(0);
    expect(r.other).toBeLessThan(1 + 6);
    expect(r.spend.mechanism).toBe('gaussian');
    expect(r.spend.deltaSpent).toBeUndefined();
    expect(JSON.stringify(r)).not.toMatch(/typo/);
  });

  it('rejects duplicate declared categories', () => {
    expect(() => noisyPublicCategoryCounts(['a'], ['a', 'a'], { rho: 0.1, label: 'c' }, new Rng(1))).toThrow(PrivacyError);
  });
});
