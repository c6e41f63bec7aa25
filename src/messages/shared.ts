/** The texts that stand at several sites of several rooms: interruptions, and the hints several errors share. Re-exported by ../messages.ts, which call sites import. */

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
/** The columns a table has, after a column it lacks (transformers/TableEncoder.ts, sampling/constraints.ts). */
export const hintTableColumns = (names: readonly string[]): string => `table columns: ${names.join(', ')}`;
/** "choose one of" a list of names (jobs/, evaluation/evaluate.ts). */
export const hintChooseOneOf = (names: readonly string[]): string => `choose one of: ${names.join(', ')}`;
