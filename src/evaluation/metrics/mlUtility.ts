/**
 * ml_utility: train on synthetic, test on holdout (TSTR), next to train on train, test on holdout (TRTR),
 * with logistic/ridge regression and gradient-boosted trees; features = the other evaluated columns.
 * Classification (categorical/boolean target): ROC AUC (binary; macro one-vs-rest over the classes that
 * occur in the holdout for multiclass) and accuracy. Regression (numeric target): R^2.
 * Rows with a missing target are left out. The headline is the best TSTR score of the primary measure
 * (AUC or R^2); details give every model and the gap TRTR - TSTR.
 *
 * Relation check (classification). A model fitted to synthetic rows whose target is independent of the
 * features has learned nothing, yet its TSTR AUC is not near 0.5: its coefficients are noise, i.e. a random
 * direction in feature space, and on the real holdout, where the features do predict the target, a random
 * direction ranks the rows by a random mix of real signal. The AUC is that mix's, anywhere in (1 - a, a) for
 * a the best AUC a direction can reach, and it does not shrink with more synthetic rows (the direction stays
 * random while the coefficients shrink). On UCI Adult, independent-marginals synthetic data give logistic
 * regression TSTR AUCs of mean 0.49, sd 0.11, range 0.30-0.67 over 30 seeds (gradient boosting: mean
 * 0.51, sd 0.06). A bootstrap interval over the holdout does not catch it (it measures test noise, not the fit's).
 * So each model trained on synthetic is also fitted on 80% of the synthetic rows (stratified by class) and
 * scored on the other 20%. Under "no relation" the held-out labels are exchangeable given the fitted scores,
 * so a label-permutation test of that AUC is exact; when its p-value is above 0.05 / (number of models)
 * (Bonferroni: the headline takes the best model) the synthetic rows show no relation this model learns.
 * Such a model's TSTR AUC stays in the details but is left out of the headline; when no model shows a
 * relation the headline is chance level, 0.5 (what a model without information scores in expectation),
 * with a NO_RELATION warning. R^2 needs no such check: predictions from a noise fit shrink to the mean and
 * give R^2 <= ~0, never a good-looking score. Cost: one more fit per classification model.
 */
import type { Rng } from '../../rng.js';
import { fitPredict, MODEL_NAMES, type ModelName } from '../models/fitPredict.js';
import { takePrepared, type PreparedData, type PreparedTable } from '../prepare.js';
import { aucPermutationTest, rocAuc } from '../stats/roc.js';
import { sampleIndices } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, Warning } from '../types.js';
import { EvaluationError } from '../../errors.js';
import * as msg from '../../messages.js';

export const descriptor: MetricDescriptor = {
  name: 'ml_utility',
  kind: 'utility',
  goal: 'maximize',
  range: [-1, 1],
  description: 'Train on synthetic, test on holdout (TSTR) vs train on train (TRTR): ROC AUC (classification) or R^2 (regression), best model whose fit finds a relation in the synthetic rows (none: 0.5, chance).',
};

/** Bootstrap rounds of the gap's interval. */
export const GAP_BOOTSTRAP_ROUNDS = 200;

/** Classes of a categorical target predicted at most (the most frequent in train; the rest pooled). */
export const MAX_TARGET_CLASSES = 20;
/** Label of the pooled class of a target with more than MAX_TARGET_CLASSES classes. */
export const POOLED_CLASS = '(other classes)';

/** Share of the synthetic rows (per class) held out by the relation check. */
export const RELATION_CHECK_SHARE = 0.2;
/** Label permutations of the relation check's test (p-value resolution 0.001). */
export const RELATION_PERMUTATIONS = 999;

/** A model fitted on 80% of the synthetic rows, scored on the other 20% (see the module comment). */
export interface RelationCheck {
  /** ROC AUC (macro one-vs-rest for multiclass) on the held-out synthetic rows. */
  auc: number;
  /**
   * One-sided permutation p-value of "no relation" (the held-out labels shuffled RELATION_PERMUTATIONS
   * times): how often an AUC at least this high arises when the labels carry no information.
   */
  pValue: number;
  /**
   * pValue <= 0.05 / (models trained on synthetic): the synthetic rows carry a relation this model learns.
   * The headline takes the best model, so the level is Bonferroni-corrected to keep the chance of any false
   * "relation" at 5%.
   */
  detected: boolean;
  fitRows: number;
  testRows: number;
}

export interface UtilityScore {
  model: ModelName;
  trainedOn: 'synthetic' | 'train';
  auc?: number | null;
  accuracy?: number;
  r2?: number;
  /**
   * Classification models trained on synthetic only: does the synthetic table itself carry a relation this
   * model learns? null when it could not be checked (a class with too few rows to hold any out).
   */
  withinSynthetic?: RelationCheck | null;
  seconds: number;
}

export interface UtilityDetails {
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  primary: 'auc' | 'r2';
  /** Classes as predicted (the last one pooled when `classesTotal` is set). */
  classes?: string[];
  /** Classes of the target when more than MAX_TARGET_CLASSES (then `classes` ends with the pooled one). */
  classesTotal?: number;
  testRows: number;
  scores: UtilityScore[];
  /**
   * Best TSTR score over the models whose relation check did not fail; 0.5 (chance) when every model trained
   * on synthetic finds no relation in it (then `noRelation` is true).
   */
  bestTstr: number | null;
  bestTrtr: number | null;
  /** Classification: no model finds a relation between the target and the features in the synthetic rows. */
  noRelation: boolean;
  /**
   * 95% interval of the gap: paired bootstrap (GAP_BOOTSTRAP_ROUNDS) of the holdout rows with the best model
   * of each side fixed; null when it could not be computed.
   */
  gapCi95: [number, number] | null;
  /** bestTrtr - bestTstr: how much is lost by training on synthetic data. */
  gap: number | null;
}

function rowsWithTarget(t: PreparedTable, j: number): number[] {
  const v = t.values[j]!;
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) if (v instanceof Float64Array ? v[i] === v[i] : v[i]! >= 0) out.push(i);
  return out;
}

/** Macro one-vs-rest AUC over classes present (with both positives and negatives) in y. */
export function macroAuc(probs: Float64Array, y: ArrayLike<number>, K: number): number | null {
  const n = y.length;
  const aucs: number[] = [];
  for (let k = 0; k < K; k++) {
    const lab = new Uint8Array(n);
    let pos = 0;
    for (let i = 0; i < n; i++) pos += lab[i] = y[i] === k ? 1 : 0;
    if (pos === 0 || pos === n) continue;
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) s[i] = probs[i * K + k]!;
    aucs.push(rocAuc(s, lab));
  }
  return aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : null;
}

/** Row indices split per class: about `share` of each class (none of a class with fewer than 2 rows) to `test`. */
export function stratifiedSplit(y: ArrayLike<number>, share: number, rng: Rng): { fit: number[]; test: number[] } {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    let rows = byClass.get(c);
    if (!rows) byClass.set(c, (rows = []));
    rows.push(i);
  }
  const fit: number[] = [];
  const test: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.fork(`class:${c}`).shuffle(byClass.get(c)!) as number[];
    const k = rows.length >= 2 ? Math.max(1, Math.round(share * rows.length)) : 0;
    test.push(...rows.slice(0, k));
    fit.push(...rows.slice(k));
  }
  fit.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  return { fit, test };
}

export function compute(data: PreparedData, target: string, opts: { maxRows: number }, rng: Rng): MetricOutput & { details: UtilityDetails | null } {
  const warnings: Warning[] = [];
  const j = data.columns.findIndex((c) => c.name === target);
  if (j < 0) throw new EvaluationError(msg.targetNotEvaluatedColumn(target), { location: { column: target } });
  const col = data.columns[j]!;
  const features = data.columns.map((_, i) => i).filter((i) => i !== j);
  if (features.length === 0) {
    warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: msg.ML_UTILITY_NO_FEATURES });
    return { value: null, details: null, warnings };
  }
  const pick = (t: PreparedTable, label: string): PreparedTable => {
    let idx = rowsWithTarget(t, j);
    if (idx.length < t.n) warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: msg.mlUtilityLeavesOut(t.n - idx.length, label) });
    if (idx.length > opts.maxRows) {
      idx = Array.from(sampleIndices(idx.length, opts.maxRows, rng.fork(label)), (k) => idx[k]!);
      warnings.push({ code: 'SUBSAMPLED', metric: descriptor.name, message: msg.mlUtilitySubsample(opts.maxRows, label) });
    }
    return takePrepared(t, idx);
  };
  const syn = pick(data.synthetic, 'synthetic');
  const tr = pick(data.train, 'train');
  const ho = pick(data.holdout, 'holdout');
  if (syn.n < 2 || tr.n < 2 || ho.n < 2) {
    warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: msg.ML_UTILITY_TOO_FEW_ROWS });
    return { value: null, details: null, warnings };
  }
  const scores: UtilityScore[] = [];
  /** Each score's holdout predictions, for the gap's interval. */
  const predictions = new Map<UtilityScore, Float64Array>();
  let task: UtilityDetails['task'];
  let classes: string[] | undefined;
  let classesTotal: number | undefined;
  let K = 0;
  let remap: (t: PreparedTable) => Float64Array;
  if (col.kind === 'num') {
    task = 'regression';
    remap = (t) => Float64Array.from(t.values[j] as Float64Array);
  } else {
    // Classes: the codes that occur in train/holdout/synthetic, in code order; beyond MAX_TARGET_CLASSES
    // the most frequent in train are kept and the rest pooled into one class (a 10,000-level target would
    // need n x 10,000 probabilities and 10,000 one-vs-rest boosted models).
    const present = new Set<number>();
    for (const t of [tr, ho, syn]) for (const c of t.values[j] as Int32Array) present.add(c);
    let codes = [...present].sort((a, b) => a - b);
    const index = new Map(codes.map((c, k) => [c, k]));
    classesTotal = codes.length;
    if (codes.length > MAX_TARGET_CLASSES) {
      const count = new Map<number, number>();
      for (const c of tr.values[j] as Int32Array) count.set(c, (count.get(c) ?? 0) + 1);
      const kept = [...codes].sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0) || a - b).slice(0, MAX_TARGET_CLASSES - 1).sort((a, b) => a - b);
      index.clear();
      for (const c of codes) index.set(c, kept.length);
      kept.forEach((c, k) => index.set(c, k));
      warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: msg.mlUtilityPooledClasses(target, codes.length, kept.length, codes.length - kept.length, POOLED_CLASS) });
      codes = kept;
    }
    classes = codes.map((c) => col.categories[c]!);
    if (classesTotal > codes.length) classes.push(POOLED_CLASS);
    K = classes.length;
    task = K <= 2 ? 'binary' : 'multiclass';
    remap = (t) => Float64Array.from(t.values[j] as Int32Array, (c) => index.get(c)!);
    if (K < 2) {
      warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: msg.mlUtilitySingleClass(target) });
      return { value: null, details: null, warnings };
    }
  }
  const yTest = remap(ho);
  const split = task === 'regression' ? null : stratifiedSplit(remap(syn), RELATION_CHECK_SHARE, rng.fork('relation-split'));
  const relationCheck = (model: ModelName, ySyn: Float64Array): RelationCheck | null => {
    const { fit: fi, test: ti } = split!;
    const yA = Float64Array.from(fi, (i) => ySyn[i]!);
    const yB = Float64Array.from(ti, (i) => ySyn[i]!);
    if (new Set(yA).size < 2 || new Set(yB).size < 2) return null;
    const p = fitPredict({ model, task, nClasses: Math.max(K, 2), columns: data.columns, features, fit: takePrepared(syn, fi), y: yA, test: takePrepared(syn, ti) });
    // binary: P(class 1) against label 1; multiclass: one-vs-rest per class held out with both labels (as macroAuc)
    const cols: Float64Array[] = [];
    const cls: number[] = [];
    if (task === 'binary') {
      cols.push(p);
      cls.push(1);
    } else {
      const count = new Int32Array(K);
      for (const v of yB) count[v]++;
      for (let k = 0; k < K; k++) {
        if (count[k] === 0 || count[k] === yB.length) continue;
        cols.push(Float64Array.from({ length: yB.length }, (_, i) => p[i * K + k]!));
        cls.push(k);
      }
    }
    const t = aucPermutationTest(cols, cls, yB, rng.fork(`relation-permutations:${model}`), RELATION_PERMUTATIONS);
    return { auc: t.auc, pValue: t.pValue, detected: t.pValue <= 0.05 / MODEL_NAMES.length, fitRows: fi.length, testRows: ti.length };
  };
  for (const [trainedOn, fit] of [['synthetic', syn], ['train', tr]] as const) {
    const yFit = remap(fit);
    for (const model of MODEL_NAMES) {
      const t0 = performance.now();
      const s: UtilityScore = { model, trainedOn, seconds: 0 };
      if (task !== 'regression' && new Set(yFit).size < 2) {
        warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: msg.mlUtilityFitSingleClass(trainedOn, target, model) });
      }
      const p = fitPredict({ model, task, nClasses: Math.max(K, 2), columns: data.columns, features, fit, y: yFit, test: ho });
      predictions.set(s, p);
      if (task === 'regression') {
        let mean = 0;
        for (const v of yTest) mean += v;
        mean /= yTest.length;
        let ssr = 0;
        let sst = 0;
        for (let i = 0; i < yTest.length; i++) {
          ssr += (yTest[i]! - p[i]!) ** 2;
          sst += (yTest[i]! - mean) ** 2;
        }
        s.r2 = sst > 0 ? 1 - ssr / sst : 0;
      } else if (task === 'binary') {
        s.auc = new Set(yTest).size === 2 ? rocAuc(p, yTest) : null;
        let ok = 0;
        for (let i = 0; i < p.length; i++) if ((p[i]! >= 0.5 ? 1 : 0) === yTest[i]) ok++;
        s.accuracy = ok / p.length;
      } else {
        s.auc = macroAuc(p, yTest, K);
        let ok = 0;
        for (let i = 0; i < yTest.length; i++) {
          let best = 0;
          for (let k = 1; k < K; k++) if (p[i * K + k]! > p[i * K + best]!) best = k;
          if (best === yTest[i]) ok++;
        }
        s.accuracy = ok / yTest.length;
      }
      if (trainedOn === 'synthetic' && task !== 'regression') s.withinSynthetic = relationCheck(model, yFit);
      s.seconds = (performance.now() - t0) / 1000;
      scores.push(s);
    }
  }
  const primary = task === 'regression' ? 'r2' : 'auc';
  const best = (on: 'synthetic' | 'train'): number | null => {
    const v = scores
      .filter((s) => s.trainedOn === on && s.withinSynthetic?.detected !== false)
      .map((s) => (primary === 'r2' ? s.r2 : s.auc))
      .filter((x): x is number => typeof x === 'number');
    return v.length ? Math.max(...v) : null;
  };
  const tstr = scores.filter((s) => s.trainedOn === 'synthetic');
  const noRelation = task !== 'regression' && tstr.length > 0 && tstr.every((s) => s.withinSynthetic?.detected === false);
  const fmtCheck = (s: UtilityScore) => `${s.model} ${s.withinSynthetic!.auc.toFixed(3)} (p = ${s.withinSynthetic!.pValue.toFixed(3)})`;
  const fmtAuc = (s: UtilityScore) => `${s.model} ${typeof s.auc === 'number' ? s.auc.toFixed(3) : 'n/a'}`;
  if (noRelation) {
    warnings.push({
      code: 'NO_RELATION',
      metric: descriptor.name,
      column: target,
      message: msg.mlUtilityNoRelation(target, tstr.map(fmtCheck).join('; '), tstr.map(fmtAuc).join(', ')),
    });
  } else {
    for (const s of tstr.filter((x) => x.withinSynthetic?.detected === false)) {
      warnings.push({
        code: 'NO_RELATION',
        metric: descriptor.name,
        column: target,
        message: msg.mlUtilityModelNoRelation(s.model, fmtCheck(s).slice(s.model.length + 1), typeof s.auc === 'number' ? s.auc.toFixed(3) : 'n/a'),
      });
    }
  }
  if (tstr.some((s) => s.withinSynthetic === null)) {
    warnings.push({
      code: 'TARGET',
      metric: descriptor.name,
      column: target,
      message: msg.mlUtilityRelationUnchecked(target),
    });
  }
  const bestTstr = noRelation ? 0.5 : best('synthetic');
  const bestTrtr = best('train');
  // The gap's 95% interval: a paired bootstrap of the holdout rows, the best model of each side fixed
  // (TSTR at chance, 0.5, when no relation was found); the holdout is often small (107 rows for the demo).
  const bestScore = (on: 'synthetic' | 'train'): UtilityScore | null => {
    let b: UtilityScore | null = null;
    for (const x of scores) {
      if (x.trainedOn !== on || x.withinSynthetic?.detected === false) continue;
      const v = primary === 'r2' ? x.r2 : x.auc;
      if (typeof v === 'number' && (b === null || v > ((primary === 'r2' ? b.r2 : b.auc) as number))) b = x;
    }
    return b;
  };
  const sTr = bestScore('train');
  const sTs = noRelation ? null : bestScore('synthetic');
  const measure = (p: Float64Array, idx: Int32Array): number | null => {
    const n = idx.length;
    const y = Float64Array.from(idx, (i) => yTest[i]!);
    if (task === 'regression') {
      let mean = 0;
      for (const v of y) mean += v;
      mean /= n;
      let ssr = 0;
      let sst = 0;
      for (let k = 0; k < n; k++) {
        ssr += (y[k]! - p[idx[k]!]!) ** 2;
        sst += (y[k]! - mean) ** 2;
      }
      return sst > 0 ? 1 - ssr / sst : 0;
    }
    if (task === 'binary') return new Set(y).size === 2 ? rocAuc(Float64Array.from(idx, (i) => p[i]!), y) : null;
    const pk = new Float64Array(n * K);
    for (let k = 0; k < n; k++) pk.set(p.subarray(idx[k]! * K, (idx[k]! + 1) * K), k * K);
    return macroAuc(pk, y, K);
  };
  let gapCi95: [number, number] | null = null;
  if (sTr && (noRelation || sTs) && bestTstr !== null && bestTrtr !== null) {
    const pTr = predictions.get(sTr)!;
    const pTs = sTs ? predictions.get(sTs)! : null;
    const brng = rng.fork('gap-bootstrap');
    const gaps: number[] = [];
    const idx = new Int32Array(ho.n);
    for (let r = 0; r < GAP_BOOTSTRAP_ROUNDS; r++) {
      for (let k = 0; k < ho.n; k++) idx[k] = brng.int(ho.n);
      const a = measure(pTr, idx);
      const b = pTs ? measure(pTs, idx) : 0.5;
      if (a !== null && b !== null) gaps.push(a - b);
    }
    if (gaps.length >= GAP_BOOTSTRAP_ROUNDS / 2) {
      gaps.sort((x, y) => x - y);
      const q = (f: number) => gaps[Math.min(gaps.length - 1, Math.max(0, Math.floor(f * gaps.length)))]!;
      gapCi95 = [q(0.025), q(0.975)];
    }
  }
  return {
    value: bestTstr,
    details: { target, task, primary, classes, ...(classesTotal !== undefined && classesTotal > K ? { classesTotal } : {}), testRows: ho.n, scores, bestTstr, bestTrtr, noRelation, gap: bestTstr !== null && bestTrtr !== null ? bestTrtr - bestTstr : null, gapCi95 },
    warnings,
  };
}
