/**
 * dp-vae's sampling stream (Synthesizer.sampler): what the sample job's one writing loop reads.
 *
 *   method = rebalanced | conditional | calibrated (the model has marginals) | plain
 *   fast (plain or calibrated; no constraints; no LLM text):
 *       weights checked against the manifest's network ──► stored calibration (or fitted now at another
 *       temperature) ──► fastSampling.fastBatches: this thread + worker threads, batch b from
 *       batchRng(seed, b) ──► CSV bytes (CSV, Parquet) or Tables (JSONL; and for a job that keeps them)
 *   table (conditions, rebalancing, constraints, or LLM text):
 *       DpVaeSynthesizer with the stored weights and calibration ──► sampleBatches | sampleGuided |
 *       sampling/rebalance, wrapped by sampling/constraints (repair, then reject) when the schema has some
 *       ──► Tables of the modelled columns
 */
import { Rng } from '../../../rng.js';
import { calibrateSampler, storedCalibration, type ColumnCalibration, type StoredCalibrationInfo } from './calibration.js';
import { sampleConstrainedBatches, type EnforceReport } from '../../../sampling/constraints.js';
import { fastBatches, workerCount, type FastSamplingPlan } from './fastSampling.js';
import type { MarginalRelease } from '../../../sampling/marginals.js';
import type { MonotoneTransport, MonotoneTransportState } from '../../../sampling/MonotoneTransport.js';
import { sampleRebalancedBatches } from '../../../sampling/rebalance.js';
import type { Table } from '../../../table/Table.js';
import { TableEncoder, type TableEncoderState } from '../../../transformers/TableEncoder.js';
import type { ModelManifest } from '../../modelFile.js';
import type { SampleMethod, SampleOptions } from '../../options.js';
import type { LoadedModelDirectory, SampleStream } from '../../Synthesizer.js';
import { VaeSampler, flatTheta } from './VaeSampler.js';
import { dpVaeFromModel, weightsDoNotFitError } from './loadDpVae.js';

export async function dpVaeSampler(model: LoadedModelDirectory, opts: SampleOptions, text: { fill: boolean }): Promise<SampleStream> {
  const manifest = model.manifest as ModelManifest;
  const constraints = manifest.schema.constraints ?? [];
  const release = manifest.marginals as MarginalRelease | undefined;
  const method: SampleMethod = opts.rebalance ? 'rebalanced' : opts.conditions?.length ? 'conditional' : release && opts.calibrate !== false ? 'calibrated' : 'plain';
  const fast = (method === 'plain' || method === 'calibrated') && !constraints.length && !text.fill;
  return fast ? fastStream(model, opts, method, release) : tableStream(model, opts, method, release);
}

/**
 * Plain and calibrated sampling without constraints or text (the common case): typed batches encoded
 * straight to CSV bytes in worker threads (fastSampling.ts); calibration fitted once here.
 */
function fastStream(model: LoadedModelDirectory, opts: SampleOptions, method: 'plain' | 'calibrated', release: MarginalRelease | undefined): SampleStream {
  const { dir: modelDir, weights } = model;
  const manifest = model.manifest as ModelManifest;
  const encoder = TableEncoder.fromJSON(manifest.encoder);
  const seed = opts.seed ?? 0;
  const temperature = opts.temperature ?? 1;
  try {
    // the weights must fit the network the manifest describes (each sampling thread builds its own sampler)
    flatTheta({ dataDim: encoder.width, embeddingDim: manifest.config.embeddingDim, compressDims: manifest.config.compressDims, decompressDims: manifest.config.decompressDims }, weights);
  } catch (e) {
    throw weightsDoNotFitError(modelDir, e);
  }
  let calibration: { bias: Float32Array; transports: Map<string, MonotoneTransport>; columns?: ColumnCalibration[] } | undefined;
  if (method === 'calibrated') {
    const stored = temperature === 1 && manifest.calibration ? storedCalibration(weights, encoder.columns, encoder.width) : null;
    if (stored) calibration = { ...stored, columns: (manifest.calibration as StoredCalibrationInfo).columns };
    else {
      // an older model, or another temperature: fit the calibration now
      const sampler = new VaeSampler(encoder, manifest.config, weights, { temperature });
      try {
        calibration = calibrateSampler(sampler, release!, new Rng(seed).fork('calibration'));
      } finally {
        sampler.dispose();
      }
    }
  }
  const batchSize = opts.batchSize ?? 10_000;
  const workers = workerCount(Math.ceil(opts.rows / batchSize));
  return {
    method,
    async *batches(target) {
      const plan: FastSamplingPlan = {
        delimiter: target.delimiter,
        encoder: manifest.encoder as TableEncoderState,
        config: manifest.config,
        weights,
        temperature,
        output: target.columns,
        seed,
        batchSize,
        ...(calibration ? { calibration: { bias: calibration.bias, transports: [...calibration.transports].map(([c, t]) => [c, t.state()] as [string, MonotoneTransportState]) } } : {}),
      };
      const as = target.format === 'jsonl' ? 'table' : target.tables ? 'both' : 'csv';
      for await (const b of fastBatches(plan, opts.rows, { as, signal: opts.signal, workers })) yield { rows: b.rows, bytes: b.bytes, table: b.table };
    },
    summary: () => ({ workers, ...(calibration?.columns ? { calibration: calibration.columns } : {}) }),
    dispose: () => {},
  };
}

/** Conditional, rebalanced, constrained or text-filled sampling: Tables from a DpVaeSynthesizer. */
async function tableStream(model: LoadedModelDirectory, opts: SampleOptions, method: SampleMethod, release: MarginalRelease | undefined): Promise<SampleStream> {
  const manifest = model.manifest as ModelManifest;
  const constraints = manifest.schema.constraints ?? [];
  const synth = await dpVaeFromModel(manifest, model.weights, model.dir);
  const seed = opts.seed ?? 0;
  const bs = opts.batchSize ?? 10_000;
  const draw = (m: number, s: number): Iterable<Table> => {
    if (method === 'rebalanced') return sampleRebalancedBatches(synth, m, opts.rebalance!, { seed: s, batchSize: bs, temperature: opts.temperature, conditions: opts.conditions, signal: opts.signal });
    if (method === 'conditional') return synth.sampleGuided(m, opts.conditions!, { seed: s, batchSize: bs, temperature: opts.temperature, signal: opts.signal });
    return synth.sampleBatches(m, s, bs, opts.temperature, method === 'calibrated' ? release : undefined);
  };
  let constraintReport: EnforceReport | undefined;
  return {
    method,
    async *batches() {
      const batches = constraints.length ? sampleConstrainedBatches(draw, opts.rows, constraints, { seed, metadata: manifest.schema }) : draw(opts.rows, seed);
      const it = batches[Symbol.iterator]() as Iterator<Table, EnforceReport | void>;
      let step = it.next();
      for (; !step.done; step = it.next()) yield { rows: step.value.rowCount, table: step.value };
      // a constrained generator returns its enforcement report when it finishes
      if (constraints.length && step.value) constraintReport = step.value;
    },
    summary: () => (constraintReport ? { constraints: constraintReport } : {}),
    dispose: () => synth.engine.dispose(),
  };
}
