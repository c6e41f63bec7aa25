/**
 * src/cli/cliOptions.ts: the commands' flags parse into objects keyed by the library's option names
 * (FitOptions, SampleOptions, RunOptions, DpOptions, LlmOptions), and a flag whose commander name is not its
 * key fails when the command is built. (The type side, a renamed library option being a type error, is checked
 * by the type-check `npm test` runs; the @ts-expect-error lines below fail it if the tables stop being checked.)
 */
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addFlags, type FitCli, type Flags, type RunCli, type SampleCli } from '../../src/cli/cliOptions.js';
import { fitCommand, sampleCommand } from '../../src/cli/commands.js';
import { runCommand } from '../../src/cli/runCommand.js';
import type { CliContext } from '../../src/cli/CliContext.js';
import { InternalError } from '../../src/errors.js';

const ctx: CliContext = { out: () => {}, err: () => {}, signal: new AbortController().signal, setExitCode: () => {} };

async function parsed<T>(cmd: Command, args: string[]): Promise<T> {
  let got: T | undefined;
  cmd.action((_arg: string, o: T) => {
    got = o;
  });
  await cmd.exitOverride().parseAsync(args, { from: 'user' });
  return got!;
}

describe('CLI options typed against the library', () => {
  it('fit: every flag lands on its FitOptions / DpOptions name', async () => {
    const o = await parsed<FitCli>(fitCommand(ctx), ['d.csv', '-o', 'm', '--schema', 's.json', '--epochs', '3', '--batch-size', '10', '--seed', '4', '--synthesizer', 'mst', '--epsilon', '1', '--delta', '1e-6', '--clip-norm', '2', '--preprocessing-share', '0.2', '--learning-rate', '0.01', '--no-calibrate', '--allow-weak-privacy', '--force', '-q']);
    expect(o).toEqual({ out: 'm', schema: 's.json', epochs: 3, batchSize: 10, seed: 4, synthesizer: 'mst', epsilon: 1, delta: 1e-6, dp: true, clipNorm: 2, preprocessingShare: 0.2, learningRate: 0.01, calibrate: false, allowWeakPrivacy: true, force: true, quiet: true });
  });

  it('sample: every flag lands on its SampleOptions / LlmOptions name (--condition collects)', async () => {
    const o = await parsed<SampleCli>(sampleCommand(ctx), ['m', '-n', '5', '-o', 'x.csv', '--seed', '2', '--temperature', '0.5', '--condition', 'a=1', '--condition', 'b=2', '--rebalance', 'race=uniform', '--no-calibrate', '--llm-model', 'tiny.gguf', '--llm-threads', '2', '--llm-temperature', '0.3', '--force', '-q']);
    expect(o).toEqual({ rows: 5, out: 'x.csv', seed: 2, temperature: 0.5, condition: ['a=1', 'b=2'], rebalance: 'race=uniform', calibrate: false, llmModel: 'tiny.gguf', llmThreads: 2, llmTemperature: 0.3, force: true, quiet: true });
  });

  it('run: every flag lands on its RunOptions / DpOptions / LlmOptions name', async () => {
    const o = await parsed<RunCli>(runCommand(ctx), ['d.csv', '-o', 'out', '--no-dp', '--holdout-fraction', '0.3', '--target', 'y', '--rows', '9', '--epochs', '2', '--batch-size', '8', '--fail-on', 'privacy', '--json']);
    expect(o).toEqual({ out: 'out', dp: false, holdoutFraction: 0.3, target: 'y', rows: 9, seed: 0, epochs: 2, batchSize: 8, calibrate: true, failOn: 'privacy', json: true });
  });

  it('refuses a flag whose commander name is not its key', () => {
    const flags: Flags<{ batchSize?: number }> = { batchSize: { flags: '--batch <n>', description: 'x' } };
    expect(() => addFlags(new Command('t'), flags)).toThrow(InternalError);
    expect(() => addFlags(new Command('t'), flags)).toThrow('the flag --batch <n> of privsynth t sets "batch", not "batchSize"');
  });

  it('a flag table must name every key, and only keys (type-checked)', () => {
    // @ts-expect-error -- `epochs` has no flag
    const missing: Flags<Pick<FitCli, 'epochs' | 'seed'>> = { seed: { flags: '--seed <n>', description: 'x' } };
    // @ts-expect-error -- `epochz` is not a key of the parsed type
    const extra: Flags<Pick<FitCli, 'epochs'>> = { epochs: { flags: '--epochs <n>', description: 'x' }, epochz: { flags: '--epochz <n>', description: 'x' } };
    expect(Object.keys(missing).concat(Object.keys(extra))).toEqual(['seed', 'epochs', 'epochz']);
  });
});
