/**
 * Property: arbitrary mutations of a real model's manifest.json (values replaced, removed, retyped;
 * text truncated or corrupted) make `loadModel` either load or throw ModelError — never a
 * TypeError/RangeError or a read outside the model directory.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelError } from '../../src/errors.js';
import { fit } from '../../src/jobs/fit.js';
import { loadModel, MANIFEST, WEIGHTS } from '../../src/synthesizers/modelFile.js';
import { CPS } from '../helpers.js';

const SEED = 31337;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

let dir: string;
let base: string;
let manifestText: string;
let manifest: Json;
let paths: Path[];

/** Every path into the JSON tree (root excluded). */
function allPaths(v: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (v !== null && typeof v === 'object') {
    for (const [k, c] of Array.isArray(v) ? v.map((c, i) => [i, c] as const) : Object.entries(v)) {
      out.push([...prefix, k]);
      allPaths(c as Json, [...prefix, k], out);
    }
  }
  return out;
}

type Op = 'replace' | 'delete' | 'stringify' | 'huge' | 'negative' | 'fraction' | 'emptyArray' | 'emptyObject' | 'wrapArray' | 'traversal';
interface Mutation {
  at: number;
  op: Op;
  value: Json;
}

function mutate(root: Json, m: Mutation): void {
  const p = paths[m.at % paths.length]!;
  let parent: any = root;
  for (const k of p.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object' || !(k in parent)) return; // an earlier mutation removed it
    parent = parent[k];
  }
  if (parent === null || typeof parent !== 'object') return;
  const key = p[p.length - 1]!;
  const old = parent[key];
  const set = (v: unknown): void => void (parent[key] = v);
  switch (m.op) {
    case 'replace': return set(m.value);
    case 'delete': if (Array.isArray(parent)) parent.splice(Number(key), 1); else delete parent[key]; return;
    case 'stringify': return set(JSON.stringify(old) ?? 'null');
    case 'huge': return set(typeof old === 'number' ? 1e15 : Array.isArray(old) ? Array(50).fill(old[0] ?? 0) : 2 ** 31);
    case 'negative': return set(typeof old === 'number' ? -old - 1 : -1);
    case 'fraction': return set(typeof old === 'number' ? old + 0.5 : 0.5);
    case 'emptyArray': return set([]);
    case 'emptyObject': return set({});
    case 'wrapArray': return set([old]);
    case 'traversal': return set('../../../../etc/passwd');
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Op>('replace', 'delete', 'stringify', 'huge', 'negative', 'fraction', 'emptyArray', 'emptyObject', 'wrapArray', 'traversal'),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
});
/** Mutations aimed at the sections loadModel interprets (weights table, config, schema, version). */
const focused: fc.Arbitrary<Mutation> = fc
  .tuple(mutation, fc.constantFrom('weights', 'config', 'schema', 'version', 'kind', 'seed'))
  .map(([m, section]) => {
    const candidates = paths.map((p, i) => [p, i] as const).filter(([p]) => p[0] === section);
    return { ...m, at: candidates.length ? candidates[m.at % candidates.length]![1] : m.at };
  });

let n = 0;
async function tryLoad(text: string): Promise<void> {
  const d = path.join(dir, `m${++n}`);
  mkdirSync(d);
  writeFileSync(path.join(d, MANIFEST), text);
  copyFileSync(path.join(base, WEIGHTS), path.join(d, WEIGHTS));
  try {
    const loaded = await loadModel(d);
    // Loaded: the weights it returns lie inside the verified buffer.
    for (const w of loaded.weights) expect(w.data.length).toBe(w.shape.reduce((a, b) => a * b, 1));
  } catch (e) {
    if (!(e instanceof ModelError)) throw new Error(`loadModel threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
    expect(e.exitCode).toBe(2);
    expect(e.describe()).not.toMatch(/root:x:0:0/);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'privsynth-fuzz-model-'));
  base = path.join(dir, 'base');
  await fit(CPS, { out: base, epochs: 1, seed: 1 });
  manifestText = readFileSync(path.join(base, MANIFEST), 'utf8');
  manifest = JSON.parse(manifestText) as Json;
  paths = allPaths(manifest);
}, 120_000);

describe('loadModel on mutated manifests', () => {
  it('the unmodified model loads (control)', async () => {
    const loaded = await loadModel(base);
    expect(loaded.weights.length).toBeGreaterThan(0);
  });

  it('anywhere in the manifest: loads or ModelError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const m = structuredClone(manifest);
        for (const x of ms) mutate(m, x);
        await tryLoad(JSON.stringify(m));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('in the sections loadModel interprets: loads or ModelError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(focused, { minLength: 1, maxLength: 3 }), async (ms) => {
        const m = structuredClone(manifest);
        for (const x of ms) mutate(m, x);
        await tryLoad(JSON.stringify(m));
      }),
      { seed: SEED + 1, numRuns: 400 },
    );
  });

  it('corrupted text (truncation, inserted or replaced characters): ModelError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom('truncate', 'insert', 'replace'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), async (at, op, s) => {
        const i = at % manifestText.length;
        const text = op === 'truncate' ? manifestText.slice(0, i) : op === 'insert' ? manifestText.slice(0, i) + s + manifestText.slice(i) : manifestText.slice(0, i) + s + manifestText.slice(i + s.length);
        await tryLoad(text);
      }),
      { seed: SEED + 2, numRuns: 300 },
    );
  });
});
