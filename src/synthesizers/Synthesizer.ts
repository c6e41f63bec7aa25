/**
 * The contract every synthesizer in the registry (./registry.ts) meets, so `fit --synthesizer NAME`,
 * `run`, `sample`, `info` and the benchmarks can fit, save, load and sample any of them the same way.
 *
 *   typed Table + Metadata ──► Synthesizer.fit(table, metadata, { out, dp, seed, ... }) ──► model dir
 *   model dir, read once by the sample job (manifest.json: `synthesizer` = the registry name)
 *       ──► Synthesizer.sampler(model, opts) ──► SampleStream: batches of CSV bytes or Tables
 *       ──► the sample job's one writing loop (src/jobs/sample.ts)
 *   manifest ──► Synthesizer.describe(manifest) ──► lines for `privsynth info`
 *
 * dp-vae meets it in dp-vae/dpVaePlugin.ts (its model directory is its own). The others implement the
 * smaller in-memory contract {@link TableSynthesizer} (fit to a JSON state, sample a Table), and
 * tablePlugin.ts turns one into a {@link Synthesizer}: it writes the generic model directory (manifest
 * with the state under `model`, an empty weights file) and draws Table batches.
 *
 * Under DP a stored state holds only public or DP-released values: no rows, no exact counts.
 */
import type { ColumnSpec, Metadata } from '../metadata/Metadata.js';
import type { Table } from '../table/Table.js';
import type { PrivacyLedger } from '../privacy/PrivacyLedger.js';
import type { EnforceReport } from '../sampling/constraints.js';
import type { ColumnCalibration } from './dp-vae/sample/calibration.js';
import type { FitOptions, SampleMethod, SampleOptions } from './options.js';
import type { AnyManifest } from './modelFile.js';
import type { NamedWeight } from './dp-vae/engine/VaeEngine.js';

/** Whether a synthesizer needs a DP budget ('required'), can do without ('optional'), or has no DP mode ('none'). */
export type DpSupport = 'required' | 'optional' | 'none';

export interface SynthesizerFitResult {
  modelDir: string;
  manifest: Omit<AnyManifest, 'weights'>;
}

/** A registry entry: fits to a model directory and samples from one. */
export interface Synthesizer {
  /** Registry name, as given to `--synthesizer` and stored in the manifest's `synthesizer` field. */
  readonly name: string;
  readonly description: string;
  readonly dp: DpSupport;
  /** False for a benchmark-only baseline whose state holds real values: `fit` refuses to save it. */
  readonly persistable: boolean;
  fit(table: Table, metadata: Metadata, opts: Omit<FitOptions, 'schema'>): Promise<SynthesizerFitResult>;
  /**
   * The batches of a sampling run over a model directory the job has read: checks the options (what
   * this synthesizer cannot do is an InputError), loads what sampling needs; writes nothing.
   */
  sampler(model: LoadedModelDirectory, opts: SampleOptions, text: { fill: boolean }): Promise<SampleStream>;
  /** One line per fact for `privsynth info` (what was fitted), without the privacy section. */
  describe(manifest: Omit<AnyManifest, 'weights'>): string[];
}

/** A model directory as the sample job read it, once: manifest and weights checked (synthesizers/modelFile.ts). */
export interface LoadedModelDirectory {
  dir: string;
  manifest: AnyManifest;
  weights: NamedWeight[];
}

/** Where the job writes: its writer's columns (in order) and CSV delimiter, and whether it keeps Table batches. */
export interface SampleTarget {
  /** The output columns as the writer formats them (io/TableWriter.columnsForOutput). */
  columns: ColumnSpec[];
  format: 'csv' | 'jsonl' | 'parquet';
  /** The CSV delimiter of the writer (CSV bytes must use it). */
  delimiter: string;
  /** The job needs each batch as a Table as well (SampleOptions.keepTable, text filling). */
  tables: boolean;
}

/**
 * One batch, in output order: CSV lines in the writer's column order (`bytes`, surrogate columns included),
 * or the modelled columns as a Table (`table`; the job adds surrogate identifiers and text). With
 * SampleTarget.tables a `bytes` batch carries its `table` too.
 */
export interface SampleBatch {
  rows: number;
  bytes?: Uint8Array;
  table?: Table;
}

/** What the sample job's loop reads from a synthesizer. */
export interface SampleStream {
  readonly method: SampleMethod;
  /** The batches in output order (the job writes each as it comes; a cancelled `signal` stops them). */
  batches(target: SampleTarget): AsyncIterable<SampleBatch>;
  /** After the last batch: what the run reports beyond rows and time. */
  summary(): { workers?: number; calibration?: ColumnCalibration[]; constraints?: EnforceReport };
  dispose(): void;
}

export interface TableFitOptions {
  /** Differential privacy for the whole fit; omit for a model that is NOT differentially private. */
  dp?: { epsilon: number; delta: number; preprocessingShare?: number };
  seed: number;
  /** The ledger to record every release in; the synthesizer spends at most `dp` in total. */
  ledger: PrivacyLedger;
  /** Warnings for the user (e.g. a column the DP release cannot serve well at this budget). */
  onWarning?: (message: string) => void;
}

/** A fitted in-memory synthesizer whose whole state is JSON. */
export interface FittedTableSynthesizer {
  /** `n` synthetic rows of the modelled columns, typed as coerceTable types them; same seed, same rows. */
  sample(n: number, seed: number): Table;
  /** Versioned JSON state (under DP: public or DP-released values only). */
  state(): { kind: string; version: number } & Record<string, unknown>;
  /** Per modelled column, its spec as stored (under DP: structure plus DP-released values only). */
  columns(): Metadata['columns'];
  describe(): string[];
}

export interface TableSynthesizer {
  readonly name: string;
  readonly description: string;
  readonly dp: DpSupport;
  readonly persistable: boolean;
  fit(table: Table, metadata: Metadata, opts: TableFitOptions): FittedTableSynthesizer;
  /** Rebuild from a stored state. @throws ModelError for a state this version cannot read. */
  load(state: unknown, dir: string): FittedTableSynthesizer;
}
