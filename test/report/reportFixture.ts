/**
 * Inputs for the report tests.
 *
 * - `smallReport()`: the seeded population fixture of the evaluation tests (numbers, an integer, a
 *   datetime, a categorical with a hostile column name, a boolean), hostile categories injected, the
 *   real `evaluate()`, and a DP privacy section from a real PrivacyLedger. Fast; always available.
 * - `adultReport()`: UCI Adult read the way the CLI reads it (readTable → inferMetadata → coerceTable).
 *   No model is fitted (too slow for a test): train = the first 5,000 rows of train.csv, the
 *   evaluation's holdout = the next 5,000, and "synthetic" = holdout.csv, with hostile category values
 *   injected into `occupation` on both sides. Skipped with a reason when the data is absent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SHARED } from '../helpers.js';
import { evaluate } from '../../src/evaluation/evaluate.js';
import { readTable } from '../../src/io/readTable.js';
import { inferMetadata } from '../../src/metadata/inferMetadata.js';
import { coerceTable } from '../../src/metadata/coerceTable.js';
import type { Metadata } from '../../src/metadata/Metadata.js';
import { PrivacyLedger } from '../../src/privacy/PrivacyLedger.js';
import { makeTable, takeRows, type Cell, type Table } from '../../src/table/Table.js';
import { buildReportData, type PrivacySection } from '../../src/report/buildReport.js';
import type { ReportData } from '../../src/report/types.js';
import { population, populationMetadata } from '../evaluation/fixtures.js';

export const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", '</title></svg><script>alert(2)</script>'];
/** A column name that tries to break out of SVG text and attributes. */
export const HOSTILE_COLUMN = 'city"><svg/onload=alert(3)>';

export const ADULT_DIR = process.env.PRIVSYNTH_ADULT_DIR ?? path.join(SHARED, 'adult');
export const ADULT_PRESENT = existsSync(path.join(ADULT_DIR, 'train.csv')) && existsSync(path.join(ADULT_DIR, 'holdout.csv'));
export const ADULT_SKIP_REASON = `Adult data not found at ${ADULT_DIR}/{train,holdout}.csv (set PRIVSYNTH_ADULT_DIR)`;

export const CREATED_AT = '2025-01-01T00:00:00.000Z';

/** A DP privacy section shaped like pipeline.ts fitFile writes it, from a real ledger. */
export function dpPrivacySection(labels: string[]): PrivacySection {
  const ledger = new PrivacyLedger({ epsilon: 3, delta: 1e-6 });
  ledger.add({ label: 'count:rows', mechanism: 'gaussian', rho: 0.002 });
  for (const l of labels) ledger.add({ label: l, mechanism: 'gaussian', rho: 0.004 });
  ledger.add({ label: 'dp-sgd:vae', mechanism: 'dp_sgd', sigma: 1.1, q: 0.01, steps: 1500, clipNorm: 1 });
  const total = ledger.total();
  return { ...(ledger.toJSON() as unknown as Record<string, unknown>), differentiallyPrivate: true, total, training: { noiseMultiplier: 1.1, sampleRate: 0.01, steps: 1500, clipNorm: 1, clippedFraction: 0.42 } };
}

export const NOT_DP_SECTION: PrivacySection = {
  differentiallyPrivate: false,
  warning: 'NOT differentially private: trained without DP-SGD, and the schema and transformers were fitted on the real data. Synthetic rows can reveal information about real people.',
};

function renameColumn(t: Table, from: string, to: string): Table {
  return makeTable(t.names.map((n) => (n === from ? to : n)), t.columns as Cell[][], t.source);
}

function inject(t: Table, column: string, values: string[], every: number): Table {
  const j = t.names.indexOf(column);
  const cols = t.columns.map((c, k) => (k === j ? c.map((v, i) => (i % every === 0 ? values[(i / every) % values.length]! : v)) : c));
  return makeTable(t.names, cols as Cell[][], t.source);
}

export interface ReportCase {
  data: ReportData;
  metadata: Metadata;
  train: Table;
  synthetic: Table;
}

export function smallReport(privacy: PrivacySection = dpPrivacySection([`categories:${HOSTILE_COLUMN}`, 'bounds:age'])): ReportCase {
  const md0 = populationMetadata();
  const metadata: Metadata = { ...md0, columns: md0.columns.map((c) => (c.name === 'city' ? { ...c, name: HOSTILE_COLUMN } : c)) };
  const prep = (t: Table) => inject(renameColumn(t, 'city', HOSTILE_COLUMN), HOSTILE_COLUMN, HOSTILE, 25);
  const train = prep(population(600, 1));
  const holdout = prep(population(300, 2));
  const synthetic = prep(population(400, 3));
  const evaluation = evaluate({ train, holdout, synthetic, metadata, target: 'member', seed: 1, settings: { bootstrapRounds: 30, detectionFolds: 3 } });
  const data = buildReportData({
    dataset: { name: 'population <b>fixture</b>', file: '/data/"population".csv', rows: 900, columns: 6 },
    train,
    synthetic,
    metadata,
    evaluation,
    privacy,
    timings: { fit: 1.5, evaluate: 0.7 },
    run: privacy.differentiallyPrivate ? { seed: 1, epsilon: 3, delta: 1e-6, rows: 400 } : { seed: 1, rows: 400 },
    createdAt: CREATED_AT,
  });
  return { data, metadata, train, synthetic };
}

export async function adultReport(privacy: PrivacySection = dpPrivacySection(['categories:workclass', 'categories:occupation', 'bounds:age', 'bounds:capital-gain'])): Promise<ReportCase> {
  const rawTrain = inject(await readTable(path.join(ADULT_DIR, 'train.csv')), 'occupation', HOSTILE, 97);
  const rawHoldout = inject(await readTable(path.join(ADULT_DIR, 'holdout.csv')), 'occupation', HOSTILE, 89);
  const metadata = inferMetadata(rawTrain);
  const all = coerceTable(rawTrain, metadata);
  const m = 5000;
  const train = takeRows(all, Array.from({ length: m }, (_, i) => i));
  const holdout = takeRows(all, Array.from({ length: m }, (_, i) => m + i));
  const synthetic = coerceTable(rawHoldout, metadata);
  const evaluation = evaluate({
    train,
    holdout,
    synthetic,
    metadata,
    target: 'income',
    seed: 7,
    settings: { detectionMaxRows: 2000, detectionFolds: 3, utilityMaxRows: 4000, bootstrapRounds: 50, miaMaxTargets: 1000, attributeAttacks: 300, singlingOutAttacks: 300 },
  });
  const data = buildReportData({
    dataset: { name: 'adult/train.csv', file: path.join(ADULT_DIR, 'train.csv'), rows: all.rowCount, columns: all.names.length },
    train,
    synthetic,
    metadata,
    evaluation,
    privacy,
    timings: { read: 0.4, fit: 212.3, sample: 3.1, evaluate: 24.8 },
    run: { seed: 7, epsilon: 3, delta: 1e-6, rows: synthetic.rowCount, holdoutFraction: 0.2 },
    createdAt: CREATED_AT,
  });
  return { data, metadata, train, synthetic };
}

/** The number of <svg data-plot> of each kind the renderer should produce for `data`. */
export function expectedPlots(d: ReportData): Record<string, number> {
  const h = d.fidelity.histograms;
  return {
    histogram: h.filter((x) => x.kind === 'numeric').length,
    categories: h.filter((x) => x.kind === 'categorical').length,
    'column-scores': h.some((x) => x.score !== null) ? 1 : 0,
    heatmap: (d.fidelity.correlations ? 3 : 0) + (d.fidelity.cramersV ? 3 : 0),
    utility: d.utility.scores.length ? 1 : 0,
    roc: d.attacks.membership ? 1 : 0,
    dcr: d.attacks.dcr?.train || d.attacks.dcr?.holdout ? 1 : 0,
    'attribute-risk': d.attacks.attribute.length ? 1 : 0,
    'singling-out': d.attacks.singlingOut ? 1 : 0,
  };
}
