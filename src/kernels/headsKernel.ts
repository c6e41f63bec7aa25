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
import { brIf, encodeModule, f64Const, get, i32Const, ifThen, KernelFunction, mem, op, PAGE, set, tee, whileNot, type Code, type Local } from './wasm/assembler.js';
import { instantiateKernel, kernelsEnabled } from './wasm/instantiateKernel.js';
import { regions, struct } from './wasm/layout.js';

/** One row of the spans table: kind (0 tanh, 1 softmax), first column, width. */
const SPAN = struct('kind', 'start', 'width');

/**
 * heads(rows, D, S, nSoft, spans, order, e, tot, u, out): spans holds a SPAN per span; order is the scan
 * order (D i32); e is rows x D, tot and u are rows x nSoft, out gets rows x S (all float32). Arguments
 * after nSoft are byte addresses.
 */
export function headsModule(pages: number): Uint8Array<ArrayBuffer> {
  const f = new KernelFunction('heads', {
    rows: 'i32', d: 'i32', s: 'i32',
    nSoft: 'i32', // implied by the spans table; passed for the signature's sake
    spans: 'i32', order: 'i32', e: 'i32', tot: 'i32', u: 'i32', out: 'i32',
  }, []);
  const { p } = f;
  const l = f.locals('i32',
    'row', // row index
    'k', // span index
    'rowE', // address of this row's e
    'rowOut', // address of this row's draws
    'uAt', // byte offset of this row's next u (and total)
    'span', // address of span k's SPAN
    'kind', 'start', 'width',
    'spanE', // address of the span's first e
    'orderAt', // address of order[start]
    'idx', // the category being scanned (order[start + j])
    'j',
  );
  const x = f.locals('f64', 'e2', 'thr', 'sum');
  const times4 = (v: Local): Code => [...get(v), ...i32Const(2), ...op('i32.shl')];
  const loadE = (addr: Code): Code => [...addr, ...mem('f32.load'), ...op('f64.promote_f32')];
  // e[spanE + idx]
  const eAtIdx = (): Code => loadE([...get(l.spanE), ...times4(l.idx), ...op('i32.add')]);
  const outK = (): Code => [...get(l.rowOut), ...times4(l.k), ...op('i32.add')];
  const tanhSpan = [
    // e2 = e * e (e = exp(r)); out = (e2 - 1) / (e2 + 1)
    ...loadE(get(l.spanE)), ...tee(x.e2), ...get(x.e2), ...op('f64.mul'), ...set(x.e2),
    ...outK(),
    ...get(x.e2), ...f64Const(1), ...op('f64.sub'), ...get(x.e2), ...f64Const(1), ...op('f64.add'), ...op('f64.div'), ...op('f32.demote_f64'), ...mem('f32.store'),
  ];
  const softmaxSpan = [
    // thr = u[uAt] * tot[uAt]; uAt += 4
    ...loadE([...get(p.u), ...get(l.uAt), ...op('i32.add')]),
    ...loadE([...get(p.tot), ...get(l.uAt), ...op('i32.add')]), ...op('f64.mul'), ...set(x.thr),
    ...get(l.uAt), ...i32Const(4), ...op('i32.add'), ...set(l.uAt),
    // orderAt = order + 4 start; idx = order[start]; sum = e[spanE + idx]; j = 0
    ...get(p.order), ...times4(l.start), ...op('i32.add'), ...tee(l.orderAt), ...mem('i32.load'), ...set(l.idx),
    ...eAtIdx(), ...set(x.sum),
    ...i32Const(0), ...set(l.j),
    // while (j < width - 1 && sum <= thr) { idx = order[start + ++j]; sum += e[spanE + idx] }
    ...whileNot(
      [...get(l.j), ...get(l.width), ...i32Const(1), ...op('i32.sub'), ...op('i32.lt_s'), ...op('i32.eqz')],
      [...get(x.sum), ...get(x.thr), ...op('f64.le'), ...op('i32.eqz'), ...brIf(1)], // (exits the loop)
      [...get(l.j), ...i32Const(1), ...op('i32.add'), ...set(l.j)],
      [...get(l.orderAt), ...times4(l.j), ...op('i32.add'), ...mem('i32.load'), ...set(l.idx)],
      [...get(x.sum), ...eAtIdx(), ...op('f64.add'), ...set(x.sum)],
    ),
    ...outK(), ...get(l.idx), ...op('f32.convert_i32_s'), ...mem('f32.store'),
  ];
  const spanLoop = [
    ...i32Const(0), ...set(l.k),
    ...get(p.spans), ...set(l.span),
    ...whileNot([...get(l.k), ...get(p.s), ...op('i32.ge_u')],
      [...get(l.span), ...mem('i32.load', { offset: SPAN.offset.kind }), ...set(l.kind)],
      [...get(l.span), ...mem('i32.load', { offset: SPAN.offset.start }), ...set(l.start)],
      [...get(l.span), ...mem('i32.load', { offset: SPAN.offset.width }), ...set(l.width)],
      [...get(l.rowE), ...times4(l.start), ...op('i32.add'), ...set(l.spanE)],
      [...get(l.kind), ...op('i32.eqz'), ...ifThen(tanhSpan, softmaxSpan)],
      [...get(l.span), ...i32Const(SPAN.bytes), ...op('i32.add'), ...set(l.span)],
      [...get(l.k), ...i32Const(1), ...op('i32.add'), ...set(l.k)],
    ),
  ];
  f.body = [
    ...i32Const(0), ...set(l.row),
    ...i32Const(0), ...set(l.uAt),
    ...get(p.e), ...set(l.rowE),
    ...get(p.out), ...set(l.rowOut),
    ...whileNot([...get(l.row), ...get(p.rows), ...op('i32.ge_u')],
      spanLoop,
      [...get(l.rowE), ...times4(p.d), ...op('i32.add'), ...set(l.rowE)],
      [...get(l.rowOut), ...times4(p.s), ...op('i32.add'), ...set(l.rowOut)],
      [...get(l.row), ...i32Const(1), ...op('i32.add'), ...set(l.row)],
    ),
  ];
  return encodeModule(f, { pages });
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

/**
 * A kernel for these spans and up to `capacity` rows, or null when switched off (PRIVSYNTH_NO_WASM) or
 * where WebAssembly is unavailable (drawFromExp then draws the same). @throws KernelError when the
 * kernel does not compile.
 */
export function createHeadsKernel(spans: readonly HeadSpan[], width: number, capacity: number): HeadsKernel | null {
  if (!kernelsEnabled('wasm')) return null;
  const S = spans.length;
  const nSoft = spans.filter((s) => s.kind === 'softmax').length;
  const perRowSoft = capacity * Math.max(1, nSoft) * 4;
  const layout = regions(
    ['spans', S * SPAN.bytes, 16],
    ['order', width * 4, 16],
    ['e', capacity * width * 4, 16],
    ['tot', perRowSoft, 16],
    ['u', perRowSoft, 16],
    ['out', capacity * S * 4, 16],
  );
  const at = layout.at;
  const pages = Math.ceil(layout.end / PAGE);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const fn = instantiateKernel('heads', headsModule(pages), memory).heads as (...args: number[]) => void;
  const buf = memory.buffer;
  const table = new Int32Array(buf, at.spans, S * SPAN.words);
  spans.forEach((s, k) => {
    table[k * SPAN.words + SPAN.word.kind] = s.kind === 'tanh' ? 0 : 1;
    table[k * SPAN.words + SPAN.word.start] = s.start;
    table[k * SPAN.words + SPAN.word.width] = s.width;
  });
  const ord = new Int32Array(buf, at.order, width);
  const uView = new Float32Array(buf, at.u, capacity * Math.max(1, nSoft));
  return {
    capacity,
    e: (rows) => new Float32Array(buf, at.e, rows * width),
    tot: (rows) => new Float32Array(buf, at.tot, rows * Math.max(1, nSoft)),
    draw(rows, u, order) {
      if (rows > capacity) throw new RangeError(`heads kernel: ${rows} rows, capacity ${capacity}`);
      if (u.length < rows * nSoft || order.length !== width) throw new RangeError('heads kernel: u or order has the wrong length');
      uView.set(u.subarray(0, rows * nSoft));
      ord.set(order);
      fn(rows, width, S, nSoft, at.spans, at.order, at.e, at.tot, at.u, at.out);
      return new Float32Array(buf, at.out, rows * S);
    },
  };
}
