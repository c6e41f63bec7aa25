import { describe, expect, it } from 'vitest';
import { noisyCount } from '../../../src/privacy/mechanisms/noisyCount.js';
import { Rng } from '../../../src/rng.js';
import { PrivacyError } from '../../../src/errors.js';

describe('noisyCount', () => {
  it('adds N(0, 1/(2 rho)) noise and records the spend', () => {
    const r = noisyCount(10000, { rho: 0.005, label: 'count:rows' }, new Rng(4));
    expect(r.std).toBeCloseTo(10, 12);
    expect(r.count).not.toBe(10000);
    expect(Math.abs(r.count - 10000)).toBeLessThan(60);
    expect(r.spend).toMatchObject({ label: 'count:rows', mechanism: 'gaussian' });
    expect(r.spend.rho).toBeCloseTo(0.005, 15);
  });

  it('clamps at zero and validates', () => {
    for (let s = 0; s < 50; s++) expect(noisyCount(0, { rho: 1e-4, label: 'c' }, new Rng(s)).count).toBeGreaterThanOrEqual(0);
    expect(() => noisyCount(-1, { rho: 1, label: 'c' }, new Rng(1))).toThrow(PrivacyError);
    expect(() => noisyCount(1.5, { rho: 1, label: 'c' }, new Rng(1))).toThrow(PrivacyError);
    expect(() => noisyCount(5, { rho: 0, label: 'c' }, new Rng(1))).toThrow(PrivacyError);
  });
});
