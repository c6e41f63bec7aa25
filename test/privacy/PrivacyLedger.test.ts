import { describe, expect, it } from 'vitest';
import { PrivacyLedger } from '../../src/privacy/PrivacyLedger.js';
import { RdpAccountant } from '../../src/privacy/RdpAccountant.js';
import { calibrateNoise } from '../../src/privacy/analysis/calibrateNoise.js';
import { conversionTerm } from '../../src/privacy/analysis/rdpToEpsilon.js';
import { PrivacyError } from '../../src/errors.js';
import type { PrivacySpend } from '../../src/privacy/PrivacySpend.js';

const SPENDS: PrivacySpend[] = [
  { label: 'count:rows', mechanism: 'gaussian', rho: 0.0005 },
  { label: 'categories:city', mechanism: 'thresholded_gaussian_histogram', rho: 0.001, deltaSpent: 1e-7 },
  { label: 'bounds:income', mechanism: 'gaussian', rho: 0.001 },
  { label: 'train', mechanism: 'dp_sgd', sigma: 1.2, q: 0.01, steps: 800, clipNorm: 1 },
];

function ledgerWith(spends: PrivacySpend[], target = { epsilon: 3, delta: 1e-5 }): PrivacyLedger {
  const l = new PrivacyLedger(target);
  for (const s of spends) l.add(s);
  return l;
}

describe('PrivacyLedger', () => {
  it('total composes every entry like the accountant does', () => {
    const t = ledgerWith(SPENDS).total();
    const acc = new RdpAccountant().add({ kind: 'zcdp', rho: 0.0025, label: 'pre' }).step(1.2, 0.01, 800);
    const ref = acc.getEpsilon(1e-5 - 1e-7);
    expect(t.epsilon).toBeCloseTo(ref.epsilon, 12);
    expect(t.bestOrder).toBe(ref.bestOrder);
    expect(t.conversionDelta).toBeCloseTo(1e-5 - 1e-7, 18);
    expect(t.delta).toBe(1e-5);
    expect(t.accountant).toBe('rdp');
    expect(t.differentiallyPrivate).toBe(true);
  });

  it('attributions sum exactly to the total and follow rdp_i(alpha*) shares of the conversion term', () => {
    const t = ledgerWith(SPENDS).total();
    const sum = t.entries.reduce((a, e) => a + e.epsilonAttributed, 0);
    expect(Math.abs(sum - t.epsilon)).toBeLessThanOrEqual(1e-15 * t.epsilon);
    const rdpSum = t.entries.reduce((a, e) => a + e.rdpAtBestOrder, 0);
    const conv = conversionTerm(t.bestOrder!, t.conversionDelta);
    expect(rdpSum + conv).toBeCloseTo(t.epsilon, 12);
    for (const e of t.entries) expect(e.epsilonAttributed).toBeCloseTo(e.rdpAtBestOrder + (conv * e.rdpAtBestOrder) / rdpSum, 12);
    expect(t.entries.every((e) => e.epsilonAttributed > 0)).toBe(true);
  });

  it('merges consecutive DP-SGD steps with the same parameters', () => {
    const l = new PrivacyLedger({ epsilon: 3, delta: 1e-5 });
    for (let i = 0; i < 5; i++) l.add({ label: 'train', mechanism: 'dp_sgd', sigma: 1, q: 0.01, steps: 10, clipNorm: 1 });
    expect(l.entries).toHaveLength(1);
    expect((l.entries[0] as { steps: number }).steps).toBe(50);
  });

  it('an empty ledger spends nothing', () => {
    const t = new PrivacyLedger({ epsilon: 1, delta: 1e-5 }).total();
    expect(t.epsilon).toBe(0);
    expect(t.entries).toEqual([]);
  });

  it('a training sigma calibrated with planBudget-style inputs stays within budget; more noise-free steps do not', () => {
    const l = ledgerWith(SPENDS.slice(0, 3), { epsilon: 2, delta: 1e-5 });
    const { sigma } = calibrateNoise({ epsilon: 2, delta: 1e-5 - 1e-7, q: 0.01, steps: 1000, extraRho: l.zcdpRho });
    l.add({ label: 'train', mechanism: 'dp_sgd', sigma, q: 0.01, steps: 1000, clipNorm: 1 });
    expect(l.total().epsilon).toBeLessThanOrEqual(2);
    expect(() => l.assertWithinBudget()).not.toThrow();
    expect(l.canAfford({ label: 'train', mechanism: 'dp_sgd', sigma, q: 0.01, steps: 100, clipNorm: 1 })).toBe(false);
    l.add({ label: 'train', mechanism: 'dp_sgd', sigma, q: 0.01, steps: 100, clipNorm: 1 });
    try {
      l.assertWithinBudget();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PrivacyError);
      expect((e as PrivacyError).code).toBe('E_BUDGET');
      expect((e as PrivacyError).message).toMatch(/train/);
    }
  });

  it('is over budget when threshold deltas use up the whole delta', () => {
    const l = ledgerWith([{ label: 'c', mechanism: 'thresholded_gaussian_histogram', rho: 0.001, deltaSpent: 1e-5 }]);
    expect(l.total().epsilon).toBe(Infinity);
    expect(l.canAfford()).toBe(false);
    expect(() => l.assertWithinBudget()).toThrow(PrivacyError);
  });

  it('round-trips through JSON, recomputing totals', () => {
    const l = ledgerWith(SPENDS);
    const json = JSON.parse(JSON.stringify(l));
    expect(Object.keys(json)[0]).toBe('differentiallyPrivate');
    expect(json.differentiallyPrivate).toBe(true);
    expect(json.version).toBe(1);
    expect(json.entries[1].epsilonAttributed).toBeGreaterThan(0);
    const back = PrivacyLedger.fromJSON(json);
    expect(back.entries).toEqual(l.entries);
    expect(back.total()).toEqual(l.total());
    // a tampered total in the file is ignored
    expect(PrivacyLedger.fromJSON({ ...json, total: { epsilon: 0.01 } }).total().epsilon).toBe(l.total().epsilon);
  });

  it('fromJSON rejects another version or format and malformed entries', () => {
    const json = JSON.parse(JSON.stringify(ledgerWith(SPENDS)));
    for (const bad of [{ ...json, version: 2 }, { ...json, version: undefined }, { ...json, format: 'other' }]) {
      try {
        PrivacyLedger.fromJSON(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(PrivacyError);
        expect((e as PrivacyError).code).toBe('E_MODEL_VERSION');
      }
    }
    expect(() => PrivacyLedger.fromJSON({ ...json, entries: [{ label: 'x', mechanism: 'laplace', rho: 1 }] })).toThrow(PrivacyError);
    expect(() => PrivacyLedger.fromJSON({ ...json, entries: [{ label: 'x', mechanism: 'gaussian', rho: -1 }] })).toThrow(PrivacyError);
    expect(() => PrivacyLedger.fromJSON({ ...json, differentiallyPrivate: undefined })).toThrow(PrivacyError);
  });

  it('notPrivate serialises so nobody mistakes it for private', () => {
    const l = PrivacyLedger.notPrivate();
    expect(l.differentiallyPrivate).toBe(false);
    const json = JSON.parse(JSON.stringify(l));
    expect(Object.keys(json)[0]).toBe('differentiallyPrivate');
    expect(json).toMatchObject({ differentiallyPrivate: false, guarantee: 'none', target: null, version: 1 });
    expect(json.warning).toMatch(/NOT differentially private/);
    expect(JSON.stringify(json)).not.toMatch(/"epsilon"/);
    expect(l.total().epsilon).toBe(Infinity);
    expect(l.canAfford(SPENDS[0]!)).toBe(true);
    const back = PrivacyLedger.fromJSON(json);
    expect(back.differentiallyPrivate).toBe(false);
    expect(back.total().epsilon).toBe(Infinity);
  });

  it('rejects invalid targets and spends', () => {
    expect(() => new PrivacyLedger({ epsilon: 0, delta: 1e-5 })).toThrow(PrivacyError);
    expect(() => new PrivacyLedger({ epsilon: Infinity, delta: 1e-5 })).toThrow(PrivacyError);
    expect(() => new PrivacyLedger({ epsilon: 1, delta: 1 })).toThrow(PrivacyError);
    const l = new PrivacyLedger({ epsilon: 1, delta: 1e-5 });
    expect(() => l.add({ label: '', mechanism: 'gaussian', rho: 0.1 })).toThrow(PrivacyError);
    expect(() => l.add({ label: 'x', mechanism: 'dp_sgd', sigma: 1, q: 0.1, steps: 1.5, clipNorm: 1 })).toThrow(PrivacyError);
  });
});
