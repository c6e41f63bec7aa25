/**
 * What the filler needs from a language model: turn one prompt into one raw JSON string under a
 * JSON-schema grammar, with a given seed, on one of `slots` parallel sequences. The node-llama-cpp
 * implementation is in nodeLlamaGenerator.ts; tests use fakes.
 */
import type { BuiltPrompt } from './buildPrompt.js';
import type { TextValueSchema } from './jsonSchemaFor.js';

export interface TextGenerationRequest {
  /** Which parallel sequence to use, 0 ≤ slot < slots. At most one request per slot runs at a time. */
  slot: number;
  prompt: BuiltPrompt;
  schema: TextValueSchema;
  /** A stable key for the schema (the column name), for caching its grammar. */
  schemaKey: string;
  seed: number;
  temperature: number;
  maxTokens: number;
  signal?: AbortSignal;
}

export interface GeneratorInfo {
  /** File name of the model (not its full path). */
  model: string;
  threads: number;
  sequences: number;
  promptStyle: 'chat' | 'completion';
  contextSize?: number;
}

export interface TextGenerator {
  /** How many requests may run at once (one per slot). */
  readonly slots: number;
  readonly info: GeneratorInfo;
  /** Called at the start of every fill, so that a run does not depend on what ran before it. */
  reset?(): Promise<void>;
  /** The model's raw output (expected to be JSON following `schema`; the filler checks it). */
  generate(req: TextGenerationRequest): Promise<string>;
  dispose(): Promise<void>;
}
