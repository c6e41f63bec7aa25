import { PrivacyError } from '../../errors.js';
import { logErfc } from './logErfc.js';
import * as msg from '../../messages.js';

/** Parameters of `steps` compositions of the Poisson-subsampled Gaussian mechanism. */
export interface SampledGaussianParams {
  /** Poisson sampling rate: each row joins each batch independently with probability q, 0 <= q <= 1. */
  q: number;
  /** Noise multiplier: Gaussian std divided by the L2 sensitivity (the clipping norm), >= 0. */
  sigma: number;
  /** Number of compositions (training steps), a non-negative integer. Default 1. */
  steps?: number;
}

/**
 * Renyi DP of the Poisson-subsampled Gaussian mechanism (SGM), composed over `steps` steps.
 *
 * Definition (Mironov, Talwar & Zhang 2019, "Renyi Differential Privacy of the Sampled Gaussian Mechanism",
 * arXiv:1908.10530, Section 3): with mu0 = N(0, sigma^2), mu1 = N(1, sigma^2) and mu = (1 - q) mu0 + q mu1,
 *   A_alpha = E_{z ~ mu0}[(mu(z) / mu0(z))^alpha],   RDP(alpha) = steps * ln(A_alpha) / (alpha - 1).
 * Adjacency is add/remove one row, sensitivity 1 after clipping (DP-SGD with Poisson sampling).
 *
 * - integer alpha: the binomial expansion A_alpha = sum_i C(alpha, i) q^i (1-q)^{alpha-i} exp((i^2 - i) / (2 sigma^2)),
 *   summed in log space (Opacus `_compute_log_a_for_int_alpha`);
 * - fractional alpha: the two-sided series of Section 3.3 with z0 = sigma^2 ln(1/q - 1) + 1/2, using
 *   {@link logErfc} (Opacus `_compute_log_a_for_frac_alpha`), stopped once both terms drop below e^-30
 *   (A_alpha >= 1, so this is a relative error below ~1e-13 per term).
 * - special cases as Opacus `_compute_rdp`: q = 0 → 0; sigma = 0 → Infinity; q = 1 → alpha / (2 sigma^2).
 *
 * Safety: if floating-point cancellation would make the fractional series negative (never observed for
 * sane inputs), that order returns Infinity, which can only make the reported epsilon larger.
 *
 * Complexity: O(alpha) for integer orders; O(number of series terms) for fractional ones (usually < 100).
 * @throws PrivacyError (E_PRIVACY) for q outside [0, 1], negative/NaN sigma, alpha <= 1, or bad steps.
 * @example rdpSampledGaussian({ q: 1, sigma: 2, steps: 10 }, 4) === 10 * 4 / 8
 */
export function rdpSampledGaussian(params: SampledGaussianParams, alpha: number): number {
  const { q, sigma } = params;
  const steps = params.steps ?? 1;
  validate(q, sigma, steps, alpha);
  if (steps === 0 || q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (alpha === Infinity) return Infinity;
  if (sigma === Infinity) return 0;
  let perStep: number;
  if (q === 1) perStep = alpha / (2 * sigma * sigma);
  else if (Number.isInteger(alpha)) perStep = logAInteger(q, sigma, alpha) / (alpha - 1);
  else perStep = logAFractional(q, sigma, alpha) / (alpha - 1);
  // ln A_alpha >= 0 mathematically (Jensen); clamp rounding noise below zero.
  return steps * Math.max(0, perStep);
}

/** {@link rdpSampledGaussian} at every order of `orders`. */
export function rdpSampledGaussianCurve(params: SampledGaussianParams, orders: readonly number[]): number[] {
  return orders.map((alpha) => rdpSampledGaussian(params, alpha));
}

function validate(q: number, sigma: number, steps: number, alpha: number): void {
  if (!(q >= 0 && q <= 1)) throw new PrivacyError(msg.sampleRateOutOfRange(q), { hint: msg.HINT_SAMPLE_RATE });
  if (!(sigma >= 0)) throw new PrivacyError(msg.noiseMultiplierNegative(sigma));
  if (!(Number.isInteger(steps) && steps >= 0)) throw new PrivacyError(msg.stepsNotNonNegativeInt(steps));
  if (!(alpha > 1)) throw new PrivacyError(msg.renyiAlphaTooSmall(alpha));
}

/** ln(e^a + e^b). */
function logAdd(a: number, b: number): number {
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  if (lo === -Infinity) return hi;
  return hi + Math.log1p(Math.exp(lo - hi));
}

/** ln(e^a - e^b) for a >= b; NaN when a < b (the caller treats that as a numerical failure). */
function logSub(a: number, b: number): number {
  if (a < b) return NaN;
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  return a + Math.log(-Math.expm1(b - a));
}

function logAInteger(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const twoSigma2 = 2 * sigma * sigma;
  let logA = -Infinity;
  let logBinom = 0; // ln C(alpha, 0)
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinom += Math.log(alpha - i + 1) - Math.log(i);
    const s = logBinom + i * logQ + (alpha - i) * log1mQ + (i * i - i) / twoSigma2;
    logA = logAdd(logA, s);
  }
  return logA;
}

const MAX_SERIES_TERMS = 2_000_000;

function logAFractional(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const twoSigma2 = 2 * sigma * sigma;
  const sqrt2Sigma = Math.SQRT2 * sigma;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  let logAbsCoef = 0; // ln |C(alpha, 0)|
  let coefPositive = true;
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    if (i > 0) {
      const factor = (alpha - i + 1) / i; // C(alpha, i) = C(alpha, i-1) * (alpha - i + 1) / i
      logAbsCoef += Math.log(Math.abs(factor));
      if (factor < 0) coefPositive = !coefPositive;
    }
    const j = alpha - i;
    const logT0 = logAbsCoef + i * logQ + j * log1mQ;
    const logT1 = logAbsCoef + j * logQ + i * log1mQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / sqrt2Sigma);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / sqrt2Sigma);
    const logS0 = logT0 + (i * i - i) / twoSigma2 + logE0;
    const logS1 = logT1 + (j * j - j) / twoSigma2 + logE1;
    if (coefPositive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
      if (Number.isNaN(logA0) || Number.isNaN(logA1)) return Infinity;
    }
    if (Math.max(logS0, logS1) < -30) return logAdd(logA0, logA1);
  }
  return Infinity; // the series did not settle: report no guarantee at this order rather than a guess
}
