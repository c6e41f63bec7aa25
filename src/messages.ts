/**
 * User-facing messages in one module (vega-lite's log/message.ts is the model): the texts and hints the CLI
 * prints and the errors it shows carry, as constants (fixed texts) and functions (texts with values). Call
 * sites reference them (`import * as msg from '../messages.js'`); the error classes and their codes stay in
 * errors.ts. Like errors.ts, this is the ground floor: every room may import it, and it imports nothing.
 *
 * Gathered here: every text repeated at several sites, the command line's own messages (flags, output lines),
 * the jobs', the output-location and output-exists checks, the model directory's, the synthesizer registry's
 * and its plugins' refusals, and the DP budget checks. The other rooms' messages (schema validation and
 * coercion, CSV parsing, transformers, evaluation, text filling, engines, privacy mechanisms) are still at
 * their call sites (see ARCHITECTURE.md).
 */

// ---- interrupted (Ctrl-C): what stopped, and that nothing half-written is left ------------------------------

export const SAMPLING_INTERRUPTED = 'sampling was interrupted; no output was written';
export const CONDITIONAL_SAMPLING_INTERRUPTED = 'conditional sampling was interrupted; no rows were returned';
export const TEXT_INTERRUPTED = 'text generation was interrupted; no output was written';
export const FITTING_INTERRUPTED = 'fitting was interrupted; no model was written';
export const TRAINING_INTERRUPTED = 'training was interrupted; no model was written';
export const RUN_INTERRUPTED = 'the run was interrupted; no output was written';
/** Printed by the CLI on the first Ctrl-C. */
export const CLI_INTERRUPTED = '\ninterrupted: stopping and removing partial output (Ctrl-C again to force)\n';

// ---- hints shared by several errors ---------------------------------------------------------------------

export const HINT_FIT_AGAIN = 'fit the model again';
export const HINT_FIT_AGAIN_THIS_VERSION = 'fit the model again with this version of privsynth';
export const HINT_REFIT_THIS_VERSION = 're-fit the model with this version of privsynth';
export const HINT_DROP_ONE = 'drop one of them';
export const HINT_MODEL_MIXED = 'the model directory was modified or mixed from two models; fit the model again';

// ---- command-line flags ---------------------------------------------------------------------------------

export const mustBePositiveInt = (flag: string, raw: string): string => `${flag} must be a positive whole number, got "${raw}"`;
export const mustBeNonNegativeInt = (flag: string, raw: string): string => `${flag} must be a whole number >= 0, got "${raw}"`;
export const mustBePositiveNumber = (flag: string, raw: string): string => `${flag} must be a positive number, got "${raw}"`;
export const mustBeNonNegativeNumber = (flag: string, raw: string): string => `${flag} must be a number >= 0, got "${raw}"`;
/** `privsynth privacy`'s numbers: `rule` is e.g. "in (0, 1]". */
export const mustBe = (flag: string, rule: string, raw: string): string => `${flag} must be ${rule}, got "${raw}"`;

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

// ---- where outputs go (io/checkOutputLocation.ts, io/assertOutputAvailable.ts, io/TableWriter.ts) ----------

export const cannotWrite = (flag: string, target: string, why: string): string => `cannot write ${flag} ${target}: ${why}`;
export const ancestorIsFile = (dir: string): string => `${dir} is a file, not a directory`;
export const hintDirectoriesOnly = (example: string): string => `choose an output path whose folders are directories (e.g. ${example})`;
export const parentMissing = (parent: string): string => `the directory ${parent} does not exist`;
export const hintMkdir = (parent: string, flag: string): string => `create it first (mkdir -p ${JSON.stringify(parent)}), or choose another ${flag}`;
export const FILE_TARGET_IS_DIRECTORY = 'it is a directory, and a file is written there';
export const hintGiveFileName = (example: string): string => `give a file name, e.g. ${example}`;
export const DIRECTORY_TARGET_IS_FILE = 'it is a file, and a directory is written there';
export const hintAnotherDirectory = (flag: string): string => `choose another ${flag} directory`;
export const noPermission = (parent: string): string => `no permission to create files in ${parent}`;
export const readOnly = (parent: string): string => `${parent} is on a read-only filesystem`;
export const noNewFiles = (parent: string): string => `${parent} does not accept new files (a virtual filesystem such as /proc or /sys?)`;
export const cannotCreateFiles = (parent: string, code: string): string => `files cannot be created in ${parent} (${code})`;
export const HINT_WRITABLE_LOCATION = 'choose an output location you can write to (e.g. in your home directory or the current directory)';
export const cannotCreateDirectory = (dir: string, code: string): string => `cannot create the directory ${dir} (${code})`;
export const HINT_WRITABLE = 'choose an output location you can write to';
export const hintReplace = (alternative: string): string => `choose ${alternative}, or pass --force to replace it`;
export const hintChoose = (alternative: string): string => `choose ${alternative}`;
export const existsAsFile = (target: string): string => `${target} exists and is a file, not a directory`;
export const outputNotEmpty = (noun: string, target: string): string => `${noun} ${target} already exists and is not empty`;
export const outputExists = (noun: string, target: string): string => `${noun} ${target} already exists`;
export const unknownOutputFormat = (file: string): string => `cannot tell the output format of ${file} from its extension`;
export const HINT_OUTPUT_FORMATS = 'use .csv, .jsonl or .parquet';

// ---- the jobs -------------------------------------------------------------------------------------------

export const targetNotKept = (target: string): string => `--target "${target}" is not a kept column of the data`;
export const hintChooseOneOf = (names: string[]): string => `choose one of: ${names.join(', ')}`;
export const tooFewRowsToSplit = (rows: number, holdoutFraction: number): string => `the table has too few rows (${rows}) to split off a ${holdoutFraction} holdout`;
export const HINT_LARGER_TABLE = 'use a larger table or another --holdout-fraction';
export const keepTableNeedsCsv = (out: string): string => `keepTable needs a CSV output, not ${out}`;

// ---- model directories (synthesizers/modelFile.ts, dp-vae's loading) -------------------------------------

export const notAModelDirectory = (dir: string, manifest: string): string => `${dir} is not a privsynth model directory (no ${manifest})`;
export const HINT_PASS_MODEL_DIRECTORY = 'pass the directory written by "privsynth fit -o DIR"';
export const manifestDamaged = (file: string): string => `${file} is damaged (not valid JSON)`;
export const notAModel = (dir: string, kind: string): string => `${dir} does not hold a privsynth model (manifest kind ${kind})`;
export const modelFormatVersion = (dir: string, version: string, readable: number): string => `the model in ${dir} has format version ${version}; this privsynth reads version ${readable}`;
export const noWeightsSection = (dir: string): string => `the manifest in ${dir} has no valid weights section`;
export const weightsFileNamed = (dir: string, named: string, only: string): string => `the manifest in ${dir} names the weights file ${named}; only "${only}" inside the model directory is accepted`;
export const HINT_MANIFEST_EDITED = 'the manifest was edited or is not from privsynth; fit the model again';
export const storedSchemaInvalid = (file: string, why: string): string => `the schema stored in ${file} is invalid: ${why}`;
export const weightsMissing = (file: string): string => `the weights file ${file} is missing`;
export const weightsMismatch = (dir: string): string => `the weights file in ${dir} does not match its manifest (size or sha256 differ): it is truncated or was modified`;
export const HINT_DO_NOT_EDIT_WEIGHTS = 'fit the model again; do not edit weights.bin';
export const weightsUnreadable = (file: string): string => `the weights file ${file} cannot be read`;
export const tensorInvalid = (k: number, dir: string, why: string): string => `weights tensor ${k} in the manifest of ${dir} is invalid: ${why}`;
export const tensorOutside = (name: string): string => `tensor ${name} lies outside the weights file or overlaps another`;
export const weightCount = (dir: string, described: number, held: number): string => `the manifest of ${dir} describes ${described} weights but the weights file holds ${held}`;
export const manifestField = (dir: string, field: string, value: string): string => `the manifest of ${dir} has an invalid "${field}" ${value}`;
export const invalidConfig = (dir: string, why: string): string => `the manifest of ${dir} has an invalid "config": ${why}`;
export const notDpVaeModel = (dir: string, name: string): string => `the model in ${dir} was fitted by the "${name}" synthesizer, not dp-vae`;
export const HINT_SAMPLE_ANY = "sample it with privsynth sample (or the library's sampleModel), which reads any registered synthesizer";
export const modelStateInvalid = (synthesizer: string, dir: string, why: string): string => `the ${synthesizer} model in ${dir} is invalid: ${why}`;
export const modelStateVersion = (synthesizer: string, dir: string, version: string, readable: number): string => `the ${synthesizer} model in ${dir} has state version ${version}; this privsynth reads version ${readable}`;
export const cannotLoadUnstorable = (dir: string, synthesizer: string): string => `${dir}: ${synthesizer} models cannot be stored, so none can be loaded`;
export const storedCalibrationDamaged = (column: string, why: string): string => `the stored calibration of column "${column}" is damaged: ${why}`;
export const weightsDoNotFit = (dir: string, why: string): string => `the weights in ${dir} do not fit the network its manifest describes: ${why}`;

// ---- the synthesizer registry and its plugins -------------------------------------------------------------

export const unknownSynthesizer = (name: string, known: string[]): string => `unknown synthesizer "${name}"; known: ${known.join(', ')}`;
export const HINT_PASS_SYNTHESIZER = 'pass one of them to --synthesizer (privsynth fit --help describes each)';
export const synthesizerMissing = (dir: string, name: string, known: string[]): string => `the model in ${dir} was fitted by the synthesizer "${name}", which this privsynth does not have (known: ${known.join(', ')})`;
export const HINT_SAMPLE_WITH_FITTING_VERSION = 'sample it with the privsynth version that fitted it, or fit the model again';
export const baselineNotPersistable = (name: string): string => `the ${name} synthesizer is a benchmark baseline that keeps real values in its fitted state, so it cannot be saved to a model directory`;
export const HINT_ANOTHER_SYNTHESIZER = 'choose another --synthesizer (privsynth fit --help lists them)';
export const synthesizerNeedsBudget = (name: string): string => `the ${name} synthesizer is differentially private by construction and needs a budget`;
export const HINT_PASS_EPSILON = 'pass --epsilon (e.g. --epsilon 1), or use --synthesizer dp-vae for a model without DP';
export const synthesizerHasNoDp = (name: string): string => `the ${name} synthesizer has no differentially private mode`;
export const HINT_DROP_EPSILON = 'drop --epsilon (and pass --no-dp), or choose another --synthesizer';
export const optionsIgnored = (flags: string[], name: string): string =>
  `${flags.join(', ')} ${flags.length > 1 ? 'are' : 'is'} dp-vae training option(s); the ${name} synthesizer ignores ${flags.length > 1 ? 'them' : 'it'}`;
export const optionsUnsupported = (flags: string[], name: string): string => `${flags.join(', ')}: the ${name} synthesizer does not support ${flags.length > 1 ? 'these options' : 'this option'} (only dp-vae does)`;
export const HINT_DROP_OPTION = 'drop the option, or fit the model with --synthesizer dp-vae';
export const fittedByOther = (dir: string, by: string, name: string): string => `the model in ${dir} was fitted by "${by}", not ${name}`;
export const pluginNotDp = (name: string): string => `NOT differentially private: the ${name} synthesizer was fitted on the exact data. Synthetic rows can reveal information about real people.`;
export const DP_VAE_NOT_DP =
  'NOT differentially private: trained without DP-SGD, and the schema and transformers were fitted on the real data. Synthetic rows can reveal information about real people.';

// ---- the DP budget (privacy/validateDp.ts, privacy/budgetStrength.ts, dp-vae's fit) ----------------------

export const epsilonInvalid = (epsilon: number): string => `--epsilon must be a positive number, got ${epsilon}`;
export const HINT_EPSILON = 'typical values are 1 to 10; smaller is more private';
export const deltaInvalid = (delta: number): string => `--delta must be in (0, 1), got ${delta}`;
export const HINT_DELTA = 'use a value well below 1/rows, e.g. 1e-6 for a table of up to 100,000 rows';
export const budgetRefused = (reasons: string[]): string => `refusing a privacy budget that gives no meaningful protection: ${reasons.join('; ')}`;
export const hintWeakBudget = (weakEpsilon: number, rows: number): string =>
  `use epsilon <= ${weakEpsilon} and delta well below 1/rows (1/${rows}); or pass --allow-weak-privacy to accept it (the model and report are then flagged WEAK PRIVACY)`;
export const epsilonTooWeak = (epsilon: string, weakEpsilon: number): string =>
  `epsilon ${epsilon} is above ${weakEpsilon}: an output may become e^${epsilon} times more likely because one person is in the data, which is no meaningful protection`;
export const deltaTooWeak = (delta: string, rows: number, inverse: string): string =>
  `delta ${delta} is at least 1/rows = 1/${rows} = ${inverse}: a mechanism that publishes one random person's row verbatim meets that delta`;
export const deltaAboveTenth = (delta: string, bound: string, suggestion: string): string => `delta ${delta} is above 1/(10 rows) = ${bound}; keep delta well below 1/rows (e.g. ${suggestion})`;
export const stepsNotAccounted = (ran: number, accounted: number): string => `training ran ${ran} steps but ${accounted} were accounted for`;

export const pairShareOutOfRange = (share: number): string => `--pair-share must be in [0, 1), got ${share}`;
export const HINT_PAIR_SHARE = 'a share of the budget such as 0.2 (small tables), or leave it out';
