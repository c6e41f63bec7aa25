/**
 * tablePlugin: a registry {@link Synthesizer} from an in-memory {@link TableSynthesizer} (mst, the baselines).
 *
 *   fit:    checks (output location, learnable columns, budget) ──► TableSynthesizer.fit (every release in
 *           the ledger, total within the budget) ──► manifest.json (schema as stored, privacy ledger, the
 *           state under `model`) + an empty weights.bin, written atomically (modelFile.saveModel)
 *   sample: the model directory (read by the sample job) ──► TableSynthesizer.load(state) ──► batches of
 *           10,000 rows, batch b drawn with a seed derived from (seed, b) ──► the sample job's loop
 *           (surrogate identifiers, io/TableWriter: streamed, atomic)
 *
 * What dp-vae alone supports is refused with exit 2, never ignored: guided (--condition) and rebalanced
 * sampling, --temperature, LLM text columns, and schema constraints.
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
    throw new InputError(`the ${ts.name} synthesizer is a benchmark baseline that keeps real values in its fitted state, so it cannot be saved to a model directory`, { hint: 'choose another --synthesizer (privsynth fit --help lists them)' });
  }
  if (ts.dp === 'required' && !dp) throw new PrivacyError(`the ${ts.name} synthesizer is differentially private by construction and needs a budget`, { hint: 'pass --epsilon (e.g. --epsilon 1), or use --synthesizer dp-vae for a model without DP' });
  if (ts.dp === 'none' && dp) throw new PrivacyError(`the ${ts.name} synthesizer has no differentially private mode`, { hint: 'drop --epsilon (and pass --no-dp), or choose another --synthesizer' });
  if (metadata.constraints?.length) throw new InputError(`the schema declares ${metadata.constraints.length} constraint(s), which only the dp-vae synthesizer enforces`, { hint: 'use --synthesizer dp-vae, or remove "constraints" from the schema' });
  await checkOutputLocation(opts.out, { kind: 'directory' });
  await assertModelDirAvailable(opts.out, opts.force);
  checkLearnable(table, metadata);
  // dp-vae's training options mean nothing here: say so rather than ignore them silently
  const ignored = [opts.epochs !== undefined ? '--epochs' : '', opts.batchSize !== undefined ? '--batch-size' : '', opts.learningRate !== undefined || opts.vae ? '--learning-rate' : '', dp?.clipNorm !== undefined ? '--clip-norm' : '', opts.calibrate === false ? '--no-calibrate' : ''].filter(Boolean);
  if (ignored.length) opts.onWarning?.(`${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} dp-vae training option(s); the ${ts.name} synthesizer ignores ${ignored.length > 1 ? 'them' : 'it'}`);
  const seed = opts.seed ?? 0;
  let weakBudget: string[] | undefined;
  if (dp) {
    validateDp(dp);
    weakBudget = checkBudgetStrength(dp, table.rowCount, opts.onWarning);
  }
  const ledger = dp ? new PrivacyLedger({ epsilon: dp.epsilon, delta: dp.delta }) : PrivacyLedger.notPrivate();
  const t0 = performance.now();
  const fitted = ts.fit(table, metadata, { dp: dp ? { epsilon: dp.epsilon, delta: dp.delta, preprocessingShare: dp.preprocessingShare } : undefined, seed, ledger });
  const seconds = (performance.now() - t0) / 1000;
  ledger.assertWithinBudget();
  if (opts.signal?.aborted) throw new CancelledError('fitting was interrupted; no model was written');
  // modelled columns: as the synthesizer stores them (DP: released values only); the others: structure only
  const stored = new Map(fitted.columns().map((c) => [c.name, c]));
  const modelled = new Set(modelledColumns(metadata).map((c) => c.name));
  const schema: Metadata = { ...metadata, columns: metadata.columns.map((c) => (modelled.has(c.name) ? (stored.get(c.name) ?? stripDataValues(c)) : stripDataValues(c))) };
  const privacy: PluginManifest['privacy'] = dp
    ? { ...(ledger.toJSON() as Record<string, unknown>), differentiallyPrivate: true, ...(weakBudget?.length ? { weakBudget } : {}), total: ledger.total() }
    : { differentiallyPrivate: false, warning: `NOT differentially private: the ${ts.name} synthesizer was fitted on the exact data. Synthetic rows can reveal information about real people.` };
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
  if (unsupported.length) throw new InputError(`${unsupported.join(', ')}: the ${ts.name} synthesizer does not support ${unsupported.length > 1 ? 'these options' : 'this option'} (only dp-vae does)`, { location: { file: dir }, hint: 'drop the option, or fit the model with --synthesizer dp-vae' });
  const m = model.manifest as PluginManifest;
  if (manifestSynthesizer(m) !== ts.name) throw new InputError(`the model in ${dir} was fitted by "${manifestSynthesizer(m)}", not ${ts.name}`, { location: { file: dir } });
  const fitted = ts.load(m.model, dir);
  const root = new Rng(opts.seed ?? 0);
  const bs = opts.batchSize ?? BATCH_ROWS;
  return {
    method: 'plain',
    async *batches() {
      for (let b = 0, done = 0; done < opts.rows; b++) {
        if (opts.signal?.aborted) throw new CancelledError('sampling was interrupted; no output was written');
        const n = Math.min(bs, opts.rows - done);
        yield { rows: n, table: fitted.sample(n, root.fork(`batch:${b}`).nextU32()) };
        done += n;
      }
    },
    summary: () => ({}),
    dispose: () => {},
  };
}

/** Manifest type guard for callers that print dp-vae-only sections. */
export function isPluginManifest(m: Omit<AnyManifest, 'weights'>): m is Omit<PluginManifest, 'weights'> {
  return manifestSynthesizer(m) !== 'dp-vae';
}
