import { PrivacyError } from '../errors.js';
import * as msg from '../messages.js';

/** @throws PrivacyError E_PRIVACY unless epsilon is a positive finite number and delta lies in (0, 1). */
export function validateDp(dp: { epsilon: number; delta: number }): void {
  if (!(dp.epsilon > 0 && Number.isFinite(dp.epsilon))) throw new PrivacyError(msg.epsilonInvalid(dp.epsilon), { hint: msg.HINT_EPSILON });
  if (!(dp.delta > 0 && dp.delta < 1)) throw new PrivacyError(msg.deltaInvalid(dp.delta), { hint: msg.HINT_DELTA });
}
