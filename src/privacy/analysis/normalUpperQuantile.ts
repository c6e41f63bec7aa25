import { logErfc } from './logErfc.js';

/**
 * Upper quantile of the standard normal distribution: the z with P(Z > z) = p for Z ~ N(0, 1).
 *
 * Definition: P(Z > z) = erfc(z / sqrt(2)) / 2, so z = sqrt(2) * erfcinv(2p) = Phi^{-1}(1 - p).
 * Used to set thresholds whose false-release probability must not exceed p, so the result is nudged
 * upwards until P(Z > z) <= p holds in floating point (the error is never on the unsafe side).
 *
 * Method: Abramowitz & Stegun 26.2.23 starting point (|error| < 4.5e-4), then Newton steps on
 * ln P(Z > z) - ln p using {@link logErfc}, which stays accurate for p down to ~1e-300.
 *
 * Complexity: O(1).
 * @throws RangeError if p is not in (0, 1).
 * @example normalUpperQuantile(0.025) ≈ 1.959964
 */
export function normalUpperQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalUpperQuantile needs p in (0, 1), got ${p}`);
  const logP = Math.log(p);
  // Start: A&S 26.2.23 for the smaller tail, mirrored for p > 1/2.
  const tail = Math.min(p, 1 - p);
  const t = Math.sqrt(-2 * Math.log(tail));
  let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  if (p > 0.5) z = -z;
  for (let i = 0; i < 50; i++) {
    const logQ = logUpperTail(z);
    // d/dz ln Q(z) = -phi(z) / Q(z)
    const dlogQ = -Math.exp(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - logQ);
    const step = (logQ - logP) / dlogQ;
    z -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  // Never on the unsafe side: P(Z > z) must be <= p.
  let bump = 1e-15 * Math.max(1, Math.abs(z));
  while (logUpperTail(z) > logP) {
    z += bump;
    bump *= 2;
  }
  return z;
}

/** ln P(Z > z) for Z ~ N(0, 1). */
export function logUpperTail(z: number): number {
  return Math.log(0.5) + logErfc(z / Math.SQRT2);
}
