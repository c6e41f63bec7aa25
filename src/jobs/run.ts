/**
 * `privsynth run`: the main job, from a real table to signed-off synthetic data.
 *
 *   data ─► schema ─► seeded (stratified) split ─► train ──► fitTable (DP unless --no-dp) ──► model/
 *                                                 holdout ─┐                                   │
 *                                  synthetic.csv ◄── sample ◄────────────────────────────────────┘
 *                                       │ (the rows kept in memory, as the file holds them: io/writtenTable.ts)
 *                                       └──► evaluate(train, holdout, synthetic) ──► report.json, report.html
 *
 * Everything is written into a temporary directory beside `out` and renamed into place at the end, so
 * an interrupted or failed run leaves no half-written output.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CancelledError, InputError } from '../errors.js';
import { tempPathFor, registerTemp, unregisterTemp } from '../io/writeFileAtomic.js';
import { readTable } from '../io/readTable.js';
import { checkOutputLocation, makeOutputDir } from '../io/checkOutputLocation.js';
import { assertOutputAvailable } from '../io/assertOutputAvailable.js';
import { undoFormulaEscape } from '../io/undoFormulaEscape.js';
import { schemaFor } from './loadTypedTable.js';
import { coerceTable } from '../metadata/coerceTable.js';
import type { Metadata } from '../metadata/Metadata.js';
import { outputColumns } from '../metadata/outputColumns.js';
import { Rng } from '../rng.js';
import { splitTable } from '../table/splitTable.js';
import type { DpOptions, LlmOptions } from '../synthesizers/options.js';
import { evaluateAsync } from '../evaluation/evaluate.js';
import type { EvaluationReport } from '../evaluation/types.js';
import { buildReportData } from '../report/buildReport.js';
import { writeReport } from '../report/writeReport.js';
import { checkTarget } from './checkTarget.js';
import { fitTable } from './fit.js';
import { sample } from './sample.js';
import * as msg from '../messages.js';

export type Area = 'privacy' | 'fidelity' | 'utility';

export interface RunOptions {
  /** Registry name of the synthesizer (synthesizers/registry.ts; default dp-vae). */
  synthesizer?: string;
  out: string;
  schema?: string;
  /** DP budget; undefined = not DP (must be asked for explicitly by the caller). */
  dp?: DpOptions;
  holdoutFraction?: number;
  target?: string;
  /** Synthetic rows (default: as many as the training part). */
  rows?: number;
  seed?: number;
  epochs?: number;
  batchSize?: number;
  /** Calibrate samples to one-way marginals (default true; under DP 15% of the budget). */
  calibrate?: boolean;
  /** Fill text columns with a local LLM; the leak guard checks against the training part. */
  llm?: Omit<LlmOptions, 'guard'>;
  force?: boolean;
  onProgress?: (p: RunProgress) => void;
  /** Non-fatal concerns (e.g. a weak delta); the CLI prints them to stderr. */
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

export interface RunProgress {
  stage: 'read' | 'split' | 'fit' | 'sample' | 'evaluate' | 'report';
  /** Overall fraction done, 0..1. */
  fraction: number;
  etaSeconds: number;
  detail: string;
}

export interface RunResult {
  out: string;
  files: { model: string; synthetic: string; reportJson: string; reportHtml: string };
  rows: { total: number; train: number; holdout: number; synthetic: number };
  privacy: { differentiallyPrivate: boolean; epsilon?: number; delta?: number; weakBudget?: string[] };
  verdicts: EvaluationReport['verdicts'];
  timings: Record<string, number>;
}

const WEIGHTS = { read: 1, split: 1, fit: 60, sample: 6, evaluate: 28, report: 4 };
const ORDER = ['read', 'split', 'fit', 'sample', 'evaluate', 'report'] as const;

export async function run(file: string, opts: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const seed = opts.seed ?? 0;
  const rng = new Rng(seed);
  const timings: Record<string, number> = {};
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  const report = (stage: RunProgress['stage'], within: number, detail: string): void => {
    const before = ORDER.slice(0, ORDER.indexOf(stage)).reduce((s, k) => s + WEIGHTS[k], 0);
    const fraction = (before + WEIGHTS[stage] * Math.min(1, Math.max(0, within))) / total;
    const elapsed = (performance.now() - t0) / 1000;
    opts.onProgress?.({ stage, fraction, etaSeconds: fraction > 0.02 ? (elapsed / fraction) * (1 - fraction) : NaN, detail });
  };
  const check = (): void => {
    if (opts.signal?.aborted) throw new CancelledError(msg.RUN_INTERRUPTED);
  };
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const s = performance.now();
    const r = await f();
    timings[name] = Math.round(performance.now() - s) / 1000;
    check();
    return r;
  };

  await checkOutputLocation(opts.out, { kind: 'directory' }); // before any work: exit 2 in milliseconds
  await assertOutputAvailable(opts.out, { force: opts.force, noun: 'the output directory', alternative: 'another -o directory', emptyDirectoryIsFree: true });
  const stage = tempPathFor(opts.out);
  registerTemp(stage);
  try {
    await makeOutputDir(stage); // not recursive: Node's recursive mkdir spins forever on /proc
    report('read', 0, `reading ${file}`);
    const { raw, metadata } = await timed('read', async () => {
      const r = await readTable(file);
      const { metadata: md, warnings } = await schemaFor(r, opts.schema);
      for (const w of warnings) opts.onWarning?.(w);
      return { raw: r, metadata: md };
    });
    checkTarget(metadata, opts.target || undefined, file);
    const typed = coerceTable(raw, metadata);
    report('split', 0, 'splitting off the holdout');
    const holdoutFraction = opts.holdoutFraction ?? 0.2;
    const { train, holdout } = splitTable(typed, holdoutFraction, rng.fork('split'), opts.target);
    if (holdout.rowCount < 1 || train.rowCount < 2) {
      throw new InputError(msg.tooFewRowsToSplit(typed.rowCount, holdoutFraction), { location: { file }, hint: msg.HINT_LARGER_TABLE });
    }
    const modelDir = path.join(stage, 'model');
    const fit = await timed('fit', () =>
      fitTable({ ...train, source: file }, metadata, {
        synthesizer: opts.synthesizer,
        out: modelDir,
        dp: opts.dp,
        target: opts.target,
        calibrate: opts.calibrate,
        seed,
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        signal: opts.signal,
        onWarning: opts.onWarning,
        onProgress: (p) => report('fit', p.step / p.steps, `training epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(3)}`),
      }),
    );
    const rows = opts.rows ?? train.rowCount;
    const synFile = path.join(stage, 'synthetic.csv');
    const sampled = await timed('sample', () =>
      sample(modelDir, {
        rows,
        out: synFile,
        keepTable: true,
        seed: rng.fork('sample').nextU32(),
        calibrate: opts.calibrate,
        signal: opts.signal,
        llm: opts.llm ? { ...opts.llm, guard: { table: train, metadata } } : undefined,
        onProgress: (d, n) => report('sample', d / n, `sampling ${d}/${n} rows`),
        onTextProgress: (d, n) => report('sample', d / n, `writing text ${d}/${n} rows`),
      }),
    );
    if (sampled.text) await fs.writeFile(path.join(stage, 'text-report.json'), JSON.stringify({ kind: 'privsynth.textReport', version: 1, batches: sampled.text }, null, 2) + '\n');
    const outCols = outputColumns(fit.manifest.schema).map((c) => c.name); // structured columns: evaluation ignores text
    const evalMd: Metadata = { ...metadata, columns: metadata.columns.map((c) => (outCols.includes(c.name) ? c : { ...c, action: 'drop' as const })) };
    // the rows as synthetic.csv holds them, read back in memory (sampled.table): synthetic.csv escapes
    // formula-like names and cells (CSV injection); evaluate the values themselves
    const synthetic = coerceTable(undoFormulaEscape(sampled.table!), evalMd);
    report('evaluate', 0, 'evaluating fidelity, utility and privacy');
    const privacy = fit.manifest.privacy as RunPrivacy;
    // the attacks' empirical epsilon bound is checked against what the model claims
    const claimedPrivacy = privacy.differentiallyPrivate && privacy.total ? { epsilon: privacy.total.epsilon, delta: privacy.total.delta } : null;
    const evaluation = await timed('evaluate', () =>
      evaluateAsync({ train, holdout, synthetic, metadata: evalMd, target: opts.target, seed, claimedPrivacy, signal: opts.signal, onProgress: (e) => report('evaluate', e.fraction, `evaluating: ${e.stage}`) }),
    );
    report('report', 0, 'writing the report');
    await timed('report', async () => {
      const data = buildReportData({
        // the input's columns, all of them: `typed` holds only the kept ones
        dataset: { name: path.basename(file), file: path.resolve(file), rows: typed.rowCount, columns: raw.names.length },
        inputColumns: raw.names,
        train,
        synthetic,
        metadata,
        evaluation,
        privacy,
        timings,
        run: { seed, epsilon: opts.dp?.epsilon, delta: opts.dp?.delta, rows, holdoutFraction },
      });
      await writeReport(stage, data);
    });
    timings.total = Math.round(performance.now() - t0) / 1000;
    // move the finished run into place
    await fs.rm(opts.out, { recursive: true, force: true });
    await fs.rename(stage, opts.out);
    unregisterTemp(stage);
    report('report', 1, 'done');
    return {
      out: opts.out,
      files: {
        model: path.join(opts.out, 'model'),
        synthetic: path.join(opts.out, 'synthetic.csv'),
        reportJson: path.join(opts.out, 'report.json'),
        reportHtml: path.join(opts.out, 'report.html'),
      },
      rows: { total: typed.rowCount, train: train.rowCount, holdout: holdout.rowCount, synthetic: rows },
      privacy: privacy.differentiallyPrivate ? { differentiallyPrivate: true, epsilon: privacy.total?.epsilon, delta: privacy.total?.delta, ...(privacy.weakBudget ? { weakBudget: privacy.weakBudget } : {}) } : { differentiallyPrivate: false },
      verdicts: evaluation.verdicts,
      timings,
    };
  } finally {
    await fs.rm(stage, { recursive: true, force: true });
    unregisterTemp(stage);
  }
}

type RunPrivacy = { differentiallyPrivate: boolean; total?: { epsilon: number; delta: number }; weakBudget?: string[] } & Record<string, unknown>;

