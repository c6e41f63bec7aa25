/** sample --condition / --rebalance and schema constraints through the built CLI, on the bundled CPS data. */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CPS, ROOT } from '../helpers.js';
import { readTable } from '../../src/io/readTable.js';

const BIN = path.join(ROOT, 'bin', 'privsynth.js');
const cliEnv = (env: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
};
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-sampling-'));
const model = path.join(dir, 'model');
const col = async (f: string, c: string) => {
  const t = await readTable(f);
  return t.columns[t.names.indexOf(c)]!;
};

beforeAll(() => {
  // a schema constraint: years of experience never exceed age (true for every real row)
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'datasets', 'cps-1985.schema.json'), 'utf8'));
  schema.constraints = [{ kind: 'inequality', left: 'experience', op: '<', right: 'age' }];
  const sf = path.join(dir, 'schema.json');
  writeFileSync(sf, JSON.stringify(schema));
  const r = cli('fit', CPS, '--schema', sf, '--no-dp', '--epochs', '60', '-o', model, '-q');
  if (r.code !== 0) throw new Error(r.err);
}, 120_000);

describe('plain and calibrated sampling (the fast path)', () => {
  // no schema constraints here (they take the table path): the bundled schema without its constraints
  const model = path.join(dir, 'model-plain');
  beforeAll(() => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'datasets', 'cps-1985.schema.json'), 'utf8'));
    delete schema.constraints;
    const sf = path.join(dir, 'schema-plain.json');
    writeFileSync(sf, JSON.stringify(schema));
    const r = cli('fit', CPS, '--schema', sf, '--no-dp', '--epochs', '30', '-o', model, '-q');
    if (r.code !== 0) throw new Error(r.err);
  }, 120_000);

  it('gives byte-identical files with 1, 2 and 3 worker threads and other batch schedules; JSONL and Parquet hold the same rows', async () => {
    const files: string[] = [];
    for (const workers of ['1', '2', '3']) {
      const out = path.join(dir, `w${workers}.csv`);
      const r = cliEnv({ PRIVSYNTH_SAMPLE_WORKERS: workers }, 'sample', model, '-n', '105000', '-o', out, '--seed', '4', '-q');
      expect(r.code, r.err).toBe(0);
      if (workers !== '1') expect(r.out).toContain(`${workers} threads`);
      files.push(readFileSync(out, 'utf8'));
    }
    expect(files[1]).toBe(files[0]);
    expect(files[2]).toBe(files[0]);
    expect(files[0]!.split('\n').length).toBe(105002); // header, rows, final newline
    const other = path.join(dir, 'seed5.csv');
    expect(cli('sample', model, '-n', '105000', '-o', other, '--seed', '5', '-q').code).toBe(0);
    expect(readFileSync(other, 'utf8')).not.toBe(files[0]);
    const csv = await readTable(path.join(dir, 'w1.csv'));
    for (const ext of ['jsonl', 'parquet']) {
      const out = path.join(dir, `w.${ext}`);
      const r = cliEnv({ PRIVSYNTH_SAMPLE_WORKERS: '2' }, 'sample', model, '-n', '105000', '-o', out, '--seed', '4', '-q');
      expect(r.code, r.err).toBe(0);
      const t = await readTable(out);
      expect(t.rowCount).toBe(105000);
      for (const name of ['occupation', 'race', 'age']) {
        const a = csv.columns[csv.names.indexOf(name)]!.slice(0, 200).map(String);
        expect(t.columns[t.names.indexOf(name)]!.slice(0, 200).map(String), `${ext} ${name}`).toEqual(a);
      }
    }
  });
});

describe('controlled sampling', () => {
  it('--condition returns exactly n rows meeting every condition', async () => {
    const out = path.join(dir, 'cond.csv');
    const r = cli('sample', model, '-n', '1500', '-o', out, '--condition', 'race=hispanic', '--condition', 'sector=construction', '-q');
    expect(r.code, r.err).toBe(0);
    const race = await col(out, 'race');
    const sector = await col(out, 'sector');
    expect(race).toHaveLength(1500);
    expect(new Set(race)).toEqual(new Set(['hispanic']));
    expect(new Set(sector)).toEqual(new Set(['construction']));
  });

  it('--rebalance gives the asked shares within 3 standard errors', async () => {
    const out = path.join(dir, 'rebal.csv');
    const n = 4000;
    const r = cli('sample', model, '-n', String(n), '-o', out, '--rebalance', 'occupation=uniform', '-q');
    expect(r.code, r.err).toBe(0);
    const occ = await col(out, 'occupation');
    const counts = new Map<string, number>();
    for (const v of occ) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    expect(counts.size).toBe(6);
    const p = 1 / 6;
    const se = Math.sqrt((p * (1 - p)) / n);
    for (const c of counts.values()) expect(Math.abs(c / n - p)).toBeLessThanOrEqual(3 * se);
    expect(r.err).toMatch(/group shares of "occupation" in the output/);
  });

  it('an impossible or unseen condition is a clear error, with nothing written', () => {
    const out = path.join(dir, 'bad.csv');
    const r = cli('sample', model, '-n', '10', '-o', out, '--condition', 'race=martian', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/race[\s\S]*martian[\s\S]*known values/);
    expect(cli('sample', model, '-n', '10', '-o', out, '--condition', 'no_such_column=1', '-q').code).toBe(2);
    expect(cli('sample', model, '-n', '10', '-o', out, '--rebalance', 'race:white=x', '-q').code).toBe(2);
  });

  it('schema constraints are never violated in 10,000 sampled rows', async () => {
    const out = path.join(dir, 'constrained.csv');
    const r = cli('sample', model, '-n', '10000', '-o', out, '-q');
    expect(r.code, r.err).toBe(0);
    const exp = await col(out, 'experience');
    const age = await col(out, 'age');
    let bad = 0;
    for (let i = 0; i < exp.length; i++) if (!(Number(exp[i]) < Number(age[i]))) bad++;
    expect(exp).toHaveLength(10000);
    expect(bad).toBe(0);
  });
});
