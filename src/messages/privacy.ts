/** privacy/: the DP budget checks, the accounting (RDP, zCDP, the ledger and its stored state), the mechanisms. Re-exported by ../messages.ts, which call sites import. */

// ---- the DP budget (privacy/validateDp.ts, privacy/budgetStrength.ts) ------------------------------------

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

// ---- RDP to (epsilon, delta) (privacy/analysis/rdpToEpsilon.ts) ------------------------------------------------

export const rdpLengthsDiffer = (orders: number, rdp: number): string => `orders and RDP values differ in length (${orders} vs ${rdp})`;
export const deltaOutOfRange = (delta: number): string => `delta must be in (0, 1), got ${delta}`;
export const HINT_COMMON_DELTA = 'a common choice is delta = 1/(10 * rows) or smaller';
export const renyiOrderTooSmall = (alpha: number): string => `Renyi order must be > 1, got ${alpha}`;
export const rdpValueNegative = (alpha: number, value: number): string => `RDP value at order ${alpha} must be >= 0, got ${value}`;

// ---- the subsampled Gaussian (privacy/analysis/rdpSampledGaussian.ts) ------------------------------------------

export const sampleRateOutOfRange = (q: number): string => `sample rate q must be in [0, 1], got ${q}`;
export const HINT_SAMPLE_RATE = 'q is batch size / number of rows';
export const noiseMultiplierNegative = (sigma: number): string => `noise multiplier sigma must be >= 0, got ${sigma}`;
export const stepsNotNonNegativeInt = (steps: number): string => `steps must be a non-negative integer, got ${steps}`;
export const renyiAlphaTooSmall = (alpha: number): string => `Renyi order alpha must be > 1, got ${alpha}`;

// ---- zCDP (privacy/analysis/zcdp.ts) ---------------------------------------------------------------------------

export const sensitivityNegative = (sensitivity: number): string => `sensitivity must be >= 0, got ${sensitivity}`;
export const noiseStdNegative = (std: number): string => `noise std must be >= 0, got ${std}`;
export const rhoNotPositive = (rho: number): string => `zCDP rho must be a positive finite number, got ${rho}`;
export const HINT_POSITIVE_SHARE = 'give this step a positive share of the privacy budget';
export const epsilonNegative = (epsilon: number): string => `epsilon must be >= 0, got ${epsilon}`;

// ---- a privacy spend (privacy/PrivacySpend.ts) -----------------------------------------------------------------

export const invalidSpend = (why: string): string => `invalid privacy spend: ${why}`;
export const SPEND_NOT_AN_OBJECT = 'not an object';
export const SPEND_LABEL_EMPTY = 'label must be a non-empty string';
export const spendFieldInvalid = (label: string, key: string, rule: string, value: string): string => `"${label}": ${key} must be ${rule}, got ${value}`;
export const spendParamsNotObject = (label: string): string => `"${label}": params must be an object`;
export const spendUnknownMechanism = (label: string, mechanism: string): string => `"${label}": unknown mechanism ${mechanism}`;

// ---- the privacy ledger (privacy/PrivacyLedger.ts) -------------------------------------------------------------

export const targetEpsilonInvalid = (epsilon: number | undefined): string => `target epsilon must be a positive finite number, got ${epsilon}`;
export const HINT_TYPICAL_EPSILON = 'typical values are 1 to 10';
export const targetDeltaInvalid = (delta: number): string => `target delta must be in (0, 1), got ${delta}`;
export const HINT_TARGET_DELTA = 'use at most 1/(10 * number of rows)';
export const budgetExceeded = (spent: string, spentDelta: string, target: number, targetDelta: string, largest: string): string => `privacy budget exceeded: spent epsilon ${spent} at delta ${spentDelta} against a target of epsilon ${target} at delta ${targetDelta}; largest: ${largest}`;
export const HINT_BUDGET_EXCEEDED = 'raise epsilon, train for fewer steps, or declare public bounds/categories so preprocessing spends less';
export const LEDGER_NOT_AN_OBJECT = 'privacy ledger is not an object';
export const ledgerVersionUnsupported = (format: string, version: string, expectedFormat: string, expectedVersion: number): string => `privacy ledger format ${format} version ${version} is not supported (expected ${expectedFormat} version ${expectedVersion})`;
export const HINT_LEDGER_VERSION = 'the model was written by another privsynth version; retrain it or upgrade privsynth';
export const LEDGER_NO_DP_FLAG = 'privacy ledger lacks the differentiallyPrivate flag';
export const LEDGER_NO_ENTRIES = 'privacy ledger lacks an entries array';
export const LEDGER_NO_TARGET = 'private ledger lacks a target';

// ---- the mechanisms (privacy/mechanisms/) ----------------------------------------------------------------------

export const categoriesDeltaShare = (label: string, deltaShare: number): string => `categories "${label}": deltaShare must be in (0, 1), got ${deltaShare}`;
export const HINT_CATEGORIES_DELTA_SHARE = 'give thresholded histograms a share of delta (planBudget thresholdDeltaShare), or declare the categories';
export const declaredCategoriesRepeat = (label: string): string => `categories "${label}": the declared category list has duplicates`;
export const histogramTooFewEdges = (label: string, edges: number): string => `histogram "${label}" needs at least 2 edges, got ${edges}`;
export const histogramEdgeNotFinite = (label: string, i: number, edge: number): string => `histogram "${label}": edge ${i} is not finite (${edge})`;
export const histogramEdgesNotIncreasing = (label: string, i: number): string => `histogram "${label}": edges must be strictly increasing (edge ${i})`;
export const pointCountsInvalid = (label: string, what: string): string => `point counts "${label}": ${what}`;
export const countInvalid = (n: number): string => `a count must be a non-negative integer, got ${n}`;
export const boundsQuantilesInvalid = (label: string, lower: number, upper: number): string => `bounds "${label}": need 0 <= lowerQuantile < upperQuantile <= 1, got ${lower}, ${upper}`;
export const boundsFailureProbability = (label: string, beta: number): string => `bounds "${label}": failureProbability must be in (0, 1), got ${beta}`;

// ---- noise calibration (privacy/analysis/calibrateNoise.ts) ----------------------------------------------------

export const sampleRateNotPositive = (q: number): string => `sample rate q must be in (0, 1], got ${q}`;
export const stepsNotPositiveInt = (steps: number): string => `steps must be a positive integer, got ${steps}`;
export const extraRhoInvalid = (extraRho: number): string => `extraRho must be a finite number >= 0, got ${extraRho}`;
export const nothingLeftForTraining = (extraRho: number, spentEpsilon: string, epsilon: number): string => `the ${extraRho}-zCDP already spent gives epsilon ${spentEpsilon} >= target ${epsilon}; nothing is left for training`;
export const HINT_SPEND_LESS_ON_PREPROCESSING = 'raise epsilon or spend less of it on preprocessing (declare public bounds and categories)';
export const noNoiseMultiplier = (epsilon: number, steps: number, q: number): string => `no noise multiplier up to 1e6 reaches epsilon ${epsilon} with ${steps} steps at q=${q}`;
export const HINT_FEWER_STEPS = 'use fewer steps or a smaller sample rate, or raise epsilon';
export const epsilonNotPositive = (epsilon: number): string => `epsilon must be a positive finite number, got ${epsilon}`;
export const epsilonTooSmall = (epsilon: number, delta: number): string => `epsilon ${epsilon} is too small to spend anything at delta ${delta}`;
export const HINT_RAISE_EPSILON_OR_DELTA = 'raise epsilon or delta';

// ---- the budget plan (privacy/planBudget.ts) -------------------------------------------------------------------

export const preprocessingShareOutOfRange = (share: number): string => `preprocessingShare must be in [0, 1), got ${share}`;
export const HINT_PREPROCESSING_SHARE = 'training needs some budget; 0.1 is a good start';
export const thresholdDeltaShareOutOfRange = (share: number): string => `thresholdDeltaShare must be in [0, 1), got ${share}`;

// ---- a model manifest's privacy section (privacy/checkPrivacySection.ts) ---------------------------------------

export const manifestInconsistent = (what: string): string => `the model manifest is inconsistent: ${what}`;
export const HINT_MANIFEST_DAMAGED = 'the manifest was edited or damaged; refit the model (privsynth fit) instead of editing manifest.json';
export const NO_PRIVACY_SECTION = 'it has no "privacy" section';
export const DP_FLAG_NOT_BOOLEAN = '"privacy.differentiallyPrivate" is not true or false';
export const DP_WITHOUT_LEDGER = '"privacy.differentiallyPrivate" is true but there is no privacy ledger ("privacy.total"): nothing backs the DP claim';
export const totalEpsilonInvalid = (epsilon: string): string => `"privacy.total.epsilon" is ${epsilon}, not a positive finite number`;
export const totalDeltaInvalid = (delta: string): string => `"privacy.total.delta" is ${delta}, not a number in [0, 1)`;
export const LEDGER_ENTRIES_MISSING = '"privacy.total.entries" (the ledger of releases) is missing';
export const ledgerEntryUnlabelled = (entry: number): string => `ledger entry ${entry} has no label or mechanism`;

// ---- the RDP accountant's stored state (privacy/RdpAccountant.ts) ----------------------------------------------

export const extraDeltaOutOfRange = (label: string, delta: number): string => `extra delta for "${label}" must be in [0, 1), got ${delta}`;
export const ACCOUNTANT_NOT_AN_OBJECT = 'accountant state is not an object';
export const accountantMechanism = (mechanism: string): string => `accountant state is for mechanism ${mechanism}, expected "rdp"`;
export const HINT_OTHER_ACCOUNTANT = 'this model was saved by a different accountant; retrain it';
export const accountantVersion = (version: string): string => `accountant state version ${version} is not supported (expected 1)`;
export const HINT_UPGRADE_OR_RETRAIN = 'upgrade privsynth or retrain the model';
export const ACCOUNTANT_NO_HISTORY = 'accountant state lacks history or deltaExtra arrays';
export const ACCOUNTANT_DELTA_NO_LABEL = 'accountant deltaExtra entry lacks a label';
export const ACCOUNTANT_ENTRY_NOT_AN_OBJECT = 'accountant entry is not an object';
export const entrySigmaNegative = (sigma: number): string => `noise multiplier must be >= 0, got ${sigma}`;
export const entrySampleRateOutOfRange = (q: number): string => `sample rate must be in [0, 1], got ${q}`;
export const entryRhoNegative = (rho: number): string => `zCDP rho must be >= 0, got ${rho}`;
export const ZCDP_ENTRY_NO_LABEL = 'zCDP entry needs a label';
export const unknownAccountantEntry = (kind: string): string => `unknown accountant entry kind ${kind}`;
