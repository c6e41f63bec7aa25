/**
 * pairTarget: a measured two-way table's target, projected onto non-negative counts before its interaction is shrunk.
 */
import { describe, expect, it } from 'vitest';
import { outerProduct, pairTarget, shrinkInteraction, withMargins } from '../../../../src/synthesizers/dp-vae/fit/pairTarget.js';
import { Rng } from '../../../../src/rng.js';

describe('a measured pair target (pairTarget)', () => {
  // diagnosis (B, M) x texture (6 coarse bins) as measured on breast cancer at epsilon 1, seed 2 (456 rows, noise
  // std 61 a cell; printed from fitDecoderToMarginals while debugging a reversed relation): the real table has
  // every row in bins 0-1 and M's texture higher; the model (the decoder before the fit) spreads texture evenly
  const y = Float64Array.from([315, 45, -13, -60, 18, -49, 76, 72, -29, -24, -12, -128]);
  const model = Float64Array.from([31, 14, 32, 25, 26, 49, 51, 22, 52, 40, 42, 79].map((c) => c / 463));
  // the margins the target is built on: the model's (its rows, its columns)
  const rows = Float64Array.from([0, 1], (i) => model.slice(i * 6, i * 6 + 6).reduce((a, b) => a + b, 0));
  const cols = Float64Array.from({ length: 6 }, (_, j) => model[j]! + model[6 + j]!);
  const t = pairTarget({ y, std: 61 }, 456, rows, cols);
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
    const raw = shrinkInteraction(Float64Array.from(y, (c) => c / 456), rows, cols, (61 / 456) ** 2).shares;
    expect(high(raw, 0)).toBeGreaterThan(high(raw, 1) + 0.3);
    // projected: the interaction does not stand out of the noise, so no relation is planted either way
    expect(Math.abs(high(t, 0) - high(t, 1))).toBeLessThan(1e-9);
  });
});

describe('a pair table on given margins (withMargins, outerProduct)', () => {
  // the breast cancer case (epsilon 1, seed 2, printed while debugging): the model put 62% of rows on "M", the
  // one-way release 37%; diagnosis (rows) x a 3-bin numeric column (columns)
  const model = Float64Array.from([0.257, 0.101, 0.023, 0.416, 0.164, 0.038]);
  const rows = Float64Array.from([0.63, 0.37]);
  const cols = Float64Array.from([0.5, 0.3, 0.2]);
  const q = withMargins(model, rows, cols);
  const margin = (t: Float64Array, axis: 0 | 1) => (axis === 0 ? [0, 1].map((i) => t[3 * i]! + t[3 * i + 1]! + t[3 * i + 2]!) : [0, 1, 2].map((j) => t[j]! + t[3 + j]!));
  it('has the given margins', () => {
    margin(q, 0).forEach((m, i) => expect(m).toBeCloseTo(rows[i]!, 9));
    margin(q, 1).forEach((m, j) => expect(m).toBeCloseTo(cols[j]!, 9));
  });
  it("keeps the table's odds ratios (its dependence)", () => {
    const or = (t: Float64Array, j: number) => (t[0]! * t[3 + j]!) / (t[j]! * t[3]!);
    for (const j of [1, 2]) expect(or(q, j)).toBeCloseTo(or(model, j), 9);
  });
  it('outerProduct is the independent table of its margins', () => {
    const o = outerProduct(rows, cols);
    expect(Array.from(o)).toEqual([0.63 * 0.5, 0.63 * 0.3, 0.63 * 0.2, 0.37 * 0.5, 0.37 * 0.3, 0.37 * 0.2]);
    // an independent table moved onto other margins is their outer product
    const moved = withMargins(outerProduct(Float64Array.from([0.9, 0.1]), Float64Array.from([0.2, 0.2, 0.6])), rows, cols);
    moved.forEach((x, k) => expect(x).toBeCloseTo(o[k]!, 12));
  });
});

describe("the interaction's shrink counts its degrees of freedom (shrinkInteraction)", () => {
  it('pure noise on a 2 x 3 table gives |I|^2 of about (2 - 1)(3 - 1) v, not 6 v (Monte Carlo, 4,000 tables)', () => {
    const rng = new Rng(8);
    const v = 1e-4;
    const truth = outerProduct(Float64Array.from([0.4, 0.6]), Float64Array.from([0.2, 0.3, 0.5]));
    let sum = 0;
    const n = 4000;
    for (let k = 0; k < n; k++) {
      const t = Float64Array.from(truth, (x) => x + Math.sqrt(v) * rng.normal());
      let tot = 0;
      const r = [0, 0];
      const c = [0, 0, 0];
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) (r[i]! += t[i * 3 + j]!), (c[j]! += t[i * 3 + j]!), (tot += t[i * 3 + j]!);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) sum += (t[i * 3 + j]! - (r[i]! * c[j]!) / tot) ** 2;
    }
    expect(sum / n / v).toBeGreaterThan(1.8);
    expect(sum / n / v).toBeLessThan(2.2);
  });
  it('a 2 x 2 interaction with |I|^2 = 2 v is kept at half (lambda 0.5), where counting the 4 cells dropped it', () => {
    const d = 0.05;
    const t = Float64Array.from([0.25 + d, 0.25 - d, 0.25 - d, 0.25 + d]);
    const v = (4 * d * d) / 2;
    const { lambda } = shrinkInteraction(t, Float64Array.from([0.5, 0.5]), Float64Array.from([0.5, 0.5]), v);
    expect(lambda).toBeCloseTo(0.5, 12);
  });
});
