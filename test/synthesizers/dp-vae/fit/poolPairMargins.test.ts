/**
 * poolPairMargins: a categorical column's one-way release pooled with the margins of its measured pair tables.
 */
import { describe, expect, it } from 'vitest';
import { poolPairMargins } from '../../../../src/synthesizers/dp-vae/fit/poolPairMargins.js';
import type { Grouping, PairMeasurement } from '../../../../src/synthesizers/dp-vae/fit/MarginalModel.js';
import { MARGINALS_KIND, MARGINALS_VERSION, type MarginalRelease, type NoisyMarginal } from '../../../../src/sampling/marginals.js';
import { Rng } from '../../../../src/rng.js';

const identity = (n: number): Grouping => ({ group: Int32Array.from({ length: n }, (_, j) => j), groups: n });
const categorical = (column: string, counts: number[], std: number): NoisyMarginal => ({ column, kind: 'categorical', labels: counts.map((_, j) => `c${j}`), counts, std });
const release = (marginals: NoisyMarginal[]): MarginalRelease => ({ kind: MARGINALS_KIND, version: MARGINALS_VERSION, rho: 1, marginals });

describe('pooling a categorical release with its pair tables (poolPairMargins)', () => {
  // CPS 1985 at epsilon 1 has noise stds of about this size (427 rows): one-way 24 a cell, each target pair 35
  const truth = [200, 150, 77];
  const other1 = [0.5, 0.5];
  const other2 = [0.4, 0.3, 0.2, 0.1];
  const s1 = 24;
  const sp = 35;
  function draw(rng: Rng): { rel: MarginalRelease; pairs: PairMeasurement[] } {
    const oneWay = truth.map((c) => c + s1 * rng.normal());
    const table = (other: number[], first: boolean) =>
      first
        ? Float64Array.from({ length: 3 * other.length }, (_, i) => truth[Math.floor(i / other.length)]! * other[i % other.length]! + sp * rng.normal())
        : Float64Array.from({ length: other.length * 3 }, (_, i) => truth[i % 3]! * other[Math.floor(i / 3)]! + sp * rng.normal());
    const rel = release([categorical('target', oneWay, s1), categorical('x', [213, 214], s1), categorical('w', [171, 128, 85, 43], s1)]);
    // the target first in one pair and second in the other: both layouts are read
    const pairs: PairMeasurement[] = [
      { a: 0, b: 1, ga: identity(3), gb: identity(2), y: table(other1, true), std: sp },
      { a: 2, b: 0, ga: identity(4), gb: identity(3), y: table(other2, false), std: sp },
    ];
    return { rel, pairs };
  }

  it('is unbiased, has a smaller error than the one-way release, and records that error as its std (Monte Carlo)', () => {
    const rng = new Rng(7);
    const T = 4000;
    const sum = [0, 0, 0];
    let se1 = 0;
    let sePooled = 0;
    let std = 0;
    for (let t = 0; t < T; t++) {
      const { rel, pairs } = draw(rng);
      const pooled = poolPairMargins(rel, pairs).marginals[0]!;
      std = pooled.std;
      truth.forEach((c, j) => {
        sum[j]! += pooled.counts[j]!;
        se1 += (rel.marginals[0]!.counts[j]! - c) ** 2;
        sePooled += (pooled.counts[j]! - c) ** 2;
      });
    }
    // inverse-variance: 1 / 24^2 + 1 / (35^2 x 2) + 1 / (35^2 x 4) -> std 19.4 (one-way: 24)
    expect(std).toBeCloseTo(1 / Math.sqrt(1 / s1 ** 2 + 1 / (sp ** 2 * 2) + 1 / (sp ** 2 * 4)), 9);
    truth.forEach((c, j) => expect(Math.abs(sum[j]! / T - c)).toBeLessThan(1.5));
    expect(Math.sqrt(se1 / (3 * T))).toBeCloseTo(s1, 0);
    expect(Math.abs(Math.sqrt(sePooled / (3 * T)) - std)).toBeLessThan(0.5);
  });

  it('pools a grouped column by its groups and keeps the release\'s shares within a group', () => {
    // five categories, the two smallest pooled into one group in the pair table (pairGroups)
    const g: Grouping = { group: Int32Array.from([0, 1, 2, 3, 3]), groups: 4 };
    const rel = release([categorical('job', [100, 80, 60, 30, 10], 10), categorical('y', [140, 140], 10)]);
    // the pair table says the pooled group holds 80 (not 40) and every other group what the release says
    const y = Float64Array.from([50, 50, 40, 40, 30, 30, 40, 40]);
    const out = poolPairMargins(rel, [{ a: 0, b: 1, ga: g, gb: identity(2), y, std: 10 }]).marginals[0]!;
    // group 3: one-way 40 (variance 2 x 100), pair 80 (variance 2 x 100): 60, split 3:1 as the release has it
    expect(out.counts[3]).toBeCloseTo(45, 9);
    expect(out.counts[4]).toBeCloseTo(15, 9);
    [100, 80, 60].forEach((c, j) => expect(out.counts[j]).toBeCloseTo(c, 9));
  });

  it('leaves numeric marginals and columns in no pair as released (the same objects)', () => {
    const num: NoisyMarginal = { column: 'age', kind: 'numeric', edges: [0, 50, 100], nullable: false, counts: [10, 20], std: 3 };
    const lone = categorical('lone', [5, 6], 3);
    const rel = release([num, lone, categorical('t', [15, 15], 3)]);
    const out = poolPairMargins(rel, [{ a: 0, b: 2, ga: identity(2), gb: identity(2), y: Float64Array.from([5, 5, 10, 10]), std: 3 }]);
    expect(out.marginals[0]).toBe(num);
    expect(out.marginals[1]).toBe(lone);
    expect(out.marginals[2]).not.toBe(rel.marginals[2]);
  });

  it('never gives a negative count', () => {
    const rel = release([categorical('t', [3, 200], 30), categorical('x', [100, 103], 30)]);
    const out = poolPairMargins(rel, [{ a: 0, b: 1, ga: identity(2), gb: identity(2), y: Float64Array.from([-80, -60, 100, 103]), std: 30 }]);
    expect(out.marginals[0]!.counts[0]).toBe(0);
  });
});
