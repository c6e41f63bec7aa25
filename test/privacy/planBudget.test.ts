import { describe, expect, it } from 'vitest';
import { planBudget } from '../../src/privacy/planBudget.js';
import { rhoForEpsilon } from '../../src/privacy/analysis/calibrateNoise.js';
import { PrivacyError } from '../../src/errors.js';

describe('planBudget', () => {
  it('splits delta and rho explicitly', () => {
    const p = planBudget({ epsilon: 1, delta: 1e-5, thresholdDeltaShare: 0.2 });
    expect(p.preprocessingShare).toBe(0.1);
    expect(p.thresholdDelta).toBeCloseTo(2e-6, 18);
    expect(p.conversionDelta).toBeCloseTo(8e-6, 18);
    expect(p.totalRho).toBe(rhoForEpsilon(1, p.conversionDelta));
    expect(p.preprocessingRho).toBeCloseTo(0.1 * p.totalRho, 15);
  });

  it('rejects shares outside [0, 1)', () => {
    expect(() => planBudget({ epsilon: 1, delta: 1e-5, thresholdDeltaShare: 1 })).toThrow(PrivacyError);
    expect(() => planBudget({ epsilon: 1, delta: 1e-5, preprocessingShare: 1, thresholdDeltaShare: 0 })).toThrow(PrivacyError);
    expect(() => planBudget({ epsilon: 1, delta: 1e-5, preprocessingShare: -0.1, thresholdDeltaShare: 0 })).toThrow(PrivacyError);
  });
});
