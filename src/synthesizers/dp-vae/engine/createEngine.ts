/**
 * Pick the VAE engine: onnxruntime-node when it loads here (~10x faster, see
 * benchmarks/trainSpeed.mjs), otherwise tfjs on its best backend.
 *
 * `PRIVSYNTH_ENGINE=onnx|tfjs` forces one; a forced onnx that cannot load is an error, not a
 * silent fallback. The two engines compute the same model and share the weights format.
 */
import { loadBackend } from '../../../nn/backend.js';
import { OnnxVaeEngine } from './OnnxVaeEngine.js';
import { TfjsVaeEngine } from './TfjsVaeEngine.js';
import type { VaeConfig } from '../VaeConfig.js';
import type { EncodedSpan, VaeEngine } from './VaeEngine.js';
import { env } from '../../../env.js';

export type EngineName = 'onnx' | 'tfjs';

/** Why onnxruntime was not used, when it was not (for `doctor` and logs). */
export let onnxUnavailableReason: string | null = null;

export async function createVaeEngine(
  dataDim: number,
  spans: EncodedSpan[],
  config: VaeConfig,
  seed: number,
  prefer: string | undefined = env.engine(),
): Promise<VaeEngine> {
  const want = prefer?.trim().toLowerCase() || undefined;
  if (want !== undefined && want !== 'onnx' && want !== 'tfjs') {
    throw new Error(`PRIVSYNTH_ENGINE must be 'onnx' or 'tfjs', got '${prefer}'`);
  }
  if (want !== 'tfjs') {
    try {
      const engine = new OnnxVaeEngine(dataDim, spans, config, seed);
      engine.prepare(); // build the training session now, so a failure falls back here, not mid-fit
      return engine;
    } catch (e) {
      onnxUnavailableReason = (e as Error)?.message?.split('\n')[0] ?? String(e);
      if (want === 'onnx') throw new Error(`PRIVSYNTH_ENGINE=onnx but onnxruntime-node could not be used: ${onnxUnavailableReason}`);
    }
  }
  const backend = await loadBackend();
  return new TfjsVaeEngine(backend, dataDim, spans, config, seed);
}
