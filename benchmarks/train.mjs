#!/usr/bin/env node
/**
 * Training speed on UCI Adult (26,048 rows): seconds per epoch and total fit time (the fit job: read, infer schema,
 * fit transformers, train, save), without DP (TVAE defaults: 300 epochs, batch 500) and with DP at epsilon 1, 3, 10
 * (the DP defaults, DP_DEFAULTS in src/synthesizers/dp-vae/fit/dpPolicy.ts, read from dist/ at run time), with each run's peak memory.
 * Quick mode trains 10 epochs (no DP) / 2 epochs (DP) and projects to the full epoch count:
 * projected = fit overhead + epochs * seconds per epoch.
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/train.mjs [--quick] [--reps 3]
 */
import path from 'node:path';
import { ADULT, REFERENCE, f, header, isMain, loadRange, median, parseFlags, progress, repeat, scratchDir, table, lib } from './lib/common.mjs';

export async function bench(flags) {
  const dir = scratchDir('train');
  const reps = flags.reps ?? 3;
  const { DP_DEFAULTS } = await lib('index.js');
  const { DEFAULT_VAE_CONFIG } = await lib('synthesizers/dp-vae/VaeConfig.js');
  const full = { nodp: DEFAULT_VAE_CONFIG.epochs, dp: DP_DEFAULTS.epochs };
  const epochs = flags.quick ? { nodp: 10, dp: 2 } : full;
  const configs = [
    { name: 'no DP (TVAE defaults)', dp: undefined, epochs: epochs.nodp, fullEpochs: full.nodp },
    ...[1, 3, 10].map((eps) => ({ name: `DP epsilon ${eps} (DP defaults)`, dp: { epsilon: eps, delta: 1e-5 }, epochs: epochs.dp, fullEpochs: full.dp })),
  ];
  const rows = [];
  let nodpTotal;
  let backend = 'n/a';
  for (const c of configs) {
    progress(`train: ${c.name}, ${c.epochs} epochs x ${reps} runs`);
    const runs = await repeat(reps, 'fit', (r) => ({ file: ADULT.train, out: path.join(dir, `m${r}`), epochs: c.epochs, dp: c.dp }));
    const spe = median(runs.map((r) => r.secondsPerEpoch));
    const overhead = median(runs.map((r) => r.overheadSeconds));
    const wall = median(runs.map((r) => r.wallSeconds));
    const total = c.epochs === c.fullEpochs ? wall : overhead + spe * c.fullEpochs;
    if (!c.dp) nodpTotal = total;
    const r0 = runs[0];
    backend = r0.backend;
    rows.push([
      c.name,
      `${c.epochs}${c.epochs === c.fullEpochs ? '' : ` (projected to ${c.fullEpochs})`}`,
      `${r0.batchSize}, ${Math.round(r0.steps / r0.epochs)} steps/epoch`,
      f(spe, 3),
      f(Math.min(...runs.map((r) => r.secondsPerEpoch)), 3) + '-' + f(Math.max(...runs.map((r) => r.secondsPerEpoch)), 3),
      f(total, 1) + (c.epochs === c.fullEpochs ? '' : ' (proj.)'),
      f(overhead, 1),
      c.dp ? f(r0.epsilon, 3) : 'not DP',
      f(Math.max(...runs.map((r) => r.peakMiB)), 0),
      `${f(total / REFERENCE.tvaeFitSecondsFtz, 2)} / ${f(total / REFERENCE.tvaeFitSeconds, 2)}`,
      loadRange(runs),
    ]);
  }
  return [
    `Training on ${ADULT.name} (${ADULT.split}); engine ${backend}; ${reps} runs per row, one child process each, fixed seed 42; figures are medians. ` +
      `No DP: TVAE defaults (${full.nodp} epochs, batch ${DEFAULT_VAE_CONFIG.batchSize}). DP: the DP defaults (${full.dp} epochs, Poisson batches of ${DP_DEFAULTS.sampleRate * 100}% of the noisy row count, clip ${DP_DEFAULTS.clipNorm}, delta 1e-5). ` +
      (flags.quick ? `Quick mode trains ${epochs.nodp} / ${epochs.dp} epochs and projects: total = fit overhead + epochs x s/epoch.` : ''),
    '',
    table(
      ['configuration', 'epochs', 'batch', 's/epoch (median)', 's/epoch range', 'total fit s', 'fit overhead s (read, schema, transformers, save)', 'epsilon spent', 'peak MiB (max)', 'time ratio vs TVAE 133 s (FTZ) / 365 s', 'load avg (1 min) during'],
      rows,
    ),
    '',
    `TVAE reference (SDV, PyTorch CPU, same machine): 365 s (133 s with flush-to-zero) for 300 epochs, peak 456 MiB. ` +
      `Ratio = privsynth time / TVAE time (below 1 = privsynth faster). No DP: ${f(nodpTotal, 1)} s, i.e. TVAE's 133 s / 365 s divided by ours = ${f(REFERENCE.tvaeFitSecondsFtz / nodpTotal, 2)}x / ${f(REFERENCE.tvaeFitSeconds / nodpTotal, 2)}x speed-up.`,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  console.log(header('Training', flags) + '\n\n' + (await bench(flags)));
}
