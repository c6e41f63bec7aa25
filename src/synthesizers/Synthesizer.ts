/**
 * The contract every synthesizer in the registry (./registry.ts) meets, so `fit --synthesizer NAME`,
 * `run`, `sample`, `info` and the benchmarks can fit, save, load and sample any of them the same way.
 *
 *   typed Table + Metadata ──► Synthesizer.fit(table, metadata, { out, dp, seed, ... }) ──► model dir
 *   model dir (manifest.json: `synthesizer` = the registry name) ──► Synthesizer.sample(dir, opts) ──► file
 *   manifest ──► Synthesizer.describe(manifest) ──► lines for `privsynth info`
 *
 * dp-vae meets it through a thin adapter over pipeline.ts (its model directory is unchanged). The others
 * implement the smaller in-memory contract {@link TableSynthesizer} (fit to a JSON state, sample a Table),
 * and tablePlugin.ts turns one into a {@link Synthesizer}: it writes the generic model directory (manifest
 * with the state under `model`, an empty weights file) and streams samples to a file.
 *
 * Under DP a stored state holds only public or DP-released values: no rows, no exact counts.
 */
import type { Metadata } from '../metadata/Metadata.js';
import type { Table } from '../table/Table.js';
import type { PrivacyLedger } from '../privacy/PrivacyLedger.js';
import type { FitOptions, SampleOptions, SampleResult } from '../pipeline.js';
import type { AnyManifest } from './modelFile.js';

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
  sample(dir: string, opts: SampleOptions): Promise<SampleResult>;
  /** One line per fact for `privsynth info` (what was fitted), without the privacy section. */
  describe(manifest: Omit<AnyManifest, 'weights'>): string[];
}

export interface TableFitOptions {
  /** Differential privacy for the whole fit; omit for a model that is NOT differentially private. */
  dp?: { epsilon: number; delta: number; preprocessingShare?: number };
  seed: number;
  /** The ledger to record every release in; the synthesizer spends at most `dp` in total. */
  ledger: PrivacyLedger;
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
