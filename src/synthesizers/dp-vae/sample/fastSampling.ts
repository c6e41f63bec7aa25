/**
 * Plain and calibrated sampling to a file, fast: typed batches, CSV bytes, worker threads.
 *
 *   main:   model + calibration ──► FastSamplingPlan (plain data) ──► W - 1 workers and this thread
 *   each:   batch b ──► VaeSampler.drawBatch(batchRng(seed, b)) ──► output columns (+ surrogates)
 *           ──► CsvBatchEncoder ──► bytes (transferred, not copied)
 *   main:   bytes in batch order ──► TableWriter (atomic)
 *
 * A batch's rows depend only on (seed, batch index, batch size), so the output is byte-identical
 * whatever the number of threads (tested). At most two batches per worker are in flight, so memory
 * stays flat in the number of rows. Workers run the compiled dist/ code; when this module is not
 * itself running from dist/ (tests on the TypeScript sources) or only one core is available, the
 * batches run in this thread with the same code.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ColumnSpec } from '../../../metadata/Metadata.js';
import type { Cell, Table } from '../../../table/Table.js';
import { TableEncoder, type TableEncoderState } from '../../../transformers/TableEncoder.js';
import { decodedCells } from '../../../transformers/DecodedColumn.js';
import { VaeSampler } from './VaeSampler.js';
import { batchRng } from '../../../sampling/batchRng.js';
import { surrogateColumn } from '../../../sampling/surrogateColumn.js';
import type { NamedWeight } from '../engine/VaeEngine.js';
import type { VaeConfig } from '../VaeConfig.js';
import { CsvBatchEncoder, type BatchColumn } from '../../../io/CsvBatchEncoder.js';
import { MonotoneTransport, type MonotoneTransportState } from '../../../sampling/MonotoneTransport.js';
import { CancelledError } from '../../../errors.js';
import { networkGuardState } from '../../../security/networkGuard.js';
import { env } from '../../../env.js';
import * as msg from '../../../messages.js';

/** Everything a thread needs to produce batches (structured-clonable). */
export interface FastSamplingPlan {
  encoder: TableEncoderState;
  config: VaeConfig;
  weights: NamedWeight[];
  temperature: number;
  calibration?: { bias: Float32Array; transports: [string, MonotoneTransportState][] };
  /** Output columns in order: modelled columns come from the model, surrogate columns are generated. */
  output: ColumnSpec[];
  /** CSV field delimiter of the output (default ','). */
  delimiter?: string;
  seed: number;
  batchSize: number;
}

/** Builds the sampler of a plan in the current thread and turns batch indices into output. */
export class FastBatchRunner {
  readonly plan: FastSamplingPlan;
  readonly sampler: VaeSampler;
  private readonly csv: CsvBatchEncoder;
  private readonly columnIndex: number[];

  constructor(plan: FastSamplingPlan) {
    this.plan = plan;
    const encoder = TableEncoder.fromJSON(plan.encoder);
    this.sampler = new VaeSampler(encoder, plan.config, plan.weights, { temperature: plan.temperature });
    if (plan.calibration) {
      const transports = new Map(plan.calibration.transports.map(([c, s]) => [c, MonotoneTransport.fromState(s)] as const));
      this.sampler.setCalibration(plan.calibration.bias, transports.size ? (column, values, rng) => transports.get(column)?.apply(values, rng) : undefined);
    }
    this.csv = new CsvBatchEncoder(plan.output, plan.delimiter);
    this.columnIndex = plan.output.map((c) => encoder.columns.indexOf(c.name));
  }

  /** Rows in batch b of a run of `total` rows. */
  rowsOf(b: number, total: number): number {
    return Math.max(0, Math.min(this.plan.batchSize, total - b * this.plan.batchSize));
  }

  columns(b: number, m: number): BatchColumn[] {
    const decoded = this.sampler.drawBatch(m, batchRng(this.plan.seed, b));
    return this.plan.output.map((c, k) => {
      const j = this.columnIndex[k]!;
      if (j >= 0) return decoded[j]!;
      if (c.action === 'surrogate') return surrogateColumn(c.name, b * this.plan.batchSize, m, this.plan.seed, b);
      return null;
    });
  }

  csvBytes(b: number, m: number): Uint8Array {
    return this.csv.encode(this.columns(b, m), m);
  }

  /** Batch b as a Table of the modelled output columns (the sample job adds the surrogate identifiers). */
  table(b: number, m: number): Table {
    return this.tableOf(this.columns(b, m), m);
  }

  /** Batch b as CSV bytes and as a Table, drawn once. */
  both(b: number, m: number): { bytes: Uint8Array; table: Table } {
    const cols = this.columns(b, m);
    return { bytes: this.csv.encode(cols, m), table: this.tableOf(cols, m) };
  }

  /** One batch's draws in the reply `as` asks for. */
  batch(b: number, m: number, as: FastSamplingOptions['as']): FastBatch {
    if (as === 'csv') return { index: b, rows: m, bytes: this.csvBytes(b, m) };
    if (as === 'table') return { index: b, rows: m, table: this.table(b, m) };
    return { index: b, rows: m, ...this.both(b, m) };
  }

  private tableOf(cols: BatchColumn[], m: number): Table {
    const names: string[] = [];
    const columns: Cell[][] = [];
    this.plan.output.forEach((c, k) => {
      const col = cols[k];
      if (col === null || col === undefined || c.action === 'surrogate') return;
      names.push(c.name);
      columns.push(Array.isArray(col) ? (col as Cell[]) : decodedCells(col as Exclude<BatchColumn, null | readonly Cell[]>));
    });
    return { names, columns, rowCount: m };
  }

  dispose(): void {
    this.sampler.dispose();
  }
}

export interface FastBatch {
  index: number;
  rows: number;
  bytes?: Uint8Array;
  table?: Table;
}

export interface FastSamplingOptions {
  /** 'csv' bytes (CSV and Parquet output), tables (JSONL), or both (a caller that keeps the rows). */
  as: 'csv' | 'table' | 'both';
  /** Threads drawing batches, this one included (default: PRIVSYNTH_SAMPLE_WORKERS, else the available cores, at most 8; 1 = this thread only). */
  workers?: number;
  signal?: AbortSignal;
}

const WORKER_FILE = new URL('./sampleWorker.js', import.meta.url);
const MIN_BATCHES_FOR_WORKERS = 10;

/** How many worker threads a run of `batches` batches uses (1 = none). */
export function workerCount(batches: number, requested?: number): number {
  const want = requested ?? env.sampleWorkers() ?? Math.min(8, os.availableParallelism());
  // a worker costs ~0.1-0.3 s to start (modules, onnxruntime, the sampler): below ~100,000 rows this thread is as fast
  if (want <= 1 || batches < MIN_BATCHES_FOR_WORKERS) return 1;
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js') || !existsSync(fileURLToPath(WORKER_FILE))) return 1;
  return Math.min(want, batches);
}

/** The batches of a run of `rows` rows, in order. */
export async function* fastBatches(plan: FastSamplingPlan, rows: number, opts: FastSamplingOptions): AsyncGenerator<FastBatch> {
  const nb = Math.ceil(rows / plan.batchSize);
  const W = workerCount(nb, opts.workers);
  const check = (): void => {
    if (opts.signal?.aborted) throw new CancelledError(msg.SAMPLING_INTERRUPTED);
  };
  if (W <= 1) {
    const runner = new FastBatchRunner(plan);
    try {
      for (let b = 0; b < nb; b++) {
        check();
        yield runner.batch(b, runner.rowsOf(b, rows), opts.as);
      }
    } finally {
      runner.dispose();
    }
    return;
  }
  yield* pooled(plan, rows, nb, W, opts, check);
}

interface WorkerReply {
  index: number;
  rows: number;
  bytes?: Uint8Array;
  table?: Table;
  error?: { message: string; stack?: string };
}

async function* pooled(plan: FastSamplingPlan, rows: number, nb: number, W: number, opts: FastSamplingOptions, check: () => void): AsyncGenerator<FastBatch> {
  // W threads in all: this one and W - 1 workers. This thread draws batches too, between writes: it
  // starts at once (its modules are loaded) while the workers start up, and a third busy thread on two
  // cores measured slower than two (each batch ~25% slower, plus a worker's start-up).
  const workers: Worker[] = [];
  const done = new Map<number, WorkerReply>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  // Each worker keeps two batches queued; a finished batch frees its worker's slot at once (not when the
  // writer reaches it), as long as no more than WINDOW batches wait unwritten (memory stays flat).
  let next = 0;
  let written = 0;
  const WINDOW = 4 * W;
  const inFlight = new Map<Worker, number>();
  const dispatch = (w: Worker): void => {
    while ((inFlight.get(w) ?? 0) < 2 && next < nb && next < written + WINDOW) {
      const b = next++;
      inFlight.set(w, (inFlight.get(w) ?? 0) + 1);
      w.postMessage({ index: b, rows: Math.min(plan.batchSize, rows - b * plan.batchSize), as: opts.as });
    }
  };
  let local: FastBatchRunner | null = null;
  opts.signal?.addEventListener('abort', notify, { once: true });
  try {
    for (let k = 0; k < W - 1; k++) {
      const g = networkGuardState();
      const w = new Worker(WORKER_FILE, { workerData: { plan, guard: g.installed ? { allowLoopback: g.allowLoopback } : null } });
      w.on('message', (r: WorkerReply) => {
        if (r.error) {
          failure ??= Object.assign(new Error(r.error.message), { stack: r.error.stack });
        } else {
          done.set(r.index, r);
          inFlight.set(w, (inFlight.get(w) ?? 1) - 1);
          dispatch(w);
        }
        notify();
      });
      w.on('error', (e) => {
        failure ??= e;
        notify();
      });
      w.on('exit', (code) => {
        if (code !== 0) failure ??= new Error(`a sampling worker exited with code ${code}`);
        notify();
      });
      workers.push(w);
    }
    // every worker gets its first two batches, then refills whichever answers (the order of results is
    // restored below); this thread takes the next batch whenever the one due is not back yet
    for (const w of workers) dispatch(w);
    local = new FastBatchRunner(plan);
    for (let b = 0; b < nb; b++) {
      for (;;) {
        check();
        if (failure) throw failure;
        const r = done.get(b);
        if (r) {
          done.delete(b);
          written = b + 1;
          for (const w of workers) dispatch(w);
          yield { index: b, rows: r.rows, bytes: r.bytes, table: r.table };
          break;
        }
        if (next < nb && next < written + WINDOW) {
          const i = next++;
          const m = local.rowsOf(i, rows);
          done.set(i, local.batch(i, m, opts.as));
          // let the workers' replies in (and refill them) before the next batch here
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', notify);
    local?.dispose();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
