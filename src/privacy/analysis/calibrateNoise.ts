import { PrivacyError, BudgetError } from '../../errors.js';
import { DEFAULT_ORDERS } from './DEFAULT_ORDERS.js';
import { rdpSampledGaussian } from './rdpSampledGaussian.js';
import { conversionTerm, rdpToEpsilon } from './rdpToEpsilon.js';
import * as msg from '../../messages.js';

/** What {@link calibrateNoise} needs: the target guarantee and the training schedule. */
export interface CalibrationTarget {
  /** Target epsilon for everything composed here (training plus `extraRho`). */
  epsilon: number;
  /** The delta used in the RDP → (epsilon, delta) conversion (excluding any additive threshold deltas). */
  delta: number;
  /** Poisson sampling rate, 0 < q <= 1. */
  q: number;
  /** Number of training steps, a positive integer. */
  steps: number;
  /** zCDP rho already spent elsewhere (e.g. DP preprocessing); adds alpha * rho at every order. Default 0. */
  extraRho?: number;
  /** Orders to evaluate. Default {@link DEFAULT_ORDERS}. */
  orders?: readonly number[];
}

export interface CalibrationResult {
  /** The noise multiplier (std / clipping norm). */
  sigma: number;
  /** The epsilon actually achieved with `sigma` (<= target). */
  epsilon: number;
  bestOrder: number | null;
}

/** Relative width of the final bisection bracket. */
export const CALIBRATION_TOLERANCE = 1e-4;

/**
 * The smallest noise multiplier sigma (to relative tolerance 1e-4) such that `steps` steps of the
 * Poisson-subsampled Gaussian at rate q, composed with `extraRho`-zCDP, satisfy (epsilon, delta)-DP under
 * {@link rdpToEpsilon}. Total RDP at order alpha is steps * rdpSGM(q, sigma, alpha) + alpha * extraRho.
 *
 * Method: epsilon(sigma) is non-increasing in sigma (the RDP of the SGM decreases in sigma at every order),
 * so bracket by doubling/halving, then bisect until (hi - lo) <= 1e-4 * hi. The result is the upper end of the
 * bracket, i.e. rounded UP: it was itself evaluated and meets the target, so epsilon never exceeds it.
 * Mirrors Opacus `get_noise_multiplier` (which bisects on epsilon instead).
 *
 * Complexity: about 40 evaluations of the full RDP curve.
 * @throws PrivacyError E_PRIVACY for invalid inputs; E_BUDGET when `extraRho` alone already uses the whole
 *   budget, or no sigma up to 1e6 meets it.
 */
export function calibrateNoise(target: CalibrationTarget): CalibrationResult {
  const { epsilon, delta, q, steps } = target;
  const extraRho = target.extraRho ?? 0;
  const orders = target.orders ?? DEFAULT_ORDERS;
  if (!(epsilon > 0 && Number.isFinite(epsilon))) throw new PrivacyError(msg.targetEpsilonInvalid(epsilon));
  if (!(delta > 0 && delta < 1)) throw new PrivacyError(msg.deltaOutOfRange(delta));
  if (!(q > 0 && q <= 1)) throw new PrivacyError(msg.sampleRateNotPositive(q));
  if (!(Number.isInteger(steps) && steps >= 1)) throw new PrivacyError(msg.stepsNotPositiveInt(steps));
  if (!(extraRho >= 0 && Number.isFinite(extraRho))) throw new PrivacyError(msg.extraRhoInvalid(extraRho));

  const evaluate = (sigma: number) =>
    rdpToEpsilon(
      orders,
      orders.map((a) => rdpSampledGaussian({ q, sigma, steps }, a) + a * extraRho),
      delta,
    );

  const floor = evaluate(Infinity);
  if (!(floor.epsilon < epsilon)) {
    throw new BudgetError(msg.nothingLeftForTraining(extraRho, floor.epsilon.toFixed(4), epsilon), {
      hint: msg.HINT_SPEND_LESS_ON_PREPROCESSING,
    });
  }

  let hi = 1;
  let hiResult = evaluate(hi);
  while (!(hiResult.epsilon <= epsilon)) {
    hi *= 2;
    if (hi > 1e6) {
      throw new BudgetError(msg.noNoiseMultiplier(epsilon, steps, q), {
        hint: msg.HINT_FEWER_STEPS,
      });
    }
    hiResult = evaluate(hi);
  }
  let lo = hi / 2;
  for (;;) {
    const r = evaluate(lo);
    if (!(r.epsilon <= epsilon)) break;
    hi = lo;
    hiResult = r;
    lo /= 2;
    if (lo < 1e-6) return { sigma: hi, epsilon: hiResult.epsilon, bestOrder: hiResult.bestOrder };
  }
  while (hi - lo > CALIBRATION_TOLERANCE * hi) {
    const mid = (lo + hi) / 2;
    const r = evaluate(mid);
    if (r.epsilon <= epsilon) {
      hi = mid;
      hiResult = r;
    } else {
      lo = mid;
    }
  }
  return { sigma: hi, epsilon: hiResult.epsilon, bestOrder: hiResult.bestOrder };
}

/**
 * The largest zCDP rho whose RDP curve alpha * rho converts (by {@link rdpToEpsilon} over `orders`) to at most
 * `epsilon` at `delta`.
 *
 * Closed form instead of bisection: alpha * rho + c(alpha, delta) <= epsilon at some order iff
 * rho <= max over orders of (epsilon - c(alpha, delta)) / alpha, which is exact for the finite order set.
 * The result is then nudged down (relative 1e-12 steps) until the forward conversion confirms it, so
 * floating-point rounding can never make it overshoot.
 *
 * @throws PrivacyError E_PRIVACY for invalid inputs; E_BUDGET if no positive rho fits (epsilon too small
 *   for this delta at these orders).
 * @example rhoForEpsilon(1, 1e-5) ≈ 0.03055
 */
export function rhoForEpsilon(epsilon: number, delta: number, orders: readonly number[] = DEFAULT_ORDERS): number {
  if (!(epsilon > 0 && Number.isFinite(epsilon))) throw new PrivacyError(msg.epsilonNotPositive(epsilon));
  if (!(delta > 0 && delta < 1)) throw new PrivacyError(msg.deltaOutOfRange(delta));
  let rho = -Infinity;
  for (const a of orders) rho = Math.max(rho, (epsilon - conversionTerm(a, delta)) / a);
  if (!(rho > 0)) {
    throw new BudgetError(msg.epsilonTooSmall(epsilon, delta), { hint: msg.HINT_RAISE_EPSILON_OR_DELTA });
  }
  const convert = (r: number) => rdpToEpsilon(orders, orders.map((a) => a * r), delta).epsilon;
  while (convert(rho) > epsilon) rho *= 1 - 1e-12;
  return rho;
}
