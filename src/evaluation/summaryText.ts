/** The human-readable summary of an evaluation report that `privsynth evaluate` prints. */
import type { EvaluationReport, MetricResult } from './types.js';

function fmt(x: number | null | undefined, digits = 3): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatSummary(r: EvaluationReport): string {
  const lines: string[] = [];
  lines.push(`privsynth evaluation (seed ${r.seed}): train ${r.rows.train} rows, holdout ${r.rows.holdout}, synthetic ${r.rows.synthetic}; ${r.columns.evaluated.length} columns${r.target ? `, target "${r.target}"` : ''}`);
  lines.push('');
  lines.push(`${pad('area', 10)}verdict`);
  for (const [area, v] of Object.entries(r.verdicts)) {
    lines.push(`${pad(area, 10)}${v.verdict.toUpperCase()}`);
    for (const c of v.criteria) {
      if (c.verdict === 'not_evaluated') continue;
      const cmp = c.direction === 'above' ? '>' : '<';
      const ci = c.ci95 ? ` 95% CI ${fmt(c.ci95[0])}-${fmt(c.ci95[1])}` : '';
      lines.push(`  ${pad(c.name, 30)}${pad(fmt(c.value), 8)}${pad(c.verdict, 13)}(warn ${cmp} ${c.warn}, fail ${cmp} ${c.fail})${ci}`);
    }
    if (v.audit) lines.push(`  ${v.audit.contradictsClaim ? '!!! ' : ''}${v.audit.statement}`);
  }
  lines.push('');
  lines.push(`${pad('metric', 26)}${pad('value', 9)}${pad('goal', 10)}seconds`);
  const row = (m: MetricResult) => `${pad(m.name, 26)}${pad(fmt(m.value), 9)}${pad(m.goal === 'target' ? 'near 0.5' : m.goal === 'maximize' ? 'higher' : 'lower', 10)}${m.seconds.toFixed(1)}`;
  lines.push(`${pad('quality_score', 26)}${pad(fmt(r.quality.qualityScore), 9)}${pad('higher', 10)}`);
  for (const m of Object.values(r.metrics)) lines.push(row(m));
  const worst = r.quality.columns.slice(0, 5);
  if (worst.length) {
    lines.push('');
    lines.push('worst columns: ' + worst.map((c) => `${c.column} ${fmt(c.score)}`).join(', '));
  }
  const worstPairs = r.quality.pairs.slice(0, 5);
  if (worstPairs.length) lines.push('worst pairs:   ' + worstPairs.map((p) => `${p.columns.join('×')} ${fmt(p.score)}`).join(', '));
  if (r.warnings.length) {
    lines.push('');
    lines.push(`warnings (${r.warnings.length}):`);
    for (const w of r.warnings.slice(0, 20)) lines.push(`  - ${w.message}`);
    if (r.warnings.length > 20) lines.push(`  … ${r.warnings.length - 20} more in the report`);
  }
  lines.push('');
  lines.push(`total ${fmt(r.timings.total, 1)} s`);
  return lines.join('\n');
}
