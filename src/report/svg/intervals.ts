/** Interval plot: a point and its 95% interval per row, with threshold lines. */
import { html, type Html } from '../html.js';
import { COLORS, legend, linear, r2, svgRoot, ticks, truncate, xAxis } from './common.js';

export interface IntervalRow {
  label: string;
  value: number;
  lo: number;
  hi: number;
}

export interface IntervalsPlot {
  plot: string;
  label: string;
  rows: IntervalRow[];
  domain: [number, number];
  format: (v: number) => string;
  axisTitle: string;
  thresholds?: { value: number; label: string; color: string }[];
  width?: number;
}

export function intervals(p: IntervalsPlot): Html {
  const W = p.width ?? 520;
  const band = 26;
  const m = { l: 130, r: 18, t: 30, b: 42 };
  const H = m.t + Math.max(1, p.rows.length) * band + m.b;
  const sx = linear(p.domain, [m.l, W - m.r]);
  const clamp = (v: number) => sx(Math.max(p.domain[0], Math.min(p.domain[1], v)));
  const xt = ticks(p.domain[0], p.domain[1], 5);
  const rows = p.rows.map((r, i) => {
    const y = m.t + i * band + band / 2;
    return html`<g class="interval"><text x="${r2(m.l - 8)}" y="${r2(y + 4)}" text-anchor="end" fill="${COLORS.text}"><title>${r.label}</title>${truncate(r.label, 20)}</text><line x1="${r2(clamp(r.lo))}" x2="${r2(clamp(r.hi))}" y1="${r2(y)}" y2="${r2(y)}" stroke="${COLORS.real}" stroke-width="2.5"/><line x1="${r2(clamp(r.lo))}" x2="${r2(clamp(r.lo))}" y1="${r2(y - 5)}" y2="${r2(y + 5)}" stroke="${COLORS.real}" stroke-width="2"/><line x1="${r2(clamp(r.hi))}" x2="${r2(clamp(r.hi))}" y1="${r2(y - 5)}" y2="${r2(y + 5)}" stroke="${COLORS.real}" stroke-width="2"/><circle cx="${r2(clamp(r.value))}" cy="${r2(y)}" r="4.5" fill="#ffffff" stroke="${COLORS.real}" stroke-width="2.5"><title>${r.label}: ${p.format(r.value)} (95% interval ${p.format(r.lo)} – ${p.format(r.hi)})</title></circle></g>`;
  });
  const th = (p.thresholds ?? []).map(
    (t) => html`<line x1="${r2(sx(t.value))}" x2="${r2(sx(t.value))}" y1="${r2(m.t - 6)}" y2="${r2(H - m.b)}" stroke="${t.color}" stroke-width="1.5" stroke-dasharray="4 3"><title>${t.label}</title></line>`,
  );
  return svgRoot(
    { plot: p.plot, width: W, height: H, label: p.label },
    html`${xAxis(sx, H - m.b, m.t - 6, xt, p.format, p.axisTitle)}${th}${rows}${legend(m.l, 12, [
      { label: 'estimate and 95% interval', color: COLORS.real, kind: 'line' },
      ...(p.thresholds ?? []).map((t) => ({ label: t.label, color: t.color, kind: 'line' as const, dash: '4 3' })),
    ])}`,
  );
}
