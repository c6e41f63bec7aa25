/**
 * The synthesizer registry through the built CLI: `fit --synthesizer mst` → `sample` → `info` on the CPS
 * data, `run --synthesizer mst`, independent-marginals, and the refusals (unknown name, mst without a
 * budget, the unstorable gaussian-copula, dp-vae-only sampling options): exit code 2, nothing written.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CPS, ROOT, cli } from '../helpers.js';
import { readTable } from '../../src/io/readTable.js';
import { synthesizerFor, synthesizerNames } from '../../src/synthesizers/registry.js';
import { InputError } from '../../src/errors.js';

const SCHEMA = path.join(ROOT, 'datasets', 'cps-1985.schema.json');

let dir: string;
let model: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'privsynth-synth-'));
  model = path.join(dir, 'mst');
  const r = cli('fit', CPS, '--schema', SCHEMA, '-o', model, '--synthesizer', 'mst', '--epsilon', '1', '--seed', '1', '-q');
  if (r.code !== 0) throw new Error(`fit failed: ${r.err}`);
}, 60_000);

describe('the registry', () => {
  it('has explicit named entries and refuses an unknown name listing them (exit code 2)', () => {
    expect(synthesizerNames()).toEqual(['dp-vae', 'mst', 'independent-marginals', 'gaussian-copula']);
    let err: unknown;
    try {
      synthesizerFor('ctgan');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/unknown synthesizer "ctgan"; known: dp-vae, mst, independent-marginals, gaussian-copula/);
  });
});

describe('fit --synthesizer mst on CPS 1985', () => {
  it('writes a manifest naming mst, its state, and a ledger within epsilon 1; no weights', () => {
    expect(readdirSync(model).sort()).toEqual(['manifest.json', 'weights.bin']);
    const m = JSON.parse(readFileSync(path.join(model, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ kind: 'privsynth.model', version: 1, synthesizer: 'mst', model: { kind: 'privsynth.mst', version: 1 }, privacy: { differentiallyPrivate: true } });
    expect(m.privacy.total.epsilon).toBeLessThanOrEqual(1);
    expect(m.privacy.total.epsilon).toBeGreaterThan(0.999);
    expect(m.weights.bytes).toBe(0);
    expect(m.training).toBeUndefined(); // no exact row count anywhere
    expect(m.model.edges).toHaveLength(10);
  });

  it('samples rows in the input column order with in-domain values, deterministically', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    expect(cli('sample', model, '-n', '2500', '-o', a, '--seed', '4', '-q').code).toBe(0);
    expect(cli('sample', model, '-n', '2500', '-o', b, '--seed', '4', '-q').code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const real = await readTable(CPS);
    const syn = await readTable(a);
    expect(syn.rowCount).toBe(2500);
    expect(syn.names).toEqual(real.names);
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as { columns: { name: string; type: string; categories?: string[]; min?: number; max?: number }[] };
    for (const c of schema.columns) {
      const col = syn.columns[syn.names.indexOf(c.name)]!;
      if (c.categories) for (const v of col) expect(c.categories, c.name).toContain(v);
      else for (const v of col) {
        expect(Number(v), c.name).toBeGreaterThanOrEqual(c.min!);
        expect(Number(v), c.name).toBeLessThanOrEqual(c.max!);
      }
    }
  });

  it('info describes the tree and the ledger; info --json names the synthesizer', () => {
    const r = cli('info', model);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/privsynth model \(format v1, privsynth [^,]+, mst\)/);
    expect(r.out).toMatch(/^tree: /m);
    expect(r.out).toMatch(/mst:select:10 +zcdp/);
    expect(r.out).toMatch(/privacy: differentially private, epsilon 1\b/);
    const j = JSON.parse(cli('info', model, '--json').out);
    expect(j.synthesizer).toBe('mst');
    expect(j.privacy.total.entries.filter((e: { label: string }) => e.label.startsWith('mst:two-way:'))).toHaveLength(10);
  });

  it('refuses dp-vae-only sampling options (exit 2, no output)', () => {
    const out = path.join(dir, 'cond.csv');
    const r = cli('sample', model, '-n', '10', '-o', out, '--condition', 'gender=female');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--condition: the mst synthesizer does not support this option/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('refusals', () => {
  it('an unknown --synthesizer: exit 2 listing the known ones, before reading the data, nothing written', () => {
    const out = path.join(dir, 'unknown');
    const r = cli('fit', CPS, '-o', out, '--synthesizer', 'ctgan', '--epsilon', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown synthesizer "ctgan"; known: dp-vae, mst, independent-marginals, gaussian-copula/);
    expect(existsSync(out)).toBe(false);
  });

  it('fit --target naming no kept column: exit 2 naming the file and column, the kept columns as the hint, nothing written', () => {
    const out = path.join(dir, 'badtarget');
    const r = cli('fit', CPS, '--schema', SCHEMA, '-o', out, '--epsilon', '1', '--target', 'unions');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--target "unions" is not a kept column of the data/);
    expect(r.err).toMatch(/file .*data\.csv, column "unions"/);
    expect(r.err).toMatch(/choose one of: education, south, gender, experience, union, wage/);
    expect(existsSync(out)).toBe(false);
  });

  it('mst without --epsilon: exit 2, it needs a budget', () => {
    const out = path.join(dir, 'nodp');
    const r = cli('fit', CPS, '-o', out, '--synthesizer', 'mst');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/mst synthesizer is differentially private by construction and needs a budget/);
    expect(existsSync(out)).toBe(false);
  });

  it('gaussian-copula cannot be saved: exit 2', () => {
    const out = path.join(dir, 'copula');
    const r = cli('fit', CPS, '-o', out, '--synthesizer', 'gaussian-copula', '--no-dp');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot be saved/);
    expect(existsSync(out)).toBe(false);
  });

  it('fit --help lists every synthesizer', () => {
    const r = cli('fit', '--help');
    for (const n of synthesizerNames()) expect(r.out).toContain(`${n}: `);
  });
});

describe('other synthesizers', () => {
  it('independent-marginals under DP: fit, sample, info', async () => {
    const m = path.join(dir, 'ind');
    expect(cli('fit', CPS, '--schema', SCHEMA, '-o', m, '--synthesizer', 'independent-marginals', '--epsilon', '1', '-q').code).toBe(0);
    const out = path.join(dir, 'ind.csv');
    const r = cli('sample', m, '-n', '100', '-o', out, '-q');
    expect(r.code, r.err).toBe(0);
    expect((await readTable(out)).names).toEqual((await readTable(CPS)).names);
    const info = cli('info', m);
    expect(info.out).toMatch(/independent marginals: 11 columns/);
    expect(info.out).toMatch(/privacy: differentially private, epsilon 1\b/);
  });

  it('run --synthesizer mst: model, synthetic data and report, DP at epsilon 1', () => {
    const out = path.join(dir, 'run');
    const r = cli('run', CPS, '--schema', SCHEMA, '-o', out, '--synthesizer', 'mst', '--target', 'union', '--json', '-q');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.privacy.differentiallyPrivate).toBe(true);
    expect(j.privacy.epsilon).toBeLessThanOrEqual(1);
    expect(j.privacy.epsilon).toBeGreaterThan(0.999);
    expect(JSON.parse(readFileSync(path.join(out, 'model', 'manifest.json'), 'utf8')).synthesizer).toBe('mst');
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
  }, 120_000);
});

describe('schema constraints for every synthesizer', () => {
  it('mst samples honour the bundled CPS schema constraints: age = education + experience + 6, age within 16..70', async () => {
    const out = path.join(dir, 'mst-constrained.csv');
    const r = cli('sample', model, '-n', '3000', '-o', out, '--seed', '9', '-q');
    expect(r.code, r.err).toBe(0);
    const t = await readTable(out);
    const c = (name: string) => t.columns[t.names.indexOf(name)]!.map(Number);
    const [age, edu, exp] = [c('age'), c('education'), c('experience')];
    expect(t.rowCount).toBe(3000);
    for (let i = 0; i < t.rowCount; i++) {
      expect(age[i]).toBe(edu[i]! + exp[i]! + 6);
      expect(age[i]).toBeGreaterThanOrEqual(16);
      expect(age[i]).toBeLessThanOrEqual(70);
    }
  });
});
