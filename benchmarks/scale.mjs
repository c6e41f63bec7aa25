#!/usr/bin/env node
/**
 * Scale: vega-datasets' flights-3m.parquet (3 million rows): time and peak memory for inspect, one training
 * epoch (the fit job with --epochs 1: read, schema, transformers, one epoch, save) and sampling 3M rows to CSV.
 * Quick mode only inspects (the fit and the sampling need a model, and one epoch takes minutes). Skips, saying why, when the vega-datasets package is not installed.
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/scale.mjs [--quick]
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, exists, f, header, int, isMain, loadRange, parseFlags, progress, repeat, scratchDir, table } from './lib/common.mjs';

function findFile(dir, name, depth = 3) {
  if (depth < 0 || !exists(dir)) return null;
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (e === name) return p;
    if (statSync(p).isDirectory()) {
      const r = findFile(p, name, depth - 1);
      if (r) return r;
    }
  }
  return null;
}

export async function bench(flags) {
  const pkg = path.join(ROOT, 'node_modules', 'vega-datasets');
  if (!exists(pkg)) return `SKIPPED: node_modules/vega-datasets is not installed (it is not a dependency of privsynth yet, and this benchmark does not install packages). Add it (\`npm install --save-dev vega-datasets\`) and rerun \`npm run bench -- --only scale\`.`;
  const file = findFile(pkg, 'flights-3m.parquet');
  if (!file) return `SKIPPED: node_modules/vega-datasets is installed but has no flights-3m.parquet (searched 3 levels deep); install a vega-datasets version that ships it.`;
  const dir = scratchDir('scale');
  const rows = 3_000_000;
  progress('scale: inspect');
  const ins = await repeat(1, 'inspect', { file });
  let schema;
  let schemaRow = null;
  if (ins[0].error) {
    progress(`scale: inspect failed (${ins[0].error}); inferring the column types from a 100,000-row sample instead`);
    schema = path.join(dir, 'schema.json');
    const sc = await repeat(1, 'schemaFromSample', { file, rows: 100_000, out: schema });
    schemaRow = ['workaround: read + infer types on a 100,000-row random sample (bounds/categories dropped)', f(sc[0].seconds, 1), f(sc[0].peakMiB, 0), loadRange(sc)];
  }
  let fit;
  if (flags.quick) fit = [{ error: 'skipped in quick mode (one epoch over 3M rows takes about 2 minutes; run without --quick)' }];
  else try {
    progress('scale: fit, one epoch');
    fit = await repeat(1, 'fit', { file, out: path.join(dir, 'model'), epochs: 1, schema });
  } catch (e) {
    fit = [{ error: e.message.split('\n').slice(0, 6).join(' ') }];
  }
  let smp = null;
  if (!fit[0].error) {
    progress(`scale: sample ${rows} rows`);
    smp = await repeat(1, 'sample', { model: path.join(dir, 'model'), rows, out: path.join(dir, 's.csv') });
  }
  const rowsOut = [
    ins[0].error ? ['inspect (read + infer schema)', `FAILED after ${f(ins[0].seconds, 1)} s: ${ins[0].error} (${ins[0].at.trim()})`, f(ins[0].peakMiB, 0), loadRange(ins)] : ['inspect (read + infer schema)', f(ins[0].seconds, 1), f(ins[0].peakMiB, 0), loadRange(ins)],
    ...(schemaRow ? [schemaRow] : []),
    fit[0].error ? ['fit, 1 epoch', flags.quick ? fit[0].error : `FAILED: ${fit[0].error}`, '', ''] : [`fit, 1 epoch (total incl. read, schema, transformers, save; training alone ${f(fit[0].trainSeconds, 1)} s, ${fit[0].steps} steps of ${fit[0].batchSize})`, f(fit[0].wallSeconds, 1), f(fit[0].peakMiB, 0), loadRange(fit)],
    ...(smp ? [[`sample ${int(rows)} rows to CSV, default (calibrated) path (${int(smp[0].rowsPerSecond)} rows/s)`, f(smp[0].seconds, 1), f(smp[0].peakMiB, 0), loadRange(smp)]] : []),
  ];
  return [
    `${path.relative(ROOT, file)}${ins[0].rows ? `: ${int(ins[0].rows)} rows, ${ins[0].columns} columns` : ''}; one run each (child process).`,
    '',
    table(['step', 'seconds', 'peak MiB', 'load avg (1 min) during'], rowsOut),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const flags = parseFlags();
  console.log(header('Scale', flags) + '\n\n' + (await bench(flags)));
}
