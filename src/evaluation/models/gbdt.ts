/**
 * Histogram gradient-boosted decision trees (in the spirit of LightGBM / scikit-learn's
 * HistGradientBoosting) on a `BinnedDesign`.
 *
 * - Losses: 'logloss' (binary, labels 0/1, raw score = log-odds) and 'squared' (regression).
 * - Trees grow leaf-wise (best gain first) up to `maxLeaves`, with second-order gains
 *   gain = G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2), leaf value = -lr * G/(H+l2).
 * - Ordered features split on a bin threshold (missing = bin 0, always on the left); categorical
 *   features split on a set of bins found by sorting bins by G/(H+l2) (LightGBM's method).
 * - Histograms of the smaller child are built, the larger child's by subtraction.
 * Deterministic: no row or feature subsampling.
 */
import type { BinnedDesign } from './features.js';

export type GbdtLoss = 'logloss' | 'squared';

export interface GbdtOptions {
  loss: GbdtLoss;
  nIter?: number;
  learningRate?: number;
  maxLeaves?: number;
  minSamplesLeaf?: number;
  l2?: number;
}

export interface GbdtTree {
  /** Per node: split feature, or -1 for a leaf. */
  feature: number[];
  /** Per split node: 1 for the bins that go left. */
  leftBins: (Uint8Array | null)[];
  left: number[];
  right: number[];
  /** Leaf values (already multiplied by the learning rate). */
  value: number[];
}

export interface GbdtModel {
  loss: GbdtLoss;
  baseScore: number;
  trees: GbdtTree[];
  nFeatures: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  hist: Float64Array;
  G: number;
  H: number;
  split: { gain: number; feature: number; leftBins: Uint8Array } | null;
}

export function fitGbdt(X: BinnedDesign, y: ArrayLike<number>, opts: GbdtOptions): GbdtModel {
  const nIter = opts.nIter ?? 100;
  const lr = opts.learningRate ?? 0.1;
  const maxLeaves = opts.maxLeaves ?? 31;
  const minLeaf = opts.minSamplesLeaf ?? 20;
  const l2 = opts.l2 ?? 1;
  const { n, f, bins, nBins, categorical } = X;
  if (n === 0) throw new RangeError('fitGbdt needs at least one row');
  const offsets = new Int32Array(f + 1);
  for (let k = 0; k < f; k++) offsets[k + 1] = offsets[k]! + nBins[k]!;
  const totalBins = offsets[f]!;

  let baseScore = 0;
  for (let i = 0; i < n; i++) baseScore += y[i]!;
  baseScore /= n;
  if (opts.loss === 'logloss') {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, baseScore));
    baseScore = Math.log(p / (1 - p));
  }
  const F = new Float64Array(n).fill(baseScore);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const rows = new Int32Array(n);
  const tmp = new Int32Array(n);
  const trees: GbdtTree[] = [];

  const buildHist = (start: number, end: number): Float64Array => {
    const hist = new Float64Array(totalBins * 3);
    for (let p = start; p < end; p++) {
      const r = rows[p]!;
      const gr = g[r]!;
      const hr = h[r]!;
      const base = r * f;
      for (let k = 0; k < f; k++) {
        const idx = (offsets[k]! + bins[base + k]!) * 3;
        hist[idx] += gr;
        hist[idx + 1] += hr;
        hist[idx + 2]++;
      }
    }
    return hist;
  };

  const findSplit = (leaf: Leaf): Leaf['split'] => {
    const { hist, G, H } = leaf;
    const count = leaf.end - leaf.start;
    if (count < 2 * minLeaf) return null;
    const parent = (G * G) / (H + l2);
    let best: Leaf['split'] = null;
    for (let k = 0; k < f; k++) {
      const nb = nBins[k]!;
      const off = offsets[k]!;
      let order: number[];
      if (categorical[k]) {
        order = [];
        for (let b = 0; b < nb; b++) if (hist[(off + b) * 3 + 2]! > 0) order.push(b);
        order.sort((a, b) => hist[(off + a) * 3]! / (hist[(off + a) * 3 + 1]! + l2) - hist[(off + b) * 3]! / (hist[(off + b) * 3 + 1]! + l2));
      } else {
        order = Array.from({ length: nb }, (_, b) => b);
      }
      let GL = 0;
      let HL = 0;
      let CL = 0;
      for (let t = 0; t < order.length - 1; t++) {
        const b = order[t]!;
        GL += hist[(off + b) * 3]!;
        HL += hist[(off + b) * 3 + 1]!;
        CL += hist[(off + b) * 3 + 2]!;
        const CR = count - CL;
        if (CL < minLeaf) continue;
        if (CR < minLeaf) break;
        const GR = G - GL;
        const HR = H - HL;
        if (HL < 1e-3 || HR < 1e-3) continue;
        const gain = (GL * GL) / (HL + l2) + (GR * GR) / (HR + l2) - parent;
        if (gain > 1e-12 && (best === null || gain > best.gain)) {
          const leftBins = new Uint8Array(nb);
          for (let u = 0; u <= t; u++) leftBins[order[u]!] = 1;
          best = { gain, feature: k, leftBins };
        }
      }
    }
    return best;
  };

  for (let it = 0; it < nIter; it++) {
    if (opts.loss === 'logloss') {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-F[i]!));
        g[i] = p - y[i]!;
        h[i] = Math.max(p * (1 - p), 1e-16);
      }
    } else {
      for (let i = 0; i < n; i++) {
        g[i] = F[i]! - y[i]!;
        h[i] = 1;
      }
    }
    for (let i = 0; i < n; i++) rows[i] = i;
    const tree: GbdtTree = { feature: [-1], leftBins: [null], left: [-1], right: [-1], value: [0] };
    const rootHist = buildHist(0, n);
    let G = 0;
    let H = 0;
    for (let i = 0; i < n; i++) {
      G += g[i]!;
      H += h[i]!;
    }
    const root: Leaf = { node: 0, start: 0, end: n, hist: rootHist, G, H, split: null };
    root.split = findSplit(root);
    const leaves: Leaf[] = [root];
    while (leaves.length < maxLeaves) {
      let bi = -1;
      for (let i = 0; i < leaves.length; i++) if (leaves[i]!.split && (bi < 0 || leaves[i]!.split!.gain > leaves[bi]!.split!.gain)) bi = i;
      if (bi < 0) break;
      const leaf = leaves[bi]!;
      const { feature, leftBins } = leaf.split!;
      // Stable partition of the leaf's rows.
      let a = leaf.start;
      let bcount = 0;
      for (let p = leaf.start; p < leaf.end; p++) {
        const r = rows[p]!;
        if (leftBins[bins[r * f + feature]!]) rows[a++] = r;
        else tmp[bcount++] = r;
      }
      for (let q = 0; q < bcount; q++) rows[a + q] = tmp[q]!;
      const mid = a;
      const leftSmall = mid - leaf.start <= leaf.end - mid;
      const smallHist = leftSmall ? buildHist(leaf.start, mid) : buildHist(mid, leaf.end);
      const bigHist = leaf.hist;
      for (let q = 0; q < bigHist.length; q++) bigHist[q] -= smallHist[q]!;
      const [lh, rh] = leftSmall ? [smallHist, bigHist] : [bigHist, smallHist];
      const sums = (hist: Float64Array): [number, number] => {
        // Sum over the bins of feature 0 = the node total.
        let gs = 0;
        let hs = 0;
        for (let b = 0; b < nBins[0]!; b++) {
          gs += hist[b * 3]!;
          hs += hist[b * 3 + 1]!;
        }
        return [gs, hs];
      };
      const [GLs, HLs] = sums(lh);
      const ln = tree.feature.length;
      const rn = ln + 1;
      tree.feature.push(-1, -1);
      tree.leftBins.push(null, null);
      tree.left.push(-1, -1);
      tree.right.push(-1, -1);
      tree.value.push(0, 0);
      tree.feature[leaf.node] = feature;
      tree.leftBins[leaf.node] = leftBins;
      tree.left[leaf.node] = ln;
      tree.right[leaf.node] = rn;
      const L: Leaf = { node: ln, start: leaf.start, end: mid, hist: lh, G: GLs, H: HLs, split: null };
      const R: Leaf = { node: rn, start: mid, end: leaf.end, hist: rh, G: leaf.G - GLs, H: leaf.H - HLs, split: null };
      L.split = findSplit(L);
      R.split = findSplit(R);
      leaves.splice(bi, 1, L, R);
    }
    for (const leaf of leaves) {
      const v = (-lr * leaf.G) / (leaf.H + l2);
      tree.value[leaf.node] = v;
      for (let p = leaf.start; p < leaf.end; p++) F[rows[p]!] += v;
    }
    trees.push(tree);
  }
  return { loss: opts.loss, baseScore, trees, nFeatures: f };
}

/** Raw scores (log-odds for logloss, predictions for squared). */
export function predictGbdtRaw(model: GbdtModel, X: BinnedDesign): Float64Array {
  if (X.f !== model.nFeatures) throw new RangeError(`design has ${X.f} features, model ${model.nFeatures}`);
  const out = new Float64Array(X.n).fill(model.baseScore);
  const { f, bins } = X;
  for (const t of model.trees) {
    for (let i = 0; i < X.n; i++) {
      let node = 0;
      while (t.feature[node]! >= 0) node = t.leftBins[node]![bins[i * f + t.feature[node]!]!] ? t.left[node]! : t.right[node]!;
      out[i] += t.value[node]!;
    }
  }
  return out;
}

/** P(y = 1) for logloss models, predictions for squared-error models. */
export function predictGbdt(model: GbdtModel, X: BinnedDesign): Float64Array {
  const raw = predictGbdtRaw(model, X);
  return model.loss === 'logloss' ? raw.map((z) => 1 / (1 + Math.exp(-z))) : raw;
}
