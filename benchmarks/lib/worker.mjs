#!/usr/bin/env node
/**
 * One benchmark measurement per process: `node benchmarks/lib/worker.mjs <task> '<json params>'`.
 * Prints one line `{"result": {...}}` on stdout with the task's figures and `peakMiB`
 * (process.resourceUsage().maxRSS of this process). The library is imported from $PRIVSYNTH_BENCH_DIST (a
 * snapshot made by run.mjs) or ../../dist.
 */
import { promises as fs, openSync, writeSync, closeSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import { lib as imp } from './common.mjs';

const [task, json] = process.argv.slice(2);
const params = JSON.parse(json ?? '{}');
const now = () => performance.now() / 1000;

async function typed(trainFile, holdoutFile) {
  const { loadTypedTable, coerceTable, readTable } = await imp('index.js');
  const { table: train, metadata } = await loadTypedTable(trainFile);
  const holdout = holdoutFile ? coerceTable(await readTable(holdoutFile), metadata) : null;
  return { train, holdout, metadata };
}

async function readSynthetic(file, metadata) {
  const { coerceTable, readTable } = await imp('index.js');
  return coerceTable(await readTable(file), metadata, { columns: metadata.columns.filter((c) => c.action !== 'drop').map((c) => c.name) });
}

const tasks = {
  /** The fit job with the given options; wall time includes reading, schema inference, encoder fit and saving. */
  async fit({ file, out, epochs, dp, seed = 42, schema }) {
    const { fit } = await imp('index.js');
    const t0 = now();
    const r = await fit(file, { out, seed, force: true, ...(schema ? { schema } : {}), ...(epochs !== undefined ? { epochs } : {}), ...(dp ? { dp } : {}) });
    const wall = now() - t0;
    const t = r.manifest.training;
    return {
      wallSeconds: wall,
      trainSeconds: t.seconds,
      epochs: t.epochs,
      steps: t.steps,
      batchSize: r.manifest.config.batchSize,
      secondsPerEpoch: t.seconds / t.epochs,
      overheadSeconds: wall - t.seconds,
      epsilon: r.manifest.privacy.total?.epsilon ?? null,
      backend: r.manifest.backend,
    };
  },

  /** The sample job end to end (load model, sample, decode, [calibrate], write, rename). */
  async sample({ model, rows, out, seed = 1, keep = false, calibrate }) {
    const { sample } = await imp('index.js');
    const r = await sample(model, { rows, out, seed, force: true, ...(calibrate === false ? { calibrate: false } : {}) });
    const bytes = statSync(out).size;
    if (!keep) rmSync(out, { force: true });
    return { seconds: r.seconds, rows: r.rows, rowsPerSecond: r.rows / r.seconds, bytes, method: r.method ?? 'plain' };
  },

  /**
   * Where sampling time goes, stage by stage, in ONE thread, mirroring what each sampling worker does for
   * a batch (synthesizers/dp-vae/sample/fastSampling.ts FastBatchRunner): batches of 10,000 rows; latents (z normals, u
   * uniforms), the onnxruntime graph (decoder + exp, in 2,048-row calls), the heads' draws (WebAssembly), the
   * column decode (+ output noise, calibration transport, rounding), CSV bytes, write; plus loading the
   * model and fitting the calibration once.
   */
  async sampleProfile({ model, rows, out, seed = 1, batchSize = 10_000, calibrate }) {
    const { outputColumns } = await imp('index.js');
    const { loadModel } = await imp('synthesizers/modelFile.js');
    const { TableEncoder } = await imp('transformers/TableEncoder.js');
    const { VaeSampler } = await imp('synthesizers/dp-vae/sample/VaeSampler.js');
    const { batchRng } = await imp('sampling/batchRng.js');
    const { drawFromExp } = await imp('synthesizers/dp-vae/sample/drawHeads.js');
    const { calibrateSampler, storedCalibration, installCalibration } = await imp('synthesizers/dp-vae/sample/calibration.js');
    const { CsvBatchEncoder } = await imp('io/CsvBatchEncoder.js');
    const { Rng } = await imp('index.js');
    const t0 = now();
    const { manifest, weights } = await loadModel(model);
    const enc = TableEncoder.fromJSON(manifest.encoder);
    const sampler = new VaeSampler(enc, manifest.config, weights);
    const time = { load: now() - t0, calibrationFit: 0, latents: 0, decoder: 0, heads: 0, decodeColumns: 0, csvFormat: 0, write: 0 };
    const release = calibrate === false ? undefined : manifest.marginals;
    let t = now();
    if (release) {
      // as the sample job: the calibration stored at fit time, else fitted now (older models)
      const stored = manifest.calibration ? storedCalibration(weights, enc.columns, enc.width) : null;
      if (stored) installCalibration(sampler, stored);
      else calibrateSampler(sampler, release, new Rng(seed).fork('calibration'));
    }
    time.calibrationFit = now() - t;
    const cols = outputColumns(manifest.schema);
    const csv = new CsvBatchEncoder(cols);
    const colIndex = cols.map((c) => enc.columns.indexOf(c.name));
    const src = sampler.source;
    const L = manifest.config.embeddingDim;
    const D = enc.width;
    const S = enc.spans.length;
    const nSoft = sampler.softmaxSpans;
    const CH = 2048;
    const fd = openSync(out, 'w');
    writeSync(fd, cols.map((c) => c.name).join(',') + '\n');
    for (let b = 0; b * batchSize < rows; b++) {
      const m = Math.min(batchSize, rows - b * batchSize);
      const rng = batchRng(seed, b);
      t = now();
      const { z, u } = sampler.latents(m, rng);
      time.latents += now() - t;
      // the same scale/shift the source sets in draw()
      src.draw(z.subarray(0, L), u.subarray(0, nSoft), 1, sampler.heads);
      const draws = new Float32Array(m * S);
      for (let a = 0; a < m; a += CH) {
        const k = Math.min(CH, m - a);
        t = now();
        // as OrtDrawSource.draw at temperature 1: the unscaled graph, the WebAssembly heads kernel when present
        const r = src.runExp(src.name === 'onnxruntime' ? 'draw1' : 'draw', z.subarray(a * L, (a + k) * L), k);
        time.decoder += now() - t;
        t = now();
        const ua = u.subarray(a * nSoft, (a + k) * nSoft);
        if (src.kernel) draws.set(src.kernel.draw(k, ua, sampler.heads.order), a * S);
        else drawFromExp(r.e, k, D, enc.spans, ua, false, r.tot, draws.subarray(a * S, (a + k) * S), sampler.heads.order);
        time.heads += now() - t;
      }
      t = now();
      const decoded = enc.decodeDraws(draws, m, rng.fork('decode'), { spanSigmas: sampler.spanSigmas, transport: sampler.transport });
      time.decodeColumns += now() - t;
      t = now();
      const bytes = csv.encode(colIndex.map((j) => (j >= 0 ? decoded[j] : null)), m);
      time.csvFormat += now() - t;
      t = now();
      writeSync(fd, bytes);
      time.write += now() - t;
    }
    closeSync(fd);
    sampler.dispose();
    rmSync(out, { force: true });
    const total = now() - t0;
    return { rows, total, ...time, calibrated: Boolean(release), rowsPerSecond: rows / total, source: src.name };
  },

  /** The full evaluate() on (train, holdout, synthetic sampled from `model` with as many rows as train). */
  async evaluate({ train, holdout, target, model, scratch }) {
    const { sample, evaluation } = await imp('index.js');
    const { evaluate } = evaluation;
    const d = await typed(train, holdout);
    const out = path.join(scratch, `eval-syn-${process.pid}.csv`);
    await sample(model, { rows: d.train.rowCount, out, seed: 1, force: true });
    const syn = await readSynthetic(out, d.metadata);
    rmSync(out, { force: true });
    const t0 = now();
    const rep = evaluate({ train: d.train, holdout: d.holdout, synthetic: syn, metadata: d.metadata, target, seed: 0 });
    return { seconds: now() - t0, timings: rep.timings, rows: rep.rows };
  },

  /** Gower k-nearest-neighbour search (k = 2, as dcr_share/nndr use) of `rows` synthetic rows among `rows` others. */
  async gower({ train, model, rows, scratch, k = 2 }) {
    const { sample } = await imp('index.js');
    const { prepareData } = await imp('evaluation/prepare.js');
    const { makeGowerEncoder, nearestNeighbours } = await imp('evaluation/gower.js');
    const d = await typed(train);
    const a = path.join(scratch, `gower-a-${process.pid}.csv`);
    const b = path.join(scratch, `gower-b-${process.pid}.csv`);
    await sample(model, { rows, out: a, seed: 11, force: true });
    await sample(model, { rows, out: b, seed: 12, force: true });
    const A = await readSynthetic(a, d.metadata);
    const B = await readSynthetic(b, d.metadata);
    rmSync(a, { force: true });
    rmSync(b, { force: true });
    // prepareData(train, holdout, synthetic): ranges come from train + holdout (here A and the real train)
    const data = prepareData(A, d.train, B, d.metadata);
    const encoder = makeGowerEncoder(data);
    const q = encoder.encode(data.synthetic);
    const ref = encoder.encode(data.train);
    const t0 = now();
    const nn = nearestNeighbours(q, ref, k);
    const seconds = now() - t0;
    let meanD = 0;
    for (let i = 0; i < q.n; i++) meanD += nn.dist[i * k];
    return { seconds, queries: q.n, reference: ref.n, pairsPerSecond: (q.n * ref.n) / seconds, meanNearest: meanD / q.n, columns: q.pn + q.pc };
  },

  async inspect({ file }) {
    const { inspect } = await imp('index.js');
    const t0 = now();
    try {
      const r = await inspect(file);
      return { seconds: now() - t0, rows: r.rows, columns: r.metadata.columns.length };
    } catch (e) {
      return { seconds: now() - t0, error: `${e.name}: ${e.message}`, at: (e.stack ?? '').split('\n').find((l) => l.includes('/dist/')) ?? '' };
    }
  },

  /** A schema inferred from a seeded random subsample of `rows` rows (a workaround when inspect fails on the whole file). */
  async schemaFromSample({ file, rows, out }) {
    const { readTable, inferMetadataWithWarnings, writeMetadataFile, Rng } = await imp('index.js');
    const { takeRows } = await imp('table/Table.js');
    const t0 = now();
    const t = await readTable(file);
    const idx = new Int32Array(t.rowCount);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    new Rng(42).shuffle(idx);
    const sub = takeRows(t, idx.subarray(0, Math.min(rows, t.rowCount)));
    const { metadata } = inferMetadataWithWarnings(sub);
    // bounds and categories from the sample would be too narrow for the whole file: keep only the types
    for (const c of metadata.columns) {
      delete c.min;
      delete c.max;
      if (c.type === 'categorical') delete c.categories;
    }
    await writeMetadataFile(out, metadata);
    return { seconds: now() - t0, rows: t.rowCount, columns: metadata.columns.map((c) => `${c.name}:${c.type}`).join(', ') };
  },

  /** Fit one method on a dataset, sample as many rows as train, evaluate against train and holdout. */
  async quality({ dataset, method, epsilon, epochs, scratch, seed = 42 }) {
    const { evaluation } = await imp('index.js');
    const { evaluate } = evaluation;
    const d = await typed(dataset.train, dataset.holdout);
    const n = d.train.rowCount;
    const dp = epsilon ? { epsilon, delta: 1e-5 } : undefined;
    let syn;
    let fitSeconds;
    let spent = null;
    const t0 = now();
    if (method === 'privsynth') {
      const { fitTable, sample } = await imp('index.js');
      const modelDir = path.join(scratch, `q-${process.pid}`);
      const r = await fitTable(d.train, d.metadata, { out: modelDir, seed, force: true, ...(dp ? { dp } : {}), ...(epochs !== undefined ? { epochs } : {}) });
      fitSeconds = now() - t0;
      spent = r.manifest.privacy.total?.epsilon ?? null;
      const out = path.join(scratch, `q-${process.pid}.csv`);
      await sample(modelDir, { rows: n, out, seed: 1, force: true });
      syn = await readSynthetic(out, d.metadata);
      rmSync(out, { force: true });
      await fs.rm(modelDir, { recursive: true, force: true });
    } else if (method === 'independent') {
      const { IndependentMarginals } = await imp('synthesizers/baselines/IndependentMarginals.js');
      const m = IndependentMarginals.fit(d.train, d.metadata, { seed, ...(dp ? { dp } : {}) });
      fitSeconds = now() - t0;
      spent = dp ? m.privacy.epsilon : null;
      syn = m.sample(n, 1);
    } else if (method === 'copula') {
      const { GaussianCopula } = await imp('synthesizers/baselines/GaussianCopula.js');
      const m = GaussianCopula.fit(d.train, d.metadata, { seed });
      fitSeconds = now() - t0;
      syn = m.sample(n, 1);
    } else throw new Error(`unknown method ${method}`);
    const te = now();
    const rep = evaluate({ train: d.train, holdout: d.holdout, synthetic: syn, metadata: d.metadata, target: dataset.target, seed: 0 });
    const evalSeconds = now() - te;
    const v = (k) => rep.metrics[k]?.value ?? null;
    const scores = rep.metrics.ml_utility?.details?.scores ?? [];
    const lr = (on) => scores.find((s) => s.model === 'logistic_regression' && s.trainedOn === on)?.auc ?? null;
    // false when the LR fit finds no relation to the target within the synthetic rows (its TSTR AUC is chance)
    const lrRelation = scores.find((s) => s.model === 'logistic_regression' && s.trainedOn === 'synthetic')?.withinSynthetic?.detected ?? null;
    return {
      fitSeconds,
      evalSeconds,
      epsilonSpent: spent,
      ks: v('ks_complement'),
      tv: v('tv_complement'),
      correlation: v('correlation_similarity'),
      contingency: v('contingency_similarity'),
      detectionAuc: v('detection'),
      tstrAucLr: lr('synthetic'),
      tstrLrRelation: lrRelation,
      trtrAucLr: lr('train'),
      dcrShare: v('dcr_share'),
      miaAuc: v('membership_inference'),
      qualityScore: rep.quality.qualityScore,
    };
  },
};

const fn = tasks[task];
if (!fn) {
  console.error(`unknown task ${task}; known: ${Object.keys(tasks).join(', ')}`);
  process.exit(2);
}
const result = await fn(params);
result.peakMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ result }) + '\n');
process.exit(0);
