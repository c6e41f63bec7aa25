/** `privsynth info`: a model directory's manifest (privacy section checked) and its synthesizer's description. */
import path from 'node:path';
import { checkPrivacySection } from '../privacy/checkPrivacySection.js';
import { loadModel, loadModelDirectory, type AnyManifest, type ModelManifest } from '../synthesizers/modelFile.js';
import { synthesizerOfManifest } from '../synthesizers/registry.js';
import type { Synthesizer } from '../synthesizers/Synthesizer.js';

export interface InfoResult {
  manifest: AnyManifest;
  synthesizer: Synthesizer;
  /** One line per fact for `privsynth info` (what was fitted), without the privacy section. */
  lines: string[];
}

/** @throws ModelError E_MODEL for a directory that is not a model, or whose privacy section is inconsistent. */
export async function info(dir: string): Promise<InfoResult> {
  const { manifest } = await loadModelDirectory(dir);
  checkPrivacySection(manifest.privacy, path.join(dir, 'manifest.json'));
  const synthesizer = synthesizerOfManifest(manifest, dir);
  return { manifest, synthesizer, lines: synthesizer.describe(manifest) };
}

/** The manifest of a dp-vae model directory, its privacy section checked for consistency (E_MODEL if not). */
export async function modelInfo(dir: string): Promise<ModelManifest> {
  const { manifest } = await loadModel(dir);
  checkPrivacySection(manifest.privacy, path.join(dir, 'manifest.json'));
  return manifest;
}
