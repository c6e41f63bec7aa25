/**
 * The filler on real GGUF models through node-llama-cpp (threads: 1; see /work/shared/models/SOURCES.md).
 * stories260K writes children's-story English; llama-2-tiny-random writes gibberish. Both are enough to
 * exercise loading, grammar-constrained JSON, parallel sequences, seeds and the leak guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LlmTextFiller } from '../../src/text/LlmTextFiller.js';
import { NodeLlamaGenerator } from '../../src/text/nodeLlamaGenerator.js';
import type { TextGenerator } from '../../src/text/TextGenerator.js';
import { getColumn } from '../../src/table/Table.js';
import { ROOT } from '../helpers.js';
import { hospitalMetadata, realTable, syntheticTable, PLANTED_NAME } from '../fixtures/hospital.js';

const MODELS = path.resolve(ROOT, '..', 'shared', 'models');
const STORIES = path.join(MODELS, 'stories260K.gguf');
const RANDOM = path.join(MODELS, 'llama-2-tiny-random.gguf');
const STORIES_SKIP = existsSync(STORIES) ? '' : `${STORIES} is absent (test models live in ../shared/models, not in the repository)`;
const RANDOM_SKIP = existsSync(RANDOM) ? '' : `${RANDOM} is absent (test models live in ../shared/models, not in the repository)`;

const md = hospitalMetadata();
const MAX = 60;

function expectSchemaValid(values: unknown[]): void {
  for (const v of values) {
    expect(typeof v).toBe('string');
    expect([...(v as string)].length).toBeLessThanOrEqual(MAX);
  }
}

describe.skipIf(!!STORIES_SKIP)(`stories260K.gguf${STORIES_SKIP ? ` (skipped: ${STORIES_SKIP})` : ''}`, () => {
  let filler: LlmTextFiller;
  beforeAll(async () => {
    filler = await LlmTextFiller.load({ modelPath: STORIES, threads: 1, sequences: 4, temperature: 0.8, seed: 7, contextSize: 512 });
  });
  afterAll(async () => {
    await filler?.dispose();
  });

  it('fills every row of an 8-row table with a schema-valid value, k rows at a time', async () => {
    const t0 = performance.now();
    const { table, report } = await filler.fill(syntheticTable(8), md);
    const ms = performance.now() - t0;
    const notes = getColumn(table, 'note');
    expect(notes).toHaveLength(8);
    expectSchemaValid(notes);
    expect(report.columns[0]).toMatchObject({ filled: 8, failed: 0 });
    expect(report.generator).toMatchObject({ model: 'stories260K.gguf', threads: 1, sequences: 4, promptStyle: 'completion' });
    expect(report.columns[0]!.lengths.count).toBe(8);
    console.log(`stories260K: 8 values in ${ms.toFixed(0)} ms, ${report.columns[0]!.generations} generations; e.g. ${JSON.stringify(notes.slice(0, 3))}`);
    expect(ms).toBeLessThan(30_000);
  });

  it('is reproducible for a seed (same output twice, and from a second load), and the seed matters', async () => {
    const a = getColumn((await filler.fill(syntheticTable(8), md)).table, 'note');
    const b = getColumn((await filler.fill(syntheticTable(8), md)).table, 'note');
    expect(b).toEqual(a);
    const other = await LlmTextFiller.load({ modelPath: STORIES, threads: 1, sequences: 4, temperature: 0.8, seed: 7, contextSize: 512 });
    try {
      expect(getColumn((await other.fill(syntheticTable(8), md)).table, 'note')).toEqual(a);
    } finally {
      await other.dispose();
    }
    const c = getColumn((await filler.fill(syntheticTable(8), md, { seed: 8 })).table, 'note');
    expect(c).not.toEqual(a);
  });

  it('leak guard end to end: the planted real name never reaches the output', async () => {
    // Two ways a real name could come out: (1) the user opts in to real examples that contain it,
    // (2) the model "knows" it: simulated by splicing it into the real model's output.
    const realExamples = { note: getColumn(realTable(), 'note').filter((v) => String(v).includes('Zebulon')).map(String) };
    const r1 = await filler.fill(syntheticTable(8), md, { realValuesToGuard: { table: realTable() }, realExamples, allowRealExamples: true });
    expect(getColumn(r1.table, 'note').join(' ')).not.toMatch(/zebulon|quackenbush|kikuchi/i);
    expect(r1.report.caveats.join(' ')).toMatch(/real text/);

    const inner = await NodeLlamaGenerator.load({ modelPath: STORIES, threads: 1, sequences: 4, contextSize: 512 });
    let spliced = 0;
    const leaky: TextGenerator = {
      slots: inner.slots,
      info: inner.info,
      reset: () => inner.reset(),
      dispose: () => inner.dispose(),
      async generate(req) {
        const raw = await inner.generate(req);
        const v = JSON.parse(raw) as { text: string };
        if (req.seed % 2 === 0) return raw; // about half the attempts come out clean
        spliced++;
        return JSON.stringify({ text: `${PLANTED_NAME} ${v.text}`.slice(0, MAX) });
      },
    };
    const f2 = LlmTextFiller.fromGenerator(leaky, { seed: 7, temperature: 0.8, leakRetries: 1 });
    try {
      const { table, report } = await f2.fill(syntheticTable(8), md, { realValuesToGuard: { table: realTable() } });
      const notes = getColumn(table, 'note');
      expectSchemaValid(notes);
      expect(notes.join(' ')).not.toMatch(/zebulon|quackenbush/i);
      const leaks = report.columns[0]!.leaks;
      expect(spliced).toBeGreaterThan(0);
      expect(leaks.byKind.identifier).toBe(spliced);
      expect(leaks.regenerations + leaks.redactedValues).toBeGreaterThan(0);
      expect(JSON.stringify(report)).not.toMatch(/zebulon|quackenbush/i);
      console.log(`leak guard with stories260K: spliced ${spliced}, ${JSON.stringify(leaks)}`);
    } finally {
      await f2.dispose();
    }
  });
});

describe.skipIf(!!STORIES_SKIP)(`chat prompting on stories260K.gguf${STORIES_SKIP ? ` (skipped: ${STORIES_SKIP})` : ''}`, () => {
  it('promptStyle chat (a LlamaChatSession per sequence; node-llama-cpp picks a wrapper) gives schema-valid, reproducible values', async () => {
    const filler = await LlmTextFiller.load({ modelPath: STORIES, threads: 1, sequences: 2, temperature: 0.8, seed: 3, contextSize: 1024, promptStyle: 'chat' });
    try {
      const a = await filler.fill(syntheticTable(4), md);
      const b = await filler.fill(syntheticTable(4), md);
      expect(a.report.generator.promptStyle).toBe('chat');
      expectSchemaValid(getColumn(a.table, 'note'));
      expect(a.report.columns[0]).toMatchObject({ filled: 4, failed: 0 });
      expect(getColumn(b.table, 'note')).toEqual(getColumn(a.table, 'note'));
    } finally {
      await filler.dispose();
    }
  });
});

describe.skipIf(!!RANDOM_SKIP)(`llama-2-tiny-random.gguf${RANDOM_SKIP ? ` (skipped: ${RANDOM_SKIP})` : ''}`, () => {
  it('loads and generates schema-valid values quickly (2 sequences, threads 1)', async () => {
    const t0 = performance.now();
    const filler = await LlmTextFiller.load({ modelPath: RANDOM, threads: 1, sequences: 2, temperature: 0.7, seed: 1, contextSize: 512 });
    const tLoad = performance.now() - t0;
    try {
      const { table, report } = await filler.fill(syntheticTable(4), md);
      const notes = getColumn(table, 'note');
      expectSchemaValid(notes);
      expect(report.columns[0]).toMatchObject({ filled: 4, failed: 0 });
      console.log(`llama-2-tiny-random: load ${tLoad.toFixed(0)} ms, 4 values in ${report.durationMs} ms`);
    } finally {
      await filler.dispose();
    }
  });
});
