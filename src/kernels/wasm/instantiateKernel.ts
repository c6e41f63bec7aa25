/**
 * Compiling and instantiating a kernel, loudly. A kernel falls back to its JS implementation only when
 * it is switched off (PRIVSYNTH_NO_WASM, env.ts) or when this runtime lacks what it needs (WebAssembly
 * at all, or its SIMD proposal), as found by validating a one-instruction probe module. A kernel that
 * does not compile where WebAssembly (SIMD) is available is a bug in its assembly: that throws a
 * KernelError naming the kernel, it is never swallowed into the slower path.
 */
import { env } from '../../env.js';
import { encodeModule, get, KernelFunction, op } from './assembler.js';

export type KernelFeature = 'wasm' | 'simd';

export class KernelError extends Error {
  constructor(kernel: string, cause: unknown) {
    super(`the ${kernel} WebAssembly kernel does not compile (a bug in src/kernels/, not in your data; PRIVSYNTH_NO_WASM=1 uses the JS fallback): ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = 'KernelError';
  }
}

const probes = new Map<KernelFeature, boolean>();

/** A module whose function does i32x4.splat: valid exactly where SIMD is. */
function simdProbe(): Uint8Array<ArrayBuffer> {
  const f = new KernelFunction('probe', { x: 'i32' }, ['i32']);
  f.body = [...get(f.p.x), ...op('i32x4.splat'), ...op('v128.any_true')];
  return encodeModule(f, { pages: 1 });
}

/** Whether this runtime has WebAssembly (and, for 'simd', fixed-width SIMD). */
export function runtimeSupports(feature: KernelFeature): boolean {
  let ok = probes.get(feature);
  if (ok === undefined) {
    ok = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
    if (ok && feature === 'simd') ok = WebAssembly.validate(simdProbe());
    probes.set(feature, ok);
  }
  return ok;
}

/** Whether a kernel needing `feature` runs here: not switched off, and supported (else its JS fallback runs). */
export function kernelsEnabled(feature: KernelFeature): boolean {
  return !env.noWasm() && runtimeSupports(feature);
}

/** The kernel's exports; a compile or link error throws a KernelError naming `kernel`. */
export function instantiateKernel(kernel: string, bytes: Uint8Array<ArrayBuffer>, memory: WebAssembly.Memory): WebAssembly.Exports {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    throw new KernelError(kernel, e);
  }
  try {
    return new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  } catch (e) {
    throw new KernelError(kernel, e);
  }
}
