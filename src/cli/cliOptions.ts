/**
 * The CLI's options, typed against the library's option types (vitest's `CLIOptions<Config>` is the model):
 * what a command's flags parse into is a type built BY KEY from FitOptions, SampleOptions, RunOptions,
 * DpOptions and LlmOptions, and every flag is declared in a table keyed by that type. Renaming a library
 * option is a type error here (a Pick of a key the library no longer has), a table without a flag for a
 * key (or with a flag for no key) is a type error, and a flag whose commander name is not its key fails
 * as the command is built (addFlags).
 *
 *   FitOptions, DpOptions, ... ──► FitCli (by key) ──► flags: Flags<FitCli> ──► addFlags(command, flags)
 *       ──► commander parses argv ──► action(o: FitCli) ──► fit(data, library options)
 */
import { Command } from 'commander';
import { InternalError } from '../errors.js';
import type { RunOptions } from '../pipeline.js';
import type { DpOptions, FitOptions, LlmOptions, SampleOptions } from '../synthesizers/options.js';
import * as msg from '../messages.js';

/** DP flags (--epsilon, --delta, ...): DpOptions' fields, each optional on the command line. */
type DpFlags<K extends keyof DpOptions> = Partial<Pick<DpOptions, K>>;

/** LLM flags: LlmOptions' fields as --llm-model, --llm-threads, --llm-temperature. */
type LlmFlags = { [K in keyof Pick<LlmOptions, 'model' | 'threads' | 'temperature'> as `llm${Capitalize<K>}`]?: LlmOptions[K] };

/**
 * A library option K of T given as text the command parses, under the flag's name (--condition "a=b" for
 * `conditions`, --rebalance "race=uniform" for `rebalance`). K is checked against T (a type error once T has no K).
 */
type TextFlag<T, K extends keyof T, Name extends string, V> = { [P in Name]?: V };

/** Flags only the command line has. */
interface Quiet {
  /** -q: no progress output. */
  quiet?: boolean;
}

/** `privsynth fit`'s flags. `dp` is --no-dp (false when given); --epsilon makes FitOptions.dp. */
export type FitCli = Pick<FitOptions, 'out' | 'schema' | 'epochs' | 'batchSize' | 'synthesizer' | 'learningRate' | 'force' | 'target'> &
  Required<Pick<FitOptions, 'seed' | 'calibrate'>> &
  DpFlags<'epsilon' | 'delta' | 'clipNorm' | 'preprocessingShare' | 'pairShare' | 'allowWeakPrivacy'> & { dp: boolean } & Quiet;

/** `privsynth sample`'s flags. */
export type SampleCli = Pick<SampleOptions, 'rows' | 'out' | 'temperature' | 'force'> &
  Required<Pick<SampleOptions, 'seed' | 'calibrate'>> &
  TextFlag<SampleOptions, 'conditions', 'condition', string[]> &
  TextFlag<SampleOptions, 'rebalance', 'rebalance', string> &
  LlmFlags & Quiet;

/** `privsynth run`'s flags; `failOn` and `json` are the command's own (exit code, output). */
export type RunCli = Pick<RunOptions, 'synthesizer' | 'out' | 'schema' | 'holdoutFraction' | 'target' | 'rows' | 'epochs' | 'batchSize' | 'force'> &
  Required<Pick<RunOptions, 'seed' | 'calibrate'>> &
  DpFlags<'epsilon' | 'delta' | 'pairShare' | 'allowWeakPrivacy'> & { dp: boolean; failOn?: string; json?: boolean } & LlmFlags & Quiet;

/** `privsynth inspect`'s flags (the schema file it writes is the command's own output). */
export interface InspectCli {
  json?: boolean;
  out?: string;
  force?: boolean;
}

/** `privsynth info`'s flags. */
export interface InfoCli {
  json?: boolean;
}

/** One flag: its commander spelling, help text, parser and default, and whether it is required. */
export interface FlagSpec {
  flags: string;
  description: string;
  parse?: (value: string, previous: never) => unknown;
  default?: unknown;
  required?: boolean;
}

/** A flag for every key of T, and (an object literal's excess-property check) none for anything else. */
export type Flags<T> = { [K in keyof T]-?: FlagSpec };

/** -q, --quiet: every command with progress output has it. */
export const QUIET_FLAG: FlagSpec = { flags: '-q, --quiet', description: 'no progress output' };

/** --force, replacing `what` ("an existing model directory", ...). */
export const forceFlag = (what: string): FlagSpec => ({ flags: '--force', description: `replace ${what}` });

/** A command with its description, one argument and its flag table (see addFlags). */
export function commandWithFlags<T>(name: string, description: string, argument: [name: string, description: string], flags: Flags<T>): Command {
  return addFlags(new Command(name).description(description).argument(...argument), flags);
}

/** Add the flags in table order (the order --help lists them). @throws InternalError when a flag's commander name is not its key. */
export function addFlags<T>(command: Command, flags: Flags<T>): Command {
  for (const [key, spec] of Object.entries(flags) as [string, FlagSpec][]) {
    const option = command.createOption(spec.flags, spec.description);
    option.makeOptionMandatory(Boolean(spec.required));
    if (spec.parse) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
    option.default(spec.default);
    if (option.attributeName() !== key) throw new InternalError(msg.flagSetsOtherKey(spec.flags, command.name(), option.attributeName(), key));
    command.addOption(option);
  }
  return command;
}
