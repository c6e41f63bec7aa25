/**
 * The map: privsynth's stages are the plain functions of src/jobs/ (one a file), re-exported here; the CLI,
 * the benchmarks and library users call them (the public API, src/index.ts, exports the same functions).
 *
 *  inspect:  table file ──► io/readTable ──► metadata/inferMetadata ──► schema (types, missing, categories, PII)
 *
 *  fit:      table file ──► io/readTable ──► metadata/ (--schema | inferred; coerceTable) ──► typed Table
 *              ──► synthesizers/registry: the synthesizer named by --synthesizer (default dp-vae) .fit
 *            dp-vae (synthesizers/dp-vae/fit/):
 *              DP: privacy/planBudget ──► fitPrivateEncoder (noisy count, bounds, modes, categories)
 *                  ──► sampling/measureMarginals (noisy one-way marginals) ──► calibrateNoise: DP-SGD's sigma
 *                  for what is left; every release in the privacy/ ledger, refused past the budget
 *              ──► transformers/TableEncoder ──► encoded rows ──► trainVae on the engine (onnxruntime | tfjs)
 *              ──► calibration to the marginals (logit shifts + monotone transports), fitted once on a pilot
 *              ──► model dir: manifest.json (schema, encoder, ledger, marginals) + weights.bin, renamed into place
 *
 *  sample:   model dir (read once) ──► its synthesizer's SampleStream:
 *              fast path (plain or calibrated, no constraints, no text): worker threads draw batches
 *                (normals ──► decoder ──► heads with the stored logit shifts ──► decode + transports)
 *                ──► CSV bytes
 *              table path (conditions, rebalancing, constraints, text): Tables (guided latent sampling,
 *                rebalancing, constraint repair/rejection)
 *            ──► ONE writing loop: surrogate ids ──► text/ (a local LLM fills text columns, leak-guarded)
 *            ──► io/TableWriter (CSV, JSONL, Parquet; atomic)
 *
 *  run:      read ──► seeded split (train | holdout) ──► fit(train) ──► sample (kept in memory as written)
 *            ──► evaluation/ (fidelity, utility, privacy attacks) ──► report/ (report.json, report.html)
 *
 *  info:     model dir ──► manifest (privacy section checked) ──► its synthesizer's description
 */
export { inspect, type InspectResult } from './jobs/inspect.js';
export { fit, fitTable } from './jobs/fit.js';
export { sample, type SampleResult } from './jobs/sample.js';
export { run, type Area, type RunOptions, type RunResult, type RunProgress } from './jobs/run.js';
export { info, modelInfo, type InfoResult } from './jobs/info.js';
export { loadTypedTable } from './jobs/loadTypedTable.js';
