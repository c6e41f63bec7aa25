/**
 * An encoding error in the kernels surfaces: with a wrong entry in the opcode table (f32.add, f64.add
 * and v128.any_true given the numbers of instructions of other types, as a typo there would), every
 * kernel factory throws a KernelError instead of quietly returning its slower JS fallback. The SIMD
 * probe does not use the table, so this runtime still counts as having SIMD.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/kernels/wasm/opcodes.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/kernels/wasm/opcodes.js')>();
  return {
    ...real,
    PLAIN: { ...real.PLAIN, 'f32.add': real.PLAIN['i32.add'], 'f64.add': real.PLAIN['i32.add'] },
    SIMD: { ...real.SIMD, 'v128.any_true': real.SIMD['i32x4.splat'] },
  };
});

const { createAdamKernel } = await import('../../src/kernels/adamKernel.js');
const { createHeadsKernel } = await import('../../src/kernels/headsKernel.js');
const { createNormalKernel } = await import('../../src/kernels/normalKernel.js');
const { createCsvFormatterKernel } = await import('../../src/io/csvFormatterKernel.js');
const { KernelError, runtimeSupports } = await import('../../src/kernels/wasm/instantiateKernel.js');
const { quantileTable } = await import('../../src/random/fillStandardNormal.js');

describe('a broken opcode table', () => {
  it('leaves SIMD detected (the probe is literal bytes)', () => {
    expect(runtimeSupports('simd')).toBe(true);
  });

  it('makes every kernel factory throw a KernelError naming the kernel', () => {
    expect(() => createAdamKernel(16)).toThrow(KernelError);
    expect(() => createAdamKernel(16)).toThrow(/the adam WebAssembly kernel does not compile/);
    expect(() => createNormalKernel(quantileTable())).toThrow(/the normals WebAssembly kernel does not compile/);
    expect(() => createHeadsKernel([{ kind: 'softmax', start: 0, width: 2 }], 2, 4)).toThrow(/the heads WebAssembly kernel does not compile/);
    expect(() => createCsvFormatterKernel()).toThrow(/the CSV formatter WebAssembly kernel does not compile/);
  });

  it('is no error with PRIVSYNTH_NO_WASM=1 (the kernels are not built)', () => {
    process.env.PRIVSYNTH_NO_WASM = '1';
    try {
      expect(createAdamKernel(16).simd).toBe(false);
      expect(createHeadsKernel([{ kind: 'softmax', start: 0, width: 2 }], 2, 4)).toBeNull();
    } finally {
      delete process.env.PRIVSYNTH_NO_WASM;
    }
  });
});
