import { describe, expect, it } from 'vitest';
import { erfc, logErfc } from '../../../src/privacy/analysis/logErfc.js';

// Reference values: erfc to 16 digits from the DLMF / mpmath (`mpmath.erfc(x)` at 30 digits, rounded).
const REFERENCE: Array<[number, number]> = [
  [-1, 1.8427007929497148],
  [0, 1],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [1.5, 0.033894853524689274],
  [2, 0.004677734981047266],
  [2.5, 0.000406952017444959],
  [3, 2.209049699858544e-5],
  [5, 1.5374597944280349e-12],
  [10, 2.088487583762545e-45],
];

describe('logErfc', () => {
  it.each(REFERENCE)('erfc(%d) matches the reference to 1e-14 relative', (x, ref) => {
    expect(Math.abs(erfc(x) / ref - 1)).toBeLessThan(1e-14);
    expect(Math.abs(logErfc(x) - Math.log(ref))).toBeLessThan(1e-14);
  });

  it('stays finite and accurate far in the tail where erfc underflows', () => {
    // erfc(30) = 2.5646562037561116e-393 (mpmath); below the smallest double.
    expect(logErfc(30)).toBeCloseTo(Math.log(2.5646562037561116) - 393 * Math.LN10, 10);
    // Asymptotic ln erfc(x) ≈ -x^2 - ln(x sqrt(pi)) + ln(1 - 1/(2x^2)) for x = 1e4
    const x = 1e4;
    expect(logErfc(x)).toBeCloseTo(-x * x - Math.log(x * Math.sqrt(Math.PI)) + Math.log1p(-1 / (2 * x * x)), 6);
  });

  it('is continuous across the method switch at x = 2', () => {
    const below = logErfc(2 - 1e-12);
    const above = logErfc(2);
    expect(Math.abs(below - above)).toBeLessThan(1e-10);
  });

  it('handles the limits', () => {
    expect(logErfc(Infinity)).toBe(-Infinity);
    expect(logErfc(-Infinity)).toBeCloseTo(Math.LN2, 15);
    expect(logErfc(-40)).toBeCloseTo(Math.LN2, 15);
    expect(Number.isNaN(logErfc(NaN))).toBe(true);
  });
});
