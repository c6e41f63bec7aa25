/**
 * Shared pieces of the report's SVG plots: palette, scales, ticks, number formats and the <svg> root.
 * Every plot is plain inline SVG built through `html` (src/report/html.ts), so data in text and
 * attributes is escaped. Each root carries `data-plot="<kind>"`, role="img", an aria-label and a <title>.
 */
import { html, type Html, type Interpolation } from '../html.js';

/** Okabe-Ito colours (distinguishable with the common colour-vision deficiencies). */
export const COLORS = {
  real: '#0072B2',
  synthetic: '#D55E00',
  third: '#009E73',
  fourth: '#CC79A7',
  grid: '#e3e6eb',
  axis: '#5b6270',
  text: '#1f2430',
  muted: '#6b7280',
  warn: '#E69F00',
  fail: '#B8283B',
} as const;

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export interface Scale {
  (v: number): number;
  domain: [number, number];
  range: [number, number];
}

export function linear(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** About `count` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Compact number: 3 significant digits, k/M suffixes for large values. */
export function fmtNum(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(digits)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(digits)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(digits)}k`;
  if (a >= 1 || a === 0) return String(+v.toPrecision(Math.max(digits, Math.ceil(Math.log10(a + 1)))));
  return String(+v.toPrecision(digits));
}

/** Fixed decimals, or an em dash for null. */
export function fmtFixed(v: number | null | undefined, decimals = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const t = v.toFixed(decimals);
  return /^-0\.?0*$/.test(t) ? t.slice(1) : t; // no "-0.00"
}

export function fmtPct(v: number | null | undefined, decimals = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(decimals)}%`;
}

/** Epoch milliseconds as YYYY-MM-DD (UTC). */
export function fmtDate(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '—';
}

/** Shorten a label to `max` characters (before escaping, so entities are never cut). */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

/** Round to 2 decimals for coordinates. */
export function r2(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export interface SvgRoot {
  plot: string;
  width: number;
  height: number;
  /** Accessible name (read by screen readers, shown as a tooltip). */
  label: string;
}

export function svgRoot(o: SvgRoot, body: Interpolation): Html {
  return html`<svg class="plot" data-plot="${o.plot}" viewBox="0 0 ${o.width} ${o.height}" width="${o.width}" height="${o.height}" role="img" aria-label="${o.label}" font-family="${FONT}" font-size="11"><title>${o.label}</title>${body}</svg>`;
}

/** Legend entries in a row at (x, y). */
export function legend(x: number, y: number, items: { label: string; color: string; dash?: string; kind?: 'box' | 'line' }[]): Html {
  let cx = x;
  const parts: Html[] = [];
  for (const it of items) {
    const mark =
      it.kind === 'line'
        ? html`<line x1="${r2(cx)}" y1="${r2(y)}" x2="${r2(cx + 16)}" y2="${r2(y)}" stroke="${it.color}" stroke-width="2.5"${it.dash ? html` stroke-dasharray="${it.dash}"` : ''}/>`
        : html`<rect x="${r2(cx)}" y="${r2(y - 5)}" width="12" height="10" rx="2" fill="${it.color}"/>`;
    parts.push(html`<g class="legend-item">${mark}<text x="${r2(cx + (it.kind === 'line' ? 20 : 16))}" y="${r2(y + 4)}" fill="${COLORS.text}">${it.label}</text></g>`);
    cx += (it.kind === 'line' ? 26 : 22) + 6.2 * [...it.label].length + 10;
  }
  return html`<g class="legend">${parts}</g>`;
}

/** A horizontal axis with ticks and grid lines. */
export function xAxis(sx: Scale, y: number, gridTop: number, tickValues: number[], format: (v: number) => string, title?: string): Html {
  const [x0, x1] = sx.range;
  return html`<g class="axis">${tickValues.map(
    (t) => html`<line x1="${r2(sx(t))}" x2="${r2(sx(t))}" y1="${r2(gridTop)}" y2="${r2(y)}" stroke="${COLORS.grid}"/><text x="${r2(sx(t))}" y="${r2(y + 14)}" text-anchor="middle" fill="${COLORS.axis}">${format(t)}</text>`,
  )}<line x1="${r2(x0)}" x2="${r2(x1)}" y1="${r2(y)}" y2="${r2(y)}" stroke="${COLORS.axis}"/>${
    title ? html`<text x="${r2((x0 + x1) / 2)}" y="${r2(y + 30)}" text-anchor="middle" fill="${COLORS.axis}">${title}</text>` : ''
  }</g>`;
}

/** A vertical axis with ticks and grid lines. */
export function yAxis(sy: Scale, x: number, gridRight: number, tickValues: number[], format: (v: number) => string, title?: string): Html {
  const [y0, y1] = sy.range;
  return html`<g class="axis">${tickValues.map(
    (t) => html`<line x1="${r2(x)}" x2="${r2(gridRight)}" y1="${r2(sy(t))}" y2="${r2(sy(t))}" stroke="${COLORS.grid}"/><text x="${r2(x - 5)}" y="${r2(sy(t) + 4)}" text-anchor="end" fill="${COLORS.axis}">${format(t)}</text>`,
  )}<line x1="${r2(x)}" x2="${r2(x)}" y1="${r2(y0)}" y2="${r2(y1)}" stroke="${COLORS.axis}"/>${
    title ? html`<text transform="translate(${r2(x - 38)} ${r2((y0 + y1) / 2)}) rotate(-90)" text-anchor="middle" fill="${COLORS.axis}">${title}</text>` : ''
  }</g>`;
}
