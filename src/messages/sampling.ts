/** sampling/: conditions, rebalancing, constraints, marginals, group reports and the sampling flags. Re-exported by ../messages.ts, which call sites import. */

// ---- conditions (sampling/conditions.ts) -----------------------------------------------------------------------

export const conditionColumnNotGenerated = (column: string): string => `condition on column "${column}", which the model does not generate`;
export const hintConditionColumns = (columns: readonly string[]): string => `conditions can name: ${columns.join(', ')}`;
/** In a list of known values: the missing value. */
export const KNOWN_MISSING = 'null (missing)';
/** After the first known values of a long list. */
export const knownInAll = (count: number): string => `, … (${count} in all)`;
export const conditionBoundNotNumber = (column: string, which: string, shown: string | undefined): string => `condition on column "${column}": ${which} ${shown} is not a number or date`;
export const conditionNeedsColumn = (shown: string | undefined): string => `a condition needs a "column", got ${shown}`;
export const twoConditions = (column: string): string => `two conditions on column "${column}"`;
export const HINT_ONE_CONDITION = 'give one value or one range per column';
export const valueNeverGenerated = (column: string, shown: string | undefined, other: string): string => `cannot condition on ${column} = ${shown}: the model never generates that value${other}`;
export const generatedAsOther = (label: string | undefined): string => ` (values the model did not learn individually are generated as ${label})`;
export const hintKnownValuesOf = (column: string, list: string): string => `known values of "${column}": ${list}`;
export const numericConditionValue = (column: string, shown: string | undefined): string => `condition on numeric column "${column}" with value ${shown}: numeric columns take a range`;
export const hintWriteRange = (column: string, missingIndicator: boolean): string =>
  `write { "column": "${column}", "min": …, "max": … }${missingIndicator ? ' or value null for "is missing"' : ''}`;
export const categoricalConditionNeedsValue = (column: string): string => `condition on categorical column "${column}" needs a "value"`;
export const hintKnownValues = (list: string): string => `known values: ${list}`;
export const conditionMinAboveMax = (column: string, min: string, max: string): string => `condition on column "${column}": min ${min} is above max ${max}`;
export const conditionEmpty = (column: string): string => `condition on column "${column}" gives neither a value nor min/max`;

// ---- rebalancing (sampling/rebalance.ts) -----------------------------------------------------------------------

export const cannotRebalance = (column: string): string => `cannot rebalance column "${column}": it is not a categorical column the model generates`;
export const hintCategoricalColumns = (columns: readonly string[]): string => `categorical columns: ${columns.join(', ') || '(none)'}`;
export const rebalanceNoShares = (column: string): string => `rebalance of "${column}" gives no shares`;
export const HINT_REBALANCE_SHARES = 'e.g. {"Female": 0.5, "Male": 0.5}, or uniform: true';
export const rebalanceShareInvalid = (column: string, value: string | undefined, share: string | undefined): string =>
  `rebalance of "${column}": share of ${value} must be a number >= 0, got ${share}`;
export const rebalanceSharesZero = (column: string): string => `rebalance of "${column}": the shares sum to 0`;
export const rebalanceSharesNotOne = (column: string, sum: number): string => `rebalance of "${column}": the shares sum to ${sum}, not 1`;
export const HINT_SHARES_SUM_TO_ONE = 'give shares that sum to 1; values left out get share 0';
export const conditionOnRebalanced = (column: string): string => `a condition names the rebalanced column "${column}"`;

// ---- the sampling flags (sampling/parseSamplingFlags.ts) -------------------------------------------------------

export const conditionFlagForm = (text: string): string => `--condition "${text}" is not of the form column=value`;
export const HINT_CONDITION_FLAG = 'e.g. --condition "sex=Female"';
export const rebalanceFlagForm = (part: string): string => `--rebalance part "${part}" is not of the form column:value=share`;
export const HINT_REBALANCE_FLAG = 'e.g. --rebalance "race:Black=0.3,race:White=0.3,race:Other=0.4" or --rebalance race=uniform';
export const rebalanceTwoColumns = (first: string, second: string | undefined): string => `--rebalance names two columns ("${first}" and "${second}")`;
export const HINT_ONE_REBALANCE_COLUMN = 'rebalance one column at a time';
export const rebalanceShareNotNumber = (share: string | undefined, column: string | undefined, value: string | undefined): string => `--rebalance share "${share}" for ${column}:${value} is not a number >= 0`;

// ---- constraints (sampling/constraints.ts) ---------------------------------------------------------------------

export const constraintColumnMissing = (column: string): string => `a constraint names column "${column}", which the table does not have`;
export const noAllowedCombinations = (label: string): string => `constraint ${label} has no "allowed" combinations`;
export const HINT_DECLARE_ALLOWED =
  'declare them in the schema ("allowed": [["Paris", "France"], …]) or measure them with measureFixedCombinations (costs privacy budget)';
export const constraintsRarelyMet = (percent: string, rows: number, worst: string | undefined): string =>
  `only ${percent}% of ${rows} sampled rows satisfy the constraints (most rejected by ${worst})`;
export const HINT_CONSTRAINTS_RARELY_MET = 'the model rarely generates rows meeting these constraints; check them against the data (checkTrainingData) or loosen them';
export const constraintViolations = (label: string, rows: number): string => `${label}: ${rows} row(s)`;
export const trainingRowsViolate = (rows: number, list: string): string => `${rows} training row(s) violate the schema's constraints (${list})`;
export const HINT_FIX_VIOLATIONS = 'fix the data or the constraints, or use the "drop" policy to train without those rows';
export const fixedCombinationsColumnMissing = (column: string): string => `fixedCombinations names column "${column}", which the table does not have`;

// ---- marginals and group reports (sampling/marginals.ts, sampling/groupReport.ts) ------------------------------

export const marginalNotGenerated = (column: string): string => `cannot measure a marginal of "${column}": the model does not generate it`;
export const hintModelColumns = (columns: readonly string[]): string => `columns: ${columns.join(', ')}`;
export const transformerNoBounds = (column: string): string => `column "${column}": the fitted transformer has no bounds`;
export const tableLacksColumn = (which: string, column: string): string => `the ${which} has no column "${column}"`;
export const hintItsColumns = (columns: readonly string[]): string => `its columns: ${columns.join(', ')}`;
export const notMarginalRelease = (kind: string | undefined, version: string | undefined): string => `not a marginal release (kind ${kind}, version ${version})`;
export const groupTableLacksColumn = (which: string, column: string): string => `the ${which} table has no column "${column}"`;
