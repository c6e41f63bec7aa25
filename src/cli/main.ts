/**
 * The privsynth command line: a thin layer over the library. Commands parse options, call the
 * library, and print. Exit codes: 0 ok, 2 bad input (clear message on stderr), 1 internal failure,
 * 130 interrupted (no half-written output is left).
 */
import '../security/nativeTelemetry.js'; // first: native telemetry off before any native library loads
import { Command, CommanderError } from 'commander';
import { PrivsynthError } from '../errors.js';
import { cleanupTemps } from '../io/writeFileAtomic.js';
import { PRIVSYNTH_VERSION } from '../packageInfo.js';
import { installNetworkGuard } from '../security/networkGuard.js';
import { fitCommand, infoCommand, inspectCommand, sampleCommand } from './commands.js';
import { runCommand } from './runCommand.js';

import type { CliContext } from './CliContext.js';
import * as msg from '../messages.js';

export type { CliContext } from './CliContext.js';

export async function main(argv: string[]): Promise<number> {
  // The offline guarantee: from here on any network attempt fails with E_NETWORK_BLOCKED.
  installNetworkGuard();
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    controller.abort();
    if (interrupts > 1) {
      void cleanupTemps().finally(() => process.exit(130));
    } else {
      process.stderr.write(msg.CLI_INTERRUPTED);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // `privsynth info m | head`: the reader went away. Stop quietly (no EPIPE stack trace), exit 0 as
  // `cat` and `ls` do when the rest of their output is not wanted.
  process.stdout.on('error', onStdoutError);
  let exitCode = 0;
  const ctx: CliContext = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    signal: controller.signal,
    setExitCode: (code) => (exitCode = code),
  };
  const program = new Command('privsynth')
    .description('Differentially private synthetic tabular data, entirely on your own machine.')
    .version(PRIVSYNTH_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: ctx.out, writeErr: ctx.err })
    .showHelpAfterError(msg.SHOW_HELP_AFTER_ERROR);
  for (const make of [inspectCommand, fitCommand, sampleCommand, infoCommand, runCommand]) program.addCommand(make(ctx).exitOverride());
  for (const extra of await optionalCommands()) program.addCommand(extra.exitOverride());
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    await cleanupTemps();
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof PrivsynthError) {
      ctx.err(msg.cliError(e.describe()));
      return e.exitCode;
    }
    ctx.err(msg.internalError((e as Error)?.stack ?? String(e)));
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function onStdoutError(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(msg.cannotWriteStdout(e.message));
  process.exit(1);
}

/** Commands contributed by other areas (privacy, evaluate); registered when present. */
async function optionalCommands(): Promise<Command[]> {
  const out: Command[] = [];
  const mods: [string, string][] = [
    ['./privacyCommand.js', 'privacyCommand'],
    ['./evaluateCommand.js', 'evaluateCommand'],
    ['./doctorCommand.js', 'doctorCommand'],
  ];
  for (const [mod, fn] of mods) {
    try {
      const m = (await import(mod)) as Record<string, () => Command>;
      if (typeof m[fn] === 'function') out.push(m[fn]!());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
  return out;
}
