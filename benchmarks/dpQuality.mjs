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
import { fitFile, sampleToFile, loadTypedTable } from '../dist/pipeline.js';
import { coerceTable } from '../dist/metadata/coerceTable.js';
import { readTable } from '../dist/io/readTable.js';
import { evaluate } from '../dist/evaluation/evaluate.js';

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
const names = arg('--configs', 'eps1,eps3,eps10').split(',');
const nodpModel = arg('--nodp-model');
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

async function measure(name, modelDir, fitSeconds, epsilon) {
  const out = path.join(dir, `${name}.csv`);
  await sampleToFile(modelDir, { rows: train.rowCount, out, seed: 1, force: true });
  const syn = coerceTable(await readTable(out), metadata, { columns: metadata.columns.map((c) => c.name) });
  const t0 = performance.now();
  const rep = evaluate({ train, holdout, synthetic: syn, metadata, target: 'income', seed: 0 });
  const evalSeconds = (performance.now() - t0) / 1000;
  const sd = shareDiff(train, syn, metadata);
  const u = rep.metrics.ml_utility?.details;
  const pick = (on) => u?.scores?.find((s) => s.trainedOn === on && s.model === 'logistic_regression');
  const tstr = { tstr: pick('synthetic'), trtr: pick('train') };
  return {
    name,
    epsilon,
    maxShareDiff: sd.worst,
    worstAt: sd.worstAt,
    tv: rep.metrics.tv_complement?.value,
    ks: rep.metrics.ks_complement?.value,
    tstrAcc: tstr?.tstr?.accuracy,
    tstrAuc: tstr?.tstr?.auc,
    // false when the LR fit finds no relation to income within the synthetic rows (its TSTR AUC is chance)
    tstrRelation: tstr?.tstr?.withinSynthetic?.detected ?? null,
    trtrAcc: tstr?.trtr?.accuracy,
    trtrAuc: tstr?.trtr?.auc,
    fitSeconds,
    evalSeconds,
  };
}

const rows = [];
for (const name of names) {
  const cfg = CONFIGS[name];
  if (!cfg) throw new Error(`unknown config ${name}; known: ${Object.keys(CONFIGS).join(', ')}`);
  const modelDir = path.join(dir, name);
  const t0 = performance.now();
  const r = await fitFile(path.join(ADULT, 'train.csv'), { out: modelDir, seed: 42, force: true, ...cfg });
  const fitSeconds = (performance.now() - t0) / 1000;
  const row = await measure(name, modelDir, fitSeconds, r.manifest.privacy.total?.epsilon);
  rows.push(row);
  console.error(JSON.stringify(row));
}
if (nodpModel) {
  const m = JSON.parse(readFileSync(path.join(nodpModel, 'manifest.json'), 'utf8'));
  rows.push(await measure('no-DP (TVAE defaults, 300 epochs)', nodpModel, m.training.seconds, null));
}
const f = (x, d = 3) => (typeof x === 'number' ? x.toFixed(d) : 'n/a');
console.log(`\nMachine: ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}; command: node benchmarks/dpQuality.mjs ${args.join(' ')}`);
console.log('| config | epsilon | max share diff (where) | mean 1-TVD | mean 1-KS | TSTR acc | TSTR AUC | TRTR acc | TRTR AUC | fit s |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.epsilon === null ? 'not DP' : f(r.epsilon, 4)} | ${f(r.maxShareDiff)} (${r.worstAt}) | ${f(r.tv)} | ${f(r.ks)} | ${f(r.tstrAcc)} | ${f(r.tstrAuc)}${r.tstrRelation === false ? ' (no relation)' : ''} | ${f(r.trtrAcc)} | ${f(r.trtrAuc)} | ${f(r.fitSeconds, 0)} |`);
}
