/** What a CLI command gets from main(): output streams, the interrupt signal, and a way to exit non-zero. */
export interface CliContext {
  out: (s: string) => void;
  err: (s: string) => void;
  signal: AbortSignal;
  /** A command that finished its work but must still exit non-zero (e.g. run --fail-on). */
  setExitCode: (code: number) => void;
}
