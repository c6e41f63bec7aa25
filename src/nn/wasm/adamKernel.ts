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

import {
  BLOCK, BR, BR_IF, END, F32, F32_ADD, F32_DIV, F32_LOAD, F32_MUL, F32_SQRT, F32_STORE, F32_SUB, F4_ADD, F4_DIV, F4_MUL, F4_SPLAT, F4_SQRT, F4_SUB,
  I32, I32_ADD, I32_AND, I32_GE_U, I32_SHL, LOOP, PAGE, V128, V_LOAD, V_STORE, get, i32c, moduleWithMemory, set,
} from './wasmBinary.js';

/** The module: imports env.mem (pages), exports adam(th, m, v, a, b, nz, n, scale, l2, b1, c1, b2, c2, lrc, ibc2, eps). */
function adamModule(pages: number): Uint8Array<ArrayBuffer> {
  // params: 0 th, 1 m, 2 v, 3 a, 4 b, 5 nz (byte addresses), 6 n; 7.. 15 the f32 coefficients
  const [TH, M, V, A, B, NZ, N] = [0, 1, 2, 3, 4, 5, 6];
  const COEF = [7, 8, 9, 10, 11, 12, 13, 14, 15]; // scale l2 b1 c1 b2 c2 lrc ibc2 eps
  // locals: 16 i, 17 end4, 18 endAll (bytes); 19..27 splats; 28 p, 29 g, 30 mi, 31 vi (v128); 32..35 f32 p g mi vi
  const [I, END4, ENDALL] = [16, 17, 18];
  const SPL = COEF.map((_, k) => 19 + k);
  const [VP, VG, VM, VV] = [28, 29, 30, 31];
  const [SP, SG, SM, SV] = [32, 33, 34, 35];
  const [SCALE, L2, B1, C1, B2, C2, LRC, IBC2, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

  /** One step of the update on a lane vector (v128) or a scalar (f32): the formulas above, in order. */
  const body = (w: boolean): number[] => {
    const LOAD = w ? V_LOAD : F32_LOAD;
    const STORE = w ? V_STORE : F32_STORE;
    const ADD = w ? F4_ADD : F32_ADD;
    const SUB = w ? F4_SUB : F32_SUB;
    const MUL = w ? F4_MUL : F32_MUL;
    const DIV = w ? F4_DIV : F32_DIV;
    const SQRT = w ? F4_SQRT : F32_SQRT;
    const [p, g, mi, vi] = w ? [VP, VG, VM, VV] : [SP, SG, SM, SV];
    const k = (j: number): number[] => (w ? get(SPL[j]!) : get(COEF[j]!));
    const at = (base: number): number[] => [...get(base), ...get(I), ...I32_ADD];
    return [
      // p = th[i]
      ...at(TH), ...LOAD, ...set(p),
      // g = ((a + b) + nz) * scale + p * l2
      ...at(A), ...LOAD, ...at(B), ...LOAD, ...ADD, ...at(NZ), ...LOAD, ...ADD, ...k(SCALE), ...MUL,
      ...get(p), ...k(L2), ...MUL, ...ADD, ...set(g),
      // mi = m * b1 + g * c1; m[i] = mi
      ...at(M), ...LOAD, ...k(B1), ...MUL, ...get(g), ...k(C1), ...MUL, ...ADD, ...set(mi),
      ...at(M), ...get(mi), ...STORE,
      // vi = v * b2 + (g * g) * c2; v[i] = vi
      ...at(V), ...LOAD, ...k(B2), ...MUL, ...get(g), ...get(g), ...MUL, ...k(C2), ...MUL, ...ADD, ...set(vi),
      ...at(V), ...get(vi), ...STORE,
      // th[i] = p - (mi * lrc) / (sqrt(vi * ibc2) + eps)
      ...at(TH), ...get(p), ...get(mi), ...k(LRC), ...MUL, ...get(vi), ...k(IBC2), ...MUL, ...SQRT, ...k(EPS), ...ADD, ...DIV, ...SUB, ...STORE,
    ];
  };
  const loop = (limit: number, w: boolean): number[] => [
    ...BLOCK,
    ...LOOP,
    ...get(I), ...get(limit), ...I32_GE_U, ...BR_IF(1),
    ...body(w),
    ...get(I), ...i32c(w ? 16 : 4), ...I32_ADD, ...set(I),
    ...BR(0),
    ...END,
    ...END,
  ];
  const code = [
    ...get(N), ...i32c(-4), ...I32_AND, ...i32c(2), ...I32_SHL, ...set(END4),
    ...get(N), ...i32c(2), ...I32_SHL, ...set(ENDALL),
    ...COEF.flatMap((c, j) => [...get(c), ...F4_SPLAT, ...set(SPL[j]!)]),
    ...i32c(0), ...set(I),
    ...loop(END4, true),
    ...loop(ENDALL, false),
    ...END,
  ];
  const params = [I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32, F32];
  return moduleWithMemory('adam', params, [], [[3, I32], [13, V128], [4, F32]], code, pages);
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

/** A kernel with room for `floats` floats of vectors (each alloc rounds up to 16 floats). */
export function createAdamKernel(floats: number, opts: { forceJs?: boolean } = {}): AdamKernel {
  const pages = Math.max(1, Math.ceil((floats * 4 + 64 * 64) / PAGE));
  if (!opts.forceJs) {
    try {
      const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
      const inst = new WebAssembly.Instance(new WebAssembly.Module(adamModule(pages)), { env: { mem } });
      const fn = inst.exports.adam as (...args: number[]) => void;
      const arena = new Arena(mem.buffer);
      const check = (x: Float32Array): number => {
        if (x.buffer !== mem.buffer) throw new Error('adam kernel: a vector is not in the kernel memory');
        return x.byteOffset;
      };
      return {
        simd: true,
        buffer: mem.buffer,
        alloc: (n) => arena.alloc(n),
        adam(th, m, v, a, b, nz, lo, hi, c) {
          const o = lo * 4;
          fn(check(th) + o, check(m) + o, check(v) + o, check(a) + o, check(b) + o, check(nz) + o, hi - lo, c.scale, c.l2, c.b1, 1 - c.b1, c.b2, 1 - c.b2, c.lrc, c.ibc2, c.eps);
        },
      };
    } catch {
      // no WebAssembly SIMD here: the JS fallback below computes the same bits
    }
  }
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
