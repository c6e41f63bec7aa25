/** `privsynth run`: split, fit (DP by default), sample, evaluate, report. */
import { Command } from 'commander';
import { run, type Area } from '../pipeline.js';
import { synthesizerNames } from '../synthesizers/registry.js';
import { PrivacyError, InputError } from '../errors.js';
import { Progress, bar, duration } from './progress.js';
import { nonNegativeInt, positiveInt, positiveNumber } from './options.js';
import type { CliContext } from './CliContext.js';
import { WEAK_EPSILON } from '../privacy/budgetStrength.js';
import { formatEpsilon } from '../evaluation/verdicts.js';

export const RUN_DEFAULT_EPSILON = 1;
export const RUN_DEFAULT_DELTA = 1e-5;

/** Exit code when a verdict named in --fail-on is "fail" (outputs are still written, to read why). */
export const EXIT_VERDICT_FAILED = 3;

export function runCommand(ctx: CliContext): Command {
  return new Command('run')
    .description('the main job: split off a holdout, fit a DP model, sample, evaluate, and write out/model, out/synthetic.csv, out/report.json and out/report.html')
    .argument('<data>', 'table file')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('--schema <schema.json>', 'schema file (default: inferred)')
    .option('--epsilon <e>', `total epsilon of the whole pipeline (default ${RUN_DEFAULT_EPSILON})`, positiveNumber('--epsilon'))
    .option('--delta <d>', `DP delta (default ${RUN_DEFAULT_DELTA})`, positiveNumber('--delta'))
    .option('--no-dp', 'train WITHOUT differential privacy (the report says NOT differentially private)')
    .option('--holdout-fraction <f>', 'share of rows kept out of training for the privacy and utility tests (default 0.2)', positiveNumber('--holdout-fraction'))
    .option('--target <column>', 'column to predict in the ML-utility test (and to stratify the split on)')
    .option('--rows <n>', 'synthetic rows (default: as many as the training part)', positiveInt('--rows'))
    .option('--seed <n>', 'random seed', nonNegativeInt('--seed'), 0)
    .option('--synthesizer <name>', `which synthesizer to fit (default dp-vae; privsynth fit --help lists them): ${synthesizerNames().join(', ')}`)
    .option('--epochs <n>', 'training epochs', positiveInt('--epochs'))
    .option('--batch-size <n>', 'batch size', positiveInt('--batch-size'))
    .option('--llm-model <path|name>', 'fill text columns with a local GGUF model (leak-guarded against the training data)')
    .option('--llm-threads <n>', 'CPU threads for the LLM (default 1)', positiveInt('--llm-threads'))
    .option('--llm-temperature <t>', 'LLM sampling temperature (default 0.7)', positiveNumber('--llm-temperature'))
    .option('--no-calibrate', 'do not calibrate samples to (noisy, under DP) one-way marginals')
    .option('--allow-weak-privacy', `accept a budget that gives no meaningful protection (epsilon > ${WEAK_EPSILON} or delta >= 1/rows); model and report are flagged WEAK PRIVACY`)
    .option('--fail-on <areas>', `exit with code ${EXIT_VERDICT_FAILED} when any of these verdicts is "fail": privacy,fidelity,utility`)
    .option('--force', 'replace an existing output directory')
    .option('-q, --quiet', 'no progress output')
    .option('--json', 'print the run summary as JSON on stdout')
    .action(async (data: string, o: RunCli) => {
      if (!o.dp && o.allowWeakPrivacy) throw new PrivacyError('--allow-weak-privacy and --no-dp contradict each other', { hint: 'drop one of them' });
      if (!o.dp && (o.epsilon !== undefined || o.delta !== undefined)) throw new PrivacyError('--epsilon/--delta and --no-dp contradict each other', { hint: 'drop one of them' });
      const failOn = parseAreas(o.failOn);
      if (o.holdoutFraction !== undefined && !(o.holdoutFraction < 1)) throw new InputError(`--holdout-fraction must be below 1, got ${o.holdoutFraction}`);
      const progress = new Progress(o.quiet);
      const r = await run(data, {
        synthesizer: o.synthesizer,
        out: o.out,
        schema: o.schema,
        dp: o.dp ? { epsilon: o.epsilon ?? RUN_DEFAULT_EPSILON, delta: o.delta ?? RUN_DEFAULT_DELTA, allowWeakPrivacy: o.allowWeakPrivacy } : undefined,
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
        onWarning: (w) => ctx.err(`warning: ${w}\n`),
        onProgress: (p) => progress.update(`${p.stage.padEnd(8)} ${bar(p.fraction)} ${(p.fraction * 100).toFixed(0).padStart(3)}%  ETA ${duration(p.etaSeconds)}  ${p.detail}`, p.fraction >= 1),
      });
      progress.done();
      if (o.json) ctx.out(JSON.stringify(r, null, 2) + '\n');
      else {
        ctx.out(`wrote ${r.out}/: model/, synthetic.csv (${r.rows.synthetic} rows), report.json, report.html\n`);
        ctx.out(`rows: ${r.rows.total} = ${r.rows.train} train + ${r.rows.holdout} holdout\n`);
        ctx.out(r.privacy.differentiallyPrivate ? `privacy: differentially private, epsilon ${formatEpsilon(r.privacy.epsilon!)}, delta ${r.privacy.delta!.toExponential(2)}${r.privacy.weakBudget ? ' (WEAK PRIVACY: accepted with --allow-weak-privacy)' : ''}\n` : 'privacy: NOT differentially private\n');
        ctx.out(`verdicts: privacy ${r.verdicts.privacy.verdict}, fidelity ${r.verdicts.fidelity.verdict}, utility ${r.verdicts.utility.verdict}\n`);
        const audit = r.verdicts.privacy.audit;
        if (audit) (audit.contradictsClaim ? ctx.err : ctx.out)(`${audit.contradictsClaim ? 'error: ' : 'privacy audit: '}${audit.statement}\n`);
        ctx.out(`time: ${Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}\n`);
      }
      const failed = failOn.filter((a) => r.verdicts[a]?.verdict === 'fail');
      if (failed.length) {
        ctx.err(`error: verdict "fail" for ${failed.join(', ')} (--fail-on); see ${r.files.reportHtml}\n`);
        ctx.setExitCode(EXIT_VERDICT_FAILED);
      }
    });
}

interface RunCli {
  synthesizer?: string;
  out: string;
  schema?: string;
  epsilon?: number;
  delta?: number;
  dp: boolean;
  holdoutFraction?: number;
  target?: string;
  rows?: number;
  seed: number;
  epochs?: number;
  batchSize?: number;
  failOn?: string;
  calibrate: boolean;
  allowWeakPrivacy?: boolean;
  llmModel?: string;
  llmThreads?: number;
  llmTemperature?: number;
  force?: boolean;
  quiet?: boolean;
  json?: boolean;
}

function parseAreas(s?: string): Area[] {
  if (!s) return [];
  const areas = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const a of areas) {
    if (!['privacy', 'fidelity', 'utility'].includes(a)) throw new InputError(`--fail-on: unknown area "${a}"`, { hint: 'use a comma-separated list of privacy, fidelity, utility' });
  }
  return areas as Area[];
}
