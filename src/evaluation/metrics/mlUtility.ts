/**
 * ml_utility: train on synthetic, test on holdout (TSTR), next to train on train, test on holdout (TRTR),
 * with logistic/ridge regression and gradient-boosted trees; features = the other evaluated columns.
 * Classification (categorical/boolean target): ROC AUC (binary; macro one-vs-rest over the classes that
 * occur in the holdout for multiclass) and accuracy. Regression (numeric target): R^2.
 * Rows with a missing target are left out. The headline is the best TSTR score of the primary measure
 * (AUC or R^2); details give every model and the gap TRTR - TSTR.
 */
import type { Rng } from '../../rng.js';
import { fitPredict, MODEL_NAMES, type ModelName } from '../models/fitPredict.js';
import { takePrepared, type PreparedData, type PreparedTable } from '../prepare.js';
import { rocAuc } from '../stats/roc.js';
import { sampleIndices } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, Warning } from '../types.js';
import { EvaluationError } from '../../errors.js';

export const descriptor: MetricDescriptor = {
  name: 'ml_utility',
  kind: 'utility',
  goal: 'maximize',
  range: [-1, 1],
  description: 'Train on synthetic, test on holdout (TSTR) vs train on train (TRTR): ROC AUC (classification) or R^2 (regression), best model.',
};

export interface UtilityScore {
  model: ModelName;
  trainedOn: 'synthetic' | 'train';
  auc?: number | null;
  accuracy?: number;
  r2?: number;
  seconds: number;
}

export interface UtilityDetails {
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  primary: 'auc' | 'r2';
  classes?: string[];
  testRows: number;
  scores: UtilityScore[];
  bestTstr: number | null;
  bestTrtr: number | null;
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

export function compute(data: PreparedData, target: string, opts: { maxRows: number }, rng: Rng): MetricOutput & { details: UtilityDetails | null } {
  const warnings: Warning[] = [];
  const j = data.columns.findIndex((c) => c.name === target);
  if (j < 0) throw new EvaluationError('E_EVALUATION', `target column "${target}" is not an evaluated column`, { location: { column: target } });
  const col = data.columns[j]!;
  const features = data.columns.map((_, i) => i).filter((i) => i !== j);
  if (features.length === 0) {
    warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: 'ml_utility needs at least one column besides the target; skipped' });
    return { value: null, details: null, warnings };
  }
  const pick = (t: PreparedTable, label: string): PreparedTable => {
    let idx = rowsWithTarget(t, j);
    if (idx.length < t.n) warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: `ml_utility leaves out ${t.n - idx.length} ${label} rows whose target is missing` });
    if (idx.length > opts.maxRows) {
      idx = Array.from(sampleIndices(idx.length, opts.maxRows, rng.fork(label)), (k) => idx[k]!);
      warnings.push({ code: 'SUBSAMPLED', metric: descriptor.name, message: `ml_utility fits on ${opts.maxRows} ${label} rows (seeded sample)` });
    }
    return takePrepared(t, idx);
  };
  const syn = pick(data.synthetic, 'synthetic');
  const tr = pick(data.train, 'train');
  const ho = pick(data.holdout, 'holdout');
  if (syn.n < 2 || tr.n < 2 || ho.n < 2) {
    warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: 'ml_utility needs at least 2 rows with a target in synthetic, train and holdout; skipped' });
    return { value: null, details: null, warnings };
  }
  const scores: UtilityScore[] = [];
  let task: UtilityDetails['task'];
  let classes: string[] | undefined;
  let K = 0;
  let remap: (t: PreparedTable) => Float64Array;
  if (col.kind === 'num') {
    task = 'regression';
    remap = (t) => Float64Array.from(t.values[j] as Float64Array);
  } else {
    // Classes in order of first appearance among train/holdout/synthetic codes that occur.
    const present = new Set<number>();
    for (const t of [tr, ho, syn]) for (const c of t.values[j] as Int32Array) present.add(c);
    const codes = [...present].sort((a, b) => a - b);
    const index = new Map(codes.map((c, k) => [c, k]));
    classes = codes.map((c) => col.categories[c]!);
    K = codes.length;
    task = K <= 2 ? 'binary' : 'multiclass';
    remap = (t) => Float64Array.from(t.values[j] as Int32Array, (c) => index.get(c)!);
    if (K < 2) {
      warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: `ml_utility: target "${target}" has a single class; skipped` });
      return { value: null, details: null, warnings };
    }
  }
  const yTest = remap(ho);
  for (const [trainedOn, fit] of [['synthetic', syn], ['train', tr]] as const) {
    const yFit = remap(fit);
    for (const model of MODEL_NAMES) {
      const t0 = performance.now();
      const s: UtilityScore = { model, trainedOn, seconds: 0 };
      if (task !== 'regression' && new Set(yFit).size < 2) {
        warnings.push({ code: 'TARGET', metric: descriptor.name, column: target, message: `ml_utility: the ${trainedOn} rows hold a single class of "${target}"; its ${model} scores are chance level` });
      }
      const p = fitPredict({ model, task, nClasses: Math.max(K, 2), columns: data.columns, features, fit, y: yFit, test: ho });
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
      s.seconds = (performance.now() - t0) / 1000;
      scores.push(s);
    }
  }
  const primary = task === 'regression' ? 'r2' : 'auc';
  const best = (on: 'synthetic' | 'train'): number | null => {
    const v = scores.filter((s) => s.trainedOn === on).map((s) => (primary === 'r2' ? s.r2 : s.auc)).filter((x): x is number => typeof x === 'number');
    return v.length ? Math.max(...v) : null;
  };
  const bestTstr = best('synthetic');
  const bestTrtr = best('train');
  return {
    value: bestTstr,
    details: { target, task, primary, classes, testRows: ho.n, scores, bestTstr, bestTrtr, gap: bestTstr !== null && bestTrtr !== null ? bestTrtr - bestTstr : null },
    warnings,
  };
}
