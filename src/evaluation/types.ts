/**
 * Types shared by the evaluation: metric descriptors, the report object and the options of `evaluate`.
 *
 * The report is plain JSON (no typed arrays, no NaN: a value that could not be computed is `null` with a
 * warning saying why) and carries `kind` and `version` so readers can check what they got.
 */
import type { Table } from '../table/Table.js';
import type { Metadata } from '../metadata/Metadata.js';

export const EVALUATION_KIND = 'privsynth.evaluation';
export const EVALUATION_VERSION = 1;

export type MetricKind = 'fidelity' | 'utility' | 'privacy';
/** 'maximize': higher is better; 'minimize': lower is better; 'target': closer to `ideal` is better. */
export type MetricGoal = 'maximize' | 'minimize' | 'target';

export interface MetricDescriptor {
  name: string;
  kind: MetricKind;
  goal: MetricGoal;
  /** Range of the headline value. */
  range: [number, number];
  /** For goal 'target': the ideal value (e.g. 0.5 for an attack AUC). */
  ideal?: number;
  description: string;
}

/**
 * 'inconclusive': the 95% interval of the evidence straddles the fail threshold: the data (usually a
 * small holdout) can neither confirm nor rule out a failure.
 */
export type Verdict = 'pass' | 'warn' | 'inconclusive' | 'fail' | 'not_evaluated';

/** One criterion of a verdict: the value, how it compares, and the thresholds it was judged by. */
export interface Criterion {
  name: string;
  value: number | null;
  /** 'above' = bad when the value is above the thresholds, 'below' = bad when below. */
  direction: 'above' | 'below';
  /** Warn when past `warn`, fail when past `fail`. */
  warn: number;
  fail: number;
  verdict: Verdict;
  explanation: string;
  /** The 95% interval of the value when the verdict was judged on it (fail needs the whole interval past `fail`). */
  ci95?: [number, number];
}

export interface AreaVerdict {
  verdict: Verdict;
  criteria: Criterion[];
  /** Privacy only: the empirical epsilon lower bound next to the claimed epsilon. */
  audit?: PrivacyAudit;
}

/** The membership attacks' empirical epsilon lower bound, set against the claimed guarantee. */
export interface PrivacyAudit {
  claimed: { epsilon: number; delta: number } | null;
  /** Lower bound on epsilon at `confidence` (null when the attacks did not run). */
  empiricalEpsilonLowerBound: number | null;
  confidence: number;
  /** The attack that gave the bound. */
  attack: string | null;
  /** True when the bound exceeds the claimed epsilon: the claim is false, a bug to report. */
  contradictsClaim: boolean;
  /** One sentence for the report and the CLI. */
  statement: string;
}

export interface Warning {
  code:
    | 'SMALL_TABLE'
    | 'COLUMN_MISSING_FROM_SYNTHETIC'
    | 'ALL_MISSING'
    | 'UNSEEN_CATEGORIES'
    | 'CONSTANT_COLUMN'
    | 'METRIC_SKIPPED'
    | 'TARGET'
    | 'SUBSAMPLED'
    | 'NO_RELATION';
  message: string;
  column?: string;
  metric?: string;
}

export interface ProgressEvent {
  stage: string;
  /** Share of the whole evaluation done, in [0, 1]. */
  fraction: number;
  message?: string;
}

export interface EvaluateOptions {
  train: Table;
  holdout: Table;
  synthetic: Table;
  metadata: Metadata;
  /** Column to predict for ml_utility (categorical/boolean: classification; numeric: regression). */
  target?: string;
  seed?: number;
  onProgress?: (e: ProgressEvent) => void;
  /** Checked between stages; aborting it throws CancelledError. */
  signal?: AbortSignal;
  /** Advanced knobs; the defaults are what the CLI uses. */
  settings?: Partial<EvaluationSettings>;
  /**
   * The DP guarantee the synthesizer claims (null or absent: none). The membership attacks' empirical
   * epsilon lower bound is compared with it: a bound above the claim means the claim is false (a bug).
   */
  claimedPrivacy?: { epsilon: number; delta: number } | null;
}

export interface EvaluationSettings {
  /** Rows per class (real, synthetic) kept for the detection classifiers. */
  detectionMaxRows: number;
  detectionFolds: number;
  /** Rows of train/synthetic used to fit ml_utility models. */
  utilityMaxRows: number;
  /** Members (and as many non-members) used as membership-inference targets. */
  miaMaxTargets: number;
  /** k of the k-NN density estimates of the density-ratio attack. */
  miaK: number;
  bootstrapRounds: number;
  /** Attacks per secret column (train targets; as many holdout targets). */
  attributeAttacks: number;
  /** Secret columns attacked; default: the target, then the highest-entropy columns. */
  attributeSecrets?: string[];
  attributeMaxSecrets: number;
  /** Known columns of the attribute attacker; default all evaluated columns but the secret. */
  quasiIdentifiers?: string[];
  singlingOutAttacks: number;
  /** Skip the slow model-based metrics (detection, ml_utility). */
  skipModels: boolean;
}

export const DEFAULT_SETTINGS: EvaluationSettings = {
  detectionMaxRows: 10_000,
  detectionFolds: 5,
  utilityMaxRows: 30_000,
  miaMaxTargets: 2_000,
  miaK: 5,
  bootstrapRounds: 200,
  attributeAttacks: 500,
  attributeMaxSecrets: 5,
  singlingOutAttacks: 500,
  skipModels: false,
};

export interface ColumnScore {
  column: string;
  type: string;
  metric: string;
  score: number;
}

export interface PairScore {
  columns: [string, string];
  metric: string;
  score: number;
  real?: number;
  synthetic?: number;
}

export interface Summary {
  n: number;
  mean: number;
  min: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
  max: number;
}

export interface MetricResult {
  name: string;
  kind: MetricKind;
  goal: MetricGoal;
  range: [number, number];
  description: string;
  /** The headline value; null when it could not be computed (see warnings). */
  value: number | null;
  details?: unknown;
  seconds: number;
}

export interface EvaluationReport {
  kind: typeof EVALUATION_KIND;
  version: typeof EVALUATION_VERSION;
  createdAt: string;
  seed: number;
  rows: { train: number; holdout: number; synthetic: number };
  columns: {
    evaluated: { name: string; type: string }[];
    missingFromSynthetic: string[];
    unseenCategories: { column: string; count: number; examples: string[]; syntheticShare: number }[];
  };
  target: string | null;
  quality: {
    /** mean(columnShapes, pairTrends); null when neither could be computed. */
    qualityScore: number | null;
    columnShapes: number | null;
    pairTrends: number | null;
    /** Worst first. */
    columns: ColumnScore[];
    /** Worst first, at most MAX_PAIR_DETAIL (evaluate.ts); `pairsTotal` pairs were scored, all in the scores. */
    pairs: PairScore[];
    pairsTotal: number;
    /** Distribution of every pair score (null when there are none). */
    pairSummary: Summary | null;
  };
  metrics: Record<string, MetricResult>;
  /**
   * What the report lists only in part to keep its size linear in the columns (e.g. 500 columns give
   * 124,750 pairs, 98 MB of JSON): what, how many were kept of how many, and the rule. Empty when nothing was cut.
   */
  limits: DetailLimit[];
  verdicts: { fidelity: AreaVerdict; utility: AreaVerdict; privacy: AreaVerdict };
  warnings: Warning[];
  timings: Record<string, number>;
  settings: EvaluationSettings;
}

/** A list of the report cut to its first `kept` entries of `total` (see EvaluationReport.limits). */
export interface DetailLimit {
  /** Where in the report, e.g. "quality.pairs" or "metrics.contingency_similarity.details.pairs". */
  path: string;
  kept: number;
  total: number;
  /** Which entries were kept, and where the rest still counts. */
  rule: string;
}

/** What a metric's compute function returns; `evaluate` adds the descriptor and the timing. */
export interface MetricOutput {
  value: number | null;
  details?: unknown;
  warnings?: Warning[];
}
