/**
 * Adam over float32 vectors as a WebAssembly SIMD kernel (f32x4), assembled here from its
 * instructions (no toolchain, nothing downloaded), with a plain-JS fallback that gives the same
 * bits: every operation is one IEEE float32 operation in both (the fallback rounds each step with
 * Math.fround; double rounding is exact for +, -, *, / and sqrt of float32 operands, and WebAssembly
 * has no fused multiply-add to differ by).
 *
 * Per element, in this order (PyTorch's Adam with L2 weight decay added to the gradient):
 *   g  = ((a + b) + nz) * scale + p * l2       a, b: two gradient parts, nz: DP noise (or zeros)
 *   m' = m * b1 + g * c1                       c1 = 1 - b1
 *   v' = v * b2 + (g * g) * c2                 c2 = 1 - b2
 *   p' = p - (m' * lrc) / (sqrt(v' * ibc2) + eps)   lrc = lr / (1 - b1^t), ibc2 = 1 / (1 - b2^t)
 *
 * The vectors live in the kernel's own memory (a non-shared, never-growing WebAssembly.Memory, whose
 * buffer is a plain ArrayBuffer that onnxruntime-node accepts as tensor data); `alloc` hands out
 * 64-byte-aligned Float32Array views of it. Measured on the TVAE step's 123k parameters: see
 * benchmarks/trainSpeed.mjs and the engine's commit history.
 */

export interface AdamCoefficients {
  scale: number;
  l2: number;
  b1: number;
  b2: number;
  lrc: number;
  ibc2: number;
  eps: number;
}

export interface AdamKernel {
  /** true: the WebAssembly SIMD kernel; false: the JS fallback (same bits, slower). */
  readonly simd: boolean;
  readonly buffer: ArrayBuffer;
  /** A zero-filled view of `n` floats in the kernel's memory. */
  alloc(n: number): Float32Array;
  /** Adam on [lo, hi) of views from alloc(); th, m, v updated in place. */
  adam(th: Float32Array, m: Float32Array, v: Float32Array, a: Float32Array, b: Float32Array, nz: Float32Array, lo: number, hi: number, c: AdamCoefficients): void;
}

import { encodeModule, get, KernelFunction, mem, op, PAGE, set, whileNot, i32Const, type Code, type Local } from './wasm/assembler.js';
import { instantiateKernel, kernelsEnabled } from './wasm/instantiateKernel.js';

/** The coefficients the kernel takes, in its parameter order (c1 = 1 - b1, c2 = 1 - b2). */
const COEFFICIENTS = ['scale', 'l2', 'b1', 'c1', 'b2', 'c2', 'lrc', 'ibc2', 'eps'] as const;
type Coefficient = (typeof COEFFICIENTS)[number];

/** The module: imports env.mem (pages), exports adam(th, m, v, a, b, nz, n, scale, l2, b1, c1, b2, c2, lrc, ibc2, eps). */
export function adamModule(pages: number): Uint8Array<ArrayBuffer> {
  const f = new KernelFunction('adam', {
    th: 'i32', m: 'i32', v: 'i32', a: 'i32', b: 'i32', nz: 'i32', // byte addresses
    n: 'i32', // element count
    scale: 'f32', l2: 'f32', b1: 'f32', c1: 'f32', b2: 'f32', c2: 'f32', lrc: 'f32', ibc2: 'f32', eps: 'f32',
  }, []);
  const { p } = f;
  const i = f.local('i', 'i32'); // byte offset of the current element
  const end4 = f.local('end4', 'i32'); // bytes covered by whole vectors
  const endAll = f.local('endAll', 'i32');
  const splat = Object.fromEntries(COEFFICIENTS.map((c) => [c, f.local(`${c}x4`, 'v128')])) as Record<Coefficient, Local>;
  const vec = f.locals('v128', 'p4', 'g4', 'm4', 'v4');
  const sca = f.locals('f32', 'p1', 'g1', 'm1', 'v1');

  /** One step of the update on a lane vector (v128) or a scalar (f32): the formulas above, in order. */
  const step = (wide: boolean): Code => {
    const [load, store] = wide ? [mem('v128.load'), mem('v128.store')] : [mem('f32.load'), mem('f32.store')];
    const o = (name: 'add' | 'sub' | 'mul' | 'div' | 'sqrt'): Code => op(wide ? `f32x4.${name}` : `f32.${name}`);
    const { p: pv, g, m, v } = wide ? { p: vec.p4, g: vec.g4, m: vec.m4, v: vec.v4 } : { p: sca.p1, g: sca.g1, m: sca.m1, v: sca.v1 };
    const k = (c: Coefficient): Code => get(wide ? splat[c] : p[c]);
    const at = (base: Local): Code => [...get(base), ...get(i), ...op('i32.add')];
    return [
      // p = th[i]
      ...at(p.th), ...load, ...set(pv),
      // g = ((a + b) + nz) * scale + p * l2
      ...at(p.a), ...load, ...at(p.b), ...load, ...o('add'), ...at(p.nz), ...load, ...o('add'), ...k('scale'), ...o('mul'),
      ...get(pv), ...k('l2'), ...o('mul'), ...o('add'), ...set(g),
      // m' = m * b1 + g * c1; m[i] = m'
      ...at(p.m), ...load, ...k('b1'), ...o('mul'), ...get(g), ...k('c1'), ...o('mul'), ...o('add'), ...set(m),
      ...at(p.m), ...get(m), ...store,
      // v' = v * b2 + (g * g) * c2; v[i] = v'
      ...at(p.v), ...load, ...k('b2'), ...o('mul'), ...get(g), ...get(g), ...o('mul'), ...k('c2'), ...o('mul'), ...o('add'), ...set(v),
      ...at(p.v), ...get(v), ...store,
      // th[i] = p - (m' * lrc) / (sqrt(v' * ibc2) + eps)
      ...at(p.th), ...get(pv), ...get(m), ...k('lrc'), ...o('mul'), ...get(v), ...k('ibc2'), ...o('mul'), ...o('sqrt'), ...k('eps'), ...o('add'), ...o('div'), ...o('sub'), ...store,
    ];
  };
  const loopTo = (limit: Local, wide: boolean): Code =>
    whileNot([...get(i), ...get(limit), ...op('i32.ge_u')], step(wide), get(i), i32Const(wide ? 16 : 4), op('i32.add'), set(i));
  f.body = [
    ...get(p.n), ...i32Const(-4), ...op('i32.and'), ...i32Const(2), ...op('i32.shl'), ...set(end4),
    ...get(p.n), ...i32Const(2), ...op('i32.shl'), ...set(endAll),
    ...COEFFICIENTS.flatMap((c) => [...get(p[c]), ...op('f32x4.splat'), ...set(splat[c])]),
    ...i32Const(0), ...set(i),
    ...loopTo(end4, true),
    ...loopTo(endAll, false),
  ];
  return encodeModule(f, { pages });
}

class Arena {
  private next = 0;
  constructor(readonly buffer: ArrayBuffer) {}
  alloc(n: number): Float32Array {
    const start = this.next;
    const bytes = Math.ceil((n * 4) / 64) * 64;
    if (start + bytes > this.buffer.byteLength) throw new RangeError(`adam kernel memory: ${n} floats do not fit`);
    this.next = start + bytes;
    return new Float32Array(this.buffer, start, n);
  }
}

/**
 * A kernel with room for `floats` floats of vectors (each alloc rounds up to 16 floats): WebAssembly SIMD
 * unless switched off (PRIVSYNTH_NO_WASM, `forceJs`) or unavailable. @throws KernelError when the kernel does not compile.
 */
export function createAdamKernel(floats: number, opts: { forceJs?: boolean } = {}): AdamKernel {
  const pages = Math.max(1, Math.ceil((floats * 4 + 64 * 64) / PAGE));
  if (!opts.forceJs && kernelsEnabled('simd')) {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const fn = instantiateKernel('adam', adamModule(pages), memory).adam as (...args: number[]) => void;
    const arena = new Arena(memory.buffer);
    const check = (x: Float32Array): number => {
      if (x.buffer !== memory.buffer) throw new Error('adam kernel: a vector is not in the kernel memory');
      return x.byteOffset;
    };
    return {
      simd: true,
      buffer: memory.buffer,
      alloc: (n) => arena.alloc(n),
      adam(th, m, v, a, b, nz, lo, hi, c) {
        const o = lo * 4;
        fn(check(th) + o, check(m) + o, check(v) + o, check(a) + o, check(b) + o, check(nz) + o, hi - lo, c.scale, c.l2, c.b1, 1 - c.b1, c.b2, 1 - c.b2, c.lrc, c.ibc2, c.eps);
      },
    };
  }
  // PRIVSYNTH_NO_WASM, or no WebAssembly SIMD here: the JS fallback below computes the same bits
  const buffer = new ArrayBuffer(pages * PAGE);
  const arena = new Arena(buffer);
  return { simd: false, buffer, alloc: (n) => arena.alloc(n), adam: adamJs };
}

/** The kernel's arithmetic in JS, one float32 rounding per operation. */
function adamJs(th: Float32Array, m: Float32Array, v: Float32Array, a: Float32Array, b: Float32Array, nz: Float32Array, lo: number, hi: number, c: AdamCoefficients): void {
  const f = Math.fround;
  const scale = f(c.scale);
  const l2 = f(c.l2);
  const b1 = f(c.b1);
  const c1 = f(1 - c.b1);
  const b2 = f(c.b2);
  const c2 = f(1 - c.b2);
  const lrc = f(c.lrc);
  const ibc2 = f(c.ibc2);
  const eps = f(c.eps);
  for (let i = lo; i < hi; i++) {
    const p = th[i]!;
    const g = f(f(f(f(f(a[i]! + b[i]!) + nz[i]!) * scale) + f(p * l2)));
    const mi = f(f(m[i]! * b1) + f(g * c1));
    const vi = f(f(v[i]! * b2) + f(f(g * g) * c2));
    m[i] = mi;
    v[i] = vi;
    th[i] = f(p - f(f(mi * lrc) / f(f(Math.sqrt(f(vi * ibc2))) + eps)));
  }
}
