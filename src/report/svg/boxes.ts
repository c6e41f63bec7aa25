/** Horizontal box plots from quantile summaries: whiskers 5%-95%, box 25%-75%, median line, mean dot. */
import { html, type Html } from '../html.js';
import type { Summary } from '../../evaluation/types.js';
import { COLORS, linear, r2, svgRoot, ticks, truncate, xAxis } from './common.js';

export function boxes(p: { plot: string; label: string; rows: { label: string; summary: Summary; color: string }[]; axisTitle: string; format: (v: number) => string; width?: number }): Html {
  const W = p.width ?? 520;
  const band = 40;
  const m = { l: 130, r: 18, t: 12, b: 42 };
  const H = m.t + Math.max(1, p.rows.length) * band + m.b;
  const hi = Math.max(1e-9, ...p.rows.map((r) => r.summary.q95)) * 1.1;
  const sx = linear([0, hi], [m.l, W - m.r]);
  const rows = p.rows.map((r, i) => {
    const s = r.summary;
    const y = m.t + i * band + band / 2;
    const tip = `${r.label}: 5% ${p.format(s.q05)}, 25% ${p.format(s.q25)}, median ${p.format(s.median)}, 75% ${p.format(s.q75)}, 95% ${p.format(s.q95)}, mean ${p.format(s.mean)} (n = ${s.n})`;
    return html`<g class="box"><title>${tip}</title><text x="${r2(m.l - 8)}" y="${r2(y + 4)}" text-anchor="end" fill="${COLORS.text}">${truncate(r.label, 20)}</text><line x1="${r2(sx(s.q05))}" x2="${r2(sx(s.q95))}" y1="${r2(y)}" y2="${r2(y)}" stroke="${r.color}" stroke-width="1.5"/><line x1="${r2(sx(s.q05))}" x2="${r2(sx(s.q05))}" y1="${r2(y - 6)}" y2="${r2(y + 6)}" stroke="${r.color}" stroke-width="1.5"/><line x1="${r2(sx(s.q95))}" x2="${r2(sx(s.q95))}" y1="${r2(y - 6)}" y2="${r2(y + 6)}" stroke="${r.color}" stroke-width="1.5"/><rect x="${r2(sx(s.q25))}" y="${r2(y - 11)}" width="${r2(Math.max(1, sx(s.q75) - sx(s.q25)))}" height="22" fill="${r.color}" fill-opacity="0.25" stroke="${r.color}" stroke-width="1.5"/><line x1="${r2(sx(s.median))}" x2="${r2(sx(s.median))}" y1="${r2(y - 11)}" y2="${r2(y + 11)}" stroke="${r.color}" stroke-width="3"/><circle cx="${r2(sx(Math.min(hi, s.mean)))}" cy="${r2(y)}" r="3" fill="${COLORS.text}"/></g>`;
  });
  return svgRoot({ plot: p.plot, width: W, height: H, label: p.label }, html`${xAxis(sx, H - m.b, m.t, ticks(0, hi, 5).filter((t) => t <= hi), p.format, p.axisTitle)}${rows}`);
}
