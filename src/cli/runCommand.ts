/** `privsynth run`: split, fit (DP by default), sample, evaluate, report. */
import { Command } from 'commander';
import { run, type Area } from '../pipeline.js';
import { synthesizerNames } from '../synthesizers/registry.js';
import { PrivacyError, InputError } from '../errors.js';
import { Progress, bar, duration } from './progress.js';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from './options.js';
import type { CliContext } from './CliContext.js';
import { commandWithFlags, forceFlag, QUIET_FLAG, type Flags, type RunCli } from './cliOptions.js';
import { WEAK_EPSILON } from '../privacy/budgetStrength.js';
import { formatEpsilon } from '../evaluation/verdicts.js';
import * as msg from '../messages.js';

export const RUN_DEFAULT_EPSILON = 1;
export const RUN_DEFAULT_DELTA = 1e-5;

/** Exit code when a verdict named in --fail-on is "fail" (outputs are still written, to read why). */
export const EXIT_VERDICT_FAILED = 3;

export function runCommand(ctx: CliContext): Command {
  const flags: Flags<RunCli> = {
    out: { flags: '-o, --out <dir>', description: 'output directory', required: true },
    schema: { flags: '--schema <schema.json>', description: 'schema file (default: inferred)' },
    epsilon: { flags: '--epsilon <e>', description: `total epsilon of the whole pipeline (default ${RUN_DEFAULT_EPSILON})`, parse: positiveNumber('--epsilon') },
    delta: { flags: '--delta <d>', description: `DP delta (default ${RUN_DEFAULT_DELTA})`, parse: positiveNumber('--delta') },
    pairShare: { flags: '--pair-share <s>', description: 'dp-vae: share of the budget for two-way marginals the decoder is fitted to (default 0.2 with --target, else 0; 0 turns it off)', parse: nonNegativeNumber('--pair-share') },
    dp: { flags: '--no-dp', description: 'train WITHOUT differential privacy (the report says NOT differentially private)' },
    holdoutFraction: { flags: '--holdout-fraction <f>', description: 'share of rows kept out of training for the privacy and utility tests (default 0.2)', parse: positiveNumber('--holdout-fraction') },
    target: { flags: '--target <column>', description: 'column to predict in the ML-utility test (and to stratify the split on)' },
    rows: { flags: '--rows <n>', description: 'synthetic rows (default: as many as the training part)', parse: positiveInt('--rows') },
    seed: { flags: '--seed <n>', description: 'random seed', parse: nonNegativeInt('--seed'), default: 0 },
    synthesizer: { flags: '--synthesizer <name>', description: `which synthesizer to fit (default dp-vae; privsynth fit --help lists them): ${synthesizerNames().join(', ')}` },
    epochs: { flags: '--epochs <n>', description: 'training epochs', parse: positiveInt('--epochs') },
    batchSize: { flags: '--batch-size <n>', description: 'batch size', parse: positiveInt('--batch-size') },
    llmModel: { flags: '--llm-model <path|name>', description: 'fill text columns with a local GGUF model (leak-guarded against the training data)' },
    llmThreads: { flags: '--llm-threads <n>', description: 'CPU threads for the LLM (default 1)', parse: positiveInt('--llm-threads') },
    llmTemperature: { flags: '--llm-temperature <t>', description: 'LLM sampling temperature (default 0.7)', parse: positiveNumber('--llm-temperature') },
    calibrate: { flags: '--no-calibrate', description: 'do not calibrate samples to (noisy, under DP) one-way marginals' },
    allowWeakPrivacy: { flags: '--allow-weak-privacy', description: `accept a budget that gives no meaningful protection (epsilon > ${WEAK_EPSILON} or delta >= 1/rows); model and report are flagged WEAK PRIVACY` },
    failOn: { flags: '--fail-on <areas>', description: `exit with code ${EXIT_VERDICT_FAILED} when any of these verdicts is "fail": privacy,fidelity,utility` },
    force: forceFlag('an existing output directory'),
    quiet: QUIET_FLAG,
    json: { flags: '--json', description: 'print the run summary as JSON on stdout' },
  };
  const description = 'the main job: split off a holdout, fit a DP model, sample, evaluate, and write out/model, out/synthetic.csv, out/report.json and out/report.html';
  return commandWithFlags('run', description, ['<data>', 'table file'], flags).action(async (data: string, o: RunCli) => {
    if (!o.dp && o.allowWeakPrivacy) throw new PrivacyError(msg.WEAK_PRIVACY_AND_NO_DP, { hint: msg.HINT_DROP_ONE });
    if (!o.dp && (o.epsilon !== undefined || o.delta !== undefined || o.pairShare !== undefined)) throw new PrivacyError(msg.BUDGET_AND_NO_DP, { hint: msg.HINT_DROP_ONE });
    const failOn = parseAreas(o.failOn);
    if (o.holdoutFraction !== undefined && !(o.holdoutFraction < 1)) throw new InputError(msg.holdoutFractionTooLarge(o.holdoutFraction));
    const progress = new Progress(o.quiet);
    const r = await run(data, {
      synthesizer: o.synthesizer,
      out: o.out,
      schema: o.schema,
      dp: o.dp ? { epsilon: o.epsilon ?? RUN_DEFAULT_EPSILON, delta: o.delta ?? RUN_DEFAULT_DELTA, pairShare: o.pairShare, allowWeakPrivacy: o.allowWeakPrivacy } : undefined,
      holdoutFraction: o.holdoutFraction,
      target: o.target,
      rows: o.rows,
      seed: o.seed,
      epochs: o.epochs,
      batchSize: o.batchSize,
      calibrate: o.calibrate,
      llm: o.llmModel ? { model: o.llmModel, threads: o.llmThreads, temperature: o.llmTemperature } : undefined,
      force: o.force,
      signal: ctx.signal,
      onWarning: (w) => ctx.err(msg.warning(w)),
      onProgress: (p) => progress.update(`${p.stage.padEnd(8)} ${bar(p.fraction)} ${(p.fraction * 100).toFixed(0).padStart(3)}%  ETA ${duration(p.etaSeconds)}  ${p.detail}`, p.fraction >= 1),
    });
    progress.done();
    if (o.json) ctx.out(JSON.stringify(r, null, 2) + '\n');
    else {
      ctx.out(msg.runWrote(r.out, r.rows.synthetic));
      ctx.out(msg.runRows(r.rows.total, r.rows.train, r.rows.holdout));
      ctx.out(r.privacy.differentiallyPrivate ? msg.runIsDp(formatEpsilon(r.privacy.epsilon!), r.privacy.delta!.toExponential(2), Boolean(r.privacy.weakBudget)) : msg.RUN_NOT_DP);
      ctx.out(msg.runVerdicts(r.verdicts.privacy.verdict, r.verdicts.fidelity.verdict, r.verdicts.utility.verdict));
      const audit = r.verdicts.privacy.audit;
      if (audit) (audit.contradictsClaim ? ctx.err : ctx.out)(msg.auditStatement(audit.statement, audit.contradictsClaim));
      ctx.out(msg.runTimes(Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')));
    }
    const failed = failOn.filter((a) => r.verdicts[a]?.verdict === 'fail');
    if (failed.length) {
      ctx.err(msg.verdictFailed(failed, r.files.reportHtml));
      ctx.setExitCode(EXIT_VERDICT_FAILED);
    }
  });
}

function parseAreas(s?: string): Area[] {
  if (!s) return [];
  const areas = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const a of areas) {
    if (!['privacy', 'fidelity', 'utility'].includes(a)) throw new InputError(msg.unknownArea(a), { hint: msg.HINT_AREAS });
  }
  return areas as Area[];
}
