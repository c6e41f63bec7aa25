/** ROC curves of attacks, with the chance diagonal. */
import { html, type Html } from '../html.js';
import { COLORS, legend, linear, r2, svgRoot, ticks, xAxis, yAxis } from './common.js';

export interface RocCurve {
  name: string;
  fpr: number[];
  tpr: number[];
  color: string;
  dash?: string;
}

export function rocPlot(p: { label: string; curves: RocCurve[]; size?: number }): Html {
  const S = p.size ?? 300;
  const m = { l: 52, r: 14, t: 16 + 16 * (p.curves.length + 1), b: 42 };
  const W = S + m.l + m.r;
  const H = S + m.t + m.b;
  const sx = linear([0, 1], [m.l, m.l + S]);
  const sy = linear([0, 1], [m.t + S, m.t]);
  const t = ticks(0, 1, 5);
  const f = (v: number) => v.toFixed(1);
  const lines = p.curves.map((c) => {
    const pts = c.fpr.map((x, i) => `${r2(sx(x))},${r2(sy(c.tpr[i] ?? 0))}`);
    if (c.fpr[0] !== 0 || c.tpr[0] !== 0) pts.unshift(`${r2(sx(0))},${r2(sy(0))}`);
    return html`<polyline points="${pts.join(' ')}" fill="none" stroke="${c.color}" stroke-width="2.2" stroke-linejoin="round"${c.dash ? html` stroke-dasharray="${c.dash}"` : ''}><title>${c.name}</title></polyline>`;
  });
  const legends = [...p.curves.map((c) => ({ label: c.name, color: c.color, dash: c.dash })), { label: 'chance (AUC 0.5)', color: COLORS.muted, dash: '5 4' }].map((c, i) =>
    legend(m.l, 12 + 16 * i, [{ label: c.label, color: c.color, kind: 'line', dash: c.dash }]),
  );
  return svgRoot(
    { plot: 'roc', width: W, height: H, label: p.label },
    html`${yAxis(sy, m.l, m.l + S, t, f, 'true positive rate')}${xAxis(sx, m.t + S, m.t, t, f, 'false positive rate')}<line x1="${r2(sx(0))}" y1="${r2(sy(0))}" x2="${r2(sx(1))}" y2="${r2(sy(1))}" stroke="${COLORS.muted}" stroke-dasharray="5 4"/>${lines}${legends}`,
  );
}
