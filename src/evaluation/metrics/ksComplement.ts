/**
 * ks_complement: for each numeric, integer or datetime column, 1 - D where D is the two-sample
 * Kolmogorov-Smirnov statistic between the non-missing train and synthetic values; the mean over columns.
 * 1 = identical marginals, 0 = disjoint. Columns without values on either side are skipped with a warning.
 */
import type { PreparedData } from '../prepare.js';
import { ksStatistic } from '../stats/ks.js';
import type { MetricDescriptor, MetricOutput, Warning } from '../types.js';
import { mean } from '../stats/summary.js';
import * as msg from '../../messages.js';

export const descriptor: MetricDescriptor = {
  name: 'ks_complement',
  kind: 'fidelity',
  goal: 'maximize',
  range: [0, 1],
  description: 'Mean over numeric/integer/datetime columns of 1 - two-sample Kolmogorov-Smirnov statistic (train vs synthetic, missing values left out).',
};

export interface KsColumn {
  column: string;
  score: number;
  statistic: number;
}

export function compute(data: PreparedData): MetricOutput & { details: { columns: KsColumn[] } } {
  const columns: KsColumn[] = [];
  const warnings: Warning[] = [];
  data.columns.forEach((col, j) => {
    if (col.kind !== 'num') return;
    const a = (data.train.values[j] as Float64Array).filter((x) => x === x);
    const b = (data.synthetic.values[j] as Float64Array).filter((x) => x === x);
    if (a.length === 0 || b.length === 0) {
      warnings.push({ code: 'METRIC_SKIPPED', metric: descriptor.name, column: col.name, message: msg.ksNoValue(col.name, a.length === 0 ? 'train' : 'synthetic') });
      return;
    }
    const d = ksStatistic(a, b);
    columns.push({ column: col.name, score: 1 - d, statistic: d });
  });
  return { value: mean(columns.map((c) => c.score)), details: { columns }, warnings };
}
