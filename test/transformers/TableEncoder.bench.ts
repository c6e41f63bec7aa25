/**
 * Speed of the table encoder on UCI Adult (26k rows x 15 columns): encode, and decode of 100k rows.
 * Run: npx vitest bench --run test/transformers   (not part of `vitest run`; STYLE: benchmarks are
 * not timed tests). Recorded results are in the commit message that added or changed this file.
 */
import { bench, describe } from 'vitest';
import { Rng } from '../../src/rng.js';
import { TableEncoder } from '../../src/transformers/TableEncoder.js';
import { ADULT_PRESENT as adultAvailable, readAdultTrain as readAdult } from '../fixtures/adult.js';

describe.skipIf(!adultAvailable)('TableEncoder on Adult', () => {
  const { table, columns } = adultAvailable ? readAdult() : { table: null!, columns: [] };
  const te = adultAvailable ? TableEncoder.fit(columns, table, new Rng(1)) : null!;
  // 100k rows of decoder-like output: random logits everywhere (argmax picks a slot), alpha in [-1, 1].
  const N = 100_000;
  const dec = adultAvailable ? new Float32Array(N * te.width) : new Float32Array(0);
  if (adultAvailable) {
    const r = new Rng(3);
    for (let i = 0; i < dec.length; i++) dec[i] = r.uniform() * 2 - 1;
  }
  const sigmas = adultAvailable ? new Float32Array(te.width).fill(0.05) : undefined;

  bench('fit (26k rows, 15 columns)', () => {
    TableEncoder.fit(columns, table, new Rng(1));
  }, { iterations: 3, time: 0 });

  bench('encode (26k rows)', () => {
    te.encode(table, new Rng(2));
  }, { iterations: 10, time: 0 });

  bench('decode (100k rows, with sigmas)', () => {
    te.decode(dec, N, new Rng(4), sigmas);
  }, { iterations: 10, time: 0 });
});
