/**
 * The VAE's decoder (ReLU MLP, z -> raw outputs r) in plain JS, forward and backward, for fitting it to
 * measured marginals (fitDecoderToMarginals.ts). Float64 arithmetic on a copy of the float32 weights; the
 * layer layout is vaeParamLayout's (`dec0.W` [fin, fout] row-major, `dec0.b`, ..., `out.W`, `out.b`).
 */
import type { NamedWeight } from '../engine/VaeEngine.js';

export interface DenseLayer {
  name: string;
  fin: number;
  fout: number;
  W: Float64Array;
  b: Float64Array;
}

export interface DecoderCache {
  B: number;
  /** Input of each layer (z for the first), B x fin, and the pre-activation of each hidden layer. */
  inputs: Float64Array[];
  pre: Float64Array[];
  out: Float64Array;
}

export class DecoderMlp {
  readonly layers: DenseLayer[];

  constructor(layers: DenseLayer[]) {
    this.layers = layers;
  }

  static fromWeights(weights: readonly NamedWeight[], decompressDims: readonly number[]): DecoderMlp {
    const get = (name: string): NamedWeight => {
      const w = weights.find((x) => x.name === name);
      if (!w) throw new Error(`decoder weight ${name} is missing`);
      return w;
    };
    const names = [...decompressDims.map((_, k) => `dec${k}`), 'out'];
    return new DecoderMlp(
      names.map((name) => {
        const W = get(`${name}.W`);
        const b = get(`${name}.b`);
        return { name, fin: W.shape[0]!, fout: W.shape[1]!, W: Float64Array.from(W.data), b: Float64Array.from(b.data) };
      }),
    );
  }

  get inputDim(): number {
    return this.layers[0]!.fin;
  }

  get outputDim(): number {
    return this.layers[this.layers.length - 1]!.fout;
  }

  /** Write the layers back into (copies of) `weights` as float32. */
  toWeights(weights: readonly NamedWeight[]): NamedWeight[] {
    const byName = new Map<string, Float64Array>(this.layers.flatMap((l): [string, Float64Array][] => [[`${l.name}.W`, l.W], [`${l.name}.b`, l.b]]));
    return weights.map((w) => {
      const v = byName.get(w.name);
      return v ? { name: w.name, shape: w.shape.slice(), data: Float32Array.from(v) } : w;
    });
  }

  forward(z: Float64Array, B: number): DecoderCache {
    const inputs: Float64Array[] = [];
    const pre: Float64Array[] = [];
    let h = z;
    const last = this.layers.length - 1;
    this.layers.forEach((L, k) => {
      inputs.push(h);
      const y = new Float64Array(B * L.fout);
      for (let r = 0; r < B; r++) {
        const yo = r * L.fout;
        for (let j = 0; j < L.fout; j++) y[yo + j] = L.b[j]!;
        const ho = r * L.fin;
        for (let i = 0; i < L.fin; i++) {
          const a = h[ho + i]!;
          if (a === 0) continue;
          const wo = i * L.fout;
          for (let j = 0; j < L.fout; j++) y[yo + j]! += a * L.W[wo + j]!;
        }
      }
      if (k < last) {
        pre.push(y);
        const act = new Float64Array(y.length);
        for (let i = 0; i < y.length; i++) act[i] = y[i]! > 0 ? y[i]! : 0;
        h = act;
      } else h = y;
    });
    return { B, inputs, pre, out: h };
  }

  /** Gradients of every layer's W and b given dL/d(out). */
  backward(cache: DecoderCache, dOut: Float64Array): { dW: Float64Array; db: Float64Array }[] {
    const B = cache.B;
    const grads = this.layers.map((L) => ({ dW: new Float64Array(L.W.length), db: new Float64Array(L.b.length) }));
    let g = dOut;
    for (let k = this.layers.length - 1; k >= 0; k--) {
      const L = this.layers[k]!;
      const a = cache.inputs[k]!;
      const { dW, db } = grads[k]!;
      for (let r = 0; r < B; r++) {
        const go = r * L.fout;
        const ao = r * L.fin;
        for (let j = 0; j < L.fout; j++) db[j]! += g[go + j]!;
        for (let i = 0; i < L.fin; i++) {
          const ai = a[ao + i]!;
          if (ai === 0) continue;
          const wo = i * L.fout;
          for (let j = 0; j < L.fout; j++) dW[wo + j]! += ai * g[go + j]!;
        }
      }
      if (k === 0) break;
      // dL/d(input of layer k) = g W^T, gated by the ReLU of layer k-1
      const prev = cache.pre[k - 1]!;
      const gin = new Float64Array(B * L.fin);
      for (let r = 0; r < B; r++) {
        const go = r * L.fout;
        const io = r * L.fin;
        for (let i = 0; i < L.fin; i++) {
          if (!(prev[io + i]! > 0)) continue;
          const wo = i * L.fout;
          let s = 0;
          for (let j = 0; j < L.fout; j++) s += L.W[wo + j]! * g[go + j]!;
          gin[io + i] = s;
        }
      }
      g = gin;
    }
    return grads;
  }
}
