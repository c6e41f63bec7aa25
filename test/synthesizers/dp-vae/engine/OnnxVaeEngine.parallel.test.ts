/**
 * OnnxVaeEngine's data-parallel step (src/synthesizers/dp-vae/engine/onnxShards.ts, shardPool.ts):
 * sharding changes nothing but float rounding, the thread count changes no byte, DP noise is
 * added once a step, and worker threads never outlive training or keep the process alive.
 *
 * The workers run the compiled dist/ worker: `npx tsc -p tsconfig.build.json` first (npm test does).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { OnnxVaeEngine } from '../../../../src/synthesizers/dp-vae/engine/OnnxVaeEngine.js';
import { ShardPool, shardWorkerUrl } from '../../../../src/synthesizers/dp-vae/engine/shardPool.js';
import { trainVae } from '../../../../src/synthesizers/dp-vae/fit/trainVae.js';
import { CancelledError } from '../../../../src/errors.js';
import type { DpStepOptions } from '../../../../src/synthesizers/dp-vae/engine/VaeEngine.js';
import { Rng } from '../../../../src/rng.js';
import { ROOT } from '../../../helpers.js';
import { relErr } from './relErr.js';
import { cfg, D, makeData, spans } from '../../../fixtures/vaeEngine.js';


const N = 60;
const data = makeData(N, 3);

function engine(shards: number, parallel = 1, seed = 11): OnnxVaeEngine {
  const e = new OnnxVaeEngine(D, spans, cfg, seed, { shards, parallel });
  e.setData(data, N);
  return e;
}

function weights(e: OnnxVaeEngine): Float32Array[] {
  return e.exportWeights().map((w) => w.data);
}

describe('OnnxVaeEngine shards', () => {
  it('the compiled worker exists (build before testing)', () => {
    expect(shardWorkerUrl(), 'dist/synthesizers/dp-vae/engine/onnxShardWorker.js: run npx tsc -p tsconfig.build.json').not.toBeNull();
  });

  it.each([
    ['no DP', undefined],
    ['DP, noise off', { clipNorm: 0.5, noiseMultiplier: 0, expectedBatchSize: 20 }],
  ] as [string, DpStepOptions | undefined][])('sharded gradients equal the unsharded ones (%s)', (_label, dp) => {
    const rows = Int32Array.from({ length: 37 }, (_, i) => (i * 7) % N);
    const eps = new Rng(5).fillNormal(new Float32Array(rows.length * cfg.embeddingDim)) as Float32Array;
    const ref = engine(1).computeGradients(rows, 1, dp, eps);
    for (const S of [2, 3, 5]) {
      const g = engine(S).computeGradients(rows, 1, dp, eps);
      for (const k of Object.keys(ref)) expect(relErr(g[k]!, ref[k]!), `${k}, ${S} shards`).toBeLessThan(1e-5);
    }
    if (dp) {
      // clipping was exercised (so per-example clipping across shards was tested, not skipped)
      const big = engine(2).computeGradients(rows, 1, { ...dp, clipNorm: 1e9 }, eps);
      expect(relErr(big['out.W']!, ref['out.W']!)).toBeGreaterThan(1e-2);
    }
  });

  it('DP noise is added once a step, not once a shard', () => {
    const rows = Int32Array.from({ length: 30 }, (_, i) => i);
    const dp: DpStepOptions = { clipNorm: 1, noiseMultiplier: 2, expectedBatchSize: 10 };
    for (const S of [1, 2, 4]) {
      const e = engine(S);
      const noisy = e.computeGradients(rows, 9, dp);
      const clean = e.computeGradients(rows, 9, { ...dp, noiseMultiplier: 0 });
      let ss = 0;
      let cnt = 0;
      for (const k of Object.keys(noisy)) {
        const a = noisy[k]!;
        const b = clean[k]!;
        for (let i = 0; i < a.length; i++) {
          const z = ((a[i]! - b[i]!) * dp.expectedBatchSize) / (dp.noiseMultiplier * dp.clipNorm);
          ss += z * z;
          cnt++;
        }
      }
      // the noise in units of sigma * C / E[B]: std 1 (once a step), not sqrt(S)
      const std = Math.sqrt(ss / cnt);
      expect(cnt).toBeGreaterThan(900);
      expect(std, `${S} shards`).toBeGreaterThan(0.92);
      expect(std, `${S} shards`).toBeLessThan(1.08);
      e.dispose();
    }
  });

  it('a batch with fewer rows than shards still steps (empty shards add nothing)', () => {
    const e = engine(4);
    const before = weights(e);
    e.trainStep(Int32Array.from([3, 8]), 1); // two shards empty
    e.trainStep(new Int32Array(0), 2, { clipNorm: 1, noiseMultiplier: 1, expectedBatchSize: 5 }); // all empty: noise only
    const after = weights(e);
    expect(relErr(after[0]!, before[0]!)).toBeGreaterThan(0);
    expect(after.every((w) => w.every(Number.isFinite))).toBe(true);
    e.dispose();
  });
});

describe('OnnxVaeEngine worker threads', () => {
  it.each([
    ['no DP', undefined],
    ['DP', { clipNorm: 0.8, noiseMultiplier: 1.1, expectedBatchSize: 15 }],
  ] as [string, DpStepOptions | undefined][])('1 thread and 2 threads write byte-identical weights (%s)', async (_label, dp) => {
    const run = async (parallel: number): Promise<{ w: Float32Array[]; loss: number; lanes: number }> => {
      const e = engine(2, parallel);
      await e.beginTraining();
      const lanes = e.activeLanes;
      const rng = new Rng(4);
      for (let s = 0; s < 12; s++) {
        const B = dp ? rng.int(25) : 16; // DP: Poisson-like sizes, 0 included
        e.trainStep(Int32Array.from({ length: B }, () => rng.int(N)), 500 + s, dp);
      }
      const loss = e.takeLoss().loss;
      const w = weights(e);
      e.dispose();
      return { w, loss, lanes };
    };
    const one = await run(1);
    const two = await run(2);
    expect(one.lanes).toBe(1);
    expect(two.lanes, 'the 2-thread run really used a worker').toBe(2);
    two.w.forEach((w, k) => expect(Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(Buffer.from(one.w[k]!.buffer, one.w[k]!.byteOffset, one.w[k]!.byteLength))).toBe(true));
    expect(two.loss).toBe(one.loss);
  });

  it.each([
    ['no DP', undefined],
    ['DP', { clipNorm: 0.8, noiseMultiplier: 1.1, expectedBatchSize: 15 }],
  ] as [string, DpStepOptions | undefined][])('switching between the workers and the main thread mid-training changes no byte (%s)', async (_label, dp) => {
    const run = async (e: OnnxVaeEngine): Promise<{ w: Float32Array[]; loss: number }> => {
      await e.beginTraining();
      const rng = new Rng(6);
      for (let s = 0; s < 30; s++) e.trainStep(Int32Array.from({ length: dp ? rng.int(25) : 16 }, () => rng.int(N)), 900 + s, dp);
      const out = { w: weights(e), loss: e.takeLoss().loss };
      e.dispose();
      return out;
    };
    const one = await run(engine(2, 1));
    const e = new OnnxVaeEngine(D, spans, cfg, 11, { shards: 2, parallel: 2, adaptive: { period: 2, probe: 2 } });
    e.setData(data, N);
    const switching = await run(e);
    expect(e.threadSwitches, 'the schedule switched several times').toBeGreaterThanOrEqual(4);
    switching.w.forEach((w, k) => expect(Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(Buffer.from(one.w[k]!.buffer, one.w[k]!.byteOffset, one.w[k]!.byteLength))).toBe(true));
    expect(switching.loss).toBe(one.loss);
  });

  it('trainVae stops the workers when training ends, fails or is cancelled', async () => {
    const e = engine(2, 2);
    // the dense test matrix as trainVae's training rows (it gathers each batch and sets it on the engine)
    const rows = { n: N, width: D, gather: (idx: ArrayLike<number>, out: Float32Array) => { for (let i = 0; i < idx.length; i++) out.set(data.subarray(idx[i]! * D, (idx[i]! + 1) * D), i * D); } };
    await trainVae(e, rows, { epochs: 2, batchSize: 16, seed: 1 });
    expect(e.activeLanes).toBe(1);
    const ac = new AbortController();
    let seen = 0;
    const p = trainVae(e, rows, {
      epochs: 50,
      batchSize: 16,
      seed: 2,
      signal: ac.signal,
      onProgress: () => {
        seen = e.activeLanes;
        ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(seen, 'workers were running during training').toBe(2);
    expect(e.activeLanes).toBe(1);
    e.dispose();
  });

  it('a bad row index is refused on the main thread before any worker sees the step', async () => {
    const e = engine(2, 2);
    await e.beginTraining();
    // the worker's shard (rows 4..7) holds a row outside the data
    expect(() => e.trainStep(Int32Array.from([0, 1, 2, 3, 4, 5, 6, N + 5]), 1)).toThrow(/row 65 is outside the 60 rows/);
    expect(e.activeLanes).toBe(2);
    e.trainStep(Int32Array.from([0, 1, 2, 3]), 2); // the pool still works
    expect(e.activeLanes).toBe(2);
    e.dispose();
  });

  it('a worker that died surfaces as an error on the next step, and training carries on on the main thread', async () => {
    const e = engine(2, 2);
    await e.beginTraining();
    e.trainStep(Int32Array.from([0, 1, 2, 3]), 1);
    const pool = (e as unknown as { pool: { workers: { terminate(): Promise<number> }[] } }).pool;
    await pool.workers[0]!.terminate();
    await new Promise((r) => setImmediate(r)); // the exit event
    expect(() => e.trainStep(Int32Array.from([0, 1, 2, 3]), 2)).toThrow(/a training thread failed: the training workers were stopped/);
    expect(e.activeLanes).toBe(1);
    e.trainStep(Int32Array.from([0, 1, 2, 3]), 3);
    expect(weights(e).every((w) => w.every(Number.isFinite))).toBe(true);
    e.dispose();
  });

  it('a worker that cannot start reports why (here: a corrupt model), and the engine trains on the main thread', async () => {
    const e = engine(2, 2);
    const dims = { P: 4, D: 2, L: 1, slots: [{ name: 'sigma', shape: [4], offset: 0, size: 4 }] };
    const adam = { lr: 1e-3, l2: 0, learnSigma: true, fixedSigma: 0.1, sigmaMin: 0.01, sigmaMax: 1, sigmaLo: 0, sigmaHi: 4 };
    await expect(ShardPool.start({ lanes: 2, S: 2, dims, models: { grad: new Uint8Array([1, 2, 3]), gradDp: new Uint8Array([1]) }, adam })).rejects.toThrow(
      /training worker 1 failed to start: .*(protobuf|model)/is,
    );
    // the engine's own fallback path: a pool that cannot start leaves it on one thread with a reason
    (e as unknown as { models: unknown }).models = { grad: new Uint8Array([1, 2, 3]), gradDp: new Uint8Array([1]) };
    await e.beginTraining();
    expect(e.activeLanes).toBe(1);
    expect(e.parallelFallbackReason).toMatch(/failed to start/);
    e.dispose();
  });

  it('workers never keep the process alive, disposed or not', () => {
    const dist = path.join(ROOT, 'dist', 'synthesizers', 'dp-vae', 'engine', 'OnnxVaeEngine.js');
    const script = (dispose: boolean): string => `
      const { OnnxVaeEngine } = await import(${JSON.stringify(dist)});
      const D = 5, n = 40;
      const spans = [{ kind: 'tanh', start: 0, width: 1 }, { kind: 'softmax', start: 1, width: 4 }];
      const cfg = { embeddingDim: 3, compressDims: [8], decompressDims: [8], lossFactor: 2, l2scale: 0, learningRate: 1e-3, batchSize: 10, epochs: 1 };
      const e = new OnnxVaeEngine(D, spans, cfg, 1, { shards: 2, parallel: 2 });
      const x = new Float32Array(n * D);
      for (let i = 0; i < n; i++) x[i * D + 1 + (i % 4)] = 1;
      e.setData(x, n);
      await e.beginTraining();
      if (e.activeLanes !== 2) throw new Error('no worker started: ' + e.parallelFallbackReason);
      for (let s = 0; s < 5; s++) e.trainStep(Int32Array.from({ length: 10 }, (_, i) => (i + s) % n), s);
      ${dispose ? 'e.dispose();' : '/* no dispose: the worker is left running */'}
      console.log('done');
    `;
    for (const dispose of [true, false]) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(dispose)], { encoding: 'utf8', timeout: 30_000 });
      const sec = (performance.now() - t0) / 1000;
      expect(r.stderr, `dispose=${dispose}`).toBe('');
      expect(r.stdout.trim()).toBe('done');
      expect(r.signal, `dispose=${dispose}: killed by the timeout, so a worker kept the process alive`).toBeNull();
      expect(r.status).toBe(0);
      expect(sec).toBeLessThan(20);
    }
  });
});
