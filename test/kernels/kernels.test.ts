/**
 * Every WebAssembly kernel validates, and a kernel that does not compile is an error naming it, never
 * a silent fallback to JS (the fallback runs only with PRIVSYNTH_NO_WASM or without WebAssembly SIMD).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { adamModule, createAdamKernel } from '../../src/kernels/adamKernel.js';
import { createHeadsKernel, headsModule } from '../../src/kernels/headsKernel.js';
import { createNormalKernel, normalModule } from '../../src/kernels/normalKernel.js';
import { createCsvFormatterKernel, csvFormatterModule } from '../../src/io/csvFormatterKernel.js';
import { instantiateKernel, KernelError, kernelsEnabled, runtimeSupports } from '../../src/kernels/wasm/instantiateKernel.js';
import { quantileTable } from '../../src/random/fillStandardNormal.js';

const modules: [string, () => Uint8Array<ArrayBuffer>][] = [
  ['adam', () => adamModule(1)],
  ['heads', () => headsModule(1)],
  ['normals', () => normalModule()],
  ['CSV formatter', () => csvFormatterModule()],
];

afterEach(() => {
  delete process.env.PRIVSYNTH_NO_WASM;
});

describe('WebAssembly kernels', () => {
  it('this Node has WebAssembly SIMD (else the JS fallbacks run and the kernels below are not exercised)', () => {
    expect(runtimeSupports('wasm')).toBe(true);
    expect(runtimeSupports('simd')).toBe(true);
  });

  it.each(modules)('the %s kernel validates', (_, build) => {
    expect(WebAssembly.validate(build())).toBe(true);
  });

  it.each(modules)('the %s kernel with one byte of its code flipped to an invalid opcode throws a KernelError naming it', (name, build) => {
    const bytes = build();
    // the last byte is the function's `end`; the one before it an instruction of the body: 0xff is no opcode
    bytes[bytes.length - 2] = 0xff;
    expect(WebAssembly.validate(bytes)).toBe(false);
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(() => instantiateKernel(name, bytes, memory)).toThrow(KernelError);
    expect(() => instantiateKernel(name, bytes, memory)).toThrow(new RegExp(`the ${name} WebAssembly kernel does not compile`));
  });

  it('PRIVSYNTH_NO_WASM switches every kernel to its JS fallback', () => {
    expect(kernelsEnabled('simd')).toBe(true);
    process.env.PRIVSYNTH_NO_WASM = '1';
    expect(kernelsEnabled('simd')).toBe(false);
    expect(kernelsEnabled('wasm')).toBe(false);
    expect(createAdamKernel(16).simd).toBe(false);
    expect(createNormalKernel(quantileTable()).simd).toBe(false);
    expect(createHeadsKernel([{ kind: 'softmax', start: 0, width: 2 }], 2, 4)).toBeNull();
    expect(createCsvFormatterKernel()).toBeNull();
    delete process.env.PRIVSYNTH_NO_WASM;
    expect(createAdamKernel(16).simd).toBe(true);
    expect(createNormalKernel(quantileTable()).simd).toBe(true);
    expect(createHeadsKernel([{ kind: 'softmax', start: 0, width: 2 }], 2, 4)).not.toBeNull();
    expect(createCsvFormatterKernel()).not.toBeNull();
  });
});
