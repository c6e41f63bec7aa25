import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveModelPath } from '../../src/text/resolveModelPath.js';
import { LlmError } from '../../src/errors.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'privsynth-models-'));
  mkdirSync(path.join(root, 'models'));
  writeFileSync(path.join(root, 'models', 'tiny.gguf'), Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(16)]));
  writeFileSync(path.join(root, 'models', 'fake.gguf'), 'not a model');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function errorOf(f: () => unknown): LlmError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LlmError);
    return e as LlmError;
  }
  throw new Error('expected an LlmError');
}

describe('resolveModelPath', () => {
  it('accepts an existing path, or a name in models/ with or without .gguf', () => {
    const file = path.join(root, 'models', 'tiny.gguf');
    expect(resolveModelPath(file, '/nonexistent')).toBe(file);
    expect(resolveModelPath('tiny', root)).toBe(file);
    expect(resolveModelPath('tiny.gguf', root)).toBe(file);
  });

  it('a missing model says where to put one, that privsynth never downloads, and what models/ holds', () => {
    const e = errorOf(() => resolveModelPath('qwen2.5-0.5b-instruct', root));
    expect(e.code).toBe('E_LLM');
    expect(e.message).toContain('"qwen2.5-0.5b-instruct" not found');
    expect(e.message).toContain(path.join(root, 'models', 'qwen2.5-0.5b-instruct.gguf'));
    expect(e.message).toContain('holds: fake.gguf, tiny.gguf');
    const text = e.describe();
    expect(text).toContain('models/README.md');
    expect(text).toContain('never downloads');
    expect(text).toContain(path.join(root, 'models'));
  });

  it('a project without models/ says so', () => {
    const e = errorOf(() => resolveModelPath('x', path.join(root, 'models')));
    expect(e.message).toMatch(/does not exist/);
  });

  it('a file that is not GGUF, a directory, an empty name', () => {
    expect(errorOf(() => resolveModelPath('fake', root)).message).toMatch(/not a GGUF model file/);
    expect(errorOf(() => resolveModelPath(path.join(root, 'models'), root)).message).toMatch(/not found/);
    expect(errorOf(() => resolveModelPath('  ', root)).message).toMatch(/no LLM model given/);
  });
});
