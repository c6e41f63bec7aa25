/**
 * tablePlugin: a registry {@link Synthesizer} from an in-memory {@link TableSynthesizer} (mst, the baselines).
 *
 *   fit:    checks (output location, learnable columns, budget) ──► TableSynthesizer.fit (every release in
 *           the ledger, total within the budget) ──► manifest.json (schema as stored, privacy ledger, the
 *           state under `model`) + an empty weights.bin, written atomically (modelFile.saveModel)
 *   sample: the model directory (read by the sample job) ──► TableSynthesizer.load(state) ──► batches of
 *           10,000 rows, batch b drawn with a seed derived from (seed, b) ──► schema constraints (repair,
 *           then reject and draw more: sampling/constraints.ts, as for dp-vae) ──► the sample job's loop
 *           (surrogate identifiers, io/TableWriter: streamed, atomic)
 *
 * What dp-vae alone supports is refused with exit 2, never ignored: guided (--condition) and rebalanced
 * sampling, --temperature and LLM text columns.
 */
import { CancelledError, InputError, PrivacyError } from '../errors.js';
import { checkOutputLocation } from '../io/checkOutputLocation.js';
import { checkLearnable } from '../metadata/checkLearnable.js';
import { modelledColumns, type Metadata } from '../metadata/Metadata.js';
import { stripDataValues } from '../metadata/stripDataValues.js';
import { PRIVSYNTH_VERSION } from '../packageInfo.js';
import { checkBudgetStrength } from '../privacy/budgetStrength.js';
import { PrivacyLedger } from '../privacy/PrivacyLedger.js';
import { validateDp } from '../privacy/validateDp.js';
import { Rng } from '../rng.js';
import type { Table } from '../table/Table.js';
import { assertModelDirAvailable, manifestSynthesizer, MODEL_KIND, MODEL_VERSION, saveModel, type AnyManifest, type PluginManifest } from './modelFile.js';
import type { FitOptions, SampleOptions } from './options.js';
import type { LoadedModelDirectory, SampleStream, Synthesizer, SynthesizerFitResult, TableSynthesizer } from './Synthesizer.js';
import * as msg from '../messages.js';
import { sampleConstrainedBatches, type EnforceReport } from '../sampling/constraints.js';

const BATCH_ROWS = 10_000;

export function tablePlugin(ts: TableSynthesizer): Synthesizer {
  return {
    name: ts.name,
    description: ts.description,
    dp: ts.dp,
    persistable: ts.persistable,
    fit: (table, metadata, opts) => fitToDirectory(ts, table, metadata, opts),
    sampler: (model, opts) => sampler(ts, model, opts),
    describe: (manifest) => ts.load((manifest as PluginManifest).model, '(manifest)').describe(),
  };
}

async function fitToDirectory(ts: TableSynthesizer, table: Table, metadata: Metadata, opts: Omit<FitOptions, 'schema'>): Promise<SynthesizerFitResult> {
  const dp = opts.dp;
  if (!ts.persistable) {
    throw new InputError(msg.baselineNotPersistable(ts.name), { hint: msg.HINT_ANOTHER_SYNTHESIZER });
  }
  if (ts.dp === 'required' && !dp) throw new PrivacyError(msg.synthesizerNeedsBudget(ts.name), { hint: msg.HINT_PASS_EPSILON });
  if (ts.dp === 'none' && dp) throw new PrivacyError(msg.synthesizerHasNoDp(ts.name), { hint: msg.HINT_DROP_EPSILON });
  await checkOutputLocation(opts.out, { kind: 'directory' });
  await assertModelDirAvailable(opts.out, opts.force);
  checkLearnable(table, metadata);
  // dp-vae's training options mean nothing here: say so rather than ignore them silently
  const ignored = [opts.epochs !== undefined ? '--epochs' : '', opts.batchSize !== undefined ? '--batch-size' : '', opts.learningRate !== undefined || opts.vae ? '--learning-rate' : '', dp?.clipNorm !== undefined ? '--clip-norm' : '', dp?.pairShare !== undefined ? '--pair-share' : '', opts.calibrate === false ? '--no-calibrate' : ''].filter(Boolean);
  if (ignored.length) opts.onWarning?.(msg.optionsIgnored(ignored, ts.name));
  const seed = opts.seed ?? 0;
  let weakBudget: string[] | undefined;
  if (dp) {
    validateDp(dp);
    weakBudget = checkBudgetStrength(dp, table.rowCount, opts.onWarning);
  }
  const ledger = dp ? new PrivacyLedger({ epsilon: dp.epsilon, delta: dp.delta }) : PrivacyLedger.notPrivate();
  const t0 = performance.now();
  const fitted = ts.fit(table, metadata, { dp: dp ? { epsilon: dp.epsilon, delta: dp.delta, preprocessingShare: dp.preprocessingShare } : undefined, seed, ledger, onWarning: opts.onWarning });
  const seconds = (performance.now() - t0) / 1000;
  ledger.assertWithinBudget();
  if (opts.signal?.aborted) throw new CancelledError(msg.FITTING_INTERRUPTED);
  // modelled columns: as the synthesizer stores them (DP: released values only); the others: structure only
  const stored = new Map(fitted.columns().map((c) => [c.name, c]));
  const modelled = new Set(modelledColumns(metadata).map((c) => c.name));
  const schema: Metadata = { ...metadata, columns: metadata.columns.map((c) => (modelled.has(c.name) ? (stored.get(c.name) ?? stripDataValues(c)) : stripDataValues(c))) };
  const privacy: PluginManifest['privacy'] = dp
    ? { ...(ledger.toJSON() as Record<string, unknown>), differentiallyPrivate: true, ...(weakBudget?.length ? { weakBudget } : {}), total: ledger.total() }
    : { differentiallyPrivate: false, warning: msg.pluginNotDp(ts.name) };
  const manifest: Omit<PluginManifest, 'weights'> = {
    kind: MODEL_KIND,
    version: MODEL_VERSION,
    privsynthVersion: PRIVSYNTH_VERSION,
    synthesizer: ts.name,
    createdAt: new Date().toISOString(),
    schema,
    seed,
    privacy,
    model: { ...fitted.state(), fitSeconds: Math.round(seconds * 1000) / 1000 },
  };
  await saveModel(opts.out, manifest, [], opts.force);
  return { modelDir: opts.out, manifest };
}

/** The plugin's sampling stream: checks what it cannot do, loads the state, draws Table batches. */
async function sampler(ts: TableSynthesizer, model: LoadedModelDirectory, opts: SampleOptions): Promise<SampleStream> {
  const dir = model.dir;
  const unsupported = [opts.conditions?.length ? '--condition' : '', opts.rebalance ? '--rebalance' : '', opts.temperature !== undefined ? '--temperature' : '', opts.llm ? '--llm-model' : ''].filter(Boolean);
  if (unsupported.length) throw new InputError(msg.optionsUnsupported(unsupported, ts.name), { location: { file: dir }, hint: msg.HINT_DROP_OPTION });
  const m = model.manifest as PluginManifest;
  if (manifestSynthesizer(m) !== ts.name) throw new InputError(msg.fittedByOther(dir, manifestSynthesizer(m), ts.name), { location: { file: dir } });
  const fitted = ts.load(m.model, dir);
  const bs = opts.batchSize ?? BATCH_ROWS;
  const constraints = m.schema.constraints ?? [];
  // rows m in batches, batch b drawn with a seed derived from (seed, b)
  const draw = function* (rows: number, seed: number): Generator<Table> {
    const root = new Rng(seed);
    for (let b = 0, done = 0; done < rows; b++) {
      if (opts.signal?.aborted) throw new CancelledError(msg.SAMPLING_INTERRUPTED);
      const n = Math.min(bs, rows - done);
      yield fitted.sample(n, root.fork(`batch:${b}`).nextU32());
      done += n;
    }
  };
  let constraintReport: EnforceReport | undefined;
  return {
    method: 'plain',
    async *batches() {
      const seed = opts.seed ?? 0;
      if (!constraints.length) {
        for (const t of draw(opts.rows, seed)) yield { rows: t.rowCount, table: t };
        return;
      }
      const it = sampleConstrainedBatches(draw, opts.rows, constraints, { seed, metadata: m.schema })[Symbol.iterator]() as Iterator<Table, EnforceReport | void>;
      let step = it.next();
      for (; !step.done; step = it.next()) yield { rows: step.value.rowCount, table: step.value };
      if (step.value) constraintReport = step.value;
    },
    summary: () => (constraintReport ? { constraints: constraintReport } : {}),
    dispose: () => {},
  };
}

/** Manifest type guard for callers that print dp-vae-only sections. */
export function isPluginManifest(m: Omit<AnyManifest, 'weights'>): m is Omit<PluginManifest, 'weights'> {
  return manifestSynthesizer(m) !== 'dp-vae';
}
