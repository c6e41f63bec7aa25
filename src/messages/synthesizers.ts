/** synthesizers/: model directories, the registry and its plugins, dp-vae. Re-exported by ../messages.ts, which call sites import. */

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

// ---- dp-vae's fit (synthesizers/dp-vae/fit/fitDpVae.ts) --------------------------------------------------------

export const stepsNotAccounted = (ran: number, accounted: number): string => `training ran ${ran} steps but ${accounted} were accounted for`;
export const pairShareOutOfRange = (share: number): string => `--pair-share must be in [0, 1), got ${share}`;
export const HINT_PAIR_SHARE = 'a share of the budget such as 0.2 (small tables), or leave it out';

// ---- mst, the baselines, guided sampling, DP preprocessing (synthesizers/mst/, baselines/, dp-vae/sample/, fitPrivateEncoder.ts)

export const noBoundsToDiscretize = (column: string): string => `column "${column}" has no bounds to discretize`;
/** shown: the value as JSON, or null for a missing value. */
export const notAmongCategories = (row: number, column: string, shown: string | null, nullable: boolean): string =>
  `row ${row}, column "${column}": ${shown === null ? 'a missing value' : shown} is not among the column's ${nullable ? '' : 'non-missing '}categories`;
export const HINT_ADD_TO_CATEGORIES = 'add it to the declared categories in the schema (or mark the column nullable), or remove the row';
export const MST_LEDGER_NOT_EMPTY = 'fitMst needs an empty ledger whose target is the budget';
export const NO_COLUMN_TO_MODEL = 'there is no column to model';
export const HINT_KEEP_ONE_COLUMN = 'keep at least one column in the schema';
export const NO_BUDGET_FOR_MARGINALS = 'nothing of the budget is left for the marginals after preprocessing';
export const HINT_RAISE_EPSILON_OR_LOWER_SHARE = 'raise --epsilon, or lower --preprocessing-share';
export const rowCountNotWhole = (n: number): string => `the number of rows must be a whole number >= 0, got ${n}`;
export const temperatureNegative = (temperature: number): string => `temperature must be >= 0, got ${temperature}`;
export const conditionNeverGenerated = (conditions: string, p: string, proposals: number, found: number, n: number): string =>
  `the model (almost) never generates rows with ${conditions}: estimated probability ${p} after ${proposals} latent draws (${found} of ${n} rows found)`;
export const HINT_RELAX_CONDITIONS = 'the combination is absent from (or too rare in) what the model learned; relax the conditions, or sample without them and filter';
export const PREPROCESSING_NEEDS_SHARE = 'DP preprocessing needs a positive budget share';
export const HINT_PREPROCESSING_SHARE_ABOVE_ZERO = 'use a preprocessing share above 0';
export const THRESHOLDED_NEEDS_DELTA = 'categorical columns without public categories need a share of delta';
export const HINT_DECLARE_PUBLIC_CATEGORIES = 'declare their categories public in the schema';
/** DP preprocessing could not locate a numeric column's range: the range is a guess. */
export const rangeGuessed = (column: string, lo: string, hi: string): string =>
  `column "${column}": no part of its range stood out of the DP noise at this budget, so its range ${lo} to ${hi} is a guess and may be far from the data; declare its public min and max in the schema (e.g. the range of the measurement, not of the data), or raise --epsilon`;
export const dateRangeDefault = (column: string, lo: string, hi: string): string =>
  `column "${column}": no part of its dates stood out of the DP noise at this budget, so the default range ${lo} to ${hi} is used; declare its public min and max in the schema for a tighter range`;
/** A categorical column whose DP category release kept fewer than two values: every synthetic value is the same. */
export const categoriesCollapsed = (column: string, kept: string): string =>
  `column "${column}": only ${kept} cleared the DP release threshold at this budget, so every synthetic value of the column is the same; declare its categories public in the schema (they are not read from the data), or raise --epsilon`;
