/**
 * renderReportHtml(): one self-contained HTML page from ReportData: inline CSS (with a print
 * stylesheet), inline SVG plots, no script, no external resource of any kind, and a
 * Content-Security-Policy that forbids them anyway (default-src 'none').
 *
 *   header + summary (dataset, privacy guarantee, verdict badges, key numbers)
 *   privacy guarantee (ledger, DP-SGD training)      fidelity (column scores, histograms, heatmaps)
 *   ML utility (TSTR vs TRTR)                        privacy attacks (ROC, DCR, attribute, singling out)
 *   warnings                                          definitions and thresholds
 *
 * Every data value passes through `html`/`esc` (src/report/html.ts). Each plot's <svg> carries
 * data-plot="<kind>": histogram, categories, column-scores, heatmap, utility, roc, dcr,
 * attribute-risk, singling-out.
 */
import type { Criterion, Verdict } from '../evaluation/types.js';
import { html, join, raw, type Html } from './html.js';
import type { AssociationMatrices, CategoricalHistogram, ColumnHistogram, NumericHistogram, ReportData } from './types.js';
import { COLORS, fmtDate, fmtFixed, fmtNum, fmtPct } from './svg/common.js';
import { histogram } from './svg/histogram.js';
import { bars } from './svg/bars.js';
import { heatmap } from './svg/heatmap.js';
import { rocPlot } from './svg/roc.js';
import { intervals } from './svg/intervals.js';
import { boxes } from './svg/boxes.js';
import { HISTOGRAM_BINS, MAX_HTML_HISTOGRAMS, MAX_MATRIX_COLUMNS, TOP_CATEGORIES } from './buildReport.js';
import { formatEpsilon } from '../evaluation/verdicts.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const AREA_TITLES = { fidelity: 'Fidelity', utility: 'ML utility', privacy: 'Privacy' } as const;

/** Render the report page. Pure; the output depends only on `data`. */
export function renderReportHtml(data: ReportData): string {
  const title = `privsynth report: ${data.dataset.name}`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="privsynth report v${data.version}">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header class="top">
<div class="wrap">
<p class="brand">privsynth · synthetic data report</p>
<h1>${data.dataset.name}</h1>
<p class="meta">Generated ${data.createdAt} · report format ${data.kind} v${data.version}</p>
<nav aria-label="Sections"><ul>
<li><a href="#summary">Summary</a></li><li><a href="#columns">Columns</a></li><li><a href="#privacy-guarantee">Privacy guarantee</a></li><li><a href="#fidelity">Fidelity</a></li><li><a href="#utility">ML utility</a></li><li><a href="#attacks">Privacy attacks</a></li><li><a href="#warnings">Warnings</a></li><li><a href="#definitions">Definitions</a></li>
</ul></nav>
</div>
</header>
<main id="main" class="wrap">
${summarySection(data)}
${columnsSection(data)}
${privacySection(data)}
${fidelitySection(data)}
${utilitySection(data)}
${attacksSection(data)}
${warningsSection(data)}
${definitionsSection(data)}
</main>
<footer class="wrap foot">${footer(data)}</footer>
</body>
</html>
`;
  return page.value;
}

// ---------------------------------------------------------------- pieces

const VERDICT_TEXT: Record<Verdict, string> = { pass: 'PASS', warn: 'WARN', inconclusive: 'INCONCLUSIVE', fail: 'FAIL', not_evaluated: 'NOT EVALUATED' };
const VERDICT_ICON: Record<Verdict, string> = { pass: '✓', warn: '!', inconclusive: '?', fail: '✕', not_evaluated: '–' };

function badge(v: Verdict): Html {
  return html`<span class="badge badge-${v}"><span aria-hidden="true">${VERDICT_ICON[v]}</span> ${VERDICT_TEXT[v]}</span>`;
}

function section(id: string, heading: string, intro: Html | string, body: Html): Html {
  return html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${heading}</h2>${intro ? html`<p class="intro">${intro}</p>` : ''}${body}</section>`;
}

function figure(plot: Html, caption: Html | string, cls = ''): Html {
  return html`<figure class="fig ${cls}">${plot}<figcaption>${caption}</figcaption></figure>`;
}

function tile(label: string, value: string, note: Html | string = ''): Html {
  return html`<div class="tile"><div class="tile-label">${label}</div><div class="tile-value">${value}</div>${note ? html`<div class="tile-note">${note}</div>` : ''}</div>`;
}

function dl(rows: [string, Html | string | number][]): Html {
  return html`<dl class="facts">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${typeof v === 'number' ? fmtCount(v) : v}</dd></div>`)}</dl>`;
}

/** Epsilon for people (3 significant digits, exponent past 1e4): never "2.5e+290G". */
function fmtEps(e: number | null | undefined): string {
  return e === null || e === undefined ? '—' : formatEpsilon(e);
}

function fmtCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');
}

function fmtDelta(d: number | null | undefined): string {
  return d === null || d === undefined || !Number.isFinite(d) ? '—' : d === 0 ? '0' : d.toExponential(1);
}

/** The manifest's warning without its leading "NOT differentially private:" (the heading already says it). */
function warningBody(w: string): string {
  const rest = w.replace(/^\s*NOT differentially private\s*[:.]?\s*/i, '');
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : w;
}

function worstCriterion(criteria: Criterion[]): Criterion | null {
  const order: Verdict[] = ['fail', 'inconclusive', 'warn', 'pass', 'not_evaluated'];
  for (const v of order) {
    const c = criteria.find((x) => x.verdict === v);
    if (c) return c;
  }
  return null;
}

// ---------------------------------------------------------------- summary

function summarySection(d: ReportData): Html {
  const p = d.privacy;
  const guarantee =
    p.differentiallyPrivate
      ? html`<div class="guarantee dp" role="note"><div class="guarantee-title">Differentially private</div><div class="guarantee-value">ε = ${fmtEps(p.epsilon)}${p.epsilon === null ? ' (no finite guarantee)' : ''}, δ = ${fmtDelta(p.delta)}</div>${p.weakBudget ? html`<div class="guarantee-weak" role="alert"><strong>⚠ WEAK PRIVACY</strong>: this budget gives no meaningful protection (accepted with --allow-weak-privacy): ${p.weakBudget.join('; ')}.</div>` : ''}${publicNote(d)}<div class="guarantee-note">${p.accountant.toUpperCase()} accountant, add/remove-one-row adjacency${p.target ? html`; target ε = ${fmtEps(p.target.epsilon)}, δ = ${fmtDelta(p.target.delta)}` : ''}. The guarantee covers the model and everything sampled from it; the evaluation below reads the real data and is not itself private.</div></div>`
      : html`<div class="guarantee notdp" role="alert"><div class="guarantee-title"><span aria-hidden="true">⚠</span> NOT differentially private</div><div class="guarantee-note">${warningBody(p.warning)}</div></div>`;
  const areas = (['fidelity', 'utility', 'privacy'] as const).map((a) => {
    const v = d.verdicts[a];
    const worst = worstCriterion(v.criteria);
    const audit = a === 'privacy' ? v.audit : undefined;
    return html`<div class="verdict verdict-${v.verdict}"><div class="verdict-head"><h3>${AREA_TITLES[a]}</h3>${badge(v.verdict)}</div>${
      worst ? html`<p>${worst.name.replace(/_/g, ' ')}: <strong>${fmtFixed(worst.value, 3)}</strong>${worst.ci95 ? html` <span class="muted">95% CI ${fmtFixed(worst.ci95[0], 3)}–${fmtFixed(worst.ci95[1], 3)}</span>` : ''} <span class="muted">(warn ${worst.direction === 'above' ? '>' : '<'} ${fmtNum(worst.warn)}, fail ${worst.direction === 'above' ? '>' : '<'} ${fmtNum(worst.fail)})</span></p>` : html`<p class="muted">no criterion</p>`
    }${audit ? html`<p class="${audit.contradictsClaim ? 'audit-bug' : 'muted'}">${audit.contradictsClaim ? html`<strong>${audit.statement}</strong>` : html`Empirical ε ≥ <strong>${fmtEps(audit.empiricalEpsilonLowerBound)}</strong> (${fmtPct(audit.confidence, 0)} confidence)${audit.claimed ? html` vs claimed ε = ${fmtEps(audit.claimed.epsilon)}` : ' (no DP claim)'}`}</p>` : ''}</div>`;
  });
  const mia = d.attacks.membership?.attacks ?? [];
  const bestMia = mia.length ? mia.reduce((a, b) => (b.auc > a.auc ? b : a)) : null;
  const tiles = [
    tile('Quality score', fmtFixed(d.fidelity.qualityScore, 3), 'column shapes & pair trends; 1 = identical'),
    tile('Detection AUC', fmtFixed(d.fidelity.detection.auc, 3), 'real vs synthetic classifier; 0.5 ideal'),
    tile(d.utility.primary === 'r2' ? 'TSTR / TRTR R²' : 'TSTR / TRTR AUC', d.utility.bestTstr === null ? '—' : `${fmtFixed(d.utility.bestTstr, 3)} / ${fmtFixed(d.utility.bestTrtr, 3)}`, d.utility.target ? html`target “${d.utility.target}”` : 'no target column given'),
    tile('Membership-inference AUC', bestMia ? fmtFixed(bestMia.auc, 3) : '—', bestMia ? `95% CI ${fmtFixed(bestMia.aucCi95[0], 3)}–${fmtFixed(bestMia.aucCi95[1], 3)}; 0.5 ideal` : 'not evaluated'),
    tile('DCR share', fmtFixed(d.attacks.dcr?.share, 3), 'closer to train than holdout; 0.5 ideal'),
  ];
  const run = d.run;
  const facts: [string, Html | string | number][] = [
    ['Dataset', d.dataset.name],
    ['File', html`<code>${d.dataset.file}</code>`],
    ['Rows (input)', d.dataset.rows],
    ['Columns (input)', d.dataset.columns],
    ['Rows compared', html`train ${fmtCount(d.evaluation.rows.train)} · holdout ${fmtCount(d.evaluation.rows.holdout)} · synthetic ${fmtCount(d.evaluation.rows.synthetic)}`],
    ['Columns evaluated', d.evaluation.columns.evaluated.length],
  ];
  if (run) {
    facts.push(['Synthetic rows requested', run.rows], ['Seed', String(run.seed)]);
    if (run.holdoutFraction !== undefined) facts.push(['Holdout', fmtPct(run.holdoutFraction, 0)]);
    if (run.epsilon !== undefined) facts.push(['Requested budget', `ε = ${fmtEps(run.epsilon)}, δ = ${fmtDelta(run.delta)}`]);
  }
  return section(
    'summary',
    'Summary',
    '',
    html`<div class="card summary">${guarantee}<div class="verdicts">${areas}</div><div class="tiles">${tiles}</div>${dl(facts)}</div>`,
  );
}

// ---------------------------------------------------------------- privacy guarantee

function privacySection(d: ReportData): Html {
  const p = d.privacy;
  if (!p.differentiallyPrivate) {
    return section(
      'privacy-guarantee',
      'Privacy guarantee',
      '',
      html`<div class="card notdp-card"><p><strong>This model is NOT differentially private.</strong> ${warningBody(p.warning)}</p><p>There is no privacy ledger: no ε or δ bounds what the synthetic rows reveal about any person in the training data. The empirical attacks below can show a leak but cannot prove its absence. Do not release these synthetic rows as anonymous data; refit with a privacy budget (<code>--epsilon</code>, <code>--delta</code>).</p></div>`,
    );
  }
  const rows = p.entries.map((e) => {
    const params =
      e.mechanism === 'dp_sgd'
        ? `σ = ${fmtNum(e.sigma)}, q = ${fmtNum(e.q)}, steps = ${fmtCount(e.steps)}, clip = ${fmtNum(e.clipNorm)}`
        : `ρ = ${fmtNum(e.rho)}`;
    const share = p.epsilon && e.epsilonAttributed !== null ? e.epsilonAttributed / p.epsilon : null;
    return html`<tr><td><code>${e.label}</code></td><td>${e.mechanism}</td><td>${params}</td><td class="num">${e.deltaSpent ? fmtDelta(e.deltaSpent) : '—'}</td><td class="num">${fmtEps(e.epsilonAttributed)}</td><td class="num">${fmtPct(share)}</td></tr>`;
  });
  const t = p.training;
  const training = t
    ? dl([
        ['Noise multiplier σ', fmtNum(t.noiseMultiplier)],
        ['Sampling rate q', fmtNum(t.sampleRate)],
        ['Steps', fmtCount(t.steps)],
        ['Clipping norm', fmtNum(t.clipNorm)],
        ['Clipped gradients', fmtPct(t.clippedFraction)],
      ])
    : html``;
  return section(
    'privacy-guarantee',
    'Privacy guarantee',
    html`Every release that read the private table, composed with the ${p.accountant.toUpperCase()} accountant${p.bestOrder !== null ? html` (optimal order α = ${fmtNum(p.bestOrder)})` : ''}. “ε attributed” splits the total in proportion to each entry's Rényi divergence at that order: a bookkeeping convention, not a per-entry guarantee.`,
    html`<div class="card"><div class="tiles">${tile('Total ε', fmtEps(p.epsilon), p.epsilon === null ? 'no finite guarantee' : '')}${tile('Total δ', fmtDelta(p.delta))}${p.target ? tile('Target', `ε ${fmtEps(p.target.epsilon)}, δ ${fmtDelta(p.target.delta)}`) : ''}</div>
<div class="table-wrap"><table><caption>Privacy ledger</caption><thead><tr><th scope="col">Release</th><th scope="col">Mechanism</th><th scope="col">Parameters</th><th scope="col" class="num">δ spent</th><th scope="col" class="num">ε attributed</th><th scope="col" class="num">Share</th></tr></thead><tbody>${rows}</tbody><tfoot><tr><th scope="row" colspan="4">Total</th><td class="num">${fmtEps(p.epsilon)}</td><td class="num">100%</td></tr></tfoot></table></div>
${t ? html`<h3>DP-SGD training</h3>${training}` : ''}</div>`,
  );
}

// ---------------------------------------------------------------- fidelity

function histogramFigure(h: ColumnHistogram): Html {
  const score = h.score === null ? 'not scored' : `${h.metric} ${fmtFixed(h.score, 3)}`;
  const missing = h.missing.real > 0 || h.missing.synthetic > 0 ? ` · missing: real ${fmtPct(h.missing.real)}, synthetic ${fmtPct(h.missing.synthetic)}` : '';
  const cap = html`<strong>${h.column}</strong> <span class="muted">(${h.type})</span> · ${score}${missing}`;
  return figure(h.kind === 'numeric' ? numericPlot(h) : categoricalPlot(h), cap, `hist ${scoreClass(h.score)}`);
}

function scoreClass(s: number | null): string {
  return s === null ? '' : s < 0.6 ? 'score-fail' : s < 0.8 ? 'score-warn' : '';
}

function numericPlot(h: NumericHistogram): Html {
  const format = h.type === 'datetime' ? fmtDate : (v: number) => fmtNum(v);
  return histogram({
    label: `Histogram of ${h.column}: real vs synthetic shares of rows`,
    edges: h.edges,
    real: h.real,
    synthetic: h.synthetic,
    format,
    integers: h.binning === 'integers',
  });
}

function categoricalPlot(h: CategoricalHistogram): Html {
  const cats = [...h.categories];
  const real = [...h.real];
  const syn = [...h.synthetic];
  if (h.other) {
    cats.push(`⟨other: ${h.other.count} categories⟩`);
    real.push(h.other.real);
    syn.push(h.other.synthetic);
  }
  if (h.missing.real > 0 || h.missing.synthetic > 0) {
    cats.push('⟨missing⟩');
    real.push(h.missing.real);
    syn.push(h.missing.synthetic);
  }
  return bars({
    plot: 'categories',
    label: `Category shares of ${h.column}: real vs synthetic`,
    categories: cats,
    series: [
      { name: 'real', values: real, color: COLORS.real },
      { name: 'synthetic', values: syn, color: COLORS.synthetic },
    ],
    format: (v) => fmtPct(v, v < 0.1 ? 1 : 0),
  });
}

function matrixFigures(m: AssociationMatrices, name: string, measure: string, domain: [number, number]): Html {
  const diff = m.real.map((row, i) => row.map((v, j) => (v === null || m.synthetic[i]![j] === null ? null : m.synthetic[i]![j]! - v)));
  const scheme = domain[0] < 0 ? 'diverging' : 'sequential';
  const figs = [
    figure(heatmap({ label: `${name}, real data`, columns: m.columns, values: m.real, domain, scheme, legendTitle: measure }), html`<strong>Real</strong> (train)`),
    figure(heatmap({ label: `${name}, synthetic data`, columns: m.columns, values: m.synthetic, domain, scheme, legendTitle: measure }), html`<strong>Synthetic</strong>`),
    figure(heatmap({ label: `${name}, synthetic minus real`, columns: m.columns, values: diff, domain: [-0.5, 0.5], scheme: 'diverging', legendTitle: 'synthetic − real (clipped to ±0.5)' }), html`<strong>Difference</strong> synthetic − real`),
  ];
  const omitted = m.omitted.length ? html`<p class="muted">Left out to keep the plot readable (at most ${MAX_MATRIX_COLUMNS} columns): ${m.omitted.join(', ')}.</p>` : '';
  return html`<div class="grid3">${figs}</div>${omitted}`;
}

/** The columns beyond the plotted ones: name, type and score, one table row each. */
function unplottedTable(rest: ColumnHistogram[], total: number): Html {
  if (!rest.length) return html``;
  const rows = rest.map((h) => html`<tr><th scope="row"><code>${h.column}</code></th><td>${h.type}</td><td class="num">${fmtFixed(h.score, 3)}</td><td>${h.metric ?? '—'}</td></tr>`);
  return html`<p class="muted">The ${fmtCount(MAX_HTML_HISTOGRAMS)} worst-scoring of ${fmtCount(total)} columns are plotted; the other ${fmtCount(rest.length)} score better and are listed below. report.json holds every column's histogram (fidelity.histograms).</p>
<div class="table-wrap narrow"><table><caption>Columns not plotted (worst first)</caption><thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col" class="num">Score</th><th scope="col">Metric</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function fidelitySection(d: ReportData): Html {
  const f = d.fidelity;
  // worst first: the plotted columns are the worst-scoring ones; the rest get a table row (report.json has all)
  const plotted = f.histograms.slice(0, MAX_HTML_HISTOGRAMS);
  const unplotted = f.histograms.slice(MAX_HTML_HISTOGRAMS);
  const scored = plotted.filter((h) => h.score !== null);
  const scorePlot = scored.length
    ? figure(
        bars({
          plot: 'column-scores',
          label: 'Per-column similarity scores, worst first',
          categories: scored.map((h) => h.column),
          series: [{ name: 'score', values: scored.map((h) => h.score), color: COLORS.real }],
          domain: [0, 1],
          format: (v) => fmtFixed(v, 2),
          axisTitle: 'score (1 = identical marginal)',
          thresholds: [
            { value: 0.8, label: 'warn < 0.8', color: COLORS.warn },
            { value: 0.6, label: 'fail < 0.6', color: COLORS.fail },
          ],
          width: 560,
          labelWidth: 150,
          valueLabels: true,
        }),
        'Per-column score: 1 − KS statistic for numbers, 1 − total variation distance for categories. The thresholds shown are those of the overall quality score, for orientation.',
        'wide',
      )
    : html`<p class="muted">No column could be scored.</p>`;
  const detRows = f.detection.models.map((m) => html`<tr><td>${m.model}</td><td class="num">${fmtFixed(m.auc, 3)}</td></tr>`);
  const detection = f.detection.models.length
    ? html`<div class="table-wrap narrow"><table><caption>Detection: cross-validated ROC AUC telling real from synthetic rows (0.5 = indistinguishable)</caption><thead><tr><th scope="col">Classifier</th><th scope="col" class="num">AUC</th></tr></thead><tbody>${detRows}</tbody></table></div>`
    : html`<p class="muted">Detection was not evaluated.</p>`;
  const corr = f.correlations
    ? html`<h3>Correlations (Pearson r, numeric columns)</h3>${matrixFigures(f.correlations, 'Pearson correlation', 'Pearson r', [-1, 1])}`
    : html`<h3>Correlations</h3><p class="muted">Fewer than two numeric columns: no correlation matrix.</p>`;
  const cramer = f.cramersV
    ? html`<h3>Associations (Cramér's V, categorical columns)</h3>${matrixFigures(f.cramersV, "Cramér's V", "Cramér's V", [0, 1])}`
    : html`<h3>Associations between categories</h3><p class="muted">Fewer than two categorical columns: no Cramér's V matrix.</p>`;
  return section(
    'fidelity',
    'Fidelity',
    'How closely the synthetic table reproduces the real one: each column on its own, then pairs of columns.',
    html`<div class="tiles">${tile('Quality score', fmtFixed(f.qualityScore, 3), 'mean of the two below')}${tile('Column shapes', fmtFixed(f.columnShapes, 3))}${tile('Pair trends', fmtFixed(f.pairTrends, 3))}${tile('Detection AUC', fmtFixed(f.detection.auc, 3))}</div>
<div class="row">${scorePlot}${detection}</div>
<h3>Columns, worst first</h3>
<p class="muted">Bars: share of all rows. Numbers: ${HISTOGRAM_BINS} equal-width bins over the real data's 0.5%–99.5% range (values beyond fall in the end bins); integer columns get integer-aligned bins, one per value when they span at most ${HISTOGRAM_BINS} values. Categories: the ${TOP_CATEGORIES} most frequent real categories, the rest pooled.</p>
<div class="grid">${plotted.map(histogramFigure)}</div>
${unplottedTable(unplotted, f.histograms.length)}
${corr}
${cramer}`,
  );
}

// ---------------------------------------------------------------- utility

function utilitySection(d: ReportData): Html {
  const u = d.utility;
  if (!u.scores.length) {
    const why = u.target ? `ML utility was not computed for target “${u.target}” (see the warnings).` : 'ML utility needs a target column (--target); none was given.';
    return section('utility', 'ML utility', '', html`<div class="card"><p class="muted">${why}</p></div>`);
  }
  const models = [...new Set(u.scores.map((s) => s.model))];
  const val = (m: string, on: 'synthetic' | 'train') => u.scores.find((s) => s.model === m && s.trainedOn === on)?.value ?? null;
  const measure = u.primary === 'r2' ? 'R²' : 'ROC AUC';
  const plot = bars({
    plot: 'utility',
    label: `ML utility: ${measure} on the holdout, trained on synthetic (TSTR) vs on real (TRTR)`,
    categories: models,
    series: [
      { name: 'trained on synthetic (TSTR)', values: models.map((m) => val(m, 'synthetic')), color: COLORS.synthetic },
      { name: 'trained on real (TRTR)', values: models.map((m) => val(m, 'train')), color: COLORS.real },
    ],
    domain: [Math.min(0, ...u.scores.map((s) => s.value ?? 0)), 1],
    format: (v) => fmtFixed(v, 3),
    axisTitle: `${measure} on the holdout`,
    width: 560,
    labelWidth: 150,
    valueLabels: true,
  });
  const checked = u.scores.some((s) => s.withinSyntheticAuc !== null);
  const within = (s: ReportData['utility']['scores'][number]) =>
    checked ? html`<td class="num">${s.withinSyntheticAuc === null ? '' : `${fmtFixed(s.withinSyntheticAuc, 3)}${s.relationDetected ? '' : ' (no relation)'}`}</td>` : '';
  const rows = u.scores.map(
    (s) => html`<tr><td>${s.model}</td><td>${s.trainedOn === 'synthetic' ? 'synthetic (TSTR)' : 'real (TRTR)'}</td><td class="num">${fmtFixed(s.value, 3)}</td><td class="num">${fmtPct(s.accuracy)}</td>${within(s)}</tr>`,
  );
  const noRelation = u.noRelation
    ? html`<p class="muted">The synthetic table shows no relation between “${u.target}” and the other columns that a model can learn (the AUC on held-out synthetic rows is not significantly above 0.5). A model fitted to such data points in a random direction, so its AUC on the holdout is chance, however far from 0.5: the best TSTR AUC is reported as 0.5.</p>`
    : '';
  return section(
    'utility',
    'ML utility',
    html`Models trained on the synthetic table and on the real training table predict “${u.target}” (${u.task ?? ''}) on the holdout the synthesizer never saw. The gap is what training on synthetic data costs.`,
    html`<div class="tiles">${tile(`Best TSTR ${measure}`, fmtFixed(u.bestTstr, 3))}${tile(`Best TRTR ${measure}`, fmtFixed(u.bestTrtr, 3))}${tile('Gap (TRTR − TSTR)', fmtFixed(u.gap, 3), 'warn above 0.05, fail above 0.15')}</div>
<div class="row">${figure(plot, `${measure} of each model on the holdout.`, 'wide')}<div class="table-wrap narrow"><table><caption>Scores on the holdout</caption><thead><tr><th scope="col">Model</th><th scope="col">Trained on</th><th scope="col" class="num">${measure}</th><th scope="col" class="num">Accuracy</th>${checked ? html`<th scope="col" class="num">AUC within synthetic</th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div></div>${noRelation}`,
  );
}

// ---------------------------------------------------------------- attacks

function attacksSection(d: ReportData): Html {
  const a = d.attacks;
  const parts: Html[] = [];
  const th = d.verdicts.privacy.criteria;
  const crit = (name: string) => th.find((c) => c.name === name);

  if (a.membership && a.membership.attacks.length) {
    const styles = [
      { color: COLORS.real, dash: undefined },
      { color: COLORS.synthetic, dash: '7 3' },
      { color: COLORS.third, dash: '2 3' },
    ];
    const names: Record<string, string> = { distance: 'distance to closest synthetic row', density_ratio: 'density ratio (DOMIAS)' };
    const curves = a.membership.attacks.map((x, i) => ({ name: `${names[x.attack] ?? x.attack} · AUC ${fmtFixed(x.auc, 3)}`, fpr: x.roc.fpr, tpr: x.roc.tpr, ...styles[i % styles.length]! }));
    const rows = a.membership.attacks.map(
      (x) => html`<tr><td>${names[x.attack] ?? x.attack}</td><td class="num">${fmtFixed(x.auc, 3)}</td><td class="num">${fmtFixed(x.aucCi95[0], 3)} – ${fmtFixed(x.aucCi95[1], 3)}</td><td class="num">${fmtPct(x.tprAtFpr1pct)}</td><td class="num">${fmtPct(x.tprAtFpr01pct)}</td><td class="num">${fmtFixed(x.epsilonLowerBound, 2)}</td></tr>`,
    );
    const c = crit('mia_auc');
    const audit = d.verdicts.privacy.audit;
    parts.push(html`<h3>Membership inference</h3><p class="intro">Can an attacker who sees only the synthetic table tell the ${fmtCount(a.membership.members)} training rows used as targets from ${fmtCount(a.membership.nonMembers)} holdout rows? A curve on the diagonal means no better than guessing.${c ? html` Verdict ${badge(c.verdict)} on the 95% interval of the best AUC: fail only when the whole interval is above ${fmtNum(c.fail)}, inconclusive when it straddles ${fmtNum(c.fail)} (too few holdout rows to tell), warn above ${fmtNum(c.warn)}.` : ''}</p>${audit ? html`<p class="${audit.contradictsClaim ? 'audit-bug' : 'intro'}" ${audit.contradictsClaim ? raw('role="alert"') : ''}>${audit.contradictsClaim ? html`<strong>${audit.statement}</strong>` : html`Privacy audit: ${audit.statement}.`}</p>` : ''}
<div class="row">${figure(rocPlot({ label: 'ROC curves of the membership-inference attacks, with the chance diagonal', curves }), 'ROC curves of the attacks (members = positives).')}<div class="table-wrap narrow"><table><caption>Attacks</caption><thead><tr><th scope="col">Attack</th><th scope="col" class="num">AUC</th><th scope="col" class="num">95% CI</th><th scope="col" class="num">TPR @ 1% FPR</th><th scope="col" class="num">TPR @ 0.1% FPR</th><th scope="col" class="num">ε lower bound</th></tr></thead><tbody>${rows}</tbody></table><p class="muted small">ε lower bound: the privacy loss the attack's true and false positive rates prove at least (Clopper–Pearson, 95% simultaneously over the thresholds tried and both attacks; Jagielski et al. 2020, Nasr et al. 2021); compare with the ledger's ε. Above it, the DP claim would be false.</p></div></div>`);
  }

  if (a.dcr) {
    const rowsB: { label: string; summary: NonNullable<typeof a.dcr.train>; color: string }[] = [];
    if (a.dcr.train) rowsB.push({ label: 'to train rows', summary: a.dcr.train, color: COLORS.real });
    if (a.dcr.holdout) rowsB.push({ label: 'to holdout rows', summary: a.dcr.holdout, color: COLORS.third });
    const c = crit('dcr_share');
    const plot = rowsB.length
      ? figure(
          boxes({ plot: 'dcr', label: 'Distance to closest record of the synthetic rows: to train vs to holdout', rows: rowsB, axisTitle: 'Gower distance to the closest record', format: (v) => fmtFixed(v, 3) }),
          'Whiskers 5%–95%, box 25%–75%, thick line the median, dot the mean. Similar boxes mean synthetic rows are no closer to training rows than to unseen rows.',
          'wide',
        )
      : '';
    const ex = a.exactCopies;
    parts.push(html`<h3>Distance to closest record</h3><p class="intro">Share of synthetic rows closer to a training row than to a holdout row: <strong>${fmtFixed(a.dcr.share, 3)}</strong> (0.5 = no memorisation)${c ? html` ${badge(c.verdict)}` : ''}.</p>
<div class="row">${plot}${dl([
      ['Synthetic rows at distance 0 from train', fmtPct(a.dcr.zeroDistanceTrain, 2)],
      ['… from holdout (baseline)', fmtPct(a.dcr.zeroDistanceHoldout, 2)],
      ['Exact copies of train rows', ex ? fmtPct(ex.rate, 2) : '—'],
      ['Holdout rows that equal a train row (baseline)', ex ? fmtPct(ex.holdoutBaseline, 2) : '—'],
      ['Excess copies', ex ? fmtPct(ex.excess, 2) : '—'],
      ['Median NNDR (train / holdout)', a.nndr ? `${fmtFixed(a.nndr.train?.median, 3)} / ${fmtFixed(a.nndr.holdout?.median, 3)}` : '—'],
    ])}</div>`);
  }

  if (a.attribute.length) {
    const c = crit('attribute_inference_risk');
    const thresholds = c ? [{ value: c.warn, label: `warn > ${fmtNum(c.warn)}`, color: COLORS.warn }, { value: c.fail, label: `fail > ${fmtNum(c.fail)}`, color: COLORS.fail }] : [];
    const rows = a.attribute.map((s) => html`<tr><td>${s.secret}</td><td class="num">${fmtCount(s.attacks)}</td><td class="num">${fmtPct(s.successTrain)}</td><td class="num">${fmtPct(s.successHoldout)}</td><td class="num">${fmtFixed(s.risk, 3)}</td><td class="num">${fmtFixed(s.riskCi95[0], 3)} – ${fmtFixed(s.riskCi95[1], 3)}</td></tr>`);
    parts.push(html`<h3>Attribute inference</h3><p class="intro">An attacker knowing a person's other columns looks up the closest synthetic row and guesses the secret column. Risk = how much more often that works for people in the training data than for people outside it.${c ? html` ${badge(c.verdict)}` : ''}</p>
<div class="row">${figure(
      intervals({ plot: 'attribute-risk', label: 'Attribute-inference risk per secret column with 95% intervals', rows: a.attribute.map((s) => ({ label: s.secret, value: s.risk, lo: s.riskCi95[0], hi: s.riskCi95[1] })), domain: [0, Math.max(0.3, ...a.attribute.map((s) => s.riskCi95[1]))], format: (v) => fmtFixed(v, 2), axisTitle: 'risk (0 = nothing learned about training rows)', thresholds }),
      'Risk per secret column, 95% interval from the Wilson interval of the success rate on training rows.',
      'wide',
    )}</div><div class="table-wrap"><table><caption>Secrets attacked</caption><thead><tr><th scope="col">Secret column</th><th scope="col" class="num">Attacks</th><th scope="col" class="num">Success (train)</th><th scope="col" class="num">Success (holdout)</th><th scope="col" class="num">Risk</th><th scope="col" class="num">95% interval</th></tr></thead><tbody>${rows}</tbody></table></div>`);
  }

  if (a.singlingOut) {
    const s = a.singlingOut;
    const c = crit('singling_out_risk');
    const thresholds = c ? [{ value: c.warn, label: `warn > ${fmtNum(c.warn)}`, color: COLORS.warn }, { value: c.fail, label: `fail > ${fmtNum(c.fail)}`, color: COLORS.fail }] : [];
    parts.push(html`<h3>Singling out</h3><p class="intro">Predicates that single out one synthetic row (a unique value, the minimum or maximum of a column) are tried on the training rows and on as many holdout rows.${c ? html` ${badge(c.verdict)}` : ''}</p>
<div class="row">${figure(
      intervals({ plot: 'singling-out', label: 'Singling-out risk with 95% interval', rows: [{ label: 'univariate predicates', value: s.risk ?? 0, lo: s.riskCi95[0], hi: s.riskCi95[1] }], domain: [0, Math.max(0.3, s.riskCi95[1])], format: (v) => fmtFixed(v, 2), axisTitle: 'risk', thresholds }),
      'Singling-out risk and its 95% interval.',
      'wide',
    )}${dl([
      ['Predicates tried', s.attacks],
      ['Success on train', fmtPct(s.successTrain)],
      ['Success on holdout', fmtPct(s.successHoldout)],
      ['Risk', `${fmtFixed(s.risk, 3)} (95% ${fmtFixed(s.riskCi95[0], 3)} – ${fmtFixed(s.riskCi95[1], 3)})`],
    ])}</div>`);
  }
  if (!parts.length) parts.push(html`<p class="muted">No privacy attack was evaluated.</p>`);
  return section(
    'attacks',
    'Privacy attacks',
    'Empirical attacks on the synthetic table. They can reveal a leak; passing them does not prove privacy. Only the differential-privacy guarantee above bounds the risk for every person.',
    join(parts),
  );
}

// ---------------------------------------------------------------- warnings, definitions, footer

const FATE_TEXT = { kept: 'kept', dropped: 'dropped', surrogate: 'surrogate', text: 'text', not_in_schema: 'not in schema' } as const;

/** Every input column and what happened to it. */
function columnsSection(d: ReportData): Html {
  const cols = d.columns ?? [];
  if (!cols.length) return html``;
  const rows = cols.map(
    (c) => html`<tr><th scope="row"><code>${c.name}</code></th><td>${c.type}</td><td>${FATE_TEXT[c.fate]}</td><td class="num">${c.junkCells ? fmtCount(c.junkCells) : '0'}</td><td>${c.publicDeclared ? html`<strong>declared public</strong>${c.declared ? ` (${c.declared})` : ''}` : '—'}</td><td>${c.reason}</td></tr>`,
  );
  const kept = cols.filter((c) => c.fate === 'kept').length;
  return section(
    'columns',
    'Columns',
    `All ${fmtCount(cols.length)} input columns and what happened to each (${fmtCount(kept)} modelled). Junk cells are cells that were not values of the column's type and were treated as missing.`,
    html`<div class="table-wrap"><table><caption>Column fates</caption><thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col">Fate</th><th scope="col" class="num">Junk cells</th><th scope="col">Public declaration</th><th scope="col">Why / what it means</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

/** Under DP: columns whose bounds/categories were declared public (outside the epsilon claim). */
function publicNote(d: ReportData): Html {
  const pub = (d.columns ?? []).filter((c) => c.publicDeclared);
  if (!pub.length) return html``;
  return html`<div class="guarantee-weak">Bounds/categories of ${pub.length} column${pub.length === 1 ? '' : 's'} were <strong>declared public</strong> in the schema and used without spending ε: ${pub.map((c) => c.name).join(', ')}. The ε above covers them only if those values really are public knowledge, not read from this data.</div>`;
}

function warningsSection(d: ReportData): Html {
  const ws = d.warnings;
  const list = ws.length
    ? html`<ul class="warnings">${ws.map((w) => html`<li><code>${w.code}</code> ${w.message}</li>`)}</ul>`
    : html`<p class="muted">None.</p>`;
  const limits = d.limits ?? [];
  const cut = limits.length
    ? html`<h3>Listed in part</h3><p class="muted">To keep the report's size linear in the columns, these lists are cut; every entry still counts in the scores and verdicts.</p>
<div class="table-wrap"><table><caption>What the report lists only in part</caption><thead><tr><th scope="col">Where</th><th scope="col" class="num">Listed</th><th scope="col" class="num">Of</th><th scope="col">Which</th></tr></thead><tbody>${limits.map((l) => html`<tr><td><code>${l.path}</code></td><td class="num">${fmtCount(l.kept)}</td><td class="num">${fmtCount(l.total)}</td><td>${l.rule}</td></tr>`)}</tbody></table></div>`
    : html``;
  const body = html`${list}${cut}`;
  return section('warnings', 'Warnings', ws.length ? 'What the evaluation could not do or did differently; read these before trusting a number.' : '', body);
}

const GOAL_TEXT = { maximize: 'higher is better', minimize: 'lower is better', target: 'closer to the ideal is better' } as const;

function definitionsSection(d: ReportData): Html {
  const metricRows = d.metrics.map(
    (m) => html`<tr><th scope="row"><code>${m.name}</code></th><td>${m.kind}</td><td>${m.description}</td><td>${GOAL_TEXT[m.goal]}${m.ideal !== undefined ? html` (ideal ${fmtNum(m.ideal)})` : ''}; range ${fmtNum(m.range[0])} to ${fmtNum(m.range[1])}</td><td class="num">${m.computed ? fmtFixed(m.value, 3) : html`<span class="muted">not run</span>`}</td></tr>`,
  );
  const critRows = (['fidelity', 'utility', 'privacy'] as const).flatMap((a) =>
    d.verdicts[a].criteria.map(
      (c) => html`<tr><td>${AREA_TITLES[a]}</td><th scope="row"><code>${c.name}</code></th><td class="num">${fmtFixed(c.value, 3)}</td><td class="num">${c.direction === 'above' ? '>' : '<'} ${fmtNum(c.warn)}</td><td class="num">${c.direction === 'above' ? '>' : '<'} ${fmtNum(c.fail)}</td><td>${badge(c.verdict)}</td><td>${c.explanation}</td></tr>`,
    ),
  );
  return section(
    'definitions',
    'How each number is defined',
    'Each area takes the worst verdict of its criteria. The thresholds are rules of thumb, written out so that you can disagree with them.',
    html`<div class="table-wrap"><table><caption>Verdict criteria and thresholds</caption><thead><tr><th scope="col">Area</th><th scope="col">Criterion</th><th scope="col" class="num">Value</th><th scope="col" class="num">Warn if</th><th scope="col" class="num">Fail if</th><th scope="col">Verdict</th><th scope="col">Definition</th></tr></thead><tbody>${critRows}</tbody></table></div>
<div class="table-wrap"><table><caption>Metrics</caption><thead><tr><th scope="col">Metric</th><th scope="col">Kind</th><th scope="col">Definition</th><th scope="col">Reading</th><th scope="col" class="num">Value</th></tr></thead><tbody>${metricRows}</tbody></table></div>
<h3>Plots</h3><ul class="plain">
<li>Histograms: shares of all rows per bin; the bins come from the real data only, so synthetic values outside the real range land in the end bins.</li>
<li>Pearson r uses the rows where both values are present. Cramér's V (no bias correction) treats missing as a category and pools categories beyond the ${TOP_CATEGORIES} most frequent real ones. Grey cells are undefined (a constant column).</li>
<li>Real means the training rows the synthesizer learned from; the holdout is a sample of the same data it never saw.</li>
</ul>`,
  );
}

function footer(d: ReportData): Html {
  const timings = Object.entries(d.timings).filter(([, v]) => typeof v === 'number');
  const s = d.evaluation.settings;
  return html`<p>Evaluation seed ${String(d.evaluation.seed)} · evaluated ${d.evaluation.createdAt}${timings.length ? html` · timings: ${timings.map(([k, v]) => `${k} ${fmtNum(v)} s`).join(', ')}` : ''}</p><p class="muted small">Settings: ${Object.entries(s)
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join('/') : String(v)}`)
    .join(', ')}. Generated offline by privsynth; this page loads nothing from the network.</p>`;
}

// ---------------------------------------------------------------- style

const STYLE = `
:root{--ink:#1f2430;--muted:#5f6673;--line:#e3e6eb;--bg:#f6f7f9;--card:#fff;--accent:#0072B2;
--pass:#0a6b4a;--pass-bg:#e3f4ec;--warn:#7a4d00;--warn-bg:#fff1d0;--fail:#a1182c;--fail-bg:#fde6ea;--na:#4b5563;--na-bg:#eceef1}
*{box-sizing:border-box}
html{font-size:15px}
body{margin:0;color:var(--ink);background:var(--bg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;-webkit-font-smoothing:antialiased}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:9}
.top{background:#17202e;color:#fff;padding:22px 0 0}
.top .brand{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:.78rem;color:#b8c2d3}
.top h1{margin:4px 0 2px;font-size:1.9rem;font-weight:650;overflow-wrap:anywhere}
.top .meta{margin:0 0 14px;color:#b8c2d3;font-size:.85rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:2px}
nav a{display:block;color:#dfe6f1;text-decoration:none;padding:8px 12px;border-bottom:3px solid transparent;font-size:.9rem}
nav a:hover,nav a:focus{color:#fff;border-bottom-color:#56B4E9}
main{padding-bottom:32px}
section{margin-top:34px}
h2{font-size:1.4rem;margin:0 0 6px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:1.08rem;margin:26px 0 6px}
.intro{color:var(--muted);max-width:78ch;margin:4px 0 14px}
.muted{color:var(--muted)}.small{font-size:.82rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:#eef0f4;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.guarantee{border-radius:8px;padding:14px 18px;margin-bottom:18px}
.guarantee-title{font-weight:700;font-size:1.1rem}
.guarantee-value{font-size:1.5rem;font-weight:650;font-variant-numeric:tabular-nums}
.guarantee-note{margin-top:4px;max-width:90ch}
.guarantee.dp{background:#e6f1f9;border:1px solid #9cc7e4;color:#0b3a5c}
.guarantee.notdp{background:var(--fail-bg);border:2px solid var(--fail);color:var(--fail)}
.guarantee.notdp .guarantee-title{font-size:1.35rem;letter-spacing:.02em}
.notdp-card{border:2px solid var(--fail);background:var(--fail-bg)}
.verdicts{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:12px;margin-bottom:16px}
.verdict{border:1px solid var(--line);border-left-width:5px;border-radius:8px;padding:10px 14px;background:#fff}
.verdict-pass{border-left-color:var(--pass)}.verdict-warn{border-left-color:#E69F00}.verdict-fail{border-left-color:var(--fail)}.verdict-not_evaluated{border-left-color:#9aa1ac}
.verdict-head{display:flex;align-items:center;justify-content:space-between;gap:8px}
.verdict h3{margin:0;font-size:1rem}
.verdict p{margin:6px 0 0;font-size:.88rem}
.badge{display:inline-block;font-size:.72rem;font-weight:700;letter-spacing:.05em;padding:2px 8px;border-radius:999px;white-space:nowrap;border:1px solid currentColor;vertical-align:middle}
.badge-inconclusive{color:var(--na);background:var(--warn-bg)}.verdict-inconclusive{border-left-color:#9aa1ac}.audit-bug{color:var(--fail);background:var(--fail-bg);border:2px solid var(--fail);padding:6px 10px;border-radius:6px}.guarantee-weak{margin-top:6px;padding:6px 10px;border-radius:6px;background:var(--warn-bg);color:var(--warn);font-size:.9rem}
.badge-pass{color:var(--pass);background:var(--pass-bg)}.badge-warn{color:var(--warn);background:var(--warn-bg)}.badge-fail{color:var(--fail);background:var(--fail-bg)}.badge-not_evaluated{color:var(--na);background:var(--na-bg)}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px;margin:10px 0 16px}
.tile{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.tile-label{font-size:.82rem;color:var(--muted);font-weight:600} /* no uppercase: it would turn ε into Ε */
.tile-value{font-size:1.45rem;font-weight:650;font-variant-numeric:tabular-nums}
.tile-note{font-size:.8rem;color:var(--muted)}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:6px 20px;margin:8px 0 0}
.facts div{display:flex;justify-content:space-between;gap:12px;border-bottom:1px dotted var(--line);padding:3px 0}
.facts dt{color:var(--muted)}.facts dd{margin:0;text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
.row>.facts{flex:1 1 300px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:14px;align-items:start}
.grid3{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:14px;align-items:start}
.fig{margin:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 10px 8px;break-inside:avoid;page-break-inside:avoid}
.fig.wide{flex:1 1 520px}
.fig.score-warn{border-top:3px solid #E69F00}.fig.score-fail{border-top:3px solid var(--fail)}
.fig figcaption{font-size:.84rem;color:var(--muted);margin-top:4px;overflow-wrap:anywhere}
.fig figcaption strong{color:var(--ink)}
svg.plot{display:block;max-width:100%;height:auto;margin:0 auto}
.table-wrap{overflow-x:auto;margin:8px 0 14px}
.table-wrap.narrow{flex:1 1 380px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.88rem;border:1px solid var(--line);border-radius:8px}
caption{text-align:left;font-weight:600;padding:0 0 6px;color:var(--ink)}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:#f0f2f5;font-weight:600;font-size:.84rem;color:#3d4451}
tfoot th,tfoot td{font-weight:700;background:#f7f8fa}
th[scope=row] code{white-space:nowrap;overflow-wrap:normal}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.warnings{padding-left:20px}.warnings li{margin:3px 0}
ul.plain{padding-left:20px;color:var(--muted)}
.foot{border-top:1px solid var(--line);padding-top:12px;padding-bottom:30px;font-size:.85rem;color:var(--muted)}
a{color:var(--accent)}
.grid3 svg.plot{max-width:440px}
@media (max-width:900px){.grid3{grid-template-columns:1fr}}
@media print{
  @page{size:A4;margin:14mm}
  html{font-size:10.5pt}
  body{background:#fff}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .top{background:#fff;color:var(--ink);padding:0;border-bottom:2px solid var(--ink)}
  .top .brand,.top .meta{color:var(--muted)}
  nav,.skip{display:none}
  .wrap{max-width:none;padding:0}
  section{break-before:auto;margin-top:18px}
  #fidelity,#attacks,#definitions{break-before:page}
  h2,h3{break-after:avoid}
  .card,.tile,.fig,table{box-shadow:none}
  .grid{grid-template-columns:repeat(2,minmax(0,1fr))}
  .grid3{grid-template-columns:repeat(3,minmax(0,1fr))}
  .verdicts{grid-template-columns:repeat(3,minmax(0,1fr))}
  .tiles{grid-template-columns:repeat(auto-fit,minmax(120px,1fr))}
  tr,.fig,.verdict,.tile{break-inside:avoid}
  a{color:inherit;text-decoration:none}
}
`;
