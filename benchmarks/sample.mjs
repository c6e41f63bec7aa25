#!/usr/bin/env node
/**
 * Sampling speed: rows per second of the sample job (load the model, fit the calibration, sample in worker
 * threads, write, rename) for 1M rows to CSV and to Parquet (quick: 200k, Parquet once), for two models of
 * Adult's schema:
 *   - TVAE's network (no DP: 128x128 decoder, latent 128; a 3-epoch fit has the same shape as a 300-epoch one),
 *     which is what TVAE's ~190,000 rows/s refers to;
 *   - privsynth's DP network (epsilon 1, the `run` default: 32x32, latent 8).
 * Each on the default path (calibrated to the model's stored one-way marginals) and with calibration off;
 * peak memory at a small vs the large row count (it must not grow with rows); the ratio to TVAE's
 * ~190,000 rows/s and to the floor of 500,000 rows/s to CSV; and where one thread's time goes.
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/sample.mjs [--quick] [--reps 3]
 */
import os from 'node:os';
import path from 'node:path';
import { ADULT, REFERENCE, f, header, int, isMain, loadRange, median, parseFlags, progress, repeat, runTask, scratchDir, table } from './lib/common.mjs';

export async function bench(flags) {
  const dir = scratchDir('sample');
  const reps = flags.reps ?? 3;
  const big = flags.quick ? 200_000 : 1_000_000;
  const smallRows = flags.quick ? 25_000 : 100_000;
  const models = [
    { key: 'tvae', label: "TVAE's network (no DP)", dir: path.join(dir, 'model-tvae'), fit: { file: ADULT.train, epochs: 3 } },
    { key: 'dp', label: 'DP network (epsilon 1)', dir: path.join(dir, 'model-dp'), fit: { file: ADULT.train, dp: { epsilon: 1, delta: 1e-5 } } },
  ];
  for (const m of models) {
    progress(`sample: fitting the ${m.label} model on Adult`);
    await runTask('fit', { ...m.fit, out: m.dir });
  }
  const rows = [];
  const res = {};
  const line = (model, label, n, runs, csv) => {
    const rps = median(runs.map((r) => r.rowsPerSecond));
    return [model, label, int(n), f(median(runs.map((r) => r.seconds)), 2), int(rps), runs.length > 1 ? `${int(Math.min(...runs.map((r) => r.rowsPerSecond)))}-${int(Math.max(...runs.map((r) => r.rowsPerSecond)))}` : '1 run', f(rps / REFERENCE.tvaeSampleRowsPerSecond, 2), csv ? f(rps / REFERENCE.sampleFloorRowsPerSecond, 2) : '', f(Math.max(...runs.map((r) => r.peakMiB)), 0), `${f(median(runs.map((r) => r.bytes)) / 2 ** 20, 1)} MiB`, loadRange(runs)];
  };
  const configs = [
    { fmt: 'CSV', ext: 'csv', label: 'CSV, default (calibrated)', calibrate: undefined },
    { fmt: 'CSV', ext: 'csv', label: 'CSV, calibrate: false', calibrate: false },
    { fmt: 'Parquet', ext: 'parquet', label: 'Parquet, default (calibrated)', calibrate: undefined },
  ];
  for (const m of models) {
    for (const c of configs) {
      progress(`sample: ${m.label}, ${int(big)} rows, ${c.label} x ${reps}`);
      const runs = await repeat(flags.quick && c.fmt === 'Parquet' ? 1 : reps, 'sample', (r) => ({ model: m.dir, rows: big, out: path.join(dir, `s${r}.${c.ext}`), calibrate: c.calibrate }));
      res[`${m.key}-${c.ext}-${c.calibrate === false ? 'plain' : 'default'}`] = { rps: median(runs.map((r) => r.rowsPerSecond)), peak: Math.max(...runs.map((r) => r.peakMiB)) };
      rows.push(line(m.label, c.label, big, runs, c.fmt === 'CSV'));
    }
    progress(`sample: ${m.label}, ${int(smallRows)} rows to CSV (memory)`);
    const small = await repeat(1, 'sample', { model: m.dir, rows: smallRows, out: path.join(dir, 'small.csv') });
    res[`${m.key}-small`] = { peak: small[0].peakMiB };
    rows.push(line(m.label, 'CSV, default (calibrated)', smallRows, small, true));
  }

  const label = {
    load: 'load model + onnxruntime session',
    calibrationFit: 'calibration (stored at fit time: loaded)',
    latents: 'latents (z normals, u uniforms; JS)',
    decoder: 'decoder + exp (onnxruntime graph)',
    heads: 'output heads: category draws (WebAssembly kernel)',
    decodeColumns: 'column decode: noise, transport, rounding (JS)',
    csvFormat: 'CSV bytes (WebAssembly kernel for codes and whole numbers, else JS)',
    write: 'write (fs.writeSync)',
  };
  const profRowsN = flags.quick ? 100_000 : 500_000;
  const profiles = [];
  for (const m of models) {
    progress(`sample: profile, ${m.label}, ${int(profRowsN)} rows to CSV, one thread`);
    profiles.push((await repeat(1, 'sampleProfile', { model: m.dir, rows: profRowsN, out: path.join(dir, 'profile.csv') }))[0]);
  }
  const profRows = Object.keys(label).map((s) => [label[s], ...profiles.flatMap((p) => [f(p[s], 3), `${f((1e6 * p[s]) / p.rows, 2)} us`, `${f((100 * p[s]) / p.total, 0)}%`])]);
  profRows.push(['total (rows/s, one thread)', ...profiles.flatMap((p) => [f(p.total, 2), '', `(${int(p.rowsPerSecond)})`])]);
  const floor = REFERENCE.sampleFloorRowsPerSecond;
  const verdict = (k) => (res[k].rps >= floor ? `meets the floor (${f(res[k].rps / floor, 2)}x)` : `is BELOW the floor (${f(res[k].rps / floor, 2)}x)`);
  return [
    `Sampling from models of ${ADULT.name}'s shape (15 columns); ${reps} runs per large row, one child process each, seed 1; medians. Rows/s include loading the model and its stored calibration and the atomic rename (not the process start). Sampling uses ${Math.min(8, os.availableParallelism())} threads here (the calling thread and workers, one per core; output is byte-identical for any number).`,
    '',
    table(['model', 'path', 'rows', 'seconds', 'rows/s (median)', 'rows/s range', 'x TVAE 190,000 rows/s', 'x floor 500,000 rows/s', 'peak MiB', 'file size', 'load avg (1 min) during'], rows),
    '',
    `Peak memory (CSV, default path): TVAE network ${f(res['tvae-small'].peak, 0)} MiB at ${int(smallRows)} rows vs ${f(res['tvae-csv-default'].peak, 0)} MiB at ${int(big)}; DP network ${f(res['dp-small'].peak, 0)} vs ${f(res['dp-csv-default'].peak, 0)} MiB.`,
    '',
    `Where one thread's time goes (${int(profRowsN)} rows to CSV in batches of 10,000, as each worker does; per row and share; load average during ${loadRange(profiles)}):`,
    '',
    table(['stage', ...profiles.flatMap((_, i) => [`${models[i].label} s`, 'per row', 'share'])], profRows),
    '',
    `CSV sampling on the default (calibrated) path ${verdict('tvae-csv-default')} with TVAE's network and ${verdict('dp-csv-default')} with the DP network; without calibration ${int(res['tvae-csv-plain'].rps)} and ${int(res['dp-csv-plain'].rps)} rows/s.`,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  console.log(header('Sampling', flags) + '\n\n' + (await bench(flags)));
}
