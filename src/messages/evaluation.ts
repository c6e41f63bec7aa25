/** evaluation/: evaluate()'s refusals (target, tables, columns, cell types) and the warnings of the evaluation and its metrics. Re-exported by ../messages.ts, which call sites import. */

// ---- evaluate() and the prepared tables (evaluation/evaluate.ts, evaluation/prepare.ts) ------------------------

export const EVALUATION_CANCELLED = 'evaluation cancelled';
export const targetNotEvaluated = (target: string): string => `target "${target}" is not an evaluated column of the schema`;
export const targetMissingFromSynthetic = (target: string): string => `target "${target}" is missing from the synthetic table; ml_utility is not evaluated`;
export const moreWarningsLikeThese = (more: number, code: string, metric: string | undefined): string =>
  `… and ${more} more ${code}${metric ? ` warnings of ${metric}` : ' warnings'} like the ones above (not listed)`;
export const NO_COLUMN_TO_EVALUATE = 'the schema has no column to evaluate (every column is dropped, text or id)';
export const HINT_KEEP_EVALUABLE_COLUMN = 'keep at least one numeric, integer, datetime, categorical or boolean column in the schema';
export const evaluatedTableEmpty = (label: string): string => `the ${label} table has no rows`;
export const evaluatedTableSmall = (label: string, rows: number, small: number): string => `the ${label} table has only ${rows} rows (< ${small}); every metric is very noisy`;
export const schemaColumnNotInEvaluatedTable = (column: string, label: string): string => `column "${column}" of the schema is not in the ${label} table`;
export const hintTableHas = (label: string, names: readonly string[]): string => `the ${label} table has: ${names.join(', ')}`;
export const columnMissingFromSynthetic = (column: string): string =>
  `column "${column}" is missing from the synthetic table; it is left out of every metric and the fidelity verdict is at best "warn"`;
export const NO_EVALUATED_COLUMN_IN_SYNTHETIC = 'none of the evaluated columns is in the synthetic table';
export const hintExpectedSomeOf = (names: readonly string[]): string => `expected some of: ${names.join(', ')}`;
export const unseenCategories = (column: string, count: number, percent: string, examples: string): string =>
  `column "${column}": ${count} categor${count === 1 ? 'y' : 'ies'} of the synthetic table never occur in train or holdout (${percent}% of synthetic rows), e.g. ${examples}; check the spelling`;
export const columnAllMissingIn = (column: string, label: string): string => `column "${column}" is entirely missing in the ${label} table; distribution metrics that need values skip it`;
export const cellWrongType = (column: string, type: string, row: number, shown: string, kind: string): string => `column "${column}" is ${type} but row ${row} holds ${shown} (${kind})`;
export const HINT_TYPED_NUMBERS = 'evaluate() takes typed tables: convert the cells with coerceTable(table, metadata) first (missing = null, datetimes as epoch ms)';
export const HINT_TYPED_STRINGS = 'evaluate() takes typed tables: categorical and boolean cells are strings (missing = null); convert with coerceTable(table, metadata)';

// ---- the metrics (evaluation/metrics/) -------------------------------------------------------------------------

export const membershipNeedsHoldout = (rows: number): string => `membership_inference needs at least 4 holdout rows (half targets, half reference); got ${rows}`;
export const targetNotEvaluatedColumn = (target: string): string => `target column "${target}" is not an evaluated column`;
export const ML_UTILITY_NO_FEATURES = 'ml_utility needs at least one column besides the target; skipped';
export const mlUtilityLeavesOut = (rows: number, label: string): string => `ml_utility leaves out ${rows} ${label} rows whose target is missing`;
export const mlUtilitySubsample = (rows: number, label: string): string => `ml_utility fits on ${rows} ${label} rows (seeded sample)`;
export const ML_UTILITY_TOO_FEW_ROWS = 'ml_utility needs at least 2 rows with a target in synthetic, train and holdout; skipped';
export const mlUtilityPooledClasses = (target: string, classes: number, kept: number, pooled: number, label: string): string =>
  `ml_utility: target "${target}" has ${classes} classes; the ${kept} most frequent in train are predicted and the other ${pooled} pooled as "${label}"`;
export const mlUtilitySingleClass = (target: string): string => `ml_utility: target "${target}" has a single class; skipped`;
export const mlUtilityFitSingleClass = (trainedOn: string, target: string, model: string): string => `ml_utility: the ${trainedOn} rows hold a single class of "${target}"; its ${model} scores are chance level`;
export const mlUtilityNoRelation = (target: string, checks: string, aucs: string): string =>
  `ml_utility: the synthetic table shows no relation between "${target}" and the other columns that a model can learn (AUC on held-out synthetic rows, permutation p-value of no relation: ${checks}). The TSTR AUCs (${aucs}) are those of a model fitted to noise, chance however far from 0.5, so the best TSTR AUC is reported as 0.5`;
export const mlUtilityModelNoRelation = (model: string, check: string, auc: string): string =>
  `ml_utility: ${model} learns no relation from the synthetic table (AUC on held-out synthetic rows ${check}); its TSTR AUC ${auc} is chance and left out of the best TSTR score`;
export const mlUtilityRelationUnchecked = (target: string): string =>
  `ml_utility: too few synthetic rows of some class of "${target}" to check whether the synthetic table carries a relation; a TSTR AUC far from 0.5 may still be chance`;
export const correlationUndefined = (a: string, b: string, table: string): string =>
  `correlation_similarity skips ("${a}", "${b}"): the correlation is undefined in the ${table} table (constant column or < 3 complete rows)`;
export const ksNoValue = (column: string, table: string): string => `ks_complement skips "${column}": no non-missing value in the ${table} table`;
export const secretNotEvaluated = (column: string): string => `attribute_inference: secret column "${column}" is not an evaluated column; skipped`;
export const noKnownColumnForSecret = (secret: string): string => `attribute_inference: no known column left for secret "${secret}"; skipped`;
export const detectionTooFewRows = (train: number, synthetic: number): string => `detection needs at least 2 rows in train and synthetic; got ${train} and ${synthetic}`;
export const detectionSubsample = (rows: number): string => `detection uses ${rows} rows of train and ${rows} of synthetic (balanced, seeded)`;
export const SINGLING_OUT_NONE = 'singling_out: no single-column predicate singles out a synthetic row; risk reported as 0';
