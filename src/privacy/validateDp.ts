import { PrivacyError } from '../errors.js';

/** @throws PrivacyError E_PRIVACY unless epsilon is a positive finite number and delta lies in (0, 1). */
export function validateDp(dp: { epsilon: number; delta: number }): void {
  if (!(dp.epsilon > 0 && Number.isFinite(dp.epsilon))) throw new PrivacyError(`--epsilon must be a positive number, got ${dp.epsilon}`, { hint: 'typical values are 1 to 10; smaller is more private' });
  if (!(dp.delta > 0 && dp.delta < 1)) throw new PrivacyError(`--delta must be in (0, 1), got ${dp.delta}`, { hint: 'use a value well below 1/rows, e.g. 1e-6 for a table of up to 100,000 rows' });
}
