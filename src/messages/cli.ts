/** cli/: flag parsing and conflicts, the output lines of each command (stdout for results, stderr for notes and warnings), evaluate's and doctor's texts. Re-exported by ../messages.ts, which call sites import. */

// ---- command-line flags ---------------------------------------------------------------------------------

export const mustBePositiveInt = (flag: string, raw: string): string => `${flag} must be a positive whole number, got "${raw}"`;
export const mustBeNonNegativeInt = (flag: string, raw: string): string => `${flag} must be a whole number >= 0, got "${raw}"`;
export const mustBePositiveNumber = (flag: string, raw: string): string => `${flag} must be a positive number, got "${raw}"`;
export const mustBeNonNegativeNumber = (flag: string, raw: string): string => `${flag} must be a number >= 0, got "${raw}"`;
/** `privsynth privacy`'s numbers: `rule` is e.g. "in (0, 1]". */
export const mustBe = (flag: string, rule: string, raw: string): string => `${flag} must be ${rule}, got "${raw}"`;
export const HINT_SAMPLE_RATE_FLAG = 'q = batch size / number of rows, e.g. 0.01';
export const HINT_NOISE_MULTIPLIER_FLAG = 'typical values are 0.5 to 5';
export const HINT_STEPS_FLAG = 'steps = epochs / sample rate';
export const HINT_DELTA_FLAG = 'use at most 1/(10 * number of rows), e.g. 1e-5';

export const EPSILON_AND_NO_DP = '--epsilon and --no-dp contradict each other';
export const DP_FLAGS_NEED_EPSILON = '--delta, --clip-norm and --preprocessing-share need --epsilon';
export const HINT_ADD_EPSILON = 'add --epsilon, e.g. --epsilon 1';
export const WEAK_PRIVACY_NEEDS_EPSILON = '--allow-weak-privacy needs --epsilon';
export const HINT_ADD_EPSILON_OR_DROP_WEAK = 'add --epsilon, or drop --allow-weak-privacy';
export const WEAK_PRIVACY_AND_NO_DP = '--allow-weak-privacy and --no-dp contradict each other';
export const BUDGET_AND_NO_DP = '--epsilon/--delta and --no-dp contradict each other';
export const holdoutFractionTooLarge = (f: number): string => `--holdout-fraction must be below 1, got ${f}`;
export const unknownArea = (area: string): string => `--fail-on: unknown area "${area}"`;
export const HINT_AREAS = 'use a comma-separated list of privacy, fidelity, utility';
export const flagSetsOtherKey = (flags: string, command: string, attribute: string, key: string): string => `the flag ${flags} of privsynth ${command} sets "${attribute}", not "${key}"`;
export const SHOW_HELP_AFTER_ERROR = '(run with --help for usage)';

// ---- command output (stdout for results, stderr for notes and warnings; each line ends with \n) -------------

export const cliError = (described: string): string => `error: ${described}\n`;
export const internalError = (stack: string): string => `internal error (please report it): ${stack}\n`;
export const cannotWriteStdout = (why: string): string => `error: cannot write to standard output: ${why}\n`;
export const warning = (text: string): string => `warning: ${text}\n`;
export const columnWarning = (column: string, text: string): string => `warning: column "${column}": ${text}\n`;
export const schemaWritten = (file: string): string => `schema written to ${file}\n`;
export const inspectSummary = (file: string, rows: number, columns: number): string => `${file}: ${rows} rows, ${columns} columns\n`;
export const modelWritten = (dir: string): string => `model written to ${dir}\n`;
export const fittedIn = (synthesizer: string, seconds: string): string => `fitted ${synthesizer} in ${seconds} s\n`;
export const trained = (t: { epochs: number; steps: number; rows?: number; seconds: string; backend: string; finalLoss: string }): string =>
  `trained ${t.epochs} epochs (${t.steps} steps)${t.rows !== undefined ? ` on ${t.rows} rows` : ''} in ${t.seconds} s, backend ${t.backend}, final loss ${t.finalLoss}\n`;
export const fitIsDp = (epsilon: string, delta: string, dir: string): string => `differentially private: epsilon ${epsilon}, delta ${delta} (whole pipeline; ledger: privsynth info ${dir} --json)\n`;
export const weakPrivacyAccepted = (reasons: string[]): string => `WEAK PRIVACY (accepted with --allow-weak-privacy): ${reasons.join('; ')}\n`;
export const FIT_NOT_DP = 'note: this model is NOT differentially private (pass --epsilon to train with DP).\n';
export const rowsWritten = (rows: number, file: string, seconds: string, how: string): string => `${rows} rows written to ${file} in ${seconds} s (${how})\n`;
export const constraintsReport = (json: string): string => `constraints: ${json}\n`;
export const groupShares = (column: string, shares: string): string => `group shares of "${column}" in the output: ${shares}\n`;
export const textColumnReport = (column: string, a: { filled: number; failed: number; regen: number; redacted: number }): string =>
  `text column "${column}": ${a.filled} values written, ${a.failed} failed, leak guard regenerated ${a.regen} and redacted ${a.redacted}\n`;
export const SAMPLE_TEXT_UNGUARDED = 'note: no leak guard ran (sample has no real data to compare with); run does guard against the training data.\n';
export const modelHeader = (version: number, privsynthVersion: string, synthesizer: string, createdAt: string): string => `privsynth model (format v${version}, privsynth ${privsynthVersion}, ${synthesizer}), created ${createdAt}\n`;
export const infoIsDp = (epsilon: string, delta: string): string => `privacy: differentially private, epsilon ${epsilon}, delta ${delta} (RDP accountant, whole pipeline)\n`;
export const infoNotDp = (warning: string): string => `privacy: NOT differentially private. ${warning}\n`;
export const declaredPublic = (columns: string[]): string =>
  `note: the bounds/categories of ${columns.join(', ')} were DECLARED PUBLIC and used without spending epsilon; the epsilon above covers them only if they really are public knowledge.\n`;
export const runWrote = (out: string, rows: number): string => `wrote ${out}/: model/, synthetic.csv (${rows} rows), report.json, report.html\n`;
export const runRows = (total: number, train: number, holdout: number): string => `rows: ${total} = ${train} train + ${holdout} holdout\n`;
export const runIsDp = (epsilon: string, delta: string, weak: boolean): string => `privacy: differentially private, epsilon ${epsilon}, delta ${delta}${weak ? ' (WEAK PRIVACY: accepted with --allow-weak-privacy)' : ''}\n`;
export const RUN_NOT_DP = 'privacy: NOT differentially private\n';
export const runVerdicts = (privacy: string, fidelity: string, utility: string): string => `verdicts: privacy ${privacy}, fidelity ${fidelity}, utility ${utility}\n`;
export const auditStatement = (statement: string, contradicts: boolean): string => `${contradicts ? 'error: ' : 'privacy audit: '}${statement}\n`;
export const runTimes = (times: string): string => `time: ${times}\n`;
export const verdictFailed = (areas: string[], report: string): string => `error: verdict "fail" for ${areas.join(', ')} (--fail-on); see ${report}\n`;

// ---- privsynth evaluate and doctor ----------------------------------------------------------------------

export const syntheticColumnsDiffer = (parts: string[]): string => `the synthetic table's columns differ from the train table's: ${parts.join('; ')}`;
export const missingFromSynthetic = (list: string): string => `missing from it: ${list}`;
export const notInTrain = (list: string): string => `not in the train table: ${list}`;
export const HINT_SAME_COLUMNS = 'pass the synthetic file sampled from a model of this train table (same columns), or a --schema that describes both';
export const syntheticLacksColumns = (count: number, list: string): string => `the synthetic table lacks ${count} column(s) of the train table, left out of the evaluation: ${list}`;
export const reportWritten = (file: string): string => `report written to ${file}\n`;
export const doctorRequiredFailed = (parts: string[]): string => `doctor: required part(s) not working: ${parts.join('; ')}`;
export const doctorTelemetryOn = (dependencies: string[]): string => `doctor: telemetry not switched off for ${dependencies.join(', ')}`;
