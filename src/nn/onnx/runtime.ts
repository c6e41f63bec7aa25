/**
 * onnxruntime-node, loaded lazily, with a synchronous `run`.
 *
 * Why not `InferenceSession.create(...).run()`: the public `run` returns a Promise that resolves
 * on `setImmediate` although the native call underneath is synchronous. The VAE trainer calls
 * `trainStep` synchronously ~16,000 times per fit, so we call the package's native binding
 * (`onnxruntime-node/dist/binding.js`, the object its own session handler wraps) directly: same
 * `loadModel(buffer, offset, length, options)` and `run(feeds, fetches, options)` calls, minus the
 * event-loop hop. This relies on an internal file of onnxruntime-node (checked against 1.30.0);
 * `loadOrt()` fails cleanly if its shape changes, and the caller falls back to tfjs.
 */
import { createRequire } from 'node:module';
import { disableNativeTelemetry } from '../../security/nativeTelemetry.js';

export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array | Uint8Array;
}

type TensorCtor = new (type: string, data: Float32Array | BigInt64Array, dims: readonly number[]) => OrtTensor;

interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  readonly inputMetadata: { name: string }[];
  readonly outputMetadata: { name: string }[];
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>, options: object): Record<string, OrtTensor>;
  endProfiling(): void;
  dispose(): void;
}

export interface Ort {
  /** onnxruntime-node's version string. */
  version: string;
  Tensor: TensorCtor;
  createSession(model: Uint8Array, options: SessionOptions): OrtSession;
}

export interface SessionOptions {
  /** Threads used inside one operator (a matMul). */
  intraOpNumThreads: number;
  /** Flush denormals to zero inside onnxruntime (session.set_denormal_as_zero). */
  denormalAsZero?: boolean;
  /** Let idle intra-op threads spin (fast hand-off, burns the other core). */
  allowSpinning?: boolean;
  /** Write onnxruntime's per-node profile (Chrome trace JSON) under this prefix (development). */
  profilePrefix?: string;
}

export class OrtSession {
  readonly inputNames: string[];
  readonly outputNames: string[];
  private native: NativeSession | null;

  constructor(native: NativeSession) {
    this.native = native;
    this.inputNames = native.inputMetadata.map((m) => m.name);
    this.outputNames = native.outputMetadata.map((m) => m.name);
  }

  /**
   * Run synchronously. `fetches` maps output names to null (onnxruntime allocates) or to a
   * pre-allocated tensor of the right shape that receives the result in place.
   */
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>): Record<string, OrtTensor> {
    if (!this.native) throw new Error('onnxruntime session used after dispose()');
    return this.native.run(feeds, fetches, {});
  }

  /** Stop profiling and write the profile file (when created with profilePrefix). */
  endProfiling(): void {
    this.native?.endProfiling();
  }

  dispose(): void {
    this.native?.dispose();
    this.native = null;
  }
}

let loaded: Ort | null = null;

/** Load onnxruntime-node; throws (with the reason) when it cannot be used here. */
export function loadOrt(): Ort {
  if (loaded) return loaded;
  disableNativeTelemetry(); // before the native library loads: it reads ORT_DISABLE_TELEMETRY once
  const req = createRequire(import.meta.url);
  const pkg = req('onnxruntime-node/package.json') as { version: string };
  const ort = req('onnxruntime-node') as { Tensor: TensorCtor };
  const b = req('onnxruntime-node/dist/binding.js') as {
    binding?: { InferenceSession?: new () => NativeSession };
    initOrt?: () => void;
  };
  if (typeof b.initOrt !== 'function' || typeof b.binding?.InferenceSession !== 'function' || typeof ort.Tensor !== 'function') {
    throw new Error(`onnxruntime-node ${pkg.version}: unexpected binding layout (dist/binding.js)`);
  }
  b.initOrt();
  const Native = b.binding.InferenceSession;
  loaded = {
    version: pkg.version,
    Tensor: ort.Tensor,
    createSession(model: Uint8Array, opts: SessionOptions): OrtSession {
      const native = new Native();
      const config: Record<string, string> = {
        'session.set_denormal_as_zero': opts.denormalAsZero === false ? '0' : '1',
        'session.intra_op.allow_spinning': opts.allowSpinning ? '1' : '0',
      };
      native.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
        intraOpNumThreads: opts.intraOpNumThreads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3, // errors only: graph-cleanup warnings are not for our users
        extra: nest(config),
        ...(opts.profilePrefix ? { enableProfiling: true, profileFilePrefix: opts.profilePrefix } : {}),
      });
      return new OrtSession(native);
    },
  };
  return loaded;
}

/** onnxruntime-node flattens `extra: { session: { x: '1' } }` into the config key 'session.x'. */
function nest(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flat)) {
    const parts = k.split('.');
    let o = out;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts[parts.length - 1]!] = v;
  }
  return out;
}
