/** The hand-written ONNX encoder: a model it writes loads in onnxruntime and computes what it says. */
import { describe, expect, it } from 'vitest';
import { OnnxGraph } from '../../../src/nn/onnx/OnnxGraph.js';
import { ProtoWriter } from '../../../src/nn/onnx/protobuf.js';
import { loadOrt } from '../../../src/nn/onnx/runtime.js';

describe('ProtoWriter', () => {
  it('writes varints, negative int64 as ten bytes, and floats little-endian', () => {
    expect(Array.from(new ProtoWriter().int(1, 300).finish())).toEqual([0x08, 0xac, 0x02]);
    expect(Array.from(new ProtoWriter().int(2, -1).finish())).toEqual([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(Array.from(new ProtoWriter().float(1, 1).finish())).toEqual([0x0d, 0x00, 0x00, 0x80, 0x3f]);
    expect(Array.from(new ProtoWriter().string(2, 'ab').finish())).toEqual([0x12, 0x02, 0x61, 0x62]);
  });
});

describe('OnnxGraph in onnxruntime', () => {
  it('runs Gemm (transposed operands), ReduceSum with a negative axis and a renamed output', () => {
    const g = new OnnxGraph();
    const a = g.input('a', 'float', ['B', 3]);
    const w = g.input('w', 'float', [2, 3]);
    const y = g.op('Gemm', [a, w, g.constF([10, 20], [2])], { transB: 1, alpha: { float: 0.5 } });
    g.output(y, 'y', 'float', ['B', 2]);
    g.output(g.op('ReduceSum', [y, g.constI64([-1])], { keepdims: 0 }), 's', 'float', ['B']);
    const ort = loadOrt();
    const sess = ort.createSession(g.toModel(), { intraOpNumThreads: 1 });
    const T = (d: number[], dims: number[]) => new ort.Tensor('float32', Float32Array.from(d), dims);
    const out = sess.run({ a: T([1, 2, 3, 4, 5, 6], [2, 3]), w: T([1, 0, 0, 0, 1, 1], [2, 3]) }, { y: null, s: null });
    // y = 0.5 * a w^T + [10, 20]
    expect(Array.from(out.y!.data as Float32Array)).toEqual([10.5, 22.5, 12, 25.5]);
    expect(Array.from(out.s!.data as Float32Array)).toEqual([33, 37.5]);
    // a pre-allocated output receives the result in place
    const pre = new ort.Tensor('float32', new Float32Array(4), [2, 2]);
    sess.run({ a: T([1, 2, 3, 4, 5, 6], [2, 3]), w: T([1, 0, 0, 0, 1, 1], [2, 3]) }, { y: pre, s: null });
    expect(Array.from(pre.data as Float32Array)).toEqual([10.5, 22.5, 12, 25.5]);
    sess.dispose();
  });
});
