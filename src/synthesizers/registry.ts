/**
 * The synthesizer registry: explicit, named entries (no discovery), and the dispatch the CLI, `run`
 * and the benchmarks use.
 *
 *   fit --synthesizer NAME ──► synthesizerFor(NAME).fit ──► model dir (manifest `synthesizer`: NAME)
 *   sample / info          ──► the manifest's `synthesizer` ──► synthesizerFor(it).sample / .describe
 *
 * An unknown name is an input error (exit 2) that lists the known ones.
 */
import { InputError, ModelError } from '../errors.js';
import type { Metadata } from '../metadata/Metadata.js';
import type { Table } from '../table/Table.js';
import { checkPrivacySection } from '../privacy/checkPrivacySection.js';
import { loadTypedTable, type FitOptions, type SampleOptions, type SampleResult } from '../pipeline.js';
import { checkOutputLocation } from '../io/checkOutputLocation.js';
import { assertOutputAvailable } from '../io/assertOutputAvailable.js';
import { assertModelDirAvailable, loadModelDirectory, manifestSynthesizer, type AnyManifest } from './modelFile.js';
import type { Synthesizer, SynthesizerFitResult } from './Synthesizer.js';
import { dpVaePlugin } from './dp-vae/dpVaePlugin.js';
import { mstSynthesizer } from './mst/MstSynthesizer.js';
import { gaussianCopulaTableSynthesizer, independentMarginalsTableSynthesizer } from './baselines/baselinePlugins.js';
import { tablePlugin } from './tablePlugin.js';
import path from 'node:path';

export const DEFAULT_SYNTHESIZER = 'dp-vae';

/** Every synthesizer privsynth has, in the order `--help` lists them. */
export const SYNTHESIZERS: readonly Synthesizer[] = [
  dpVaePlugin,
  tablePlugin(mstSynthesizer),
  tablePlugin(independentMarginalsTableSynthesizer),
  tablePlugin(gaussianCopulaTableSynthesizer),
];

export function synthesizerNames(): string[] {
  return SYNTHESIZERS.map((s) => s.name);
}

/** @throws InputError E_INPUT (exit 2) for a name that is not registered, listing the known ones. */
export function synthesizerFor(name: string): Synthesizer {
  const s = SYNTHESIZERS.find((x) => x.name === name);
  if (!s) throw new InputError(`unknown synthesizer "${name}"; known: ${synthesizerNames().join(', ')}`, { hint: 'pass one of them to --synthesizer (privsynth fit --help describes each)' });
  return s;
}

export type ModelFitOptions = Omit<FitOptions, 'schema'>;

/** Fit the synthesizer `opts.synthesizer` (default dp-vae) on a typed table and write the model directory. */
export async function fitModel(table: Table, metadata: Metadata, opts: ModelFitOptions): Promise<SynthesizerFitResult> {
  const s = synthesizerFor(opts.synthesizer ?? DEFAULT_SYNTHESIZER);
  return s.fit(table, metadata, { ...opts, synthesizer: s.name });
}

/** fitModel on a table file (schema given or inferred). */
export async function fitModelFile(file: string, opts: FitOptions): Promise<SynthesizerFitResult> {
  synthesizerFor(opts.synthesizer ?? DEFAULT_SYNTHESIZER); // an unknown name fails before reading anything
  await checkOutputLocation(opts.out, { kind: 'directory' });
  await assertModelDirAvailable(opts.out, opts.force);
  const { table, metadata } = await loadTypedTable(file, opts.schema);
  const { schema: _s, ...rest } = opts;
  return fitModel(table, metadata, rest);
}

/** The synthesizer that wrote a model directory. @throws ModelError E_MODEL for one this privsynth does not have. */
export function synthesizerOfManifest(manifest: { synthesizer?: unknown }, dir: string): Synthesizer {
  const name = manifestSynthesizer(manifest);
  const s = SYNTHESIZERS.find((x) => x.name === name);
  if (!s) throw new ModelError(`the model in ${dir} was fitted by the synthesizer "${name}", which this privsynth does not have (known: ${synthesizerNames().join(', ')})`, { location: { file: dir }, hint: 'sample it with the privsynth version that fitted it, or fit the model again' });
  return s;
}

/** Sample any model directory, dispatching on its manifest's `synthesizer`. */
export async function sampleModel(dir: string, opts: SampleOptions): Promise<SampleResult> {
  await checkOutputLocation(opts.out, { kind: 'file' }); // before loading the model (exit 2 in milliseconds)
  await assertOutputAvailable(opts.out, { force: opts.force });
  const { manifest } = await loadModelDirectory(dir);
  return synthesizerOfManifest(manifest, dir).sample(dir, opts);
}

/** A model directory's manifest (privacy section checked) and its synthesizer's description lines. */
export async function describeModel(dir: string): Promise<{ manifest: AnyManifest; synthesizer: Synthesizer; lines: string[] }> {
  const { manifest } = await loadModelDirectory(dir);
  checkPrivacySection(manifest.privacy, path.join(dir, 'manifest.json'));
  const synthesizer = synthesizerOfManifest(manifest, dir);
  return { manifest, synthesizer, lines: synthesizer.describe(manifest) };
}
