/** text/: the LLM text filler's refusals (settings, the model file, node-llama-cpp, JSON schemas of text columns, real examples). Re-exported by ../messages.ts, which call sites import. */

// ---- the model file (text/resolveModelPath.ts) -----------------------------------------------------------------

export const NO_LLM_MODEL = 'no LLM model given';
export const llmModelNotFound = (name: string, looked: readonly string[], folder: string, present: readonly string[] | null): string =>
  `LLM model "${name}" not found (looked at ${looked.join(', ')}). ` +
  (present === null ? `The folder ${folder} does not exist.` : present.length ? `${folder} holds: ${present.join(', ')}.` : `${folder} holds no .gguf file.`);
export const notGguf = (file: string): string => `${file} is not a GGUF model file (it does not start with "GGUF")`;
export const hintModels = (modelsDir: string): string =>
  `put a GGUF model file in ${modelsDir}/ (see models/README.md) and pass its name or path to --llm-model; ` +
  'privsynth never downloads models. the pipeline also runs without --llm-model (text columns are then left out of the output)';

// ---- node-llama-cpp (text/nodeLlamaGenerator.ts) ---------------------------------------------------------------

export const HINT_RUN_WITHOUT_LLM = 'the pipeline can run without --llm-model (text columns are then left out of the output)';
export const threadsInvalid = (threads: number): string => `threads must be a positive integer, got ${threads}`;
export const HINT_THREADS = 'use the number of physical cores, or 1 for tiny models';
export const sequencesInvalid = (sequences: number): string => `sequences must be an integer from 1 to 64, got ${sequences}`;
export const llamaCannotLoad = (why: string): string => `node-llama-cpp could not load: ${why}`;
export const hintLlamaInstalled = (runWithout: string): string => `check that node-llama-cpp and its prebuilt binary for this platform are installed (npm ls node-llama-cpp); ${runWithout}`;
export const llmModelCannotLoad = (file: string, why: string): string => `could not load the model ${file} with node-llama-cpp: ${why}`;
export const hintCompleteGguf = (runWithout: string): string => `check that the file is a complete GGUF model (a smaller contextSize or fewer sequences need less memory); ${runWithout}`;
export const FILLER_DISPOSED = 'the LLM text filler was disposed';

// ---- the text filler (text/LlmTextFiller.ts, text/jsonSchemaFor.ts, text/buildPrompt.ts) -----------------------

export const llmTemperatureRange = (temperature: number): string => `temperature must be in [0, 5], got ${temperature}`;
export const seedNotFinite = (seed: number): string => `seed must be a finite number, got ${seed}`;
export const retriesInvalid = (key: string, value: number): string => `${key} must be a non-negative integer, got ${value}`;
export const maxTokensInvalid = (maxTokens: number): string => `maxTokens must be a positive integer, got ${maxTokens}`;
export const FILL_ALREADY_RUNNING = 'LlmTextFiller.fill is already running; await it before starting another';
export const textGenerationFailed = (why: string): string => `text generation failed: ${why}`;
export const notKeptTextColumns = (names: readonly string[]): string => `not kept text columns of the schema: ${names.join(', ')}`;
export const hintTextColumns = (names: readonly string[]): string => `text columns in the schema: ${names.join(', ') || '(none)'}`;
export const NO_MODEL_LOADED = 'no model loaded';
export const unusableJsonSchema = (column: string, problems: string): string => `text column "${column}": unusable JSON schema for generated values: ${problems}`;
export const HINT_OBJECT_SCHEMA = 'declare an object schema using type, properties, required, enum, const, oneOf, items, minLength/maxLength (no $ref)';
export const textMaxLengthInvalid = (column: string, maxLength: number): string => `text column "${column}": text.maxLength must be a positive integer, got ${maxLength}`;
export const realExamplesRefused = (column: string): string =>
  `text column "${column}": real examples were passed without allowRealExamples: true; refusing to show real text to the model`;
export const HINT_SCHEMA_EXAMPLES = 'write examples in the schema (text.examples), or opt in explicitly with allowRealExamples: true';
