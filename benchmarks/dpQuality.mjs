#!/usr/bin/env node
/**
 * Quality of DP models on UCI Adult (train 26,048 / holdout 6,513 from ../shared/datasets/adult, the split
 * our reference figures use) at several epsilons and training settings, next to a no-DP model.
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/dpQuality.mjs [--configs eps1,eps3,...] [--nodp-model DIR]
 *
 * For each configuration: fit (library), sample as many rows as train, evaluate against train/holdout.
 * Prints a markdown table: total epsilon, max |share difference| over every category of every categorical
 * column, mean 1-TVD, mean 1-KS, TSTR accuracy/AUC (logistic regression on synthetic, tested on holdout)
 * next to TRTR, fit seconds.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { fit, sample, loadTypedTable, coerceTable, readTable, Rng, evaluation } from '../dist/index.js';
import { prepareData } from '../dist/evaluation/prepare.js';
import * as ksMetric from '../dist/evaluation/metrics/ksComplement.js';
import * as tvMetric from '../dist/evaluation/metrics/tvComplement.js';
import * as mlUtility from '../dist/evaluation/metrics/mlUtility.js';
import * as corrMetric from '../dist/evaluation/metrics/correlationSimilarity.js';
import * as contMetric from '../dist/evaluation/metrics/contingencySimilarity.js';


const { evaluate } = evaluation;
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const ADULT = path.resolve('..', 'shared', 'datasets', 'adult');
const CONFIGS = {
  eps1: { dp: { epsilon: 1, delta: 1e-5 } },
  eps3: { dp: { epsilon: 3, delta: 1e-5 } },
  eps10: { dp: { epsilon: 10, delta: 1e-5 } },
  // the DP defaults before 2026-12-01 (output sigma 0.1), and the learning rate tried against them
  'eps1-sigma0.1': { dp: { epsilon: 1, delta: 1e-5 }, vae: { fixedSigma: 0.1 } },
  'eps3-sigma0.1': { dp: { epsilon: 3, delta: 1e-5 }, vae: { fixedSigma: 0.1 } },
  'eps10-sigma0.1': { dp: { epsilon: 10, delta: 1e-5 }, vae: { fixedSigma: 0.1 } },
  'eps1-lr1e-2': { dp: { epsilon: 1, delta: 1e-5 }, learningRate: 1e-2 },
  'eps3-lr1e-2': { dp: { epsilon: 3, delta: 1e-5 }, learningRate: 1e-2 },
  'eps10-lr1e-2': { dp: { epsilon: 10, delta: 1e-5 }, learningRate: 1e-2 },
  'eps3-e15-b2000': { dp: { epsilon: 3, delta: 1e-5 }, epochs: 15, batchSize: 2000 },
  'eps3-e60-b500': { dp: { epsilon: 3, delta: 1e-5 }, epochs: 60, batchSize: 500 },
  'eps3-clip0.5': { dp: { epsilon: 3, delta: 1e-5, clipNorm: 0.5 } },
  'eps3-clip2': { dp: { epsilon: 3, delta: 1e-5, clipNorm: 2 } },
  'eps3-lr1e-3': { dp: { epsilon: 3, delta: 1e-5 }, learningRate: 1e-3 },
  'eps3-b4000-e30-lr5e-3': { dp: { epsilon: 3, delta: 1e-5 }, batchSize: 4000, epochs: 30, learningRate: 5e-3 },
  'eps3-b2000-e30-lr3e-3': { dp: { epsilon: 3, delta: 1e-5 }, batchSize: 2000, epochs: 30, learningRate: 3e-3 },
  'eps3-b4000-e60-lr5e-3': { dp: { epsilon: 3, delta: 1e-5 }, batchSize: 4000, epochs: 60, learningRate: 5e-3 },
  'nodp-b4000-e30-lr5e-3': { batchSize: 4000, epochs: 30, learningRate: 5e-3 },
  'eps3-b4000-e30-lr5e-3-lf10': { dp: { epsilon: 3, delta: 1e-5 }, batchSize: 4000, epochs: 30, learningRate: 5e-3, vae: { lossFactor: 10 } },
  'eps3-b4000-e30-lr5e-3-emb32': { dp: { epsilon: 3, delta: 1e-5 }, batchSize: 4000, epochs: 30, learningRate: 5e-3, vae: { embeddingDim: 32 } },
  'eps3-b4000-e120-lr5e-3': { dp: { epsilon: 3, delta: 1e-5 }, batchSize: 4000, epochs: 120, learningRate: 5e-3 },
  'eps3-b4000-e240-lr5e-3': { dp: { epsilon: 3, delta: 1e-5 }, batchSize: 4000, epochs: 240, learningRate: 5e-3 },
  'eps1-b4000-e120-lr5e-3': { dp: { epsilon: 1, delta: 1e-5 }, batchSize: 4000, epochs: 120, learningRate: 5e-3 },
  'eps3-b4000-e120-lr1e-2': { dp: { epsilon: 3, delta: 1e-5 }, batchSize: 4000, epochs: 120, learningRate: 1e-2 },
  'eps1-b4000-e30-lr5e-3': { dp: { epsilon: 1, delta: 1e-5 }, batchSize: 4000, epochs: 30, learningRate: 5e-3 },
};
// ad-hoc configurations: --extra '{"name": { fit options }}' (added to CONFIGS)
Object.assign(CONFIGS, JSON.parse(arg('--extra', '{}')));
const names = arg('--configs', 'eps1,eps3,eps10').split(',');
const nodpModel = arg('--nodp-model');
// fit seeds (each configuration is fitted once per seed; the sample seed is 1)
const seeds = arg('--seeds', '42').split(',').map(Number);
// --fast: only the metrics of the table (ks, tv, ml_utility, computed exactly as evaluate does), not the
// privacy attacks and detection: ~8 s instead of ~25 s per model
const fast = args.includes('--fast');
const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-dpq-'));

const { table: train, metadata } = await loadTypedTable(path.join(ADULT, 'train.csv'));
const holdout = coerceTable(await readTable(path.join(ADULT, 'holdout.csv')), metadata);

function shareDiff(real, syn, md) {
  let worst = 0;
  let worstAt = '';
  for (const c of md.columns.filter((c) => c.type === 'categorical' || c.type === 'boolean')) {
    const a = real.columns[real.names.indexOf(c.name)];
    const b = syn.columns[syn.names.indexOf(c.name)];
    const count = (col) => {
      const m = new Map();
      for (const v of col) m.set(v, (m.get(v) ?? 0) + 1 / col.length);
      return m;
    };
    const pa = count(a);
    const pb = count(b);
    for (const k of new Set([...pa.keys(), ...pb.keys()])) {
      const d = Math.abs((pa.get(k) ?? 0) - (pb.get(k) ?? 0));
      if (d > worst) {
        worst = d;
        worstAt = `${c.name}=${k}`;
      }
    }
  }
  return { worst, worstAt };
}

/** P(target = positive | group) for each value of `column` with at least 1% of the rows. */
function groupRates(t, column, target = 'income', positive = '>50K') {
  const g = t.columns[t.names.indexOf(column)];
  const y = t.columns[t.names.indexOf(target)];
  const n = new Map();
  const k = new Map();
  for (let i = 0; i < t.rowCount; i++) {
    n.set(g[i], (n.get(g[i]) ?? 0) + 1);
    if (y[i] === positive) k.set(g[i], (k.get(g[i]) ?? 0) + 1);
  }
  const out = {};
  for (const [v, c] of n) if (c >= 0.01 * t.rowCount) out[v] = (k.get(v) ?? 0) / c;
  return out;
}
const GROUPS = ['marital-status', 'relationship', 'sex'];
const realRates = Object.fromEntries(GROUPS.map((c) => [c, groupRates(train, c)]));

/** Row-weighted mean |P_real(>50K | g) - P_syn(>50K | g)| over the real groups of `column`. */
function rateGap(syn, column) {
  const r = realRates[column];
  const s = groupRates(syn, column);
  const col = train.columns[train.names.indexOf(column)];
  const w = new Map();
  for (const v of col) w.set(v, (w.get(v) ?? 0) + 1 / col.length);
  let gap = 0;
  let tot = 0;
  for (const [g, pr] of Object.entries(r)) {
    gap += w.get(g) * Math.abs(pr - (s[g] ?? 0));
    tot += w.get(g);
  }
  return gap / tot;
}

async function measure(name, modelDir, fitSeconds, epsilon, fitSeed) {
  const out = path.join(dir, `${name}.csv`);
  await sample(modelDir, { rows: train.rowCount, out, seed: 1, force: true });
  const syn = coerceTable(await readTable(out), metadata, { columns: metadata.columns.map((c) => c.name) });
  const t0 = performance.now();
  let tv, ks, u, corr, cont;
  if (fast) {
    const data = prepareData(train, holdout, syn, metadata);
    ks = ksMetric.compute(data).value;
    tv = tvMetric.compute(data).value;
    corr = corrMetric.compute(data).value;
    cont = contMetric.compute(data).value;
    u = mlUtility.compute(data, 'income', { maxRows: 30_000 }, new Rng(0).fork('ml_utility')).details;
  } else {
    const rep = evaluate({ train, holdout, synthetic: syn, metadata, target: 'income', seed: 0 });
    tv = rep.metrics.tv_complement?.value;
    ks = rep.metrics.ks_complement?.value;
    corr = rep.metrics.correlation_similarity?.value;
    cont = rep.metrics.contingency_similarity?.value;
    u = rep.metrics.ml_utility?.details;
  }
  const evalSeconds = (performance.now() - t0) / 1000;
  const sd = shareDiff(train, syn, metadata);
  const pick = (on, model) => u?.scores?.find((s) => s.trainedOn === on && s.model === model);
  const lr = pick('synthetic', 'logistic_regression');
  const gb = pick('synthetic', 'gradient_boosting') ?? u?.scores?.find((s) => s.trainedOn === 'synthetic' && s.model !== 'logistic_regression');
  const ms = groupRates(syn, 'marital-status');
  return {
    name,
    seed: fitSeed,
    epsilon,
    maxShareDiff: sd.worst,
    worstAt: sd.worstAt,
    tv,
    ks,
    corr,
    cont,
    tstrAcc: lr?.accuracy,
    tstrAuc: lr?.auc,
    gbAuc: gb?.auc,
    // false when the LR fit finds no relation to income within the synthetic rows (its TSTR AUC is chance)
    tstrRelation: lr?.withinSynthetic?.detected ?? null,
    lrP: lr?.withinSynthetic?.pValue,
    gbP: gb?.withinSynthetic?.pValue,
    headline: u?.bestTstr,
    noRelation: u?.noRelation,
    married: ms['Married-civ-spouse'],
    never: ms['Never-married'],
    divorced: ms['Divorced'],
    female: groupRates(syn, 'sex')['Female'],
    male: groupRates(syn, 'sex')['Male'],
    gapMarital: rateGap(syn, 'marital-status'),
    gapRelationship: rateGap(syn, 'relationship'),
    trtrAcc: pick('train', 'logistic_regression')?.accuracy,
    trtrAuc: pick('train', 'logistic_regression')?.auc,
    fitSeconds,
    evalSeconds,
  };
}

const rows = [];
const f = (x, d = 3) => (typeof x === 'number' ? x.toFixed(d) : 'n/a');
const rm = realRates['marital-status'];
console.error(`real P(>50K): married ${f(rm['Married-civ-spouse'])}, never-married ${f(rm['Never-married'])}, divorced ${f(rm['Divorced'])}; female ${f(realRates.sex.Female)}, male ${f(realRates.sex.Male)}`);
for (const name of names) {
  const cfg = CONFIGS[name];
  if (!cfg) throw new Error(`unknown config ${name}; known: ${Object.keys(CONFIGS).join(', ')}`);
  for (const seed of seeds) {
    const modelDir = path.join(dir, `${name}-${seed}`);
    const t0 = performance.now();
    const r = await fit(path.join(ADULT, 'train.csv'), { out: modelDir, seed, force: true, ...cfg });
    const fitSeconds = (performance.now() - t0) / 1000;
    const row = await measure(name, modelDir, fitSeconds, r.manifest.privacy.total?.epsilon ?? null, seed);
    row.sigma = r.manifest.privacy.training?.noiseMultiplier;
    row.steps = r.manifest.privacy.training?.steps;
    row.clipped = r.manifest.privacy.training?.clippedFraction;
    row.width = r.manifest.encoder?.width ?? null;
    rows.push(row);
    console.error(JSON.stringify(row));
  }
}
if (nodpModel) {
  const m = JSON.parse(readFileSync(path.join(nodpModel, 'manifest.json'), 'utf8'));
  rows.push(await measure('no-DP (TVAE defaults, 300 epochs)', nodpModel, m.training.seconds, null, m.seed));
}
console.log(`\nMachine: ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}; command: node benchmarks/dpQuality.mjs ${args.join(' ')}`);
console.log('P(>50K) real: married ' + f(rm['Married-civ-spouse'], 2) + ', never-married ' + f(rm['Never-married'], 2) + '; headline = ml_utility value (0.5 when no model finds a relation within the synthetic rows); p = within-synthetic permutation p-values (LR / GBDT); gap = row-weighted mean |real - synthetic| P(>50K | group)');
console.log('| config | seed | epsilon | sigma x steps | max share diff (where) | mean 1-TVD | mean 1-KS | corr / contingency | TSTR LR / GBDT AUC | p LR / GBDT | headline | P(>50K) married / never | gap marital / relationship | fit s |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.seed} | ${r.epsilon === null ? 'not DP' : f(r.epsilon, 4)} | ${r.sigma ? `${f(r.sigma, 2)} x ${r.steps}` : '-'} | ${f(r.maxShareDiff)} (${r.worstAt}) | ${f(r.tv)} | ${f(r.ks)} | ${f(r.corr)} / ${f(r.cont)} | ${f(r.tstrAuc)} / ${f(r.gbAuc)} | ${f(r.lrP)} / ${f(r.gbP)} | ${f(r.headline)}${r.noRelation ? ' (no relation)' : ''} | ${f(r.married, 2)} / ${f(r.never, 2)} | ${f(r.gapMarital)} / ${f(r.gapRelationship)} | ${f(r.fitSeconds, 0)} |`);
}
