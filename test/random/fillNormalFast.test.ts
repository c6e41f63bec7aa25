/**
 * The ziggurat normal fill: seeded, and N(0, 1) by a chi-square test on bins with exact normal
 * probabilities (Phi from the complementary error function's continued fraction / series).
 */
import { describe, expect, it } from 'vitest';
import { fillNormalFast } from '../../src/random/fillNormalFast.js';
import { Rng } from '../../src/rng.js';

function erf(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 3) {
    let term = ax;
    let s = ax;
    for (let k = 1; k < 200; k++) {
      term *= (-ax * ax) / k;
      s += term / (2 * k + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * s;
  } else {
    let f = 0;
    for (let k = 60; k >= 1; k--) f = k / 2 / (ax + f);
    r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  }
  return x < 0 ? -r : r;
}
const Phi = (x: number): number => (x === Infinity ? 1 : x === -Infinity ? 0 : 0.5 * (1 + erf(x / Math.SQRT2)));

describe('fillNormalFast', () => {
  it('is determined by the Rng it is given', () => {
    const a = fillNormalFast(new Rng(3), new Float32Array(1000));
    const b = fillNormalFast(new Rng(3), new Float32Array(1000));
    const c = fillNormalFast(new Rng(4), new Float32Array(1000));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('draws N(0, 1): chi-square over 16 bins of 2e6 draws, tails included', () => {
    const edges = [-Infinity, -3.5, -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, Infinity];
    const counts = new Float64Array(edges.length - 1);
    const buf = new Float32Array(500_000);
    const rng = new Rng(2024);
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (let rep = 0; rep < 4; rep++) {
      fillNormalFast(rng, buf);
      for (const x of buf) {
        let j = 0;
        while (x >= edges[j + 1]!) j++;
        counts[j]!++;
        sum += x;
        sq += x * x;
      }
      n += buf.length;
    }
    let chi = 0;
    for (let j = 0; j < counts.length; j++) {
      const e = n * (Phi(edges[j + 1]!) - Phi(edges[j]!));
      chi += (counts[j]! - e) ** 2 / e;
    }
    expect(chi).toBeLessThan(37.7); // chi-square, 15 df, p = 0.001
    expect(Math.abs(sum / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sq / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('scales by the given std', () => {
    const a = fillNormalFast(new Rng(1), new Float32Array(100));
    const b = fillNormalFast(new Rng(1), new Float32Array(100), 2.5);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v * 2.5, 5));
  });
});
