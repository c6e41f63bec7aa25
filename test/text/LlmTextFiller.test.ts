/** The filler with fake generators: no model needed. */
import { describe, expect, it } from 'vitest';
import { LlmTextFiller } from '../../src/text/LlmTextFiller.js';
import type { TextGenerationRequest, TextGenerator } from '../../src/text/TextGenerator.js';
import { CancelledError, LlmError } from '../../src/errors.js';
import { getColumn, tableFromRows } from '../../src/table/Table.js';
import { hospitalMetadata, realTable, syntheticTable, PLANTED_NAME } from '../fixtures/hospital.js';

/** A generator whose output is a function of the request; records every request. */
class FakeGenerator implements TextGenerator {
  readonly requests: TextGenerationRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  resets = 0;
  disposed = false;
  constructor(private readonly respond: (req: TextGenerationRequest, nth: number) => string, readonly slots = 1, private readonly delayMs = 0) {}
  get info() {
    return { model: 'fake.gguf', threads: 1, sequences: this.slots, promptStyle: 'completion' as const };
  }
  async reset(): Promise<void> {
    this.resets++;
  }
  async generate(req: TextGenerationRequest): Promise<string> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.requests.push(req);
    const nth = this.requests.length - 1;
    try {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      if (req.signal?.aborted) throw req.signal.reason;
      return this.respond(req, nth);
    } finally {
      this.inFlight--;
    }
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

const json = (text: string) => JSON.stringify({ text });
const md = hospitalMetadata();
const real = () => ({ table: realTable() });

describe('LlmTextFiller with a fake generator', () => {
  it('fills every row of the text column with its value and reports lengths and consistency', async () => {
    const gen = new FakeGenerator((req) => json(`Age ${req.prompt.context.find((c) => c.column === 'age')!.value}: she rested.`));
    const filler = LlmTextFiller.fromGenerator(gen, { seed: 1 });
    const { table, report } = await filler.fill(syntheticTable(8), md, { realValuesToGuard: real() });
    expect(table.names).toEqual(['age', 'sex', 'ward', 'note']);
    expect(getColumn(table, 'note')).toEqual(Array.from({ length: 8 }, (_, i) => `Age ${40 + i}: she rested.`));
    const col = report.columns[0]!;
    expect(col).toMatchObject({ column: 'note', kind: 'text', maxLength: 60, rows: 8, filled: 8, failed: 0, generations: 8, invalidOutputs: 0 });
    expect(col.lengths).toMatchObject({ count: 8, min: 19, max: 19 });
    // "she" in the 4 rows with sex M contradicts them
    expect(col.consistency).toMatchObject({ against: 'sex', checked: 8, contradicting: 4, contradictionShare: 0.5 });
    expect(report.guard).toMatchObject({ mode: 'regenerate', identifierColumns: ['patient_id', 'name'] });
    expect(report.caveats).toEqual([]);
    expect(gen.resets).toBe(1);
  });

  it('replaces an existing text column in place and leaves the input table unchanged', async () => {
    const t = tableFromRows([{ note: null, age: 50, sex: 'F', ward: 'surgery' }]);
    const { table } = await LlmTextFiller.fromGenerator(new FakeGenerator(() => json('ok'))).fill(t, md);
    expect(table.names).toEqual(['note', 'age', 'sex', 'ward']);
    expect(getColumn(table, 'note')).toEqual(['ok']);
    expect(getColumn(t, 'note')).toEqual([null]);
  });

  it('never puts real text or identifiers into a prompt', async () => {
    const gen = new FakeGenerator(() => json('fine'));
    // the synthetic table even carries identifier-looking columns; they must not reach the model
    const synth = tableFromRows([{ age: 41, sex: 'F', ward: 'oncology', name: PLANTED_NAME, patient_id: 'P-1017' }]);
    await LlmTextFiller.fromGenerator(gen).fill(synth, md, { realValuesToGuard: real() });
    const prompts = gen.requests.map((r) => [r.prompt.system, r.prompt.user, r.prompt.completion].join('\n')).join('\n');
    expect(prompts).not.toMatch(/zebulon|quackenbush|kikuchi|P-1017|discharged home/i);
  });

  it('leak guard, regenerate mode: an echoed real name is regenerated with a new seed and never reaches the output', async () => {
    // echoes the planted name on the first attempt of every row, then writes something clean
    const firstSeeds = new Set<string>();
    const gen = new FakeGenerator((req) => {
      const key = req.prompt.user;
      if (!firstSeeds.has(key)) {
        firstSeeds.add(key);
        return json(`${PLANTED_NAME} was seen.`);
      }
      return json('Was seen and sent home.');
    });
    const { table, report } = await LlmTextFiller.fromGenerator(gen, { seed: 3 }).fill(syntheticTable(8), md, { realValuesToGuard: real() });
    const notes = getColumn(table, 'note') as string[];
    expect(notes.every((v) => v === 'Was seen and sent home.')).toBe(true);
    const leaks = report.columns[0]!.leaks;
    expect(leaks).toMatchObject({ flaggedOutputs: 8, regenerations: 8, redactedValues: 0, redactedMatches: 0 });
    expect(leaks.byKind).toEqual({ identifier: 8, rare: 0, forbidden: 0 });
    expect(leaks.bySourceColumn).toEqual({ name: 8 });
    // every retry used a new seed
    const seeds = gen.requests.map((r) => r.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(JSON.stringify(report)).not.toMatch(/zebulon|quackenbush/i);
  });

  it('leak guard: a generator that always echoes is redacted after the retries', async () => {
    const gen = new FakeGenerator(() => json(`${PLANTED_NAME} has Kikuchi disease`));
    const { table, report } = await LlmTextFiller.fromGenerator(gen, { leakRetries: 2 }).fill(syntheticTable(4), md, { realValuesToGuard: real() });
    expect(getColumn(table, 'note')).toEqual(Array(4).fill('[redacted] has [redacted] [redacted]'));
    const leaks = report.columns[0]!.leaks;
    expect(leaks).toMatchObject({ flaggedOutputs: 12, regenerations: 8, redactedValues: 4, redactedMatches: 12 });
    expect(leaks.byKind).toEqual({ identifier: 12, rare: 24, forbidden: 0 });
    expect(report.columns[0]!.generations).toBe(12);
    expect(JSON.stringify(report)).not.toMatch(/zebulon|quackenbush|kikuchi/i);
  });

  it("leak guard, redact mode: redacts at once; mustNotContain is enforced the same way; the prompt's own words are not leaks", async () => {
    const gen = new FakeGenerator((req) => json(`Zebulon quackenbush: guaranteed cure, ${req.prompt.context[2]!.value}, recovered`));
    const { table, report } = await LlmTextFiller.fromGenerator(gen, { guardMode: 'redact' }).fill(syntheticTable(3), md, { realValuesToGuard: real() });
    expect(getColumn(table, 'note')).toEqual([
      '[redacted]: [redacted], cardiology, recovered',
      '[redacted]: [redacted], oncology, recovered',
      '[redacted]: [redacted], surgery, recovered',
    ]);
    const leaks = report.columns[0]!.leaks;
    expect(leaks).toMatchObject({ flaggedOutputs: 3, regenerations: 0, redactedValues: 3, redactedMatches: 6 });
    expect(leaks.byKind).toEqual({ identifier: 3, rare: 0, forbidden: 3 });
  });

  it('redaction keeps values within maxLength', async () => {
    const gen = new FakeGenerator(() => json(`ok ${'x'.repeat(40)} Quackenbush`));
    const { table } = await LlmTextFiller.fromGenerator(gen, { guardMode: 'redact' }).fill(syntheticTable(1), md, { realValuesToGuard: real() });
    const v = getColumn(table, 'note')[0] as string;
    expect(v.length).toBeLessThanOrEqual(60);
    expect(v).not.toMatch(/quackenbush/i);
  });

  it('without a real table, the report carries a caveat and mustNotContain is still enforced', async () => {
    const gen = new FakeGenerator(() => json('A guaranteed cure.'));
    const { table, report } = await LlmTextFiller.fromGenerator(gen, { leakRetries: 0 }).fill(syntheticTable(1), md);
    expect(getColumn(table, 'note')).toEqual(['A [redacted].']);
    expect(report.guard).toBeNull();
    expect(report.caveats.join(' ')).toMatch(/no real table/);
  });

  it('output that does not parse or fit the schema is retried with a new seed, then left missing and counted', async () => {
    let calls = 0;
    const gen = new FakeGenerator((req) => (req.prompt.context[0]!.value === '40' ? '{"text": "cut sh' : (calls++ % 2 ? json('fine') : json('y'.repeat(61)))));
    const { table, report } = await LlmTextFiller.fromGenerator(gen, { invalidRetries: 2 }).fill(syntheticTable(3), md);
    expect(getColumn(table, 'note')).toEqual([null, 'fine', 'fine']);
    expect(report.columns[0]).toMatchObject({ filled: 2, failed: 1, invalidOutputs: 5, generations: 7 });
  });

  it('is reproducible for a seed, different for another, and batch-invariant with rowOffset', async () => {
    const gen = () => new FakeGenerator((req) => json(`v${req.seed % 100000}`), 3);
    const run = async (seed: number, t = syntheticTable(8), rowOffset = 0) =>
      getColumn((await LlmTextFiller.fromGenerator(gen(), { seed }).fill(t, md, { rowOffset })).table, 'note');
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
    const full = syntheticTable(8);
    const tail = tableFromRows(Array.from({ length: 4 }, (_, i) => ({ age: full.columns[0]![4 + i], sex: full.columns[1]![4 + i], ward: full.columns[2]![4 + i] })));
    expect(await run(11, tail, 4)).toEqual(a.slice(4));
  });

  it('generates k rows at a time on k slots, in parallel, and reports progress', async () => {
    const gen = new FakeGenerator(() => json('fine'), 3, 5);
    const progress: number[] = [];
    await LlmTextFiller.fromGenerator(gen).fill(syntheticTable(8), md, { onProgress: (p) => progress.push(p.done) });
    expect(gen.maxInFlight).toBe(3);
    expect(gen.requests.map((r) => r.slot)).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
    expect(progress).toEqual([3, 6, 8]);
  });

  it('passes temperature, seeds and a maxTokens that fits maxLength', async () => {
    const gen = new FakeGenerator(() => json('fine'));
    await LlmTextFiller.fromGenerator(gen, { temperature: 0.3 }).fill(syntheticTable(1), md);
    expect(gen.requests[0]).toMatchObject({ temperature: 0.3, maxTokens: 92 });
  });

  it('structured text: a declared object schema; cells are compact JSON', async () => {
    const schema = { type: 'object', properties: { summary: { type: 'string', maxLength: 30 }, severity: { enum: ['low', 'high'] } }, required: ['summary', 'severity'] };
    const gen = new FakeGenerator(() => JSON.stringify({ summary: 'Quackenbush stable', severity: 'low' }));
    const { table, report } = await LlmTextFiller.fromGenerator(gen, { guardMode: 'redact' }).fill(syntheticTable(2), md, { jsonSchemas: { note: schema }, realValuesToGuard: real() });
    expect(getColumn(table, 'note')).toEqual(Array(2).fill('{"summary":"[redacted] stable","severity":"low"}'));
    expect(report.columns[0]).toMatchObject({ kind: 'object', filled: 2 });
    expect(gen.requests[0]!.schema.schema).toBe(schema);
  });

  it('real examples only with allowRealExamples, and then flagged in the report', async () => {
    const gen = new FakeGenerator(() => json('fine'));
    const realExamples = { note: ['Stable, discharged home on day 2.'] };
    await expect(LlmTextFiller.fromGenerator(gen).fill(syntheticTable(1), md, { realExamples })).rejects.toThrow(/allowRealExamples/);
    const { report } = await LlmTextFiller.fromGenerator(gen).fill(syntheticTable(1), md, { realExamples, allowRealExamples: true, realValuesToGuard: real() });
    expect(report.columns[0]!.usedRealExamples).toBe(true);
    expect(report.caveats.join(' ')).toMatch(/real text from the private table/);
  });

  it('cancels between batches with CancelledError', async () => {
    const ac = new AbortController();
    const gen = new FakeGenerator(() => json('fine'), 2, 2);
    const p = LlmTextFiller.fromGenerator(gen).fill(syntheticTable(8), md, { signal: ac.signal, onProgress: (x) => x.done >= 2 && ac.abort() });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(gen.requests.length).toBe(2);
  });

  it('a runtime failure becomes an LlmError; unknown columns are refused; dispose disposes the generator', async () => {
    const bad = new FakeGenerator(() => {
      throw new Error('llama_decode failed');
    });
    const f = LlmTextFiller.fromGenerator(bad);
    await expect(f.fill(syntheticTable(1), md)).rejects.toMatchObject({ code: 'E_LLM', message: expect.stringMatching(/text generation failed: llama_decode failed/) });
    await expect(f.fill(syntheticTable(1), md, { columns: ['age'] })).rejects.toThrow(/not kept text columns of the schema: age/);
    await f.dispose();
    expect(bad.disposed).toBe(true);
  });

  it('validates settings', () => {
    const g = new FakeGenerator(() => json('x'));
    expect(() => LlmTextFiller.fromGenerator(g, { temperature: -1 })).toThrow(LlmError);
    expect(() => LlmTextFiller.fromGenerator(g, { leakRetries: 1.5 })).toThrow(/leakRetries/);
    expect(() => LlmTextFiller.fromGenerator(g, { maxTokens: 0 })).toThrow(/maxTokens/);
  });
});

describe('LlmTextFiller.load without node-llama-cpp', () => {
  it('an import failure (injected loader) is an LlmError that says the pipeline can run without --llm-model', async () => {
    const loader = () => Promise.reject(new Error("Cannot find package 'node-llama-cpp' imported from privsynth"));
    let err: unknown;
    try {
      await LlmTextFiller.load({ modelPath: '/nonexistent/model.gguf', threads: 1, loader });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LlmError);
    const e = err as LlmError;
    expect(e.code).toBe('E_LLM');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe("node-llama-cpp could not load: Cannot find package 'node-llama-cpp' imported from privsynth");
    expect(e.describe()).toMatch(/can run without --llm-model/);
  });

  it('a module without getLlama (a broken install) is the same error', async () => {
    const loader = async () => ({}) as never;
    await expect(LlmTextFiller.load({ modelPath: 'x.gguf', threads: 1, loader })).rejects.toMatchObject({ code: 'E_LLM', message: expect.stringMatching(/node-llama-cpp could not load: .*getLlama/) });
  });

  it('threads must be given explicitly as a positive integer (checked before loading)', async () => {
    let loaded = false;
    const loader = async () => {
      loaded = true;
      return {} as never;
    };
    await expect(LlmTextFiller.load({ modelPath: 'x.gguf', threads: 0, loader })).rejects.toThrow(/threads must be a positive integer/);
    await expect(LlmTextFiller.load({ modelPath: 'x.gguf', threads: undefined as never, loader })).rejects.toThrow(LlmError);
    expect(loaded).toBe(false);
  });
});
