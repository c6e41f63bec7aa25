/**
 * correlation_similarity: for each pair of numeric/integer/datetime columns, 1 - |r_train - r_synthetic| / 2
 * with Pearson's r over the rows where both values are present; the mean over pairs. Pairs where r is
 * undefined (fewer than 3 complete rows or a constant column) are skipped with a warning.
 */
import type { PreparedData } from '../prepare.js';
import { mean } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, PairScore, Warning } from '../types.js';
import * as msg from '../../messages.js';

export const descriptor: MetricDescriptor = {
  name: 'correlation_similarity',
  kind: 'fidelity',
  goal: 'maximize',
  range: [0, 1],
  description: 'Mean over pairs of numeric columns of 1 - |r_train - r_synthetic| / 2 (Pearson, pairwise-complete rows).',
};

/** Pearson correlation over the rows where both are present; null when undefined. */
export function pearson(x: Float64Array, y: Float64Array): number | null {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === x[i] && y[i] === y[i]) {
      n++;
      sx += x[i]!;
      sy += y[i]!;
    }
  }
  if (n < 3) return null;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === x[i] && y[i] === y[i]) {
      const dx = x[i]! - mx;
      const dy = y[i]! - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

export function compute(data: PreparedData): MetricOutput & { details: { pairs: PairScore[] } } {
  const pairs: PairScore[] = [];
  const warnings: Warning[] = [];
  const num = data.columns.map((c, j) => ({ c, j })).filter((x) => x.c.kind === 'num');
  for (let a = 0; a < num.length; a++) {
    for (let b = a + 1; b < num.length; b++) {
      const A = num[a]!;
      const B = num[b]!;
      const rr = pearson(data.train.values[A.j] as Float64Array, data.train.values[B.j] as Float64Array);
      const rs = pearson(data.synthetic.values[A.j] as Float64Array, data.synthetic.values[B.j] as Float64Array);
      if (rr === null || rs === null) {
        warnings.push({
          code: 'METRIC_SKIPPED',
          metric: descriptor.name,
          message: msg.correlationUndefined(A.c.name, B.c.name, rr === null ? 'train' : 'synthetic'),
        });
        continue;
      }
      pairs.push({ columns: [A.c.name, B.c.name], metric: descriptor.name, score: 1 - Math.abs(rr - rs) / 2, real: rr, synthetic: rs });
    }
  }
  return { value: mean(pairs.map((p) => p.score)), details: { pairs }, warnings };
}
