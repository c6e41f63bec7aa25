/** A dp-vae model directory as a DpVaeSynthesizer: the engine with the stored weights and calibration. */
import { ModelError } from '../../../errors.js';
import { storedCalibration } from './calibration.js';
import { TableEncoder } from '../../../transformers/TableEncoder.js';
import { loadModel, type ModelManifest } from '../../modelFile.js';
import { DpVaeSynthesizer } from '../DpVaeSynthesizer.js';
import type { NamedWeight } from '../engine/VaeEngine.js';
import * as msg from '../../../messages.js';

export async function loadSynthesizer(dir: string): Promise<{ synth: DpVaeSynthesizer; manifest: ModelManifest }> {
  const { manifest, weights } = await loadModel(dir);
  return { synth: await dpVaeFromModel(manifest, weights, dir), manifest };
}

/** The synthesizer of a loaded dp-vae model directory. @throws ModelError E_MODEL when the weights do not fit the manifest's network. */
export async function dpVaeFromModel(manifest: ModelManifest, weights: NamedWeight[], dir: string): Promise<DpVaeSynthesizer> {
  const encoder = TableEncoder.fromJSON(manifest.encoder);
  const synth = await DpVaeSynthesizer.create(manifest.schema, encoder, manifest.config, manifest.seed);
  try {
    synth.engine.importWeights(weights);
    const stored = manifest.calibration ? storedCalibration(weights, encoder.columns, encoder.width) : null;
    if (stored) synth.storedCalibration = stored;
  } catch (e) {
    if (e instanceof ModelError) {
      synth.engine.dispose();
      throw e;
    }
    synth.engine.dispose();
    throw weightsDoNotFitError(dir, e);
  }
  return synth;
}

/** E_MODEL: the weights of `dir` do not fit the network its manifest describes (`e` says how). */
export function weightsDoNotFitError(dir: string, e: unknown): ModelError {
  return new ModelError(msg.weightsDoNotFit(dir, (e as Error).message), { location: { file: dir }, hint: msg.HINT_MODEL_MIXED });
}
