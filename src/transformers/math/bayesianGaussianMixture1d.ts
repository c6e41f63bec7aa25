/**
 * 1-D variational Bayesian Gaussian mixture with a Dirichlet-process (stick-breaking) weight prior,
 * on WEIGHTED points.
 *
 * Reference: scikit-learn `sklearn.mixture.BayesianGaussianMixture` (user guide "Variational
 * Bayesian Gaussian Mixture", https://scikit-learn.org/stable/modules/mixture.html#bgmm, and
 * `sklearn/mixture/_bayesian_mixture.py`), configured as RDT's `ClusterBasedNormalizer` / TVAE use it:
 *   n_components=10, weight_concentration_prior_type='dirichlet_process',
 *   weight_concentration_prior=0.001, max_iter=100, n_init=1, init_params='kmeans',
 *   covariance_type='full' (= a variance in 1-D), tol=1e-3, reg_covar=1e-6,
 *   mean_prior = data mean, mean_precision_prior = 1, degrees_of_freedom_prior = 1 (n_features),
 *   covariance_prior = data variance (unbiased, as `np.cov`).
 * The updates are scikit-learn's (Bishop PRML §10.2 with its normalised covariances), including
 * its lower bound used for the stopping test.
 *
 * Differences, on purpose:
 *   - Points carry weights w_i (frequency weights): every sum over points is weighted. Fitting on
 *     the distinct values with their counts gives the same fixed point as fitting on the raw rows;
 *     a DP path can fit on a noisy histogram (bin centres, noisy counts; negative counts count as 0).
 *   - The data are standardised before fitting and the result mapped back, so `reg_covar` is
 *     relative (1e-6 × data variance) instead of absolute. All of scikit-learn's priors are scale
 *     equivariant, so this only changes the regulariser, which then behaves the same for ages,
 *     incomes and epoch milliseconds.
 *   - Fewer distinct points than components: the number of components drops to the number of
 *     distinct points (scikit-learn raises). A constant column gives one component.
 *   - k-means initialisation uses our seeded generator (see kmeans1d.ts), so results are
 *     deterministic given the seed but not draw-for-draw equal to scikit-learn's.
 *
 * Complexity O(n k iterations) time, O(n k) memory for the responsibilities.
 */
import type { Rng } from '../../rng.js';
import { kmeans1d } from './kmeans1d.js';
import { betaln, digamma, lgamma } from './special.js';

export interface BgmOptions {
  /** Maximum number of mixture components (default 10). */
  nComponents?: number;
  /** Dirichlet-process concentration γ (default 0.001). */
  weightConcentrationPrior?: number;
  /** Iteration cap (default 100). */
  maxIter?: number;
  /** Stop when the lower bound changes by less than this (default 1e-3, as scikit-learn). */
  tol?: number;
  /** Variance floor relative to the data variance (default 1e-6). */
  regCovar?: number;
}

export interface BgmFit {
  /** Expected mixture weights (sum to 1), as scikit-learn's `weights_`. */
  weights: number[];
  means: number[];
  /** sqrt of scikit-learn's `covariances_` (the posterior-mean variances, normalised by the dof). */
  stds: number[];
  iterations: number;
  converged: boolean;
  lowerBound: number;
}

const LOG_2PI = Math.log(2 * Math.PI);
const LN2 = Math.log(2);
const EPS10 = 10 * 2.220446049250313e-16; // scikit-learn adds 10 * machine epsilon to nk

/**
 * Fit the mixture to points `x` with weights `w` (all ones when omitted).
 * @throws {RangeError} when lengths differ, a point is not finite, or no weight is positive
 * @example
 *   const fit = bayesianGaussianMixture1d(xs, undefined, new Rng(1));
 *   fit.weights.filter((p) => p > 0.005).length // number of modes RDT keeps
 */
export function bayesianGaussianMixture1d(x: ArrayLike<number>, w: ArrayLike<number> | undefined, rng: Rng, opts: BgmOptions = {}): BgmFit {
  const maxK = opts.nComponents ?? 10;
  const gamma0 = opts.weightConcentrationPrior ?? 0.001;
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-3;
  const reg = opts.regCovar ?? 1e-6;
  if (!(maxK >= 1) || !Number.isInteger(maxK)) throw new RangeError(`nComponents must be a positive integer, got ${maxK}`);
  if (w && w.length !== x.length) throw new RangeError(`${x.length} points but ${w.length} weights`);

  // Keep points with positive weight.
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const wi = w ? w[i]! : 1;
    if (!Number.isFinite(x[i]!)) throw new RangeError(`point ${i} is not a finite number: ${x[i]}`);
    if (!Number.isFinite(wi)) throw new RangeError(`weight ${i} is not a finite number: ${wi}`);
    if (wi > 0) m++;
  }
  if (m === 0) throw new RangeError('no point has a positive weight');
  const xs = new Float64Array(m);
  const ws = new Float64Array(m);
  for (let i = 0, j = 0; i < x.length; i++) {
    const wi = w ? w[i]! : 1;
    if (wi > 0) {
      xs[j] = x[i]!;
      ws[j++] = wi;
    }
  }

  // Weighted mean and (population) standard deviation; standardise.
  let W = 0;
  let S = 0;
  for (let i = 0; i < m; i++) {
    W += ws[i]!;
    S += ws[i]! * xs[i]!;
  }
  const mu = S / W;
  let V = 0;
  for (let i = 0; i < m; i++) V += ws[i]! * (xs[i]! - mu) * (xs[i]! - mu);
  V /= W;
  const sd = Math.sqrt(V);
  const distinct = countDistinct(xs, 1e-12 * Math.max(Math.abs(mu), sd, 1e-300));
  if (!(sd > 1e-12 * Math.abs(mu)) || distinct === 1) {
    // Constant column: one component; a tiny std so that x = alpha * 4 std + mean stays at the value.
    return { weights: [1], means: [mu], stds: [Math.sqrt(reg) * Math.max(Math.abs(mu), 1)], iterations: 0, converged: true, lowerBound: 0 };
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) z[i] = (xs[i]! - mu) / sd;
  const K = Math.min(maxK, distinct);

  // Priors in standardised units.
  const meanPrior = 0;
  const meanPrecPrior = 1;
  const dofPrior = 1;
  const covPrior = W > 1 ? W / (W - 1) : 1; // np.cov is unbiased (ddof = 1)

  // Variational parameters.
  const a = new Float64Array(K); // weight_concentration_[0]
  const b = new Float64Array(K); // weight_concentration_[1]
  const meanPrec = new Float64Array(K);
  const means = new Float64Array(K);
  const dof = new Float64Array(K);
  const cov = new Float64Array(K); // normalised covariances_ (per dof)
  const nk = new Float64Array(K);
  const xk = new Float64Array(K);
  const sk = new Float64Array(K);
  const resp = new Float64Array(m * K);

  const mStep = (): void => {
    nk.fill(0);
    xk.fill(0);
    sk.fill(0);
    for (let i = 0; i < m; i++) {
      const wi = ws[i]!;
      const zi = z[i]!;
      const row = i * K;
      for (let k = 0; k < K; k++) {
        const r = wi * resp[row + k]!;
        nk[k] += r;
        xk[k] += r * zi;
      }
    }
    for (let k = 0; k < K; k++) {
      nk[k] += EPS10;
      xk[k] /= nk[k]!;
    }
    for (let i = 0; i < m; i++) {
      const wi = ws[i]!;
      const zi = z[i]!;
      const row = i * K;
      for (let k = 0; k < K; k++) {
        const d = zi - xk[k]!;
        sk[k] += wi * resp[row + k]! * d * d;
      }
    }
    // Stick-breaking weights: a_k = 1 + N_k, b_k = γ + Σ_{j>k} N_j.
    let tail = 0;
    for (let k = K - 1; k >= 0; k--) {
      a[k] = 1 + nk[k]!;
      b[k] = gamma0 + tail;
      tail += nk[k]!;
    }
    for (let k = 0; k < K; k++) {
      const n = nk[k]!;
      const s = sk[k]! / n + reg;
      meanPrec[k] = meanPrecPrior + n;
      means[k] = (meanPrecPrior * meanPrior + n * xk[k]!) / meanPrec[k]!;
      dof[k] = dofPrior + n;
      const diff = xk[k]! - meanPrior;
      cov[k] = (covPrior + n * s + ((n * meanPrecPrior) / meanPrec[k]!) * diff * diff) / dof[k]!;
    }
  };

  const logW = new Float64Array(K);
  const cst = new Float64Array(K);
  /** E-step; returns the responsibility entropy term -Σ w_i r_ik ln r_ik. */
  const eStep = (): number => {
    let cum = 0;
    for (let k = 0; k < K; k++) {
      const dsum = digamma(a[k]! + b[k]!);
      logW[k] = digamma(a[k]!) - dsum + cum;
      cum += digamma(b[k]!) - dsum;
      // log N(z | mean, cov) - 0.5 ln dof + 0.5 (ln 2 + ψ(dof / 2) - 1 / meanPrec), without the quadratic.
      cst[k] = logW[k]! - 0.5 * LOG_2PI - 0.5 * Math.log(cov[k]!) - 0.5 * Math.log(dof[k]!) + 0.5 * (LN2 + digamma(0.5 * dof[k]!) - 1 / meanPrec[k]!);
    }
    let ent = 0;
    for (let i = 0; i < m; i++) {
      const zi = z[i]!;
      const row = i * K;
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        const d = zi - means[k]!;
        const lp = cst[k]! - (0.5 * d * d) / cov[k]!;
        resp[row + k] = lp;
        if (lp > mx) mx = lp;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(resp[row + k]! - mx);
      const lse = mx + Math.log(sum);
      let e = 0;
      for (let k = 0; k < K; k++) {
        const lr = resp[row + k]! - lse;
        const r = Math.exp(lr);
        resp[row + k] = r;
        if (r > 0) e -= r * lr;
      }
      ent += ws[i]! * e;
    }
    return ent;
  };

  const lowerBoundOf = (ent: number): number => {
    let lb = ent;
    for (let k = 0; k < K; k++) {
      const logDetPrecChol = -0.5 * Math.log(cov[k]!) - 0.5 * Math.log(dof[k]!);
      lb += dof[k]! * logDetPrecChol + 0.5 * dof[k]! * LN2 + lgamma(0.5 * dof[k]!);
      lb += betaln(a[k]!, b[k]!);
      lb -= 0.5 * Math.log(meanPrec[k]!);
    }
    return lb;
  };

  // Initialise from k-means labels (hard responsibilities), as scikit-learn's init_params='kmeans'.
  const km = kmeans1d(z, ws, K, rng);
  for (let i = 0; i < m; i++) resp[i * K + km.labels[i]!] = 1;
  mStep();

  let lower = -Infinity;
  let converged = false;
  let iter = 0;
  for (iter = 1; iter <= maxIter; iter++) {
    const prev = lower;
    const ent = eStep();
    mStep();
    lower = lowerBoundOf(ent);
    if (Math.abs(lower - prev) < tol) {
      converged = true;
      break;
    }
  }
  if (iter > maxIter) iter = maxIter;

  // Expected stick-breaking weights, normalised (scikit-learn `weights_`).
  const weights = new Array<number>(K);
  let stick = 1;
  let tot = 0;
  for (let k = 0; k < K; k++) {
    const s = a[k]! + b[k]!;
    weights[k] = (a[k]! / s) * stick;
    stick *= b[k]! / s;
    tot += weights[k]!;
  }
  for (let k = 0; k < K; k++) weights[k] = weights[k]! / tot;
  return {
    weights,
    means: Array.from(means, (v) => v * sd + mu),
    stds: Array.from(cov, (v) => Math.sqrt(v) * sd),
    iterations: iter,
    converged,
    lowerBound: lower,
  };
}

function countDistinct(x: Float64Array, eps: number): number {
  const s = Float64Array.from(x).sort();
  let c = 1;
  for (let i = 1; i < s.length; i++) if (s[i]! - s[i - 1]! > eps) c++;
  return c;
}
