/**
 * TreeModel: belief propagation on a forest against brute-force enumeration of the joint, ancestral
 * sampling against the marginals, and Private-PGM estimation from exact (noise-free) measurements.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/rng.js';
import { estimateTreeModel, sampleTree, treeMarginals, type Measurement } from '../../../src/synthesizers/mst/TreeModel.js';

/** Brute force: P(x) ∝ exp(Σ unary + Σ pair) over every assignment; node and edge marginals. */
function bruteForce(k: number[], edges: [number, number][], unary: Float64Array[], pair: Float64Array[]): { nodes: Float64Array[]; edges: Float64Array[] } {
  const d = k.length;
  const nodes = k.map((n) => new Float64Array(n));
  const em = edges.map(([a, b]) => new Float64Array(k[a]! * k[b]!));
  const x = new Array<number>(d).fill(0);
  let z = 0;
  const all: { p: number; x: number[] }[] = [];
  for (;;) {
    let logp = 0;
    for (let a = 0; a < d; a++) logp += unary[a]![x[a]!]!;
    edges.forEach(([a, b], e) => (logp += pair[e]![x[a]! * k[b]! + x[b]!]!));
    const p = Math.exp(logp);
    z += p;
    all.push({ p, x: [...x] });
    let i = 0;
    while (i < d && ++x[i]! === k[i]) x[i++] = 0;
    if (i === d) break;
  }
  for (const { p, x: y } of all) {
    for (let a = 0; a < d; a++) nodes[a]![y[a]!]! += p / z;
    edges.forEach(([a, b], e) => (em[e]![y[a]! * k[b]! + y[b]!]! += p / z));
  }
  return { nodes, edges: em };
}

function randomPotentials(k: number[], edges: [number, number][], rng: Rng): { unary: Float64Array[]; pair: Float64Array[] } {
  return {
    unary: k.map((n) => Float64Array.from({ length: n }, () => 1.5 * rng.normal())),
    pair: edges.map(([a, b]) => Float64Array.from({ length: k[a]! * k[b]! }, () => 2 * rng.normal())),
  };
}

describe('treeMarginals (two-pass sum-product)', () => {
  const cases: { name: string; k: number[]; edges: [number, number][] }[] = [
    // edges in both orientations relative to the DFS from node 0, a node with three children
    { name: 'a tree of 6 attributes', k: [2, 3, 2, 4, 3, 2], edges: [[0, 1], [2, 1], [1, 3], [3, 4], [5, 1]] },
    // two components and an isolated attribute
    { name: 'a forest', k: [3, 2, 4, 2, 3], edges: [[1, 0], [3, 2]] },
    { name: 'a chain', k: [2, 2, 3, 2], edges: [[0, 1], [1, 2], [3, 2]] },
  ];
  for (const c of cases) {
    it(`gives the brute-force marginals on ${c.name}`, () => {
      const rng = new Rng(7).fork(c.name);
      for (let rep = 0; rep < 5; rep++) {
        const { unary, pair } = randomPotentials(c.k, c.edges, rng);
        const bp = treeMarginals(c.k, c.edges, unary, pair);
        const bf = bruteForce(c.k, c.edges, unary, pair);
        for (let a = 0; a < c.k.length; a++) for (let i = 0; i < c.k[a]!; i++) expect(bp.nodes[a]![i]!).toBeCloseTo(bf.nodes[a]![i]!, 12);
        c.edges.forEach((_, e) => {
          for (let i = 0; i < bf.edges[e]!.length; i++) expect(bp.edges[e]![i]!).toBeCloseTo(bf.edges[e]![i]!, 12);
        });
      }
    });
  }

  it('refuses a graph with a cycle', () => {
    const k = [2, 2, 2];
    const edges: [number, number][] = [[0, 1], [1, 2], [2, 0]];
    const { unary, pair } = randomPotentials(k, edges, new Rng(1));
    expect(() => treeMarginals(k, edges, unary, pair)).toThrow(/cycle/);
  });
});

describe('sampleTree', () => {
  it('draws rows whose node and edge frequencies match the marginals', () => {
    const k = [3, 2, 4];
    const edges: [number, number][] = [[1, 0], [1, 2]];
    const { unary, pair } = randomPotentials(k, edges, new Rng(3));
    const mu = treeMarginals(k, edges, unary, pair);
    const n = 200_000;
    const codes = sampleTree(k, edges, mu, n, new Rng(4));
    for (let a = 0; a < k.length; a++) {
      const f = new Float64Array(k[a]!);
      for (const c of codes[a]!) f[c]! += 1 / n;
      // binomial std at n = 200,000 is at most 0.0011: 5 std
      for (let i = 0; i < k[a]!; i++) expect(Math.abs(f[i]! - mu.nodes[a]![i]!)).toBeLessThan(0.0056);
    }
    edges.forEach(([a, b], e) => {
      const f = new Float64Array(k[a]! * k[b]!);
      for (let r = 0; r < n; r++) f[codes[a]![r]! * k[b]! + codes[b]![r]!]! += 1 / n;
      for (let i = 0; i < f.length; i++) expect(Math.abs(f[i]! - mu.edges[e]![i]!)).toBeLessThan(0.0056);
    });
  });

  it('is deterministic for a seed', () => {
    const k = [2, 3];
    const edges: [number, number][] = [[0, 1]];
    const { unary, pair } = randomPotentials(k, edges, new Rng(5));
    const mu = treeMarginals(k, edges, unary, pair);
    expect(sampleTree(k, edges, mu, 500, new Rng(9))).toEqual(sampleTree(k, edges, mu, 500, new Rng(9)));
    expect(sampleTree(k, edges, mu, 500, new Rng(9))).not.toEqual(sampleTree(k, edges, mu, 500, new Rng(10)));
  });
});

describe('estimateTreeModel', () => {
  it('recovers a tree distribution from its exact one- and two-way marginals', () => {
    const k = [3, 4, 2, 3];
    const edges: [number, number][] = [[0, 1], [1, 2], [3, 1]];
    const { unary, pair } = randomPotentials(k, edges, new Rng(11));
    const mu = treeMarginals(k, edges, unary, pair);
    const total = 1000;
    const ms: Measurement[] = [
      ...k.map((n, a) => ({ clique: { attr: a }, y: mu.nodes[a]!.map((p) => p * total), w: new Float64Array(n).fill(1) })),
      ...edges.map((_, e) => ({ clique: { edge: e }, y: mu.edges[e]!.map((p) => p * total), w: new Float64Array(mu.edges[e]!.length).fill(1) })),
    ];
    const est = estimateTreeModel(k, edges, ms, total, { iterations: 3000 });
    edges.forEach((_, e) => {
      for (let i = 0; i < mu.edges[e]!.length; i++) expect(Math.abs(est.marginals.edges[e]![i]! - mu.edges[e]![i]!)).toBeLessThan(2e-3);
    });
    // the loss starts at the uniform model's and ends near zero
    expect(est.loss).toBeLessThan(1);
  });

  it('with no edges fits each attribute to its noisy one-way measurement (a consistent distribution)', () => {
    const y = Float64Array.from([50, -3, 30, 23]); // a negative noisy count
    const est = estimateTreeModel([4], [], [{ clique: { attr: 0 }, y, w: new Float64Array(4).fill(1) }], 100);
    const p = est.marginals.nodes[0]!;
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
    expect(p[0]!).toBeGreaterThan(p[2]!);
    expect(p[1]!).toBeLessThan(0.01);
  });
});
