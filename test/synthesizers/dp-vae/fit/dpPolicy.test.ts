/**
 * dp-vae's budget split from the DP row count (dpBudgetShares) and what a DP fit spends under it.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DP_DEFAULTS, dpBudgetShares, pairPlan, targetMarginalShare } from '../../../../src/synthesizers/dp-vae/fit/dpPolicy.js';
import { preprocessingShareFor, preprocessingUnits } from '../../../../src/synthesizers/fitPrivateEncoder.js';
import { planBudget } from '../../../../src/privacy/planBudget.js';
import { fit } from '../../../../src/jobs/fit.js';
import type { ColumnSpec } from '../../../../src/metadata/Metadata.js';
import { CPS } from '../../../helpers.js';

const num = (name: string): ColumnSpec => ({ name, type: 'numeric', action: 'keep', nullable: false });
const cat = (name: string): ColumnSpec => ({ name, type: 'categorical', action: 'keep', nullable: false });
// an Adult-like schema: 6 numeric, 9 categorical columns, nothing public
const ADULT_LIKE = [...['a', 'b', 'c', 'd', 'e', 'f'].map(num), ...['g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o'].map(cat)];

describe('dpBudgetShares', () => {
  it('keeps the large-table shares (preprocessing as preprocessingShareFor, marginals 0.15) at 26,000 rows x epsilon 1 and beyond', () => {
    for (const [rows, eps] of [[26_000, 1], [30_000, 1], [10_000, 3], [1_000_000, 0.5]] as const) {
      const s = dpBudgetShares(rows, eps, ADULT_LIKE);
      expect(s.t).toBe(0);
      expect(s.preprocessing).toBeCloseTo(preprocessingShareFor(ADULT_LIKE, DP_DEFAULTS.preprocessingShare), 12);
      expect(s.calibration).toBeCloseTo(DP_DEFAULTS.calibrationShare, 12);
    }
  });

  it('moves budget from DP-SGD to the marginals and preprocessing on small tables, never leaving DP-SGD under 8%', () => {
    const s = dpBudgetShares(400, 1, ADULT_LIKE);
    expect(s.t).toBe(1);
    const { units } = preprocessingUnits(ADULT_LIKE);
    expect(s.preprocessing).toBeCloseTo(Math.min(DP_DEFAULTS.maxPreprocessingShare, units / (units + 4.5 * ADULT_LIKE.length)), 12);
    expect(s.calibration).toBeCloseTo(Math.min(0.65, 1 - 0.08 - s.preprocessing), 12);
    expect(s.preprocessing + s.calibration).toBeLessThanOrEqual(1 - DP_DEFAULTS.minTrainingShare + 1e-12);
  });

  it('adds 0.2 for pairs with a prediction target, from the one-way marginals on small tables and from DP-SGD on large ones', () => {
    const small = dpBudgetShares(400, 1, ADULT_LIKE, { target: true });
    const plain = dpBudgetShares(400, 1, ADULT_LIKE);
    expect(plain.pairs).toBe(0);
    expect(small.pairs).toBe(DP_DEFAULTS.pairShare);
    expect(small.preprocessing).toBe(plain.preprocessing);
    expect(small.calibration).toBeCloseTo(Math.min(0.65, 1 - DP_DEFAULTS.minTrainingShare - small.preprocessing - small.pairs), 12);
    expect(small.preprocessing + small.calibration + small.pairs).toBeLessThanOrEqual(1 - DP_DEFAULTS.minTrainingShare + 1e-12);
    // UCI Adult's size (t = 0): pairs too, and the one-way marginals keep their share (DP-SGD pays)
    const adult = dpBudgetShares(26_048, 1, ADULT_LIKE, { target: true });
    const adultPlain = dpBudgetShares(26_048, 1, ADULT_LIKE);
    expect(adult.pairs).toBe(DP_DEFAULTS.pairShare);
    expect(adult.calibration).toBe(adultPlain.calibration);
    expect(adult.preprocessing).toBe(adultPlain.preprocessing);
    expect(1 - adult.preprocessing - adult.calibration - adult.pairs).toBeGreaterThanOrEqual(DP_DEFAULTS.minTrainingShare);
    expect(dpBudgetShares(26_048, 1, ADULT_LIKE).pairs).toBe(0);
  });

  it('gives wide tables pairs too (german credit: 21 columns, breast cancer: 31)', () => {
    const wide = Array.from({ length: 31 }, (_, i) => cat(`c${i}`));
    expect(dpBudgetShares(400, 1, wide.slice(0, 16), { target: true }).pairs).toBe(DP_DEFAULTS.pairShare);
    expect(dpBudgetShares(400, 1, wide, { target: true }).pairs).toBe(DP_DEFAULTS.pairShare);
    expect(dpBudgetShares(400, 1, wide, { target: true, pairs: 0.1 }).pairs).toBe(0.1);
    expect(dpBudgetShares(400, 1, wide).pairs).toBe(0);
  });

  it('pairPlan: every target pair, nothing chosen, at any width; columns - 1 chosen without a target, a third of the rho choosing', () => {
    expect(pairPlan(16, true, 0.3)).toEqual({ pairs: 15, rhoSelect: 0, rhoMeasure: 0.3 });
    expect(pairPlan(31, true, 0.3)).toEqual({ pairs: 30, rhoSelect: 0, rhoMeasure: 0.3 });
    expect(pairPlan(2, true, 0.3)).toEqual({ pairs: 1, rhoSelect: 0, rhoMeasure: 0.3 });
    const plain = pairPlan(10, false, 0.3);
    expect(plain.pairs).toBe(9);
    expect(plain.rhoSelect).toBeCloseTo(0.1, 15);
    expect(plain.rhoSelect + plain.rhoMeasure).toBeCloseTo(0.3, 15);
  });

  it('targetMarginalShare: a thresholded target on a small table gets at least 1/8 of the one-way budget, any other column 1/d', () => {
    const small = dpBudgetShares(456, 1, ADULT_LIKE).t;
    expect(targetMarginalShare(31, true, small)).toBe(DP_DEFAULTS.minTargetMarginalShare);
    expect(targetMarginalShare(31, false, small)).toBe(1 / 31);
    expect(targetMarginalShare(5, true, small)).toBe(1 / 5);
    expect(targetMarginalShare(8, true, small)).toBe(1 / 8);
    // UCI Adult's size: 1/d (t = 0)
    expect(targetMarginalShare(15, true, dpBudgetShares(26_048, 1, ADULT_LIKE).t)).toBe(1 / 15);
  });

  it('is monotone in rows x epsilon: fewer rows or a smaller epsilon never gives DP-SGD a larger share', () => {
    let last = -1;
    for (const m of [100, 400, 1000, 3000, 10_000, 26_000, 100_000]) {
      const s = dpBudgetShares(m, 1, ADULT_LIKE);
      const training = 1 - s.preprocessing - s.calibration;
      expect(training).toBeGreaterThanOrEqual(last - 1e-12);
      last = training;
      // the same product, another split of it into rows and epsilon: the same shares
      const o = dpBudgetShares(m / 4, 4, ADULT_LIKE);
      expect(o.calibration).toBeCloseTo(s.calibration, 12);
    }
  });
});

describe('a DP fit on the 534-row CPS table (nothing declared public)', () => {
  it('releases the row count first (1% of rho), spends the small-table marginal share, and the total stays within the budget', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-policy-'));
    await fit(CPS, { out: path.join(dir, 'model'), dp: { epsilon: 1, delta: 1e-5 }, epochs: 2, seed: 4 });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'model', 'manifest.json'), 'utf8'));
    const entries: { label: string; rho?: number; mechanism: string }[] = manifest.privacy.entries;
    const total = planBudget({ epsilon: 1, delta: 1e-5, thresholdDeltaShare: DP_DEFAULTS.thresholdDeltaShare }).totalRho;
    expect(entries[0]!.label).toBe('count:rows');
    expect(entries[0]!.rho!).toBeCloseTo(DP_DEFAULTS.countShare * total, 12);
    expect(entries.filter((e) => e.label === 'count:rows')).toHaveLength(1);
    // one-way marginals for calibration: far more than the large-table 15% on 534 rows, an equal part per column;
    // a categorical column's part is spent in its category release (its counts are its marginal): no marginal:
    // entry of its own, and a category release larger than that part
    const marginals = entries.filter((e) => e.label.startsWith('marginal:'));
    const categories = entries.filter((e) => e.label.startsWith('categories:'));
    expect(marginals.length).toBeGreaterThan(0);
    expect(categories.length).toBeGreaterThan(0);
    const each = marginals[0]!.rho!;
    for (const e of marginals) expect(e.rho!).toBeCloseTo(each, 12);
    for (const e of categories) {
      expect(e.rho!).toBeGreaterThan(each);
      expect(marginals.some((m) => m.label === `marginal:${e.label.slice('categories:'.length)}`)).toBe(false);
    }
    expect((each * (marginals.length + categories.length)) / total).toBeGreaterThan(0.4);
    expect(manifest.privacy.total.epsilon).toBeLessThanOrEqual(1);
    expect(manifest.privacy.total.epsilon).toBeGreaterThan(0.9);
  }, 120_000);
});
