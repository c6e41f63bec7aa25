/**
 * ReportData: the versioned, JSON-serialisable content of a run's report (report.json), from which
 * report.html is rendered. Plain JSON: no typed arrays, no NaN or Infinity (a value that could not be
 * computed is null).
 */
import type { AttackResult } from '../evaluation/metrics/membershipInference.js';
import type { MetricDescriptor } from '../evaluation/types.js';
import type { DetailLimit, EvaluationReport, Summary } from '../evaluation/types.js';
import type { ColumnFate } from './columnFates.js';

export const REPORT_KIND = 'privsynth.report';
export const REPORT_VERSION = 1;

export interface ReportDataset {
  name: string;
  file: string;
  rows: number;
  /** Columns of the input file (all of them, dropped ones included). */
  columns: number;
}

export interface ReportRun {
  seed: number;
  epsilon?: number;
  delta?: number;
  /** Synthetic rows requested. */
  rows: number;
  /** Share of the input held out of training for the evaluation. */
  holdoutFraction?: number;
}

/** One privacy-ledger entry as shown in the report (no data values: labels name columns, never cells). */
export interface LedgerEntry {
  label: string;
  mechanism: string;
  rho?: number;
  sigma?: number;
  q?: number;
  steps?: number;
  clipNorm?: number;
  deltaSpent?: number;
  /** Share of the total epsilon (a bookkeeping convention, see PrivacyLedger); null when infinite. */
  epsilonAttributed: number | null;
}

export type ReportPrivacy =
  | { differentiallyPrivate: false; warning: string }
  | {
      differentiallyPrivate: true;
      /** Why the budget gives no meaningful protection, when it was accepted with --allow-weak-privacy. */
      weakBudget: string[] | null;
      /** Total epsilon of all releases composed; null = no finite guarantee. */
      epsilon: number | null;
      delta: number | null;
      target: { epsilon: number; delta: number } | null;
      bestOrder: number | null;
      accountant: string;
      entries: LedgerEntry[];
      training: { noiseMultiplier: number | null; sampleRate: number | null; steps: number | null; clipNorm: number | null; clippedFraction: number | null } | null;
    };

/** Numbers: shares of all rows per bin (missing apart), bins on the real data. */
export interface NumericHistogram {
  kind: 'numeric';
  column: string;
  type: string;
  /** 'range': equal width over the real 0.5%-99.5% quantile range (end bins take values beyond), integer-aligned for integer data; 'integers': one bin per integer value. */
  binning: 'range' | 'integers';
  /** bins + 1 edges; datetimes in epoch ms. */
  edges: number[];
  real: number[];
  synthetic: number[];
  missing: { real: number; synthetic: number };
  /** Score of the column in the evaluation (ks_complement) or null. */
  score: number | null;
  metric: string | null;
}

/** Categories: shares of all rows, top categories of the real data, the rest pooled. */
export interface CategoricalHistogram {
  kind: 'categorical';
  column: string;
  type: string;
  categories: string[];
  real: number[];
  synthetic: number[];
  /** Share of the categories outside `categories` (null when there are none on either side). */
  other: { real: number; synthetic: number; count: number } | null;
  missing: { real: number; synthetic: number };
  score: number | null;
  metric: string | null;
}

export type ColumnHistogram = NumericHistogram | CategoricalHistogram;

/** A symmetric association matrix over `columns`; null cells could not be computed. */
export interface AssociationMatrices {
  measure: 'pearson' | 'cramers_v';
  columns: string[];
  real: (number | null)[][];
  synthetic: (number | null)[][];
  /** Columns left out to keep the plot readable. */
  omitted: string[];
}

/** A membership-inference attack as the evaluation reports it (src/evaluation/metrics/membershipInference.ts). */
export type RocAttack = Omit<AttackResult, 'attack'> & { attack: string };

export interface AttributeRisk {
  secret: string;
  attacks: number;
  successTrain: number;
  successHoldout: number;
  risk: number;
  riskCi95: [number, number];
}

/** A metric as the report lists it: the evaluation's descriptor plus the measured value. */
export interface MetricDefinition extends MetricDescriptor {
  value: number | null;
  computed: boolean;
}

export interface ReportData {
  kind: typeof REPORT_KIND;
  version: typeof REPORT_VERSION;
  createdAt: string;
  dataset: ReportDataset;
  run: ReportRun | null;
  privacy: ReportPrivacy;
  /** Every input column and what happened to it (see columnFates.ts). */
  columns: ColumnFate[];
  verdicts: EvaluationReport['verdicts'];
  fidelity: {
    qualityScore: number | null;
    columnShapes: number | null;
    pairTrends: number | null;
    detection: { auc: number | null; models: { model: string; auc: number }[] };
    /** Worst first (by the column's evaluation score; unscored columns last). */
    histograms: ColumnHistogram[];
    correlations: AssociationMatrices | null;
    cramersV: AssociationMatrices | null;
  };
  utility: {
    target: string | null;
    task: string | null;
    primary: 'auc' | 'r2' | null;
    bestTstr: number | null;
    bestTrtr: number | null;
    gap: number | null;
    /** Classification: no model finds a relation to the target in the synthetic rows (bestTstr is then 0.5, chance). */
    noRelation: boolean;
    /**
     * withinSyntheticAuc: models trained on synthetic (classification), the AUC of the same model fitted on
     * 80% of the synthetic rows and scored on the other 20%; relationDetected: its interval lies above 0.5.
     */
    scores: { model: string; trainedOn: 'synthetic' | 'train'; value: number | null; accuracy: number | null; withinSyntheticAuc: number | null; relationDetected: boolean | null }[];
  };
  attacks: {
    membership: { members: number; nonMembers: number; attacks: RocAttack[] } | null;
    dcr: { share: number | null; train: Summary | null; holdout: Summary | null; zeroDistanceTrain: number | null; zeroDistanceHoldout: number | null } | null;
    nndr: { train: Summary | null; holdout: Summary | null } | null;
    exactCopies: { rate: number | null; holdoutBaseline: number; excess: number } | null;
    attribute: AttributeRisk[];
    singlingOut: { risk: number | null; riskCi95: [number, number]; attacks: number; successTrain: number; successHoldout: number } | null;
  };
  metrics: MetricDefinition[];
  /**
   * What report.json and report.html list only in part (so their size grows linearly with the columns, not
   * as their pairs): the evaluation's own limits (paths under "evaluation."), the association matrices'
   * column cap, the histograms' category cap, and the HTML's plot cap. Empty when nothing was cut.
   */
  limits: DetailLimit[];
  warnings: EvaluationReport['warnings'];
  timings: Record<string, number>;
  /** The evaluation report as computed, for readers who want every detail. */
  evaluation: EvaluationReport;
}
