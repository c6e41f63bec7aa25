import { describe, expect, it } from 'vitest';
import { rdpSampledGaussian, rdpSampledGaussianCurve } from '../../../src/privacy/analysis/rdpSampledGaussian.js';
import { DEFAULT_ORDERS } from '../../../src/privacy/analysis/DEFAULT_ORDERS.js';
import { PrivacyError } from '../../../src/errors.js';

/** ln(e^a + e^b) */
const logAdd = (a: number, b: number) => {
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
};

/**
 * Independent reference: integrate the RDP definition numerically, without any series.
 * mu0 = N(0, s^2), mu = (1-q) N(0, s^2) + q N(1, s^2); mu(x)/mu0(x) = (1-q) + q exp((2x - 1) / (2 s^2)).
 * forward:  D_alpha(mu || mu0) = ln E_{mu0}[(mu/mu0)^alpha] / (alpha - 1)
 * reverse:  D_alpha(mu0 || mu) = ln E_{mu0}[(mu0/mu)^(alpha-1)] / (alpha - 1)
 * The trapezoid rule on a fine uniform grid is exponentially accurate for these smooth, rapidly decaying
 * integrands; the sum is taken in log space.
 */
function rdpByQuadrature(q: number, s: number, alpha: number, direction: 'forward' | 'reverse'): number {
  const lo = -30 * s;
  const hi = alpha + 30 * s + 1;
  const h = s / 200;
  const power = direction === 'forward' ? alpha : 1 - alpha;
  let logSum = -Infinity;
  for (let x = lo; x <= hi; x += h) {
    const logPhi = -(x * x) / (2 * s * s) - Math.log(s * Math.sqrt(2 * Math.PI));
    const logRatio = logAdd(Math.log1p(-q), Math.log(q) + (2 * x - 1) / (2 * s * s));
    logSum = logAdd(logSum, logPhi + power * logRatio);
  }
  return (logSum + Math.log(h)) / (alpha - 1);
}

const CASES: Array<[number, number, number]> = [
  // q, sigma, alpha: integer and fractional orders, small and large q, small and large sigma
  [0.01, 1, 2],
  [0.01, 1, 2.5],
  [0.01, 1, 8],
  [0.01, 1, 8.3],
  [0.1, 2, 3.7],
  [0.3, 0.8, 1.5],
  [0.05, 1.1, 20],
  [256 / 60000, 1.1, 8.1],
  [0.001, 0.7, 32],
  [0.5, 5, 4.5],
  [0.9, 3, 1.1],
  [0.5, 0.5, 2.5],
  [1e-3, 0.5, 10.5],
  [0.2, 10, 1.3],
];

describe('rdpSampledGaussian', () => {
  it.each(CASES)('matches numerical integration of the definition (q=%d, sigma=%d, alpha=%d)', (q, sigma, alpha) => {
    const ours = rdpSampledGaussian({ q, sigma }, alpha);
    const ref = rdpByQuadrature(q, sigma, alpha, 'forward');
    expect(Math.abs(ours - ref)).toBeLessThan(1e-7 * ref + 1e-12);
  });

  it.each(CASES)('the computed direction dominates the reverse divergence (q=%d, sigma=%d, alpha=%d)', (q, sigma, alpha) => {
    // Mironov et al. 2019, Theorem 5: D_alpha(mu0 || mu) <= D_alpha(mu || mu0); we report the larger one.
    const ours = rdpSampledGaussian({ q, sigma }, alpha);
    expect(rdpByQuadrature(q, sigma, alpha, 'reverse')).toBeLessThanOrEqual(ours * (1 + 1e-9) + 1e-14);
  });

  it('without subsampling is exactly steps * alpha / (2 sigma^2)', () => {
    for (const alpha of [1.5, 2, 7.3, 64]) {
      expect(rdpSampledGaussian({ q: 1, sigma: 1.3, steps: 17 }, alpha)).toBe((17 * alpha) / (2 * 1.3 * 1.3));
    }
  });

  it('is continuous between the fractional series and the integer expansion', () => {
    for (const [q, sigma] of [[0.01, 1], [0.2, 0.9], [256 / 60000, 1.1]] as const) {
      for (const k of [2, 3, 10, 11]) {
        const atInt = rdpSampledGaussian({ q, sigma }, k);
        expect(rdpSampledGaussian({ q, sigma }, k - 1e-9) / atInt).toBeCloseTo(1, 6);
        expect(rdpSampledGaussian({ q, sigma }, k + 1e-9) / atInt).toBeCloseTo(1, 6);
      }
    }
  });

  it('grows with alpha and shrinks with sigma', () => {
    const curve = rdpSampledGaussianCurve({ q: 0.02, sigma: 1, steps: 1 }, DEFAULT_ORDERS);
    for (let k = 1; k < curve.length; k++) expect(curve[k]!).toBeGreaterThanOrEqual(curve[k - 1]!);
    for (const alpha of [1.5, 4, 32]) {
      expect(rdpSampledGaussian({ q: 0.02, sigma: 1.5 }, alpha)).toBeLessThan(rdpSampledGaussian({ q: 0.02, sigma: 1 }, alpha));
    }
  });

  it('is finite, non-negative, non-decreasing in alpha and below the unsampled bound over a wide grid', () => {
    for (const q of [1e-6, 1e-3, 0.05, 0.3, 0.5, 0.9, 0.999999]) {
      for (const sigma of [0.05, 0.3, 0.8, 1.5, 5, 50, 300]) {
        const c = rdpSampledGaussianCurve({ q, sigma }, DEFAULT_ORDERS);
        for (let k = 0; k < c.length; k++) {
          const a = DEFAULT_ORDERS[k]!;
          expect(Number.isFinite(c[k]!) && c[k]! >= 0).toBe(true);
          if (k > 0) expect(c[k]!).toBeGreaterThanOrEqual(c[k - 1]! * (1 - 1e-9) - 1e-15);
          // subsampling can only help: never above the Gaussian's alpha / (2 sigma^2)
          expect(c[k]!).toBeLessThanOrEqual((a / (2 * sigma * sigma)) * (1 + 1e-9));
        }
      }
    }
  });

  it('scales linearly with steps and handles the special cases', () => {
    const one = rdpSampledGaussian({ q: 0.01, sigma: 1 }, 5);
    expect(rdpSampledGaussian({ q: 0.01, sigma: 1, steps: 1000 }, 5)).toBeCloseTo(1000 * one, 12);
    expect(rdpSampledGaussian({ q: 0, sigma: 1, steps: 10 }, 5)).toBe(0);
    expect(rdpSampledGaussian({ q: 0.5, sigma: 0, steps: 10 }, 5)).toBe(Infinity);
    expect(rdpSampledGaussian({ q: 0.5, sigma: 1, steps: 0 }, 5)).toBe(0);
  });

  it('rejects invalid parameters with a PrivacyError', () => {
    expect(() => rdpSampledGaussian({ q: 1.5, sigma: 1 }, 2)).toThrow(PrivacyError);
    expect(() => rdpSampledGaussian({ q: 0.1, sigma: -1 }, 2)).toThrow(PrivacyError);
    expect(() => rdpSampledGaussian({ q: 0.1, sigma: 1 }, 1)).toThrow(PrivacyError);
    expect(() => rdpSampledGaussian({ q: 0.1, sigma: 1, steps: 2.5 }, 2)).toThrow(PrivacyError);
    expect(() => rdpSampledGaussian({ q: NaN, sigma: 1 }, 2)).toThrow(PrivacyError);
  });
});
