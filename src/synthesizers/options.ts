/**
 * The library's fit and sample options: what `fit`, `sample` and `run` (src/jobs/) take and every
 * synthesizer in the registry reads. The CLI's option types are derived from these (src/cli/cliOptions.ts),
 * so a renamed library option is a type error there.
 */
import type { Metadata } from '../metadata/Metadata.js';
import type { Table } from '../table/Table.js';
import type { Condition } from '../sampling/conditions.js';
import type { RebalanceSpec } from '../sampling/rebalance.js';
import type { VaeConfig } from './dp-vae/VaeConfig.js';
import type { TrainProgress } from './dp-vae/fit/trainVae.js';

export interface DpOptions {
  epsilon: number;
  delta: number;
  /**
   * Share of the budget (as zCDP rho) for calibration marginals; default from the DP row count and epsilon
   * (dp-vae's dpBudgetShares: 0.15 on Adult-size tables, up to 0.65 on small ones); 0 = no calibration.
   */
  calibrationShare?: number;
  /** Share of the budget (as zCDP rho) for DP preprocessing, the row count included; default as calibrationShare (0.1 on large tables). */
  preprocessingShare?: number;
  /**
   * dp-vae: share of the budget (as zCDP rho) for two-way marginals chosen by the exponential mechanism and
   * measured, which the decoder is then fitted to (fit/fitDecoderToMarginals.ts); default 0.2 on small tables
   * when a `target` is given (dpBudgetShares), else 0 (off).
   */
  pairShare?: number;
  clipNorm?: number;
  /** At most this many modes per numeric column (default DP_DEFAULTS.maxModes). */
  maxModes?: number;
  /**
   * Accept a budget that gives no meaningful protection (epsilon > 10 or delta >= 1/rows, see
   * privacy/budgetStrength.ts); the model is then flagged `weakBudget` everywhere. Default false: refused.
   */
  allowWeakPrivacy?: boolean;
}

export interface FitOptions {
  /** The registry name of the synthesizer (synthesizers/registry.ts; default dp-vae). */
  synthesizer?: string;
  /** Differential privacy; omit for a model that is NOT differentially private (marked so everywhere). */
  dp?: DpOptions;
  /**
   * The column the synthetic data will be used to predict (`run --target`): dp-vae with `dp.pairShare` spends
   * half of its pair rounds on pairs with it. Other synthesizers ignore it.
   */
  target?: string;
  learningRate?: number;
  /** Architecture/optimiser overrides (applied last), e.g. { lossFactor: 10 }. */
  vae?: Partial<VaeConfig>;
  /**
   * Measure one-way marginals for calibrating samples (default true). Under DP they are Gaussian-noised
   * and paid from the budget (`dp.calibrationShare`); without DP they are the exact marginals.
   */
  calibrate?: boolean;
  schema?: string;
  out: string;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  force?: boolean;
  onProgress?: (p: TrainProgress) => void;
  onBackend?: (name: string) => void;
  /** Non-fatal concerns (e.g. a delta above 1/(10 rows)); the CLI prints them to stderr. */
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

export interface LlmOptions {
  /** A .gguf path, or the name of a file in the project's models/ folder. */
  model: string;
  /** CPU threads (default 1; raise it for larger models, never above the core count). */
  threads?: number;
  temperature?: number;
  /** Parallel context sequences (default 1). */
  sequences?: number;
  /** The real table, for the leak guard (run passes the training part). Without it only mustNotContain is enforced. */
  guard?: { table: Table; metadata: Metadata };
}

export interface SampleOptions {
  rows: number;
  out: string;
  seed?: number;
  force?: boolean;
  batchSize?: number;
  /** Softmax temperature for categorical outputs: 1 = the model's distribution, 0 = argmax (TVAE). */
  temperature?: number;
  /** Fill text columns with a local GGUF model (node-llama-cpp). */
  llm?: LlmOptions;
  /** Every row meets every condition (guided sampling in latent space). */
  conditions?: Condition[];
  /** Output group shares as asked. */
  rebalance?: RebalanceSpec;
  /** Calibrate to the model's stored marginals (default true when the model has them; not with conditions/rebalancing). */
  calibrate?: boolean;
  /**
   * Also return the rows written, as a reader of the output gets them back (`SampleResult.table`; see
   * io/writtenTable.ts): `run` evaluates them in memory instead of reading its synthetic.csv again.
   */
  keepTable?: boolean;
  onProgress?: (done: number, total: number) => void;
  onTextProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** How rows were drawn. */
export type SampleMethod = 'plain' | 'calibrated' | 'conditional' | 'rebalanced';
