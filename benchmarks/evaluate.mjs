#!/usr/bin/env node
/**
 * Evaluation speed: the full evaluate() on Adult (train 26,048, holdout 6,513, 26,048 synthetic rows from a
 * short no-DP fit), with its per-metric timings, and the Gower nearest-neighbour search (evaluation/gower.js,
 * k = 2 as dcr_share and nndr use it) at 50,000 x 50,000 rows (quick: 10,000 x 10,000), synthetic rows
 * against other synthetic rows of the same model.
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/evaluate.mjs [--quick] [--reps 3]
 */
import path from 'node:path';
import { ADULT, f, header, int, isMain, loadRange, median, parseFlags, progress, repeat, runTask, scratchDir, table } from './lib/common.mjs';

export async function bench(flags) {
  const dir = scratchDir('evaluate');
  const reps = flags.reps ?? (flags.quick ? 1 : 3);
  const model = path.join(dir, 'model');
  progress('evaluate: fitting a 3-epoch no-DP model on Adult');
  await runTask('fit', { file: ADULT.train, out: model, epochs: 3 });
  progress(`evaluate: full evaluate() x ${reps}`);
  const runs = await repeat(reps, 'evaluate', { train: ADULT.train, holdout: ADULT.holdout, target: ADULT.target, model, scratch: dir });
  const stages = Object.keys(runs[0].timings).filter((k) => k !== 'total');
  const stageRows = stages.map((s) => [s, f(median(runs.map((r) => r.timings[s])), 2)]);
  const n = flags.quick ? 10_000 : 50_000;
  const greps = flags.reps ?? (flags.quick ? 1 : 3);
  progress(`evaluate: Gower ${n} x ${n} x ${greps}`);
  const g = await repeat(greps, 'gower', { train: ADULT.train, model, rows: n, scratch: dir });
  const gs = median(g.map((r) => r.seconds));
  return [
    `evaluate() on ${ADULT.name} with target income (${runs[0].rows.train} train, ${runs[0].rows.holdout} holdout, ${runs[0].rows.synthetic} synthetic rows; synthetic from a 3-epoch no-DP model, so the classifiers face an easy task): ` +
      `**${f(median(runs.map((r) => r.seconds)), 1)} s** (median of ${reps}; range ${f(Math.min(...runs.map((r) => r.seconds)), 1)}-${f(Math.max(...runs.map((r) => r.seconds)), 1)} s), peak ${f(Math.max(...runs.map((r) => r.peakMiB)), 0)} MiB, load average ${loadRange(runs)}.`,
    '',
    table(['stage', 'seconds (median)'], stageRows),
    '',
    `Gower k-NN search (k = 2, exact, blocked, early abandoning), ${int(n)} query x ${int(n)} reference rows (${g[0].columns} columns): **${f(gs, 1)} s** (median of ${greps}), ` +
      `${int(median(g.map((r) => r.pairsPerSecond)))} pairs/s, peak ${f(Math.max(...g.map((r) => r.peakMiB)), 0)} MiB, load average ${loadRange(g)}.` +
      (flags.quick ? ` The search is O(queries x reference): 50,000 x 50,000 would take about ${f(gs * 25, 0)} s at this rate (projected, without the early-abandoning gains of a larger reference).` : ''),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  console.log(header('Evaluation', flags) + '\n\n' + (await bench(flags)));
}
