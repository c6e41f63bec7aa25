/** The core commands: inspect, fit, sample, info. Each parses, calls the library, prints. */
import { Command } from 'commander';
import { fit, info, inspect, sample } from '../pipeline.js';
import { DP_DEFAULTS } from '../synthesizers/dp-vae/fit/dpPolicy.js';
import { DEFAULT_SYNTHESIZER, SYNTHESIZERS } from '../synthesizers/registry.js';
import { isPluginManifest } from '../synthesizers/tablePlugin.js';
import type { ModelManifest } from '../synthesizers/modelFile.js';
import { PrivacyError } from '../errors.js';
import { INFERRED_SCHEMA_WARNING, metadataToJSON, writeMetadataFile } from '../metadata/metadataFile.js';
import { assertOutputAvailable } from '../io/assertOutputAvailable.js';
import { checkOutputLocation } from '../io/checkOutputLocation.js';
import { WEAK_EPSILON } from '../privacy/budgetStrength.js';
import { formatEpsilon } from '../evaluation/verdicts.js';
import { columnFates, summarizeFates } from '../report/columnFates.js';
import { Progress, bar, duration } from './progress.js';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from './options.js';
import type { TextFillReport } from '../text/LlmTextFiller.js';
import { parseCondition, parseRebalance } from '../sampling/parseSamplingFlags.js';
import type { CliContext } from './CliContext.js';
import { commandWithFlags, forceFlag, QUIET_FLAG, type FitCli, type Flags, type InfoCli, type InspectCli, type SampleCli } from './cliOptions.js';
import * as msg from '../messages.js';

export function inspectCommand(ctx: CliContext): Command {
  return new Command('inspect')
    .description('infer an editable schema (types, missing values, categories, PII flags) from a table')
    .argument('<file>', 'table file (.csv, .tsv, .parquet, .json, .jsonl)')
    .option('--json', 'print the schema as JSON')
    .option('-o, --out <schema.json>', 'write the schema to a file (edit it, then pass it with --schema)')
    .option('--force', 'replace an existing output file')
    .action(async (file: string, o: InspectCli) => {
      if (o.out) {
        await checkOutputLocation(o.out, { kind: 'file' }); // before reading the table
        await assertOutputAvailable(o.out, { force: o.force });
      }
      const r = await inspect(file);
      if (o.out) {
        await writeMetadataFile(o.out, r.metadata, { inferred: true });
        ctx.err(msg.warning(`${o.out}: ${INFERRED_SCHEMA_WARNING}`));
      }
      if (o.json) {
        ctx.out(metadataToJSON(r.metadata, { inferred: true }));
        return;
      }
      ctx.out(msg.inspectSummary(file, r.rows, r.metadata.columns.length));
      const w = Math.max(6, ...r.metadata.columns.map((c) => c.name.length));
      ctx.out(`${'column'.padEnd(w)}  ${'type'.padEnd(11)}  ${'action'.padEnd(9)}  missing  details\n`);
      for (const c of r.metadata.columns) {
        const details =
          c.categories !== undefined
            ? `${c.categories.length} categories: ${c.categories.slice(0, 4).join(', ')}${c.categories.length > 4 ? ', ...' : ''}`
            : c.min !== undefined
              ? `range ${c.min} .. ${c.max}`
              : '';
        const pii = c.pii?.length ? `  PII? ${c.pii.map((p) => `${p.kind} (${p.evidence})`).join(', ')}` : '';
        ctx.out(`${c.name.padEnd(w)}  ${c.type.padEnd(11)}  ${c.action.padEnd(9)}  ${((c.missingRate ?? 0) * 100).toFixed(1).padStart(6)}%  ${details}${pii}\n`);
      }
      for (const wng of r.warnings) ctx.err(msg.columnWarning(wng.column, wng.message));
      if (o.out) ctx.out(msg.schemaWritten(o.out));
    });
}

export function fitCommand(ctx: CliContext): Command {
  const flags: Flags<FitCli> = {
    out: { flags: '-o, --out <model-dir>', description: 'model directory to write', required: true },
    schema: { flags: '--schema <schema.json>', description: 'schema file (default: inferred from the data)' },
    epochs: { flags: '--epochs <n>', description: 'training epochs (default 300, as TVAE)', parse: positiveInt('--epochs') },
    batchSize: { flags: '--batch-size <n>', description: 'batch size (default 500, as TVAE)', parse: positiveInt('--batch-size') },
    seed: { flags: '--seed <n>', description: 'random seed (same seed + backend = same model)', parse: nonNegativeInt('--seed'), default: 0 },
    synthesizer: { flags: '--synthesizer <name>', description: `which synthesizer to fit (default ${DEFAULT_SYNTHESIZER}):\n${synthesizerHelp()}` },
    epsilon: { flags: '--epsilon <e>', description: 'train with differential privacy: total epsilon for the whole pipeline, preprocessing included', parse: positiveNumber('--epsilon') },
    delta: { flags: '--delta <d>', description: 'DP delta (default 1e-5; keep it well below 1/rows)', parse: positiveNumber('--delta') },
    dp: { flags: '--no-dp', description: 'train WITHOUT differential privacy (the model is marked NOT differentially private)' },
    clipNorm: { flags: '--clip-norm <c>', description: `DP-SGD per-example clip norm (default ${DP_DEFAULTS.clipNorm})`, parse: positiveNumber('--clip-norm') },
    preprocessingShare: { flags: '--preprocessing-share <s>', description: `share of the budget for DP preprocessing (default: from the DP row count and epsilon, ${DP_DEFAULTS.preprocessingShare} on large tables, up to ${DP_DEFAULTS.maxPreprocessingShare} on small ones)`, parse: positiveNumber('--preprocessing-share') },
    pairShare: { flags: '--pair-share <s>', description: 'dp-vae: share of the budget for two-way marginals the decoder is fitted to (default 0.2 with --target, else 0)', parse: nonNegativeNumber('--pair-share') },
    target: { flags: '--target <column>', description: 'the column the synthetic data will be used to predict (dp-vae: the two-way marginals are its pairs with every other column)' },
    learningRate: { flags: '--learning-rate <lr>', description: 'Adam learning rate (default 1e-3; 5e-3 with DP)', parse: positiveNumber('--learning-rate') },
    calibrate: { flags: '--no-calibrate', description: 'do not store marginals for calibrating samples (under DP they cost 15% of the budget on large tables, more on small ones)' },
    allowWeakPrivacy: { flags: '--allow-weak-privacy', description: `accept a budget that gives no meaningful protection (epsilon > ${WEAK_EPSILON} or delta >= 1/rows); the model is flagged WEAK PRIVACY` },
    force: forceFlag('an existing model directory'),
    quiet: QUIET_FLAG,
  };
  return commandWithFlags('fit', 'train a synthesizer on a table and write a model directory', ['<data>', 'table file'], flags).action(async (data: string, o: FitCli) => {
    const progress = new Progress(o.quiet);
    if (o.epsilon !== undefined && !o.dp) throw new PrivacyError(msg.EPSILON_AND_NO_DP, { hint: msg.HINT_DROP_ONE });
    if (o.epsilon === undefined && (o.delta !== undefined || o.clipNorm !== undefined || o.preprocessingShare !== undefined || o.pairShare !== undefined)) {
      throw new PrivacyError(msg.DP_FLAGS_NEED_EPSILON, { hint: msg.HINT_ADD_EPSILON });
    }
    if (o.allowWeakPrivacy && o.epsilon === undefined) throw new PrivacyError(msg.WEAK_PRIVACY_NEEDS_EPSILON, { hint: msg.HINT_ADD_EPSILON_OR_DROP_WEAK });
    const dp = o.epsilon !== undefined ? { epsilon: o.epsilon, delta: o.delta ?? 1e-5, clipNorm: o.clipNorm, preprocessingShare: o.preprocessingShare, pairShare: o.pairShare, allowWeakPrivacy: o.allowWeakPrivacy } : undefined;
    const r = await fit(data, {
      synthesizer: o.synthesizer,
      dp,
      target: o.target,
      calibrate: o.calibrate,
      learningRate: o.learningRate,
      out: o.out,
      schema: o.schema,
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      force: o.force,
      signal: ctx.signal,
      onWarning: (w) => ctx.err(msg.warning(w)),
      onProgress: (p) =>
        progress.update(
          `training ${bar(p.step / p.steps)} epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(3)}  ${Math.round(p.rowsPerSecond)} rows/s  ETA ${duration(p.etaSeconds)}`,
          p.epoch === p.epochs,
        ),
    });
    progress.done();
    ctx.out(msg.modelWritten(r.modelDir));
    if (isPluginManifest(r.manifest)) ctx.out(msg.fittedIn(r.manifest.synthesizer, Number(r.manifest.model.fitSeconds ?? 0).toFixed(1)));
    else {
      const m = r.manifest as Omit<ModelManifest, 'weights'>;
      const t = m.training;
      ctx.out(msg.trained({ epochs: t.epochs, steps: t.steps, rows: t.rows, seconds: t.seconds.toFixed(1), backend: m.backend, finalLoss: t.finalLoss.toFixed(4) }));
    }
    const priv = r.manifest.privacy as { differentiallyPrivate: boolean; total?: { epsilon: number; delta: number } };
    if (priv.differentiallyPrivate && priv.total) ctx.out(msg.fitIsDp(formatEpsilon(priv.total.epsilon), priv.total.delta.toExponential(2), r.modelDir));
    const weak = (r.manifest.privacy as { weakBudget?: string[] }).weakBudget;
    if (weak?.length) ctx.err(msg.weakPrivacyAccepted(weak));
    else if (!priv.differentiallyPrivate) ctx.err(msg.FIT_NOT_DP);
  });
}

export function sampleCommand(ctx: CliContext): Command {
  const flags: Flags<SampleCli> = {
    rows: { flags: '-n, --rows <n>', description: 'number of rows', parse: positiveInt('-n'), required: true },
    out: { flags: '-o, --out <file>', description: 'output file (.csv, .jsonl, .parquet)', required: true },
    seed: { flags: '--seed <n>', description: 'random seed', parse: nonNegativeInt('--seed'), default: 0 },
    temperature: { flags: '--temperature <t>', description: 'softmax temperature of categorical outputs (1 = the model, 0 = argmax as TVAE)', parse: nonNegativeNumber('--temperature') },
    condition: { flags: '--condition <column=value>', description: 'only rows meeting it (repeatable; guided sampling, exact counts)', parse: (v: string, prev: string[] = []) => [...prev, v] },
    rebalance: { flags: '--rebalance <spec>', description: 'output group shares: "race=uniform" or "race:Black=0.3,race:White=0.3,..."' },
    calibrate: { flags: '--no-calibrate', description: 'do not calibrate samples to the marginals stored in the model' },
    llmModel: { flags: '--llm-model <path|name>', description: 'fill text columns with a local GGUF model (a path, or a file in models/); never downloads' },
    llmThreads: { flags: '--llm-threads <n>', description: 'CPU threads for the LLM (default 1; at most your core count)', parse: positiveInt('--llm-threads') },
    llmTemperature: { flags: '--llm-temperature <t>', description: 'LLM sampling temperature (default 0.7)', parse: nonNegativeNumber('--llm-temperature') },
    force: forceFlag('an existing output file'),
    quiet: QUIET_FLAG,
  };
  return commandWithFlags('sample', 'write synthetic rows from a model directory (streamed; memory does not grow with -n)', ['<model-dir>', 'model directory written by fit'], flags).action(async (dir: string, o: SampleCli) => {
    const progress = new Progress(o.quiet);
    const r = await sample(dir, {
      rows: o.rows,
      out: o.out,
      seed: o.seed,
      force: o.force,
      temperature: o.temperature,
      conditions: o.condition?.map(parseCondition),
      rebalance: o.rebalance ? parseRebalance(o.rebalance) : undefined,
      calibrate: o.calibrate,
      llm: o.llmModel ? { model: o.llmModel, threads: o.llmThreads, temperature: o.llmTemperature } : undefined,
      signal: ctx.signal,
      onProgress: (d, n) => progress.update(`sampling ${bar(d / n)} ${d}/${n} rows`, d === n),
      onTextProgress: (d, n) => progress.update(`writing text ${bar(d / n)} ${d}/${n} rows`),
    });
    progress.done();
    const how = [r.method, ...(r.workers && r.workers > 1 ? [`${r.workers} threads`] : [])].join(', ');
    ctx.out(msg.rowsWritten(r.rows, r.file, r.seconds.toFixed(2), how));
    if (r.constraints) ctx.err(msg.constraintsReport(JSON.stringify(r.constraints)));
    if (r.groups) ctx.err(msg.groupShares(r.groups.column, Object.entries(r.groups.shares).map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', ')));
    if (r.text) ctx.err(describeText(r.text) + msg.SAMPLE_TEXT_UNGUARDED);
  });
}

export function infoCommand(ctx: CliContext): Command {
  return new Command('info')
    .description('describe a model directory: schema, training, privacy')
    .argument('<model-dir>')
    .option('--json', 'print JSON')
    .action(async (dir: string, o: InfoCli) => {
      const { manifest: m, lines } = await info(dir);
      const { encoder: _e, weights, ...rest } = m as ModelManifest;
      if (o.json) {
        ctx.out(JSON.stringify({ ...rest, weights: { file: weights.file, sha256: weights.sha256, bytes: weights.bytes } }, null, 2) + '\n');
        return;
      }
      ctx.out(msg.modelHeader(m.version, m.privsynthVersion, m.synthesizer ?? DEFAULT_SYNTHESIZER, m.createdAt));
      for (const line of lines) ctx.out(`${line}\n`);
      if (m.privacy.differentiallyPrivate) {
        const total = m.privacy.total as { epsilon: number; delta: number; bestOrder: number; entries: { label: string; mechanism: string; epsilonAttributed?: number | null }[] };
        ctx.out(msg.infoIsDp(formatEpsilon(total.epsilon), total.delta.toExponential(2)));
        const weak = m.privacy.weakBudget as string[] | undefined;
        if (weak?.length) ctx.out(`  ${msg.weakPrivacyAccepted(weak)}`);
        for (const e of total.entries) ctx.out(`  ${e.label.padEnd(28)} ${e.mechanism.padEnd(32)} epsilon ${typeof e.epsilonAttributed === 'number' ? formatEpsilon(e.epsilonAttributed) : '-'}\n`);
      }
      else ctx.out(msg.infoNotDp(String(m.privacy.warning ?? '')));
      const fates = columnFates(m.schema, null, m.privacy.differentiallyPrivate);
      ctx.out(`${summarizeFates(fates)}\n`);
      const w = Math.max(6, ...fates.map((f) => f.name.length));
      for (const f of fates) ctx.out(`  ${f.name.padEnd(w)}  ${f.type.padEnd(11)}  ${f.fate.padEnd(9)}  ${f.reason}\n`);
      const pub = fates.filter((f) => f.publicDeclared);
      if (pub.length && m.privacy.differentiallyPrivate) ctx.out(msg.declaredPublic(pub.map((f) => f.name)));
    });
}

/** The registry for `fit --help`: one line per synthesizer. */
export function synthesizerHelp(): string {
  return SYNTHESIZERS.map((s) => `  ${s.name}: ${s.description}${s.dp === 'required' ? ' [needs --epsilon]' : s.dp === 'none' ? ' [no DP]' : ''}`).join('\n');
}

/** One line per text column: values filled, leak-guard actions, lengths. */
export function describeText(reports: TextFillReport[]): string {
  const byCol = new Map<string, { filled: number; failed: number; regen: number; redacted: number }>();
  for (const r of reports) {
    for (const c of r.columns) {
      const a = byCol.get(c.column) ?? { filled: 0, failed: 0, regen: 0, redacted: 0 };
      a.filled += c.filled;
      a.failed += c.failed;
      a.regen += c.leaks.regenerations;
      a.redacted += c.leaks.redactedValues;
      byCol.set(c.column, a);
    }
  }
  return [...byCol].map(([col, a]) => msg.textColumnReport(col, a)).join('');
}
