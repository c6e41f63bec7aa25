/**
 * The synthesizer registry: explicit, named entries (no discovery), and the lookups the jobs (src/jobs/)
 * dispatch with.
 *
 *   fit --synthesizer NAME ──► synthesizerFor(NAME).fit ──► model dir (manifest `synthesizer`: NAME)
 *   sample / info          ──► the manifest's `synthesizer` ──► synthesizerOfManifest(it).sampler / .describe
 *
 * An unknown name is an input error (exit 2) that lists the known ones.
 */
import { InputError, ModelError } from '../errors.js';
import { manifestSynthesizer } from './modelFile.js';
import type { Synthesizer } from './Synthesizer.js';
import { dpVaePlugin } from './dp-vae/dpVaePlugin.js';
import { mstSynthesizer } from './mst/MstSynthesizer.js';
import { gaussianCopulaTableSynthesizer, independentMarginalsTableSynthesizer } from './baselines/baselinePlugins.js';
import { tablePlugin } from './tablePlugin.js';
import * as msg from '../messages.js';

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
  if (!s) throw new InputError(msg.unknownSynthesizer(name, synthesizerNames()), { hint: msg.HINT_PASS_SYNTHESIZER });
  return s;
}

/** The synthesizer that wrote a model directory. @throws ModelError E_MODEL for one this privsynth does not have. */
export function synthesizerOfManifest(manifest: { synthesizer?: unknown }, dir: string): Synthesizer {
  const name = manifestSynthesizer(manifest);
  const s = SYNTHESIZERS.find((x) => x.name === name);
  if (!s) throw new ModelError(msg.synthesizerMissing(dir, name, synthesizerNames()), { location: { file: dir }, hint: msg.HINT_SAMPLE_WITH_FITTING_VERSION });
  return s;
}
