/** Horizontal grouped bar chart: one band per category, one bar per series; optional threshold lines. */
import { html, type Html } from '../html.js';
import { COLORS, linear, legend, r2, svgRoot, ticks, truncate, xAxis } from './common.js';

export interface BarSeries {
  name: string;
  values: (number | null)[];
  color: string;
}

export interface BarsPlot {
  plot: string;
  label: string;
  categories: string[];
  series: BarSeries[];
  /** Value domain; default [0, max]. */
  domain?: [number, number];
  format: (v: number) => string;
  axisTitle?: string;
  thresholds?: { value: number; label: string; color: string }[];
  width?: number;
  labelWidth?: number;
  /** Print the value at the end of each bar. */
  valueLabels?: boolean;
}

export function bars(p: BarsPlot): Html {
  const W = p.width ?? 360;
  const lw = p.labelWidth ?? 132;
  const barH = p.series.length > 1 ? 8 : 12;
  const band = p.series.length * barH + 7;
  const showLegend = p.series.length > 1;
  const m = { l: lw, r: p.valueLabels ? 44 : 14, t: showLegend || p.thresholds?.length ? 28 : 10, b: p.axisTitle ? 40 : 26 };
  const H = m.t + Math.max(1, p.categories.length) * band + m.b;
  const all = p.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const domain = p.domain ?? [0, Math.max(1e-9, ...all) * 1.08];
  const sx = linear(domain, [m.l, W - m.r]);
  const xt = ticks(domain[0], domain[1], 4).filter((t) => t >= domain[0] - 1e-9 && t <= domain[1] + 1e-9);
  const zero = sx(Math.max(domain[0], Math.min(domain[1], 0)));
  const rows = p.categories.map((c, i) => {
    const y0 = m.t + i * band + 3.5;
    const barsOfRow = p.series.map((s, k) => {
      const v = s.values[i] ?? null;
      const y = y0 + k * barH;
      if (v === null) return html`<text x="${r2(zero + 3)}" y="${r2(y + barH - 1)}" fill="${COLORS.muted}" font-size="9">n/a</text>`;
      const x = sx(Math.max(domain[0], Math.min(domain[1], v)));
      return html`<rect x="${r2(Math.min(x, zero))}" y="${r2(y)}" width="${r2(Math.abs(x - zero))}" height="${r2(barH - 1)}" fill="${s.color}"><title>${c} · ${s.name}: ${p.format(v)}</title></rect>${
        p.valueLabels ? html`<text x="${r2(Math.max(x, zero) + 3)}" y="${r2(y + barH - 2)}" fill="${COLORS.text}" font-size="9.5">${p.format(v)}</text>` : ''
      }`;
    });
    return html`<g class="band"><text x="${r2(m.l - 6)}" y="${r2(y0 + (p.series.length * barH) / 2 + 3.5)}" text-anchor="end" fill="${COLORS.text}"><title>${c}</title>${truncate(c, Math.floor((lw - 8) / 7))}</text>${barsOfRow}</g>`;
  });
  const thresholds = (p.thresholds ?? []).map(
    (t) => html`<line x1="${r2(sx(t.value))}" x2="${r2(sx(t.value))}" y1="${r2(m.t - 4)}" y2="${r2(H - m.b)}" stroke="${t.color}" stroke-width="1.5" stroke-dasharray="4 3"><title>${t.label}</title></line>`,
  );
  const legendItems = [
    ...(showLegend ? p.series.map((s) => ({ label: s.name, color: s.color })) : []),
    ...(p.thresholds ?? []).map((t) => ({ label: t.label, color: t.color, kind: 'line' as const, dash: '4 3' })),
  ];
  return svgRoot(
    { plot: p.plot, width: W, height: H, label: p.label },
    html`${xAxis(sx, H - m.b, m.t - 4, xt, p.format, p.axisTitle)}${rows}${thresholds}${legendItems.length ? legend(m.l, 12, legendItems) : ''}`,
  );
}
