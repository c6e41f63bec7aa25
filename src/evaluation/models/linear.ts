/**
 * L2-regularised linear models on a `LinearDesign`, fitted by L-BFGS:
 * - 'binary': logistic regression, loss = mean log-loss + (l2 / 2) ||w||^2 (intercept not penalised);
 * - 'multiclass': multinomial (softmax) logistic regression, same penalty;
 * - 'regression': ridge regression on the standardised target, loss = mean 0.5 (z - y)^2 + (l2 / 2) ||w||^2.
 * `l2` is per sample, so l2 = 1 / (C n) matches scikit-learn's LogisticRegression(C).
 */
import type { LinearDesign } from './features.js';
import { lbfgs } from './lbfgs.js';

export type LinearTask = 'binary' | 'multiclass' | 'regression';

export interface LinearModel {
  task: LinearTask;
  nClasses: number;
  /** Outputs: 1 for binary/regression, K for multiclass. */
  nOut: number;
  nFeatures: number;
  /** nOut x (nFeatures + 1); the last entry of each row is the intercept. */
  weights: Float64Array;
  yMean: number;
  yStd: number;
  iterations: number;
  converged: boolean;
}

export interface LinearOptions {
  task: LinearTask;
  /** Classes for multiclass (labels 0..K-1). */
  nClasses?: number;
  l2?: number;
  maxIter?: number;
}

/** z (n x nOut) = X W^T + b. */
function linearScores(X: LinearDesign, w: Float64Array, nOut: number, out: Float64Array): void {
  const P = X.nFeatures + 1;
  const { n, nDense, dense, nCat, cat } = X;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < nOut; k++) {
      const base = k * P;
      let z = w[base + X.nFeatures]!;
      const di = i * nDense;
      for (let d = 0; d < nDense; d++) z += dense[di + d]! * w[base + d]!;
      const ci = i * nCat;
      for (let c = 0; c < nCat; c++) z += w[base + cat[ci + c]!]!;
      out[i * nOut + k] = z;
    }
  }
}

/**
 * Fit the model to labels `y` (binary: 0/1; multiclass: 0..K-1; regression: real values).
 * @throws RangeError on an empty design.
 */
export function fitLinear(X: LinearDesign, y: ArrayLike<number>, opts: LinearOptions): LinearModel {
  if (X.n === 0) throw new RangeError('fitLinear needs at least one row');
  const task = opts.task;
  let maxLabel = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! > maxLabel) maxLabel = y[i]!;
  const nClasses = task === 'multiclass' ? opts.nClasses ?? 1 + maxLabel : task === 'binary' ? 2 : 0;
  const nOut = task === 'multiclass' ? nClasses : 1;
  const l2 = opts.l2 ?? 1e-4;
  const n = X.n;
  const P = X.nFeatures + 1;
  let yMean = 0;
  let yStd = 1;
  let yy = Float64Array.from(y);
  if (task === 'regression') {
    for (let i = 0; i < n; i++) yMean += yy[i]!;
    yMean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (yy[i]! - yMean) ** 2;
    yStd = Math.sqrt(v / n) || 1;
    yy = yy.map((t) => (t - yMean) / yStd);
  }
  const z = new Float64Array(n * nOut);
  const r = new Float64Array(n * nOut); // d loss / d z
  const fg = (w: Float64Array, grad: Float64Array): number => {
    linearScores(X, w, nOut, z);
    let loss = 0;
    if (task === 'binary') {
      for (let i = 0; i < n; i++) {
        const zi = z[i]!;
        // log(1 + e^z) - y z, computed stably.
        loss += (zi > 0 ? zi + Math.log1p(Math.exp(-zi)) : Math.log1p(Math.exp(zi))) - yy[i]! * zi;
        r[i] = 1 / (1 + Math.exp(-zi)) - yy[i]!;
      }
    } else if (task === 'multiclass') {
      for (let i = 0; i < n; i++) {
        let mx = -Infinity;
        for (let k = 0; k < nOut; k++) mx = Math.max(mx, z[i * nOut + k]!);
        let s = 0;
        for (let k = 0; k < nOut; k++) s += Math.exp(z[i * nOut + k]! - mx);
        const lse = mx + Math.log(s);
        const yi = yy[i]!;
        loss += lse - z[i * nOut + yi]!;
        for (let k = 0; k < nOut; k++) r[i * nOut + k] = Math.exp(z[i * nOut + k]! - lse) - (k === yi ? 1 : 0);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const e = z[i]! - yy[i]!;
        loss += 0.5 * e * e;
        r[i] = e;
      }
    }
    grad.fill(0);
    const { nDense, dense, nCat, cat } = X;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < nOut; k++) {
        const ri = r[i * nOut + k]!;
        if (ri === 0) continue;
        const base = k * P;
        const di = i * nDense;
        for (let d = 0; d < nDense; d++) grad[base + d] += ri * dense[di + d]!;
        const ci = i * nCat;
        for (let c = 0; c < nCat; c++) grad[base + cat[ci + c]!] += ri;
        grad[base + X.nFeatures] += ri;
      }
    }
    loss /= n;
    let pen = 0;
    for (let k = 0; k < nOut; k++) {
      for (let p = 0; p < X.nFeatures; p++) {
        const idx = k * P + p;
        grad[idx] = grad[idx]! / n + l2 * w[idx]!;
        pen += w[idx]! * w[idx]!;
      }
      grad[k * P + X.nFeatures] = grad[k * P + X.nFeatures]! / n;
    }
    return loss + 0.5 * l2 * pen;
  };
  const res = lbfgs(fg, new Float64Array(nOut * P), { maxIter: opts.maxIter ?? 100, gtol: 1e-6 });
  return { task, nClasses, nOut, nFeatures: X.nFeatures, weights: res.x, yMean, yStd, iterations: res.iterations, converged: res.converged };
}

/**
 * Predictions: binary -> P(y = 1) per row; multiclass -> n x K probabilities (row-major);
 * regression -> predicted values on the original scale.
 */
export function predictLinear(model: LinearModel, X: LinearDesign): Float64Array {
  if (X.nFeatures !== model.nFeatures) throw new RangeError(`design has ${X.nFeatures} features, model ${model.nFeatures}`);
  const z = new Float64Array(X.n * model.nOut);
  linearScores(X, model.weights, model.nOut, z);
  if (model.task === 'binary') return z.map((v) => 1 / (1 + Math.exp(-v)));
  if (model.task === 'regression') return z.map((v) => v * model.yStd + model.yMean);
  const K = model.nOut;
  for (let i = 0; i < X.n; i++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, z[i * K + k]!);
    let s = 0;
    for (let k = 0; k < K; k++) s += z[i * K + k] = Math.exp(z[i * K + k]! - mx);
    for (let k = 0; k < K; k++) z[i * K + k] = z[i * K + k]! / s;
  }
  return z;
}
