/**
 * contingency_similarity: for each pair of columns, 1 - TVD of the joint distribution of (a, b) in train
 * vs synthetic. Numeric columns are cut into 10 quantile bins of the train data (values outside the train
 * range fall into the end bins); missing is its own bin. The mean over pairs.
 */
import type { PreparedData } from '../prepare.js';
import { makeBinner } from '../stats/bins.js';
import { mean } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, PairScore } from '../types.js';

export const descriptor: MetricDescriptor = {
  name: 'contingency_similarity',
  kind: 'fidelity',
  goal: 'maximize',
  range: [0, 1],
  description: 'Mean over pairs of columns of 1 - total variation distance of the joint frequencies (numeric columns in 10 quantile bins of train; missing is a bin).',
};

/** TVD of the joint distribution of two binned columns in two tables. */
export function jointTvd(a1: Int32Array, b1: Int32Array, a2: Int32Array, b2: Int32Array, sizeB: number, cells: number): number {
  if (cells <= 4_000_000) {
    const c1 = new Float64Array(cells);
    const c2 = new Float64Array(cells);
    for (let i = 0; i < a1.length; i++) c1[a1[i]! * sizeB + b1[i]!]++;
    for (let i = 0; i < a2.length; i++) c2[a2[i]! * sizeB + b2[i]!]++;
    let s = 0;
    const n1 = a1.length;
    const n2 = a2.length;
    for (let k = 0; k < cells; k++) if (c1[k] || c2[k]) s += Math.abs(c1[k]! / n1 - c2[k]! / n2);
    return 0.5 * s;
  }
  const m = new Map<number, [number, number]>();
  for (let i = 0; i < a1.length; i++) {
    const k = a1[i]! * sizeB + b1[i]!;
    const e = m.get(k);
    if (e) e[0]++;
    else m.set(k, [1, 0]);
  }
  for (let i = 0; i < a2.length; i++) {
    const k = a2[i]! * sizeB + b2[i]!;
    const e = m.get(k);
    if (e) e[1]++;
    else m.set(k, [0, 1]);
  }
  let s = 0;
  for (const [x, y] of m.values()) s += Math.abs(x / a1.length - y / a2.length);
  return 0.5 * s;
}

export function compute(data: PreparedData): MetricOutput & { details: { pairs: PairScore[] } } {
  const binners = data.columns.map((c, j) => makeBinner(c, data.train.values[j]!));
  const tb = binners.map((b, j) => b.apply(data.train.values[j]!));
  const sb = binners.map((b, j) => b.apply(data.synthetic.values[j]!));
  const pairs: PairScore[] = [];
  for (let a = 0; a < data.columns.length; a++) {
    for (let b = a + 1; b < data.columns.length; b++) {
      const tvd = jointTvd(tb[a]!, tb[b]!, sb[a]!, sb[b]!, binners[b]!.size, binners[a]!.size * binners[b]!.size);
      pairs.push({ columns: [data.columns[a]!.name, data.columns[b]!.name], metric: descriptor.name, score: 1 - tvd });
    }
  }
  return { value: mean(pairs.map((p) => p.score)), details: { pairs } };
}
