/**
 * Compiling and instantiating a kernel, loudly. A kernel falls back to its JS implementation only when
 * it is switched off (PRIVSYNTH_NO_WASM, env.ts) or when this runtime lacks what it needs (WebAssembly
 * at all, or its SIMD proposal), as found by validating a one-instruction probe module. A kernel that
 * does not compile where WebAssembly (SIMD) is available is a bug in its assembly: that throws a
 * KernelError naming the kernel, it is never swallowed into the slower path.
 */
import { env } from '../../env.js';

export type KernelFeature = 'wasm' | 'simd';

export class KernelError extends Error {
  constructor(kernel: string, cause: unknown) {
    super(`the ${kernel} WebAssembly kernel does not compile (a bug in src/kernels/, not in your data; PRIVSYNTH_NO_WASM=1 uses the JS fallback): ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = 'KernelError';
  }
}

const probes = new Map<KernelFeature, boolean>();

/**
 * The smallest module using SIMD, `(module (func (result v128) i32.const 0 i32x4.splat))`, as literal
 * bytes on purpose: built with the assembler, a broken opcode table would make the probe fail and every
 * kernel fall back silently, which is what this module exists to prevent.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: one type, () -> (v128)
  0x03, 0x02, 0x01, 0x00, // function section: function 0 has type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // code: no locals, i32.const 0, i32x4.splat, end
]);

/** Whether this runtime has WebAssembly (and, for 'simd', fixed-width SIMD). */
export function runtimeSupports(feature: KernelFeature): boolean {
  let ok = probes.get(feature);
  if (ok === undefined) {
    ok = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
    if (ok && feature === 'simd') ok = WebAssembly.validate(SIMD_PROBE);
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
