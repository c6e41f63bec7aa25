/** assertOutputAvailable: the one "output exists" check (files, the model directory, run's output directory). */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertOutputAvailable } from '../../src/io/assertOutputAvailable.js';
import { assertModelDirAvailable } from '../../src/synthesizers/modelFile.js';
import { OutputExistsError } from '../../src/errors.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'privsynth-outexists-'));
  writeFileSync(path.join(dir, 'file.csv'), 'a\n1\n');
  mkdirSync(path.join(dir, 'empty'));
  mkdirSync(path.join(dir, 'full'));
  writeFileSync(path.join(dir, 'full', 'x'), '');
});

async function refusal(p: Promise<unknown>): Promise<OutputExistsError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(OutputExistsError);
  expect((e as OutputExistsError).code).toBe('E_OUTPUT_EXISTS');
  expect((e as OutputExistsError).exitCode).toBe(2);
  return e as OutputExistsError;
}

describe('assertOutputAvailable', () => {
  it('says whether the target exists: false for a new path, true for an existing one with force', async () => {
    expect(await assertOutputAvailable(path.join(dir, 'new.csv'))).toBe(false);
    expect(await assertOutputAvailable(path.join(dir, 'file.csv'), { force: true })).toBe(true);
    expect(await assertOutputAvailable(path.join(dir, 'full'), { force: true })).toBe(true);
  });

  it('refuses an existing file or directory without force, naming it and --force', async () => {
    const f = path.join(dir, 'file.csv');
    const e = await refusal(assertOutputAvailable(f));
    expect(e.describe()).toBe(`E_OUTPUT_EXISTS: the output ${f} already exists (file ${f})\n  hint: choose another output path, or pass --force to replace it`);
    const d = path.join(dir, 'empty');
    const m = await refusal(assertModelDirAvailable(d));
    expect(m.message).toBe(`the model directory ${d} already exists`);
    expect(m.hint).toBe('choose another -o path, or pass --force to replace it');
  });

  it('with emptyDirectoryIsFree: an empty directory is free, a non-empty one needs force, a file is refused even with force', async () => {
    const opts = { noun: 'the output directory', alternative: 'another -o directory', emptyDirectoryIsFree: true };
    expect(await assertOutputAvailable(path.join(dir, 'absent'), opts)).toBe(false);
    expect(await assertOutputAvailable(path.join(dir, 'empty'), opts)).toBe(true);
    const full = path.join(dir, 'full');
    const e = await refusal(assertOutputAvailable(full, opts));
    expect(e.message).toBe(`the output directory ${full} already exists and is not empty`);
    expect(await assertOutputAvailable(full, { ...opts, force: true })).toBe(true);
    const f = path.join(dir, 'file.csv');
    const fe = await refusal(assertOutputAvailable(f, { ...opts, force: true }));
    expect(fe.message).toBe(`${f} exists and is a file, not a directory`);
    expect(fe.hint).toBe('choose another -o directory');
  });
});
