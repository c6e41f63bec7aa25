import { describe, expect, it } from 'vitest';
import { ksStatistic } from '../../src/evaluation/stats/ks.js';
import { clopperPearson, normalQuantile, wilson } from '../../src/evaluation/stats/binomial.js';
import { bootstrapAuc, empiricalEpsilon, rocAuc, rocCounts, rocCurvePoints, tprAtFpr } from '../../src/evaluation/stats/roc.js';
import { quantileSorted } from '../../src/evaluation/stats/summary.js';
import { Rng } from '../../src/rng.js';

describe('ksStatistic', () => {
  it('matches hand-computed cases', () => {
    // ECDFs of {1,2,3,4} and {3,4,5,6}: at x = 2, 0.5 vs 0; at x = 4, 1 vs 0.5 -> D = 0.5
    // (scipy.stats.ks_2samp([1,2,3,4],[3,4,5,6]).statistic = 0.5).
    expect(ksStatistic([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(0.5, 12);
    // With ties: {1,1,2} vs {1,2,2}: at x = 1, 2/3 vs 1/3; at x = 2, 1 vs 1 -> D = 1/3.
    expect(ksStatistic([1, 1, 2], [1, 2, 2])).toBeCloseTo(1 / 3, 12);
    // Disjoint supports -> 1; identical samples -> 0.
    expect(ksStatistic([1, 2], [3, 4])).toBe(1);
    expect(ksStatistic([5, 1, 3], [3, 5, 1])).toBe(0);
  });
  it('rejects empty samples', () => {
    expect(() => ksStatistic([], [1])).toThrow(RangeError);
  });
});

describe('binomial intervals', () => {
  it('Clopper-Pearson matches R binom.test', () => {
    // R 4.x: binom.test(7, 20)$conf.int -> 0.1539092 0.5921885
    const [lo, hi] = clopperPearson(7, 20);
    expect(lo).toBeCloseTo(0.1539092, 6);
    expect(hi).toBeCloseTo(0.5921885, 6);
    // Closed forms at the edges: x = 0 -> upper = 1 - (alpha/2)^(1/n); x = n -> lower = (alpha/2)^(1/n)
    // (binom.test(0, 10)$conf.int -> 0 0.3084971).
    expect(clopperPearson(0, 10)[0]).toBe(0);
    expect(clopperPearson(0, 10)[1]).toBeCloseTo(0.3084971, 6);
    expect(clopperPearson(10, 10)[0]).toBeCloseTo(Math.pow(0.025, 1 / 10), 9);
    expect(clopperPearson(10, 10)[1]).toBe(1);
  });
  it('Wilson matches statsmodels proportion_confint(method="wilson")', () => {
    // statsmodels: proportion_confint(7, 20, alpha=0.05, method='wilson') -> (0.18119, 0.56715);
    // by hand: center (p + z^2/2n) / (1 + z^2/n) = 0.374171, half-width 0.192980.
    const [lo, hi] = wilson(7, 20);
    expect(lo).toBeCloseTo(0.18119, 4);
    expect(hi).toBeCloseTo(0.56715, 4);
    // proportion_confint(0, 50, method='wilson') -> (0, 0.07135)
    expect(wilson(0, 50)[0]).toBe(0);
    expect(wilson(0, 50)[1]).toBeCloseTo(0.07135, 4);
  });
  it('normalQuantile', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
  });
  it('quantileSorted uses linear interpolation (numpy default)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5); // np.quantile([1,2,3,4], 0.5) = 2.5
    expect(quantileSorted([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12); // np.quantile(..., 0.1) = 1.3
  });
});

describe('ROC', () => {
  it('AUC = P(pos > neg) + 0.5 P(tie), hand-computed', () => {
    // pos {0.9, 0.4}, neg {0.5, 0.1, 0.4}: pairs pos>neg: 0.9 beats 3; 0.4 beats 0.1, ties 0.4 -> (3 + 1 + 0.5) / 6
    const s = [0.9, 0.4, 0.5, 0.1, 0.4];
    const l = [1, 1, 0, 0, 0];
    expect(rocAuc(s, l)).toBeCloseTo(4.5 / 6, 12);
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([1, 2, 3, 4], [1, 1, 0, 0])).toBe(0);
  });
  it('curve, TPR at FPR and bootstrap', () => {
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const l = [1, 1, 0, 1, 0, 0];
    const c = rocCounts(s, l);
    expect(Array.from(c.tp)).toEqual([0, 1, 2, 2, 3, 3, 3]);
    expect(Array.from(c.fp)).toEqual([0, 0, 0, 1, 1, 2, 3]);
    expect(tprAtFpr(c, 0)).toBeCloseTo(2 / 3, 12);
    expect(tprAtFpr(c, 0.34)).toBe(1);
    const pts = rocCurvePoints(c);
    expect(pts.fpr[0]).toBe(0);
    expect(pts.tpr[pts.tpr.length - 1]).toBe(1);
    const ci = bootstrapAuc(s, l, new Rng(1), 200);
    expect(ci[0]).toBeLessThanOrEqual(rocAuc(s, l));
    expect(ci[1]).toBeGreaterThanOrEqual(rocAuc(s, l));
    // Same seed, same interval.
    expect(bootstrapAuc(s, l, new Rng(1), 200)).toEqual(ci);
  });
  it('empirical epsilon: 0 for a useless attack, large for a perfect one', () => {
    const rng = new Rng(3);
    const n = 2000;
    const s = Array.from({ length: n }, () => rng.uniform());
    const l = Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 0));
    expect(empiricalEpsilon(rocCounts(s, l))).toBeLessThan(0.35);
    const perfect = l.map((v) => v + 0.0);
    // Perfect separation of 1000 vs 1000: TPR_lo = 0.99631 at FPR_hi = 0.00368 -> eps ~ 5.6.
    const eps = empiricalEpsilon(rocCounts(perfect, l));
    expect(eps).toBeGreaterThan(5);
    expect(eps).toBeCloseTo(Math.log(clopperPearson(1000, 1000)[0] / clopperPearson(0, 1000)[1]), 6);
  });
});
