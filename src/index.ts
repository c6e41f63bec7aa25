/**
 * privsynth's public API (re-exports only).
 *
 * Network: importing privsynth does not change the process. The CLI refuses all network access
 * (`installNetworkGuard()` at start-up); a library caller who wants the same offline guarantee opts in:
 *
 * ```ts
 * import { installNetworkGuard, fitFile } from 'privsynth';
 * installNetworkGuard();   // any later network attempt in this process throws E_NETWORK_BLOCKED
 * await fitFile('patients.csv', { out: 'model' });
 * ```
 *
 * The guard patches Node's network APIs process-wide (see src/security/networkGuard.ts for what is
 * and is not covered); `uninstallNetworkGuard()` restores them.
 */
// First: switch off native libraries' telemetry before anything can load one (nativeTelemetry.ts).
export { NATIVE_TELEMETRY_SWITCHES, disableNativeTelemetry, nativeTelemetryState, type TelemetrySwitch, type TelemetryState } from './security/nativeTelemetry.js';
export * from './errors.js';
export {
  PRIVSYNTH_VERSION,
  inspectFile,
  loadTypedTable,
  fitFile,
  fitTable,
  sampleToFile,
  DP_DEFAULTS,
  type DpOptions,
  type LlmOptions,
  type SampleResult,
  loadSynthesizer,
  modelInfo,
  outputColumns,
  type InspectResult,
  type FitOptions,
  type FitResult,
  type SampleOptions,
} from './pipeline.js';
export { SYNTHESIZERS, DEFAULT_SYNTHESIZER, synthesizerFor, synthesizerNames, fitModel, fitModelFile, sampleModel, describeModel } from './synthesizers/registry.js';
export type { Synthesizer, TableSynthesizer, FittedTableSynthesizer, SynthesizerFitResult } from './synthesizers/Synthesizer.js';
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
export { runJob, type RunOptions, type RunResult, type RunProgress } from './runJob.js';
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
export * as sampling from './sampling/index.js';
