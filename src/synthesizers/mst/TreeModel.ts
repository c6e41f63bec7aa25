/**
 * A tree-structured graphical model over discrete attributes: unary potentials on every attribute,
 * pairwise potentials on the edges of a forest. On a tree, belief propagation (sum-product, two passes)
 * gives the exact marginals, so Private-PGM's estimation (McKenna, Sheldon & Miklau 2019, "Graphical-model
 * based estimation and inference for differential privacy", ICML; mechanisms/mst.py uses it) needs nothing
 * more: entropic mirror descent on the potentials θ, minimising the weighted squared error of the model's
 * marginals (scaled to the estimated total) against the noisy measurements,
 *
 *   L(μ) = ½ Σ_c Σ_x w_c(x) (μ_c(x) − y_c(x))²,     θ ← θ − α ∇_μ L,     μ = total · marginals(θ),
 *
 * with Private-PGM's step size rule (double α each iteration, halve it until the Armijo condition holds).
 * The result is a consistent distribution (every edge marginal sums to its nodes' marginals) that
 * fits every noisy measurement at once, which no per-table projection does. Ancestral sampling on the
 * tree draws exact samples from it.
 *
 * Complexity: one BP pass is O(Σ_edges k_a k_b); estimation O(iterations · that).
 */
import type { Rng } from '../../rng.js';
import { cumulative as cumulativeWeights, searchCumulative } from '../../random/cumulative.js';

export interface Measurement {
  /** One attribute index (a one-way marginal) or an edge index into `edges` (a two-way marginal). */
  clique: { attr: number } | { edge: number };
  /** Noisy counts, row-major [x_a * k_b + x_b] for an edge in its stored orientation. */
  y: Float64Array;
  /** Per-cell weight 1 / noise variance. */
  w: Float64Array;
}

export interface TreeMarginals {
  /** Per attribute, probabilities over its k values. */
  nodes: Float64Array[];
  /** Per edge, probabilities over k_a x k_b (row-major in the stored orientation [a, b]). */
  edges: Float64Array[];
}

interface Layout {
  k: number[];
  edges: [number, number][];
  /** Preorder of the forest, with each node's parent and the edge to it (-1 for a root). */
  order: number[];
  parent: Int32Array;
  parentEdge: Int32Array;
  children: number[][];
}

function layout(k: readonly number[], edges: readonly [number, number][]): Layout {
  const d = k.length;
  const adj: { to: number; e: number }[][] = Array.from({ length: d }, () => []);
  edges.forEach(([a, b], e) => {
    adj[a]!.push({ to: b, e });
    adj[b]!.push({ to: a, e });
  });
  const parent = new Int32Array(d).fill(-2);
  const parentEdge = new Int32Array(d).fill(-1);
  const children: number[][] = Array.from({ length: d }, () => []);
  const order: number[] = [];
  for (let r = 0; r < d; r++) {
    if (parent[r] !== -2) continue;
    parent[r] = -1;
    const stack = [r];
    while (stack.length) {
      const n = stack.pop()!;
      order.push(n);
      for (const { to, e } of adj[n]!) {
        if (to === parent[n] && e === parentEdge[n]) continue;
        if (parent[to] !== -2) throw new Error(`the graph over attributes has a cycle through ${to}: not a tree`);
        parent[to] = n;
        parentEdge[to] = e;
        children[n]!.push(to);
        stack.push(to);
      }
    }
  }
  return { k: [...k], edges: edges.map(([a, b]) => [a, b] as [number, number]), order, parent, parentEdge, children };
}

/** ψ(x_n = i, x_p = j) for the edge between child n and parent p, whatever its stored orientation. */
function pairIndex(L: Layout, e: number, n: number, i: number, j: number): number {
  const [a, b] = L.edges[e]!;
  const kb = L.k[b]!;
  return a === n ? i * kb + j : j * kb + i;
}

function expShifted(theta: Float64Array): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < theta.length; i++) if (theta[i]! > m) m = theta[i]!;
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) out[i] = Math.exp(theta[i]! - m);
  return out;
}

function normalize(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  if (s > 0) for (let i = 0; i < v.length; i++) v[i]! /= s;
  else v.fill(1 / v.length);
  return v;
}

/** Exact marginals of the forest model with log-potentials θ (two-pass sum-product). */
function beliefPropagation(L: Layout, unary: Float64Array[], pair: Float64Array[]): TreeMarginals {
  const d = L.k.length;
  const psiN = unary.map(expShifted);
  const psiE = pair.map(expShifted);
  const up: Float64Array[] = new Array(d); // message n -> parent(n), over x_parent
  const local: Float64Array[] = new Array(d); // ψ_n · Π messages from n's children, over x_n
  for (let t = d - 1; t >= 0; t--) {
    const n = L.order[t]!;
    const loc = Float64Array.from(psiN[n]!);
    for (const c of L.children[n]!) {
      const m = up[c]!;
      for (let i = 0; i < loc.length; i++) loc[i]! *= m[i]!;
    }
    normalize(loc);
    local[n] = loc;
    const p = L.parent[n]!;
    if (p >= 0) {
      const e = L.parentEdge[n]!;
      const kp = L.k[p]!;
      const msg = new Float64Array(kp);
      const ps = psiE[e]!;
      for (let i = 0; i < loc.length; i++) {
        const li = loc[i]!;
        if (li === 0) continue;
        for (let j = 0; j < kp; j++) msg[j]! += li * ps[pairIndex(L, e, n, i, j)]!;
      }
      up[n] = normalize(msg);
    }
  }
  const down: Float64Array[] = new Array(d); // message parent(n) -> n, over x_n
  const nodes: Float64Array[] = new Array(d);
  const edges: Float64Array[] = L.edges.map(([a, b]) => new Float64Array(L.k[a]! * L.k[b]!));
  for (const n of L.order) {
    const full = Float64Array.from(local[n]!);
    if (down[n]) for (let i = 0; i < full.length; i++) full[i]! *= down[n]![i]!;
    nodes[n] = normalize(Float64Array.from(full));
    for (const c of L.children[n]!) {
      // n's belief without c's message: ψ_n · down_n · Π_{other children} up
      const excl = Float64Array.from(psiN[n]!);
      if (down[n]) for (let i = 0; i < excl.length; i++) excl[i]! *= down[n]![i]!;
      for (const o of L.children[n]!) if (o !== c) for (let i = 0; i < excl.length; i++) excl[i]! *= up[o]![i]!;
      normalize(excl);
      const e = L.parentEdge[c]!;
      const kc = L.k[c]!;
      const ps = psiE[e]!;
      const msg = new Float64Array(kc);
      const eb = edges[e]!;
      const lc = local[c]!;
      for (let j = 0; j < excl.length; j++) {
        const xj = excl[j]!;
        if (xj === 0) continue;
        for (let i = 0; i < kc; i++) {
          const idx = pairIndex(L, e, c, i, j);
          const v = xj * ps[idx]!;
          msg[i]! += v;
          eb[idx] = v * lc[i]!;
        }
      }
      down[c] = normalize(msg);
      normalize(eb);
    }
  }
  return { nodes, edges };
}

/**
 * Exact node and edge marginals of the forest model with log-potentials `unary` (per attribute) and `pair`
 * (per edge, row-major in the stored orientation [a, b]). @throws Error when `edges` close a cycle.
 */
export function treeMarginals(k: readonly number[], edges: readonly [number, number][], unary: readonly Float64Array[], pair: readonly Float64Array[]): TreeMarginals {
  return beliefPropagation(layout(k, edges), [...unary], [...pair]);
}

export interface EstimateOptions {
  iterations?: number;
}

export interface TreeEstimate {
  marginals: TreeMarginals;
  /** Final value of the weighted squared-error loss. */
  loss: number;
  iterations: number;
}

/**
 * Private-PGM's estimation restricted to a forest: the distribution whose marginals best fit the noisy
 * measurements (weighted least squares), found by entropic mirror descent with exact BP marginals.
 * Pure post-processing of the measurements: reads no data.
 */
export function estimateTreeModel(k: readonly number[], edges: readonly [number, number][], measurements: readonly Measurement[], total: number, opts: EstimateOptions = {}): TreeEstimate {
  const L = layout(k, edges);
  const iters = opts.iterations ?? 1000;
  const unary = L.k.map((n) => new Float64Array(n));
  const pair = L.edges.map(([a, b]) => new Float64Array(L.k[a]! * L.k[b]!));
  const lossGrad = (mu: TreeMarginals, grad: boolean): { loss: number; gN?: Float64Array[]; gE?: Float64Array[] } => {
    let loss = 0;
    const gN = grad ? L.k.map((n) => new Float64Array(n)) : undefined;
    const gE = grad ? L.edges.map(([a, b]) => new Float64Array(L.k[a]! * L.k[b]!)) : undefined;
    for (const m of measurements) {
      const isAttr = 'attr' in m.clique;
      const p = isAttr ? mu.nodes[(m.clique as { attr: number }).attr]! : mu.edges[(m.clique as { edge: number }).edge]!;
      const g = grad ? (isAttr ? gN![(m.clique as { attr: number }).attr]! : gE![(m.clique as { edge: number }).edge]!) : undefined;
      for (let i = 0; i < p.length; i++) {
        const r = total * p[i]! - m.y[i]!;
        loss += 0.5 * m.w[i]! * r * r;
        if (g) g[i]! += m.w[i]! * r;
      }
    }
    return { loss, gN, gE };
  };
  let mu = beliefPropagation(L, unary, pair);
  let cur = lossGrad(mu, true);
  let wmax = 0;
  for (const m of measurements) for (let i = 0; i < m.w.length; i++) wmax = Math.max(wmax, m.w[i]!);
  let alpha = 1 / Math.max(1e-300, wmax * Math.max(1, total));
  let t = 0;
  for (; t < iters; t++) {
    const gN = cur.gN!;
    const gE = cur.gE!;
    alpha *= 2;
    let accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      const u2 = unary.map((th, a) => th.map((v, i) => v - alpha * gN[a]![i]!));
      const p2 = pair.map((th, e) => th.map((v, i) => v - alpha * gE[e]![i]!));
      const mu2 = beliefPropagation(L, u2, p2);
      const next = lossGrad(mu2, false);
      // Armijo: the decrease must be at least half the linear prediction <∇L, μ − μ'>
      let lin = 0;
      for (let a = 0; a < gN.length; a++) for (let i = 0; i < gN[a]!.length; i++) lin += gN[a]![i]! * total * (mu.nodes[a]![i]! - mu2.nodes[a]![i]!);
      for (let e = 0; e < gE.length; e++) for (let i = 0; i < gE[e]!.length; i++) lin += gE[e]![i]! * total * (mu.edges[e]![i]! - mu2.edges[e]![i]!);
      if (cur.loss - next.loss >= 0.5 * lin) {
        for (let a = 0; a < unary.length; a++) unary[a] = u2[a]!;
        for (let e = 0; e < pair.length; e++) pair[e] = p2[e]!;
        mu = mu2;
        accepted = true;
        break;
      }
      alpha *= 0.5;
    }
    if (!accepted) break; // no step decreases the loss: converged to float precision
    cur = lossGrad(mu, true);
  }
  return { marginals: mu, loss: cur.loss, iterations: t };
}

/**
 * Ancestral sampling on the forest: each root from its marginal, each child from
 * P(x_child | x_parent) = μ_edge(x_parent, x_child) / μ_parent(x_parent). Exact for a consistent tree model.
 * Returns codes[attr][row].
 */
export function sampleTree(k: readonly number[], edges: readonly [number, number][], marginals: TreeMarginals, n: number, rng: Rng): Int32Array[] {
  const L = layout(k, edges);
  const d = L.k.length;
  const codes = Array.from({ length: d }, () => new Int32Array(n));
  // cumulative tables: roots over their marginal; children per parent value over the edge row
  const cum: Float64Array[][] = new Array(d);
  for (const c of L.order) {
    const p = L.parent[c]!;
    const kc = L.k[c]!;
    if (p < 0) {
      cum[c] = [cumulative(marginals.nodes[c]!)];
      continue;
    }
    const e = L.parentEdge[c]!;
    const rows: Float64Array[] = [];
    for (let j = 0; j < L.k[p]!; j++) {
      const row = new Float64Array(kc);
      for (let i = 0; i < kc; i++) row[i] = marginals.edges[e]![pairIndex(L, e, c, i, j)]!;
      let s = 0;
      for (let i = 0; i < kc; i++) s += row[i]!;
      // a parent value of probability 0 is never drawn; fall back to the child's marginal for safety
      cum[c] = rows;
      rows.push(cumulative(s > 0 ? row : marginals.nodes[c]!));
    }
    cum[c] = rows;
  }
  for (let r = 0; r < n; r++) {
    for (const c of L.order) {
      const p = L.parent[c]!;
      const table = cum[c]![p < 0 ? 0 : codes[p]![r]!]!;
      codes[c]![r] = drawCumulative(table, rng.uniform());
    }
  }
  return codes;
}

/** Running sums of the weights (negative as 0); all zero: uniform (1, 2, 3, ...). */
export function cumulative(w: ArrayLike<number>): Float64Array {
  const out = cumulativeWeights(w);
  if (!(out.length && out[out.length - 1]! > 0)) for (let i = 0; i < w.length; i++) out[i] = i + 1;
  return out;
}

/** Smallest i with cum[i] > u * cum[last]. */
export function drawCumulative(cum: Float64Array, u: number): number {
  return searchCumulative(cum, u * cum[cum.length - 1]!);
}
