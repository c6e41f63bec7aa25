/**
 * buildReportData(): everything the report shows, as versioned JSON, from the typed tables, the
 * evaluation report and the model manifest's privacy section.
 *
 *   train, synthetic (typed) ──► per-column histograms (real vs synthetic), Pearson and Cramér's V matrices
 *   evaluation report        ──► verdicts, quality, utility, attack curves and intervals, metric definitions
 *   manifest privacy section ──► epsilon/delta and the ledger, or "NOT differentially private"
 *        ──► ReportData (kind 'privsynth.report', version 1) ──► renderReportHtml / writeReport
 *
 * Plot data rules:
 * - Numbers (numeric, integer, datetime): 20 equal-width bins over the real data's 0.5%-99.5% quantile
 *   range (the min-max range when those coincide), values beyond it counted in the end bins. Integer
 *   columns get at most 20 integer-aligned bins of equal width over the same range (one bin per value
 *   when it spans at most 20 values). Bars are shares of all rows; the missing share is reported apart.
 * - Categories (categorical, boolean): the 20 most frequent real categories, the rest pooled as "other".
 * - Associations: Pearson r over numeric columns (pairwise-complete rows), and Cramér's V (no bias
 *   correction) over categorical columns with the same top-20 + other grouping and missing as a category.
 *   At most 25 columns each; the rest are listed as omitted.
 */
import type { Cell, Table } from '../table/Table.js';
import type { Metadata } from '../metadata/Metadata.js';
import type { DetailLimit, EvaluationReport, MetricResult, Summary } from '../evaluation/types.js';
import { METRICS } from '../evaluation/metrics/index.js';
import { pearson } from '../evaluation/metrics/correlationSimilarity.js';
import { quantileSorted } from '../evaluation/stats/summary.js';
import { columnFates } from './columnFates.js';
import {
  REPORT_KIND,
  REPORT_VERSION,
  type AssociationMatrices,
  type AttributeRisk,
  type CategoricalHistogram,
  type ColumnHistogram,
  type LedgerEntry,
  type MetricDefinition,
  type NumericHistogram,
  type ReportData,
  type ReportDataset,
  type ReportPrivacy,
  type ReportRun,
  type RocAttack,
} from './types.js';

export const HISTOGRAM_BINS = 20;
export const TOP_CATEGORIES = 20;
export const MAX_MATRIX_COLUMNS = 25;
/** Columns plotted in report.html (the worst scores); report.json holds every column's histogram. */
export const MAX_HTML_HISTOGRAMS = 60;
export const OTHER_LABEL = 'other';

/** The privacy section of a model manifest (written by each synthesizer's fit): a DP ledger or the not-private warning. */
export type PrivacySection = Record<string, unknown> & { differentiallyPrivate: boolean };

export interface BuildReportInput {
  dataset: ReportDataset;
  /** The real table the model was fitted on (typed: numbers or null for numeric/integer/datetime, strings or null otherwise). */
  train: Table;
  synthetic: Table;
  metadata: Metadata;
  evaluation: EvaluationReport;
  privacy: PrivacySection;
  timings?: Record<string, number>;
  run?: ReportRun;
  /** Defaults to now; fixed in tests for reproducible output. */
  createdAt?: string;
  /** Header of the input file, for the column fates in input order (default: the schema's order). */
  inputColumns?: readonly string[];
}

const NUMBER_TYPES = new Set(['numeric', 'integer', 'datetime']);
const CATEGORY_TYPES = new Set(['categorical', 'boolean']);

/** Build the report's data. Pure; cost O(rows x columns) plus O(rows x pairs) for the matrices. */
export function buildReportData(input: BuildReportInput): ReportData {
  const { train, synthetic, evaluation } = input;
  const evaluated = evaluation.columns.evaluated.length
    ? evaluation.columns.evaluated
    : input.metadata.columns.filter((c) => c.action === 'keep' && (NUMBER_TYPES.has(c.type) || CATEGORY_TYPES.has(c.type))).map((c) => ({ name: c.name, type: c.type }));
  const present = evaluated.filter((c) => train.names.includes(c.name) && synthetic.names.includes(c.name));
  const scores = new Map<string, { score: number; metric: string }>();
  for (const s of evaluation.quality.columns) if (!scores.has(s.column)) scores.set(s.column, { score: s.score, metric: s.metric });

  const histograms: ColumnHistogram[] = present
    .map((c): ColumnHistogram | null => {
      const real = column(train, c.name);
      const syn = column(synthetic, c.name);
      const sc = scores.get(c.name) ?? null;
      if (NUMBER_TYPES.has(c.type)) return numericHistogram(c.name, c.type, real, syn, sc);
      if (CATEGORY_TYPES.has(c.type)) return categoricalHistogram(c.name, c.type, real, syn, sc);
      return null;
    })
    .filter((h): h is ColumnHistogram => h !== null);
  // Worst first; unscored columns keep their order at the end.
  const order = new Map(histograms.map((h, i) => [h.column, i]));
  histograms.sort((a, b) => (a.score ?? Infinity) - (b.score ?? Infinity) || order.get(a.column)! - order.get(b.column)!);

  const numCols = present.filter((c) => NUMBER_TYPES.has(c.type)).map((c) => c.name);
  const catCols = present.filter((c) => CATEGORY_TYPES.has(c.type)).map((c) => c.name);

  const m = evaluation.metrics;
  const detection = details<{ models?: { model: string; auc: number }[] }>(m.detection);
  const util = details<{ target: string; task: string; primary: 'auc' | 'r2'; bestTstr: number | null; bestTrtr: number | null; gap: number | null; noRelation?: boolean; scores: { model: string; trainedOn: 'synthetic' | 'train'; auc?: number | null; r2?: number; accuracy?: number; withinSynthetic?: { auc: number; detected: boolean } | null }[] }>(m.ml_utility);
  const mia = details<{ members: number; nonMembers: number; attacks: RocAttack[] }>(m.membership_inference);
  const dcr = details<{ dcrTrain: Summary | null; dcrHoldout: Summary | null; zeroDistanceTrain: number; zeroDistanceHoldout: number }>(m.dcr_share);
  const nndr = details<{ train: Summary | null; holdout: Summary | null }>(m.nndr);
  const exact = details<{ holdoutBaseline: number; excess: number }>(m.exact_copy_rate);
  const attr = details<{ secrets: AttributeRisk[] }>(m.attribute_inference);
  const so = details<{ attacks: number; successTrain: number; successHoldout: number; riskCi95: [number, number] }>(m.singling_out);

  const metrics: MetricDefinition[] = METRICS.map((d) => {
    const r = m[d.name];
    return { name: d.name, kind: d.kind, goal: d.goal, range: d.range, ...(d.ideal !== undefined ? { ideal: d.ideal } : {}), description: d.description, value: r?.value ?? null, computed: r !== undefined };
  });
  for (const r of Object.values(m)) {
    if (!metrics.some((d) => d.name === r.name)) metrics.push({ name: r.name, kind: r.kind, goal: r.goal, range: r.range, description: r.description, value: r.value, computed: true });
  }

  const correlations = numCols.length >= 2 ? pearsonMatrices(train, synthetic, numCols) : null;
  const cramersV = catCols.length >= 2 ? cramersVMatrices(train, synthetic, catCols) : null;
  const limits = reportLimits(evaluation, histograms, correlations, cramersV);

  const data: ReportData = {
    kind: REPORT_KIND,
    version: REPORT_VERSION,
    createdAt: input.createdAt ?? new Date().toISOString(),
    dataset: { ...input.dataset },
    run: input.run ? { ...input.run } : null,
    privacy: normalisePrivacy(input.privacy),
    columns: columnFates(input.metadata, input.inputColumns ?? null, input.privacy.differentiallyPrivate === true),
    verdicts: evaluation.verdicts,
    fidelity: {
      qualityScore: evaluation.quality.qualityScore,
      columnShapes: evaluation.quality.columnShapes,
      pairTrends: evaluation.quality.pairTrends,
      detection: { auc: m.detection?.value ?? null, models: (detection?.models ?? []).map((x) => ({ model: x.model, auc: x.auc })) },
      histograms,
      correlations,
      cramersV,
    },
    utility: {
      target: util?.target ?? evaluation.target,
      task: util?.task ?? null,
      primary: util?.primary ?? null,
      bestTstr: util?.bestTstr ?? null,
      bestTrtr: util?.bestTrtr ?? null,
      gap: util?.gap ?? null,
      noRelation: util?.noRelation ?? false,
      scores: (util?.scores ?? []).map((s) => ({
        model: s.model,
        trainedOn: s.trainedOn,
        value: (util!.primary === 'r2' ? s.r2 : s.auc) ?? null,
        accuracy: s.accuracy ?? null,
        withinSyntheticAuc: s.withinSynthetic?.auc ?? null,
        relationDetected: s.withinSynthetic ? s.withinSynthetic.detected : null,
      })),
    },
    attacks: {
      membership: mia ? { members: mia.members, nonMembers: mia.nonMembers, attacks: mia.attacks.map((a) => ({ attack: a.attack, auc: a.auc, aucCi95: a.aucCi95, tprAtFpr1pct: a.tprAtFpr1pct, tprAtFpr01pct: a.tprAtFpr01pct, epsilonLowerBound: a.epsilonLowerBound, epsilonBound: a.epsilonBound, roc: a.roc })) } : null,
      dcr: m.dcr_share ? { share: m.dcr_share.value, train: dcr?.dcrTrain ?? null, holdout: dcr?.dcrHoldout ?? null, zeroDistanceTrain: dcr?.zeroDistanceTrain ?? null, zeroDistanceHoldout: dcr?.zeroDistanceHoldout ?? null } : null,
      nndr: nndr ? { train: nndr.train, holdout: nndr.holdout } : null,
      exactCopies: exact ? { rate: m.exact_copy_rate!.value, holdoutBaseline: exact.holdoutBaseline, excess: exact.excess } : null,
      attribute: (attr?.secrets ?? []).map((s) => ({ secret: s.secret, attacks: s.attacks, successTrain: s.successTrain, successHoldout: s.successHoldout, risk: s.risk, riskCi95: s.riskCi95 })),
      singlingOut: so ? { risk: m.singling_out!.value, riskCi95: so.riskCi95, attacks: so.attacks, successTrain: so.successTrain, successHoldout: so.successHoldout } : null,
    },
    metrics,
    limits,
    warnings: evaluation.warnings,
    timings: { ...(input.timings ?? {}) },
    evaluation,
  };
  return jsonSafe(data);
}

/** Everything the report lists only in part (see ReportData.limits). */
function reportLimits(evaluation: EvaluationReport, histograms: ColumnHistogram[], correlations: AssociationMatrices | null, cramers: AssociationMatrices | null): DetailLimit[] {
  const out: DetailLimit[] = (evaluation.limits ?? []).map((l) => ({ ...l, path: `evaluation.${l.path}` }));
  for (const [path, m] of [['fidelity.correlations', correlations], ['fidelity.cramersV', cramers]] as const) {
    if (m && m.omitted.length) out.push({ path: `${path}.columns`, kept: m.columns.length, total: m.columns.length + m.omitted.length, rule: `the first ${MAX_MATRIX_COLUMNS} columns in schema order; the rest are named in "omitted" and count in the pair metrics` });
  }
  const wide = histograms.filter((h): h is CategoricalHistogram => h.kind === 'categorical' && h.other !== null);
  if (wide.length) {
    const most = Math.max(...wide.map((h) => h.categories.length + h.other!.count));
    out.push({ path: 'fidelity.histograms[].categories', kept: TOP_CATEGORIES, total: most, rule: `per column the ${TOP_CATEGORIES} most frequent real categories; the rest pooled in "other" with its shares and count (${wide.length} column${wide.length === 1 ? '' : 's'}, up to ${most} categories)` });
  }
  if (histograms.length > MAX_HTML_HISTOGRAMS) {
    out.push({ path: 'report.html histograms', kept: MAX_HTML_HISTOGRAMS, total: histograms.length, rule: `report.html plots the ${MAX_HTML_HISTOGRAMS} worst-scoring columns and lists the others' scores in a table; report.json holds every column's histogram` });
  }
  return out;
}

function details<T>(r: MetricResult | undefined): T | null {
  return r && r.details !== undefined && r.details !== null ? (r.details as T) : null;
}

function column(t: Table, name: string): readonly Cell[] {
  return t.columns[t.names.indexOf(name)]!;
}

function finite(v: Cell): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Histogram of real vs synthetic numbers, bins on the real data (see the module comment). */
export function numericHistogram(name: string, type: string, real: readonly Cell[], syn: readonly Cell[], score: { score: number; metric: string } | null = null): NumericHistogram {
  const values = Float64Array.from(real.map(finite).filter((x): x is number => x !== null)).sort();
  let edges: number[];
  let binning: NumericHistogram['binning'] = 'range';
  if (values.length === 0) {
    edges = [0, 1];
  } else {
    const min = values[0]!;
    const max = values[values.length - 1]!;
    let lo = quantileSorted(values, 0.005);
    let hi = quantileSorted(values, 0.995);
    if (!(hi > lo)) [lo, hi] = [min, max];
    if (type !== 'datetime' && values.every((x) => Number.isInteger(x))) {
      // Integer-aligned bins of equal width, so no bin holds more distinct values than another.
      const a = Math.floor(lo);
      const span = Math.ceil(hi) - a + 1;
      const width = Math.max(1, Math.ceil(span / HISTOGRAM_BINS));
      edges = Array.from({ length: Math.ceil(span / width) + 1 }, (_, k) => a - 0.5 + k * width);
      if (width === 1) binning = 'integers';
    } else if (!(hi > lo)) edges = [lo - 0.5, lo + 0.5];
    else edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? hi : lo + ((hi - lo) * i) / HISTOGRAM_BINS));
  }
  const bins = edges.length - 1;
  const count = (cells: readonly Cell[]): { shares: number[]; missing: number } => {
    const c = new Array<number>(bins).fill(0);
    let miss = 0;
    const lo = edges[0]!;
    const width = (edges[bins]! - lo) / bins;
    for (const v of cells) {
      const x = finite(v);
      if (x === null) {
        miss++;
        continue;
      }
      c[Math.max(0, Math.min(bins - 1, Math.floor((x - lo) / width)))]++;
    }
    const n = cells.length || 1;
    return { shares: c.map((k) => k / n), missing: miss / n };
  };
  const r = count(real);
  const s = count(syn);
  return { kind: 'numeric', column: name, type, binning, edges, real: r.shares, synthetic: s.shares, missing: { real: r.missing, synthetic: s.missing }, score: score?.score ?? null, metric: score?.metric ?? null };
}

function categoryCounts(cells: readonly Cell[]): { counts: Map<string, number>; missing: number } {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of cells) {
    if (v === null || v === undefined) missing++;
    else {
      const k = String(v);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return { counts, missing };
}

/** The most frequent real categories (count desc, then name), at most `TOP_CATEGORIES`. */
function topCategories(real: Map<string, number>): string[] {
  return [...real.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TOP_CATEGORIES).map((e) => e[0]);
}

/** Category shares real vs synthetic: top real categories, the rest pooled (see the module comment). */
export function categoricalHistogram(name: string, type: string, real: readonly Cell[], syn: readonly Cell[], score: { score: number; metric: string } | null = null): CategoricalHistogram {
  const r = categoryCounts(real);
  const s = categoryCounts(syn);
  const categories = topCategories(r.counts);
  const kept = new Set(categories);
  const nR = real.length || 1;
  const nS = syn.length || 1;
  const pooled = new Set<string>();
  let otherR = 0;
  let otherS = 0;
  for (const [k, c] of r.counts) if (!kept.has(k)) (otherR += c), pooled.add(k);
  for (const [k, c] of s.counts) if (!kept.has(k)) (otherS += c), pooled.add(k);
  return {
    kind: 'categorical',
    column: name,
    type,
    categories,
    real: categories.map((k) => (r.counts.get(k) ?? 0) / nR),
    synthetic: categories.map((k) => (s.counts.get(k) ?? 0) / nS),
    other: pooled.size ? { real: otherR / nR, synthetic: otherS / nS, count: pooled.size } : null,
    missing: { real: r.missing / nR, synthetic: s.missing / nS },
    score: score?.score ?? null,
    metric: score?.metric ?? null,
  };
}

function capColumns(names: string[]): { used: string[]; omitted: string[] } {
  return { used: names.slice(0, MAX_MATRIX_COLUMNS), omitted: names.slice(MAX_MATRIX_COLUMNS) };
}

function symmetric(k: number, f: (a: number, b: number) => number | null): (number | null)[][] {
  const out: (number | null)[][] = Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const v = f(a, b);
      out[a]![b] = v;
      out[b]![a] = v;
    }
  }
  return out;
}

/** Pearson r matrices over numeric columns (pairwise-complete rows; null where undefined). */
export function pearsonMatrices(train: Table, synthetic: Table, names: string[]): AssociationMatrices {
  const { used, omitted } = capColumns(names);
  const vec = (t: Table) => used.map((n) => Float64Array.from(column(t, n), (v) => finite(v) ?? NaN));
  const R = vec(train);
  const S = vec(synthetic);
  const mat = (X: Float64Array[]) => symmetric(used.length, (a, b) => pearson(X[a]!, X[b]!));
  return { measure: 'pearson', columns: used, real: mat(R), synthetic: mat(S), omitted };
}

/** Category codes with the report's grouping: top real categories, then "other", then missing. */
function categoryCodes(real: readonly Cell[], cells: readonly Cell[]): Int32Array {
  const top = topCategories(categoryCounts(real).counts);
  const index = new Map(top.map((k, i) => [k, i]));
  const other = top.length;
  const missing = top.length + 1;
  return Int32Array.from(cells, (v) => (v === null || v === undefined ? missing : index.get(String(v)) ?? other));
}

/** Cramér's V of two code arrays: sqrt(chi2 / (n (min(r, c) - 1))) over the non-empty rows and columns. */
export function cramersV(a: Int32Array, b: Int32Array): number | null {
  const n = a.length;
  if (n === 0) return null;
  // loops, not Math.max(...codes): spreading one value per row overflows the stack on large tables
  let ka = 0;
  let kb = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! + 1 > ka) ka = a[i]! + 1;
  for (let i = 0; i < b.length; i++) if (b[i]! + 1 > kb) kb = b[i]! + 1;
  const joint = new Float64Array(ka * kb);
  const ra = new Float64Array(ka);
  const cb = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    joint[a[i]! * kb + b[i]!]++;
    ra[a[i]!]++;
    cb[b[i]!]++;
  }
  const rows = ra.filter((x) => x > 0).length;
  const cols = cb.filter((x) => x > 0).length;
  const k = Math.min(rows, cols);
  if (k < 2) return null;
  let chi2 = 0;
  for (let i = 0; i < ka; i++) {
    if (ra[i] === 0) continue;
    for (let j = 0; j < kb; j++) {
      if (cb[j] === 0) continue;
      const e = (ra[i]! * cb[j]!) / n;
      const d = joint[i * kb + j]! - e;
      chi2 += (d * d) / e;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (n * (k - 1))));
}

/** Cramér's V matrices over categorical columns (grouping as in the histograms; null where undefined). */
export function cramersVMatrices(train: Table, synthetic: Table, names: string[]): AssociationMatrices {
  const { used, omitted } = capColumns(names);
  const codes = (t: Table) => used.map((n) => categoryCodes(column(train, n), column(t, n)));
  const R = codes(train);
  const S = codes(synthetic);
  const mat = (X: Int32Array[]) => symmetric(used.length, (a, b) => (a === b ? (cramersV(X[a]!, X[a]!) === null ? null : 1) : cramersV(X[a]!, X[b]!)));
  return { measure: 'cramers_v', columns: used, real: mat(R), synthetic: mat(S), omitted };
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/**
 * The manifest's privacy section in the report's shape. Anything but `differentiallyPrivate === true`
 * is reported as NOT differentially private; a DP section without a finite epsilon reports epsilon null.
 */
export function normalisePrivacy(p: PrivacySection): ReportPrivacy {
  if (p.differentiallyPrivate !== true) {
    const w = typeof p.warning === 'string' && p.warning ? p.warning : 'NOT differentially private: this model carries no privacy guarantee.';
    return { differentiallyPrivate: false, warning: w };
  }
  const total = (p.total ?? {}) as Record<string, unknown>;
  const rawEntries = (Array.isArray(total.entries) ? total.entries : Array.isArray(p.entries) ? p.entries : []) as Record<string, unknown>[];
  const entries: LedgerEntry[] = rawEntries.map((e) => {
    const out: LedgerEntry = { label: String(e.label ?? ''), mechanism: String(e.mechanism ?? ''), epsilonAttributed: num(e.epsilonAttributed) };
    for (const k of ['rho', 'sigma', 'q', 'steps', 'clipNorm', 'deltaSpent'] as const) {
      const v = num(e[k]);
      if (v !== null) out[k] = v;
    }
    return out;
  });
  const target = p.target as { epsilon?: unknown; delta?: unknown } | null | undefined;
  const t = p.training as Record<string, unknown> | undefined;
  return {
    differentiallyPrivate: true,
    weakBudget: Array.isArray(p.weakBudget) && p.weakBudget.length ? p.weakBudget.map(String) : null,
    epsilon: num(total.epsilon),
    delta: num(total.delta),
    target: target && num(target.epsilon) !== null && num(target.delta) !== null ? { epsilon: target.epsilon as number, delta: target.delta as number } : null,
    bestOrder: num(total.bestOrder),
    accountant: typeof total.accountant === 'string' ? total.accountant : typeof p.accountant === 'string' ? p.accountant : 'rdp',
    entries,
    training: t
      ? { noiseMultiplier: num(t.noiseMultiplier), sampleRate: num(t.sampleRate), steps: num(t.steps), clipNorm: num(t.clipNorm), clippedFraction: num(t.clippedFraction) }
      : null,
  };
}

/** Deep copy with every non-finite number replaced by null, so the object survives JSON unchanged. */
function jsonSafe<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as T;
}
