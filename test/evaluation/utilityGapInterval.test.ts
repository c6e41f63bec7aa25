/**
 * The detection AUC and the ML-utility gap are judged as a statistical statement (issue 17: the demo's 107-row holdout): fail only
 * when its whole 95% paired-bootstrap interval is above 0.15, inconclusive when the interval straddles it.
 */
import { describe, expect, it } from 'vitest';
import { compute, type UtilityDetails } from '../../src/evaluation/metrics/mlUtility.js';
import { prepareData } from '../../src/evaluation/prepare.js';
import { computeVerdicts } from '../../src/evaluation/verdicts.js';
import { compute as detection } from '../../src/evaluation/metrics/detection.js';
import type { EvaluationReport } from '../../src/evaluation/types.js';
import type { Metadata } from '../../src/metadata/Metadata.js';
import { makeTable, type Cell, type Table } from '../../src/table/Table.js';
import { Rng } from '../../src/rng.js';

function inputs(details: Record<string, unknown>): Pick<EvaluationReport, 'quality' | 'metrics' | 'columns'> {
  return {
    quality: { qualityScore: 0.9, columnShapes: 0.9, pairTrends: 0.9, columns: [], pairs: [], pairsTotal: 0, pairSummary: null },
    columns: { evaluated: [{ name: 'a', type: 'numeric' }], missingFromSynthetic: [], unseenCategories: [] },
    metrics: { ml_utility: { name: 'ml_utility', kind: 'utility', goal: 'maximize', range: [-1, 1], description: '', seconds: 0, value: 0.5, details } },
  };
}

/** y ~ Bernoulli(sigmoid(2 x)), or y independent of x when `noise`. */
function table(n: number, seed: number, noise = false): Table {
  const rng = new Rng(seed);
  const x: Cell[] = [];
  const y: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    x.push(a);
    y.push(rng.uniform() < 1 / (1 + Math.exp(noise ? 0 : -2 * a)) ? 'yes' : 'no');
  }
  return makeTable(['x', 'y'], [x, y]);
}
const md: Metadata = { kind: 'privsynth.schema', version: 1, missingValues: [], trim: true, columns: [{ name: 'x', type: 'numeric', action: 'keep', nullable: true }, { name: 'y', type: 'categorical', action: 'keep', nullable: true }] };

describe('ml_utility_gap verdict', () => {
  it('fails only when the whole interval is above 0.15; straddling is inconclusive; no interval: the point', () => {
    const v = (d: Record<string, unknown>) => computeVerdicts(inputs({ primary: 'auc', ...d })).utility.criteria[0]!;
    expect(v({ gap: 0.19, gapCi95: [0.05, 0.3] }).verdict).toBe('inconclusive');
    expect(v({ gap: 0.19, gapCi95: [0.16, 0.3] }).verdict).toBe('fail');
    expect(v({ gap: 0.19, gapCi95: [0.16, 0.3] }).ci95).toEqual([0.16, 0.3]);
    expect(v({ gap: 0.03, gapCi95: [-0.05, 0.1] }).verdict).toBe('pass');
    expect(v({ gap: 0.19 }).verdict).toBe('fail');
  });

  it('the interval holds the gap and narrows with a larger holdout', () => {
    const run = (holdoutRows: number) => {
      const data = prepareData(table(800, 1), table(holdoutRows, 2), table(800, 3, true), md);
      return compute(data, 'y', { maxRows: 30_000 }, new Rng(5)).details as UtilityDetails;
    };
    const small = run(100);
    const large = run(1600);
    for (const d of [small, large]) {
      expect(d.noRelation).toBe(true); // synthetic y is independent of x: TSTR at chance
      expect(d.gapCi95![0]).toBeLessThanOrEqual(d.gap!);
      expect(d.gapCi95![1]).toBeGreaterThanOrEqual(d.gap!);
    }
    expect(large.gapCi95![1] - large.gapCi95![0]).toBeLessThan(0.6 * (small.gapCi95![1] - small.gapCi95![0]));
    // TRTR AUC ~0.83 (sigmoid(2x)): the gap ~0.33, far above 0.15 even on 100 rows
    expect(computeVerdicts(inputs({ primary: 'auc', gap: large.gap, gapCi95: large.gapCi95 })).utility.verdict).toBe('fail');
  });
});

describe('detection_auc verdict', () => {
  it('is judged on the bootstrap interval of the best out-of-fold AUC', () => {
    const data = prepareData(table(300, 1), table(100, 2), table(300, 3, true), md);
    const out = detection(data, { maxRows: 10_000, folds: 3 }, new Rng(2));
    const ci = out.details!.aucCi95;
    expect(ci[0]).toBeLessThanOrEqual(out.value!);
    expect(ci[1]).toBeGreaterThanOrEqual(out.value!);
    expect(ci[1] - ci[0]).toBeGreaterThan(0);
    const v = (value: number, aucCi95?: [number, number]) => {
      const i = inputs({ primary: 'auc' });
      i.metrics.detection = { name: 'detection', kind: 'fidelity', goal: 'target', range: [0, 1], description: '', seconds: 0, value, details: aucCi95 ? { aucCi95 } : {} };
      return computeVerdicts(i).fidelity.criteria.find((c) => c.name === 'detection_auc')!.verdict;
    };
    expect(v(0.961, [0.945, 0.975])).toBe('inconclusive');
    expect(v(0.961, [0.952, 0.975])).toBe('fail');
    expect(v(0.9, [0.85, 0.93])).toBe('warn');
    expect(v(0.961)).toBe('fail');
  });
});
