import { describe, expect, it } from 'vitest';
import { logUpperTail, normalUpperQuantile } from '../../../src/privacy/analysis/normalUpperQuantile.js';

// Reference values: scipy.stats.norm.isf(p) (equivalently Phi^{-1}(1 - p)).
const REFERENCE: Array<[number, number]> = [
  [0.5, 0],
  [0.025, 1.959963984540054],
  [0.975, -1.959963984540054],
  [1e-6, 4.753424308822899],
  [1e-10, 6.361340902404056],
];

describe('normalUpperQuantile', () => {
  it.each(REFERENCE)('isf(%d) matches scipy', (p, z) => {
    expect(normalUpperQuantile(p)).toBeCloseTo(z, 10);
  });

  it('is never on the unsafe side: P(Z > z) <= p', () => {
    for (const p of [0.3, 0.01, 1e-5, 1e-9, 1e-20, 1e-100]) {
      const z = normalUpperQuantile(p);
      expect(logUpperTail(z)).toBeLessThanOrEqual(Math.log(p));
      expect(logUpperTail(z)).toBeGreaterThan(Math.log(p) - 1e-9);
    }
  });

  it('rejects p outside (0, 1)', () => {
    expect(() => normalUpperQuantile(0)).toThrow(RangeError);
    expect(() => normalUpperQuantile(1)).toThrow(RangeError);
  });
});
