import { PrivacyError } from '../errors.js';
import { rhoForEpsilon } from './analysis/calibrateNoise.js';
import * as msg from '../messages.js';

export interface BudgetPlanInput {
  /** Total epsilon for the whole model (preprocessing plus training). */
  epsilon: number;
  /** Total delta for the whole model. */
  delta: number;
  /** Fraction of the budget (as zCDP rho) for DP preprocessing (bounds, categories, counts). Default 0.1. */
  preprocessingShare?: number;
  /**
   * Fraction of delta reserved for the failure probabilities of thresholded histograms (data-dependent
   * categories). Required: pass 0 when every categorical column has declared public categories.
   */
  thresholdDeltaShare: number;
}

export interface BudgetPlan {
  epsilon: number;
  delta: number;
  preprocessingShare: number;
  thresholdDeltaShare: number;
  /** delta used in the RDP → (epsilon, delta) conversion: delta * (1 - thresholdDeltaShare). */
  conversionDelta: number;
  /** delta available to all thresholded histograms together: delta * thresholdDeltaShare. */
  thresholdDelta: number;
  /** The whole budget expressed as zCDP: rhoForEpsilon(epsilon, conversionDelta). */
  totalRho: number;
  /** rho available to preprocessing: preprocessingShare * totalRho. */
  preprocessingRho: number;
}

/**
 * Splits a total (epsilon, delta) budget between DP preprocessing and DP-SGD training, explicitly.
 *
 * - delta: thresholdDelta = delta * thresholdDeltaShare goes to thresholded histograms (divide it among them);
 *   the rest, conversionDelta, is the delta of the RDP → (epsilon, delta) conversion of everything.
 * - epsilon: the whole budget is converted to the zCDP rho whose RDP curve alpha * rho meets (epsilon,
 *   conversionDelta) ({@link rhoForEpsilon}); preprocessing gets preprocessingShare of that rho.
 * - training: not a share. After preprocessing, calibrate sigma with
 *   `calibrateNoise({ epsilon, delta: conversionDelta, q, steps, extraRho: ledger.zcdpRho })`, which fills
 *   exactly what is left under the same RDP composition (the DP-SGD curve is not linear in alpha, so
 *   "1 - share" of rho would be the wrong quantity to hand to training).
 *
 * @throws PrivacyError E_PRIVACY for shares outside [0, 1) or an invalid budget; E_BUDGET if epsilon is too small.
 * @example planBudget({ epsilon: 1, delta: 1e-5, thresholdDeltaShare: 0.1 }).preprocessingRho ≈ 0.003
 */
export function planBudget(input: BudgetPlanInput): BudgetPlan {
  const { epsilon, delta, thresholdDeltaShare } = input;
  const preprocessingShare = input.preprocessingShare ?? 0.1;
  if (!(preprocessingShare >= 0 && preprocessingShare < 1)) {
    throw new PrivacyError(msg.preprocessingShareOutOfRange(preprocessingShare), { hint: msg.HINT_PREPROCESSING_SHARE });
  }
  if (!(thresholdDeltaShare >= 0 && thresholdDeltaShare < 1)) {
    throw new PrivacyError(msg.thresholdDeltaShareOutOfRange(thresholdDeltaShare));
  }
  if (!(delta > 0 && delta < 1)) throw new PrivacyError(msg.deltaOutOfRange(delta));
  const thresholdDelta = delta * thresholdDeltaShare;
  const conversionDelta = delta - thresholdDelta;
  const totalRho = rhoForEpsilon(epsilon, conversionDelta);
  return { epsilon, delta, preprocessingShare, thresholdDeltaShare, conversionDelta, thresholdDelta, totalRho, preprocessingRho: preprocessingShare * totalRho };
}
