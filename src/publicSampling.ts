/**
 * The `sampling` namespace of the public API (index.ts): the model-agnostic sampling room (sampling/index.ts)
 * and conditional sampling as dp-vae does it, guided in latent space (synthesizers/dp-vae/sample/guidedSample.ts),
 * which lived in sampling/ before the VAE wing and is still reached here under the same names.
 */
export * from './sampling/index.js';
export { sampleConditional, sampleConditionalBatches, type GuidedSource } from './synthesizers/dp-vae/sample/guidedSample.js';
