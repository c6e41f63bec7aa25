/**
 * privsynth's public API (re-exports only).
 *
 * Network: importing privsynth does not change the process. The CLI refuses all network access
 * (`installNetworkGuard()` at start-up); a library caller who wants the same offline guarantee opts in:
 *
 * ```ts
 * import { installNetworkGuard, fit } from 'privsynth';
 * installNetworkGuard();   // any later network attempt in this process throws E_NETWORK_BLOCKED
 * await fit('patients.csv', { out: 'model' });
 * ```
 *
 * The guard patches Node's network APIs process-wide (see src/security/networkGuard.ts for what is
 * and is not covered); `uninstallNetworkGuard()` restores them.
 */
// First: switch off native libraries' telemetry before anything can load one (nativeTelemetry.ts).
export { NATIVE_TELEMETRY_SWITCHES, disableNativeTelemetry, nativeTelemetryState, type TelemetrySwitch, type TelemetryState } from './security/nativeTelemetry.js';
export * from './errors.js';
// the stages (src/jobs/, mapped in pipeline.ts), and their earlier names
export { inspect, inspect as inspectFile, type InspectResult } from './jobs/inspect.js';
export { fit, fit as fitFile, fit as fitModelFile, fitTable, fitTable as fitModel } from './jobs/fit.js';
export { sample, sample as sampleToFile, sample as sampleModel, type SampleResult } from './jobs/sample.js';
export { run, run as runJob, type RunOptions, type RunResult, type RunProgress } from './jobs/run.js';
export { info, info as describeModel, modelInfo, type InfoResult } from './jobs/info.js';
export { loadTypedTable } from './jobs/loadTypedTable.js';
export { PRIVSYNTH_VERSION } from './packageInfo.js';
export type { DpOptions, FitOptions, LlmOptions, SampleOptions, SampleMethod } from './synthesizers/options.js';
export { outputColumns } from './metadata/outputColumns.js';
export { DP_DEFAULTS, dpBatchSize, dpLearningRate } from './synthesizers/dp-vae/fit/dpPolicy.js';
export type { FitResult } from './synthesizers/dp-vae/fit/fitDpVae.js';
export { loadSynthesizer } from './synthesizers/dp-vae/sample/loadDpVae.js';
export { SYNTHESIZERS, DEFAULT_SYNTHESIZER, synthesizerFor, synthesizerNames } from './synthesizers/registry.js';
export type { Synthesizer, TableSynthesizer, FittedTableSynthesizer, SynthesizerFitResult, SampleStream, SampleBatch, SampleTarget, LoadedModelDirectory } from './synthesizers/Synthesizer.js';
export { readTable, type ReadTableOptions } from './io/readTable.js';
export { parseCsv, type CsvParseOptions, type ParsedCsv } from './io/parseCsv.js';
export { validateMetadata } from './metadata/validateMetadata.js';
export type { Metadata, ColumnSpec, ColumnType, ColumnAction } from './metadata/Metadata.js';
export {
  installNetworkGuard,
  uninstallNetworkGuard,
  networkGuardState,
  isLoopbackHost,
  NetworkBlockedError,
  type NetworkGuardOptions,
  type NetworkGuardState,
  type BlockedAttempt,
} from './security/networkGuard.js';
export { inferMetadata, inferMetadataWithWarnings } from './metadata/inferMetadata.js';
export { coerceTable } from './metadata/coerceTable.js';
export { columnFates, summarizeFates, type ColumnFate, type ColumnFateKind } from './report/columnFates.js';
export type { NumberFormat } from './metadata/NumberFormat.js';
export { readMetadataFile, writeMetadataFile } from './metadata/metadataFile.js';
export { makeTable, tableFromRows, type Table, type Cell } from './table/Table.js';
export { splitTable } from './table/splitTable.js';
export { Rng } from './rng.js';
export { DpVaeSynthesizer } from './synthesizers/dp-vae/DpVaeSynthesizer.js';
export { TableEncoder } from './transformers/TableEncoder.js';
export * as privacy from './privacy/index.js';
export * as evaluation from './evaluation/index.js';
export * as report from './report/index.js';
export * as text from './text/index.js';
export * as sampling from './publicSampling.js';
