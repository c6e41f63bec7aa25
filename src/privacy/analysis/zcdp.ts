import { PrivacyError } from '../../errors.js';
import * as msg from '../../messages.js';

/**
 * Zero-concentrated DP (zCDP) helpers.
 *
 * Definitions (Bun & Steinke 2016, "Concentrated Differential Privacy: Simplifications, Extensions, and
 * Lower Bounds", TCC, arXiv:1605.02065):
 * - a mechanism is rho-zCDP iff it is (alpha, alpha * rho)-RDP for every alpha > 1 (Definition 1.1);
 * - the Gaussian mechanism with L2 sensitivity D and noise std s is rho-zCDP with rho = D^2 / (2 s^2)
 *   (Proposition 1.6);
 * - an eps-DP (pure) mechanism is (eps^2 / 2)-zCDP (Proposition 1.4);
 * - zCDP composes additively in rho (Lemma 1.7).
 */

/** rho = D^2 / (2 s^2) for the Gaussian mechanism with L2 sensitivity D and std s. s = 0 gives Infinity. */
export function gaussianRho(sensitivity: number, std: number): number {
  if (!(sensitivity >= 0)) throw new PrivacyError(msg.sensitivityNegative(sensitivity));
  if (!(std >= 0)) throw new PrivacyError(msg.noiseStdNegative(std));
  if (sensitivity === 0) return 0;
  return (sensitivity * sensitivity) / (2 * std * std);
}

/** The std s = D / sqrt(2 rho) that makes the Gaussian mechanism rho-zCDP. */
export function gaussianStdForRho(sensitivity: number, rho: number): number {
  if (!(sensitivity >= 0)) throw new PrivacyError(msg.sensitivityNegative(sensitivity));
  if (!(rho > 0 && Number.isFinite(rho))) {
    throw new PrivacyError(msg.rhoNotPositive(rho), { hint: msg.HINT_POSITIVE_SHARE });
  }
  return sensitivity / Math.sqrt(2 * rho);
}

/** RDP of a rho-zCDP mechanism at order alpha: alpha * rho. */
export function zcdpRdp(rho: number, alpha: number): number {
  if (rho === 0) return 0;
  return alpha * rho;
}

/** rho = eps^2 / 2 for a pure eps-DP mechanism. */
export function pureDpToRho(epsilon: number): number {
  if (!(epsilon >= 0)) throw new PrivacyError(msg.epsilonNegative(epsilon));
  return (epsilon * epsilon) / 2;
}
