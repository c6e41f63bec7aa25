import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReportData, categoricalHistogram, cramersV, normalisePrivacy, numericHistogram } from '../../src/report/buildReport.js';
import { esc, html } from '../../src/report/html.js';
import { renderReportHtml } from '../../src/report/renderHtml.js';
import { writeReport } from '../../src/report/writeReport.js';
import { REPORT_KIND, REPORT_VERSION, type ReportData } from '../../src/report/types.js';
import { evaluate } from '../../src/evaluation/evaluate.js';
import { population, populationMetadata } from '../fixtures/population.js';
import { ADULT_PRESENT, ADULT_SKIP_REASON, CREATED_AT, HOSTILE, HOSTILE_COLUMN, NOT_DP_SECTION, adultReport, expectedPlots, smallReport, type ReportCase } from '../fixtures/report.js';

/** Counts of <svg ... data-plot="kind"> per kind. */
function plotCounts(page: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of page.matchAll(/<svg\b[^>]*\bdata-plot="([^"]*)"/g)) out[m[1]!] = (out[m[1]!] ?? 0) + 1;
  return out;
}

function withoutZeros(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v > 0));
}

/** Every tag's attributes (name=value), from a page we generated (double-quoted or bare values). */
function attributes(page: string): { tag: string; name: string; value: string }[] {
  const out: { tag: string; name: string; value: string }[] = [];
  for (const t of page.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>\/=]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const a of t[2]!.matchAll(/([^\s"'>\/=]+)(?:="([^"]*)")?/g)) out.push({ tag: t[1]!.toLowerCase(), name: a[1]!.toLowerCase(), value: a[2] ?? '' });
  }
  return out;
}

function assertNoExternalResources(page: string): void {
  for (const a of attributes(page)) {
    if (['src', 'href', 'xlink:href', 'action', 'formaction', 'poster', 'data', 'srcset', 'background'].includes(a.name)) {
      // Only in-page anchors.
      expect(`${a.tag} ${a.name}=${a.value}`).toMatch(/^a href=#[\w-]+$/);
    }
  }
  expect(page).not.toMatch(/url\s*\(/i);
  expect(page).not.toMatch(/@import/i);
  expect(page).not.toMatch(/<(script|link|iframe|object|embed|img|image|use|base|audio|video|source|foreignObject)\b/i);
  // No scheme-relative or absolute URL anywhere outside escaped text.
  expect(page).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
}

describe('html escaping helpers', () => {
  it('escapes the five HTML-special characters', () => {
    expect(esc(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
  it('escapes interpolations, keeps nested markup, joins arrays and drops null/false', () => {
    const evil = '"><script>alert(1)</script>';
    const out = html`<p title="${evil}">${evil}${html`<b>ok</b>`}${['<i>', html`<i>x</i>`]}${null}${false}${3}</p>`.value;
    expect(out).toBe('<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;<b>ok</b>&lt;i&gt;<i>x</i>3</p>');
  });
});

describe('buildReportData: plot data', () => {
  it('bins numbers on the real range, end bins take values beyond, shares of all rows with missing apart', () => {
    const real = Array.from({ length: 1000 }, (_, i) => i / 10);
    const h = numericHistogram('x', 'numeric', [...real, null], [-50, 0, 50, 1000, null, null]);
    expect(h.binning).toBe('range');
    expect(h.edges).toHaveLength(21);
    expect(h.edges[0]).toBeCloseTo(0.4995, 6); // 0.5% quantile of 0..99.9 (type 7)
    expect(h.edges[20]).toBeCloseTo(99.4005, 6);
    expect(h.real.reduce((a, b) => a + b, 0) + h.missing.real).toBeCloseTo(1, 12);
    expect(h.synthetic[0]).toBeCloseTo(2 / 6, 12); // -50 and 0 in the first bin
    expect(h.synthetic[19]).toBeCloseTo(1 / 6, 12); // 1000 in the last
    expect(h.missing.synthetic).toBeCloseTo(2 / 6, 12);
  });
  it('gives small integer ranges one bin per integer', () => {
    const h = numericHistogram('k', 'integer', [1, 2, 2, 3, 16], [2, 2]);
    expect(h.binning).toBe('integers');
    expect(h.edges).toEqual(Array.from({ length: 17 }, (_, i) => 0.5 + i));
    expect(h.real[1]).toBeCloseTo(0.4, 12);
    expect(h.synthetic[1]).toBe(1);
  });
  it('keeps the 20 most frequent real categories and pools the rest (including synthetic-only ones)', () => {
    const real = Array.from({ length: 25 }, (_, k) => Array.from({ length: 30 - k }, () => `c${k}`)).flat();
    const h = categoricalHistogram('c', 'categorical', [...real, null], ['c0', 'zz', 'c24', null]);
    expect(h.categories).toHaveLength(20);
    expect(h.categories[0]).toBe('c0');
    expect(h.other!.count).toBe(6); // c20..c24 and zz
    expect(h.other!.synthetic).toBeCloseTo(0.5, 12);
    expect(h.missing.synthetic).toBeCloseTo(0.25, 12);
    const total = h.real.reduce((a, b) => a + b, 0) + h.other!.real + h.missing.real;
    expect(total).toBeCloseTo(1, 12);
  });
  it("computes Cramér's V: 1 for a bijection, 0 for independence, null for a constant", () => {
    expect(cramersV(Int32Array.from([0, 1, 2, 0, 1, 2]), Int32Array.from([2, 0, 1, 2, 0, 1]))).toBeCloseTo(1, 12);
    expect(cramersV(Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 1, 0, 1]))).toBeCloseTo(0, 12);
    expect(cramersV(Int32Array.from([0, 0, 0]), Int32Array.from([0, 1, 0]))).toBeNull();
  });
  it('reports anything but differentiallyPrivate === true as NOT differentially private', () => {
    expect(normalisePrivacy({ differentiallyPrivate: false } as never)).toMatchObject({ differentiallyPrivate: false });
    expect(normalisePrivacy({ differentiallyPrivate: 'yes' } as never).differentiallyPrivate).toBe(false);
    const p = normalisePrivacy({ differentiallyPrivate: true, total: { epsilon: Infinity, delta: 1e-6, entries: [] } });
    expect(p).toMatchObject({ differentiallyPrivate: true, epsilon: null, delta: 1e-6 });
  });
});

describe('report on the population fixture (hostile names and categories)', () => {
  let c: ReportCase;
  let page: string;
  beforeAll(() => {
    c = smallReport();
    page = renderReportHtml(c.data);
  });

  it('is versioned JSON that survives a round trip unchanged', () => {
    expect(c.data.kind).toBe(REPORT_KIND);
    expect(c.data.version).toBe(REPORT_VERSION);
    const back = JSON.parse(JSON.stringify(c.data)) as ReportData;
    expect(back).toEqual(c.data);
    expect(renderReportHtml(back)).toBe(page);
  });

  it('carries histograms (worst first), matrices and the attack details', () => {
    const d = c.data;
    expect(d.fidelity.histograms.map((h) => h.column).sort()).toEqual(['age', HOSTILE_COLUMN, 'income', 'joined', 'member'].sort());
    const scores = d.fidelity.histograms.map((h) => h.score!);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    const city = d.fidelity.histograms.find((h) => h.column === HOSTILE_COLUMN)!;
    expect(city.kind).toBe('categorical');
    for (const v of HOSTILE) expect((city as { categories: string[] }).categories).toContain(v);
    expect(d.fidelity.correlations!.columns).toEqual(['age', 'income', 'joined']);
    expect(d.fidelity.correlations!.real[0]![0]).toBe(1);
    expect(d.fidelity.cramersV!.columns).toEqual([HOSTILE_COLUMN, 'member']);
    expect(d.attacks.membership!.attacks.map((a) => a.attack)).toEqual(['distance', 'density_ratio']);
    expect(d.attacks.membership!.attacks[0]!.roc.fpr.length).toBeGreaterThan(2);
    expect(d.attacks.dcr!.train!.median).toBeGreaterThanOrEqual(0);
    expect(d.attacks.attribute.length).toBeGreaterThan(0);
    expect(d.utility.scores).toHaveLength(4);
    expect(d.privacy).toMatchObject({ differentiallyPrivate: true });
    expect(d.metrics.map((m) => m.name)).toContain('singling_out');
  });

  it('shows hostile category and column names only escaped', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    for (const v of [...HOSTILE, HOSTILE_COLUMN]) {
      expect(page).not.toContain(v);
      expect(page).toContain(esc(v));
    }
    expect(page).toContain('population &lt;b&gt;fixture&lt;/b&gt;');
    // No event-handler attribute on any tag (the hostile values try to add onerror/onload).
    const attrs = attributes(page);
    expect(attrs.length).toBeGreaterThan(1000);
    for (const a of attrs) expect(a.name).not.toMatch(/^on/);
  });

  it('references nothing outside the page', () => {
    assertNoExternalResources(page);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
  });

  it('has the expected sections, verdict badges and plots', () => {
    for (const id of ['summary', 'privacy-guarantee', 'fidelity', 'utility', 'attacks', 'warnings', 'definitions']) expect(page).toContain(`<section id="${id}"`);
    expect(page).toMatch(/class="badge badge-(pass|warn|fail|not_evaluated)"/);
    expect(page).toContain('Privacy ledger');
    expect(page).toContain('dp-sgd:vae');
    expect(page).not.toContain('NOT differentially private');
    expect(page).toContain('@media print');
    expect(withoutZeros(plotCounts(page))).toEqual(withoutZeros(expectedPlots(c.data)));
    expect(plotCounts(page)).toEqual({ histogram: 3, categories: 2, 'column-scores': 1, heatmap: 6, utility: 1, roc: 1, dcr: 1, 'attribute-risk': 1, 'singling-out': 1 });
  });

  it('makes a model without DP impossible to miss', () => {
    const notDp = renderReportHtml(buildReportData({ ...c, dataset: c.data.dataset, evaluation: c.data.evaluation, privacy: NOT_DP_SECTION, createdAt: c.data.createdAt }));
    expect(notDp).toContain('class="guarantee notdp" role="alert"');
    expect(notDp.match(/NOT differentially private/g)!.length).toBeGreaterThanOrEqual(2);
    expect(notDp).not.toContain('Privacy ledger');
  });

  it('writes report.json and report.html atomically, leaving no temp file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-report-'));
    try {
      const files = await writeReport(path.join(dir, 'run'), c.data);
      expect(JSON.parse(readFileSync(files.json, 'utf8'))).toEqual(c.data);
      expect(readFileSync(files.html, 'utf8')).toBe(page);
      expect(readdirSync(path.join(dir, 'run')).sort()).toEqual(['report.html', 'report.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report without models or target', () => {
  it('renders with utility and detection marked as not evaluated, and only the plots it has data for', () => {
    const train = population(200, 4);
    const synthetic = population(150, 5);
    const metadata = populationMetadata();
    const evaluation = evaluate({ train, holdout: population(100, 6), synthetic, metadata, seed: 2, settings: { skipModels: true, bootstrapRounds: 20 } });
    const data = buildReportData({ dataset: { name: 'p', file: 'p.csv', rows: 300, columns: 6 }, train, synthetic, metadata, evaluation, privacy: NOT_DP_SECTION, createdAt: CREATED_AT });
    expect(data.utility).toMatchObject({ target: null, scores: [], gap: null });
    expect(data.fidelity.detection.auc).toBeNull();
    expect(data.run).toBeNull();
    const page = renderReportHtml(data);
    expect(page).toContain('ML utility needs a target column');
    expect(page).toContain('Detection was not evaluated');
    expect(page).toContain('badge-not_evaluated');
    expect(plotCounts(page)).toEqual(withoutZeros(expectedPlots(data)));
    expect(plotCounts(page).utility).toBeUndefined();
    assertNoExternalResources(page);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });
});

describe.skipIf(!ADULT_PRESENT)(`report on UCI Adult (${ADULT_PRESENT ? 'present' : ADULT_SKIP_REASON})`, () => {
  let c: ReportCase;
  let page: string;
  beforeAll(async () => {
    c = await adultReport();
    page = renderReportHtml(c.data);
  }, 180_000);

  it('has a plot per column, both matrices, the attacks, and no raw hostile value', () => {
    const d = c.data;
    expect(d.fidelity.histograms).toHaveLength(15);
    expect(d.fidelity.correlations!.columns).toHaveLength(6);
    expect(d.fidelity.cramersV!.columns).toHaveLength(9);
    const occ = d.fidelity.histograms.find((h) => h.column === 'occupation') as { categories: string[] };
    for (const v of HOSTILE) expect(occ.categories).toContain(v);
    expect(plotCounts(page)).toEqual(withoutZeros(expectedPlots(d)));
    expect(plotCounts(page)).toMatchObject({ histogram: 6, categories: 9, heatmap: 6, roc: 1 });
    expect(page).not.toMatch(/<script/i);
    for (const v of HOSTILE) expect(page).not.toContain(v);
    assertNoExternalResources(page);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
