/**
 * The typed WebAssembly assembler (src/kernels/wasm/assembler.ts): LEB128 against the reference
 * values of the LEB128 article (https://en.wikipedia.org/wiki/LEB128: 624485 and -123456), memory
 * offsets past one LEB128 byte that address the right byte when run, range checks that throw while
 * assembling, and named locals.
 */
import { describe, expect, it } from 'vitest';
import { encodeModule, get, i32Const, i64Const, KernelFunction, lane, mem, op, set, sleb32, slebBig, uleb } from '../../../src/kernels/wasm/assembler.js';
import { regions, struct } from '../../../src/kernels/wasm/layout.js';

describe('LEB128', () => {
  it('encodes the reference values', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb32(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    // 64 needs a second byte when signed (bit 6 would read as the sign)
    expect(sleb32(63)).toEqual([0x3f]);
    expect(sleb32(64)).toEqual([0xc0, 0x00]);
    expect(sleb32(-64)).toEqual([0x40]);
    expect(slebBig(-(1n << 63n))).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
  });

  it('refuses what its type cannot hold, while assembling', () => {
    expect(() => uleb(-1)).toThrow(RangeError);
    expect(() => uleb(2 ** 32)).toThrow(RangeError);
    expect(() => uleb(1.5)).toThrow(RangeError);
    expect(() => i32Const(2 ** 32)).toThrow(RangeError);
    expect(() => i64Const(2 ** 60)).toThrow(RangeError); // not a safe integer: pass a bigint
    expect(() => i64Const(1n << 63n)).toThrow(RangeError);
    expect(() => mem('f32.load', { align: 3 })).toThrow(/natural/);
    expect(() => lane('i32x4.extract_lane', 4)).toThrow(/lane 4/);
  });
});

describe('assembled functions', () => {
  const run = (f: KernelFunction, init?: (m: WebAssembly.Memory) => void): ((...a: unknown[]) => unknown) => {
    const bytes = encodeModule(f, { pages: 1 });
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    init?.(memory);
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } }).exports[f.exportName] as (...a: unknown[]) => unknown;
  };

  it('loads and stores at static offsets of one and more LEB128 bytes (a raw byte >= 128 would read elsewhere)', () => {
    for (const offset of [0, 4, 124, 128, 200, 16_384, 40_000]) {
      const f = new KernelFunction('at', { addr: 'i32' }, ['i32']);
      f.body = [...get(f.p.addr), ...mem('i32.load', { offset })];
      const fn = run(f, (m) => {
        const w = new Int32Array(m.buffer);
        for (let i = 0; i < w.length; i++) w[i] = i;
      });
      expect(fn(8), `offset ${offset}`).toBe((8 + offset) / 4);
    }
  });

  it('gives named locals indices after the params and encodes i64 constants past 32 bits', () => {
    const f = new KernelFunction('sum', { a: 'i32', b: 'i32' }, ['i64']);
    const t = f.local('t', 'i32');
    const big = f.local('big', 'i64');
    expect([f.p.a.index, f.p.b.index, t.index, big.index]).toEqual([0, 1, 2, 3]);
    f.body = [...get(f.p.a), ...get(f.p.b), ...op('i32.sub'), ...set(t), ...i64Const(2n ** 40n + 7n), ...set(big), ...get(big)];
    expect(run(f)(5, 3)).toBe(2n ** 40n + 7n);
    expect(() => f.local('t', 'f32')).toThrow(/declared twice/);
  });
});

describe('layouts', () => {
  it('struct fields are 4-byte words in order; regions start at their alignment', () => {
    const s = struct('kind', 'start', 'width');
    expect(s.offset).toEqual({ kind: 0, start: 4, width: 8 });
    expect(s.word.width).toBe(2);
    expect(s.bytes).toBe(12);
    expect(() => struct('a', 'a')).toThrow(/twice/);
    const r = regions(['a', 10, 16], ['b', 3, 64], ['c', 1, 4]);
    expect(r.at).toEqual({ a: 0, b: 64, c: 68 });
    expect(r.end).toBe(69);
  });
});
