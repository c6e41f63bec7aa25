/**
 * ROC analysis of attack / classifier scores: AUC (Mann-Whitney, ties count one half), the ROC curve,
 * TPR at a fixed FPR, a stratified bootstrap CI for the AUC, and an empirical epsilon lower bound.
 */
import type { Rng } from '../../rng.js';
import { clopperPearson } from './binomial.js';

/**
 * Area under the ROC curve of `scores` for binary `labels` (1 = positive), higher score = more positive.
 * Equals P(score_pos > score_neg) + 0.5 P(=). O(n log n).
 * @throws RangeError when one class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = sortedOrder(scores);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) throw new RangeError('rocAuc needs both classes');
  // Sum of (mid-)ranks of the positives.
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const v = scores[order[i]!]!;
    while (j + 1 < n && scores[order[j + 1]!]! === v) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[order[k]!] === 1) rankSum += midRank;
    i = j + 1;
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * One-sided permutation test of "the scores carry no information about the labels", for the mean of
 * one-vs-rest AUCs: column c scores every row for class `classes[c]` (AUC of label === classes[c] vs the
 * rest, ties one half, as `rocAuc`). The (integer) labels are shuffled `rounds` times (seeded) and the mean AUC
 * recomputed; p = (1 + #{shuffled >= observed}) / (rounds + 1), exact when the labels are exchangeable
 * given the scores (e.g. scores of a model fitted on other rows, labels independent of the features).
 * O(columns n log n + rounds n columns).
 * @throws RangeError when a column's class is absent or the only label.
 */
export function aucPermutationTest(columns: readonly ArrayLike<number>[], classes: readonly number[], labels: ArrayLike<number>, rng: Rng, rounds = 999): { auc: number; pValue: number } {
  const n = labels.length;
  const ranks = columns.map((s) => {
    const order = sortedOrder(s);
    const r = new Float64Array(n);
    let i = 0;
    while (i < n) {
      let j = i;
      while (j + 1 < n && s[order[j + 1]!]! === s[order[i]!]!) j++;
      for (let k = i; k <= j; k++) r[order[k]!] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  });
  const counts = classes.map((c) => {
    let p = 0;
    for (let i = 0; i < n; i++) if (labels[i] === c) p++;
    if (p === 0 || p === n) throw new RangeError('aucPermutationTest needs both classes in every column');
    return p;
  });
  const stat = (lab: ArrayLike<number>): number => {
    let sum = 0;
    for (let c = 0; c < classes.length; c++) {
      const cls = classes[c]!;
      const r = ranks[c]!;
      let rs = 0;
      for (let i = 0; i < n; i++) if (lab[i] === cls) rs += r[i]!;
      const p = counts[c]!;
      sum += (rs - (p * (p + 1)) / 2) / (p * (n - p));
    }
    return sum / classes.length;
  };
  const auc = stat(labels);
  const perm = Int32Array.from(labels);
  let atLeast = 0;
  for (let r = 0; r < rounds; r++) {
    rng.shuffle(perm);
    if (stat(perm) >= auc - 1e-12) atLeast++;
  }
  return { auc, pValue: (1 + atLeast) / (rounds + 1) };
}

function sortedOrder(scores: ArrayLike<number>): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  return order;
}

export interface RocCounts {
  /** True/false positives at each distinct threshold, from the strictest (0, 0) to the loosest (P, N). */
  tp: Int32Array;
  fp: Int32Array;
  nPos: number;
  nNeg: number;
}

/** Cumulative TP/FP counts as the threshold walks down the distinct scores. */
export function rocCounts(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCounts {
  const n = scores.length;
  const order = sortedOrder(scores).reverse();
  const tp: number[] = [0];
  const fp: number[] = [0];
  let t = 0;
  let f = 0;
  let i = 0;
  while (i < n) {
    const v = scores[order[i]!]!;
    while (i < n && scores[order[i]!]! === v) {
      if (labels[order[i]!] === 1) t++;
      else f++;
      i++;
    }
    tp.push(t);
    fp.push(f);
  }
  return { tp: Int32Array.from(tp), fp: Int32Array.from(fp), nPos: t, nNeg: f };
}

/** Largest TPR reachable with FPR <= maxFpr. */
export function tprAtFpr(c: RocCounts, maxFpr: number): number {
  let best = 0;
  for (let i = 0; i < c.tp.length; i++) if (c.fp[i]! / c.nNeg <= maxFpr + 1e-12) best = Math.max(best, c.tp[i]! / c.nPos);
  return best;
}

/** At most `maxPoints` (fpr, tpr) points of the curve, always keeping both ends, for plotting. */
export function rocCurvePoints(c: RocCounts, maxPoints = 101): { fpr: number[]; tpr: number[] } {
  const m = c.tp.length;
  const step = Math.max(1, (m - 1) / (maxPoints - 1));
  const fpr: number[] = [];
  const tpr: number[] = [];
  let last = -1;
  for (let k = 0; k < maxPoints; k++) {
    const i = Math.min(m - 1, Math.round(k * step));
    if (i === last) continue;
    last = i;
    fpr.push(round6(c.fp[i]! / c.nNeg));
    tpr.push(round6(c.tp[i]! / c.nPos));
    if (i === m - 1) break;
  }
  return { fpr, tpr };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Percentile bootstrap CI of the AUC, resampling positives and negatives separately (seeded). */
export function bootstrapAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, rng: Rng, rounds = 200, alpha = 0.05): [number, number] {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] === 1 ? pos : neg).push(scores[i]!);
  const n = pos.length + neg.length;
  const s = new Float64Array(n);
  const l = new Uint8Array(n);
  l.fill(1, 0, pos.length);
  const aucs = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < pos.length; i++) s[i] = pos[rng.int(pos.length)]!;
    for (let i = 0; i < neg.length; i++) s[pos.length + i] = neg[rng.int(neg.length)]!;
    aucs[r] = rocAuc(s, l);
  }
  aucs.sort();
  const q = (p: number) => aucs[Math.min(rounds - 1, Math.max(0, Math.floor(p * rounds)))]!;
  return [q(alpha / 2), q(1 - alpha / 2)];
}

/**
 * Empirical lower bound on epsilon from an attack's ROC (as in Jagielski et al. 2020, Nasr et al. 2021):
 * for each threshold, with Clopper-Pearson bounds TPR_lo and FPR_hi (two-sided 1 - alpha each),
 * eps >= max(log(TPR_lo / FPR_hi), log((1 - FPR_hi) / (1 - TPR_lo))); the maximum over thresholds, >= 0.
 * Caveat: taking the max over many thresholds makes the 95% statement per threshold, not simultaneous.
 */
export function empiricalEpsilon(c: RocCounts, alpha = 0.05): number {
  let best = 0;
  for (let i = 0; i < c.tp.length; i++) {
    const tprLo = clopperPearson(c.tp[i]!, c.nPos, alpha)[0];
    const fprHi = clopperPearson(c.fp[i]!, c.nNeg, alpha)[1];
    if (tprLo > 0 && fprHi > 0) best = Math.max(best, Math.log(tprLo / fprHi));
    if (tprLo < 1) best = Math.max(best, Math.log((1 - fprHi) / (1 - tprLo)));
  }
  return best;
}

/** An empirical epsilon lower bound and the threshold (operating point) that gave it. */
export interface EpsilonBound {
  /** Lower bound on epsilon, >= 0, holding with confidence `confidence` simultaneously over all thresholds tried. */
  epsilon: number;
  confidence: number;
  delta: number;
  /** Thresholds tried (the Bonferroni factor). */
  thresholds: number;
  /** The operating point of the bound: Clopper-Pearson TPR lower and FPR upper ends there. */
  tprLower: number;
  fprUpper: number;
}

/**
 * Empirical epsilon lower bound of a membership-inference attack, the privacy-auditing bound of
 * Jagielski et al. 2020 ("Auditing differentially private machine learning") and Nasr et al. 2021
 * ("Adversary instantiation"): an (eps, delta)-DP mechanism forces, for every threshold,
 *   TPR <= e^eps FPR + delta   and   1 - FPR <= e^eps (1 - TPR) + delta,
 * so with a Clopper-Pearson lower end TPR_lo and upper end FPR_hi,
 *   eps >= max( log((TPR_lo - delta) / FPR_hi), log((1 - delta - FPR_hi) / (1 - TPR_lo)) ).
 * Unlike `empiricalEpsilon`, the statement is simultaneous: at most `maxThresholds` evenly spaced
 * thresholds are tried and each one-sided bound is taken at level alpha / (2 T) (Bonferroni over the
 * 2 T bounds), so the maximum holds with confidence 1 - alpha. Members and non-members are treated as
 * independent trials, which is what a random train/holdout split gives (auditing with one training
 * run, Steinke, Nasr and Jagielski 2023). O(maxThresholds) Beta quantiles.
 */
export function empiricalEpsilonBound(c: RocCounts, opts: { alpha?: number; delta?: number; maxThresholds?: number } = {}): EpsilonBound {
  const alpha = opts.alpha ?? 0.05;
  const delta = opts.delta ?? 0;
  const m = c.tp.length;
  const T = Math.max(1, Math.min(opts.maxThresholds ?? 100, m));
  // clopperPearson(x, n, a) is two-sided: each end at a/2; a = alpha / T gives alpha / (2T) per end.
  const a = alpha / T;
  let best: EpsilonBound = { epsilon: 0, confidence: 1 - alpha, delta, thresholds: T, tprLower: 0, fprUpper: 1 };
  for (let t = 0; t < T; t++) {
    const i = T === m ? t : Math.round((t * (m - 1)) / Math.max(1, T - 1));
    const tprLo = clopperPearson(c.tp[i]!, c.nPos, a)[0];
    const fprHi = clopperPearson(c.fp[i]!, c.nNeg, a)[1];
    let e = 0;
    if (tprLo - delta > 0 && fprHi > 0) e = Math.max(e, Math.log((tprLo - delta) / fprHi));
    if (tprLo < 1 && 1 - delta - fprHi > 0) e = Math.max(e, Math.log((1 - delta - fprHi) / (1 - tprLo)));
    if (e > best.epsilon) best = { ...best, epsilon: e, tprLower: tprLo, fprUpper: fprHi };
  }
  return best;
}
