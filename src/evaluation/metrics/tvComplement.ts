/**
 * tv_complement: for each categorical or boolean column, 1 - TVD with
 * TVD = 0.5 * sum_k |p_train(k) - p_synthetic(k)| over the union of categories, missing counted as its
 * own category; the mean over columns. 1 = identical frequencies.
 */
import type { PreparedData } from '../prepare.js';
import { tvdCounts } from '../stats/bins.js';
import { mean } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput } from '../types.js';

export const descriptor: MetricDescriptor = {
  name: 'tv_complement',
  kind: 'fidelity',
  goal: 'maximize',
  range: [0, 1],
  description: 'Mean over categorical/boolean columns of 1 - total variation distance of the category frequencies (train vs synthetic; missing is a category).',
};

export interface TvColumn {
  column: string;
  score: number;
  tvd: number;
}

/** TVD of two code arrays with `k` categories (code -1 = missing, counted as category k). */
export function tvdOfCodes(a: Int32Array, b: Int32Array, k: number): number {
  const ca = new Float64Array(k + 1);
  const cb = new Float64Array(k + 1);
  for (let i = 0; i < a.length; i++) ca[a[i]! < 0 ? k : a[i]!]++;
  for (let i = 0; i < b.length; i++) cb[b[i]! < 0 ? k : b[i]!]++;
  return tvdCounts(ca, a.length, cb, b.length);
}

export function compute(data: PreparedData): MetricOutput & { details: { columns: TvColumn[] } } {
  const columns: TvColumn[] = [];
  data.columns.forEach((col, j) => {
    if (col.kind !== 'cat') return;
    const tvd = tvdOfCodes(data.train.values[j] as Int32Array, data.synthetic.values[j] as Int32Array, col.categories.length);
    columns.push({ column: col.name, score: 1 - tvd, tvd });
  });
  return { value: mean(columns.map((c) => c.score)), details: { columns } };
}
