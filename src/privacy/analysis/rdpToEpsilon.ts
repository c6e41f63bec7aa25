import { PrivacyError } from '../../errors.js';
import * as msg from '../../messages.js';

/** An (epsilon, delta) guarantee read off an RDP curve, and the order that gave it. */
export interface EpsilonAtOrder {
  epsilon: number;
  /** The order alpha attaining the minimum; null when every order gives no guarantee (Infinity). */
  bestOrder: number | null;
}

/**
 * The order-dependent term of the Balle et al. conversion:
 *   c(alpha, delta) = -(ln delta + ln alpha) / (alpha - 1) + ln((alpha - 1) / alpha),
 * so a mechanism that is (alpha, r)-RDP is (r + c(alpha, delta), delta)-DP.
 *
 * Source: Balle, Barthe, Gaboardi, Hsu & Sato 2020, "Hypothesis Testing Interpretations and Renyi
 * Differential Privacy", AISTATS, Theorem 21 (arXiv:1905.09982); as Opacus `privacy_analysis.get_privacy_spent`.
 */
export function conversionTerm(alpha: number, delta: number): number {
  return -(Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha);
}

/**
 * Converts an RDP curve to (epsilon, delta)-DP: epsilon = min over orders of rdp(alpha) + c(alpha, delta)
 * (see {@link conversionTerm}), clamped at 0. Orders whose RDP is Infinity are skipped.
 *
 * Complexity: O(number of orders).
 * @throws PrivacyError (E_PRIVACY) if the arrays differ in length, delta is not in (0, 1), an order is <= 1,
 *   or an RDP value is negative or NaN.
 * @example rdpToEpsilon([2, 3], [0.1, 0.2], 1e-5)
 */
export function rdpToEpsilon(orders: readonly number[], rdp: readonly number[], delta: number): EpsilonAtOrder {
  return minimiseOverOrders(orders, rdp, delta, conversionTerm);
}

/**
 * The classic conversion of Mironov 2017 ("Renyi Differential Privacy", Proposition 3), used by TF Privacy's
 * original `rdp_accountant.get_privacy_spent`: epsilon = min over orders of rdp(alpha) + ln(1/delta) / (alpha - 1).
 * Looser than {@link rdpToEpsilon}; kept to reproduce older published numbers.
 */
export function rdpToEpsilonClassic(orders: readonly number[], rdp: readonly number[], delta: number): EpsilonAtOrder {
  return minimiseOverOrders(orders, rdp, delta, (alpha, d) => Math.log(1 / d) / (alpha - 1));
}

/**
 * The inverse used for calibration: the largest RDP value at order alpha that still converts to at most
 * `epsilon` at `delta`, i.e. epsilon - c(alpha, delta). A curve meets (epsilon, delta) iff at some order
 * rdp(alpha) <= maxRdpForEpsilon(alpha, epsilon, delta). May be negative (that order cannot help).
 */
export function maxRdpForEpsilon(alpha: number, epsilon: number, delta: number): number {
  return epsilon - conversionTerm(alpha, delta);
}

function minimiseOverOrders(
  orders: readonly number[],
  rdp: readonly number[],
  delta: number,
  term: (alpha: number, delta: number) => number,
): EpsilonAtOrder {
  if (orders.length !== rdp.length) {
    throw new PrivacyError(msg.rdpLengthsDiffer(orders.length, rdp.length));
  }
  if (!(delta > 0 && delta < 1)) {
    throw new PrivacyError(msg.deltaOutOfRange(delta), { hint: msg.HINT_COMMON_DELTA });
  }
  let best = Infinity;
  let bestOrder: number | null = null;
  for (let k = 0; k < orders.length; k++) {
    const alpha = orders[k]!;
    const r = rdp[k]!;
    if (!(alpha > 1)) throw new PrivacyError(msg.renyiOrderTooSmall(alpha));
    if (!(r >= 0)) throw new PrivacyError(msg.rdpValueNegative(alpha, r));
    if (r === Infinity) continue;
    const eps = r + term(alpha, delta);
    if (eps < best) {
      best = eps;
      bestOrder = alpha;
    }
  }
  return { epsilon: Math.max(0, best), bestOrder };
}
