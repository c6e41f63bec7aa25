/**
 * The contract of conditional sampling (every row meets the conditions) that rebalancing (rebalance.ts) and the
 * sample job build on. dp-vae implements it by guided sampling in latent space
 * (synthesizers/dp-vae/sample/guidedSample.ts); its options and statistics are these.
 */
import type { Table } from '../table/Table.js';
import type { TableEncoder } from '../transformers/TableEncoder.js';
import type { Condition } from './conditions.js';

/** A model that samples under conditions (a DpVaeSynthesizer is one); its encoder names the categories. */
export interface ConditionalSource {
  readonly encoder: TableEncoder;
  /** Exactly n rows meeting every condition, in batches; returns the statistics. */
  sampleGuided(n: number, conditions: readonly Condition[], opts?: ConditionalSampleOptions): Generator<Table, ConditionalSampleStats>;
}

export interface ConditionalSampleOptions {
  seed?: number;
  /** Rows per yielded table (default 10,000). */
  batchSize?: number;
  /** Latent draws per round (default 8,192). */
  proposalBatch?: number;
  /** Largest share of a round's ESS turned into rows (default 0.5). */
  essFraction?: number;
  /** Adapt the proposal when the engine can decode given latents (default true). */
  adaptive?: boolean;
  /** Share of N(0, I) kept in the adapted proposal (default 0.1). */
  defensive?: number;
  /** Below this estimated probability of the conditions, stop with an error (default 1e-6). */
  minProbability?: number;
  /** Proposals drawn before the probability check applies (default 100,000). */
  checkAfter?: number;
  /** Hard cap on proposals (default 2,000,000 + 1,000 x n). */
  maxProposals?: number;
  /**
   * Categorical decoding temperature, as in sampleBatches (1 = the model's softmax; 0 = argmax). The
   * guide weights use the same tempered softmax, so the rows follow the tempered model given the conditions.
   */
  temperature?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ConditionalSampleStats {
  rows: number;
  /** Latent draws decoded. */
  proposals: number;
  rounds: number;
  /** Sum over rounds of each round's effective sample size. */
  effectiveSampleSize: number;
  /** effectiveSampleSize / proposals. */
  essPerProposal: number;
  /** Rows resampled (before range checks) per unit of ESS: how much z is shared. */
  rowsPerEss: number;
  /** Importance estimate of P(categorical conditions) under the model. */
  estimatedProbability: number;
  /** Share of resampled rows passing the range conditions (1 without ranges). */
  rangeAcceptance: number;
  adaptive: boolean;
  seconds: number;
}
