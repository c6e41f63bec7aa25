/** checkOutputLocation: every bad -o is refused with E_OUTPUT (exit code 2) naming the path, fast. */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync, readdirSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkOutputLocation, makeOutputDir } from '../../src/io/checkOutputLocation.js';
import { PrivsynthError } from '../../src/errors.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'privsynth-outloc-'));
  writeFileSync(path.join(dir, 'file.csv'), 'a\n1\n');
});

async function refusal(target: string, kind: 'file' | 'directory'): Promise<PrivsynthError> {
  const e = await checkOutputLocation(target, { kind }).then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(PrivsynthError);
  const pe = e as PrivsynthError;
  expect(pe.code).toBe('E_OUTPUT');
  expect(pe.exitCode).toBe(2);
  expect(pe.describe()).toContain(target);
  expect(pe.hint).toBeTruthy();
  return pe;
}

describe('checkOutputLocation', () => {
  it('accepts a new file or directory in an existing writable directory, and leaves no probe behind', async () => {
    await checkOutputLocation(path.join(dir, 'new.csv'), { kind: 'file' });
    await checkOutputLocation(path.join(dir, 'newdir'), { kind: 'directory' });
    expect(readdirSync(dir)).toEqual(['file.csv']);
  });

  it('refuses a path under a file (ENOTDIR), naming the file', async () => {
    const e = await refusal(path.join(dir, 'file.csv', 'x.csv'), 'file');
    expect(e.message).toContain(`${path.join(dir, 'file.csv')} is a file, not a directory`);
  });

  it('refuses a missing parent and says to create it', async () => {
    const e = await refusal(path.join(dir, 'missing', 'deeper', 'out'), 'directory');
    expect(e.message).toContain('does not exist');
    expect(e.hint).toContain('mkdir -p');
  });

  it('refuses a file where a directory goes and a directory where a file goes', async () => {
    await refusal(path.join(dir, 'file.csv'), 'directory');
    mkdirSync(path.join(dir, 'adir'), { recursive: true });
    await refusal(path.join(dir, 'adir'), 'file');
  });

  it.skipIf(!existsSync('/proc/self'))('refuses /proc quickly (Node recursive mkdir spins forever there)', async () => {
    const t0 = performance.now();
    const e = await refusal('/proc/outdir', 'directory');
    expect(e.message).toContain('does not accept new files');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it.skipIf(!existsSync('/sys/kernel'))('refuses /sys (EACCES even for root)', async () => {
    await refusal('/sys/privsynth-out', 'directory');
  });

  it.skipIf(process.getuid?.() === 0)('refuses a directory without write permission (skipped as root: root may write anywhere)', async () => {
    const ro = path.join(dir, 'readonly');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    const e = await refusal(path.join(ro, 'out'), 'directory');
    expect(e.message).toContain('no permission');
    chmodSync(ro, 0o755);
  });

  it('makeOutputDir creates one level and tolerates an existing directory', async () => {
    const d = path.join(dir, 'made');
    await makeOutputDir(d);
    await makeOutputDir(d);
    expect(existsSync(d)).toBe(true);
    await expect(makeOutputDir(path.join(dir, 'no', 'such'))).rejects.toMatchObject({ code: 'E_OUTPUT' });
  });
});
