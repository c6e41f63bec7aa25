import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = path.resolve(ROOT, '..', 'shared', 'datasets');
export const HAS_SHARED = existsSync(path.join(SHARED, 'adult', 'adult.csv'));
/** Reason shown when a test needs ../shared (absent on a user's fresh clone; CI always has it). */
export const SHARED_SKIP = HAS_SHARED ? '' : '../shared/datasets is absent (a fresh clone without the shared data)';
export const CPS = path.join(ROOT, 'node_modules', '@stdlib', 'datasets-berndt-cps-wages-1985', 'data', 'data.csv');

/** The CLI entry (runs dist/: build first). */
export const BIN = path.join(ROOT, 'bin', 'privsynth.js');

/** Runs the CLI with CI=1 (no progress bars), at most 2 minutes; exit code, stdout, stderr and wall time. */
export function cli(...args: string[]): { code: number; out: string; err: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr, ms: performance.now() - t0 };
}
