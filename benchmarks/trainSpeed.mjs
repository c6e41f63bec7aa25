#!/usr/bin/env node
/**
 * VAE training-step speed: tfjs vs onnxruntime engines, without and with DP-SGD, on UCI Adult's
 * real encoded width (TVAE's architecture, batch 500), and the projected 300-epoch time.
 *
 *   npx tsc -p tsconfig.build.json && node benchmarks/trainSpeed.mjs [--quick] [--data file.csv] [--only onnx]
 *
 * onnxruntime configurations: shards (the batch split, part of the arithmetic) x threads training
 * (the main thread plus workers; the same bytes for any count) x intra-op threads of one session.
 *
 * Each configuration: warm-up steps, then REPS timed blocks of STEPS steps; reports the median
 * block's steps/s (wall clock) and its process CPU time per step (a check on a shared machine:
 * with 1 onnxruntime thread, CPU ms/step ~ wall ms/step unless other processes compete).
 * Without /work/shared's Adult, a synthetic matrix of Adult's encoded width is used.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dataArg = args.indexOf('--data');
const file = dataArg >= 0 ? args[dataArg + 1] : new URL('../../shared/datasets/adult/train.csv', import.meta.url).pathname;
const ADULT_ROWS = 26048;

const dist = new URL('../dist/', import.meta.url);
const imp = (p) => import(new URL(p, dist).href);
const { Rng } = await imp('index.js');
const { DEFAULT_VAE_CONFIG } = await imp('synthesizers/dp-vae/VaeConfig.js');
const { OnnxVaeEngine } = await imp('synthesizers/dp-vae/engine/OnnxVaeEngine.js');
const { TfjsVaeEngine } = await imp('synthesizers/dp-vae/engine/TfjsVaeEngine.js');
const { loadBackend } = await imp('nn/backend.js');

async function encodedAdult() {
  if (existsSync(file)) {
    const { loadTypedTable, TableEncoder } = await imp('index.js');
    const { modelledColumns } = await imp('metadata/Metadata.js');
    const { table, metadata } = await loadTypedTable(file);
    const rng = new Rng(0);
    const encoder = TableEncoder.fit(modelledColumns(metadata), table, rng.fork('transformers'));
    const enc = encoder.encode(table, rng.fork('encode'));
    return { source: file, n: table.rowCount, width: encoder.width, spans: [...encoder.spans], enc };
  }
  // Fallback: Adult-like layout (6 numeric columns as tanh + 10-mode softmax, 8 categoricals).
  const spans = [];
  let w = 0;
  for (let k = 0; k < 6; k++) {
    spans.push({ kind: 'tanh', start: w, width: 1 }, { kind: 'softmax', start: w + 1, width: 10 });
    w += 11;
  }
  for (const c of [9, 16, 7, 15, 6, 5, 2, 42]) {
    spans.push({ kind: 'softmax', start: w, width: c });
    w += c;
  }
  const n = ADULT_ROWS;
  const enc = new Float32Array(n * w);
  const rng = new Rng(1);
  for (let i = 0; i < n; i++) {
    for (const s of spans) {
      if (s.kind === 'tanh') enc[i * w + s.start] = rng.uniform() * 1.8 - 0.9;
      else enc[i * w + s.start + rng.int(s.width)] = 1;
    }
  }
  return { source: 'synthetic (Adult-like layout)', n, width: w, spans, enc };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Time `steps` x `reps` train steps after `warm` warm-up steps. */
function timeEngine(engine, data, { dp, steps, reps, warm }) {
  const rng = new Rng(7);
  const B = DEFAULT_VAE_CONFIG.batchSize;
  const batch = () => {
    const rows = new Int32Array(B);
    for (let i = 0; i < B; i++) rows[i] = rng.int(data.n);
    return rows;
  };
  const batches = Array.from({ length: 64 }, batch);
  let k = 0;
  for (let i = 0; i < warm; i++) engine.trainStep(batches[k++ % 64], rng.nextU32(), dp);
  engine.takeLoss();
  const rates = [];
  const cpu = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) engine.trainStep(batches[k++ % 64], rng.nextU32(), dp);
    engine.takeLoss(); // tfjs: forces the queued work to finish
    const sec = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    rates.push(steps / sec);
    cpu.push((c.user + c.system) / 1000 / steps);
  }
  return { stepsPerSec: median(rates), cpuMsPerStep: median(cpu), min: Math.min(...rates), max: Math.max(...rates) };
}

const data = await encodedAdult();
const cfg = { ...DEFAULT_VAE_CONFIG };
const stepsPerEpoch = Math.ceil(data.n / cfg.batchSize);
const fullSteps = stepsPerEpoch * cfg.epochs;
const dpOpts = { clipNorm: 1, noiseMultiplier: 1, expectedBatchSize: cfg.batchSize };

console.log(`# VAE training-step speed\n`);
console.log(`- data: ${data.source}: ${data.n} rows, encoded width ${data.width} (${data.spans.length} heads)`);
console.log(`- model: ${data.width}->${cfg.compressDims.join('->')}->(${cfg.embeddingDim},${cfg.embeddingDim})->${cfg.decompressDims.join('->')}->${data.width}, batch ${cfg.batchSize}, Adam`);
console.log(`- 300 epochs = ${stepsPerEpoch} steps/epoch x ${cfg.epochs} = ${fullSteps} steps; DP: clip 1, noise multiplier 1 (noise drawn every step)`);
console.log(`- node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);

const configs = [];
const tfjsSteps = quick ? 10 : 30;
const onnxSteps = quick ? 100 : 300;
const reps = quick ? 3 : 5;
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const onnxConfigs = [
  { shards: 1, parallel: 1, threads: 1 },
  { shards: 1, parallel: 1, threads: 2 },
  { shards: 2, parallel: 1, threads: 1 },
  { shards: 2, parallel: 2, threads: 1 },
];
for (const o of onnxConfigs) {
  for (const dp of [undefined, dpOpts]) {
    configs.push({ name: 'onnxruntime', key: `${o.shards}/${o.parallel}/${o.threads}`, ...o, dp, make: () => new OnnxVaeEngine(data.width, data.spans, cfg, 1, o), steps: onnxSteps, warm: 30 });
  }
}
if (only !== 'onnx') {
  const backend = await loadBackend();
  for (const dp of [undefined, dpOpts]) {
    configs.push({ name: `tfjs-${backend.name}`, key: 'tfjs', shards: 1, parallel: 1, threads: 1, dp, make: () => new TfjsVaeEngine(backend, data.width, data.spans, cfg, 1), steps: tfjsSteps, warm: 5 });
  }
}

const rows = [];
for (const c of configs) {
  const engine = c.make();
  engine.setData(data.enc, data.n);
  await engine.beginTraining?.();
  const lanes = engine.activeLanes ?? 1;
  if (lanes !== c.parallel) process.stderr.write(`warning: ${c.parallel} threads asked, ${lanes} running (${engine.parallelFallbackReason})\n`);
  const r = timeEngine(engine, data, { dp: c.dp, steps: c.steps, reps, warm: c.warm });
  engine.dispose();
  rows.push({ ...c, lanes, ...r });
  process.stderr.write(`${c.name} ${c.key} ${c.dp ? 'DP' : 'no-DP'}: ${r.stepsPerSec.toFixed(1)} steps/s\n`);
}

console.log('| engine | shards | threads training | intra-op threads | mode | steps/s (median) | range | ms/step | CPU ms/step | projected 300 epochs | DP / no-DP time |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const base = rows.find((x) => x.key === r.key && !x.dp);
  const ratio = r.dp && base ? (base.stepsPerSec / r.stepsPerSec).toFixed(2) + 'x' : '';
  console.log(
    `| ${r.name} | ${r.shards} | ${r.lanes} | ${r.threads} | ${r.dp ? 'DP-SGD' : 'no DP'} | ${r.stepsPerSec.toFixed(1)} | ${r.min.toFixed(0)}-${r.max.toFixed(0)} | ${(1000 / r.stepsPerSec).toFixed(2)} | ${r.cpuMsPerStep.toFixed(2)} | ${(fullSteps / r.stepsPerSec).toFixed(0)} s | ${ratio} |`,
  );
}
console.log(`\nload average at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
