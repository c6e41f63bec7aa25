/**
 * dp-vae as a registry entry: a thin adapter over pipeline.ts's fitTable and sampleToFile (the model
 * directory, the model and the samples are exactly what they were before the registry existed).
 */
import { fitTable, sampleToFile } from '../../pipeline.js';
import type { ModelManifest } from '../modelFile.js';
import type { Synthesizer } from '../Synthesizer.js';

export const dpVaePlugin: Synthesizer = {
  name: 'dp-vae',
  description: 'a TVAE-architecture variational autoencoder trained with DP-SGD (or without DP), calibrated to noisy one-way marginals; the default',
  dp: 'optional',
  persistable: true,
  fit: (table, metadata, opts) => fitTable(table, metadata, opts),
  sample: (dir, opts) => sampleToFile(dir, opts),
  describe: (manifest) => {
    const m = manifest as Omit<ModelManifest, 'weights'>;
    return [
      `training: ${m.training.epochs} epochs, ${m.training.steps} steps, ${m.training.seconds.toFixed(1)} s on backend ${m.backend}, final loss ${m.training.finalLoss.toFixed(4)}`,
      `architecture: latent ${m.config.embeddingDim}, encoder ${m.config.compressDims.join('x')}, decoder ${m.config.decompressDims.join('x')}, batch ${m.config.batchSize}`,
    ];
  },
};
