import { describe, expect, it } from 'vitest';
import { calibrateNoise, rhoForEpsilon } from '../../../src/privacy/analysis/calibrateNoise.js';
import { rdpSampledGaussian } from '../../../src/privacy/analysis/rdpSampledGaussian.js';
import { rdpToEpsilon } from '../../../src/privacy/analysis/rdpToEpsilon.js';
import { DEFAULT_ORDERS } from '../../../src/privacy/analysis/DEFAULT_ORDERS.js';
import { PrivacyError } from '../../../src/errors.js';

function epsilonOf(q: number, sigma: number, steps: number, delta: number, extraRho = 0): number {
  return rdpToEpsilon(DEFAULT_ORDERS, DEFAULT_ORDERS.map((a) => rdpSampledGaussian({ q, sigma, steps }, a) + a * extraRho), delta).epsilon;
}

describe('calibrateNoise', () => {
  const SETTINGS = [
    { epsilon: 1, delta: 1e-5, q: 0.01, steps: 1000 },
    { epsilon: 3, delta: 1e-6, q: 256 / 60000, steps: 14062 },
    { epsilon: 8, delta: 1e-5, q: 0.05, steps: 200 },
    { epsilon: 0.5, delta: 1e-7, q: 1, steps: 10 },
    { epsilon: 1, delta: 1e-5, q: 0.02, steps: 500, extraRho: 0.004 },
  ];

  it.each(SETTINGS)('meets the target and sigma * 0.99 does not (%o)', (t) => {
    const r = calibrateNoise(t);
    expect(epsilonOf(t.q, r.sigma, t.steps, t.delta, t.extraRho)).toBeLessThanOrEqual(t.epsilon);
    expect(r.epsilon).toBeLessThanOrEqual(t.epsilon);
    expect(epsilonOf(t.q, r.sigma * 0.99, t.steps, t.delta, t.extraRho)).toBeGreaterThan(t.epsilon);
    // and it is tight to the bisection tolerance
    expect(epsilonOf(t.q, r.sigma * (1 - 2e-4), t.steps, t.delta, t.extraRho)).toBeGreaterThan(t.epsilon);
  });

  it('recovers sigma = 1.1 from the MNIST epsilon 2.597 (Opacus get_noise_multiplier round trip)', () => {
    const r = calibrateNoise({ epsilon: 2.597, delta: 1e-5, q: 256 / 60000, steps: 14062 });
    expect(r.sigma).toBeGreaterThan(1.099);
    expect(r.sigma).toBeLessThan(1.101);
  });

  it('needs more noise when preprocessing already spent some rho', () => {
    const base = calibrateNoise({ epsilon: 1, delta: 1e-5, q: 0.01, steps: 1000 }).sigma;
    const withExtra = calibrateNoise({ epsilon: 1, delta: 1e-5, q: 0.01, steps: 1000, extraRho: 0.005 }).sigma;
    expect(withExtra).toBeGreaterThan(base);
  });

  it('throws E_BUDGET when preprocessing used the whole budget', () => {
    const rho = rhoForEpsilon(1, 1e-5);
    try {
      calibrateNoise({ epsilon: 1, delta: 1e-5, q: 0.01, steps: 100, extraRho: rho * 1.01 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PrivacyError);
      expect((e as PrivacyError).code).toBe('E_BUDGET');
    }
  });

  it('rejects invalid targets', () => {
    expect(() => calibrateNoise({ epsilon: 0, delta: 1e-5, q: 0.01, steps: 10 })).toThrow(PrivacyError);
    expect(() => calibrateNoise({ epsilon: 1, delta: 0, q: 0.01, steps: 10 })).toThrow(PrivacyError);
    expect(() => calibrateNoise({ epsilon: 1, delta: 1e-5, q: 0, steps: 10 })).toThrow(PrivacyError);
    expect(() => calibrateNoise({ epsilon: 1, delta: 1e-5, q: 0.01, steps: 0 })).toThrow(PrivacyError);
    expect(() => calibrateNoise({ epsilon: 1, delta: 1e-5, q: 0.01, steps: 10, extraRho: -1 })).toThrow(PrivacyError);
  });
});

describe('rhoForEpsilon', () => {
  it('is the largest rho that converts to at most epsilon', () => {
    for (const [eps, delta] of [[1, 1e-5], [0.3, 1e-6], [8, 1e-5], [2, 1e-9]] as const) {
      const rho = rhoForEpsilon(eps, delta);
      const at = (r: number) => rdpToEpsilon(DEFAULT_ORDERS, DEFAULT_ORDERS.map((a) => a * r), delta).epsilon;
      expect(at(rho)).toBeLessThanOrEqual(eps);
      expect(at(rho * (1 + 1e-6))).toBeGreaterThan(eps);
    }
  });

  it('is close to the continuous-order closed form (sqrt(eps + L) - sqrt(L))^2 (Bun & Steinke 2016 Prop 1.3 style)', () => {
    // With the classic conversion the optimum is rho = (sqrt(eps + ln(1/delta)) - sqrt(ln(1/delta)))^2; the Balle
    // conversion is tighter, so our rho must be at least that.
    const L = Math.log(1e5);
    expect(rhoForEpsilon(1, 1e-5)).toBeGreaterThanOrEqual((Math.sqrt(1 + L) - Math.sqrt(L)) ** 2);
  });

  it('throws E_BUDGET when epsilon is too small to spend anything', () => {
    expect(() => rhoForEpsilon(1e-4, 1e-12)).toThrow(PrivacyError);
  });
});
