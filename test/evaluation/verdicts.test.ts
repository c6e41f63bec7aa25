/**
 * Verdicts a privacy officer can trust: fail only when the 95% interval is past the fail threshold,
 * inconclusive when it straddles it, and the empirical epsilon lower bound next to the claim (a bound
 * above the claim is reported as a bug). Attack results are constructed here, not measured.
 */
import { describe, expect, it } from 'vitest';
import { computeVerdicts, formatEpsilon, judgeInterval, privacyAudit } from '../../src/evaluation/verdicts.js';
import { empiricalEpsilonBound, rocCounts } from '../../src/evaluation/stats/roc.js';
import { budgetStrength, formatBudgetNumber } from '../../src/privacy/budgetStrength.js';
import type { EvaluationReport } from '../../src/evaluation/types.js';

const T = { warn: 0.55, fail: 0.6 };

describe('judgeInterval', () => {
  it('fails only when the whole interval is above the fail threshold', () => {
    expect(judgeInterval('x', 0.7, [0.62, 0.78], T, '').verdict).toBe('fail');
    // the demo's case (issue 17): AUC 0.635, CI 0.54-0.73 on a 107-row holdout: not a fail
    expect(judgeInterval('x', 0.635, [0.54, 0.73], T, '').verdict).toBe('inconclusive');
    expect(judgeInterval('x', 0.57, [0.555, 0.585], T, '').verdict).toBe('warn');
    expect(judgeInterval('x', 0.52, [0.5, 0.58], T, '').verdict).toBe('pass');
    expect(judgeInterval('x', null, null, T, '').verdict).toBe('not_evaluated');
    expect(judgeInterval('x', 0.7, [0.62, 0.78], T, '').ci95).toEqual([0.62, 0.78]);
  });
});

/** Scores of an attack with `tp` of `n` members and `fp` of `n` non-members above its one threshold. */
function attack(n: number, tp: number, fp: number): { scores: Float64Array; labels: Uint8Array } {
  const scores = new Float64Array(2 * n);
  const labels = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    labels[i] = 1;
    scores[i] = i < tp ? 1 : 0;
    scores[n + i] = i < fp ? 1 : 0;
  }
  return { scores, labels };
}

describe('empiricalEpsilonBound', () => {
  it('is 0 for an attack that guesses, and grows with the evidence', () => {
    const useless = attack(500, 250, 250);
    expect(empiricalEpsilonBound(rocCounts(useless.scores, useless.labels)).epsilon).toBe(0);
    // TPR 0.5 at FPR 0.01 with 2,000 of each: log(0.5/0.01) = 3.9 is the point value; the bound is below it but well above 1
    const strong = attack(2000, 1000, 20);
    const b = empiricalEpsilonBound(rocCounts(strong.scores, strong.labels));
    expect(b.epsilon).toBeGreaterThan(2.5);
    expect(b.epsilon).toBeLessThan(Math.log(0.5 / 0.01));
    // the same rates on 50 rows each prove much less
    const small = attack(50, 25, 1);
    expect(empiricalEpsilonBound(rocCounts(small.scores, small.labels)).epsilon).toBeLessThan(b.epsilon - 1);
  });

  it('delta loosens the bound: TPR_lo - delta over FPR_hi', () => {
    const a = attack(2000, 1000, 20);
    const c = rocCounts(a.scores, a.labels);
    expect(empiricalEpsilonBound(c, { delta: 0.2 }).epsilon).toBeLessThan(empiricalEpsilonBound(c, { delta: 0 }).epsilon);
  });

  it('covers the truth: a mechanism with epsilon 1 (randomised response) is not refuted at 95% in 200 seeded trials', () => {
    // randomised response with epsilon 1: member says "1" with p = e/(1+e), non-member with 1/(1+e)
    let seed = 12345;
    const u = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const p = Math.E / (1 + Math.E);
    let refuted = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 200;
      const scores = new Float64Array(2 * n);
      const labels = new Uint8Array(2 * n);
      for (let i = 0; i < n; i++) {
        labels[i] = 1;
        scores[i] = u() < p ? 1 : 0;
        scores[n + i] = u() < 1 - p ? 1 : 0;
      }
      if (empiricalEpsilonBound(rocCounts(scores, labels)).epsilon > 1) refuted++;
    }
    expect(refuted / 200).toBeLessThanOrEqual(0.05);
  });
});

function inputs(mia: { auc: number; aucCi95: [number, number]; epsilonLowerBound: number }[]): Pick<EvaluationReport, 'quality' | 'metrics' | 'columns'> {
  return {
    quality: { qualityScore: 0.9, columnShapes: 0.9, pairTrends: 0.9, columns: [], pairs: [], pairsTotal: 0, pairSummary: null },
    columns: { evaluated: [{ name: 'a', type: 'numeric' }], missingFromSynthetic: [], unseenCategories: [] },
    metrics: {
      membership_inference: {
        name: 'membership_inference', kind: 'privacy', goal: 'target', range: [0, 1], description: '', seconds: 0,
        value: Math.max(...mia.map((m) => m.auc)),
        details: { attacks: mia.map((m, i) => ({ attack: i ? 'density_ratio' : 'distance', tprAtFpr1pct: 0, tprAtFpr01pct: 0, roc: { fpr: [], tpr: [] }, ...m })) },
      },
    },
  };
}

describe('computeVerdicts', () => {
  it('small holdout, borderline AUC: privacy inconclusive, not fail; the empirical bound is shown next to the claim', () => {
    const v = computeVerdicts(inputs([{ auc: 0.635, aucCi95: [0.54, 0.73], epsilonLowerBound: 0 }]), { epsilon: 1, delta: 1e-5 });
    expect(v.privacy.verdict).toBe('inconclusive');
    expect(v.privacy.audit!.empiricalEpsilonLowerBound).toBe(0);
    expect(v.privacy.audit!.contradictsClaim).toBe(false);
    expect(v.privacy.audit!.statement).toContain('claimed epsilon 1');
    expect(v.privacy.criteria.find((c) => c.name === 'empirical_epsilon_lower_bound')!.verdict).toBe('pass');
  });

  it('an empirical bound above the claimed epsilon is a failed privacy verdict reported as a bug', () => {
    const v = computeVerdicts(inputs([{ auc: 0.58, aucCi95: [0.56, 0.6], epsilonLowerBound: 0.1 }, { auc: 0.7, aucCi95: [0.68, 0.72], epsilonLowerBound: 1.8 }]), { epsilon: 1, delta: 1e-5 });
    expect(v.privacy.verdict).toBe('fail');
    expect(v.privacy.audit!.contradictsClaim).toBe(true);
    expect(v.privacy.audit!.attack).toBe('density_ratio');
    expect(v.privacy.audit!.statement).toMatch(/^BUG: .*epsilon >= 1\.8.*claimed epsilon 1/);
  });

  it('without a DP claim the bound is still reported, and judged by nothing', () => {
    const v = computeVerdicts(inputs([{ auc: 0.5, aucCi95: [0.45, 0.55], epsilonLowerBound: 0.3 }]), null);
    expect(v.privacy.verdict).toBe('pass');
    expect(v.privacy.audit!.empiricalEpsilonLowerBound).toBe(0.3);
    expect(v.privacy.audit!.statement).toContain('no DP claim');
    expect(v.privacy.criteria.some((c) => c.name === 'empirical_epsilon_lower_bound')).toBe(false);
  });

  it('a tight interval above the fail threshold fails', () => {
    expect(computeVerdicts(inputs([{ auc: 0.66, aucCi95: [0.63, 0.69], epsilonLowerBound: 0.5 }]), { epsilon: 1, delta: 1e-5 }).privacy.verdict).toBe('fail');
  });
});

describe('privacy budgets and their formatting', () => {
  it('formats epsilon sanely', () => {
    expect(formatEpsilon(1e300)).toBe('1.00e+300');
    expect(formatEpsilon(0.9999452)).toBe('1');
    expect(formatEpsilon(2.5)).toBe('2.5');
    expect(privacyAudit(null, null).empiricalEpsilonLowerBound).toBeNull();
    expect(formatBudgetNumber(0.01)).toBe('0.01');
    expect(formatBudgetNumber(2.5e290)).toBe('2.5e+290');
  });

  it('refuses epsilon > 10 and delta >= 1/rows, warns for delta > 1/(10 rows)', () => {
    expect(budgetStrength(10, 1e-5, 4000).refusals).toEqual([]);
    expect(budgetStrength(10.5, 1e-5, 4000).refusals).toHaveLength(1);
    expect(budgetStrength(1e300, 1e-5).refusals[0]).toContain('1e+300');
    // issue 17: --delta 0.01 on 4,000 rows (1/rows = 0.00025)
    expect(budgetStrength(1, 0.01, 4000).refusals[0]).toContain('1/rows');
    expect(budgetStrength(1, 1 / 4000, 4000).refusals).toHaveLength(1);
    const w = budgetStrength(1, 1e-4, 4000);
    expect(w.refusals).toEqual([]);
    expect(w.warnings).toHaveLength(1);
    expect(budgetStrength(1, 1e-5, 4000).warnings).toEqual([]);
  });
});
