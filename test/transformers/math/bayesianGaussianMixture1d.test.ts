/**
 * The 1-D variational Bayesian Gaussian mixture.
 *
 * Reference behaviour: scikit-learn `BayesianGaussianMixture` with
 * `weight_concentration_prior_type='dirichlet_process'`, `weight_concentration_prior=0.001`
 * (https://scikit-learn.org/stable/modules/generated/sklearn.mixture.BayesianGaussianMixture.html and
 * the user guide https://scikit-learn.org/stable/modules/mixture.html#bgmm): with a small
 * concentration the Dirichlet process switches off components the data do not need, so a clear
 * 3-mode mixture fitted with 10 components keeps ~3 components with non-negligible weight.
 * Special-function reference values are from scipy.special 1.17 (digamma, gammaln, betaln).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/rng.js';
import { bayesianGaussianMixture1d } from '../../../src/transformers/math/bayesianGaussianMixture1d.js';
import { betaln, digamma, lgamma } from '../../../src/transformers/math/special.js';

function threeModes(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    x[i] = u < 0.5 ? -10 + rng.normal() : u < 0.8 ? 5 + 0.5 * rng.normal() : 20 + 2 * rng.normal();
  }
  return x;
}

function dominant(fit: { weights: number[]; means: number[]; stds: number[] }, threshold = 0.05) {
  return fit.weights
    .map((w, k) => ({ w, mean: fit.means[k]!, std: fit.stds[k]! }))
    .filter((c) => c.w > threshold)
    .sort((p, q) => p.mean - q.mean);
}

/** ∫ |p - q| over [lo, hi] of the two fitted mixture densities (trapezoid rule, 2000 steps). */
function densityL1(p: { weights: number[]; means: number[]; stds: number[] }, q: typeof p, lo: number, hi: number): number {
  const dens = (f: typeof p, x: number) => f.weights.reduce((s, w, k) => s + (w * Math.exp(-0.5 * ((x - f.means[k]!) / f.stds[k]!) ** 2)) / (f.stds[k]! * Math.sqrt(2 * Math.PI)), 0);
  const steps = 2000;
  const h = (hi - lo) / steps;
  let s = 0;
  for (let i = 0; i <= steps; i++) s += (i === 0 || i === steps ? 0.5 : 1) * Math.abs(dens(p, lo + i * h) - dens(q, lo + i * h));
  return s * h;
}

describe('special functions (reference: scipy.special)', () => {
  it('digamma, lgamma, betaln match scipy', () => {
    const ref: [number, number, number][] = [
      [0.001, -1000.5755719318103, 6.907178885383853],
      [0.5, -1.9635100260214235, 0.5723649429247],
      [1, -0.5772156649015329, 0],
      [2.5, 0.7031566406452432, 0.2846828704729192],
      [7.3, 1.917820335637986, 7.147892523022249],
      [1000.5, 6.907755320648796, 5908.674175848678],
    ];
    for (const [x, dg, lg] of ref) {
      expect(digamma(x)).toBeCloseTo(dg, 9);
      expect(lgamma(x)).toBeCloseTo(lg, 9);
    }
    expect(betaln(1.5, 0.001)).toBeCloseTo(6.9071419281468485, 9);
    expect(betaln(300.2, 1200.7)).toBeCloseTo(-752.9031368908736, 7);
  });
});

describe('bayesianGaussianMixture1d', () => {
  it('recovers a clear 3-mode mixture: 3 dominant components near the true means and weights', () => {
    const fit = bayesianGaussianMixture1d(threeModes(5000, 1), undefined, new Rng(7));
    expect(fit.weights.length).toBe(10);
    expect(fit.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const dom = dominant(fit);
    expect(dom.length).toBe(3);
    expect(dom.map((c) => c.mean)).toEqual([expect.closeTo(-10, 0), expect.closeTo(5, 0), expect.closeTo(20, 0)]);
    expect(dom[0]!.w).toBeGreaterThan(0.4);
    expect(dom[0]!.w).toBeLessThan(0.6);
    expect(dom[0]!.std).toBeGreaterThan(0.7);
    expect(dom[0]!.std).toBeLessThan(1.3);
    expect(dom[1]!.std).toBeLessThan(0.8);
    // The stick-breaking prior with γ = 0.001 leaves the remaining components almost empty.
    const rest = fit.weights.filter((w) => w <= 0.05).reduce((s, v) => s + v, 0);
    expect(rest).toBeLessThan(0.05);
  });

  it('is deterministic given the seed', () => {
    const x = threeModes(2000, 2);
    const f1 = bayesianGaussianMixture1d(x, undefined, new Rng(3));
    const f2 = bayesianGaussianMixture1d(x, undefined, new Rng(3));
    expect(f2).toEqual(f1);
  });

  // With max_iter = 100 the variational updates usually have not converged (scikit-learn then
  // warns); a mode is often still split over several components. Two fits are therefore compared
  // by their mixture densities, and by their components only when run to convergence.
  it('fitting distinct values with their counts equals fitting the raw rows (frequency weights)', () => {
    const rng = new Rng(4);
    const raw = new Float64Array(3000);
    for (let i = 0; i < raw.length; i++) raw[i] = rng.uniform() < 0.6 ? Math.round(30 + 5 * rng.normal()) : Math.round(60 + 3 * rng.normal());
    const counts = new Map<number, number>();
    for (const v of raw) counts.set(v, (counts.get(v) ?? 0) + 1);
    const pts = Float64Array.from(counts.keys());
    const wts = Float64Array.from(counts.values());
    const rawFit = bayesianGaussianMixture1d(raw, undefined, new Rng(5));
    const cntFit = bayesianGaussianMixture1d(pts, wts, new Rng(5));
    expect(densityL1(rawFit, cntFit, 0, 80)).toBeLessThan(0.05);

    const a = dominant(bayesianGaussianMixture1d(raw, undefined, new Rng(5), { maxIter: 5000 }));
    const b = dominant(bayesianGaussianMixture1d(pts, wts, new Rng(5), { maxIter: 5000 }));
    expect(a.length).toBe(2);
    expect(b.length).toBe(2);
    for (let k = 0; k < 2; k++) {
      expect(b[k]!.mean).toBeCloseTo(a[k]!.mean, 2);
      expect(b[k]!.std).toBeCloseTo(a[k]!.std, 2);
      expect(b[k]!.w).toBeCloseTo(a[k]!.w, 2);
    }
  });

  it('on a (noisy) weighted histogram gives approximately the raw-point answer', () => {
    const raw = threeModes(8000, 6);
    const lo = -16;
    const hi = 30;
    const bins = 92;
    const width = (hi - lo) / bins;
    const centres = new Float64Array(bins);
    const counts = new Float64Array(bins);
    for (let j = 0; j < bins; j++) centres[j] = lo + (j + 0.5) * width;
    for (const v of raw) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))] += 1;
    const noise = new Rng(8);
    for (let j = 0; j < bins; j++) counts[j] = counts[j]! + 3 * noise.normal(); // DP-style noise; negatives are ignored
    const rawFit = bayesianGaussianMixture1d(raw, undefined, new Rng(9));
    const histFit = bayesianGaussianMixture1d(centres, counts, new Rng(9));
    expect(densityL1(rawFit, histFit, lo, hi)).toBeLessThan(0.06);

    const a = dominant(bayesianGaussianMixture1d(raw, undefined, new Rng(9), { maxIter: 1500 }));
    const b = dominant(bayesianGaussianMixture1d(centres, counts, new Rng(9), { maxIter: 1500 }));
    expect(a.length).toBe(3);
    expect(b.length).toBe(3);
    for (let k = 0; k < 3; k++) {
      expect(Math.abs(b[k]!.mean - a[k]!.mean)).toBeLessThan(0.2);
      // Binning at width 0.5 adds width^2 / 12 to each variance (Sheppard's correction).
      expect(Math.abs(b[k]!.std - a[k]!.std) / a[k]!.std).toBeLessThan(0.1);
      expect(Math.abs(b[k]!.w - a[k]!.w)).toBeLessThan(0.02);
    }
  });

  it('handles fewer points than components, constant data, and extreme scales', () => {
    const small = bayesianGaussianMixture1d([1, 2, 2, 50], undefined, new Rng(1));
    expect(small.weights.length).toBe(3); // 3 distinct values
    expect(small.stds.every((s) => s > 0 && Number.isFinite(s))).toBe(true);

    const constant = bayesianGaussianMixture1d(new Float64Array(100).fill(42), undefined, new Rng(1));
    expect(constant.weights).toEqual([1]);
    expect(constant.means).toEqual([42]);
    expect(constant.stds[0]).toBeGreaterThan(0);

    // Epoch milliseconds (~1.6e12) and tiny values (~1e-9): same structure after scaling.
    const base = threeModes(2000, 10);
    const big = bayesianGaussianMixture1d(base.map((v) => 1.6e12 + v * 8.64e7), undefined, new Rng(2));
    const tiny = bayesianGaussianMixture1d(base.map((v) => v * 1e-9), undefined, new Rng(2));
    const ref = bayesianGaussianMixture1d(base, undefined, new Rng(2));
    expect(dominant(big).map((c) => (c.mean - 1.6e12) / 8.64e7)).toEqual(dominant(ref).map((c) => expect.closeTo(c.mean, 3)));
    expect(dominant(tiny).map((c) => c.mean * 1e9)).toEqual(dominant(ref).map((c) => expect.closeTo(c.mean, 3)));
  });

  it('rejects bad input with a clear message', () => {
    expect(() => bayesianGaussianMixture1d([1, NaN], undefined, new Rng(1))).toThrow(/not a finite number/);
    expect(() => bayesianGaussianMixture1d([1, 2], [0, -1], new Rng(1))).toThrow(/no point has a positive weight/);
    expect(() => bayesianGaussianMixture1d([1, 2], [1], new Rng(1))).toThrow(/2 points but 1 weights/);
  });
});
