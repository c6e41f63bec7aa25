/**
 * The TVAE-style synthesizer: fits transformers, trains the VAE, samples rows.
 *
 *   typed Table ──► TableEncoder.fit/encodeRows ──► compact rows ──► trainVae (dense batches) ──► engine
 *   sample: N(0, I) ──► decoder ──► tanh ──► TableEncoder.decode (+ learned sigma noise) ──► Table
 */
import type { Metadata, ColumnSpec } from '../../metadata/Metadata.js';
import { modelledColumns } from '../../metadata/Metadata.js';
import type { Table } from '../../table/Table.js';
import { Rng } from '../../rng.js';
import { TableEncoder } from '../../transformers/TableEncoder.js';
import { DEFAULT_VAE_CONFIG, type VaeConfig } from './VaeConfig.js';
import { createVaeEngine } from './engine/createEngine.js';
import type { EncodedSpan, VaeEngine } from './engine/VaeEngine.js';
import { VaeSampler } from './sample/VaeSampler.js';
import { batchRng } from '../../sampling/batchRng.js';
import { decodedCells } from '../../transformers/DecodedColumn.js';
import { calibrateSampler, installCalibration } from './sample/calibration.js';
import type { MonotoneTransport } from '../../sampling/MonotoneTransport.js';
import type { MarginalRelease } from '../../sampling/marginals.js';
import { trainVae, type DpTrainingPlan, type TrainProgress, type TrainingSummary } from './fit/trainVae.js';
import { sampleConditionalBatches } from './sample/guidedSample.js';
import type { ConditionalSampleOptions, ConditionalSampleStats } from '../../sampling/conditionalSampling.js';
import type { Condition } from '../../sampling/conditions.js';

export interface FitVaeOptions {
  config?: Partial<VaeConfig>;
  seed?: number;
  dp?: DpTrainingPlan;
  /** A pre-fitted encoder (e.g. fitted privately); otherwise fitted on the data (not DP). */
  encoder?: TableEncoder;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

export class DpVaeSynthesizer {
  readonly metadata: Metadata;
  readonly columns: ColumnSpec[];
  readonly encoder: TableEncoder;
  readonly engine: VaeEngine;
  readonly config: VaeConfig;
  readonly seed: number;
  training?: TrainingSummary;
  /** The calibration (to the model's stored marginals, temperature 1) fitted at fit time, when the model holds one. */
  storedCalibration?: { bias: Float32Array; transports: Map<string, MonotoneTransport> };

  private constructor(metadata: Metadata, encoder: TableEncoder, engine: VaeEngine, config: VaeConfig, seed: number) {
    this.metadata = metadata;
    this.columns = modelledColumns(metadata);
    this.encoder = encoder;
    this.engine = engine;
    this.config = config;
    this.seed = seed;
  }

  static async create(metadata: Metadata, encoder: TableEncoder, config: VaeConfig, seed: number): Promise<DpVaeSynthesizer> {
    const spans = encoder.spans as EncodedSpan[];
    const engine = await createVaeEngine(encoder.width, spans, config, new Rng(seed).fork('init').nextU32());
    return new DpVaeSynthesizer(metadata, encoder, engine, config, seed);
  }

  /** Fit on a typed table (see coerceTable). */
  static async fit(table: Table, metadata: Metadata, opts: FitVaeOptions = {}): Promise<DpVaeSynthesizer> {
    const seed = opts.seed ?? 0;
    const config: VaeConfig = { ...DEFAULT_VAE_CONFIG, ...opts.config };
    const rng = new Rng(seed);
    const columns = modelledColumns(metadata);
    const encoder = opts.encoder ?? TableEncoder.fit(columns, table, rng.fork('transformers'));
    // compact rows (a few bytes a row), gathered batch by batch: never the dense n x width matrix
    const rows = encoder.encodeRows(table, rng.fork('encode'));
    const synth = await DpVaeSynthesizer.create(metadata, encoder, config, seed);
    try {
      synth.training = await trainVae(synth.engine, rows, {
        epochs: config.epochs,
        batchSize: config.batchSize,
        seed: rng.fork('trainer').nextU32(),
        dp: opts.dp,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
    } catch (e) {
      synth.engine.dispose(); // a failed or cancelled fit returns nothing that could dispose it later
      throw e;
    }
    synth.engine.setData(new Float32Array(encoder.width), 1); // release the last batch
    return synth;
  }

  /**
   * A typed sampler over this model's current weights (VaeSampler): onnxruntime's sampling graph
   * when it loads, else JS. Calibrated to `release` (the model's stored marginals) when given.
   */
  sampler(temperature = 1, release?: MarginalRelease, seed = 0): VaeSampler {
    const s = new VaeSampler(this.encoder, this.config, this.engine.exportWeights(), { temperature });
    if (release && temperature === 1 && this.storedCalibration) installCalibration(s, this.storedCalibration);
    else if (release) calibrateSampler(s, release, new Rng(seed).fork('calibration'));
    return s;
  }

  /**
   * Sample rows in batches. Batch b is drawn from batchRng(seed, b), so the output for a given
   * (seed, n, batchSize) is the same however it is consumed, and equals the sample job's.
   */
  *sampleBatches(n: number, seed: number, batchSize = 10_000, temperature = 1, release?: MarginalRelease): Generator<Table> {
    const sampler = this.sampler(temperature, release, seed);
    try {
      for (let b = 0; b * batchSize < n; b++) {
        const m = Math.min(batchSize, n - b * batchSize);
        const cols = sampler.drawBatch(m, batchRng(seed, b));
        yield { names: this.encoder.columns, columns: cols.map(decodedCells), rowCount: m };
      }
    } finally {
      sampler.dispose();
    }
  }

  /**
   * Exactly n rows meeting every condition, by guided latent sampling (see sample/guidedSample.ts);
   * the generator's return value reports proposals, effective sample size and the estimated P(conditions).
   */
  sampleGuided(n: number, conditions: readonly Condition[], opts: ConditionalSampleOptions = {}): Generator<Table, ConditionalSampleStats> {
    return sampleConditionalBatches(this, n, conditions, opts);
  }
}
