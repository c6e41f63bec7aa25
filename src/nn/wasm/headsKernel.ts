/**
 * The output heads' draws from exponentials as a WebAssembly kernel: drawFromExp's arithmetic (not
 * argmax, with span totals), for the sampler's fast path.
 *
 *   per row, per span:  tanh     out = (e^2 - 1) / (e^2 + 1)                  (e = exp(r): tanh r)
 *                       softmax  thr = u * total; scan the categories in `order`, adding e, until the
 *                                sum exceeds thr (or the last one): out = that category
 *
 * Every operation is the JS one in float64 on float32 inputs (f64.promote, mul, add, div, compare;
 * results rounded to float32 on store), so the draws are bit-identical to drawFromExp's (tested), which
 * stays the fallback where WebAssembly is missing. Why: the scan is a chain of dependent loads, and in
 * JS each step pays a bounds check and an elements-kind check; here it measured ~2x faster.
 *
 * The kernel owns its memory: e and the totals are views the onnxruntime graph writes into (no copy),
 * u and the scan order are copied in per call (small), the draws are read from a view.
 */
import {
  BLOCK, BR, BR_IF, END, I32, I32_ADD, I32_GE_U, I32_SHL, LOOP, PAGE, get, i32c, moduleWithMemory, set, tee,
  F64, ELSE, I32_LOAD, I32_EQZ, I32_SUB, F64_ADD, F64_SUB, f64c, IF,
} from './wasmBinary.js';

const F32_LOAD = (offset = 0): number[] => [0x2a, 2, offset];
const F32_STORE = [0x38, 2, 0];
const I32_LT_S = [0x48];
const F64_LE = [0x65];
const F64_MUL = [0xa2];
const F64_DIV = [0xa3];
const F32_CONVERT_I32_S = [0xb2];
const F32_DEMOTE_F64 = [0xb6];
const F64_PROMOTE_F32 = [0xbb];

/**
 * heads(rows, D, S, nSoft, spans, order, e, tot, u, out): spans holds (kind, start, width) per span as
 * i32 (kind 0 = tanh, 1 = softmax); order is the scan order (D i32); e is rows x D, tot and u are rows
 * x nSoft, out gets rows x S (all float32). Arguments after nSoft are byte addresses.
 */
export function headsModule(pages: number): Uint8Array<ArrayBuffer> {
  const [ROWS, D, S, SPANS, ORD, E, TOT, U, OUT] = [0, 1, 2, 4, 5, 6, 7, 8, 9]; // param 3 (nSoft) is implied by the spans
  const [I, K, ROWE, OUTP, UIP, TABP, KIND, START, W, A, ORDP, IDX, J] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const [X, THR, C] = [23, 24, 25];
  const four = (x: number): number[] => [...get(x), ...i32c(2), ...I32_SHL];
  const loadE = (addr: number[]): number[] => [...addr, ...F32_LOAD(), ...F64_PROMOTE_F32];
  // e[a + order[start + j]] (byte address a + 4 idx), with idx = order[...] kept in IDX
  const eAtIdx = (): number[] => loadE([...get(A), ...four(IDX), ...I32_ADD]);
  const tanhSpan = [
    ...get(A), ...F32_LOAD(), ...F64_PROMOTE_F32, ...tee(X), ...get(X), ...F64_MUL, ...set(X), // E2 = e * e
    ...get(OUTP), ...four(K), ...I32_ADD,
    ...get(X), ...f64c(1), ...F64_SUB, ...get(X), ...f64c(1), ...F64_ADD, ...F64_DIV, ...F32_DEMOTE_F64, ...F32_STORE,
  ];
  const softmaxSpan = [
    // thr = u[ui] * tot[ui]; ui++
    ...get(U), ...get(UIP), ...I32_ADD, ...F32_LOAD(), ...F64_PROMOTE_F32,
    ...get(TOT), ...get(UIP), ...I32_ADD, ...F32_LOAD(), ...F64_PROMOTE_F32, ...F64_MUL, ...set(THR),
    ...get(UIP), ...i32c(4), ...I32_ADD, ...set(UIP),
    // ordp = order + 4 start; idx = order[start]; c = e[a + idx]; j = 0
    ...get(ORD), ...four(START), ...I32_ADD, ...tee(ORDP), ...I32_LOAD(), ...set(IDX),
    ...eAtIdx(), ...set(C),
    ...i32c(0), ...set(J),
    // while (j < w - 1 && c <= thr) { idx = order[start + ++j]; c += e[a + idx] }
    ...BLOCK, ...LOOP,
    ...get(J), ...get(W), ...i32c(1), ...I32_SUB, ...I32_LT_S, ...I32_EQZ, ...BR_IF(1),
    ...get(C), ...get(THR), ...F64_LE, ...I32_EQZ, ...BR_IF(1),
    ...get(J), ...i32c(1), ...I32_ADD, ...set(J),
    ...get(ORDP), ...four(J), ...I32_ADD, ...I32_LOAD(), ...set(IDX),
    ...get(C), ...eAtIdx(), ...F64_ADD, ...set(C),
    ...BR(0),
    ...END, ...END,
    ...get(OUTP), ...four(K), ...I32_ADD, ...get(IDX), ...F32_CONVERT_I32_S, ...F32_STORE,
  ];
  const spanLoop = [
    ...i32c(0), ...set(K),
    ...get(SPANS), ...set(TABP),
    ...BLOCK, ...LOOP,
    ...get(K), ...get(S), ...I32_GE_U, ...BR_IF(1),
    ...get(TABP), ...I32_LOAD(0), ...set(KIND),
    ...get(TABP), ...I32_LOAD(4), ...set(START),
    ...get(TABP), ...I32_LOAD(8), ...set(W),
    ...get(ROWE), ...four(START), ...I32_ADD, ...set(A),
    ...get(KIND), ...I32_EQZ, ...IF, ...tanhSpan, ...ELSE, ...softmaxSpan, ...END,
    ...get(TABP), ...i32c(12), ...I32_ADD, ...set(TABP),
    ...get(K), ...i32c(1), ...I32_ADD, ...set(K),
    ...BR(0),
    ...END, ...END,
  ];
  const code = [
    ...i32c(0), ...set(I),
    ...i32c(0), ...set(UIP),
    ...get(E), ...set(ROWE),
    ...get(OUT), ...set(OUTP),
    ...BLOCK, ...LOOP,
    ...get(I), ...get(ROWS), ...I32_GE_U, ...BR_IF(1),
    ...spanLoop,
    ...get(ROWE), ...four(D), ...I32_ADD, ...set(ROWE),
    ...get(OUTP), ...four(S), ...I32_ADD, ...set(OUTP),
    ...get(I), ...i32c(1), ...I32_ADD, ...set(I),
    ...BR(0),
    ...END, ...END,
    ...END,
  ];
  return moduleWithMemory('heads', Array(10).fill(I32), [], [[13, I32], [3, F64]], code, pages);
}

/** An output span of the decoder (as TableEncoder lays them out). */
export interface HeadSpan {
  kind: 'tanh' | 'softmax';
  start: number;
  width: number;
}

export interface HeadsKernel {
  /** Rows per call at most. */
  readonly capacity: number;
  /** e for `rows` rows (rows x width): the graph's output goes here. */
  e(rows: number): Float32Array;
  /** Span totals for `rows` rows (rows x softmax spans). */
  tot(rows: number): Float32Array;
  /** Draws of `rows` rows from the current e and totals, u (rows x softmax spans) and the scan order: a view valid until the next call. */
  draw(rows: number, u: Float32Array, order: Int32Array): Float32Array;
}

/** A kernel for these spans and up to `capacity` rows, or null where WebAssembly is unavailable. */
export function createHeadsKernel(spans: readonly HeadSpan[], width: number, capacity: number): HeadsKernel | null {
  const S = spans.length;
  const nSoft = spans.filter((s) => s.kind === 'softmax').length;
  // layout (bytes, 16-aligned): spans table, order, e, tot, u, out
  const align = (n: number): number => Math.ceil(n / 16) * 16;
  const SPANS_AT = 0;
  const ORD_AT = align(SPANS_AT + S * 12);
  const E_AT = align(ORD_AT + width * 4);
  const TOT_AT = align(E_AT + capacity * width * 4);
  const U_AT = align(TOT_AT + capacity * Math.max(1, nSoft) * 4);
  const OUT_AT = align(U_AT + capacity * Math.max(1, nSoft) * 4);
  const END_AT = OUT_AT + capacity * S * 4;
  const pages = Math.ceil(END_AT / PAGE);
  let fn: (...args: number[]) => void;
  let mem: WebAssembly.Memory;
  try {
    mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(headsModule(pages)), { env: { mem } });
    fn = inst.exports.heads as (...args: number[]) => void;
  } catch {
    return null;
  }
  const buf = mem.buffer;
  const table = new Int32Array(buf, SPANS_AT, S * 3);
  spans.forEach((s, k) => {
    table[3 * k] = s.kind === 'tanh' ? 0 : 1;
    table[3 * k + 1] = s.start;
    table[3 * k + 2] = s.width;
  });
  const ord = new Int32Array(buf, ORD_AT, width);
  const uView = new Float32Array(buf, U_AT, capacity * Math.max(1, nSoft));
  return {
    capacity,
    e: (rows) => new Float32Array(buf, E_AT, rows * width),
    tot: (rows) => new Float32Array(buf, TOT_AT, rows * Math.max(1, nSoft)),
    draw(rows, u, order) {
      if (rows > capacity) throw new RangeError(`heads kernel: ${rows} rows, capacity ${capacity}`);
      if (u.length < rows * nSoft || order.length !== width) throw new RangeError('heads kernel: u or order has the wrong length');
      uView.set(u.subarray(0, rows * nSoft));
      ord.set(order);
      fn(rows, width, S, nSoft, SPANS_AT, ORD_AT, E_AT, TOT_AT, U_AT, OUT_AT);
      return new Float32Array(buf, OUT_AT, rows * S);
    },
  };
}
