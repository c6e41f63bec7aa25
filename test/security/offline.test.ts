/**
 * The offline guarantee end to end: the built CLI fits and samples on the bundled CPS 1985 data in
 * a process that has no network at all (a fresh network namespace via `unshare`), and the CLI runs
 * with the network guard installed (`privsynth doctor --json` reports it).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CPS, ROOT } from '../helpers.js';

const BIN = path.join(ROOT, 'bin', 'privsynth.js');

/** `unshare -n` as root, `unshare -rn` (user namespace, mapped root) otherwise; or why it cannot run. */
function unshareArgs(): { args: string[]; skip: string } {
  if (process.platform !== 'linux') return { args: [], skip: `unshare needs Linux (this is ${process.platform})` };
  const flags = process.getuid?.() === 0 ? ['-n'] : ['-rn'];
  const probe = spawnSync('unshare', [...flags, 'true'], { encoding: 'utf8' });
  if (probe.error) return { args: [], skip: `unshare is not available (${(probe.error as NodeJS.ErrnoException).code})` };
  if (probe.status !== 0) return { args: [], skip: `unshare ${flags.join(' ')} is not permitted here: ${probe.stderr.trim().split('\n')[0]}` };
  return { args: flags, skip: '' };
}
const UNSHARE = unshareArgs();
if (UNSHARE.skip) console.warn(`offline.test: skipping the no-network end-to-end test: ${UNSHARE.skip}`);

function offline(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync('unshare', [...UNSHARE.args, process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe.skipIf(!!UNSHARE.skip)(`fit and sample with no network at all (unshare)${UNSHARE.skip ? ` [skipped: ${UNSHARE.skip}]` : ''}`, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'privsynth-offline-'));
  });

  it('the namespace really has no network (a plain TCP connect fails with ENETUNREACH, only loopback exists)', () => {
    const probe = `
      const net = require('node:net'); const os = require('node:os');
      const ifs = Object.keys(os.networkInterfaces());
      const s = net.connect(53, '1.1.1.1');
      s.on('error', (e) => { console.log(JSON.stringify({ code: e.code, ifs })); });
      s.on('connect', () => { console.log(JSON.stringify({ code: 'CONNECTED', ifs })); s.destroy(); });`;
    const r = offline('-e', probe);
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out.trim()) as { code: string; ifs: string[] };
    expect(res.code).toBe('ENETUNREACH');
    expect(res.ifs.filter((i) => i !== 'lo')).toEqual([]);
  });

  it('privsynth fit then sample succeed on the bundled CPS data', () => {
    const model = path.join(dir, 'model');
    const out = path.join(dir, 'syn.csv');
    const fit = offline(BIN, 'fit', CPS, '-o', model, '--epochs', '5', '--seed', '1', '-q');
    expect(fit.code, fit.err).toBe(0);
    expect(fit.err).not.toMatch(/E_NETWORK_BLOCKED|internal error/);
    expect(readdirSync(model).sort()).toEqual(['manifest.json', 'weights.bin']);
    const sample = offline(BIN, 'sample', model, '-n', '200', '-o', out, '--seed', '2', '-q');
    expect(sample.code, sample.err).toBe(0);
    expect(sample.err).not.toMatch(/E_NETWORK_BLOCKED|internal error/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(readFileSync(CPS, 'utf8').split(/\r?\n/)[0]);
    expect(lines).toHaveLength(201);
  });

  it('privsynth doctor works offline', () => {
    const r = offline(BIN, 'doctor', '--json');
    expect(r.code, r.err).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.networkGuard).toMatchObject({ installed: true, blockedCount: 0 });
    expect(rep.ok).toBe(true);
    // Every runtime that is installed also loads without a network (node-llama-cpp's native binding included).
    for (const c of rep.checks) expect(c.status, `${c.name}: ${c.detail}`).not.toBe('failed');
  });
});

describe('the CLI runs with the guard installed', () => {
  it('privsynth doctor --json: versions, backend, runtimes, guard on, node-llama-cpp reported gracefully', () => {
    const r = spawnSync(process.execPath, [BIN, 'doctor', '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.privsynth).toMatch(/^\d+\.\d+\.\d+/);
    expect(rep.node).toBe(process.version);
    expect(rep.networkGuard).toMatchObject({ installed: true, allowLoopback: false, blockedCount: 0 });
    expect(rep.networkGuard.patched).toContain('net.Socket.prototype.connect');
    const byName = Object.fromEntries(rep.checks.map((c: { name: string }) => [c.name, c]));
    expect(byName['tfjs backend']).toMatchObject({ status: 'ok' });
    expect(byName['DuckDB']).toMatchObject({ status: 'ok', version: expect.stringMatching(/^v\d/) });
    expect(['ok', 'missing', 'failed']).toContain(byName['onnxruntime-node'].status);
    // Every native dependency's telemetry is off (switched) or absent; none is left on.
    const tele = Object.fromEntries(rep.telemetry.map((t: { dependency: string }) => [t.dependency, t]));
    expect(tele['onnxruntime-node']).toMatchObject({ state: 'off', how: expect.stringContaining('ORT_DISABLE_TELEMETRY=1') });
    expect(tele['node-llama-cpp']).toMatchObject({ state: 'off' });
    expect(tele['DuckDB']).toMatchObject({ state: 'none' });
    const llama = byName['node-llama-cpp'];
    if (existsSync(path.join(ROOT, 'node_modules', 'node-llama-cpp'))) expect(llama).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d/) });
    else expect(llama).toMatchObject({ status: 'missing', detail: expect.stringMatching(/not installed/) });
  });

  it('privsynth doctor prints a readable report', () => {
    const r = spawnSync(process.execPath, [BIN, 'doctor'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^privsynth \d/);
    expect(r.stdout).toMatch(/tfjs backend\s+\w+/);
    expect(r.stdout).toMatch(/network guard\s+on since/);
    expect(r.stdout).toMatch(/onnxruntime-node\s+off: ORT_DISABLE_TELEMETRY=1/);
  });

  it('after start-up, a network attempt in the CLI process fails with E_NETWORK_BLOCKED', () => {
    const script = `
      const { main } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'cli', 'main.js'))});
      await main(['node', 'privsynth', '--version']);
      const got = [];
      try { await fetch('http://example.com'); got.push('fetched'); } catch (e) { got.push(e.code); }
      try { require('node:net').connect(80, '1.2.3.4'); got.push('connected'); } catch (e) { got.push(e.code); }
      console.error(JSON.stringify(got));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${script}`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stderr.trim().split('\n').at(-1)!)).toEqual(['E_NETWORK_BLOCKED', 'E_NETWORK_BLOCKED']);
  });
});
