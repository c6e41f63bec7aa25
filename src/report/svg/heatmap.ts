/** Square association heatmap with a colour legend; cell values printed when the matrix is small. */
import { html, type Html } from '../html.js';
import { COLORS, fmtFixed, r2, svgRoot, truncate } from './common.js';

export type ColorScheme = 'diverging' | 'sequential';

type Rgb = [number, number, number];
const hex = (c: Rgb): string => '#' + c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('');
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
/** PuOr-like diverging ends (colour-blind safe), a light neutral middle. */
const NEG: Rgb = [94, 60, 153];
const MID: Rgb = [247, 247, 247];
const POS: Rgb = [230, 97, 1];
const SEQ_HI: Rgb = [37, 52, 148];

export function colorFor(v: number, domain: [number, number], scheme: ColorScheme): string {
  const [lo, hi] = domain;
  const t = Math.max(0, Math.min(1, (v - lo) / (hi - lo || 1)));
  if (scheme === 'sequential') return hex(mix(MID, SEQ_HI, t));
  return t < 0.5 ? hex(mix(NEG, MID, t * 2)) : hex(mix(MID, POS, (t - 0.5) * 2));
}

/** Dark text on light cells, white on dark ones. */
function textColor(fill: string): string {
  const n = parseInt(fill.slice(1), 16);
  const lum = (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  return lum > 0.55 ? COLORS.text : '#ffffff';
}

export interface HeatmapPlot {
  label: string;
  columns: string[];
  values: (number | null)[][];
  domain: [number, number];
  scheme: ColorScheme;
  /** Caption under the legend, e.g. "Pearson r". */
  legendTitle: string;
  size?: number;
}

export function heatmap(p: HeatmapPlot): Html {
  const n = p.columns.length;
  const area = p.size ?? 240;
  const lab = 96;
  const cell = area / Math.max(1, n);
  // Rotated column labels lean right: leave room for the last one.
  const W = lab + area + 58;
  const H = lab + area + 60;
  const x0 = lab;
  const y0 = lab;
  const maxChars = 15;
  const cells: Html[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = p.values[i]?.[j] ?? null;
      const fill = v === null ? '#d9dce1' : colorFor(v, p.domain, p.scheme);
      const tip = html`<title>${p.columns[i]} × ${p.columns[j]}: ${v === null ? 'not defined' : fmtFixed(v, 3)}</title>`;
      const txt = n <= 10 && v !== null ? html`<text x="${r2(x0 + (j + 0.5) * cell)}" y="${r2(y0 + (i + 0.5) * cell + 3.5)}" text-anchor="middle" font-size="${n <= 7 ? 10 : 8.5}" fill="${textColor(fill)}">${fmtFixed(v, 2)}</text>` : '';
      cells.push(html`<g><rect x="${r2(x0 + j * cell)}" y="${r2(y0 + i * cell)}" width="${r2(cell)}" height="${r2(cell)}" fill="${fill}" stroke="#ffffff" stroke-width="${n > 20 ? 0.5 : 1}">${tip}</rect>${txt}</g>`);
    }
  }
  const fs = Math.min(11, Math.max(7, cell * 0.6));
  const rowLabels = p.columns.map((c, i) => html`<text x="${r2(x0 - 5)}" y="${r2(y0 + (i + 0.5) * cell + fs / 3)}" text-anchor="end" font-size="${r2(fs)}" fill="${COLORS.text}"><title>${c}</title>${truncate(c, maxChars)}</text>`);
  const colLabels = p.columns.map((c, j) => html`<text transform="translate(${r2(x0 + (j + 0.5) * cell + fs / 3)} ${r2(y0 - 5)}) rotate(-50)" font-size="${r2(fs)}" fill="${COLORS.text}"><title>${c}</title>${truncate(c, maxChars)}</text>`);
  // Discrete legend (no gradients: nothing referenced by url()).
  const steps = 11;
  const lw = Math.min(area, 200);
  const ly = y0 + area + 14;
  const legendCells = Array.from({ length: steps }, (_, k) => {
    const v = p.domain[0] + ((p.domain[1] - p.domain[0]) * k) / (steps - 1);
    return html`<rect x="${r2(x0 + (lw / steps) * k)}" y="${r2(ly)}" width="${r2(lw / steps + 0.3)}" height="9" fill="${colorFor(v, p.domain, p.scheme)}"/>`;
  });
  return svgRoot(
    { plot: 'heatmap', width: W, height: H, label: p.label },
    html`${cells}${rowLabels}${colLabels}<g class="legend">${legendCells}<rect x="${r2(x0)}" y="${r2(ly)}" width="${r2(lw)}" height="9" fill="none" stroke="${COLORS.grid}"/><text x="${r2(x0)}" y="${r2(ly + 20)}" fill="${COLORS.axis}" font-size="9.5">${fmtFixed(p.domain[0], 1)}</text><text x="${r2(x0 + lw / 2)}" y="${r2(ly + 20)}" text-anchor="middle" fill="${COLORS.axis}" font-size="9.5">${fmtFixed((p.domain[0] + p.domain[1]) / 2, 1)}</text><text x="${r2(x0 + lw)}" y="${r2(ly + 20)}" text-anchor="end" fill="${COLORS.axis}" font-size="9.5">${fmtFixed(p.domain[1], 1)}</text><text x="${r2(x0 + lw / 2)}" y="${r2(ly + 34)}" text-anchor="middle" fill="${COLORS.axis}" font-size="10">${p.legendTitle}</text></g>`,
  );
}
