import { describe, expect, it } from 'vitest';
import { applyOutputHeads } from '../../../../src/synthesizers/dp-vae/sample/applyOutputHeads.js';
import type { EncodedSpan } from '../../../../src/synthesizers/dp-vae/engine/VaeEngine.js';
import { Rng } from '../../../../src/rng.js';

const spans: EncodedSpan[] = [
  { kind: 'tanh', start: 0, width: 1 },
  { kind: 'softmax', start: 1, width: 3 },
];

describe('applyOutputHeads', () => {
  it('applies tanh to tanh spans and draws one-hot rows from softmax(logits)', () => {
    const n = 60_000;
    const logits = [Math.log(0.7), Math.log(0.2), Math.log(0.1)]; // softmax = (0.7, 0.2, 0.1)
    const raw = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) {
      raw[i * 4] = 0.5;
      raw.set(logits, i * 4 + 1);
    }
    applyOutputHeads(raw, n, 4, spans, new Rng(1));
    expect(raw[0]).toBeCloseTo(Math.tanh(0.5), 6);
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const row = [raw[i * 4 + 1]!, raw[i * 4 + 2]!, raw[i * 4 + 3]!];
      expect(row.reduce((a, b) => a + b, 0)).toBe(1); // exactly one-hot
      counts[row.indexOf(1)]!++;
    }
    // binomial standard error at n = 60,000 is at most 0.002; allow 4 s.e.
    expect(counts[0]! / n).toBeCloseTo(0.7, 1);
    expect(Math.abs(counts[0]! / n - 0.7)).toBeLessThan(0.008);
    expect(Math.abs(counts[1]! / n - 0.2)).toBeLessThan(0.008);
    expect(Math.abs(counts[2]! / n - 0.1)).toBeLessThan(0.008);
  });

  it('does not collapse to the majority class the way argmax does', () => {
    const raw = new Float32Array(1000 * 4);
    for (let i = 0; i < 1000; i++) raw.set([0, 2, 1.5, 0], i * 4);
    applyOutputHeads(raw, 1000, 4, spans, new Rng(2));
    let second = 0;
    for (let i = 0; i < 1000; i++) if (raw[i * 4 + 2] === 1) second++;
    expect(second).toBeGreaterThan(200); // softmax(2, 1.5, 0) gives the second class ~0.34
  });

  it('is deterministic for a seed and stable for huge logits', () => {
    const mk = () => Float32Array.from([0, 1e30, -1e30, 50, 0, 900, 899, 0]);
    const a = applyOutputHeads(mk(), 2, 4, spans, new Rng(3));
    const b = applyOutputHeads(mk(), 2, 4, spans, new Rng(3));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a.subarray(1, 4))).toEqual([1, 0, 0]);
    expect(a.every((v) => Number.isFinite(v))).toBe(true);
  });
});
