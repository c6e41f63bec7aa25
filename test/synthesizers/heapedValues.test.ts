/**
 * Heaped integer values under DP (fitPrivateEncoder's heapedValues, noisyPointCounts, fitFromSummary's pointMasses):
 * a value holding most of a spiking histogram bin becomes a point-mass mode that decodes onto it exactly; the
 * search is ledgered, spent only where the histogram spikes, and never over the histogram's own share.
 */
import { describe, expect, it } from 'vitest';
import { fitPrivateEncoder, HEAPING_SHARE } from '../../src/synthesizers/fitPrivateEncoder.js';
import { noisyPointCounts } from '../../src/privacy/mechanisms/noisyPointCounts.js';
import { ClusterBasedNormalizer } from '../../src/transformers/ClusterBasedNormalizer.js';
import { PrivacyLedger } from '../../src/privacy/PrivacyLedger.js';
import { PrivacyError } from '../../src/errors.js';
import { Rng } from '../../src/rng.js';
import type { ColumnSpec } from '../../src/metadata/Metadata.js';
import type { Cell, Table } from '../../src/table/Table.js';

describe('noisyPointCounts', () => {
  it('counts the values equal to each point with noise std 1 / sqrt(2 rho), and nothing else', () => {
    const values = [60, 60, 60, 48, 48, 61, null, 59.5, 12];
    const r = noisyPointCounts(values, [60, 48, 36], { rho: 1e8, label: 'heaping:t' }, new Rng(1));
    expect(r.std).toBeCloseTo(1 / Math.sqrt(2e8), 12);
    expect(r.counts.map((c) => Math.round(c))).toEqual([3, 2, 0]);
    expect(r.spend).toMatchObject({ label: 'heaping:t', mechanism: 'gaussian', rho: 1e8 });
    expect(() => noisyPointCounts(values, [60, 60], { rho: 1, label: 'x' }, new Rng(1))).toThrow(PrivacyError);
    expect(() => noisyPointCounts(values, [], { rho: 1, label: 'x' }, new Rng(1))).toThrow(PrivacyError);
    expect(() => noisyPointCounts(values, [1], { rho: 0, label: 'x' }, new Rng(1))).toThrow(PrivacyError);
  });
});

describe('heaped integers in fitPrivateEncoder', () => {
  // 3,000 rows shaped like credit-data's loan terms: 60 (45%), 36 (25%), 48 (20%), the rest spread over 6-72;
  // beside it a smooth integer column over 0-9,999 (no heaping: nothing to search)
  const N = 3000;
  const rng = new Rng(7);
  const term: Cell[] = Array.from({ length: N }, () => {
    const u = rng.uniform();
    return u < 0.45 ? 60 : u < 0.7 ? 36 : u < 0.9 ? 48 : 6 + rng.int(67);
  });
  const smooth: Cell[] = Array.from({ length: N }, () => rng.int(10_000));
  const table: Table = { names: ['term', 'smooth'], columns: [term, smooth], rowCount: N };
  const specs: ColumnSpec[] = [
    { name: 'term', type: 'integer', action: 'keep', nullable: false, min: 0, max: 255, public: true },
    { name: 'smooth', type: 'integer', action: 'keep', nullable: false, min: 0, max: 9999, public: true },
  ];

  it('finds 60, 36 and 48 and makes each a point mass with about its share; a smooth column spends nothing on it', () => {
    const ledger = new PrivacyLedger({ epsilon: 1, delta: 1e-5 });
    const pre = fitPrivateEncoder(table, specs, { preprocessingRho: 0.01, thresholdDelta: 1e-6, ledger, rng: new Rng(3), noisyRows: N, histogramBins: 64 });
    const t = pre.encoder.blocks.find((b) => b.column === 'term')!.transformer as ClusterBasedNormalizer;
    const { weights, means } = t.modes;
    const points = t.pointModes.map((k) => means[k]!);
    expect(points.sort((a, b) => a - b)).toEqual([36, 48, 60]);
    const share = (v: number) => weights[means.indexOf(v)]!;
    expect(Math.abs(share(60) - 0.45)).toBeLessThan(0.06);
    expect(Math.abs(share(36) - 0.25)).toBeLessThan(0.06);
    // their draws decode onto the values exactly
    const draws = Float32Array.from([0.7, t.pointModes[0]!, -0.4, t.pointModes[1]!]);
    const out = t.reverseDraws(draws, 2, 2, 0, new Rng(1));
    expect(out.kind === 'number' && [...out.values].every((v) => points.includes(v))).toBe(true);
    // the search is ledgered with HEAPING_SHARE of the histogram's rho (the histogram the rest); none for `smooth`
    const rho = (label: string) => (ledger.entries.find((e) => e.label === label) as { rho: number } | undefined)?.rho;
    expect(rho('heaping:term')! / (rho('heaping:term')! + rho('histogram:term')!)).toBeCloseTo(HEAPING_SHARE, 9);
    expect(rho('heaping:smooth')).toBeUndefined();
    // `smooth` (bins 160 wide: too wide to search) keeps its whole histogram share, what `term` splits in two
    expect(rho('histogram:smooth')).toBeCloseTo(rho('histogram:term')! + rho('heaping:term')!, 12);
    expect(ledger.zcdpRho).toBeLessThanOrEqual(0.01 * (1 + 1e-9));
  });
});

describe('heaped integers on a small table', () => {
  it('does not search where no value could stand out (its 4 std threshold over a tenth of the rows): the histogram keeps its whole share', () => {
    // 400 rows of the same shape at a budget where the search's noise std is ~50 rows (a value would need 200)
    const N = 400;
    const rng = new Rng(8);
    const term: Cell[] = Array.from({ length: N }, () => (rng.uniform() < 0.5 ? 60 : 6 + rng.int(67)));
    const specs: ColumnSpec[] = [{ name: 'term', type: 'integer', action: 'keep', nullable: false, min: 0, max: 255, public: true }];
    const ledger = new PrivacyLedger({ epsilon: 1, delta: 1e-5 });
    fitPrivateEncoder({ names: ['term'], columns: [term], rowCount: N }, specs, { preprocessingRho: 0.002, thresholdDelta: 1e-6, ledger, rng: new Rng(3), noisyRows: N, histogramBins: 64 });
    expect(ledger.entries.map((e) => e.label)).toEqual(['histogram:term']);
    expect((ledger.entries[0] as { rho: number }).rho).toBeCloseTo(0.002, 12);
  });
});

describe('fitFromSummary with interior point masses', () => {
  it('adds each as a mode of its own with its share of the total, the mixture scaled to the rest', () => {
    const points = Float64Array.from({ length: 10 }, (_, k) => 5 + 10 * k);
    const weights = Float64Array.from({ length: 10 }, () => 60);
    const t = new ClusterBasedNormalizer('x').fitFromSummary({ points, weights, min: 0, max: 100, pointMasses: [{ value: 42, mass: 400 }, { value: 100, mass: 50 }] }, { name: 'x', type: 'integer', action: 'keep', nullable: false }, new Rng(2));
    const { weights: w, means } = t.modes;
    // 42 is inside the bounds: a point mass with 400 / (600 + 400); a "point mass" on a bound is the bound's business
    expect(t.pointModes.map((k) => means[k])).toEqual([42]);
    expect(w[means.indexOf(42)]).toBeCloseTo(0.4, 12);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2); // the mixture drops modes under its weight threshold
  });
});

describe('fitFromSummary with nothing but point masses', () => {
  it('fits the heaped values alone when they took every weight (no "no positive weight" error)', () => {
    const points = Float64Array.from([0, 34, 62, 100]);
    const weights = new Float64Array(4); // every bin's count went to its heaped value
    const t = new ClusterBasedNormalizer('term').fitFromSummary({ points, weights, min: 0, max: 100, pointMasses: [{ value: 36, mass: 200 }, { value: 60, mass: 300 }] }, { name: 'term', type: 'integer', action: 'keep', nullable: false }, new Rng(1));
    const { weights: w, means } = t.modes;
    expect(means).toEqual([36, 60]);
    expect(w[0]).toBeCloseTo(0.4, 12);
    expect(t.pointModes).toEqual([0, 1]);
    const out = t.reverseDraws(Float32Array.from([0.9, 0, -0.9, 1]), 2, 2, 0, new Rng(2));
    expect(out.kind === 'number' && Array.from(out.values)).toEqual([36, 60]);
  });
});
