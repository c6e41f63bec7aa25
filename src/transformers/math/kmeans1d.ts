/**
 * Weighted 1-D k-means: greedy k-means++ seeding, then Lloyd iterations.
 *
 * Mirrors what scikit-learn's `KMeans(n_clusters=k, n_init=1)` does to initialise
 * `BayesianGaussianMixture(init_params='kmeans')`: greedy k-means++ with 2 + ⌊ln k⌋ local trials
 * per centre (Arthur & Vassilvitskii 2007; scikit-learn `_kmeans_plusplus`), sample weights
 * entering both the seeding probabilities and the centroid updates. Not draw-for-draw identical to
 * scikit-learn (different generator), but the same algorithm.
 *
 * Complexity O(n k (trials + iterations)).
 */
import type { Rng } from '../../rng.js';

export interface KMeansResult {
  centers: Float64Array;
  /** Cluster index per point. */
  labels: Int32Array;
  iterations: number;
}

/**
 * @param x points
 * @param w non-negative weights (same length as x), at least one positive
 * @param k number of clusters, 1 <= k <= number of points with positive weight
 * @throws {RangeError} on bad k or lengths
 */
export function kmeans1d(x: Float64Array, w: Float64Array, k: number, rng: Rng, maxIter = 300): KMeansResult {
  const n = x.length;
  if (w.length !== n) throw new RangeError(`kmeans1d: ${n} points but ${w.length} weights`);
  if (!(k >= 1) || !Number.isInteger(k) || k > n) throw new RangeError(`kmeans1d: k must be an integer in [1, ${n}], got ${k}`);
  const centers = new Float64Array(k);
  const d2 = new Float64Array(n); // squared distance to the closest centre chosen so far
  const wd2 = new Float64Array(n);

  centers[0] = x[rng.categorical(w)]!;
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - centers[0]!;
    d2[i] = d * d;
    wd2[i] = w[i]! * d2[i]!;
    pot += wd2[i]!;
  }
  const trials = 2 + Math.floor(Math.log(k));
  for (let c = 1; c < k; c++) {
    let bestPot = Infinity;
    let bestCand = -1;
    for (let t = 0; t < trials; t++) {
      // All remaining weight sits on existing centres (duplicates): pick any positive-weight point.
      const cand = pot > 0 ? rng.categorical(wd2, pot) : rng.categorical(w);
      const cx = x[cand]!;
      let p = 0;
      for (let i = 0; i < n; i++) {
        const d = x[i]! - cx;
        p += w[i]! * Math.min(d2[i]!, d * d);
      }
      if (p < bestPot) {
        bestPot = p;
        bestCand = cand;
      }
    }
    const cx = x[bestCand]!;
    centers[c] = cx;
    pot = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i]! - cx;
      if (d * d < d2[i]!) d2[i] = d * d;
      wd2[i] = w[i]! * d2[i]!;
      pot += wd2[i]!;
    }
  }

  const labels = new Int32Array(n).fill(-1);
  const sumW = new Float64Array(k);
  const sumWX = new Float64Array(k);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      let best = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const d = Math.abs(xi - centers[c]!);
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      if (labels[i] !== best) {
        labels[i] = best;
        changed++;
      }
    }
    if (changed === 0) break;
    sumW.fill(0);
    sumWX.fill(0);
    for (let i = 0; i < n; i++) {
      sumW[labels[i]!] += w[i]!;
      sumWX[labels[i]!] += w[i]! * x[i]!;
    }
    // An empty cluster keeps its centre (scikit-learn relocates it; harmless here because the
    // mixture's priors pull an empty component back to the data mean).
    for (let c = 0; c < k; c++) if (sumW[c]! > 0) centers[c] = sumWX[c]! / sumW[c]!;
  }
  return { centers, labels, iterations: iter };
}
