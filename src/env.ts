/**
 * Every PRIVSYNTH_* environment variable, read here and nowhere else. Each is read when asked for
 * (not cached: tests and long-lived hosts may set them), typed, and described below; an unset or
 * empty variable is `undefined` (the caller's default applies).
 *
 *   PRIVSYNTH_ENGINE          onnx | tfjs: force the VAE engine (an onnx that cannot load is an error)
 *   PRIVSYNTH_BACKEND         node | wasm | cpu: force the tfjs backend of the tfjs engine
 *   PRIVSYNTH_TRAIN_THREADS   positive integer: threads that train (the main thread included)
 *   PRIVSYNTH_ORT_THREADS     positive integer: onnxruntime intra-op threads of the training session
 *   PRIVSYNTH_SAMPLE_WORKERS  positive integer: threads that sample (this one included; 1 = no workers)
 *   PRIVSYNTH_NO_WASM         any non-empty value: use the JS fallbacks of the WebAssembly kernels
 *                             (src/kernels/; the same output, slower)
 *
 * Values that are not what the variable takes (a thread count of "x" or 0) are ignored, as before this
 * module; PRIVSYNTH_ENGINE is checked by createVaeEngine, which names the accepted values.
 */

const raw = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

const positiveInt = (name: string): number | undefined => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
};

export const env = {
  /** PRIVSYNTH_ENGINE as given (createVaeEngine validates it). */
  engine: (): string | undefined => raw('PRIVSYNTH_ENGINE'),
  /** PRIVSYNTH_BACKEND as given ('cpu' and 'wasm' narrow the tfjs backends tried). */
  backend: (): string | undefined => raw('PRIVSYNTH_BACKEND'),
  trainThreads: (): number | undefined => positiveInt('PRIVSYNTH_TRAIN_THREADS'),
  ortThreads: (): number | undefined => positiveInt('PRIVSYNTH_ORT_THREADS'),
  sampleWorkers: (): number | undefined => positiveInt('PRIVSYNTH_SAMPLE_WORKERS'),
  /** true: the WebAssembly kernels are not used (their JS fallbacks give the same output). */
  noWasm: (): boolean => raw('PRIVSYNTH_NO_WASM') !== undefined,
} as const;
