/**
 * `privsynth doctor`: what this installation can use, checked here and now, offline.
 *
 * Each optional runtime is loaded lazily in a try/catch, so a missing or broken one is reported,
 * never fatal. `--json` prints the same facts as one JSON document. The command exits 1 only when
 * a required part (the tfjs backend, DuckDB) does not work.
 */
import path from 'node:path';
import { Command } from 'commander';
import { InternalError } from '../errors.js';
import { PRIVSYNTH_VERSION } from '../packageInfo.js';
import { networkGuardState, type NetworkGuardState } from '../security/networkGuard.js';
import { disableNativeTelemetry, nativeTelemetryState, type TelemetryState } from '../security/nativeTelemetry.js';
import * as msg from '../messages.js';

export type CheckStatus = 'ok' | 'missing' | 'failed';

export interface DoctorCheck {
  name: string;
  required: boolean;
  status: CheckStatus;
  /** A version or backend name when the check worked. */
  version?: string;
  detail?: string;
}

export interface DoctorReport {
  privsynth: string;
  node: string;
  platform: string;
  checks: DoctorCheck[];
  networkGuard: NetworkGuardState;
  /** Each native dependency's telemetry and download switches, and whether they are in force. */
  telemetry: DoctorTelemetry[];
  ok: boolean;
}

export interface DoctorTelemetry {
  dependency: string;
  /** 'off': switched off here; 'none': the dependency has none (checked, see nativeTelemetry.ts); 'ON': a switch is not in force. */
  state: 'off' | 'none' | 'ON';
  how: string;
}

/** Static facts for the dependencies without a switch (see the table in security/nativeTelemetry.ts). */
const NO_TELEMETRY: readonly DoctorTelemetry[] = [
  { dependency: 'DuckDB', state: 'none', how: 'no telemetry; extension autoinstall, autoload and community extensions off (io/duckdb.ts)' },
  { dependency: '@tensorflow/tfjs-node', state: 'none', how: 'no telemetry (libtensorflow is fetched at install time only)' },
];

function telemetryReport(states: TelemetryState[]): DoctorTelemetry[] {
  return [
    ...states.map((s): DoctorTelemetry => ({ dependency: s.dependency, state: s.off ? 'off' : 'ON', how: `${s.variable}=${s.value}: ${s.stops}` })),
    ...NO_TELEMETRY,
  ];
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

function isNotInstalled(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

async function checkTfjs(): Promise<DoctorCheck> {
  try {
    const { loadBackend } = await import('../nn/backend.js');
    const b = await loadBackend();
    return { name: 'tfjs backend', required: true, status: 'ok', version: `${b.name} (tfjs ${b.tf.version.tfjs})`, detail: b.notes.length ? `not used: ${b.notes.join('; ')}` : undefined };
  } catch (e) {
    return { name: 'tfjs backend', required: true, status: 'failed', detail: firstLine(e) };
  }
}

async function checkOnnx(): Promise<DoctorCheck> {
  try {
    disableNativeTelemetry();
    const ort = (await import('onnxruntime-node')) as { env?: { versions?: { node?: string } } };
    return { name: 'onnxruntime-node', required: false, status: 'ok', version: ort.env?.versions?.node };
  } catch (e) {
    return { name: 'onnxruntime-node', required: false, status: isNotInstalled(e) ? 'missing' : 'failed', detail: isNotInstalled(e) ? 'not installed' : firstLine(e) };
  }
}

async function checkDuckdb(): Promise<DoctorCheck> {
  try {
    const { duckdb } = await import('../io/duckdb.js');
    const con = await duckdb();
    const r = await con.runAndReadAll('SELECT version()');
    return { name: 'DuckDB', required: true, status: 'ok', version: String(r.getRows()[0]?.[0]) };
  } catch (e) {
    return { name: 'DuckDB', required: true, status: 'failed', detail: firstLine(e) };
  }
}

async function checkLlama(): Promise<DoctorCheck> {
  // A variable specifier: the package is optional and not a dependency, so neither TypeScript nor
  // a bundler should try to resolve it.
  const mod = 'node-llama-cpp';
  try {
    const m = (await import(mod)) as { getLlama?: (o: object) => Promise<{ dispose(): Promise<void> }> };
    const version = await packageVersion(mod);
    // Load the native binding too (CPU, prebuilt only: building would need a compiler and a download).
    try {
      disableNativeTelemetry();
      const llama = await m.getLlama!({ gpu: false, build: 'never', usePrebuiltBinaries: true, skipDownload: true, progressLogs: false, logLevel: 'error' });
      await llama.dispose();
    } catch (e) {
      return { name: 'node-llama-cpp', required: false, status: 'failed', version, detail: `installed, but its native binding does not load: ${firstLine(e)}` };
    }
    return { name: 'node-llama-cpp', required: false, status: 'ok', version, detail: 'native binding loads (CPU)' };
  } catch (e) {
    return { name: 'node-llama-cpp', required: false, status: isNotInstalled(e) ? 'missing' : 'failed', detail: isNotInstalled(e) ? 'not installed (text columns need it)' : firstLine(e) };
  }
}

/** The version of an installed package whose exports hide its package.json: walk up from its entry. */
async function packageVersion(name: string): Promise<string | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    let d = path.dirname(fileURLToPath(import.meta.resolve(name)));
    for (let i = 0; i < 8; i++, d = path.dirname(d)) {
      try {
        const pkg = JSON.parse(await readFile(path.join(d, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version;
      } catch {
        /* keep walking up */
      }
    }
  } catch {
    /* unknown */
  }
  return undefined;
}

/** Gather the report (library-style: no printing). */
export async function doctorReport(): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  for (const check of [checkTfjs, checkOnnx, checkDuckdb, checkLlama]) checks.push(await check());
  return {
    privsynth: PRIVSYNTH_VERSION,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    checks,
    networkGuard: networkGuardState(),
    telemetry: telemetryReport(nativeTelemetryState()),
    ok: checks.every((c) => !c.required || c.status === 'ok') && nativeTelemetryState().every((t) => t.off),
  };
}

export function formatDoctorReport(r: DoctorReport): string {
  const lines = [`privsynth ${r.privsynth}`, `node      ${r.node}`, `platform  ${r.platform}`];
  const w = Math.max('network guard'.length, ...r.checks.map((c) => c.name.length));
  for (const c of r.checks) {
    const mark = c.status === 'ok' ? 'ok  ' : c.required ? 'FAIL' : '--  ';
    const what = c.status === 'ok' ? (c.version ?? 'loads') : (c.detail ?? c.status);
    lines.push(`${mark}  ${c.name.padEnd(w)}  ${what}${c.status === 'ok' && c.detail ? `  (${c.detail})` : ''}`);
  }
  const g = r.networkGuard;
  lines.push(
    g.installed
      ? `ok    ${'network guard'.padEnd(w)}  on since ${g.installedAt}${g.allowLoopback ? ' (loopback allowed)' : ''}; ${g.patched.length} entry points patched; ${g.blockedCount} attempt(s) blocked`
      : `--    ${'network guard'.padEnd(w)}  off (the CLI installs it; library callers opt in with installNetworkGuard())`,
  );
  for (const a of g.recent) lines.push(`      blocked: ${a.api} -> ${a.target}`);
  const tw = Math.max(...r.telemetry.map((t) => t.dependency.length));
  lines.push('telemetry of native dependencies:');
  for (const t of r.telemetry) lines.push(`${t.state === 'ON' ? 'FAIL' : 'ok  '}  ${t.dependency.padEnd(tw)}  ${t.state === 'none' ? 'none' : t.state}: ${t.how}`);
  return lines.join('\n') + '\n';
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check this installation: versions, numeric backend, optional runtimes, network guard')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await doctorReport();
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : formatDoctorReport(r));
      const failed = r.checks.filter((c) => c.required && c.status !== 'ok');
      if (failed.length) throw new InternalError(msg.doctorRequiredFailed(failed.map((c) => `${c.name} (${c.detail})`)));
      const on = r.telemetry.filter((t) => t.state === 'ON');
      if (on.length) throw new InternalError(msg.doctorTelemetryOn(on.map((t) => t.dependency)));
    });
}
