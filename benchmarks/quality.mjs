#!/usr/bin/env node
/**
 * Quality: the evaluate() metrics for privsynth at epsilon 1, 3, 10 (DP defaults) and without DP (TVAE
 * defaults, 300 epochs), next to two baselines (src/synthesizers/baselines/): independent marginals (DP noisy
 * histograms at the same epsilon, and exact) and a non-DP Gaussian copula. Datasets: UCI Adult (reference
 * split, target income) and UCI Bank Marketing (../shared/datasets/bank-marketing.csv, target y, stratified
 * 80/20 split with seed 42 made here). Each configuration: fit on train (seed 42), sample as many rows as
 * train (seed 1), evaluate against train and holdout (seed 0), in its own child process.
 * Quick mode: Adult only; privsynth epsilon 1, independent marginals epsilon 1, Gaussian copula.
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/quality.mjs [--quick]
 */
import path from 'node:path';
import { ADULT, REFERENCE, SHARED, exists, f, header, isMain, parseFlags, progress, runTask, scratchDir, table, writeCsv, lib } from './lib/common.mjs';

export async function bankSplit(dir) {
  const src = path.join(SHARED, 'bank-marketing.csv');
  if (!exists(src)) return null;
  const { readTable, splitTable, Rng } = await lib('index.js');
  const raw = await readTable(src);
  const { train, holdout } = splitTable(raw, 0.2, new Rng(42), 'y');
  const out = { name: 'UCI Bank Marketing', train: path.join(dir, 'bank-train.csv'), holdout: path.join(dir, 'bank-holdout.csv'), target: 'y' };
  writeCsv(out.train, train);
  writeCsv(out.holdout, holdout);
  out.split = `bank-marketing.csv (${raw.rowCount} rows) split here: stratified on y, 20% holdout, splitTable with Rng(42): ${train.rowCount} train / ${holdout.rowCount} holdout`;
  return out;
}

export async function bench(flags) {
  const dir = scratchDir('quality');
  const datasets = [ADULT];
  if (!flags.quick) {
    const bank = await bankSplit(dir);
    if (bank) datasets.push(bank);
  }
  const methods = flags.quick
    ? [
        { label: 'privsynth, epsilon 1', method: 'privsynth', epsilon: 1 },
        { label: 'independent marginals, epsilon 1', method: 'independent', epsilon: 1 },
        { label: 'Gaussian copula (not DP)', method: 'copula' },
      ]
    : [
        ...[1, 3, 10].map((e) => ({ label: `privsynth, epsilon ${e}`, method: 'privsynth', epsilon: e })),
        { label: 'privsynth, no DP (300 epochs)', method: 'privsynth' },
        ...[1, 3, 10].map((e) => ({ label: `independent marginals, epsilon ${e}`, method: 'independent', epsilon: e })),
        { label: 'independent marginals, no DP', method: 'independent' },
        { label: 'Gaussian copula (not DP)', method: 'copula' },
      ];
  const parts = [];
  for (const ds of datasets) {
    const rows = [];
    let trtr = null;
    for (const m of methods) {
      progress(`quality: ${ds.name}: ${m.label}`);
      let r;
      try {
        r = await runTask('quality', { dataset: ds, method: m.method, epsilon: m.epsilon, scratch: dir });
      } catch (e) {
        // one failed configuration must not lose the others
        const why = (e.message.split('\n').find((l) => /Error/.test(l)) ?? e.message.split('\n')[0]).trim().slice(0, 200);
        rows.push([m.label, m.epsilon ?? 'not DP', `FAILED: ${why.replace(/\|/g, '/')}`, '', '', '', '', '', '', '', '', '']);
        progress(`  FAILED: ${why}`);
        continue;
      }
      trtr = r.trtrAucLr ?? trtr;
      rows.push([m.label, m.epsilon ? `${m.epsilon} (spent ${f(r.epsilonSpent, 3)})` : 'not DP', f(r.ks, 3), f(r.tv, 3), f(r.correlation, 3), f(r.contingency, 3), f(r.detectionAuc, 3), `${f(r.tstrAucLr, 3)}${r.tstrLrRelation === false ? ' (no relation)' : ''}`, f(r.dcrShare, 3), f(r.miaAuc, 3), f(r.fitSeconds, 1), f(r.evalSeconds, 0)]);
      progress(`  ${JSON.stringify(r)}`);
    }
    parts.push(
      `**${ds.name}** (${ds.split}; target ${ds.target}; delta 1e-5; one seeded run per row). TSTR = logistic regression trained on synthetic, tested on holdout; trained on real train it reaches ROC AUC ${f(trtr, 3)}.`,
      '',
      table(['method', 'epsilon', '1-KS', '1-TVD', 'correlation sim.', 'contingency sim.', 'detection AUC (0.5 best)', 'TSTR AUC (LR)', 'dcr_share (0.5 best)', 'MIA AUC (0.5 best)', 'fit s', 'evaluate s'], rows),
      '',
    );
  }
  parts.push(
    `Reference (issue, Adult): SDV TVAE no-DP 1-KS ${REFERENCE.tvaeQuality.ks}, 1-TVD ${REFERENCE.tvaeQuality.tv}, TSTR AUC (LR) ${REFERENCE.tvaeQuality.tstrAucLr} vs ${REFERENCE.tvaeQuality.trtrAucLr} on real; MST epsilon 1: 1-KS ${REFERENCE.mstEps1.ks}, 1-TVD ${REFERENCE.mstEps1.tv}, TSTR AUC ${REFERENCE.mstEps1.tstrAucLr} (63 s).`,
  );
  return parts.join('\n');
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  console.log(header('Quality', flags) + '\n\n' + (await bench(flags)));
}
