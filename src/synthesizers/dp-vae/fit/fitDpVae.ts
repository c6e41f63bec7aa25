/**
 * dp-vae's fit: from a typed table to a model directory.
 *
 *   checks (output location, learnable columns) ──► config = DEFAULT_VAE_CONFIG (+ DP_DEFAULTS under DP)
 *   DP only: validateDp ─► checkBudgetStrength ─► privacy/planBudget (total rho + threshold delta)
 *     ─► noisy row count (ledgered) ─► dpBudgetShares (preprocessing and marginal shares from rows x epsilon)
 *     ─► fitPrivateEncoder (bounds, modes, categories; ledgered) ─► measureMarginals (ledgered)
 *     ─► batch size, sample rate ─► calibrateNoise (sigma for what is left) ─► ledger.add(dp-sgd), within budget
 *     (dp.pairShare: rho reserved for two-way marginals)
 *   DpVaeSynthesizer.fit (TableEncoder, trainVae on the engine) ─► not DP: exact marginals
 *   dp.pairShare: measurePairs (exponential mechanism + Gaussian; ledgered) ─► fitDecoderToMarginals
 *   calibrateSampler on a 65,536-row pilot ─► logit shifts + transports stored as tensors
 *   manifest ─► modelFile.saveModel (manifest.json + weights.bin, renamed into place)
 */
import { BudgetError, InternalError, PrivacyError } from '../../../errors.js';
import { checkOutputLocation } from '../../../io/checkOutputLocation.js';
import { checkLearnable } from '../../../metadata/checkLearnable.js';
import { modelledColumns, type Metadata } from '../../../metadata/Metadata.js';
import { stripDataValues } from '../../../metadata/stripDataValues.js';
import { PRIVSYNTH_VERSION } from '../../../packageInfo.js';
import { calibrateNoise } from '../../../privacy/analysis/calibrateNoise.js';
import { checkBudgetStrength } from '../../../privacy/budgetStrength.js';
import { planBudget } from '../../../privacy/planBudget.js';
import { PrivacyLedger } from '../../../privacy/PrivacyLedger.js';
import { validateDp } from '../../../privacy/validateDp.js';
import { Rng } from '../../../rng.js';
import { calibrateSampler, calibrationTensors, type StoredCalibrationInfo } from '../sample/calibration.js';
import { measureMarginals, type MarginalRelease } from '../../../sampling/marginals.js';
import type { Table } from '../../../table/Table.js';
import type { TableEncoder } from '../../../transformers/TableEncoder.js';
import { assertModelDirAvailable, MODEL_KIND, MODEL_VERSION, saveModel, type ModelManifest } from '../../modelFile.js';
import type { FitOptions } from '../../options.js';
import { DpVaeSynthesizer } from '../DpVaeSynthesizer.js';
import { DEFAULT_VAE_CONFIG, type VaeConfig } from '../VaeConfig.js';
import type { DpTrainingPlan } from './trainVae.js';
import { fitPrivateEncoder, preprocessingUnits, thresholdedCategories } from '../../fitPrivateEncoder.js';
import { encodedColumns } from '../../../transformers/TableEncoder.js';
import { poolPairMargins } from './poolPairMargins.js';
import { DP_DEFAULTS, dpBatchSize, dpBudgetShares, dpLearningRate, pairPlan, targetMarginalShare } from './dpPolicy.js';
import { fitDecoderToMarginals } from './fitDecoderToMarginals.js';
import { measurePairs } from './measurePairs.js';
import { noisyCount } from '../../../privacy/mechanisms/noisyCount.js';
import * as msg from '../../../messages.js';

export interface FitResult {
  modelDir: string;
  manifest: Omit<ModelManifest, 'weights'>;
}

/** Pilot rows of the calibration fitted at fit time (more than at sample time: it is paid once). */
const FIT_PILOT_ROWS = 65_536;

/** Fit dp-vae on a typed table (see jobs/loadTypedTable.ts) and write the model directory `opts.out`. */
export async function fitDpVae(table: Table, metadata: Metadata, opts: Omit<FitOptions, 'schema'>): Promise<FitResult> {
  await checkOutputLocation(opts.out, { kind: 'directory' });
  await assertModelDirAvailable(opts.out, opts.force); // before training, not after
  if (opts.synthesizer !== undefined && opts.synthesizer !== 'dp-vae') throw new InternalError(`fitDpVae fits dp-vae only, not "${opts.synthesizer}"; call fitTable (jobs/fit.ts)`);
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
  let pairRho = 0;
  let noisyRows = 0;
  let countStd: number | undefined;
  let pairsFitted: { pairs: number; loss: [number, number] } | undefined;
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
      // the total rho and the threshold delta; a given preprocessingShare is checked here, the split is dpBudgetShares'
      preprocessingShare: dp.preprocessingShare,
      thresholdDeltaShare: thresholded > 0 ? DP_DEFAULTS.thresholdDeltaShare : 0,
    });
    ledger = new PrivacyLedger({ epsilon: dp.epsilon, delta: dp.delta });
    // The row count first (1% of the budget): how the rest is split depends on how much DP-SGD can learn,
    // which grows with rows x epsilon (dpBudgetShares: post-processing of this release).
    const count = noisyCount(table.rowCount, { rho: DP_DEFAULTS.countShare * plan.totalRho, label: 'count:rows' }, rng.fork('dp-count'));
    ledger.add(count.spend);
    countStd = count.std;
    const shares = dpBudgetShares(Math.max(1, count.count), dp.epsilon, modelled, {
      target: Boolean(opts.target && modelled.some((c) => c.name === opts.target)),
      preprocessing: dp.preprocessingShare,
      calibration: dp.calibrationShare,
      pairs: dp.pairShare,
    });
    // the pairs are fitted with the one-way release: no calibration, no pairs
    const pairShare = opts.calibrate === false ? 0 : shares.pairs;
    if (!(pairShare >= 0 && pairShare < 1)) throw new PrivacyError(msg.pairShareOutOfRange(pairShare), { hint: msg.HINT_PAIR_SHARE });
    const calShare = opts.calibrate === false ? 0 : shares.calibration;
    // Each column's one-way marginal gets an equal part of the calibration share (a thresholded target on a small
    // table at least 1/8 of it: targetMarginalShare). A categorical column without
    // public categories spends its part in its category release, whose counts are then its marginal: one
    // release, not two (a lower threshold, so fewer categories are lost, and less noisy counts).
    const calColumns = encodedColumns(modelled).length;
    const calRho = calShare * plan.totalRho;
    // a prediction target whose categories a thresholded release decides gets a larger part (targetMarginalShare)
    const targetSpec = opts.target === undefined ? undefined : modelled.find((c) => c.name === opts.target);
    const targetShare = targetSpec ? targetMarginalShare(calColumns, thresholdedCategories(targetSpec), shares.t) : 1 / Math.max(1, calColumns);
    const calEach = targetSpec ? (calRho * (1 - targetShare)) / Math.max(1, calColumns - 1) : calRho / Math.max(1, calColumns);
    const targetRho = targetSpec ? new Map([[targetSpec.name, targetShare * calRho]]) : undefined;
    const pre = fitPrivateEncoder(table, modelled, { preprocessingRho: (shares.preprocessing - DP_DEFAULTS.countShare) * plan.totalRho, thresholdDelta: plan.thresholdDelta, ledger, rng: rng.fork('dp-preprocessing'), maxModes: dp.maxModes ?? DP_DEFAULTS.maxModes, noisyRows: count.count, categoryMarginalRho: calEach, categoryMarginalRhoOf: targetRho, onWarning: opts.onWarning });
    encoder = pre.encoder;
    trainTable = pre.clipped;
    if (calShare > 0) {
      // Noisy one-way marginals for post-processing the samples (issue 9): ledgered like every other release.
      const given = pre.categoryMarginals;
      const marg = measureMarginals(pre.clipped, pre.encoder, calEach * Math.max(0, calColumns - given.size), rng.fork('marginals'), { rows: pre.noisyRows, rowsStd: count.std, given });
      for (const sp of marg.spends) ledger.add(sp);
      marginals = marg.release;
    }
    schema = { ...schema, columns: schema.columns.map((c) => pre.columns.find((d) => d.name === c.name) ?? stripDataValues(c)) };
    if (opts.batchSize === undefined) config.batchSize = dpBatchSize(pre.noisyRows);
    const q = Math.min(1, config.batchSize / pre.noisyRows);
    const stepsPerEpoch = Math.max(1, Math.round(1 / q));
    const steps = stepsPerEpoch * config.epochs;
    const clipNorm = dp.clipNorm ?? DP_DEFAULTS.clipNorm;
    // rho reserved for the pairs, measured after training (they are chosen against the trained decoder)
    pairRho = pairShare * plan.totalRho;
    noisyRows = pre.noisyRows;
    const cal = calibrateNoise({ epsilon: dp.epsilon, delta: plan.conversionDelta, q, steps, extraRho: ledger.zcdpRho + pairRho * (1 + 1e-9) });
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
  if (dpPlan && t.steps !== dpPlan.steps) throw new BudgetError(msg.stepsNotAccounted(t.steps, dpPlan.steps));
  if (pairRho > 0 && marginals && ledger) {
    // two-way marginals chosen against the trained decoder and measured (ledgered), then the decoder fitted
    // to them and to the one-way release (post-processing); calibration below works on the fitted decoder
    const model = { weights: synth.engine.exportWeights(), decompressDims: config.decompressDims };
    // with a target, every pair of it (which pairs is public: none chosen); without, columns - 1 chosen (pairPlan)
    const focus = opts.target !== undefined && synth.encoder.columns.includes(opts.target) ? opts.target : undefined;
    const measured = measurePairs(trainTable, synth.encoder, marginals, model, { ...pairPlan(synth.encoder.columns.length, focus !== undefined, pairRho), focus, total: noisyRows, rng: rng.fork('pairs') });
    for (const sp of measured.spends) ledger.add(sp);
    ledger.assertWithinBudget();
    // each categorical column's release pooled with its pair tables' margins (post-processing), stored and calibrated to
    marginals = poolPairMargins(marginals, measured.pairs);
    const fitted = fitDecoderToMarginals(synth.encoder, marginals, measured.pairs, model, { total: noisyRows, totalStd: countStd, rng: rng.fork('pair-fit'), bins: measured.bins });
    synth.engine.importWeights(fitted.weights);
    pairsFitted = { pairs: measured.pairs.length, loss: [fitted.loss[0] ?? NaN, fitted.loss[fitted.loss.length - 1] ?? NaN] };
  }
  if (ledger) {
    const total = ledger.total();
    privacy = { ...(ledger.toJSON() as Record<string, unknown>), differentiallyPrivate: true, ...(weakBudget?.length ? { weakBudget } : {}), total, training: { noiseMultiplier: dpPlan!.noiseMultiplier, sampleRate: dpPlan!.sampleRate, steps: dpPlan!.steps, clipNorm: dpPlan!.clipNorm, clippedFraction: t.clippedFraction } };
  } else {
    privacy = {
      differentiallyPrivate: false,
      warning:
        msg.DP_VAE_NOT_DP,
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
    training: { ...t, ...(dp ? {} : { rows: table.rowCount }), ...(pairsFitted ? { pairsFitted } : {}) },
    backend: synth.engine.backendName,
    privacy,
    ...(marginals ? { marginals } : {}),
    ...(calibration ? { calibration } : {}),
  };
  await saveModel(opts.out, manifest, weights, opts.force);
  synth.engine.dispose();
  return { modelDir: opts.out, manifest };
}
