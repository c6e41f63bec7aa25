// Tests for src/cli/privacyCommand.ts (kept under test/privacy/ with the rest of the privacy suite).
import { describe, expect, it } from 'vitest';
import { privacyCommand } from '../../src/cli/privacyCommand.js';
import { PrivacyError } from '../../src/errors.js';

async function run(args: string[]): Promise<string> {
  let text = '';
  const cmd = privacyCommand((s) => (text += s));
  cmd.exitOverride();
  for (const c of cmd.commands) c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await cmd.parseAsync(args, { from: 'user' });
  return text;
}

describe('privacy command', () => {
  it('epsilon: MNIST schedule gives about 2.597 (text and JSON)', async () => {
    const args = ['epsilon', '--sample-rate', String(256 / 60000), '--noise-multiplier', '1.1', '--steps', '14062', '--delta', '1e-5'];
    expect(await run(args)).toMatch(/epsilon = 2\.59\d\d at delta = 0\.00001/);
    const json = JSON.parse(await run([...args, '--json']));
    expect(json.epsilon).toBeCloseTo(2.5966, 3);
    expect(json).toMatchObject({ delta: 1e-5, steps: 14062, noiseMultiplier: 1.1, accountant: 'rdp' });
  });

  it('noise: calibrates sigma for a target epsilon', async () => {
    const json = JSON.parse(await run(['noise', '--epsilon', '2.597', '--delta', '1e-5', '--sample-rate', String(256 / 60000), '--steps', '14062', '--json']));
    expect(json.noiseMultiplier).toBeGreaterThan(1.099);
    expect(json.noiseMultiplier).toBeLessThan(1.101);
    expect(json.epsilon).toBeLessThanOrEqual(2.597);
    expect(await run(['noise', '--epsilon', '1', '--delta', '1e-5', '--sample-rate', '0.01', '--steps', '100'])).toMatch(/^noise multiplier = /);
  });

  it('rejects bad numbers with a PrivacyError and a hint', async () => {
    for (const args of [
      ['epsilon', '--sample-rate', '1.5', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5'],
      ['epsilon', '--sample-rate', 'abc', '--noise-multiplier', '1', '--steps', '10', '--delta', '1e-5'],
      ['epsilon', '--sample-rate', '0.1', '--noise-multiplier', '1', '--steps', '2.5', '--delta', '1e-5'],
      ['noise', '--epsilon', '-1', '--delta', '1e-5', '--sample-rate', '0.1', '--steps', '10'],
      ['noise', '--epsilon', '1', '--delta', '0', '--sample-rate', '0.1', '--steps', '10'],
    ]) {
      const err = await run(args).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(PrivacyError);
      expect((err as PrivacyError).code).toBe('E_PRIVACY');
      expect((err as PrivacyError).hint).toBeTruthy();
    }
  });

  it('reports no guarantee for a zero noise multiplier', async () => {
    expect(await run(['epsilon', '--sample-rate', '0.1', '--noise-multiplier', '0', '--steps', '10', '--delta', '1e-5'])).toMatch(/no privacy guarantee/);
  });
});
