/** Overlaid histogram: real shares as filled bars, synthetic shares as a step line over the same bins. */
import { html, type Html } from '../html.js';
import { COLORS, fmtPct, legend, linear, r2, svgRoot, ticks, xAxis, yAxis } from './common.js';

export interface HistogramPlot {
  label: string;
  /** bins + 1 edges. */
  edges: number[];
  real: number[];
  synthetic: number[];
  /** Formats an edge value for ticks and tooltips. */
  format: (v: number) => string;
  /** Integer bins: ticks at bin centres. */
  integers?: boolean;
  width?: number;
  height?: number;
}

export function histogram(p: HistogramPlot): Html {
  const W = p.width ?? 360;
  const H = p.height ?? 230;
  const m = { l: 46, r: 12, t: 28, b: 36 };
  const bins = p.edges.length - 1;
  const lo = p.edges[0]!;
  const hi = p.edges[bins]!;
  const sx = linear([lo, hi], [m.l, W - m.r]);
  const top = Math.max(1e-9, ...p.real, ...p.synthetic) * 1.08;
  const sy = linear([0, top], [H - m.b, m.t]);
  const yt = ticks(0, top, 4).filter((t) => t <= top);
  let xt: number[];
  if (p.integers) {
    const centres = p.edges.slice(0, -1).map((e) => e + 0.5);
    const every = Math.ceil(centres.length / 8);
    xt = centres.filter((_, i) => i % every === 0);
  } else xt = ticks(lo, hi, 4).filter((t) => t >= lo && t <= hi);
  const bars = p.real.map((v, i) => {
    const x0 = sx(p.edges[i]!);
    const x1 = sx(p.edges[i + 1]!);
    const range = p.integers ? p.format(p.edges[i]! + 0.5) : `${p.format(p.edges[i]!)} – ${p.format(p.edges[i + 1]!)}`;
    return html`<rect x="${r2(x0 + 0.5)}" y="${r2(sy(v))}" width="${r2(Math.max(0, x1 - x0 - 1))}" height="${r2(sy(0) - sy(v))}" fill="${COLORS.real}" fill-opacity="0.55"><title>${range}: real ${fmtPct(v)}, synthetic ${fmtPct(p.synthetic[i])}</title></rect>`;
  });
  let d = `M${r2(sx(lo))} ${r2(sy(0))}`;
  p.synthetic.forEach((v, i) => {
    d += ` L${r2(sx(p.edges[i]!))} ${r2(sy(v))} L${r2(sx(p.edges[i + 1]!))} ${r2(sy(v))}`;
  });
  d += ` L${r2(sx(hi))} ${r2(sy(0))}`;
  return svgRoot(
    { plot: 'histogram', width: W, height: H, label: p.label },
    html`${yAxis(sy, m.l, W - m.r, yt, (t) => fmtPct(t, 0))}${xAxis(sx, H - m.b, m.t, xt, p.format)}<g class="bars">${bars}</g><path d="${d}" fill="none" stroke="${COLORS.synthetic}" stroke-width="2" stroke-linejoin="round"/>${legend(m.l, 12, [
      { label: 'real', color: COLORS.real },
      { label: 'synthetic', color: COLORS.synthetic, kind: 'line' },
    ])}`,
  );
}
