/**
 * {@link TextGenerator} on node-llama-cpp: one model, one context with `sequences` sequences, one
 * chat session or completion object per sequence, one JSON-schema grammar per column.
 *
 * node-llama-cpp is imported lazily (`loader`), so privsynth works where it cannot load; every
 * failure to load becomes an LlmError.
 *
 * Threads: always explicit. On small machines node-llama-cpp's default (at least 4) oversubscribes
 * the cores and makes tiny models hundreds of times slower; see models/README.md.
 */
import path from 'node:path';
import { LlmError } from '../errors.js';
import { disableNativeTelemetry } from '../security/nativeTelemetry.js';
import type { GeneratorInfo, TextGenerationRequest, TextGenerator } from './TextGenerator.js';
import * as msg from '../messages.js';

export type NodeLlamaCppModule = typeof import('node-llama-cpp');
export type NodeLlamaCppLoader = () => Promise<NodeLlamaCppModule>;

export const defaultNodeLlamaCppLoader: NodeLlamaCppLoader = () => import('node-llama-cpp');

export interface NodeLlamaGeneratorOptions {
  modelPath: string;
  /** CPU threads for evaluation. Required: see the module comment. */
  threads: number;
  /** Parallel sequences (rows generated at once). Default 1. */
  sequences?: number;
  /** Tokens per sequence. Default: as large as memory allows up to 4096 (and the model's training context). */
  contextSize?: number;
  /** 'auto' (default): chat when the GGUF file has a chat template, plain completion otherwise. */
  promptStyle?: 'auto' | 'chat' | 'completion';
  /** 'auto' lets node-llama-cpp use a GPU build when one is installed; default false (CPU). */
  gpu?: 'auto' | false;
  /** Injected for tests; default `import('node-llama-cpp')`. */
  loader?: NodeLlamaCppLoader;
}

const RUN_WITHOUT = msg.HINT_RUN_WITHOUT_LLM;

type Llama = Awaited<ReturnType<NodeLlamaCppModule['getLlama']>>;
type Model = Awaited<ReturnType<Llama['loadModel']>>;
type Context = Awaited<ReturnType<Model['createContext']>>;
type Sequence = ReturnType<Context['getSequence']>;
type Grammar = Awaited<ReturnType<Llama['createGrammarForJsonSchema']>>;

interface Slot {
  sequence: Sequence;
  chat?: InstanceType<NodeLlamaCppModule['LlamaChatSession']>;
  completion?: InstanceType<NodeLlamaCppModule['LlamaCompletion']>;
}

export class NodeLlamaGenerator implements TextGenerator {
  readonly slots: number;
  readonly info: GeneratorInfo;
  private grammars = new Map<string, Promise<Grammar>>();
  private disposed = false;

  private constructor(
    private readonly llama: Llama,
    private readonly model: Model,
    private readonly context: Context,
    private readonly slotState: Slot[],
    info: GeneratorInfo,
  ) {
    this.slots = slotState.length;
    this.info = info;
  }

  /**
   * Loads node-llama-cpp, the model and a context.
   * @throws LlmError (E_LLM) when node-llama-cpp, the model or the context cannot be loaded
   */
  static async load(opts: NodeLlamaGeneratorOptions): Promise<NodeLlamaGenerator> {
    const threads = opts.threads;
    if (!Number.isInteger(threads) || threads < 1) {
      throw new LlmError(msg.threadsInvalid(threads), { hint: msg.HINT_THREADS });
    }
    const sequences = opts.sequences ?? 1;
    if (!Number.isInteger(sequences) || sequences < 1 || sequences > 64) {
      throw new LlmError(msg.sequencesInvalid(sequences));
    }
    let mod: NodeLlamaCppModule;
    let llama: Llama;
    try {
      disableNativeTelemetry();
      mod = await (opts.loader ?? defaultNodeLlamaCppLoader)();
      if (typeof mod?.getLlama !== 'function') throw new Error('the module has no getLlama export');
      llama = await mod.getLlama({
        gpu: opts.gpu ?? false,
        build: 'never',
        usePrebuiltBinaries: true,
        skipDownload: true,
        progressLogs: false,
        logLevel: mod.LlamaLogLevel?.error ?? ('error' as never),
        maxThreads: threads,
      });
    } catch (e) {
      throw new LlmError(msg.llamaCannotLoad(errText(e)), {
        cause: e,
        hint: msg.hintLlamaInstalled(RUN_WITHOUT),
      });
    }
    let model: Model | undefined;
    try {
      model = await llama.loadModel({ modelPath: opts.modelPath });
      const context = await model.createContext({
        sequences,
        threads,
        contextSize: opts.contextSize ?? { max: 4096 },
      });
      const meta = model.fileInfo.metadata as { tokenizer?: { chat_template?: string } } | undefined;
      const style = opts.promptStyle && opts.promptStyle !== 'auto' ? opts.promptStyle : meta?.tokenizer?.chat_template ? 'chat' : 'completion';
      const slots: Slot[] = [];
      for (let i = 0; i < sequences; i++) {
        const sequence = context.getSequence();
        slots.push(
          style === 'chat'
            ? { sequence, chat: new mod.LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false }) }
            : { sequence, completion: new mod.LlamaCompletion({ contextSequence: sequence }) },
        );
      }
      return new NodeLlamaGenerator(llama, model, context, slots, {
        model: path.basename(opts.modelPath),
        threads,
        sequences,
        promptStyle: style,
        contextSize: context.contextSize,
      });
    } catch (e) {
      await model?.dispose().catch(() => undefined);
      await llama.dispose().catch(() => undefined);
      throw new LlmError(msg.llmModelCannotLoad(opts.modelPath, errText(e)), {
        cause: e,
        location: { file: opts.modelPath },
        hint: msg.hintCompleteGguf(RUN_WITHOUT),
      });
    }
  }

  /** Clears every sequence, so a fill's output does not depend on earlier fills. */
  async reset(): Promise<void> {
    for (const s of this.slotState) {
      s.chat?.resetChatHistory();
      await s.sequence.clearHistory();
    }
  }

  async generate(req: TextGenerationRequest): Promise<string> {
    if (this.disposed) throw new LlmError(msg.FILLER_DISPOSED);
    const slot = this.slotState[req.slot];
    if (!slot) throw new RangeError(`slot ${req.slot} out of range 0..${this.slots - 1}`);
    let g = this.grammars.get(req.schemaKey);
    if (!g) {
      g = this.llama.createGrammarForJsonSchema(req.schema.schema as never) as Promise<Grammar>;
      this.grammars.set(req.schemaKey, g);
    }
    const grammar = await g;
    const common = {
      grammar,
      maxTokens: req.maxTokens,
      temperature: req.temperature,
      seed: req.seed,
      signal: req.signal,
    };
    if (slot.chat) {
      slot.chat.setChatHistory([{ type: 'system', text: req.prompt.system }]);
      return slot.chat.prompt(req.prompt.user, common);
    }
    return slot.completion!.generateCompletion(req.prompt.completion, common);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.slotState) {
      s.chat?.dispose({ disposeSequence: false });
      s.completion?.dispose();
    }
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
