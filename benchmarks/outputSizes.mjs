#!/usr/bin/env node
/**
 * Output sizes and memory on wide and high-cardinality tables (issue 17), each a seeded generated table in
 * a temp directory, each a separate `privsynth run` of the built CLI:
 *  (a) 500 columns x 1,000 rows (250 numeric with 2 decimals, 250 categorical with 2-12 levels), --no-dp:
 *      report.json against synthetic.csv (must stay under 5x);
 *  (b) 20,000 rows with a 10,000-level zip column ("Z00001".."Z10000", every level present, declared
 *      categorical in a schema) and 4 other columns, --no-dp (every category kept: the worst case for the
 *      encoder, the calibration pilot and the evaluation): peak RSS of the whole run (must stay under 1 GB);
 *  (c) the same table with the default DP run (epsilon 1): the category list is selected privately;
 *  (d) (c) with the zip list declared public in the schema: all 10,000 kept under DP.
 * Peak RSS is the child's maximum resident set (GNU time's %M). Short training (--epochs 2): sizes and
 * memory do not depend on the epochs.
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/outputSizes.mjs [--only wide|zips|zips-dp|zips-public] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, statSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'privsynth.js');

/** Park-Miller, seeded: the generated tables are the same on every run. */
function rng(seed) {
  let x = seed;
  return () => ((x = (x * 16807) % 2147483647) / 2147483647);
}

function wide(file, rows = 1000, cols = 500) {
  const r = rng(11);
  const names = Array.from({ length: cols }, (_, j) => (j % 2 ? `c${j}` : `x${j}`));
  const lines = [names.join(',')];
  for (let i = 0; i < rows; i++) {
    lines.push(names.map((_, j) => (j % 2 ? `v${Math.floor(r() * (2 + (j % 11)))}` : (r() * 100).toFixed(2))).join(','));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

function zips(file, schemaFile, rows = 20_000, levels = 10_000, publicZips = false) {
  const r = rng(23);
  const lines = ['zip,age,income,sex,visits'];
  for (let i = 0; i < rows; i++) {
    const z = i < levels ? i + 1 : 1 + Math.floor(r() * levels); // every level present at least once
    lines.push([`Z${String(z).padStart(5, '0')}`, 18 + Math.floor(r() * 70), (20000 + r() * 80000).toFixed(0), r() < 0.5 ? 'F' : 'M', Math.floor(r() * 10)].join(','));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  const cats = Array.from({ length: levels }, (_, k) => `Z${String(k + 1).padStart(5, '0')}`);
  writeFileSync(schemaFile, JSON.stringify({
    kind: 'privsynth.schema', version: 1, missingValues: [''], trim: true,
    columns: [
      { name: 'zip', type: 'categorical', action: 'keep', nullable: false, categories: cats, ...(publicZips ? { public: true } : {}) },
      { name: 'age', type: 'integer', action: 'keep', nullable: false, min: 18, max: 87 },
      { name: 'income', type: 'integer', action: 'keep', nullable: false, min: 20000, max: 100000 },
      { name: 'sex', type: 'categorical', action: 'keep', nullable: false, categories: ['F', 'M'] },
      { name: 'visits', type: 'integer', action: 'keep', nullable: false, min: 0, max: 9 },
    ],
  }));
}

function run(args) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  const lines = r.stderr.trim().split('\n');
  const maxKb = Number(lines[lines.length - 1]);
  if (r.status !== 0) throw new Error(`privsynth ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const verdicts = /verdicts: (.*)/.exec(r.stdout)?.[1] ?? '?';
  return { seconds: (performance.now() - t0) / 1000, peakMiB: maxKb / 1024, verdicts };
}

const MB = (b) => (b / 1e6).toFixed(2);
const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : null);
const only = arg('--only'); // wide | zips | zips-dp | zips-public
const keep = process.argv.includes('--keep');
const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-outsizes-'));

/** Run one case and print its sizes and peak. */
function measure(label, args, out) {
  const r = run([...args, '-o', out, '--epochs', '2', '-q']);
  const syn = statSync(path.join(out, 'synthetic.csv')).size;
  const rep = statSync(path.join(out, 'report.json')).size;
  const html = statSync(path.join(out, 'report.html')).size;
  console.log(`${label}: synthetic.csv ${MB(syn)} MB, report.json ${MB(rep)} MB (${(rep / syn).toFixed(2)}x the synthetic file), report.html ${MB(html)} MB; run (read, fit, sample, evaluate, report) ${r.seconds.toFixed(1)} s, peak RSS ${r.peakMiB.toFixed(0)} MiB; verdicts: ${r.verdicts}`);
}

try {
  if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time at /usr/bin/time for the peak RSS');
  console.log(`machine: ${cpus().length} x ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (!only || only === 'wide') {
    const wideCsv = path.join(dir, 'wide.csv');
    wide(wideCsv);
    measure('(a) 500 columns x 1,000 rows, --no-dp', ['run', wideCsv, '--no-dp'], path.join(dir, 'wide-out'));
  }
  const zipCsv = path.join(dir, 'zips.csv');
  const zipSchema = path.join(dir, 'zips.schema.json');
  if (!only || only.startsWith('zips')) zips(zipCsv, zipSchema);
  if (!only || only === 'zips') measure('(b) 20,000 rows, zip with 10,000 levels, --no-dp', ['run', zipCsv, '--schema', zipSchema, '--no-dp'], path.join(dir, 'zip-out'));
  if (!only || only === 'zips-dp') measure('(c) the same, DP epsilon 1 (categories selected privately)', ['run', zipCsv, '--schema', zipSchema], path.join(dir, 'zip-dp-out'));
  if (!only || only === 'zips-public') {
    const pubSchema = path.join(dir, 'zips-public.schema.json');
    zips(zipCsv, pubSchema, undefined, undefined, true);
    measure('(d) the same, DP epsilon 1, the 10,000 zips declared public (all kept)', ['run', zipCsv, '--schema', pubSchema], path.join(dir, 'zip-pub-out'));
  }
} finally {
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
