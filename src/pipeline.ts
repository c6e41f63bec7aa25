/**
 * The one entry the CLI and the benchmarks call.
 *
 *  table file ──► io/readTable ──► Table ──► metadata/ (infer | --schema, validate) ──► Metadata
 *                                   │
 *                                   ▼
 *        metadata/coerceTable (typed cells) ──► transformers/TableEncoder ──► encoded matrix
 *                                   │
 *                                   ▼
 *        synthesizers/dp-vae (engine, trainer, sampler)  ◄── privacy/ (ledger, accountant)
 *                                   │
 *                                   ▼
 *        model dir (manifest.json + weights.bin) ──► sample ──► decode ──► io/TableWriter
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LlmTextFiller, type TextFillReport } from './text/LlmTextFiller.js';
import { resolveModelPath } from './text/resolveModelPath.js';
import { CancelledError, InternalError, ModelError, SchemaError, BudgetError, SchemaColumnError } from './errors.js';
import { readTable } from './io/readTable.js';
import { TableWriter, columnsForOutput, outputFormatOf } from './io/TableWriter.js';
import { inferMetadataWithWarnings, type ColumnWarning } from './metadata/inferMetadata.js';
import { readMetadataFile } from './metadata/metadataFile.js';
import { coerceTable } from './metadata/coerceTable.js';
import { modelledColumns, type ColumnSpec, type Metadata } from './metadata/Metadata.js';
import { DpVaeSynthesizer } from './synthesizers/dp-vae/DpVaeSynthesizer.js';
import { DEFAULT_VAE_CONFIG, type VaeConfig } from './synthesizers/dp-vae/VaeConfig.js';
import type { TrainProgress } from './synthesizers/dp-vae/trainVae.js';
import { loadModel, saveModel, assertModelDirAvailable, MODEL_KIND, MODEL_VERSION, type ModelManifest } from './synthesizers/modelFile.js';
import { TableEncoder } from './transformers/TableEncoder.js';
import { measureMarginals, type MarginalRelease } from './sampling/marginals.js';
import { calibrateSampler, calibrationTensors, installCalibration, storedCalibration, type ColumnCalibration, type SamplerCalibration, type StoredCalibrationInfo } from './sampling/calibration.js';
import { fastBatches, surrogateColumn, workerCount, type FastSamplingPlan } from './sampling/fastSampling.js';
import type { MonotoneTransport, MonotoneTransportState } from './sampling/MonotoneTransport.js';
import { VaeSampler, flatTheta } from './synthesizers/dp-vae/VaeSampler.js';
import type { NamedWeight } from './synthesizers/dp-vae/VaeEngine.js';
import type { TableEncoderState } from './transformers/TableEncoder.js';
import type { Condition } from './sampling/conditions.js';
import { sampleRebalancedBatches, type RebalanceSpec } from './sampling/rebalance.js';
import { sampleConstrainedBatches, type EnforceReport } from './sampling/constraints.js';
import { Rng } from './rng.js';
import { checkOutputLocation } from './io/checkOutputLocation.js';
import { budgetStrength, WEAK_EPSILON } from './privacy/budgetStrength.js';
import { checkPrivacySection } from './privacy/checkPrivacySection.js';
import { assertOutputAvailable } from './io/assertOutputAvailable.js';
import { PrivacyLedger } from './privacy/PrivacyLedger.js';
import { planBudget } from './privacy/planBudget.js';
import { calibrateNoise } from './privacy/analysis/calibrateNoise.js';
import { PrivacyError } from './errors.js';
import { fitPrivateEncoder, preprocessingShareFor, preprocessingUnits } from './synthesizers/dp-vae/fitPrivateEncoder.js';
import type { DpTrainingPlan } from './synthesizers/dp-vae/trainVae.js';
import type { Cell, Table } from './table/Table.js';

const require = createRequire(import.meta.url);
export const PRIVSYNTH_VERSION: string = (require('../package.json') as { version: string }).version;

export interface InspectResult {
  file: string;
  rows: number;
  metadata: Metadata;
  warnings: ColumnWarning[];
}

export async function inspectFile(file: string): Promise<InspectResult> {
  const table = await readTable(file);
  const { metadata, warnings } = inferMetadataWithWarnings(table);
  return { file, rows: table.rowCount, metadata, warnings };
}

/** Read a table and its schema (given or inferred), then type it. */
export async function loadTypedTable(file: string, schemaFile?: string): Promise<{ table: Table; metadata: Metadata; raw: Table }> {
  const raw = await readTable(file);
  const metadata = schemaFile ? await readMetadataFile(schemaFile) : inferMetadataWithWarnings(raw).metadata;
  const table = coerceTable(raw, metadata);
  return { table, metadata, raw };
}

/** A modelled column that is entirely missing or constant cannot be learned: say so. */
export function checkLearnable(table: Table, metadata: Metadata): void {
  const problems: SchemaError[] = [];
  for (const c of modelledColumns(metadata)) {
    const col = table.columns[table.names.indexOf(c.name)];
    if (!col) continue;
    let first: Cell | undefined;
    let varied = false;
    let present = 0;
    for (const v of col) {
      if (v === null) continue;
      present++;
      if (first === undefined) first = v;
      else if (v !== first) {
        varied = true;
        break;
      }
    }
    const hint = `set "action": "drop" for column "${c.name}" in the schema (privsynth inspect FILE -o schema.json writes one to edit), or remove the column`;
    if (present === 0) problems.push(new SchemaColumnError(`column "${c.name}" is entirely empty`, { location: { file: table.source, column: c.name }, hint }));
    else if (!varied && present === table.rowCount) problems.push(new SchemaColumnError(`column "${c.name}" holds the single value ${JSON.stringify(String(first))} in every row; there is nothing to learn`, { location: { file: table.source, column: c.name }, hint }));
  }
  if (problems.length) throw problems[0]!;
}

/** DP training defaults, chosen from the experiments on Adult recorded in benchmarks/RESULTS.md. */
export const DP_DEFAULTS = {
  epochs: 120,
  /** Expected batch = this share of the noisy row count (Poisson rate q), within [minBatch, maxBatch]. */
  sampleRate: 0.15,
  minBatch: 32,
  maxBatch: 4000,
  clipNorm: 1.0,
  preprocessingShare: 0.1,
  thresholdDeltaShare: 0.1,
  /** The largest DP learning rate (Adam); see dpLearningRate. */
  learningRate: 5e-3,
  /** The smallest DP learning rate (TVAE's, without DP); see dpLearningRate. */
  minLearningRate: 1e-3,
  /** Learning rate over the noise std of a coordinate of the averaged gradient, sigma / E[B]; see dpLearningRate. */
  learningRateToNoise: 2,
  /** Modes per numeric column under DP (TVAE: 10). */
  maxModes: 10,
  /** Share of the whole budget (as zCDP rho) for the noisy one-way marginals used by calibration. */
  calibrationShare: 0.15,
  /**
   * A smaller network and a heavier reconstruction weight than TVAE's. DP noise is added to every
   * parameter's gradient, so its norm grows with sqrt(#parameters) while the clipped signal does not:
   * TVAE's 128x128/latent 128 network (~120k parameters) learned no relation between columns on Adult
   * even at epsilon 10 (income independent of sex and marital status); 32x32/latent 8 (~14k) did, and a
   * loss factor of 10 (KL weight 1/10) kept the latent code in use at epsilon 3 (posterior collapse
   * otherwise).
   *
   * The output sigma is fixed (see VaeConfig.learnSigma) at 0.5, not TVAE's 0.1: clipping bounds each
   * row's WHOLE gradient, so the loss terms share a norm of C, and a numeric column's position term
   * has gradient (x - tanh r)(1 - tanh^2 r) / sigma^2 against a category's (p - x). At 0.1 the six
   * numeric positions of Adult took almost all of each clipped gradient, and the categorical relations
   * (income by marital status, sex, education) drowned in the noise: none was learned at epsilon 1, nor
   * at epsilon 3 for 2 of 3 seeds. At 0.5 (weights 4:1) every seed learns them at epsilon 1 (TSTR AUC
   * ~0.87). See benchmarks/RESULTS.md.
   */
  vae: { compressDims: [32, 32], decompressDims: [32, 32], embeddingDim: 8, lossFactor: 10, learnSigma: false, fixedSigma: 0.5 } as Partial<VaeConfig>,
};

/** DP batch size from the DP row count (post-processing of a released value: free). */
export function dpBatchSize(noisyRows: number): number {
  return Math.max(DP_DEFAULTS.minBatch, Math.min(DP_DEFAULTS.maxBatch, Math.round(DP_DEFAULTS.sampleRate * noisyRows)));
}

/**
 * DP learning rate from the noise the accountant calibrated (post-processing: free). Adam divides each
 * coordinate's step by the root of its second moment, and under DP that is the noise: sigma * C / E[B] per
 * coordinate of the averaged gradient, where the signal is at most C. So Adam's step on the signal is
 * about lr * E[B] / sigma in units of C, and a FIXED lr takes larger steps the larger epsilon is: on Adult
 * lr 5e-3 diverged at epsilon 10 (3 of 5 seeds: weights and KL blew up after epoch ~100, marginals off by
 * 0.3), where lr / (sigma / E[B]) is 7; 2 (and up to 5) was stable; below 0.5 (lr 2e-3 at epsilon 1)
 * training moved too little to learn any relation. Hence lr = 2 sigma / E[B], within [1e-3, 5e-3]
 * (5e-3 at epsilon 1 on Adult, 3.9e-3 at 3, 1.4e-3 at 10). See benchmarks/RESULTS.md.
 */
export function dpLearningRate(noiseMultiplier: number, expectedBatchSize: number): number {
  const lr = (DP_DEFAULTS.learningRateToNoise * noiseMultiplier) / Math.max(1, expectedBatchSize);
  return Math.min(DP_DEFAULTS.learningRate, Math.max(DP_DEFAULTS.minLearningRate, lr));
}

export interface DpOptions {
  epsilon: number;
  delta: number;
  /** Share of the budget (as zCDP rho) for calibration marginals; default 0.15; 0 = no calibration. */
  calibrationShare?: number;
  /** Share of the budget (as zCDP rho) for DP preprocessing; default 0.1. */
  preprocessingShare?: number;
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
  /**
   * The registry name of the synthesizer (synthesizers/registry.ts; default dp-vae). fitFile/fitTable here
   * are dp-vae's; registry.ts's fitModel/fitModelFile dispatch on this name.
   */
  synthesizer?: string;
  /** Differential privacy; omit for a model that is NOT differentially private (marked so everywhere). */
  dp?: DpOptions;
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

export interface FitResult {
  modelDir: string;
  manifest: Omit<ModelManifest, 'weights'>;
}

export async function fitFile(file: string, opts: FitOptions): Promise<FitResult> {
  await checkOutputLocation(opts.out, { kind: 'directory' }); // before reading and training
  await assertModelDirAvailable(opts.out, opts.force);
  const { table, metadata } = await loadTypedTable(file, opts.schema);
  return fitTable(table, metadata, opts);
}

/** Fit on a typed table (see loadTypedTable) and write the model directory `opts.out`. */
export async function fitTable(table: Table, metadata: Metadata, opts: Omit<FitOptions, 'schema'>): Promise<FitResult> {
  await checkOutputLocation(opts.out, { kind: 'directory' });
  await assertModelDirAvailable(opts.out, opts.force); // before training, not after
  if (opts.synthesizer !== undefined && opts.synthesizer !== 'dp-vae') throw new InternalError(`pipeline.fitTable fits dp-vae only, not "${opts.synthesizer}"; call fitModel (synthesizers/registry.ts)`);
  checkLearnable(table, metadata);
  const seed = opts.seed ?? 0;
  const dp = opts.dp;
  const config: VaeConfig = {
    ...DEFAULT_VAE_CONFIG,
    ...(dp ? { epochs: DP_DEFAULTS.epochs, learningRate: DP_DEFAULTS.learningRate, ...DP_DEFAULTS.vae } : {}),
    ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...(opts.learningRate !== undefined ? { learningRate: opts.learningRate } : {}),
    ...opts.vae,
  };
  const rng = new Rng(seed);
  let privacy: ModelManifest['privacy'];
  // Columns that are not modelled (dropped as PII, ids, text) leave only their structure in the
  // model file, DP or not: a dropped column's categories or range are real values.
  const modelledNames = new Set(modelledColumns(metadata).map((c) => c.name));
  let schema: Metadata = { ...metadata, columns: metadata.columns.map((c) => (modelledNames.has(c.name) ? c : stripDataValues(c))) };
  let encoder: TableEncoder | undefined;
  let dpPlan: DpTrainingPlan | undefined;
  let trainTable = table;
  let ledger: PrivacyLedger | undefined;
  let marginals: MarginalRelease | undefined;
  let weakBudget: string[] | undefined;
  if (dp) {
    validateDp(dp);
    weakBudget = checkBudgetStrength(dp, table.rowCount, opts.onWarning);
    // ---- the budget split, explicit: preprocessing gets a share of the whole budget (as zCDP rho);
    // DP-SGD's noise is then calibrated to fill exactly what is left under RDP composition.
    const modelled = modelledColumns(metadata);
    const { thresholded } = preprocessingUnits(modelled);
    const plan = planBudget({
      epsilon: dp.epsilon,
      delta: dp.delta,
      preprocessingShare: dp.preprocessingShare ?? preprocessingShareFor(modelled, DP_DEFAULTS.preprocessingShare),
      thresholdDeltaShare: thresholded > 0 ? DP_DEFAULTS.thresholdDeltaShare : 0,
    });
    ledger = new PrivacyLedger({ epsilon: dp.epsilon, delta: dp.delta });
    const pre = fitPrivateEncoder(table, modelled, { preprocessingRho: plan.preprocessingRho, thresholdDelta: plan.thresholdDelta, ledger, rng: rng.fork('dp-preprocessing'), maxModes: dp.maxModes ?? DP_DEFAULTS.maxModes });
    encoder = pre.encoder;
    trainTable = pre.clipped;
    const calShare = opts.calibrate === false ? 0 : dp.calibrationShare ?? DP_DEFAULTS.calibrationShare;
    if (calShare > 0) {
      // Noisy one-way marginals for post-processing the samples (issue 9): ledgered like every other release.
      const marg = measureMarginals(pre.clipped, pre.encoder, calShare * plan.totalRho, rng.fork('marginals'), { rows: pre.noisyRows });
      for (const sp of marg.spends) ledger.add(sp);
      marginals = marg.release;
    }
    schema = { ...schema, columns: schema.columns.map((c) => pre.columns.find((d) => d.name === c.name) ?? stripDataValues(c)) };
    if (opts.batchSize === undefined) config.batchSize = dpBatchSize(pre.noisyRows);
    const q = Math.min(1, config.batchSize / pre.noisyRows);
    const stepsPerEpoch = Math.max(1, Math.round(1 / q));
    const steps = stepsPerEpoch * config.epochs;
    const clipNorm = dp.clipNorm ?? DP_DEFAULTS.clipNorm;
    const cal = calibrateNoise({ epsilon: dp.epsilon, delta: plan.conversionDelta, q, steps, extraRho: ledger.zcdpRho });
    dpPlan = { sampleRate: q, noiseMultiplier: cal.sigma, clipNorm, steps, expectedBatchSize: q * pre.noisyRows };
    if (opts.learningRate === undefined && opts.vae?.learningRate === undefined) config.learningRate = dpLearningRate(cal.sigma, dpPlan.expectedBatchSize);
    // Record the training spend before training and refuse to train past the budget.
    ledger.add({ label: 'dp-sgd:vae', mechanism: 'dp_sgd', sigma: cal.sigma, q, steps, clipNorm });
    ledger.assertWithinBudget();
  }
  const synth = await DpVaeSynthesizer.fit(trainTable, schema, { config, seed, dp: dpPlan, encoder, onProgress: opts.onProgress, signal: opts.signal });
  if (!dp && opts.calibrate !== false) {
    // Not DP: the exact marginals (a huge rho makes the Gaussian noise ~1e-6 of a count). The model is
    // marked NOT differentially private, and already holds exact categories and bounds.
    marginals = measureMarginals(trainTable, synth.encoder, 1e12, rng.fork('marginals')).release;
  }
  opts.onBackend?.(synth.engine.backendName);
  const t = synth.training!;
  if (dpPlan && t.steps !== dpPlan.steps) throw new BudgetError(`training ran ${t.steps} steps but ${dpPlan.steps} were accounted for`);
  if (ledger) {
    const total = ledger.total();
    privacy = { ...(ledger.toJSON() as Record<string, unknown>), differentiallyPrivate: true, ...(weakBudget?.length ? { weakBudget } : {}), total, training: { noiseMultiplier: dpPlan!.noiseMultiplier, sampleRate: dpPlan!.sampleRate, steps: dpPlan!.steps, clipNorm: dpPlan!.clipNorm, clippedFraction: t.clippedFraction } };
  } else {
    privacy = {
      differentiallyPrivate: false,
      warning:
        'NOT differentially private: trained without DP-SGD, and the schema and transformers were fitted on the real data. Synthetic rows can reveal information about real people.',
    };
  }
  // Calibration to the marginals, fitted once now (post-processing of the model and the release: free)
  // and stored with the weights, so sampling starts without a pilot.
  const weights = synth.engine.exportWeights();
  let calibration: StoredCalibrationInfo | undefined;
  if (marginals) {
    const sampler = synth.sampler(1);
    try {
      const cal = calibrateSampler(sampler, marginals, rng.fork('calibration'), { pilotRows: FIT_PILOT_ROWS });
      weights.push(...calibrationTensors(cal, synth.encoder.columns));
      calibration = { kind: 'privsynth.calibration', version: 1, temperature: 1, pilotRows: cal.pilotRows, columns: cal.columns };
    } finally {
      sampler.dispose();
    }
  }
  const manifest: Omit<ModelManifest, 'weights'> = {
    kind: MODEL_KIND,
    version: MODEL_VERSION,
    privsynthVersion: PRIVSYNTH_VERSION,
    synthesizer: 'dp-vae',
    createdAt: new Date().toISOString(),
    schema,
    encoder: synth.encoder.toJSON(),
    config,
    seed,
    // the exact row count is private: a DP model records none
    training: { ...t, ...(dp ? {} : { rows: table.rowCount }) },
    backend: synth.engine.backendName,
    privacy,
    ...(marginals ? { marginals } : {}),
    ...(calibration ? { calibration } : {}),
  };
  await saveModel(opts.out, manifest, weights, opts.force);
  synth.engine.dispose();
  return { modelDir: opts.out, manifest };
}

/**
 * Refuse a budget that gives no meaningful protection (privacy/budgetStrength.ts) unless
 * `allowWeakPrivacy`; returns the reasons to flag the model with when allowed.
 */
export function checkBudgetStrength(dp: DpOptions, rows: number, onWarning?: (message: string) => void): string[] {
  const s = budgetStrength(dp.epsilon, dp.delta, rows);
  for (const w of s.warnings) onWarning?.(w);
  if (s.refusals.length && !dp.allowWeakPrivacy) {
    throw new BudgetError(`refusing a privacy budget that gives no meaningful protection: ${s.refusals.join('; ')}`, {
      hint: `use epsilon <= ${WEAK_EPSILON} and delta well below 1/rows (1/${rows}); or pass --allow-weak-privacy to accept it (the model and report are then flagged WEAK PRIVACY)`,
    });
  }
  return s.refusals;
}

export function validateDp(dp: DpOptions): void {
  if (!(dp.epsilon > 0 && Number.isFinite(dp.epsilon))) throw new PrivacyError(`--epsilon must be a positive number, got ${dp.epsilon}`, { hint: 'typical values are 1 to 10; smaller is more private' });
  if (!(dp.delta > 0 && dp.delta < 1)) throw new PrivacyError(`--delta must be in (0, 1), got ${dp.delta}`, { hint: 'use a value well below 1/rows, e.g. 1e-6 for a table of up to 100,000 rows' });
}

/**
 * Columns not modelled (dropped, text, id) keep only their structure in a model's schema: name,
 * type, action, the PII kinds that flagged it (not the share of values that matched), and what the
 * user declared public.
 */
export function stripDataValues(c: ColumnSpec): ColumnSpec {
  const out: ColumnSpec = { name: c.name, type: c.type, action: c.action, nullable: true };
  if (c.pii?.length) out.pii = c.pii.map((p) => ({ kind: p.kind, evidence: p.evidence }));
  if (c.public) Object.assign(out, { public: true, categories: c.categories, min: c.min, max: c.max, decimals: c.decimals });
  if (c.format) out.format = c.format;
  if (c.description) out.description = c.description;
  if (c.text) out.text = c.text;
  return out;
}

export async function loadSynthesizer(dir: string): Promise<{ synth: DpVaeSynthesizer; manifest: ModelManifest }> {
  const { manifest, weights } = await loadModel(dir);
  const encoder = TableEncoder.fromJSON(manifest.encoder);
  const synth = await DpVaeSynthesizer.create(manifest.schema, encoder, manifest.config, manifest.seed);
  try {
    synth.engine.importWeights(weights);
    const stored = manifest.calibration ? storedCalibration(weights, encoder.columns, encoder.width) : null;
    if (stored) synth.storedCalibration = stored;
  } catch (e) {
    if (e instanceof ModelError) {
      synth.engine.dispose();
      throw e;
    }
    synth.engine.dispose();
    throw new ModelError(`the weights in ${dir} do not fit the network its manifest describes: ${(e as Error).message}`, {
      location: { file: dir },
      hint: 'the model directory was modified or mixed from two models; fit the model again',
    });
  }
  return { synth, manifest };
}

/** Output columns: the input's order; dropped columns omitted; text columns only when an LLM fills them. */
export function outputColumns(md: Metadata, withText = false): ColumnSpec[] {
  return md.columns.filter((c) => c.action === 'surrogate' || (c.action === 'keep' && c.type !== 'id' && (c.type !== 'text' || withText)));
}

/** The project root (holds models/), from src/ or dist/. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
  onProgress?: (done: number, total: number) => void;
  onTextProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Pilot rows of the calibration fitted at fit time (more than at sample time: it is paid once). */
const FIT_PILOT_ROWS = 65_536;

export interface SampleResult {
  rows: number;
  seconds: number;
  file: string;
  /** Per batch, what the LLM filler did (leak-guard counts, lengths, consistency); absent without --llm-model. */
  text?: TextFillReport[];
  /** How rows were drawn: plain, calibrated, conditional or rebalanced; constraint enforcement counts. */
  method: 'plain' | 'calibrated' | 'conditional' | 'rebalanced';
  constraints?: EnforceReport;
  /** With rebalancing: the achieved share of each group in the output. */
  groups?: { column: string; shares: Record<string, number> };
  /** Worker threads that sampled (plain and calibrated sampling; 1 = the calling thread). */
  workers?: number;
  /** Calibrated sampling: per column, the distance of the model's marginal to the stored one before and after (on the pilot). */
  calibration?: ColumnCalibration[];
}

export async function sampleToFile(modelDir: string, opts: SampleOptions): Promise<SampleResult> {
  const t0 = performance.now();
  await checkOutputLocation(opts.out, { kind: 'file' }); // before loading the model and sampling
  await assertOutputAvailable(opts.out, { force: opts.force });
  const { manifest, weights } = await loadModel(modelDir);
  const textCols = manifest.schema.columns.filter((c) => c.action === 'keep' && c.type === 'text');
  const constraints = manifest.schema.constraints ?? [];
  const release = manifest.marginals as MarginalRelease | undefined;
  const method: SampleResult['method'] = opts.rebalance ? 'rebalanced' : opts.conditions?.length ? 'conditional' : release && opts.calibrate !== false ? 'calibrated' : 'plain';
  const fast = (method === 'plain' || method === 'calibrated') && !constraints.length && !(opts.llm && textCols.length);
  if (fast) return sampleFast(modelDir, manifest, weights, opts, method, release, t0);

  const { synth } = await loadSynthesizer(modelDir);
  let filler: LlmTextFiller | undefined;
  const textReports: TextFillReport[] = [];
  try {
    if (opts.llm && textCols.length) {
      const modelPath = await resolveModelPath(opts.llm.model, PROJECT_ROOT);
      filler = await LlmTextFiller.load({ modelPath, threads: opts.llm.threads ?? 1, temperature: opts.llm.temperature, seed: opts.seed ?? 0, sequences: opts.llm.sequences });
    }
  } catch (e) {
    synth.engine.dispose();
    throw e;
  }
  const cols = outputColumns(manifest.schema, Boolean(filler));
  const writer = await TableWriter.open(opts.out, cols, { force: opts.force, delimiter: manifest.schema.delimiter });
  const seed = opts.seed ?? 0;
  let done = 0;
  const bs = opts.batchSize ?? 10_000;
  let batchNo = 0;
  const draw = (m: number, s: number): Iterable<Table> => {
    if (method === 'rebalanced') return sampleRebalancedBatches(synth, m, opts.rebalance!, { seed: s, batchSize: bs, temperature: opts.temperature, conditions: opts.conditions, signal: opts.signal });
    if (method === 'conditional') return synth.sampleGuided(m, opts.conditions!, { seed: s, batchSize: bs, temperature: opts.temperature, signal: opts.signal });
    return synth.sampleBatches(m, s, bs, opts.temperature, method === 'calibrated' ? release : undefined);
  };
  const batches = constraints.length ? sampleConstrainedBatches(draw, opts.rows, constraints, { seed, metadata: manifest.schema }) : draw(opts.rows, seed);
  let constraintReport: EnforceReport | undefined;
  const groupCounts = opts.rebalance ? new Map<string, number>() : null;
  try {
    const it = batches[Symbol.iterator]() as Iterator<Table, EnforceReport | void>;
    let step = it.next();
    for (; !step.done; step = it.next()) {
      const batch = step.value;
      if (opts.signal?.aborted) throw new (await import('./errors.js')).CancelledError('sampling was interrupted; no output was written');
      let out = withSurrogates(batch, cols, seed, batchNo++, done);
      if (filler) {
        const r = await filler.fill(out, manifest.schema, {
          rowOffset: done,
          seed,
          signal: opts.signal,
          realValuesToGuard: opts.llm?.guard,
          onProgress: (p) => opts.onTextProgress?.(done + Math.round((p.done / Math.max(1, p.total)) * out.rowCount), opts.rows),
        });
        out = r.table;
        textReports.push(r.report);
      }
      if (groupCounts) {
        const col = out.columns[out.names.indexOf(opts.rebalance!.column)];
        for (const v of col ?? []) groupCounts.set(String(v), (groupCounts.get(String(v)) ?? 0) + 1);
      }
      await writer.write(out);
      done += batch.rowCount;
      opts.onProgress?.(done, opts.rows);
    }
    // a constrained generator returns its enforcement report when it finishes
    if (constraints.length && step.value) constraintReport = step.value;
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    synth.engine.dispose();
    await filler?.dispose();
  }
  return { rows: done, seconds: (performance.now() - t0) / 1000, file: opts.out, method, ...(filler ? { text: textReports } : {}), ...(constraintReport ? { constraints: constraintReport } : {}),
    ...(groupCounts ? { groups: { column: opts.rebalance!.column, shares: Object.fromEntries([...groupCounts].map(([k, c]) => [k, c / Math.max(1, done)])) } } : {}),
  };
}

/**
 * Plain and calibrated sampling without constraints or text (the common case): typed batches encoded
 * straight to CSV bytes in worker threads (sampling/fastSampling.ts); calibration fitted once here.
 */
async function sampleFast(modelDir: string, manifest: ModelManifest, weights: NamedWeight[], opts: SampleOptions, method: 'plain' | 'calibrated', release: MarginalRelease | undefined, t0: number): Promise<SampleResult> {
  const encoder = TableEncoder.fromJSON(manifest.encoder);
  const seed = opts.seed ?? 0;
  const temperature = opts.temperature ?? 1;
  try {
    // the weights must fit the network the manifest describes (each sampling thread builds its own sampler)
    flatTheta({ dataDim: encoder.width, embeddingDim: manifest.config.embeddingDim, compressDims: manifest.config.compressDims, decompressDims: manifest.config.decompressDims }, weights);
  } catch (e) {
    throw new ModelError(`the weights in ${modelDir} do not fit the network its manifest describes: ${(e as Error).message}`, {
      location: { file: modelDir },
      hint: 'the model directory was modified or mixed from two models; fit the model again',
    });
  }
  let calibration: { bias: Float32Array; transports: Map<string, MonotoneTransport>; columns?: ColumnCalibration[] } | undefined;
  if (method === 'calibrated') {
    const stored = temperature === 1 && manifest.calibration ? storedCalibration(weights, encoder.columns, encoder.width) : null;
    if (stored) calibration = { ...stored, columns: (manifest.calibration as StoredCalibrationInfo).columns };
    else {
      // an older model, or another temperature: fit the calibration now
      const sampler = new VaeSampler(encoder, manifest.config, weights, { temperature });
      try {
        calibration = calibrateSampler(sampler, release!, new Rng(seed).fork('calibration'));
      } finally {
        sampler.dispose();
      }
    }
  }
  const format = outputFormatOf(opts.out);
  const cols = columnsForOutput(outputColumns(manifest.schema, false), format);
  // CSV output uses the input's delimiter (a ';' file with decimal commas comes back as one); Parquet's temporary CSV does not
  const delimiter = format === 'csv' ? manifest.schema.delimiter : undefined;
  const plan: FastSamplingPlan = {
    ...(delimiter ? { delimiter } : {}),
    encoder: manifest.encoder as TableEncoderState,
    config: manifest.config,
    weights,
    temperature,
    output: cols,
    seed,
    batchSize: opts.batchSize ?? 10_000,
    ...(calibration ? { calibration: { bias: calibration.bias, transports: [...calibration.transports].map(([c, t]) => [c, t.state()] as [string, MonotoneTransportState]) } } : {}),
  };
  const writer = await TableWriter.open(opts.out, cols, { force: opts.force, delimiter });
  const as = writer.format === 'jsonl' ? 'table' : 'csv';
  const workers = workerCount(Math.ceil(opts.rows / plan.batchSize));
  let done = 0;
  try {
    for await (const b of fastBatches(plan, opts.rows, { as, signal: opts.signal, workers })) {
      if (b.bytes) await writer.writeCsvBytes(b.bytes, b.rows);
      else await writer.write(b.table!);
      done += b.rows;
      opts.onProgress?.(done, opts.rows);
    }
    if (opts.signal?.aborted) throw new CancelledError('sampling was interrupted; no output was written');
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  return { rows: done, seconds: (performance.now() - t0) / 1000, file: opts.out, method, workers, ...(calibration?.columns ? { calibration: calibration.columns } : {}) };
}

/** Fresh surrogate identifiers (random, never copied from the data), as the fast path generates them. */
function withSurrogates(t: Table, cols: ColumnSpec[], seed: number, batch: number, offset: number): Table {
  const sur = cols.filter((c) => c.action === 'surrogate');
  if (!sur.length) return t;
  const names = [...t.names];
  const columns = [...t.columns];
  for (const c of sur) {
    names.push(c.name);
    columns.push(surrogateColumn(c.name, offset, t.rowCount, seed, batch));
  }
  return { names, columns, rowCount: t.rowCount };
}

/** The manifest of a model directory, its privacy section checked for consistency (E_MODEL if not). */
export async function modelInfo(dir: string): Promise<ModelManifest> {
  const { manifest } = await loadModel(dir);
  checkPrivacySection(manifest.privacy, path.join(dir, 'manifest.json'));
  return manifest;
}
