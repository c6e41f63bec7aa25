/** sample/run --llm-model through the built CLI, on a real table with a free-text column. */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, SHARED, HAS_SHARED, SHARED_SKIP } from '../helpers.js';
import { readTable } from '../../src/io/readTable.js';

const BIN = path.join(ROOT, 'bin', 'privsynth.js');
const MODEL = path.resolve(SHARED, '..', 'models', 'stories260K.gguf');
const HAS_MODEL = existsSync(MODEL);
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
};

describe.skipIf(!HAS_SHARED || !HAS_MODEL)(`text columns written by a local LLM ${SHARED_SKIP || (HAS_MODEL ? '' : '(../shared/models/stories260K.gguf is absent)')}`, () => {
  let dir: string;
  let data: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'privsynth-llm-'));
    // 200 real rows of the UCI drug reviews (structured columns + one free-text column)
    const real = readFileSync(path.join(SHARED, 'drug-reviews.csv'), 'utf8');
    data = path.join(dir, 'reviews.csv');
    return (async () => {
      const t = await readTable(path.join(SHARED, 'drug-reviews.csv'));
      const cols = ['rating', 'effectiveness', 'sideEffects', 'commentsReview'];
      const q = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
      const lines = [cols.join(',')];
      for (let i = 0; i < 200; i++) lines.push(cols.map((c) => q(t.columns[t.names.indexOf(c)]![i])).join(','));
      writeFileSync(data, lines.join('\n') + '\n');
      expect(real.length).toBeGreaterThan(0);
    })();
  });

  it('sample --llm-model fills every row\'s text column with a value within its length limit, reproducibly', () => {
    const m = path.join(dir, 'model');
    expect(cli('fit', data, '-o', m, '--epochs', '5', '-q').code).toBe(0);
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    for (const f of [a, b]) {
      const r = cli('sample', m, '-n', '6', '-o', f, '--llm-model', MODEL, '--llm-threads', '1', '--seed', '3', '-q');
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/text column "commentsReview": 6 values written, 0 failed/);
    }
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    return readTable(a).then((t) => {
      const text = t.columns[t.names.indexOf('commentsReview')]!;
      expect(text).toHaveLength(6);
      for (const v of text) {
        expect(typeof v).toBe('string');
        expect((v as string).length).toBeGreaterThan(0);
      }
    });
  });

  it('without --llm-model the text column is left out, and a missing model is a clear error', () => {
    const m = path.join(dir, 'model');
    const out = path.join(dir, 'plain.csv');
    expect(cli('sample', m, '-n', '5', '-o', out, '-q').code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('rating,effectiveness,sideEffects');
    const r = cli('sample', m, '-n', '5', '-o', path.join(dir, 'x.csv'), '--llm-model', 'no-such-model', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_LLM/);
    expect(r.err).toMatch(/models/);
    expect(existsSync(path.join(dir, 'x.csv'))).toBe(false);
  });
});
