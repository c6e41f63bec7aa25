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
export * from './errors.js';
export {
  PRIVSYNTH_VERSION,
  inspectFile,
  loadTypedTable,
  fitFile,
  sampleToFile,
  loadSynthesizer,
  modelInfo,
  outputColumns,
  type InspectResult,
  type FitOptions,
  type FitResult,
  type SampleOptions,
} from './pipeline.js';
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
