import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluateCommand } from '../../src/cli/evaluateCommand.js';
import type { Table } from '../../src/table/Table.js';
import { population } from '../fixtures/population.js';

function toCsv(t: Table): string {
  const lines = [t.names.join(',')];
  for (let i = 0; i < t.rowCount; i++) lines.push(t.columns.map((c) => (c[i] === null ? '' : String(c[i]))).join(','));
  return lines.join('\n') + '\n';
}

describe('privsynth evaluate (command)', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'privsynth-eval-'));
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads CSVs, infers the schema, prints a summary and writes the report atomically', async () => {
    for (const [name, seed] of [['train', 1], ['holdout', 2], ['syn', 3]] as const) {
      const t = population(150, seed);
      // The datetime column as ISO dates, as a CSV would hold it.
      const j = t.names.indexOf('joined');
      const cols = t.columns.map((c, k) => (k === j ? c.map((v) => new Date(v as number).toISOString().slice(0, 10)) : c));
      writeFileSync(path.join(dir, `${name}.csv`), toCsv({ ...t, columns: cols }));
    }
    const report = path.join(dir, 'report.json');
    await evaluateCommand()
      .exitOverride()
      .parseAsync(['--train', `${dir}/train.csv`, '--holdout', `${dir}/holdout.csv`, '--synthetic', `${dir}/syn.csv`, '--target', 'member', '-o', report, '--seed', '4', '-q'], { from: 'user' });
    const r = JSON.parse(readFileSync(report, 'utf8'));
    expect(r.kind).toBe('privsynth.evaluation');
    expect(r.seed).toBe(4);
    expect(r.target).toBe('member');
    expect(out).toMatch(/privacy\s+(PASS|WARN|FAIL)/);
    expect(out).toContain('dcr_share');
    expect(out).toContain(`report written to ${report}`);

    out = '';
    await evaluateCommand()
      .exitOverride()
      .parseAsync(['--train', `${dir}/train.csv`, '--holdout', `${dir}/holdout.csv`, '--synthetic', `${dir}/syn.csv`, '--json', '-q'], { from: 'user' });
    expect(JSON.parse(out).version).toBe(1);
  }, 60_000);
});
