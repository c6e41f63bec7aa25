import { Rng } from '../rng.js';

/** The rng of batch `index` of a sampling run with `seed` (independent of scheduling). */
export function batchRng(seed: number, index: number): Rng {
  return new Rng(seed).fork('sample').fork(`batch-${index}`);
}
