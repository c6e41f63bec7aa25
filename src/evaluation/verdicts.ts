/**
 * Verdicts per area: every criterion states its value and the thresholds it was judged by; an area
 * takes the worst verdict of its criteria. The thresholds are rules of thumb, written out in the report
 * so a reader can disagree with them.
 *
 * A verdict is a statistical statement where the value has a 95% interval (attack AUCs, Anonymeter
 * risks, the DCR share):
 *   fail          the whole interval is past the fail threshold (the evidence excludes "acceptable");
 *   inconclusive  the interval straddles the fail threshold (too few holdout rows to tell);
 *   warn          the interval excludes fail but the point estimate (or the whole interval) is past warn;
 *   pass          otherwise.
 * Order, worst last: not_evaluated < pass < warn < inconclusive < fail.
 *
 * Besides the thresholds, the membership attacks give an empirical lower bound on epsilon (privacy
 * auditing, Jagielski et al. 2020, Nasr et al. 2021; see empiricalEpsilonBound). It is always shown next
 * to the claimed epsilon; a bound above the claim, at 95% confidence, means the DP claim is false: the
 * privacy verdict fails and the audit says so loudly, as a bug.
 */
import type { AreaVerdict, Criterion, EvaluationReport, PrivacyAudit, Verdict } from './types.js';
import { clopperPearson } from './stats/binomial.js';
import type { AttackResult } from './metrics/membershipInference.js';
import { EPSILON_BOUND_CONFIDENCE } from './metrics/membershipInference.js';

export const THRESHOLDS = {
  qualityScore: { warn: 0.8, fail: 0.6 },
  detectionAuc: { warn: 0.8, fail: 0.95 },
  utilityGap: { warn: 0.05, fail: 0.15 },
  miaAuc: { warn: 0.55, fail: 0.6 },
  dcrShare: { warn: 0.55, fail: 0.6 },
  exactCopyExcess: { warn: 0.001, fail: 0.01 },
  attributeRisk: { warn: 0.05, fail: 0.2 },
  singlingOutRisk: { warn: 0.05, fail: 0.2 },
} as const;

const ORDER: Verdict[] = ['not_evaluated', 'pass', 'warn', 'inconclusive', 'fail'];

function judge(name: string, value: number | null, direction: 'above' | 'below', t: { warn: number; fail: number }, explanation: string): Criterion {
  let verdict: Verdict = 'not_evaluated';
  if (value !== null) {
    const bad = (x: number) => (direction === 'above' ? value > x : value < x);
    verdict = bad(t.fail) ? 'fail' : bad(t.warn) ? 'warn' : 'pass';
  }
  return { name, value, direction, warn: t.warn, fail: t.fail, verdict, explanation };
}

/** Judge a point estimate with its 95% interval (bad when above): see the rule at the top. */
export function judgeInterval(name: string, value: number | null, ci: [number, number] | null, t: { warn: number; fail: number }, explanation: string): Criterion {
  if (value === null || ci === null) return { name, value, direction: 'above', warn: t.warn, fail: t.fail, verdict: 'not_evaluated', explanation };
  const [lo, hi] = ci;
  const verdict: Verdict = lo > t.fail ? 'fail' : hi > t.fail ? 'inconclusive' : value > t.warn || lo > t.warn ? 'warn' : 'pass';
  return { name, value, direction: 'above', warn: t.warn, fail: t.fail, verdict, explanation, ci95: [lo, hi] };
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

/** Format an epsilon for people: 3 significant digits, never "2.5e+290G". */
export function formatEpsilon(e: number): string {
  if (!Number.isFinite(e)) return String(e);
  if (e === 0) return '0';
  if (e >= 1e4 || e < 1e-3) return e.toExponential(2);
  return Number(e.toPrecision(3)).toString();
}

/** The empirical epsilon lower bound of the strongest attack, set against the claim. */
export function privacyAudit(attacks: Pick<AttackResult, 'attack' | 'epsilonLowerBound'>[] | null, claimed: { epsilon: number; delta: number } | null): PrivacyAudit {
  const confidence = EPSILON_BOUND_CONFIDENCE;
  if (!attacks || attacks.length === 0) {
    return { claimed, empiricalEpsilonLowerBound: null, confidence, attack: null, contradictsClaim: false, statement: 'membership attacks did not run: no empirical epsilon bound' };
  }
  const best = attacks.reduce((a, b) => (b.epsilonLowerBound > a.epsilonLowerBound ? b : a));
  const bound = best.epsilonLowerBound;
  const pct = `${Math.round(confidence * 100)}%`;
  const contradicts = claimed !== null && bound > claimed.epsilon;
  const statement = claimed === null
    ? `empirical epsilon >= ${formatEpsilon(bound)} at ${pct} confidence (${best.attack} attack); no DP claim to check it against`
    : contradicts
      ? `BUG: the attacks prove epsilon >= ${formatEpsilon(bound)} at ${pct} confidence (${best.attack} attack), above the claimed epsilon ${formatEpsilon(claimed.epsilon)}: the differential-privacy claim is false. Please report it.`
      : `empirical epsilon >= ${formatEpsilon(bound)} at ${pct} confidence (${best.attack} attack), consistent with the claimed epsilon ${formatEpsilon(claimed.epsilon)} (a lower bound: it cannot confirm the claim, only refute it)`;
  return { claimed, empiricalEpsilonLowerBound: bound, confidence, attack: best.attack, contradictsClaim: contradicts, statement };
}

/** Effective trials of the DCR share: limited by the reference samples (train sample = holdout size). */
function dcrInterval(r: Inputs): [number, number] | null {
  const v = r.metrics.dcr_share?.value;
  const d = detail<{ sampleSize: number }>(r, 'dcr_share');
  if (v === null || v === undefined || !d) return null;
  const n = Math.max(1, d.sampleSize);
  return clopperPearson(Math.round(v * n), n);
}

/** Detection AUC, judged on its bootstrap interval when the evaluation gave one. */
function detectionCriterion(r: Inputs): Criterion {
  const v = r.metrics.detection?.value ?? null;
  const ci = detail<{ aucCi95?: [number, number] }>(r, 'detection')?.aucCi95 ?? null;
  const text = 'best classifier AUC telling real from synthetic; warn above 0.8, fail above 0.95';
  return ci ? judgeInterval('detection_auc', v, ci, THRESHOLDS.detectionAuc, `${text}, with the 95% bootstrap interval of its out-of-fold scores: fail when the whole interval is above 0.95, inconclusive when it straddles 0.95`) : judge('detection_auc', v, 'above', THRESHOLDS.detectionAuc, text);
}

export function computeVerdicts(r: Inputs, claimed: { epsilon: number; delta: number } | null = null): EvaluationReport['verdicts'] {
  const fidelity: Criterion[] = [
    judge('quality_score', r.quality.qualityScore, 'below', THRESHOLDS.qualityScore, 'mean of column shapes and pair trends; warn below 0.8, fail below 0.6'),
    detectionCriterion(r),
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
  const u = detail<{ gap: number | null; gapCi95?: [number, number] | null; primary: string }>(r, 'ml_utility');
  const gapText = `best TRTR minus best TSTR ${u?.primary === 'r2' ? 'R^2' : 'ROC AUC'} on the holdout; warn above 0.05, fail above 0.15 (not evaluated without --target)`;
  const utility: Criterion[] = [
    u?.gapCi95
      ? judgeInterval('ml_utility_gap', u.gap, u.gapCi95, THRESHOLDS.utilityGap, `${gapText}, with its 95% paired-bootstrap interval over the holdout rows: fail when the whole interval is above 0.15, inconclusive when it straddles 0.15 (too few holdout rows to tell)`)
      : judge('ml_utility_gap', u?.gap ?? null, 'above', THRESHOLDS.utilityGap, gapText),
  ];
  const mia = detail<{ attacks: AttackResult[] }>(r, 'membership_inference');
  const bestMia = mia?.attacks.length ? mia.attacks.reduce((a, b) => (b.auc > a.auc ? b : a)) : null;
  const exact = detail<{ excess: number }>(r, 'exact_copy_rate');
  const attr = detail<{ secrets: { risk: number; riskCi95: [number, number] }[] }>(r, 'attribute_inference');
  // over the secrets: the largest point, lower and upper ends (fail needs one secret's whole interval past fail)
  const attrCi: [number, number] | null = attr?.secrets.length ? [Math.max(...attr.secrets.map((x) => x.riskCi95[0])), Math.max(...attr.secrets.map((x) => x.riskCi95[1]))] : null;
  const single = detail<{ risk?: number; riskCi95: [number, number] }>(r, 'singling_out');
  const audit = privacyAudit(mia?.attacks ?? null, claimed);
  const privacy: Criterion[] = [
    judgeInterval('mia_auc', bestMia?.auc ?? null, bestMia?.aucCi95 ?? null, THRESHOLDS.miaAuc, 'ROC AUC of the best membership-inference attack (0.5 = no better than guessing), with its 95% bootstrap interval: fail when the whole interval is above 0.6, inconclusive when it straddles 0.6 (too few holdout rows to tell), warn above 0.55'),
    judgeInterval('dcr_share', r.metrics.dcr_share?.value ?? null, dcrInterval(r), THRESHOLDS.dcrShare, 'share of synthetic rows closer to train than to holdout (0.5 ideal), with a Clopper-Pearson 95% interval over as many trials as the smaller reference sample (an approximation): fail when the whole interval is above 0.6, inconclusive when it straddles 0.6, warn above 0.55'),
    judge('exact_copy_excess', exact ? exact.excess : null, 'above', THRESHOLDS.exactCopyExcess, 'exact_copy_rate minus the holdout baseline; warn above 0.001, fail above 0.01'),
    judgeInterval('attribute_inference_risk', r.metrics.attribute_inference?.value ?? null, attrCi, THRESHOLDS.attributeRisk, 'largest Anonymeter-style attribute-inference risk over the secret columns with the largest ends of their 95% intervals (with a baseline near 1 the ratio is unstable): fail when the whole interval is above 0.2, inconclusive when it straddles 0.2, warn above 0.05'),
    judgeInterval('singling_out_risk', r.metrics.singling_out?.value ?? single?.risk ?? null, single?.riskCi95 ?? null, THRESHOLDS.singlingOutRisk, 'Anonymeter-style univariate singling-out risk with its 95% interval: fail when the whole interval is above 0.2, inconclusive when it straddles 0.2, warn above 0.05'),
  ];
  if (claimed !== null) {
    privacy.push({
      name: 'empirical_epsilon_lower_bound',
      value: audit.empiricalEpsilonLowerBound,
      direction: 'above',
      warn: claimed.epsilon,
      fail: claimed.epsilon,
      verdict: audit.empiricalEpsilonLowerBound === null ? 'not_evaluated' : audit.contradictsClaim ? 'fail' : 'pass',
      explanation: `lower bound on epsilon from the membership attacks (Clopper-Pearson, ${Math.round(audit.confidence * 100)}% simultaneous); above the claimed epsilon ${formatEpsilon(claimed.epsilon)} the DP claim is false (a bug)`,
    });
  }
  return { fidelity: area(fidelity), utility: area(utility), privacy: { ...area(privacy), audit } };
}
