/**
 * Worker thread entry of fastSampling.ts: builds the plan's sampler once, then answers each
 * { index, rows, as } message with that batch's CSV bytes (transferred), table, or both. Installs the network
 * guard when the parent thread has it (the CLI always does).
 */
import '../../../security/nativeTelemetry.js'; // first: native telemetry off in this worker too
import { parentPort, workerData } from 'node:worker_threads';
import { FastBatchRunner, type FastSamplingOptions, type FastSamplingPlan } from './fastSampling.js';
import { installNetworkGuard } from '../../../security/networkGuard.js';

const port = parentPort;
if (!port) throw new Error('sampleWorker.js runs as a worker thread (see fastSampling.ts)');
const data = workerData as { plan: FastSamplingPlan; guard: { allowLoopback: boolean } | null };
// a worker has its own copies of the net/http/... modules: refuse connections here too when the parent does
if (data.guard) installNetworkGuard({ allowLoopback: data.guard.allowLoopback });
let runner: FastBatchRunner | null = null;
port.on('message', (msg: { index: number; rows: number; as: FastSamplingOptions['as'] }) => {
  try {
    runner ??= new FastBatchRunner(data.plan);
    const reply = runner.batch(msg.index, msg.rows, msg.as);
    port.postMessage(reply, reply.bytes ? [reply.bytes.buffer as ArrayBuffer] : []);
  } catch (e) {
    const err = e as Error;
    port.postMessage({ index: msg.index, rows: 0, error: { message: err?.message ?? String(e), stack: err?.stack } });
  }
});
