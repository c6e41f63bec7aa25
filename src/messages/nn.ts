/** nn/: the numeric backend's refusal (no tfjs backend loads). Re-exported by ../messages.ts, which call sites import. */

// ---- the numeric backend (nn/backend.ts) -----------------------------------------------------------------------

export const noTfjsBackend = (notes: readonly string[]): string => 'no tfjs backend could be initialised: ' + notes.join('; ');
