/**
 * Verdicts per area: every criterion states its value and the thresholds it was judged by; an area
 * takes the worst verdict of its criteria. The thresholds are rules of thumb, written out in the report
 * so a reader can disagree with them.
 */
import type { AreaVerdict, Criterion, EvaluationReport, Verdict } from './types.js';

export const THRESHOLDS = {
  qualityScore: { warn: 0.8, fail: 0.6 },
  detectionAuc: { warn: 0.8, fail: 0.95 },
  utilityGap: { warn: 0.05, fail: 0.15 },
  miaAuc: { warn: 0.55, fail: 0.6 },
  /** The CI's upper end alone can only warn: with few holdout rows it is wide whatever the model does. */
  miaAucUpper: { warn: 0.6, fail: 1 },
  dcrShare: { warn: 0.55, fail: 0.6 },
  exactCopyExcess: { warn: 0.001, fail: 0.01 },
  attributeRisk: { warn: 0.05, fail: 0.2 },
  singlingOutRisk: { warn: 0.05, fail: 0.2 },
  /** Point estimates of the Anonymeter risks: warn only (a risk cannot exceed 1). */
  riskPoint: { warn: 0.2, fail: 1 },
} as const;

const ORDER: Verdict[] = ['not_evaluated', 'pass', 'warn', 'fail'];

function judge(name: string, value: number | null, direction: 'above' | 'below', t: { warn: number; fail: number }, explanation: string): Criterion {
  let verdict: Verdict = 'not_evaluated';
  if (value !== null) {
    const bad = (x: number) => (direction === 'above' ? value > x : value < x);
    verdict = bad(t.fail) ? 'fail' : bad(t.warn) ? 'warn' : 'pass';
  }
  return { name, value, direction, warn: t.warn, fail: t.fail, verdict, explanation };
}

function area(criteria: Criterion[]): AreaVerdict {
  let v: Verdict = 'not_evaluated';
  for (const c of criteria) if (ORDER.indexOf(c.verdict) > ORDER.indexOf(v)) v = c.verdict;
  return { verdict: v, criteria };
}

type Inputs = Pick<EvaluationReport, 'quality' | 'metrics' | 'columns'>;

function detail<T>(r: Inputs, name: string): T | null {
  return (r.metrics[name]?.details as T | undefined) ?? null;
}

export function computeVerdicts(r: Inputs): EvaluationReport['verdicts'] {
  const fidelity: Criterion[] = [
    judge('quality_score', r.quality.qualityScore, 'below', THRESHOLDS.qualityScore, 'mean of column shapes and pair trends; warn below 0.8, fail below 0.6'),
    judge('detection_auc', r.metrics.detection?.value ?? null, 'above', THRESHOLDS.detectionAuc, 'best classifier AUC telling real from synthetic; warn above 0.8, fail above 0.95'),
  ];
  if (r.columns.missingFromSynthetic.length) {
    fidelity.push({
      name: 'columns_missing_from_synthetic',
      value: r.columns.missingFromSynthetic.length,
      direction: 'above',
      warn: 0,
      fail: r.columns.evaluated.length + r.columns.missingFromSynthetic.length,
      verdict: 'warn',
      explanation: `columns absent from the synthetic table (warn when any; all absent cannot be evaluated): ${r.columns.missingFromSynthetic.join(', ')}`,
    });
  }
  const u = detail<{ gap: number | null; primary: string }>(r, 'ml_utility');
  const utility: Criterion[] = [
    judge('ml_utility_gap', u?.gap ?? null, 'above', THRESHOLDS.utilityGap, `best TRTR minus best TSTR ${u?.primary === 'r2' ? 'R^2' : 'ROC AUC'} on the holdout; warn above 0.05, fail above 0.15 (not evaluated without --target)`),
  ];
  const mia = detail<{ attacks: { auc: number; aucCi95: [number, number] }[] }>(r, 'membership_inference');
  const exact = detail<{ excess: number }>(r, 'exact_copy_rate');
  const attr = detail<{ secrets: { riskCi95: [number, number] }[] }>(r, 'attribute_inference');
  const single = detail<{ riskCi95: [number, number] }>(r, 'singling_out');
  const privacy: Criterion[] = [
    judge('mia_auc', mia ? Math.max(...mia.attacks.map((a) => a.auc)) : null, 'above', THRESHOLDS.miaAuc, 'ROC AUC of the best membership-inference attack (0.5 = no better than guessing); warn above 0.55, fail above 0.6'),
    judge('mia_auc_upper_ci', mia ? Math.max(...mia.attacks.map((a) => a.aucCi95[1])) : null, 'above', THRESHOLDS.miaAucUpper, 'upper end of the 95% bootstrap CI of the best attack AUC; above 0.6 the test cannot rule out a leak (too few holdout rows or a borderline attack): warn, never fail on its own'),
    judge('dcr_share', r.metrics.dcr_share?.value ?? null, 'above', THRESHOLDS.dcrShare, 'share of synthetic rows closer to train than to holdout (0.5 ideal); warn above 0.55, fail above 0.6'),
    judge('exact_copy_excess', exact ? exact.excess : null, 'above', THRESHOLDS.exactCopyExcess, 'exact_copy_rate minus the holdout baseline; warn above 0.001, fail above 0.01'),
    // Risks are judged on the lower end of their 95% interval: a fail needs evidence, not a noisy point
    // estimate (with a baseline near 1 the Anonymeter ratio is unstable, e.g. education-num given education).
    judge('attribute_inference_risk', attr ? Math.max(...attr.secrets.map((x) => x.riskCi95[0])) : null, 'above', THRESHOLDS.attributeRisk, 'lower end of the 95% interval of the largest Anonymeter-style attribute-inference risk; warn above 0.05, fail above 0.2'),
    judge('attribute_inference_risk_point', r.metrics.attribute_inference?.value ?? null, 'above', THRESHOLDS.riskPoint, 'largest attribute-inference risk, point estimate: warns above 0.2, never fails on its own (see the interval)'),
    judge('singling_out_risk', single ? single.riskCi95[0] : null, 'above', THRESHOLDS.singlingOutRisk, 'lower end of the 95% interval of the Anonymeter-style univariate singling-out risk; warn above 0.05, fail above 0.2'),
    judge('singling_out_risk_point', r.metrics.singling_out?.value ?? null, 'above', THRESHOLDS.riskPoint, 'singling-out risk, point estimate: warns above 0.2, never fails on its own'),
  ];
  return { fidelity: area(fidelity), utility: area(utility), privacy: area(privacy) };
}
