import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluation/evaluate.js';
import { EvaluationError } from '../../src/errors.js';
import { makeTable, selectColumns, takeRows, type Table } from '../../src/table/Table.js';
import type { EvaluationReport } from '../../src/evaluation/types.js';
import { population, populationMetadata } from '../fixtures/population.js';
import { ADULT_PRESENT, ADULT_SKIP_REASON, adultMetadata, readAdult } from '../fixtures/adult.js';

const fast = { detectionMaxRows: 400, bootstrapRounds: 100, attributeAttacks: 200, singlingOutAttacks: 200 };

function crit(r: EvaluationReport, area: 'fidelity' | 'utility' | 'privacy', name: string) {
  return r.verdicts[area].criteria.find((c) => c.name === name)!;
}

describe('evaluate: known answers on a generated population', () => {
  const train = population(600, 11);
  const holdout = population(600, 12);
  const md = populationMetadata();

  it('synthetic = copy of train: dcr_share ~ 1, exact copies 1, MIA AUC ~ 1, privacy fails', () => {
    const r = evaluate({ train, holdout, synthetic: train, metadata: md, target: 'member', seed: 1, settings: fast });
    expect(r.quality.qualityScore).toBe(1);
    expect(r.metrics.dcr_share!.value).toBeGreaterThan(0.95);
    expect(r.metrics.exact_copy_rate!.value).toBe(1);
    expect(r.metrics.membership_inference!.value).toBeGreaterThan(0.95);
    expect(r.metrics.singling_out!.value).toBeGreaterThan(0.2);
    expect(r.verdicts.privacy.verdict).toBe('fail');
    expect(crit(r, 'privacy', 'dcr_share').verdict).toBe('fail');
    expect(crit(r, 'privacy', 'exact_copy_excess').verdict).toBe('fail');
    expect(crit(r, 'privacy', 'mia_auc').verdict).toBe('fail');
    // a fail is a statistical statement: the whole 95% interval is above the fail threshold
    expect(crit(r, 'privacy', 'mia_auc').ci95![0]).toBeGreaterThan(0.6);
    // copying train proves a large epsilon: the empirical bound is far from 0
    expect(r.verdicts.privacy.audit!.empiricalEpsilonLowerBound).toBeGreaterThan(1);
    // Copying defeats detection: real and synthetic rows are the same.
    expect(r.metrics.detection!.value).toBeLessThan(0.6);
  });

  it('synthetic = an independent sample of the same population: dcr_share ~ 0.5, MIA AUC ~ 0.5', () => {
    const synthetic = population(600, 13);
    const r = evaluate({ train, holdout, synthetic, metadata: md, target: 'member', seed: 1, settings: fast });
    expect(Math.abs(r.metrics.dcr_share!.value! - 0.5)).toBeLessThan(0.06);
    expect(Math.abs(r.metrics.membership_inference!.value! - 0.5)).toBeLessThan(0.07);
    expect(r.metrics.exact_copy_rate!.value).toBe(0);
    expect(r.quality.qualityScore).toBeGreaterThan(0.85);
    expect(r.verdicts.privacy.verdict).not.toBe('fail');
    expect(crit(r, 'privacy', 'dcr_share').verdict).toBe('pass');
    const u = r.metrics.ml_utility!.details as { gap: number; bestTstr: number };
    expect(Math.abs(u.gap)).toBeLessThan(0.1);
  });

  it('report: versioned, JSON-serialisable without loss, timings per metric, thresholds stated', () => {
    const r = evaluate({ train, holdout, synthetic: population(300, 14), metadata: md, seed: 2, settings: { ...fast, skipModels: true } });
    expect(r.kind).toBe('privsynth.evaluation');
    expect(r.version).toBe(1);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(JSON.stringify(r)).not.toContain('NaN');
    for (const m of Object.values(r.metrics)) expect(typeof r.timings[m.name]).toBe('number');
    for (const a of Object.values(r.verdicts)) for (const c of a.criteria) expect(typeof c.warn).toBe('number');
    expect(r.verdicts.utility.verdict).toBe('not_evaluated');
    expect(r.columns.evaluated.map((c) => c.name)).not.toContain('note'); // text columns are not evaluated
    // Worst first.
    const scores = r.quality.columns.map((c) => c.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });

  it('is deterministic for a seed', () => {
    const syn = population(300, 15);
    const a = evaluate({ train, holdout, synthetic: syn, metadata: md, seed: 5, settings: fast });
    const b = evaluate({ train, holdout, synthetic: syn, metadata: md, seed: 5, settings: fast });
    const strip = (r: EvaluationReport) => JSON.stringify({ ...r, createdAt: 0, timings: 0, metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, { ...v, seconds: 0, details: JSON.parse(JSON.stringify(v.details ?? null, (key, val) => (key === 'seconds' ? 0 : val))) }])) });
    expect(strip(a)).toEqual(strip(b));
  });
});

describe('evaluate: inputs that need a warning or cannot be compared', () => {
  const train = population(200, 21);
  const holdout = population(200, 22);
  const md = populationMetadata();
  const opts = { settings: { ...fast, skipModels: true } };

  it('column missing from synthetic: warning, left out, fidelity at best warn', () => {
    const syn = selectColumns(population(200, 23), ['age', 'income', 'member', 'joined']);
    const r = evaluate({ train, holdout, synthetic: syn, metadata: md, ...opts });
    expect(r.columns.missingFromSynthetic).toEqual(['city']);
    expect(r.warnings.some((w) => w.code === 'COLUMN_MISSING_FROM_SYNTHETIC' && w.column === 'city')).toBe(true);
    expect(r.verdicts.fidelity.verdict).not.toBe('pass');
  });

  it('unseen category spellings in synthetic are reported', () => {
    const s = population(200, 24);
    const j = s.names.indexOf('city');
    const cols = s.columns.map((c, k) => (k === j ? c.map((v, i) => (i % 4 === 0 && v !== null ? (v as string).toUpperCase() : v)) : c));
    const r = evaluate({ train, holdout, synthetic: makeTable(s.names, cols), metadata: md, ...opts });
    const u = r.columns.unseenCategories.find((x) => x.column === 'city')!;
    expect(u.count).toBeGreaterThan(0);
    expect(u.examples.every((e) => e === e.toUpperCase())).toBe(true);
    expect(r.warnings.some((w) => w.code === 'UNSEEN_CATEGORIES')).toBe(true);
  });

  it('all-missing column and tiny tables: explicit warnings, no NaN', () => {
    const s = population(30, 25);
    const j = s.names.indexOf('age');
    const syn = makeTable(s.names, s.columns.map((c, k) => (k === j ? c.map(() => null) : c)));
    const r = evaluate({ train, holdout, synthetic: syn, metadata: md, ...opts });
    expect(r.warnings.some((w) => w.code === 'ALL_MISSING' && w.column === 'age')).toBe(true);
    expect(r.warnings.some((w) => w.code === 'SMALL_TABLE')).toBe(true);
    expect(r.warnings.some((w) => w.code === 'METRIC_SKIPPED' && w.column === 'age' && w.metric === 'ks_complement')).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    for (const m of Object.values(r.metrics)) if (m.value !== null) expect(Number.isFinite(m.value)).toBe(true);
  });

  it('throws EvaluationError (exit 2) when comparison is impossible', () => {
    const cases: [Table, Table, Table, RegExp][] = [
      [selectColumns(train, ['age', 'income']), holdout, train, /not in the train table/],
      [train, holdout, takeRows(train, []), /synthetic table has no rows/],
      [train, holdout, selectColumns(train, ['note']), /none of the evaluated columns/],
      [train, holdout, makeTable(train.names, train.columns.map((c, k) => (k === 1 ? c.map(String) : c))), /row 1 holds/],
    ];
    for (const [t, h, s, re] of cases) {
      let err: unknown;
      try {
        evaluate({ train: t, holdout: h, synthetic: s, metadata: md, ...opts });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EvaluationError);
      expect((err as EvaluationError).exitCode).toBe(2);
      expect((err as Error).message).toMatch(re);
    }
    expect(() => evaluate({ train, holdout, synthetic: train, metadata: md, target: 'note', ...opts })).toThrow(EvaluationError);
  });

  it('reports progress from 0 to 1', () => {
    const seen: number[] = [];
    evaluate({ train, holdout, synthetic: holdout, metadata: md, ...opts, onProgress: (e) => seen.push(e.fraction) });
    expect(seen[seen.length - 1]).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]! - 1e-12);
  });
});

describe.skipIf(!ADULT_PRESENT)(`evaluate on UCI Adult (${ADULT_PRESENT ? 'present' : ADULT_SKIP_REASON})`, () => {
  it('independent sample as synthetic: dcr_share ~ 0.5, MIA AUC ~ 0.5, privacy not failing; copy of train fails', () => {
    const all = readAdult('train.csv');
    const holdout = readAdult('holdout.csv');
    const m = holdout.rowCount;
    // Real train = the first m rows of train.csv; "synthetic" = the next m rows (same distribution, never trained on).
    const train = takeRows(all, Array.from({ length: m }, (_, i) => i));
    const independent = takeRows(all, Array.from({ length: m }, (_, i) => m + i));
    const md = adultMetadata(all);
    const settings = { skipModels: true, bootstrapRounds: 100 };
    const r = evaluate({ train, holdout, synthetic: independent, metadata: md, seed: 3, settings });
    expect(Math.abs(r.metrics.dcr_share!.value! - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(r.metrics.membership_inference!.value! - 0.5)).toBeLessThan(0.04);
    const exact = r.metrics.exact_copy_rate!.details as { holdoutBaseline: number };
    expect(Math.abs(r.metrics.exact_copy_rate!.value! - exact.holdoutBaseline)).toBeLessThan(0.005);
    expect(r.quality.qualityScore).toBeGreaterThan(0.95);
    expect(r.verdicts.privacy.verdict).not.toBe('fail');

    const c = evaluate({ train, holdout, synthetic: train, metadata: md, seed: 3, settings });
    expect(c.metrics.dcr_share!.value).toBeGreaterThan(0.9);
    expect(c.metrics.exact_copy_rate!.value).toBe(1);
    expect(c.metrics.membership_inference!.value).toBeGreaterThan(0.9);
    expect(c.verdicts.privacy.verdict).toBe('fail');
  }, 120_000);
});

describe('evaluate: cancellation', () => {
  it('stops with CancelledError when the signal is aborted (sync and async)', async () => {
    const train = population(100, 31);
    const md = populationMetadata();
    const c = new AbortController();
    expect(() =>
      evaluate({ train, holdout: train, synthetic: train, metadata: md, signal: c.signal, settings: { skipModels: true }, onProgress: (e) => e.stage === 'ks_complement' && c.abort() }),
    ).toThrow(/cancelled/);
    const { evaluateAsync } = await import('../../src/evaluation/evaluate.js');
    const c2 = new AbortController();
    c2.abort();
    await expect(evaluateAsync({ train, holdout: train, synthetic: train, metadata: md, signal: c2.signal })).rejects.toThrow(/cancelled/);
  });
});
