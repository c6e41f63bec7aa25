/**
 * Issue 17: the evaluation of wide and high-cardinality tables stays linear in size. 500 columns made
 * report.json 98 MB (124,750 pairs listed per pairwise table); a 10,000-level column must not turn into
 * rows x levels dense arrays. These tests check the caps' outputs: which entries are kept, what is said
 * about the rest, and the shapes the models see.
 */
import { describe, expect, it } from 'vitest';
import { capWarnings, evaluate, MAX_PAIR_DETAIL, MAX_WARNINGS_PER_KIND } from '../../src/evaluation/evaluate.js';
import { compute as contingency } from '../../src/evaluation/metrics/contingencySimilarity.js';
import { compute as correlation } from '../../src/evaluation/metrics/correlationSimilarity.js';
import { compute as mlUtility, MAX_TARGET_CLASSES, POOLED_CLASS, type UtilityDetails } from '../../src/evaluation/metrics/mlUtility.js';
import { fitLinearFeaturizer, fitBinFeaturizer, MAX_BINS } from '../../src/evaluation/models/features.js';
import { prepareData } from '../../src/evaluation/prepare.js';
import type { Warning } from '../../src/evaluation/types.js';
import type { ColumnSpec, Metadata } from '../../src/metadata/Metadata.js';
import { makeTable, type Cell, type Table } from '../../src/table/Table.js';
import { Rng } from '../../src/rng.js';
import { wideTable } from './wideFixture.js';

const spec = (name: string, type: ColumnSpec['type']): ColumnSpec => ({ name, type, action: 'keep', nullable: true });
const schema = (columns: ColumnSpec[]): Metadata => ({ kind: 'privsynth.schema', version: 1, missingValues: [], trim: true, columns });

/**
 * n rows: a `levels`-level categorical (every level once in the first `levels` rows, then the first 40
 * levels only, so that those are the most frequent), a numeric, a binary.
 */
function manyLevels(n: number, levels: number, seed: number): Table {
  const rng = new Rng(seed);
  const zip: Cell[] = [];
  const x: Cell[] = [];
  const y: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const z = i < levels ? i : rng.int(40);
    zip.push(`Z${String(z).padStart(5, '0')}`);
    x.push(rng.normal() + (z % 2));
    y.push(rng.uniform() < 0.5 ? 'a' : 'b');
  }
  return makeTable(['zip', 'x', 'y'], [zip, x, y]);
}
const manyLevelsMd = schema([spec('zip', 'categorical'), spec('x', 'numeric'), spec('y', 'categorical')]);

describe('pairwise detail', () => {
  it(`lists the ${MAX_PAIR_DETAIL} worst pairs of 60 columns (1,770 pairs), summarises all of them, and says so in limits`, () => {
    const { table: train, metadata } = wideTable(120, 60, 1);
    const holdout = wideTable(60, 60, 2).table;
    const synthetic = wideTable(120, 60, 3).table;
    const r = evaluate({ train, holdout, synthetic, metadata, seed: 1, settings: { skipModels: true, bootstrapRounds: 10, attributeAttacks: 20, singlingOutAttacks: 20 } });
    const total = (60 * 59) / 2;
    expect(r.quality.pairsTotal).toBe(total);
    expect(r.quality.pairs).toHaveLength(MAX_PAIR_DETAIL);
    expect(r.quality.pairSummary!.n).toBe(total);
    // the kept pairs are the lowest scores: the 200 lowest of all pair trends, computed here uncapped
    // (correlation similarity for two numeric columns, contingency similarity otherwise)
    const data = prepareData(train, holdout, synthetic, metadata);
    const corr = new Map(correlation(data).details.pairs.map((p) => [p.columns.join('|'), p.score]));
    const all = contingency(data)
      .details.pairs.map((p) => (p.columns.every((c) => c.startsWith('x')) ? corr.get(p.columns.join('|'))! : p.score))
      .sort((a, b) => a - b);
    expect(r.quality.pairs.map((p) => p.score)).toEqual(all.slice(0, MAX_PAIR_DETAIL));
    expect(r.quality.pairSummary!.max).toBeCloseTo(all[all.length - 1]!, 5);
    // the headline still averages every pair
    expect(r.quality.pairTrends).toBeCloseTo(all.reduce((a, b) => a + b, 0) / total, 12);
    const cont = r.metrics.contingency_similarity!.details as { pairs: unknown[]; pairsTotal: number };
    expect(cont.pairs).toHaveLength(MAX_PAIR_DETAIL);
    expect(cont.pairsTotal).toBe(total);
    expect(r.limits.map((l) => l.path)).toEqual(expect.arrayContaining(['quality.pairs', 'metrics.contingency_similarity.details.pairs', 'metrics.correlation_similarity.details.pairs']));
    expect(r.limits.find((l) => l.path === 'quality.pairs')).toMatchObject({ kept: MAX_PAIR_DETAIL, total });
    expect(JSON.stringify(r).length).toBeLessThan(400_000);
  });

  it('lists every pair (and no limit) when there are few', () => {
    const { table: train, metadata } = wideTable(120, 8, 1);
    const r = evaluate({ train, holdout: wideTable(60, 8, 2).table, synthetic: wideTable(120, 8, 3).table, metadata, seed: 1, settings: { skipModels: true, bootstrapRounds: 10, attributeAttacks: 20, singlingOutAttacks: 20 } });
    expect(r.quality.pairs).toHaveLength(28);
    expect(r.quality.pairsTotal).toBe(28);
    expect(r.limits).toEqual([]);
  });
});

describe('capWarnings', () => {
  it(`keeps ${MAX_WARNINGS_PER_KIND} per code and metric in order, then one counting the rest`, () => {
    const ws: Warning[] = [
      ...Array.from({ length: 50 }, (_, i): Warning => ({ code: 'METRIC_SKIPPED', metric: 'correlation_similarity', message: `pair ${i}` })),
      { code: 'SMALL_TABLE', message: 'small' },
      ...Array.from({ length: 3 }, (_, i): Warning => ({ code: 'METRIC_SKIPPED', metric: 'nndr', message: `nndr ${i}` })),
    ];
    const limits: { path: string; kept: number; total: number }[] = [];
    const out = capWarnings(ws, limits as never);
    const corr = out.filter((w) => w.metric === 'correlation_similarity');
    expect(corr).toHaveLength(MAX_WARNINGS_PER_KIND + 1);
    expect(corr.slice(0, MAX_WARNINGS_PER_KIND).map((w) => w.message)).toEqual(Array.from({ length: MAX_WARNINGS_PER_KIND }, (_, i) => `pair ${i}`));
    expect(corr[MAX_WARNINGS_PER_KIND]!.message).toMatch(/30 more METRIC_SKIPPED warnings of correlation_similarity/);
    expect(out.filter((w) => w.metric === 'nndr')).toHaveLength(3);
    expect(out.some((w) => w.code === 'SMALL_TABLE')).toBe(true);
    expect(limits).toEqual([expect.objectContaining({ kept: MAX_WARNINGS_PER_KIND, total: 50 })]);
  });
});

describe('a 10,000-level column', () => {
  const levels = 10_000;
  const train = manyLevels(levels + 2000, levels, 1);
  const holdout = manyLevels(3000, levels, 2);
  const synthetic = manyLevels(levels + 2000, levels, 3);
  const data = prepareData(train, holdout, synthetic, manyLevelsMd);

  it('is one weight index per row for the linear models and at most 64 bins for the trees, not rows x levels', () => {
    const zip = 0;
    expect(data.columns[zip]!.categories.length).toBe(levels);
    const lin = fitLinearFeaturizer(data.columns, [0, 1], data.train).transform(data.holdout);
    expect(lin.n).toBe(3000);
    expect(lin.nDense).toBe(1); // x only
    expect(lin.dense).toHaveLength(3000 * 1);
    expect(lin.nCat).toBe(1);
    expect(lin.cat).toHaveLength(3000); // one active one-hot index per row
    expect(lin.nFeatures).toBe(1 + levels + 1); // the weights do cover every level (+ missing)
    const bins = fitBinFeaturizer(data.columns, [0, 1], data.train).transform(data.holdout);
    expect(bins.bins).toHaveLength(3000 * 2);
    expect(bins.nBins[0]).toBeLessThanOrEqual(MAX_BINS);
  });

  it(`as the ml_utility target: the ${MAX_TARGET_CLASSES - 1} most frequent train classes and one pooled class`, () => {
    // fits on 3,000 seeded rows of each table (fast); about 2,500 distinct zips among them
    const out = mlUtility(data, 'zip', { maxRows: 3000 }, new Rng(4));
    const d = out.details as UtilityDetails;
    expect(d.task).toBe('multiclass');
    expect(d.classes).toHaveLength(MAX_TARGET_CLASSES);
    expect(d.classes![MAX_TARGET_CLASSES - 1]).toBe(POOLED_CLASS);
    expect(d.classesTotal).toBeGreaterThan(1000);
    // the kept classes are among the 40 frequent ones (~13 rows each in the sample; every other zip ~0.25)
    const frequent = new Set(Array.from({ length: 40 }, (_, z) => `Z${String(z).padStart(5, '0')}`));
    for (const c of d.classes!.slice(0, -1)) expect(frequent.has(c), c).toBe(true);
    expect(out.warnings!.some((w) => new RegExp(`${d.classesTotal} classes; the 19 most frequent`).test(w.message))).toBe(true);
    for (const s of d.scores) expect(s.auc === null || (s.auc! >= 0 && s.auc! <= 1)).toBe(true);
  });
});
