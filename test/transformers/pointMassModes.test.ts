/**
 * ClusterBasedNormalizer.fitFromSummary (the DP path): a bound's point bin holding a share of the mass becomes a
 * point-mass mode, and its draws decode onto the bound exactly.
 */
import { describe, expect, it } from 'vitest';
import { ClusterBasedNormalizer } from '../../src/transformers/ClusterBasedNormalizer.js';
import { TableEncoder } from '../../src/transformers/TableEncoder.js';
import type { ColumnSpec } from '../../src/metadata/Metadata.js';
import { Rng } from '../../src/rng.js';

const assets: ColumnSpec = { name: 'assets', type: 'integer', action: 'keep', nullable: false };

/**
 * The shape of credit-data's Assets at epsilon 1 (3,563 rows): 37% zeros, the rest over 2,000-12,000, a DP range of
 * 0-65,536 in bins of 1,024 (the point bin [0, 1) first); the counts are a rounded stand-in for its noisy histogram.
 */
function summary(zeros: number): { points: Float64Array; weights: Float64Array; min: number; max: number } {
  const points = [0];
  const weights = [zeros];
  for (let k = 0; k < 64; k++) {
    points.push(1 + 1024 * k + 512);
    weights.push(k >= 1 && k <= 11 ? [0, 110, 300, 460, 330, 250, 170, 130, 110, 90, 80, 70][k]! : 0);
  }
  return { points: Float64Array.from(points), weights: Float64Array.from(weights), min: 0, max: 65536 };
}

describe('point-mass modes at a bound (fitFromSummary)', () => {
  it('gives the zeros a mode of their own at 0 with their share, and decodes its draws to exactly 0', () => {
    const s = summary(1300);
    const total = s.weights.reduce((a, b) => a + b, 0);
    const t = new ClusterBasedNormalizer('assets').fitFromSummary(s, assets, new Rng(1));
    const { weights, means, stds } = t.modes;
    const k = means.indexOf(0);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(weights[k]).toBeCloseTo(1300 / total, 12);
    expect(stds[k]).toBeLessThan(1e-3);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5); // the mixture drops modes under its weight threshold
    // every other mode is away from the zeros (before, one mode at 2.1 with std 114 took them and decoded them over 0-457)
    for (let j = 0; j < means.length; j++) if (j !== k) expect(means[j]).toBeGreaterThan(500);
    // draws of the point mode decode to 0 whatever their position (alpha -1 .. 1) and output noise
    const te = TableEncoder.fromTransformers([t]);
    const n = 200;
    const enc = new Float32Array(n * te.width);
    for (let i = 0; i < n; i++) {
      enc[i * te.width] = -1 + (2 * i) / (n - 1);
      enc[i * te.width + 1 + k] = 1;
    }
    const sigmas = new Float32Array(te.width).fill(0.5);
    expect(te.decode(enc, n, new Rng(2), sigmas).columns[0]!.every((v) => v === 0)).toBe(true);
    // and a real 0 is encoded in that mode, a 3,000 in another
    const x = te.encode({ names: ['assets'], columns: [[0, 3000]], rowCount: 2 }, new Rng(3));
    expect(x[1 + k]).toBe(1);
    expect(x[te.width + 1 + k]).toBe(0);
    // the state round-trips
    const back = TableEncoder.fromJSON(JSON.parse(JSON.stringify(te.toJSON())));
    expect(back.decode(enc, n, new Rng(2), sigmas).columns[0]!.every((v) => v === 0)).toBe(true);
  });

  it('does not make a point mass of a tail clipped onto a bound (boundMass: the bounds\' own mass)', () => {
    // 6% of the mass at the upper bound, all of it values above the DP range clipped there (flchain's futime at
    // epsilon 1 came out with 3% of its values on its upper bound, real 0.3% on any one value)
    const s = summary(1300);
    const total = s.weights.reduce((a, b) => a + b, 0);
    s.weights[s.weights.length - 1] = 0.06 * total;
    s.points[s.points.length - 1] = 65536;
    const t = new ClusterBasedNormalizer('assets').fitFromSummary({ ...s, boundMass: { min: 1300, max: 0 } }, assets, new Rng(1));
    const tiny = t.modes.stds.map((sd) => sd < 1e-3);
    expect(tiny.filter(Boolean)).toHaveLength(1);
    expect(t.modes.means[tiny.indexOf(true)]).toBe(0);
    // without boundMass the upper bound's 6% would be a point mass too
    const u = new ClusterBasedNormalizer('assets').fitFromSummary(s, assets, new Rng(1));
    expect(u.modes.stds.filter((sd) => sd < 1e-3)).toHaveLength(2);
  });

  it('leaves a bound holding under 2% of the mass to the mixture', () => {
    const s = summary(30);
    const t = new ClusterBasedNormalizer('assets').fitFromSummary(s, assets, new Rng(1));
    expect(t.modes.stds.every((sd) => sd > 1)).toBe(true);
  });
});
