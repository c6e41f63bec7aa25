import { describe, expect, it } from 'vitest';
import { gaussianRho, gaussianStdForRho, pureDpToRho, zcdpRdp } from '../../../src/privacy/analysis/zcdp.js';
import { rdpSampledGaussian } from '../../../src/privacy/analysis/rdpSampledGaussian.js';
import { PrivacyError } from '../../../src/errors.js';

describe('zcdp (Bun & Steinke 2016)', () => {
  it('Gaussian: rho = D^2 / (2 s^2) and its inverse', () => {
    expect(gaussianRho(1, 10)).toBe(1 / 200);
    expect(gaussianRho(2, 10)).toBe(4 / 200);
    expect(gaussianStdForRho(1, gaussianRho(1, 7.5))).toBeCloseTo(7.5, 12);
    expect(gaussianRho(0, 1)).toBe(0);
    expect(gaussianRho(1, 0)).toBe(Infinity);
  });

  it('agrees with the un-subsampled Gaussian RDP alpha / (2 sigma^2)', () => {
    const rho = gaussianRho(1, 1.7);
    for (const a of [1.5, 2, 33]) expect(zcdpRdp(rho, a)).toBeCloseTo(rdpSampledGaussian({ q: 1, sigma: 1.7 }, a), 14);
  });

  it('pure eps-DP is eps^2/2-zCDP', () => {
    expect(pureDpToRho(1)).toBe(0.5);
    expect(pureDpToRho(0.2)).toBeCloseTo(0.02, 15);
  });

  it('rejects invalid inputs', () => {
    expect(() => gaussianStdForRho(1, 0)).toThrow(PrivacyError);
    expect(() => gaussianStdForRho(1, Infinity)).toThrow(PrivacyError);
    expect(() => gaussianRho(-1, 1)).toThrow(PrivacyError);
    expect(() => pureDpToRho(-1)).toThrow(PrivacyError);
  });
});
