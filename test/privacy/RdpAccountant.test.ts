import { describe, expect, it } from 'vitest';
import { RdpAccountant } from '../../src/privacy/RdpAccountant.js';
import { PrivacyError } from '../../src/errors.js';

describe('RdpAccountant', () => {
  it('merges consecutive identical steps and reproduces the MNIST epsilon (Opacus: 2.597)', () => {
    const acc = new RdpAccountant();
    for (let i = 0; i < 14062; i++) acc.step(1.1, 256 / 60000);
    expect(acc.entries).toEqual([{ kind: 'subsampled_gaussian', sigma: 1.1, q: 256 / 60000, steps: 14062 }]);
    const r = acc.getEpsilon(1e-5);
    expect(r.epsilon).toBeGreaterThan(2.597 * 0.99);
    expect(r.epsilon).toBeLessThan(2.597 * 1.01);
    expect(r.delta).toBe(1e-5);
  });

  it('does not merge different parameters and composes zCDP entries at every order', () => {
    const acc = new RdpAccountant().step(1, 0.01, 10).step(2, 0.01, 5).step(1, 0.01, 3);
    expect(acc.entries.length).toBe(3);
    const before = acc.getEpsilon(1e-6).epsilon;
    acc.add({ kind: 'zcdp', rho: 0.01, label: 'bounds' });
    const rdpAfter = acc.getRdp([2, 10]);
    const rdpBefore = new RdpAccountant().step(1, 0.01, 10).step(2, 0.01, 5).step(1, 0.01, 3).getRdp([2, 10]);
    expect(rdpAfter[0]! - rdpBefore[0]!).toBeCloseTo(0.02, 12);
    expect(rdpAfter[1]! - rdpBefore[1]!).toBeCloseTo(0.1, 12);
    expect(acc.getEpsilon(1e-6).epsilon).toBeGreaterThan(before);
  });

  it('adds extra deltas to the reported delta only', () => {
    const acc = new RdpAccountant().step(1, 0.01, 100).addDelta('categories:city', 1e-7);
    const r = acc.getEpsilon(1e-6);
    expect(r.conversionDelta).toBe(1e-6);
    expect(r.delta).toBeCloseTo(1.1e-6, 18);
    expect(r.epsilon).toBe(new RdpAccountant().step(1, 0.01, 100).getEpsilon(1e-6).epsilon);
  });

  it('an empty accountant spends nothing', () => {
    expect(new RdpAccountant().getEpsilon(1e-5).epsilon).toBe(0);
  });

  it('round-trips through JSON and checks mechanism and version', () => {
    const acc = new RdpAccountant().step(1.3, 0.02, 50).add({ kind: 'zcdp', rho: 0.003, label: 'counts' }).addDelta('t', 1e-8);
    const json = JSON.parse(JSON.stringify(acc));
    expect(json.mechanism).toBe('rdp');
    expect(json.version).toBe(1);
    const back = RdpAccountant.fromJSON(json);
    expect(back.entries).toEqual(acc.entries);
    expect(back.getEpsilon(1e-5)).toEqual(acc.getEpsilon(1e-5));
    expect(() => RdpAccountant.fromJSON({ ...json, mechanism: 'prv' })).toThrow(PrivacyError);
    expect(() => RdpAccountant.fromJSON({ ...json, version: 2 })).toThrow(/version/);
    expect(() => RdpAccountant.fromJSON({ ...json, history: [{ kind: 'laplace' }] })).toThrow(PrivacyError);
    expect(() => RdpAccountant.fromJSON(null)).toThrow(PrivacyError);
  });

  it('rejects invalid steps', () => {
    expect(() => new RdpAccountant().step(-1, 0.1)).toThrow(PrivacyError);
    expect(() => new RdpAccountant().step(1, 2)).toThrow(PrivacyError);
    expect(() => new RdpAccountant().addDelta('x', 1)).toThrow(PrivacyError);
  });
});
