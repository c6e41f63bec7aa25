/**
 * Shared helpers for the benchmark scripts: flags, child-process measurements, machine description,
 * markdown formatting. Every measurement runs in its own Node child (benchmarks/lib/worker.mjs) so that
 * `process.resourceUsage().maxRSS` is the peak memory of that measurement alone.
 */
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = path.resolve(ROOT, '..', 'shared', 'datasets');
export const ADULT = {
  name: 'UCI Adult',
  train: path.join(SHARED, 'adult', 'train.csv'),
  holdout: path.join(SHARED, 'adult', 'holdout.csv'),
  target: 'income',
  split: 'the reference split in ../shared/datasets/adult (stratified 80/20, seed 42): 26,048 train / 6,513 holdout',
};
const WORKER = path.join(ROOT, 'benchmarks', 'lib', 'worker.mjs');

/**
 * The built library the benchmarks use: PRIVSYNTH_BENCH_DIST (a snapshot made by run.mjs, inherited by every
 * child) or ROOT/dist. Other engineers rebuild dist/ while a long run is going; a snapshot keeps one run on one
 * build.
 */
export const distDir = () => process.env.PRIVSYNTH_BENCH_DIST ?? path.join(ROOT, 'dist');
export const lib = (p) => import(pathToFileURL(path.join(distDir(), p)).href);

/**
 * Copies dist/ (and package.json, which dist/packageInfo.js reads) to benchmarks/.dist-snapshot-<pid>/ (inside the
 * repository so that node_modules still resolves), points PRIVSYNTH_BENCH_DIST at it, removes it at exit.
 */
export function snapshotDist() {
  const snap = path.join(ROOT, 'benchmarks', `.dist-snapshot-${process.pid}`);
  cpSync(path.join(ROOT, 'dist'), path.join(snap, 'dist'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(snap, 'package.json'));
  process.env.PRIVSYNTH_BENCH_DIST = path.join(snap, 'dist');
  const clean = () => rmSync(snap, { recursive: true, force: true });
  process.on('exit', clean);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
  return snap;
}

/** Reference figures from the issue (SDV TVAE and MST on the same 2-core machine, Adult train split). */
export const REFERENCE = {
  tvaeFitSeconds: 365,
  tvaeFitSecondsFtz: 133,
  tvaeSampleRowsPerSecond: 190_000,
  tvaePeakMiB: 456,
  sampleFloorRowsPerSecond: 500_000,
  tvaeQuality: { ks: 0.84, tv: 0.95, tstrAucLr: 0.887, trtrAucLr: 0.91 },
  mstEps1: { fitSeconds: 63, ks: 0.99, tv: 0.99, tstrAucLr: 0.81 },
};

export function parseFlags(argv = process.argv.slice(2)) {
  const get = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const reps = get('--reps');
  return {
    quick: argv.includes('--quick'),
    only: get('--only')?.split(',').map((s) => s.trim()).filter(Boolean),
    out: get('--out') ?? path.join('benchmarks', 'RESULTS.md'),
    reps: reps === undefined ? undefined : Number(reps),
    noBuild: argv.includes('--no-build'),
    argv,
  };
}

export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');

/** A scratch directory under the OS temp dir, removed at exit. */
export function scratchDir(label) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `privsynth-bench-${label}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs one measurement in a fresh Node process: `node benchmarks/lib/worker.mjs <task> <json params>`.
 * Resolves with the worker's result plus `peakMiB` (its maxRSS) and the 1-minute load average before/after.
 */
export function runTask(task, params = {}, { quiet = true } = {}) {
  const loadBefore = os.loadavg()[0];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, task, JSON.stringify(params)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      if (!quiet) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').filter((l) => l.startsWith('{"result"')).pop();
      if (code !== 0 || !line) {
        reject(new Error(`benchmark task ${task} ${JSON.stringify(params)} failed (exit ${code}):\n${err.split('\n').filter((l) => !l.includes('npm warn')).slice(-15).join('\n')}`));
        return;
      }
      const r = JSON.parse(line).result;
      resolve({ ...r, load1Before: loadBefore, load1After: os.loadavg()[0] });
    });
  });
}

/** Runs a task `reps` times (sequentially) and returns every result. */
export async function repeat(reps, task, paramsFor, log = progress) {
  const runs = [];
  for (let r = 0; r < reps; r++) {
    const params = typeof paramsFor === 'function' ? paramsFor(r) : paramsFor;
    const res = await runTask(task, params);
    log(`  ${task} run ${r + 1}/${reps}: ${JSON.stringify(short(res))}`);
    runs.push(res);
  }
  return runs;
}

function short(r) {
  const o = {};
  for (const [k, v] of Object.entries(r)) if (typeof v === 'number') o[k] = Number(v.toPrecision(4));
  return o;
}

export function progress(msg) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

export const f = (x, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : 'n/a');
export const int = (x) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
export const loadRange = (runs) => {
  const xs = runs.flatMap((r) => [r.load1Before, r.load1After]).filter((x) => typeof x === 'number');
  return xs.length ? `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}` : 'n/a';
};

export function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function gitInfo() {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return { head, dirtySrc: dirty ? dirty.split('\n').length : 0 };
  } catch {
    return { head: 'unknown (not a git checkout)', dirtySrc: 0 };
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((c) => c.model.trim()))].join(', ');
  return {
    cpus: `${cpus.length} x ${models}${cpus[0]?.speed ? ` (${cpus[0].speed} MHz)` : ''}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** Header lines for a standalone script's output. */
export function header(title, flags) {
  const m = machineInfo();
  const g = gitInfo();
  return [
    `### ${title}`,
    '',
    `- machine: ${m.cpus}, ${m.memory}, ${m.os}, Node ${m.node}; commit ${g.head}${g.dirtySrc ? ` (+${g.dirtySrc} uncommitted changes under src/)` : ''}`,
    `- mode: ${flags.quick ? 'quick' : 'full'}; load average (1/5/15 min) at start: ${load()}`,
  ].join('\n');
}

/** True when this module is the script node was started with. */
export function isMain(metaUrl) {
  return process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(metaUrl);
}

/** Writes a CSV file from a table of string cells (RFC 4180 quoting). */
export function writeCsv(file, t) {
  const q = (v) => (v === null || v === undefined ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const lines = [t.names.map(q).join(',')];
  for (let i = 0; i < t.rowCount; i++) lines.push(t.columns.map((c) => q(c[i])).join(','));
  writeFileSync(file, lines.join('\n') + '\n');
}

export const exists = existsSync;
