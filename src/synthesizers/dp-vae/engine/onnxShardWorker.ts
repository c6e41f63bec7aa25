/**
 * A worker-thread lane of OnnxVaeEngine's data-parallel training step (see onnxShards.ts).
 *
 * Started by OnnxVaeEngine.beginTraining() from the compiled dist/ file; it loads onnxruntime-node,
 * builds its own 1-thread session, posts { type: 'ready' } and then serves commands from the shared
 * control block until CMD_EXIT (or worker.terminate()). A failure is reported on the port and
 * through the control block's error flag, which wakes the main thread.
 */
import '../../../security/nativeTelemetry.js'; // first: native telemetry off in this worker too
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadOrt } from '../../../nn/onnx/runtime.js';
import {
  adamOwnRanges,
  laneContext,
  loadOwnMoments,
  runOwnShards,
  SHARD_PROTOCOL,
} from './onnxShards.js';
import {
  CMD_BUFFERS,
  CMD_EXIT,
  CMD_STEP,
  C_ACK,
  C_ADAM,
  C_CMD,
  C_EPOCH,
  C_GRAD,
  C_SEQ,
  fail,
  readStep,
  signal,
  waitFor,
  type BuffersMessage,
  type WorkerInit,
} from './shardProtocol.js';

const init = workerData as WorkerInit & { port: MessagePort };
const port = init.port;

function main(): void {
  const ort = loadOrt();
  const ctrl = new Int32Array(init.ctrl);
  const params = new Float64Array(init.params);
  const f32 = (b: SharedArrayBuffer): Float32Array => new Float32Array(b);
  const shared = { theta: f32(init.theta), m: f32(init.m), v: f32(init.v), grads: init.grads.map(f32) };
  const ctx = laneContext(ort, init.models, init.dims, 1, init.lane, init.lanes, init.S, init.adam, shared, new Float64Array(init.stats), true);
  ctx.runner.prepare(false);
  let epoch = -1;
  let x: Float32Array = new Float32Array(0); // the batch's rows for this lane's shards, gathered by the main thread
  parentPort!.postMessage({ type: 'ready', protocol: SHARD_PROTOCOL });

  let seen = 0; // the main thread's first command is seq 1 (it may be issued before this line runs)
  for (;;) {
    Atomics.wait(ctrl, C_SEQ, seen);
    const seq = Atomics.load(ctrl, C_SEQ);
    if (seq === seen) continue;
    seen = seq;
    const cmd = Atomics.load(ctrl, C_CMD);
    if (cmd === CMD_EXIT) return;
    if (cmd === CMD_BUFFERS) {
      const msg = receiveMessageOnPort(port)?.message as BuffersMessage | undefined;
      if (!msg) throw new Error('CMD_BUFFERS without a buffers message');
      x = new Float32Array(msg.x);
      signal(ctrl, C_ACK + init.lane, seq);
      continue;
    }
    if (cmd !== CMD_STEP) throw new Error(`unknown command ${cmd}`);
    const step = readStep(params);
    const ep = Atomics.load(ctrl, C_EPOCH);
    if (ep !== epoch) {
      loadOwnMoments(ctx); // the main thread (re)started training from its state
      epoch = ep;
    }
    ctx.state.theta.set(shared.theta); // the ranges other lanes updated last step (and any importWeights)
    runOwnShards(ctx, step, { x: x.subarray(0, step.B * init.dims.D) });
    signal(ctrl, C_GRAD + init.lane, seq);
    for (let j = 0; j < init.lanes; j++) if (j !== init.lane) waitFor(ctrl, C_GRAD + j, seq, init.timeoutMs);
    adamOwnRanges(ctx, step);
    signal(ctrl, C_ADAM + init.lane, seq);
  }
}

try {
  main();
} catch (e) {
  const msg = { type: 'error', message: (e as Error)?.stack ?? String(e) };
  port.postMessage(msg); // read synchronously by a main thread blocked in a step
  parentPort!.postMessage(msg); // read by a main thread still waiting for 'ready'
  fail(new Int32Array(init.ctrl));
}
