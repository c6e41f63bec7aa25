/**
 * detection: can a classifier tell real (train) rows from synthetic rows? A balanced subsample (at most
 * `maxRows` of each, seeded), stratified k-fold cross-validation, out-of-fold ROC AUC for logistic
 * regression and for histogram gradient-boosted trees. 0.5 = indistinguishable, 1 = trivially told apart.
 * The headline is the larger AUC; `score` = 1 - (2 * max(AUC, 0.5) - 1) as in SDMetrics' detection metrics.
 */
import type { Rng } from '../../rng.js';
import { fitPredict, MODEL_NAMES, type ModelName } from '../models/fitPredict.js';
import { concatPrepared, takePrepared, type PreparedData } from '../prepare.js';
import { bootstrapAuc, rocAuc } from '../stats/roc.js';
import { sampleIndices } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, Warning } from '../types.js';
import * as msg from '../../messages.js';

export const descriptor: MetricDescriptor = {
  name: 'detection',
  kind: 'fidelity',
  goal: 'target',
  ideal: 0.5,
  range: [0, 1],
  description: 'Largest cross-validated ROC AUC of classifiers (logistic regression, gradient-boosted trees) telling train rows from synthetic rows; 0.5 = indistinguishable.',
};

export interface DetectionDetails {
  rowsPerClass: number;
  folds: number;
  models: { model: ModelName; auc: number; seconds: number }[];
  /** 95% bootstrap interval (200 rounds, stratified) of the best model's out-of-fold AUC. */
  aucCi95: [number, number];
  /** 1 - (2 * max(AUC, 0.5) - 1): 1 = indistinguishable. */
  score: number;
}

export function compute(data: PreparedData, opts: { maxRows: number; folds: number }, rng: Rng): MetricOutput & { details: DetectionDetails | null } {
  const warnings: Warning[] = [];
  const m = Math.min(data.train.n, data.synthetic.n, opts.maxRows);
  const folds = Math.min(opts.folds, m);
  if (m < 2 || folds < 2) {
    warnings.push({ code: 'METRIC_SKIPPED', metric: descriptor.name, message: msg.detectionTooFewRows(data.train.n, data.synthetic.n) });
    return { value: null, details: null, warnings };
  }
  if (m < Math.max(data.train.n, data.synthetic.n)) {
    warnings.push({ code: 'SUBSAMPLED', metric: descriptor.name, message: msg.detectionSubsample(m) });
  }
  const real = takePrepared(data.train, sampleIndices(data.train.n, m, rng.fork('real')));
  const syn = takePrepared(data.synthetic, sampleIndices(data.synthetic.n, m, rng.fork('synthetic')));
  const all = concatPrepared(real, syn);
  const y = new Float64Array(2 * m);
  y.fill(1, m); // 1 = synthetic
  // Stratified folds: rows i and m + i share the fold of a seeded permutation of 0..m-1.
  const perm = sampleIndices(m, m, rng.fork('folds'));
  const fold = new Int32Array(2 * m);
  for (let r = 0; r < m; r++) {
    fold[perm[r]!] = r % folds;
    fold[m + perm[r]!] = r % folds;
  }
  const features = data.columns.map((_, j) => j);
  const models: DetectionDetails['models'] = [];
  const oofs: Float64Array[] = [];
  for (const model of MODEL_NAMES) {
    const t0 = performance.now();
    const oof = new Float64Array(2 * m);
    for (let f = 0; f < folds; f++) {
      const trIdx: number[] = [];
      const teIdx: number[] = [];
      for (let i = 0; i < 2 * m; i++) (fold[i] === f ? teIdx : trIdx).push(i);
      const p = fitPredict({
        model,
        task: 'binary',
        nClasses: 2,
        columns: data.columns,
        features,
        fit: takePrepared(all, trIdx),
        y: trIdx.map((i) => y[i]!),
        test: takePrepared(all, teIdx),
      });
      teIdx.forEach((i, k) => (oof[i] = p[k]!));
    }
    models.push({ model, auc: rocAuc(oof, y), seconds: (performance.now() - t0) / 1000 });
    oofs.push(oof);
  }
  const auc = Math.max(...models.map((x) => x.auc));
  const best = models.findIndex((x) => x.auc === auc);
  const aucCi95 = bootstrapAuc(oofs[best]!, y, rng.fork('auc-ci'), 200);
  return { value: auc, details: { rowsPerClass: m, folds, models, aucCi95, score: 1 - (2 * Math.max(auc, 0.5) - 1) }, warnings };
}
