/**
 * `privsynth fit`: a table file (or a typed table) to a model directory, by the synthesizer `opts.synthesizer`
 * (default dp-vae) of the registry.
 *
 *   synthesizerFor(name) (an unknown name fails before reading) ──► checkOutputLocation ──► model dir free?
 *   ──► loadTypedTable (io/readTable ──► schema: --schema or inferred ──► coerceTable) ──► Synthesizer.fit
 */
import { checkOutputLocation } from '../io/checkOutputLocation.js';
import type { Metadata } from '../metadata/Metadata.js';
import { assertModelDirAvailable } from '../synthesizers/modelFile.js';
import type { FitOptions } from '../synthesizers/options.js';
import { DEFAULT_SYNTHESIZER, synthesizerFor } from '../synthesizers/registry.js';
import type { SynthesizerFitResult } from '../synthesizers/Synthesizer.js';
import type { Table } from '../table/Table.js';
import { checkTarget } from './checkTarget.js';
import { loadTypedTable } from './loadTypedTable.js';

/** Fit on a table file (schema given or inferred) and write the model directory `opts.out`. */
export async function fit(file: string, opts: FitOptions): Promise<SynthesizerFitResult> {
  synthesizerFor(opts.synthesizer ?? DEFAULT_SYNTHESIZER); // an unknown name fails before reading anything
  await checkOutputLocation(opts.out, { kind: 'directory' }); // before reading and training
  await assertModelDirAvailable(opts.out, opts.force);
  const { table, metadata, warnings } = await loadTypedTable(file, opts.schema);
  for (const w of warnings) opts.onWarning?.(w);
  const { schema: _s, ...rest } = opts;
  return fitTable(table, metadata, rest);
}

/** Fit on a typed table (see loadTypedTable) and write the model directory `opts.out`. */
export async function fitTable(table: Table, metadata: Metadata, opts: Omit<FitOptions, 'schema'>): Promise<SynthesizerFitResult> {
  const s = synthesizerFor(opts.synthesizer ?? DEFAULT_SYNTHESIZER);
  checkTarget(metadata, opts.target, table.source); // before training: dp-vae measures the target's pairs
  return s.fit(table, metadata, { ...opts, synthesizer: s.name });
}
