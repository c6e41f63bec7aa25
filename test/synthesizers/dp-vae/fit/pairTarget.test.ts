/**
 * pairTarget: a measured two-way table's target, projected onto non-negative counts before its interaction is shrunk.
 */
import { describe, expect, it } from 'vitest';
import { pairTarget, shrinkInteraction } from '../../../../src/synthesizers/dp-vae/fit/pairTarget.js';

describe('a measured pair target (pairTarget)', () => {
  // diagnosis (B, M) x texture (6 coarse bins) as measured on breast cancer at epsilon 1, seed 2 (456 rows, noise
  // std 61 a cell; printed from fitDecoderToMarginals while debugging a reversed relation): the real table has
  // every row in bins 0-1 and M's texture higher; the model (the decoder before the fit) spreads texture evenly
  const y = Float64Array.from([315, 45, -13, -60, 18, -49, 76, 72, -29, -24, -12, -128]);
  const model = Float64Array.from([31, 14, 32, 25, 26, 49, 51, 22, 52, 40, 42, 79].map((c) => c / 463));
  const g = (groups: number) => ({ group: Int32Array.from({ length: groups }, (_, i) => i), groups });
  const t = pairTarget({ y, std: 61, ga: g(2), gb: g(6) }, 456, model);
  it('is a distribution', () => {
    expect(t.every((v) => v >= 0)).toBe(true);
    expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
  it('does not reverse the relation, where the raw table would (its M row sums to -25)', () => {
    const high = (x: Float64Array, row: number) => {
      const r = x.slice(row * 6, row * 6 + 6);
      return (r[2]! + r[3]! + r[4]! + r[5]!) / r.reduce((a, b) => a + b, 0);
    };
    // raw: B gets more of its mass at high texture than M (reversed: M's texture is the higher one)
    const raw = shrinkInteraction(Float64Array.from(y, (c) => c / 456), model, 2, 6, (61 / 456) ** 2).shares;
    expect(high(raw, 0)).toBeGreaterThan(high(raw, 1) + 0.3);
    // projected: the interaction does not stand out of the noise, so no relation is planted either way
    expect(Math.abs(high(t, 0) - high(t, 1))).toBeLessThan(1e-9);
  });
});
