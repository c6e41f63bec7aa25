/**
 * evaluate(): fidelity, utility and privacy of a synthetic table against the real train table and a
 * holdout the synthesizer never saw.
 *
 *   train, holdout, synthetic (typed) ──► prepare (validate, encode, warnings)
 *        │
 *        ├─► fidelity: ks_complement, tv_complement, correlation_similarity, contingency_similarity
 *        │             ──► quality_score;  detection (classifiers, cross-validated)
 *        ├─► utility:  ml_utility (TSTR vs TRTR on the holdout), when a target is given
 *        └─► privacy:  Gower encoding ──► dcr_share, nndr, exact_copy_rate, membership_inference,
 *                      attribute_inference, singling_out
 *        ──► verdicts (thresholds in the report) ──► EvaluationReport (versioned JSON)
 *
 * Every random choice goes through an Rng seeded with `seed`, forked per metric.
 */
import { CancelledError, EvaluationError } from '../errors.js';
import { Rng } from '../rng.js';
import { prepareData, type PreparedData } from './prepare.js';
import { makePrivacyContext, type PrivacyContext } from './privacyContext.js';
import * as ks from './metrics/ksComplement.js';
import * as tv from './metrics/tvComplement.js';
import * as corr from './metrics/correlationSimilarity.js';
import * as cont from './metrics/contingencySimilarity.js';
import * as detection from './metrics/detection.js';
import * as mlUtility from './metrics/mlUtility.js';
import * as dcr from './metrics/dcrShare.js';
import * as nndr from './metrics/nndr.js';
import * as exact from './metrics/exactCopyRate.js';
import * as mia from './metrics/membershipInference.js';
import * as attr from './metrics/attributeInference.js';
import * as so from './metrics/singlingOut.js';
import { computeVerdicts } from './verdicts.js';
import { mean, summarize } from './stats/summary.js';
import {
  DEFAULT_SETTINGS,
  type DetailLimit,
  EVALUATION_KIND,
  EVALUATION_VERSION,
  type ColumnScore,
  type EvaluateOptions,
  type EvaluationReport,
  type MetricDescriptor,
  type MetricOutput,
  type MetricResult,
  type PairScore,
  type Warning,
} from './types.js';
import * as msg from '../messages.js';

/** Relative cost of each stage, for progress fractions. */
const STAGES: [string, number][] = [
  ['prepare', 1],
  ['ks_complement', 1],
  ['tv_complement', 1],
  ['correlation_similarity', 1],
  ['contingency_similarity', 2],
  ['detection', 25],
  ['ml_utility', 15],
  ['dcr_share', 20],
  ['nndr', 1],
  ['exact_copy_rate', 1],
  ['membership_inference', 15],
  ['attribute_inference', 10],
  ['singling_out', 2],
];

/**
 * Evaluate a synthetic table. Synchronous; reports progress through `onProgress`; checks
 * `signal` between stages (abort it from `onProgress` to stop).
 * @throws EvaluationError when the tables cannot be compared (see prepareData) or the target is unusable.
 * @throws CancelledError when `signal` is aborted.
 */
export function evaluate(opts: EvaluateOptions): EvaluationReport {
  const steps = evaluationSteps(opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (opts.signal?.aborted) throw new CancelledError(msg.EVALUATION_CANCELLED);
  }
}

/**
 * The same as `evaluate`, but returns to the event loop between stages (none takes more than a few
 * seconds on Adult-size tables), so signals and timers are served and `signal` can stop it.
 */
export async function evaluateAsync(opts: EvaluateOptions): Promise<EvaluationReport> {
  const steps = evaluationSteps(opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.signal?.aborted) throw new CancelledError(msg.EVALUATION_CANCELLED);
  }
}

/** The stages of the evaluation; yields between them. */
function* evaluationSteps(opts: EvaluateOptions): Generator<void, EvaluationReport, void> {
  const seed = opts.seed ?? 0;
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const rng = new Rng(seed);
  const timings: Record<string, number> = {};
  const warnings: Warning[] = [];
  const metrics: Record<string, MetricResult> = {};
  const total = STAGES.reduce((a, s) => a + s[1], 0);
  let doneWeight = 0;
  const progress = (stage: string, within: number, message?: string): void => {
    if (!opts.onProgress) return;
    const w = STAGES.find((s) => s[0] === stage)?.[1] ?? 0;
    opts.onProgress({ stage, fraction: Math.min(1, (doneWeight + w * within) / total), message });
  };
  const stageDone = (stage: string): void => {
    doneWeight += STAGES.find((s) => s[0] === stage)?.[1] ?? 0;
  };

  const t0 = performance.now();
  progress('prepare', 0, 'checking and encoding the tables');
  const data: PreparedData = prepareData(opts.train, opts.holdout, opts.synthetic, opts.metadata);
  warnings.push(...data.warnings);
  timings.prepare = (performance.now() - t0) / 1000;
  stageDone('prepare');
  yield;

  let target: string | null = null;
  if (opts.target !== undefined) {
    const spec = opts.metadata.columns.find((c) => c.name === opts.target);
    if (!spec || spec.action !== 'keep' || spec.type === 'text' || spec.type === 'id') {
      throw new EvaluationError(msg.targetNotEvaluated(opts.target), {
        location: { column: opts.target },
        hint: msg.hintChooseOneOf(data.columns.map((c) => c.name)),
      });
    }
    if (data.missingFromSynthetic.includes(opts.target)) {
      warnings.push({ code: 'TARGET', column: opts.target, message: msg.targetMissingFromSynthetic(opts.target) });
    } else target = opts.target;
  }

  const run = <T extends MetricOutput>(d: MetricDescriptor, fn: () => T): T | null => {
    progress(d.name, 0);
    const s = performance.now();
    const out = fn();
    const seconds = (performance.now() - s) / 1000;
    timings[d.name] = seconds;
    if (out.warnings) warnings.push(...out.warnings);
    metrics[d.name] = {
      name: d.name,
      kind: d.kind,
      goal: d.goal,
      range: d.range,
      description: d.description,
      value: out.value === null || !Number.isFinite(out.value) ? null : out.value,
      details: out.details,
      seconds,
    };
    if (out.value === null) {
      const own = out.warnings?.length ?? 0;
      warnings.push({
        code: 'METRIC_SKIPPED',
        metric: d.name,
        message: own ? `${d.name} could not be computed; see the warnings above` : `${d.name} has nothing to measure here (no applicable column or pair of columns)`,
      });
    }
    stageDone(d.name);
    progress(d.name, 0);
    return out;
  };
  const skip = (name: string, why: string): void => {
    stageDone(name);
    warnings.push({ code: 'METRIC_SKIPPED', metric: name, message: why });
  };

  // Fidelity.
  const ksOut = run(ks.descriptor, () => ks.compute(data));
  yield;
  const tvOut = run(tv.descriptor, () => tv.compute(data));
  const corrOut = run(corr.descriptor, () => corr.compute(data));
  const contOut = run(cont.descriptor, () => cont.compute(data));
  yield;
  if (settings.skipModels) skip('detection', 'detection skipped (skipModels)');
  else run(detection.descriptor, () => detection.compute(data, { maxRows: settings.detectionMaxRows, folds: settings.detectionFolds }, rng.fork('detection')));
  yield;

  const columnScores: ColumnScore[] = [
    ...(ksOut?.details.columns ?? []).map((c) => ({ column: c.column, type: typeOf(data, c.column), metric: 'ks_complement', score: c.score })),
    ...(tvOut?.details.columns ?? []).map((c) => ({ column: c.column, type: typeOf(data, c.column), metric: 'tv_complement', score: c.score })),
  ].sort((a, b) => a.score - b.score);
  // Pair trends as in SDMetrics' quality report: correlation similarity for numeric pairs, contingency otherwise.
  const corrPairs = new Map((corrOut?.details.pairs ?? []).map((p) => [p.columns.join('\u0000'), p]));
  const pairScores: PairScore[] = (contOut?.details.pairs ?? [])
    .map((p) => {
      const both = p.columns.every((c) => data.columns.find((x) => x.name === c)!.kind === 'num');
      if (!both) return p;
      return corrPairs.get(p.columns.join('\u0000')) ?? null;
    })
    .filter((p): p is PairScore => p !== null)
    .sort((a, b) => a.score - b.score);
  const columnShapes = mean(columnScores.map((c) => c.score));
  const pairTrends = mean(pairScores.map((p) => p.score));
  const parts = [columnShapes, pairTrends].filter((x): x is number => x !== null);
  const qualityScore = parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : null;

  // Utility.
  if (target === null) skip('ml_utility', 'ml_utility needs a target column (--target)');
  else if (settings.skipModels) skip('ml_utility', 'ml_utility skipped (skipModels)');
  else run(mlUtility.descriptor, () => mlUtility.compute(data, target!, { maxRows: settings.utilityMaxRows }, rng.fork('ml_utility')));
  yield;

  // Privacy.
  const tp = performance.now();
  const ctx: PrivacyContext = makePrivacyContext(data, rng.fork('privacy'));
  timings.privacy_encoding = (performance.now() - tp) / 1000;
  run(dcr.descriptor, () => dcr.compute(ctx, (f) => progress('dcr_share', f, 'nearest neighbours of synthetic rows')));
  yield;
  run(nndr.descriptor, () => nndr.compute(ctx));
  run(exact.descriptor, () => exact.compute(ctx));
  yield;
  run(mia.descriptor, () =>
    mia.compute(ctx, { maxTargets: settings.miaMaxTargets, k: settings.miaK, bootstrapRounds: settings.bootstrapRounds, delta: opts.claimedPrivacy?.delta ?? 0 }, rng.fork('mia'), (f) => progress('membership_inference', f)),
  );
  yield;
  run(attr.descriptor, () =>
    attr.compute(
      ctx,
      {
        attacks: settings.attributeAttacks,
        secrets: settings.attributeSecrets,
        maxSecrets: settings.attributeMaxSecrets,
        quasiIdentifiers: settings.quasiIdentifiers,
        target: target ?? undefined,
      },
      rng.fork('attribute'),
      (f) => progress('attribute_inference', f),
    ),
  );
  yield;
  run(so.descriptor, () => so.compute(ctx, settings.singlingOutAttacks, rng.fork('singling-out')));

  // Pairwise detail grows as columns^2: list the worst pairs, summarise all (the scores use every pair).
  const limits: DetailLimit[] = [];
  capPairDetail(metrics, limits);
  if (pairScores.length > MAX_PAIR_DETAIL) limits.unshift({ path: 'quality.pairs', kept: MAX_PAIR_DETAIL, total: pairScores.length, rule: PAIR_RULE });
  const cappedWarnings = capWarnings(warnings, limits);
  const partial = {
    quality: { qualityScore, columnShapes, pairTrends, columns: columnScores, pairs: pairScores.slice(0, MAX_PAIR_DETAIL), pairsTotal: pairScores.length, pairSummary: summarize(pairScores.map((p) => p.score)) },
    metrics,
    columns: {
      evaluated: data.columns.map((c) => ({ name: c.name, type: c.type })),
      missingFromSynthetic: data.missingFromSynthetic,
      unseenCategories: data.unseenCategories,
    },
  };
  timings.total = (performance.now() - t0) / 1000;
  opts.onProgress?.({ stage: 'done', fraction: 1 });
  return {
    kind: EVALUATION_KIND,
    version: EVALUATION_VERSION,
    createdAt: new Date().toISOString(),
    seed,
    rows: { train: data.train.n, holdout: data.holdout.n, synthetic: data.synthetic.n },
    columns: partial.columns,
    target,
    quality: partial.quality,
    metrics,
    limits,
    verdicts: computeVerdicts(partial, opts.claimedPrivacy ?? null),
    warnings: cappedWarnings,
    timings,
    settings,
  };
}

/**
 * Pairs listed per pairwise table (worst first): 200 = every pair of 20 columns. 500 columns give 124,750
 * pairs per table, which made report.json 98 MB for a 0.77 MB synthetic file (issue 17).
 */
export const MAX_PAIR_DETAIL = 200;
/** Warnings listed per (code, metric); the rest are counted in one closing warning of the same code. */
export const MAX_WARNINGS_PER_KIND = 20;

const PAIR_RULE = `the ${MAX_PAIR_DETAIL} lowest scores (worst first); every pair counts in the metric's value and in the pair-score summary`;

/** Trim the per-pair details of the pair metrics to the worst MAX_PAIR_DETAIL, with a summary of all. */
function capPairDetail(metrics: Record<string, MetricResult>, limits: DetailLimit[]): void {
  for (const m of Object.values(metrics)) {
    const d = m.details as { pairs?: PairScore[] } | undefined | null;
    if (!d || !Array.isArray(d.pairs)) continue;
    const total = d.pairs.length;
    const worst = total > MAX_PAIR_DETAIL ? [...d.pairs].sort((a, b) => a.score - b.score).slice(0, MAX_PAIR_DETAIL) : d.pairs;
    m.details = { ...d, pairs: worst, pairsTotal: total, pairSummary: summarize(d.pairs.map((p) => p.score)) };
    if (total > MAX_PAIR_DETAIL) limits.push({ path: `metrics.${m.name}.details.pairs`, kept: MAX_PAIR_DETAIL, total, rule: PAIR_RULE });
  }
}

/** At most MAX_WARNINGS_PER_KIND warnings per (code, metric), then one saying how many more there were. */
export function capWarnings(warnings: readonly Warning[], limits: DetailLimit[] = []): Warning[] {
  const seen = new Map<string, number>();
  for (const w of warnings) {
    const k = `${w.code}\u0000${w.metric ?? ''}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const out: Warning[] = [];
  const listed = new Map<string, number>();
  for (const w of warnings) {
    const k = `${w.code}\u0000${w.metric ?? ''}`;
    const n = listed.get(k) ?? 0;
    listed.set(k, n + 1);
    const total = seen.get(k)!;
    if (n < MAX_WARNINGS_PER_KIND) out.push(w);
    if (n === MAX_WARNINGS_PER_KIND && total > MAX_WARNINGS_PER_KIND) {
      const more = total - MAX_WARNINGS_PER_KIND;
      out.push({ code: w.code, ...(w.metric ? { metric: w.metric } : {}), message: msg.moreWarningsLikeThese(more, w.code, w.metric) });
      limits.push({ path: `warnings[${w.code}${w.metric ? `, ${w.metric}` : ''}]`, kept: MAX_WARNINGS_PER_KIND, total, rule: 'the first in the order they arose; one more warning gives the count of the rest' });
    }
  }
  return out;
}

function typeOf(data: PreparedData, name: string): string {
  return data.columns.find((c) => c.name === name)!.type;
}
