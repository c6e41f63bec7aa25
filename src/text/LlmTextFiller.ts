/**
 * Fills the text columns of a synthetic table with a local GGUF model through node-llama-cpp.
 *
 * ```
 *  synthetic row (structured values only) ──► buildPrompt ──► model (JSON-schema grammar, seed per row)
 *        ▲                                                        │
 *        │                          parse + schema check ◄────────┘  (invalid: retry with a new seed)
 *        │                                   │
 *        │          leak guard (real identifier values, rare real words, mustNotContain)
 *        │                    │ found: regenerate with a new seed (up to leakRetries), then redact
 *        └── next k rows      ▼
 *                       cell; report (counts, lengths, consistency)
 * ```
 *
 * The model is loaded once ({@link LlmTextFiller.load}) and used for any number of fills. Rows go
 * k at a time (k = context sequences), one per sequence, in parallel. Row i of column c gets seeds
 * from `new Rng(seed).fork("text\0" + c + "\0" + (rowOffset + i))`, so a run is reproducible and a
 * table sampled in batches gets the same text as one sampled at once (pass `rowOffset`).
 *
 * Privacy: prompts carry synthetic structured values and the user's own schema text only, unless
 * the caller opts in to real examples (`allowRealExamples`), which the report then flags. The leak
 * guard's real values live in memory for the duration of `fill` and never reach the report.
 */
import { CancelledError, LlmError, PrivsynthError } from '../errors.js';
import type { ColumnSpec, Metadata } from '../metadata/Metadata.js';
import { Rng } from '../rng.js';
import type { Cell, Table } from '../table/Table.js';
import { makeTable } from '../table/Table.js';
import { buildPrompt, contextColumns } from './buildPrompt.js';
import { checkTextColumn, type ConsistencyResult, type LengthStats } from './consistencyCheck.js';
import { jsonSchemaFor, parseGenerated, schemaViolation, cellOf, type JsonSchema, type TextValueSchema } from './jsonSchemaFor.js';
import {
  LeakGuard, forbiddenIndex, redact, scanForbidden, wordSet, REDACTED,
  type LeakGuardOptions, type LeakGuardStats, type LeakKind, type LeakMatch,
} from './leakGuard.js';
import { tokenize } from './phraseIndex.js';
import { NodeLlamaGenerator, type NodeLlamaCppLoader } from './nodeLlamaGenerator.js';
import type { GeneratorInfo, TextGenerator } from './TextGenerator.js';
import * as msg from '../messages.js';

export interface LlmTextFillerSettings {
  /** Sampling temperature; 0 = greedy. Default 0.7. */
  temperature?: number;
  /** The run seed. Default 0. */
  seed?: number;
  /** What to do with a value the leak guard flags: regenerate (then redact when retries run out) or redact at once. Default 'regenerate'. */
  guardMode?: 'regenerate' | 'redact';
  /** Regenerations per value after a leak. Default 3. */
  leakRetries?: number;
  /** Regenerations per value after output that does not parse or fit the schema. Default 2. */
  invalidRetries?: number;
  /** Token limit per value. Default: maxLength + 32 for plain text, 512 for object schemas. */
  maxTokens?: number;
}

export interface LlmTextFillerLoadOptions extends LlmTextFillerSettings {
  /** Path of the GGUF file (see resolveModelPath). */
  modelPath: string;
  /** CPU threads. Required: the default of node-llama-cpp oversubscribes small machines. 1 for tiny models. */
  threads: number;
  /** Tokens per sequence. Default: what memory allows, up to 4096. */
  contextSize?: number;
  /** Parallel sequences = rows generated at once. Default 1. */
  sequences?: number;
  /** 'auto' (default): chat when the GGUF has a chat template, else plain completion. */
  promptStyle?: 'auto' | 'chat' | 'completion';
  gpu?: 'auto' | false;
  /** Injected for tests; default `import('node-llama-cpp')`. */
  loader?: NodeLlamaCppLoader;
}

/** The real table to guard against; or a guard the caller built (and clears) itself. */
export type RealValuesToGuard = ({ table: Table; metadata?: Metadata } & LeakGuardOptions) | LeakGuard;

export interface FillProgress {
  column: string;
  /** Values done over all text columns, and their total. */
  done: number;
  total: number;
}

export interface FillOptions {
  onProgress?: (p: FillProgress) => void;
  signal?: AbortSignal;
  /** The real table (and options) for the leak guard. Without it only `mustNotContain` is enforced. */
  realValuesToGuard?: RealValuesToGuard;
  /** Index of the table's first row in the whole synthetic output (for seeds when sampling in batches). Default 0. */
  rowOffset?: number;
  /** Override the run seed for this fill. */
  seed?: number;
  /** Fill only these text columns (default: every kept text column of the schema). */
  columns?: readonly string[];
  /** Object schemas per column for structured text (override `text.jsonSchema`). */
  jsonSchemas?: Readonly<Record<string, JsonSchema>>;
  /** Few-shot examples drawn from the REAL data per column; used only with allowRealExamples: true. */
  realExamples?: Readonly<Record<string, readonly string[]>>;
  allowRealExamples?: boolean;
}

export interface LeakCounts {
  /** Generated outputs in which the guard found something (every attempt counts). */
  flaggedOutputs: number;
  /** Times a value was generated again because of a leak. */
  regenerations: number;
  /** Final values with at least one span replaced by "[redacted]". */
  redactedValues: number;
  /** Spans replaced. */
  redactedMatches: number;
  /** Matches by kind over all flagged outputs. */
  byKind: Record<LeakKind, number>;
  /** Matches by the real column the value or word came from (names only, never values). */
  bySourceColumn: Record<string, number>;
}

export interface TextColumnReport {
  column: string;
  kind: 'text' | 'object';
  maxLength?: number;
  rows: number;
  /** Cells holding a schema-valid value. */
  filled: number;
  /** Cells left missing because no valid value came out within the retries. */
  failed: number;
  /** Model calls. */
  generations: number;
  /** Outputs that did not parse or did not fit the schema. */
  invalidOutputs: number;
  leaks: LeakCounts;
  lengths: LengthStats;
  consistency?: ConsistencyResult;
  usedRealExamples: boolean;
}

export interface TextFillReport {
  generator: GeneratorInfo;
  seed: number;
  temperature: number;
  rowOffset: number;
  rows: number;
  durationMs: number;
  /** What the leak guard looked for (counts and column names), or null when no real table was given. */
  guard: (LeakGuardStats & { mode: 'regenerate' | 'redact' }) | null;
  columns: TextColumnReport[];
  /** Privacy caveats (real examples shown to the model, no leak guard). */
  caveats: string[];
}

const NO_GUARD_CAVEAT = 'no real table was given to the leak guard: generated text was not checked for real identifier values or rare real words';

export class LlmTextFiller {
  private readonly settings: Required<Omit<LlmTextFillerSettings, 'maxTokens'>> & { maxTokens?: number };
  private busy = false;

  private constructor(private readonly generator: TextGenerator, settings: LlmTextFillerSettings) {
    const temperature = settings.temperature ?? 0.7;
    if (!(temperature >= 0 && temperature <= 5)) throw new LlmError(msg.llmTemperatureRange(temperature));
    const seed = settings.seed ?? 0;
    if (!Number.isFinite(seed)) throw new LlmError(msg.seedNotFinite(seed));
    for (const k of ['leakRetries', 'invalidRetries'] as const) {
      const v = settings[k];
      if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new LlmError(msg.retriesInvalid(k, v));
    }
    if (settings.maxTokens !== undefined && !(Number.isInteger(settings.maxTokens) && settings.maxTokens > 0)) {
      throw new LlmError(msg.maxTokensInvalid(settings.maxTokens));
    }
    this.settings = {
      temperature,
      seed,
      guardMode: settings.guardMode ?? 'regenerate',
      leakRetries: settings.leakRetries ?? 3,
      invalidRetries: settings.invalidRetries ?? 2,
      maxTokens: settings.maxTokens,
    };
  }

  /**
   * Loads node-llama-cpp (lazily) and the model, once per run.
   * @throws LlmError (E_LLM) when node-llama-cpp or the model cannot be loaded; the message says the pipeline can run without --llm-model
   */
  static async load(opts: LlmTextFillerLoadOptions): Promise<LlmTextFiller> {
    const settings = new LlmTextFiller(nullGenerator, opts).settings; // validate before the slow load
    const gen = await NodeLlamaGenerator.load(opts);
    return new LlmTextFiller(gen, settings);
  }

  /** A filler over any generator (tests, other runtimes). The filler disposes it. */
  static fromGenerator(generator: TextGenerator, settings: LlmTextFillerSettings = {}): LlmTextFiller {
    return new LlmTextFiller(generator, settings);
  }

  get info(): GeneratorInfo {
    return this.generator.info;
  }

  /**
   * Fills every text column (kept, type `text`) for every row of a synthetic table.
   *
   * @param table the synthetic table (structured columns sampled); text columns in it are replaced, missing ones appended
   * @param metadata the schema
   * @returns a new table and the report; the input table is not changed
   * @throws CancelledError when `signal` aborts; LlmError on runtime failures or misuse
   */
  async fill(table: Table, metadata: Metadata, opts: FillOptions = {}): Promise<{ table: Table; report: TextFillReport }> {
    if (this.busy) throw new LlmError(msg.FILL_ALREADY_RUNNING);
    this.busy = true;
    const t0 = performance.now();
    let ownGuard: LeakGuard | undefined;
    try {
      const s = this.settings;
      const seed = opts.seed ?? s.seed;
      const rowOffset = opts.rowOffset ?? 0;
      const textCols = this.textColumns(metadata, opts.columns);
      let guard: LeakGuard | undefined;
      if (opts.realValuesToGuard instanceof LeakGuard) guard = opts.realValuesToGuard;
      else if (opts.realValuesToGuard) {
        const { table: real, metadata: realMd, ...gopts } = opts.realValuesToGuard;
        guard = ownGuard = LeakGuard.fromTable(real, realMd ?? metadata, gopts);
      }
      const caveats: string[] = [];
      if (!guard) caveats.push(NO_GUARD_CAVEAT);

      const n = table.rowCount;
      const ctxCols = contextColumns(metadata).filter((c) => table.names.includes(c.name));
      const ctxArrays = ctxCols.map((c) => table.columns[table.names.indexOf(c.name)]!);
      const rowAt = (i: number): Record<string, Cell> => {
        const r: Record<string, Cell> = {};
        ctxCols.forEach((c, j) => (r[c.name] = ctxArrays[j]![i]!));
        return r;
      };

      await this.generator.reset?.();
      const total = n * textCols.length;
      let done = 0;
      const outputs = new Map<string, Cell[]>();
      const reports: TextColumnReport[] = [];
      for (const col of textCols) {
        const vs = jsonSchemaFor(col, opts.jsonSchemas?.[col.name]);
        const real = opts.realExamples?.[col.name];
        const out: Cell[] = new Array(n).fill(null);
        const rep: TextColumnReport = {
          column: col.name,
          kind: vs.kind,
          ...(vs.maxLength !== undefined ? { maxLength: vs.maxLength } : {}),
          rows: n,
          filled: 0,
          failed: 0,
          generations: 0,
          invalidOutputs: 0,
          leaks: { flaggedOutputs: 0, regenerations: 0, redactedValues: 0, redactedMatches: 0, byKind: { identifier: 0, rare: 0, forbidden: 0 }, bySourceColumn: {} },
          lengths: { count: 0, min: null, q1: null, median: null, q3: null, max: null, mean: null },
          usedRealExamples: false,
        };
        const ctx: ColumnRun = {
          col, vs, guard, forbidden: forbiddenIndex(col.name, col.text?.mustNotContain), rep, seed, rowOffset,
          schemaKey: JSON.stringify(vs.schema), real, allowReal: opts.allowRealExamples === true, metadata, signal: opts.signal,
        };
        const k = this.generator.slots;
        for (let b = 0; b < n; b += k) {
          if (opts.signal?.aborted) throw new CancelledError(msg.TEXT_INTERRUPTED);
          const idx = Array.from({ length: Math.min(k, n - b) }, (_, j) => b + j);
          const cells = await Promise.all(idx.map((i, slot) => this.fillOne(ctx, rowAt(i), i, slot)));
          idx.forEach((i, j) => (out[i] = cells[j]!));
          done += idx.length;
          opts.onProgress?.({ column: col.name, done, total });
        }
        if (rep.usedRealExamples) caveats.push(`column "${col.name}": real text from the private table was shown to the model as examples (allowRealExamples)`);
        outputs.set(col.name, out);
        reports.push(rep);
      }

      const names = [...table.names];
      const columns = [...table.columns];
      for (const [name, cells] of outputs) {
        const j = names.indexOf(name);
        if (j >= 0) columns[j] = cells;
        else {
          names.push(name);
          columns.push(cells);
        }
      }
      const result = makeTable(names, columns, table.source);
      for (const rep of reports) {
        const q = checkTextColumn(result, textCols.find((c) => c.name === rep.column)!);
        rep.lengths = q.lengths;
        if (q.consistency) rep.consistency = q.consistency;
      }
      return {
        table: result,
        report: {
          generator: this.generator.info,
          seed,
          temperature: s.temperature,
          rowOffset,
          rows: n,
          durationMs: Math.round(performance.now() - t0),
          guard: guard ? { ...guard.stats, mode: s.guardMode } : null,
          columns: reports,
          caveats,
        },
      };
    } catch (e) {
      if (opts.signal?.aborted && !(e instanceof CancelledError)) throw new CancelledError(msg.TEXT_INTERRUPTED);
      if (e instanceof PrivsynthError) throw e;
      throw new LlmError(msg.textGenerationFailed(e instanceof Error ? e.message : String(e)), {
        cause: e,
        hint: msg.HINT_RUN_WITHOUT_LLM,
      });
    } finally {
      ownGuard?.clear();
      this.busy = false;
    }
  }

  private textColumns(metadata: Metadata, only?: readonly string[]): ColumnSpec[] {
    const all = metadata.columns.filter((c) => c.type === 'text' && c.action === 'keep');
    if (!only) return all;
    const missing = only.filter((n) => !all.some((c) => c.name === n));
    if (missing.length) {
      throw new LlmError(msg.notKeptTextColumns(missing), {
        hint: msg.hintTextColumns(all.map((c) => c.name)),
      });
    }
    return all.filter((c) => only.includes(c.name));
  }

  /** One value: generate, check, guard; retries with fresh seeds. Never throws for bad output (the cell is then null). */
  private async fillOne(r: ColumnRun, row: Record<string, Cell>, i: number, slot: number): Promise<Cell> {
    const s = this.settings;
    const prompt = buildPrompt({
      column: r.col, metadata: r.metadata, row, maxLength: r.vs.maxLength ?? 10_000, valueKind: r.vs.kind,
      realExamples: r.real, allowRealExamples: r.allowReal,
    });
    if (prompt.usesRealExamples) r.rep.usedRealExamples = true;
    const allowed = wordSet(prompt.suppliedTexts);
    const rng = new Rng(r.seed).fork(`text\u0000${r.col.name}\u0000${r.rowOffset + i}`);
    const maxTokens = s.maxTokens ?? (r.vs.kind === 'text' ? r.vs.maxLength! + 32 : 512);
    let candidate: { value: unknown; matches: LeakMatch[] } | undefined;
    let leakTries = 0;
    let invalidTries = 0;
    for (;;) {
      const raw = await this.generator.generate({
        slot, prompt, schema: r.vs, schemaKey: r.schemaKey, seed: rng.nextU32(), temperature: s.temperature, maxTokens, signal: r.signal,
      });
      r.rep.generations++;
      const parsed = parseGenerated(raw, r.vs);
      if (!parsed.ok) {
        r.rep.invalidOutputs++;
        if (invalidTries++ < s.invalidRetries) continue;
        break;
      }
      const matches = findLeaks(parsed.value, r, allowed);
      candidate = { value: parsed.value, matches };
      if (!matches.length) break;
      r.rep.leaks.flaggedOutputs++;
      for (const m of matches) {
        r.rep.leaks.byKind[m.kind]++;
        r.rep.leaks.bySourceColumn[m.column] = (r.rep.leaks.bySourceColumn[m.column] ?? 0) + 1;
      }
      if (s.guardMode === 'regenerate' && leakTries < s.leakRetries) {
        leakTries++;
        r.rep.leaks.regenerations++;
        continue;
      }
      break;
    }
    if (!candidate) {
      r.rep.failed++;
      return null;
    }
    let value = candidate.value;
    if (candidate.matches.length) {
      let spans = 0;
      value = mapStrings(value, r.vs.kind === 'text', (str) => {
        const ms = scanValue(str, r, allowed);
        spans += ms.length;
        return ms.length ? redact(str, ms, REDACTED, r.vs.kind === 'text' ? r.vs.maxLength : undefined) : str;
      });
      r.rep.leaks.redactedValues++;
      r.rep.leaks.redactedMatches += spans;
      if (schemaViolation(value, r.vs.schema) !== null) {
        // A redacted value of a structured schema that no longer fits (e.g. an enum member): leave it out.
        r.rep.failed++;
        return null;
      }
    }
    r.rep.filled++;
    return cellOf(value, r.vs);
  }

  /** Frees the model and the runtime. The filler cannot be used afterwards. */
  async dispose(): Promise<void> {
    await this.generator.dispose();
  }
}

interface ColumnRun {
  col: ColumnSpec;
  vs: TextValueSchema;
  guard?: LeakGuard;
  forbidden: ReturnType<typeof forbiddenIndex>;
  rep: TextColumnReport;
  seed: number;
  rowOffset: number;
  schemaKey: string;
  real?: readonly string[];
  allowReal: boolean;
  metadata: Metadata;
  signal?: AbortSignal;
}

function scanValue(str: string, r: ColumnRun, allowed: ReadonlySet<string>): LeakMatch[] {
  const tokens = tokenize(str);
  const out = r.guard ? r.guard.scanTokens(tokens, allowed) : [];
  out.push(...scanForbidden(tokens, r.forbidden));
  return out;
}

/** Leaks in every string of a value (for kind 'text' only the text itself, not the JSON keys). */
function findLeaks(value: unknown, r: ColumnRun, allowed: ReadonlySet<string>): LeakMatch[] {
  const out: LeakMatch[] = [];
  mapStrings(value, r.vs.kind === 'text', (s) => {
    out.push(...scanValue(s, r, allowed));
    return s;
  });
  return out;
}

/** Applies f to the string leaves of a JSON value (`textOnly`: to the `text` property only). */
function mapStrings(value: unknown, textOnly: boolean, f: (s: string) => string): unknown {
  if (textOnly) {
    const o = value as { text: string };
    return { ...o, text: f(o.text) };
  }
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

const nullGenerator: TextGenerator = {
  slots: 1,
  info: { model: '', threads: 1, sequences: 1, promptStyle: 'completion' },
  generate: async () => {
    throw new LlmError(msg.NO_MODEL_LOADED);
  },
  dispose: async () => undefined,
};
