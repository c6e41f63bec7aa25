#!/usr/bin/env node
/**
 * The benchmark harness (`npm run bench`): builds the library, runs the benchmark scripts in order, prints
 * markdown and appends a dated section (machine, Node, commit, the exact command, load average) to
 * benchmarks/RESULTS.md.
 *
 *   npm run bench [-- --quick] [-- --only train,sample,evaluate,scale,quality,synthesizers] [-- --out FILE.md] [-- --reps N] [-- --no-build]
 *
 * Each script is also runnable alone: node benchmarks/<name>.mjs [--quick]. Every measurement runs in its own
 * child process (peak memory = that process's maxRSS); timing figures are medians over repeated runs with
 * fixed seeds. --quick is meant to finish in under 5 minutes.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SHARED, gitInfo, load, machineInfo, parseFlags, progress, snapshotDist } from './lib/common.mjs';

const SCRIPTS = {
  train: { title: 'Training', file: './train.mjs' },
  sample: { title: 'Sampling', file: './sample.mjs' },
  evaluate: { title: 'Evaluation', file: './evaluate.mjs' },
  scale: { title: 'Scale (flights-3m)', file: './scale.mjs' },
  quality: { title: 'Quality', file: './quality.mjs' },
  synthesizers: { title: 'Synthesizers side by side: dp-vae, mst, independent marginals (small tables and Adult)', file: './synthesizers.mjs' },
};

const flags = parseFlags();
const names = flags.only ?? Object.keys(SCRIPTS);
for (const n of names) if (!SCRIPTS[n]) {
  console.error(`unknown benchmark "${n}"; known: ${Object.keys(SCRIPTS).join(', ')}`);
  process.exit(2);
}
if (!existsSync(path.join(SHARED, 'adult', 'train.csv'))) {
  progress(`WARNING: ${SHARED} is absent (the real datasets sit next to the repository, in ../shared/datasets); the benchmarks on UCI Adult and Bank Marketing will report FAILED. Clone the repository next to shared/ to run them.`);
}
const command = `node benchmarks/run.mjs${flags.argv.length ? ' ' + flags.argv.join(' ') : ''}`;
const t0 = performance.now();

if (!flags.noBuild) {
  progress('building dist/ (npx tsc -p tsconfig.build.json)');
  const r = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error('the build failed; fix it or pass --no-build to benchmark the existing dist/');
    process.exit(1);
  }
}

// One run, one build: later rebuilds of dist/ by others do not leak into this run.
const g = gitInfo();
snapshotDist();
const m = machineInfo();
const loadStart = load();
const sections = [];
for (const n of names) {
  const s = SCRIPTS[n];
  progress(`${n}: start (load average ${load()})`);
  const ts = performance.now();
  let body;
  try {
    const mod = await import(s.file);
    body = await mod.bench(flags);
  } catch (e) {
    body = `FAILED: ${e.message.split('\n').slice(0, 12).join('\n')}`;
  }
  const secs = (performance.now() - ts) / 1000;
  sections.push(`### ${s.title}\n\n${body}\n\n_(${secs.toFixed(0)} s; load average at the end ${load()})_`);
  progress(`${n}: done in ${secs.toFixed(0)} s`);
}
const total = (performance.now() - t0) / 1000;
const md = [
  `## ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC: ${flags.quick ? 'quick' : 'full'} run (${names.join(', ')})`,
  '',
  `- command: \`${command}\` (in ${ROOT === process.cwd() ? 'the repository root' : ROOT})`,
  `- machine: ${m.cpus}; ${m.memory} RAM; ${m.os}; ${os.hostname() ? 'host ' + os.hostname() + '; ' : ''}Node ${m.node}`,
  `- commit: ${g.head}${g.dirtySrc ? ` (+${g.dirtySrc} uncommitted changes under src/)` : ''}; dist/ ${flags.noBuild ? 'as found (--no-build)' : 'built from the working tree'} and snapshotted at the start, so the whole run uses one build`,
  `- load average (1/5/15 min) at start: ${loadStart}; at end: ${load()}. The machine is shared with other jobs, so timings carry that load; each table gives the 1-minute load average during its runs.`,
  `- total time: ${total.toFixed(0)} s`,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n');
console.log(md);
const out = path.resolve(ROOT, flags.out);
if (!existsSync(out)) writeFileSync(out, '# Benchmark results\n\nAppended by `npm run bench` (benchmarks/run.mjs); newest last. Older sections are kept as they were.\n\n');
// start on a fresh paragraph even if the file does not end with a blank line (never touch what is there)
const tail = readFileSync(out, 'utf8').slice(-2);
appendFileSync(out, (tail === '\n\n' ? '' : tail.endsWith('\n') ? '\n' : '\n\n') + md + '\n');
progress(`appended to ${path.relative(ROOT, out)}`);
