/**
 * `privsynth evaluate`: read train, holdout and synthetic tables, type them against one schema, call the
 * library's `evaluate`, print a summary (or the JSON report with --json) and write the report atomically.
 */
import { Command } from 'commander';
import { readTable } from '../io/readTable.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { assertOutputAvailable } from '../io/assertOutputAvailable.js';
import { checkOutputLocation } from '../io/checkOutputLocation.js';
import { carriesFormulaEscape, undoFormulaEscape } from '../io/undoFormulaEscape.js';
import { EvaluationError } from '../errors.js';
import { inferMetadata } from '../metadata/inferMetadata.js';
import { readMetadataFile } from '../metadata/metadataFile.js';
import { coerceTable } from '../metadata/coerceTable.js';
import type { Metadata } from '../metadata/Metadata.js';
import { selectColumns, type Table } from '../table/Table.js';
import { evaluateAsync } from '../evaluation/evaluate.js';
import { formatSummary } from '../evaluation/summaryText.js';
import { nonNegativeInt, positiveNumber } from './options.js';
import { Progress, bar } from './progress.js';
import * as msg from '../messages.js';

export interface EvaluateCliOptions {
  train: string;
  holdout: string;
  synthetic: string;
  schema?: string;
  target?: string;
  out?: string;
  seed: number;
  claimedEpsilon?: number;
  claimedDelta?: number;
  json?: boolean;
  force?: boolean;
  quiet?: boolean;
}

/** Keep the schema's non-dropped columns that the table has, then type the cells. */
function typed(t: Table, md: Metadata): Table {
  const names = md.columns.filter((c) => c.action !== 'drop' && t.names.includes(c.name)).map((c) => c.name);
  return coerceTable(selectColumns(t, names), md, { columns: names });
}

/**
 * The synthetic table must describe the same columns as the train table: extra columns or none in
 * common mean the wrong file (E_EVALUATION, exit 2, naming the columns); some columns missing is a
 * warning (the evaluation reports them and leaves them out).
 */
export function compareColumns(md: Metadata, train: Table, synthetic: Table): { error: EvaluationError | null; warnings: string[] } {
  const expected = md.columns.filter((c) => c.action !== 'drop' && c.type !== 'text' && c.type !== 'id' && train.names.includes(c.name)).map((c) => c.name);
  const known = new Set([...md.columns.map((c) => c.name), ...train.names]);
  const missing = expected.filter((n) => !synthetic.names.includes(n));
  const extra = synthetic.names.filter((n) => !known.has(n));
  const list = (xs: string[]) => xs.slice(0, 20).map((x) => JSON.stringify(x)).join(', ') + (xs.length > 20 ? `, ... (${xs.length} in all)` : '');
  if (extra.length || (expected.length && missing.length === expected.length)) {
    const parts = [missing.length ? msg.missingFromSynthetic(list(missing)) : '', extra.length ? msg.notInTrain(list(extra)) : ''].filter(Boolean);
    return {
      error: new EvaluationError(msg.syntheticColumnsDiffer(parts), {
        location: { file: synthetic.source },
        hint: msg.HINT_SAME_COLUMNS,
      }),
      warnings: [],
    };
  }
  return { error: null, warnings: missing.length ? [msg.syntheticLacksColumns(missing.length, list(missing))] : [] };
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('measure fidelity, utility and privacy of a synthetic table against its train table and a holdout the synthesizer never saw')
    .requiredOption('--train <file>', 'the table the synthesizer was trained on')
    .requiredOption('--holdout <file>', 'real rows from the same source that were NOT used for training')
    .requiredOption('--synthetic <file>', 'the synthetic table')
    .option('--schema <schema.json>', 'schema file (default: inferred from the train table)')
    .option('--target <column>', 'column to predict for ml_utility (train on synthetic, test on holdout)')
    .option('-o, --out <report.json>', 'write the JSON report to this file')
    .option('--claimed-epsilon <e>', 'the epsilon the synthesizer claims: the attacks\' empirical epsilon lower bound is checked against it', positiveNumber('--claimed-epsilon'))
    .option('--claimed-delta <d>', 'the delta of that claim (default 1e-5)', positiveNumber('--claimed-delta'))
    .option('--seed <n>', 'random seed of the subsampling and attacks', nonNegativeInt('--seed'), 0)
    .option('--json', 'print the JSON report instead of the summary')
    .option('--force', 'replace an existing report file')
    .option('-q, --quiet', 'no progress output')
    .action(async (o: EvaluateCliOptions) => {
      if (o.out) {
        await checkOutputLocation(o.out, { kind: 'file' }); // before reading and evaluating
        await assertOutputAvailable(o.out, { force: o.force });
      }
      const progress = new Progress(o.quiet);
      progress.update('reading tables', true);
      const [trainRaw, holdoutRaw, syntheticRead] = await Promise.all([readTable(o.train), readTable(o.holdout), readTable(o.synthetic)]);
      // privsynth's CSV output escapes formula-like names and cells; compare the values themselves
      const syntheticRaw = carriesFormulaEscape(o.synthetic) ? undoFormulaEscape(syntheticRead) : syntheticRead;
      const md = o.schema ? await readMetadataFile(o.schema) : inferMetadata(trainRaw);
      const mismatch = compareColumns(md, trainRaw, syntheticRaw);
      if (mismatch.error) throw mismatch.error;
      for (const w of mismatch.warnings) process.stderr.write(msg.warning(w));
      // Ctrl-C stops between stages (the CLI's own handler reports it and cleans up temp files).
      const controller = new AbortController();
      const onSignal = (): void => controller.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let report;
      try {
        report = await evaluateAsync({
          train: typed(trainRaw, md),
          holdout: typed(holdoutRaw, md),
          synthetic: typed(syntheticRaw, md),
          metadata: md,
          target: o.target,
          seed: o.seed,
          claimedPrivacy: o.claimedEpsilon !== undefined ? { epsilon: o.claimedEpsilon, delta: o.claimedDelta ?? 1e-5 } : null,
          signal: controller.signal,
          onProgress: (e) => progress.update(`evaluating ${bar(e.fraction)} ${e.stage}${e.message ? ': ' + e.message : ''}`),
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      progress.done();
      const json = JSON.stringify(report, null, 2) + '\n';
      if (o.out) await writeFileAtomic(o.out, json);
      if (o.json) process.stdout.write(json);
      else {
        process.stdout.write(formatSummary(report) + '\n');
        if (o.out) process.stdout.write(msg.reportWritten(o.out));
      }
    });
}
