/**
 * The main thread's side of OnnxVaeEngine's worker lanes (protocol in onnxShards.ts): starts the
 * workers, owns the shared memory, issues commands, and stops them.
 *
 * Workers run the compiled dist/ file (also when the engine itself runs from src/ under vitest, so
 * build first). They are unref'd once ready: an engine that is never disposed cannot keep the
 * process alive. close() is idempotent and is called on dispose, on endTraining (trainVae calls it in
 * a finally, so also on errors and on cancellation) and when a step fails.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SHARD_PROTOCOL, type AdamState } from './onnxShards.js';
import {
  CMD_BUFFERS,
  CMD_EXIT,
  CMD_STEP,
  C_ACK,
  C_CMD,
  C_EPOCH,
  C_SEQ,
  CTRL_INTS,
  fail,
  MAX_LANES,
  PARAM_F64,
  signal,
  waitFor,
  writeStep,
  type AdamConfig,
  type BuffersMessage,
  type LaneDims,
  type LaneModels,
  type StepInfo,
  type WorkerInit,
} from './shardProtocol.js';

export interface PoolOptions {
  /** Threads in all, the main thread (lane 0) included. */
  lanes: number;
  S: number;
  dims: LaneDims;
  models: LaneModels;
  adam: AdamConfig;
  timeoutMs?: number;
}

/** The compiled worker: beside this file in dist/, or in dist/ when this file runs from src/. */
export function shardWorkerUrl(): URL | null {
  const candidates = [new URL('./onnxShardWorker.js', import.meta.url), new URL('../../../../dist/synthesizers/dp-vae/engine/onnxShardWorker.js', import.meta.url)];
  return candidates.find((u) => existsSync(fileURLToPath(u))) ?? null;
}

const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(8, bytes));

export class ShardPool {
  readonly lanes: number;
  readonly ctrl: Int32Array;
  readonly params: Float64Array;
  /** Parameters and moments every lane's Adam updates in place. */
  readonly state: AdamState;
  /** Per-shard gradients, the parts other lanes read. */
  readonly grads: Float32Array[];
  readonly stats: Float64Array;
  readonly timeoutMs: number;
  private readonly workers: Worker[];
  private readonly ports: MessagePort[];
  private seq = 0;
  /** The rows of the workers' shards, gathered by the main thread (capacity x D). */
  private xBuf: Float32Array = new Float32Array(0);
  private readonly D: number;
  private asyncError: string | null = null;
  private closed = false;

  private constructor(lanes: number, init: Omit<WorkerInit, 'lane'>, workers: Worker[], ports: MessagePort[]) {
    this.lanes = lanes;
    this.ctrl = new Int32Array(init.ctrl);
    this.params = new Float64Array(init.params);
    this.state = { theta: new Float32Array(init.theta), m: new Float32Array(init.m), v: new Float32Array(init.v) };
    this.grads = init.grads.map((b) => new Float32Array(b));
    this.stats = new Float64Array(init.stats);
    this.timeoutMs = init.timeoutMs;
    this.D = init.dims.D;
    this.workers = workers;
    this.ports = ports;
    for (const w of workers) {
      w.on('error', (e) => (this.asyncError ??= (e as Error)?.message ?? String(e)));
      w.on('exit', () => this.close());
    }
  }

  /** Start lanes - 1 workers and wait until each has loaded onnxruntime and built its session. */
  static async start(opts: PoolOptions): Promise<ShardPool> {
    const { lanes, S, dims } = opts;
    if (!(lanes >= 2 && lanes <= Math.min(S, MAX_LANES))) throw new RangeError(`a pool needs 2 to min(shards, ${MAX_LANES}) lanes, got ${lanes}`);
    const url = shardWorkerUrl();
    if (!url) throw new Error('the compiled worker dist/synthesizers/dp-vae/engine/onnxShardWorker.js is missing (run npm run build)');
    const P4 = dims.P * 4;
    const init: Omit<WorkerInit, 'lane'> = {
      protocol: SHARD_PROTOCOL,
      lanes,
      S,
      dims,
      models: { grad: opts.models.grad, gradDp: opts.models.gradDp },
      adam: opts.adam,
      ctrl: sab(CTRL_INTS * 4),
      params: sab(PARAM_F64 * 8),
      theta: sab(P4),
      m: sab(P4),
      v: sab(P4),
      grads: Array.from({ length: S }, () => sab(P4)),
      stats: sab(S * 4 * 8),
      timeoutMs: opts.timeoutMs ?? 120_000,
    };
    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    try {
      for (let lane = 1; lane < lanes; lane++) {
        const { port1, port2 } = new MessageChannel();
        // inherit node's flags except those only valid for a main script (node --input-type=module -e ...)
        const execArgv = process.execArgv.filter((a) => !/^--input-type(=|$)/.test(a));
        const w = new Worker(url, { workerData: { ...init, lane, port: port2 }, transferList: [port2], execArgv });
        workers.push(w);
        ports.push(port1);
      }
      await Promise.all(
        workers.map(
          (w, i) =>
            new Promise<void>((resolve, reject) => {
              w.once('message', (m: { type: string; protocol?: number; message?: string }) => {
                if (m.type === 'ready' && m.protocol === SHARD_PROTOCOL) resolve();
                else if (m.type === 'ready') reject(new Error(`the compiled worker speaks protocol ${m.protocol}, this engine ${SHARD_PROTOCOL}: dist/ is stale (run npm run build)`));
                else reject(new Error(`training worker ${i + 1} failed to start: ${m.message}`));
              });
              w.once('error', reject);
              w.once('exit', (code) => reject(new Error(`training worker ${i + 1} exited (code ${code}) before it was ready`)));
            }),
        ),
      );
    } catch (e) {
      for (const w of workers) void w.terminate();
      for (const p of ports) p.close();
      throw e;
    }
    for (const w of workers) {
      w.removeAllListeners();
      w.unref();
    }
    for (const p of ports) p.unref();
    return new ShardPool(lanes, init, workers, ports);
  }

  /** Tell the workers that the shared moments were replaced (they reload their ranges next step). */
  stateReplaced(): void {
    Atomics.add(this.ctrl, C_EPOCH, 1);
  }

  get alive(): boolean {
    return !this.closed;
  }

  private issue(cmd: number): number {
    if (this.closed) throw new Error('the training workers were stopped');
    this.seq = (this.seq + 1) | 0;
    Atomics.store(this.ctrl, C_CMD, cmd);
    signal(this.ctrl, C_SEQ, this.seq);
    return this.seq;
  }

  /**
   * The shared buffer the main thread gathers the workers' rows into, with room for `rows` rows
   * (grown, and handed to the workers again, when a batch is larger).
   */
  batchBuffer(rows: number): Float32Array {
    if (rows * this.D <= this.xBuf.length) return this.xBuf;
    const capacity = Math.max(rows, 2 * (this.xBuf.length / this.D), 64);
    this.xBuf = new Float32Array(sab(capacity * this.D * 4));
    const msg: BuffersMessage = { x: this.xBuf.buffer as SharedArrayBuffer };
    for (const p of this.ports) p.postMessage(msg);
    const seq = this.issue(CMD_BUFFERS);
    for (let j = 1; j < this.lanes; j++) waitFor(this.ctrl, C_ACK + j, seq, this.timeoutMs);
    return this.xBuf;
  }

  /** Publish a step to the workers (their rows already in batchBuffer); returns its sequence number. */
  beginStep(step: StepInfo): number {
    writeStep(this.params, step);
    return this.issue(CMD_STEP);
  }

  /** Wait until every worker has reached `seq` on counter `base` (C_GRAD or C_ADAM). */
  waitAll(base: number, seq: number): void {
    for (let j = 1; j < this.lanes; j++) waitFor(this.ctrl, base + j, seq, this.timeoutMs);
  }

  /** Why the pool failed, as an Error (a worker's report if it sent one); closes the pool. */
  failure(cause: unknown): Error {
    let reason: string | null = null;
    for (const p of this.ports) {
      const m = receiveMessageOnPort(p)?.message as { type?: string; message?: string } | undefined;
      if (m?.type === 'error') reason ??= m.message ?? null;
    }
    reason ??= this.asyncError ?? (cause as Error)?.message ?? String(cause);
    this.close();
    return new Error(`a training thread failed: ${reason}`, { cause });
  }

  /** Tell the workers to exit and terminate them (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      Atomics.store(this.ctrl, C_CMD, CMD_EXIT);
      this.seq = (this.seq + 1) | 0;
      fail(this.ctrl); // wakes any waiter, sets the error flag so none waits again
      signal(this.ctrl, C_SEQ, this.seq);
    } finally {
      for (const w of this.workers) void w.terminate();
      for (const p of this.ports) p.close();
    }
  }
}
