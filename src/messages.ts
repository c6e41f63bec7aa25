/**
 * User-facing messages in one module (vega-lite's log/message.ts is the model): the texts and hints the CLI
 * prints and the errors it shows carry, as constants (fixed texts) and functions (texts with values). Call
 * sites reference them (`import * as msg from '../messages.js'`); the error classes and their codes stay in
 * errors.ts. Like errors.ts, this is the ground floor: every room may import it, and it imports nothing but its
 * own files.
 *
 * The texts live in messages/, one file per room that spells them (shared.ts: the texts several rooms share),
 * and are re-exported here: call sites import this module only, never a file of messages/ (the room rules of
 * scripts/checkImports.mjs refuse that), so a text can move between the files without touching a call site. Two
 * files exporting the same name is a type error (`export *` refuses the ambiguity).
 *
 * Gathered: every text repeated at several sites, the command line's own messages (flags, output lines), the
 * jobs', the output-location and output-exists checks, the model directory's, the synthesizer registry's and its
 * plugins' refusals, the DP budget checks and the rest of the privacy room's, the column transformers' refusals,
 * sampling's (conditions, rebalancing, constraints, marginals, the sampling flags), the metadata room's (the schema
 * file and its validation, constraints, reading a table against its schema, inference's warnings), the evaluation's
 * (evaluate()'s refusals and the metrics' warnings), nn's (the numeric backend), io's readers and CSV parser's,
 * the synthesizers' internals' (mst, the baselines, guided sampling, DP preprocessing) and the text room's (the LLM
 * text filler, its model file and node-llama-cpp). Still where they are: the texts the network guard's and the
 * WebAssembly kernels' error classes spell in their constructors, and programming errors' (InternalError, and Error,
 * RangeError, TypeError on impossible internal states) (see ARCHITECTURE.md).
 */

export * from './messages/shared.js';
export * from './messages/cli.js';
export * from './messages/jobs.js';
export * from './messages/io.js';
export * from './messages/synthesizers.js';
export * from './messages/privacy.js';
export * from './messages/transformers.js';
export * from './messages/sampling.js';
export * from './messages/metadata.js';
export * from './messages/evaluation.js';
export * from './messages/nn.js';
export * from './messages/text.js';
