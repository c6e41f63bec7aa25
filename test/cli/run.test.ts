/** privsynth run: the main job, as the README's first command runs it. */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CPS, ROOT } from '../helpers.js';

const BIN = path.join(ROOT, 'bin', 'privsynth.js');
const SCHEMA = path.join(ROOT, 'datasets', 'cps-1985.schema.json');
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-run-'));
/** report.json without its timestamps and timings (createdAt, timings, seconds), which legitimately differ between runs. */
const stable = (f: string) =>
  JSON.stringify(JSON.parse(readFileSync(f, 'utf8')), (k, v) => (k === 'createdAt' || k === 'timings' || k === 'seconds' || k === 'durationMs' ? undefined : v));

describe('privsynth run', () => {
  it('writes model, synthetic data and both reports, DP by default, and is byte-identical for a seed', () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    for (const o of [a, b]) {
      const r = cli('run', CPS, '--schema', SCHEMA, '--target', 'union', '-o', o, '--seed', '7', '-q', '--json');
      expect(r.code, r.err).toBe(0);
      const summary = JSON.parse(r.out);
      expect(summary.privacy.differentiallyPrivate).toBe(true);
      expect(summary.privacy.epsilon).toBeLessThanOrEqual(1);
      expect(summary.rows).toMatchObject({ total: 534, train: 427, holdout: 107, synthetic: 427 });
    }
    expect(readdirSync(a).sort()).toEqual(['model', 'report.html', 'report.json', 'synthetic.csv']);
    expect(readFileSync(path.join(a, 'synthetic.csv'), 'utf8')).toBe(readFileSync(path.join(b, 'synthetic.csv'), 'utf8'));
    expect(stable(path.join(a, 'report.json'))).toBe(stable(path.join(b, 'report.json')));
    const html = readFileSync(path.join(a, 'report.html'), 'utf8');
    expect(html).toContain('Differentially private');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('--no-dp is marked NOT differentially private; --fail-on exits 3 on a failed verdict and still writes the report', () => {
    const o = path.join(dir, 'nodp');
    // a target makes ml_utility run; fidelity on 534 rows with 3 epochs fails its detection criterion
    const r = cli('run', CPS, '--no-dp', '--epochs', '3', '--target', 'union', '-o', o, '--fail-on', 'fidelity', '-q', '--json');
    const summary = JSON.parse(r.out);
    expect(summary.privacy.differentiallyPrivate).toBe(false);
    expect(readFileSync(path.join(o, 'report.html'), 'utf8')).toContain('NOT differentially private');
    if (summary.verdicts.fidelity.verdict === 'fail') {
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/verdict "fail" for fidelity/);
    } else expect(r.code).toBe(0);
    expect(existsSync(path.join(o, 'report.json'))).toBe(true);
  });

  it('refuses an existing output directory and contradictory flags', () => {
    const o = path.join(dir, 'a');
    const r = cli('run', CPS, '-o', o);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already exists and is not empty[\s\S]*--force/);
    expect(cli('run', CPS, '-o', path.join(dir, 'c'), '--no-dp', '--epsilon', '1').code).toBe(2);
    expect(cli('run', CPS, '-o', path.join(dir, 'c'), '--fail-on', 'vibes').code).toBe(2);
  });

  it('an interrupted run leaves no output and no temporary files', async () => {
    const o = path.join(dir, 'interrupted');
    const child = spawn(process.execPath, [BIN, 'run', CPS, '--no-dp', '--epochs', '3000', '-o', o], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Interrupt once training is under way (its progress line says so), not after a fixed delay:
    // on a loaded machine start-up alone can take longer than any delay we would pick.
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/training epoch \d+/.test(err)) resolve();
      });
      child.on('exit', (c) => reject(new Error(`run exited (${c}) before training started: ${err}`)));
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(existsSync(o)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.interrupted'))).toEqual([]);
  });
});
