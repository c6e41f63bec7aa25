import { describe, expect, it } from 'vitest';
import { noisyHistogram } from '../../../src/privacy/mechanisms/noisyHistogram.js';
import { Rng } from '../../../src/rng.js';
import { PrivacyError } from '../../../src/errors.js';

describe('noisyHistogram', () => {
  const values = [0, 0.5, 1, 1.5, 2, 2, 3, -1, 10, null, NaN, undefined, Infinity];
  // true: [0,1): 0, 0.5 → 2; [1,2): 1, 1.5 → 2; [2,3]: 2, 2, 3 → 3; below: -1; above: 10, Infinity; missing: 3

  it('bins correctly (huge rho, so noise is negligible)', () => {
    const h = noisyHistogram(values, [0, 1, 2, 3], { rho: 1e12, label: 'h' }, new Rng(1));
    expect(h.counts.map((c) => Math.round(c))).toEqual([2, 2, 3]);
    expect(Math.round(h.below)).toBe(1);
    expect(Math.round(h.above)).toBe(2);
    expect(Math.round(h.missing)).toBe(3);
  });

  it('is unbiased before clamping and has std 1/sqrt(2 rho)', () => {
    const rho = 0.02;
    const big = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 0.5 : 1.5));
    let sum = 0;
    let sumSq = 0;
    const trials = 3000;
    for (let s = 0; s < trials; s++) {
      const c = noisyHistogram(big, [0, 1, 2], { rho, label: 'h' }, new Rng(s)).counts[0]!;
      sum += c;
      sumSq += c * c;
    }
    const mean = sum / trials;
    const sd = Math.sqrt(sumSq / trials - mean * mean);
    expect(Math.abs(mean - 500)).toBeLessThan(4 * (5 / Math.sqrt(trials)) + 0.1);
    expect(sd / 5).toBeGreaterThan(0.93);
    expect(sd / 5).toBeLessThan(1.07);
  });

  it('clamps at 0 and records a gaussian spend', () => {
    const h = noisyHistogram([], [0, 1, 2, 3, 4, 5], { rho: 0.001, label: 'hist:age' }, new Rng(2));
    expect(h.counts.every((c) => c >= 0)).toBe(true);
    expect(h.spend).toMatchObject({ label: 'hist:age', mechanism: 'gaussian' });
    expect(h.spend.rho).toBeCloseTo(0.001, 15);
  });

  it('rejects bad edges', () => {
    expect(() => noisyHistogram([1], [0], { rho: 1, label: 'h' }, new Rng(1))).toThrow(PrivacyError);
    expect(() => noisyHistogram([1], [0, 0], { rho: 1, label: 'h' }, new Rng(1))).toThrow(PrivacyError);
    expect(() => noisyHistogram([1], [0, Infinity], { rho: 1, label: 'h' }, new Rng(1))).toThrow(PrivacyError);
  });
});
