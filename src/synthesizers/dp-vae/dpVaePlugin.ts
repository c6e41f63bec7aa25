/**
 * dp-vae as a registry entry: its fit (fit/fitDpVae.ts) and its sampling stream (sample/dpVaeSampler.ts);
 * the model directory, the model and the samples are exactly what they were before the registry existed.
 */
import type { ModelManifest } from '../modelFile.js';
import type { Synthesizer } from '../Synthesizer.js';
import { fitDpVae } from './fit/fitDpVae.js';
import { dpVaeSampler } from './sample/dpVaeSampler.js';

export const dpVaePlugin: Synthesizer = {
  name: 'dp-vae',
  description: 'a TVAE-architecture variational autoencoder trained with DP-SGD (or without DP), calibrated to noisy one-way marginals; the default',
  dp: 'optional',
  persistable: true,
  fit: (table, metadata, opts) => fitDpVae(table, metadata, opts),
  sampler: (model, opts, text) => dpVaeSampler(model, opts, text),
  describe: (manifest) => {
    const m = manifest as Omit<ModelManifest, 'weights'>;
    return [
      `training: ${m.training.epochs} epochs, ${m.training.steps} steps, ${m.training.seconds.toFixed(1)} s on backend ${m.backend}, final loss ${m.training.finalLoss.toFixed(4)}`,
      `architecture: latent ${m.config.embeddingDim}, encoder ${m.config.compressDims.join('x')}, decoder ${m.config.decompressDims.join('x')}, batch ${m.config.batchSize}`,
    ];
  },
};
