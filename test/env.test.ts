/** src/env.ts: every PRIVSYNTH_* variable, read when asked, unset/empty/invalid as undefined. */
import { afterEach, describe, expect, it } from 'vitest';
import { env } from '../src/env.js';

const NAMES = ['PRIVSYNTH_ENGINE', 'PRIVSYNTH_BACKEND', 'PRIVSYNTH_TRAIN_THREADS', 'PRIVSYNTH_ORT_THREADS', 'PRIVSYNTH_SAMPLE_WORKERS', 'PRIVSYNTH_NO_WASM'];
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));

afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

describe('env', () => {
  it('reads thread counts as positive integers, anything else as unset', () => {
    process.env.PRIVSYNTH_SAMPLE_WORKERS = '3';
    process.env.PRIVSYNTH_TRAIN_THREADS = '0';
    process.env.PRIVSYNTH_ORT_THREADS = '2.5';
    expect(env.sampleWorkers()).toBe(3);
    expect(env.trainThreads()).toBeUndefined();
    expect(env.ortThreads()).toBeUndefined();
    process.env.PRIVSYNTH_ORT_THREADS = 'x';
    expect(env.ortThreads()).toBeUndefined();
    delete process.env.PRIVSYNTH_SAMPLE_WORKERS;
    expect(env.sampleWorkers()).toBeUndefined();
  });

  it('reads the switches when asked (not once at import) and an empty value as unset', () => {
    delete process.env.PRIVSYNTH_NO_WASM;
    expect(env.noWasm()).toBe(false);
    process.env.PRIVSYNTH_NO_WASM = '1';
    expect(env.noWasm()).toBe(true);
    process.env.PRIVSYNTH_NO_WASM = '';
    expect(env.noWasm()).toBe(false);
    process.env.PRIVSYNTH_ENGINE = 'tfjs';
    expect(env.engine()).toBe('tfjs');
    process.env.PRIVSYNTH_BACKEND = '';
    expect(env.backend()).toBeUndefined();
  });
});
