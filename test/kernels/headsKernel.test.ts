/**
 * The WebAssembly heads kernel against drawFromExp (its JS reference and fallback): the same draws,
 * bit for bit, over spans of every width, scan orders, totals that fall short of or exceed the sum of
 * e (float32 rounding, and thresholds past the last category), and several calls on one kernel.
 */
import { describe, expect, it } from 'vitest';
import { createHeadsKernel, type HeadSpan } from '../../src/kernels/headsKernel.js';
import { drawFromExp, identityOrder, scanOrder } from '../../src/synthesizers/dp-vae/sample/drawHeads.js';
import { Rng } from '../../src/rng.js';

function layout(kinds: (number | 'tanh')[]): { spans: HeadSpan[]; width: number } {
  const spans: HeadSpan[] = [];
  let at = 0;
  for (const k of kinds) {
    if (k === 'tanh') spans.push({ kind: 'tanh', start: at++, width: 1 });
    else {
      spans.push({ kind: 'softmax', start: at, width: k });
      at += k;
    }
  }
  return { spans, width: at };
}

function inputs(spans: HeadSpan[], width: number, rows: number, rng: Rng): { e: Float32Array; tot: Float32Array; u: Float32Array } {
  const soft = spans.filter((s) => s.kind === 'softmax');
  const e = new Float32Array(rows * width);
  for (let i = 0; i < e.length; i++) e[i] = Math.exp(6 * rng.uniform() - 3);
  const tot = new Float32Array(rows * soft.length);
  const u = new Float32Array(rows * soft.length);
  for (let i = 0; i < rows; i++) {
    soft.forEach((s, q) => {
      let sum = 0;
      for (let j = 0; j < s.width; j++) sum += e[i * width + s.start + j]!;
      // the graph's float32 total, sometimes nudged off the exact sum (as a matMul's rounding is)
      tot[i * soft.length + q] = Math.fround(sum * (1 + (rng.uniform() - 0.5) * 1e-6));
      const r = rng.uniform();
      u[i * soft.length + q] = r < 0.05 ? 0.99999994 : r < 0.08 ? 0 : Math.fround(rng.uniform());
    });
  }
  return { e, tot, u };
}

describe('heads kernel (WebAssembly)', () => {
  const { spans, width } = layout([3, 'tanh', 1, 10, 'tanh', 2, 41, 'tanh', 7]);
  const kernel = createHeadsKernel(spans, width, 700);

  it('is available here (Node has WebAssembly)', () => {
    expect(kernel).not.toBeNull();
  });

  it('draws what drawFromExp draws, bit for bit, in identity and likely-first scan orders', () => {
    const rng = new Rng(3);
    const orders = [identityOrder(spans, width), scanOrder(Float32Array.from({ length: width }, () => rng.uniform()), spans, width)];
    for (const order of orders) {
      for (const rows of [1, 17, 700]) {
        const { e, tot, u } = inputs(spans, width, rows, rng);
        const ref = drawFromExp(e, rows, width, spans, u, false, tot, undefined, order);
        kernel!.e(rows).set(e);
        kernel!.tot(rows).set(tot);
        const got = kernel!.draw(rows, u, order);
        expect(got.length).toBe(ref.length);
        let diff = 0;
        for (let i = 0; i < ref.length; i++) if (!Object.is(got[i], ref[i])) diff++;
        expect(diff, `rows ${rows}`).toBe(0);
      }
    }
  });

  it('takes the last category when the threshold passes every one (u * total above the sum)', () => {
    const { e, tot, u } = inputs(spans, width, 5, new Rng(9));
    tot.fill(1e30);
    u.fill(0.99999994);
    kernel!.e(5).set(e);
    kernel!.tot(5).set(tot);
    const order = identityOrder(spans, width);
    const got = kernel!.draw(5, u, order);
    spans.forEach((s, k) => {
      if (s.kind === 'softmax') for (let i = 0; i < 5; i++) expect(got[i * spans.length + k]).toBe(s.width - 1);
    });
  });

  it('on a tie (running sum equal to the threshold) moves on to the next category, as drawFromExp', () => {
    // e = 1 everywhere, total = width, u = 0.5 (exact in float32): thr = width / 2, hit exactly after width / 2 categories
    const rows = 3;
    const e = new Float32Array(rows * width).fill(1);
    const soft = spans.filter((s) => s.kind === 'softmax');
    const tot = Float32Array.from({ length: rows * soft.length }, (_, i) => soft[i % soft.length]!.width);
    const u = new Float32Array(rows * soft.length).fill(0.5);
    const order = identityOrder(spans, width);
    const ref = drawFromExp(e, rows, width, spans, u, false, tot, undefined, order);
    kernel!.e(rows).set(e);
    kernel!.tot(rows).set(tot);
    expect(Array.from(kernel!.draw(rows, u, order))).toEqual(Array.from(ref));
    // width 2: thr = 1 = e[0], so the draw is category 1, not 0
    const k2 = spans.findIndex((s) => s.kind === 'softmax' && s.width === 2);
    expect(ref[k2]).toBe(1);
  });

  it('refuses more rows than its capacity and a scan order of another width', () => {
    const order = identityOrder(spans, width);
    expect(() => kernel!.draw(701, new Float32Array(701 * 6), order)).toThrow(/capacity/);
    expect(() => kernel!.draw(1, new Float32Array(6), new Int32Array(width + 1))).toThrow(/order/);
  });
});
