/**
 * One call to fit a model on prepared rows and predict other prepared rows, hiding the featurisation:
 * linear models get one-hot + standardised features, trees get bins, both fitted on the training rows.
 * Multiclass gradient boosting is one-vs-rest, probabilities renormalised. Training rows of a single class
 * predict that class for every test row (a constant: chance-level AUC); a model fitted to them anyway scored
 * anything (logistic regression on breast cancer's synthetic rows that had lost "M": AUC 0.08).
 */
import type { PreparedColumn, PreparedTable } from '../prepare.js';
import { fitBinFeaturizer, fitLinearFeaturizer } from './features.js';
import { fitGbdt, predictGbdt } from './gbdt.js';
import { fitLinear, predictLinear, type LinearTask } from './linear.js';

export type ModelName = 'logistic_regression' | 'gradient_boosting';
export const MODEL_NAMES: readonly ModelName[] = ['logistic_regression', 'gradient_boosting'];

export interface FitPredictInput {
  model: ModelName;
  task: LinearTask;
  nClasses: number;
  columns: readonly PreparedColumn[];
  /** Feature columns (indices into columns). */
  features: readonly number[];
  fit: PreparedTable;
  y: ArrayLike<number>;
  test: PreparedTable;
}

/**
 * binary -> P(class 1) per test row; multiclass -> n x K probabilities (row-major);
 * regression -> predictions.
 */
export function fitPredict(inp: FitPredictInput): Float64Array {
  const { model, task, nClasses, columns, features, fit, y, test } = inp;
  if (task !== 'regression' && y.length > 0 && Array.prototype.every.call(y, (v: number) => v === y[0])) return singleClass(task, nClasses, y[0]!, test.n);
  if (model === 'logistic_regression') {
    const fz = fitLinearFeaturizer(columns, features, fit);
    const m = fitLinear(fz.transform(fit), y, { task, nClasses, l2: 1 / fit.n });
    return predictLinear(m, fz.transform(test));
  }
  const fz = fitBinFeaturizer(columns, features, fit);
  const Xf = fz.transform(fit);
  const Xt = fz.transform(test);
  if (task === 'regression') return predictGbdt(fitGbdt(Xf, y, { loss: 'squared' }), Xt);
  if (task === 'binary') return predictGbdt(fitGbdt(Xf, y, { loss: 'logloss' }), Xt);
  const K = nClasses;
  const out = new Float64Array(test.n * K);
  const yk = new Float64Array(fit.n);
  for (let k = 0; k < K; k++) {
    let pos = 0;
    for (let i = 0; i < fit.n; i++) pos += yk[i] = y[i] === k ? 1 : 0;
    if (pos === 0) continue; // class absent from the training rows: probability 0
    const p = predictGbdt(fitGbdt(Xf, yk, { loss: 'logloss' }), Xt);
    for (let i = 0; i < test.n; i++) out[i * K + k] = p[i]!;
  }
  for (let i = 0; i < test.n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += out[i * K + k]!;
    if (s > 0) for (let k = 0; k < K; k++) out[i * K + k] = out[i * K + k]! / s;
  }
  return out;
}

/** The prediction of a model whose training rows hold one class: that class, for every test row. */
function singleClass(task: Exclude<LinearTask, 'regression'>, nClasses: number, cls: number, n: number): Float64Array {
  if (task === 'binary') return new Float64Array(n).fill(cls === 1 ? 1 : 0);
  const out = new Float64Array(n * nClasses);
  for (let i = 0; i < n; i++) out[i * nClasses + cls] = 1;
  return out;
}
