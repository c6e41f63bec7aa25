/** Text columns written by a local LLM: the public API of src/text (re-exported by src/index.ts). */
export { LlmTextFiller } from './LlmTextFiller.js';
export type {
  LlmTextFillerLoadOptions, LlmTextFillerSettings, FillOptions, FillProgress, RealValuesToGuard,
  TextFillReport, TextColumnReport, LeakCounts,
} from './LlmTextFiller.js';
export type { TextGenerator, TextGenerationRequest, GeneratorInfo } from './TextGenerator.js';
export { NodeLlamaGenerator, defaultNodeLlamaCppLoader } from './nodeLlamaGenerator.js';
export type { NodeLlamaGeneratorOptions, NodeLlamaCppLoader, NodeLlamaCppModule } from './nodeLlamaGenerator.js';
export { buildPrompt, contextColumns, formatValue, NO_IDENTIFIERS_RULE, REAL_EXAMPLES_CAVEAT } from './buildPrompt.js';
export type { BuildPromptInput, BuiltPrompt, PromptExample } from './buildPrompt.js';
export { jsonSchemaFor, declaredJsonSchema, parseGenerated, schemaViolation, cellOf, DEFAULT_TEXT_MAX_LENGTH } from './jsonSchemaFor.js';
export type { JsonSchema, TextValueSchema, ParsedValue } from './jsonSchemaFor.js';
export { resolveModelPath } from './resolveModelPath.js';
export { LeakGuard, redact, wordSet, isIdentifierColumn, REDACTED, DEFAULT_RARE_ROW_THRESHOLD, DEFAULT_MIN_LENGTH } from './leakGuard.js';
export type { LeakGuardOptions, LeakGuardStats, LeakKind, LeakMatch } from './leakGuard.js';
export { consistencyCheck, checkTextColumn, checkTextColumns, lengthStats } from './consistencyCheck.js';
export type { ConsistencyResult, LengthStats, TextColumnQuality } from './consistencyCheck.js';
export { tokenize, PhraseIndex } from './phraseIndex.js';
