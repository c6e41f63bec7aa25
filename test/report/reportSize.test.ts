/**
 * Issue 17: report.json stays under 5x the synthetic file for wide tables (500 columns gave 98 MB for a
 * 0.77 MB synthetic file: every one of the 124,750 pairs listed three times, pretty-printed one number a
 * line). Here 200 columns (19,900 pairs) of 300 rows, the real evaluate(), buildReportData and the bytes
 * writeReport writes; the synthetic file is written by TableWriter as `run` writes it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, MAX_PAIR_DETAIL } from '../../src/evaluation/evaluate.js';
import { TableWriter } from '../../src/io/TableWriter.js';
import { buildReportData, MAX_HTML_HISTOGRAMS, MAX_MATRIX_COLUMNS } from '../../src/report/buildReport.js';
import { renderReportHtml } from '../../src/report/renderHtml.js';
import { reportJson } from '../../src/report/writeReport.js';
import type { ReportData } from '../../src/report/types.js';
import { wideTable } from '../evaluation/wideFixture.js';
import { NOT_DP_SECTION } from '../fixtures/report.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'privsynth-reportsize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report size on 200 columns', () => {
  const COLS = 200;
  let data: ReportData;
  let json: string;
  let syntheticBytes: number;
  beforeAll(async () => {
    const { table: train, metadata } = wideTable(300, COLS, 11);
    const holdout = wideTable(100, COLS, 12).table;
    const synthetic = wideTable(300, COLS, 13).table;
    const evaluation = evaluate({ train, holdout, synthetic, metadata, seed: 1, settings: { skipModels: true, bootstrapRounds: 20, attributeAttacks: 50, singlingOutAttacks: 50, miaMaxTargets: 100 } });
    data = buildReportData({ dataset: { name: 'wide', file: 'wide.csv', rows: 400, columns: COLS }, train, synthetic, metadata, evaluation, privacy: NOT_DP_SECTION, createdAt: '2025-01-01T00:00:00.000Z' });
    json = reportJson(data);
    const file = path.join(dir, 'synthetic.csv');
    const w = await TableWriter.open(file, metadata.columns);
    await w.write(synthetic);
    await w.commit();
    syntheticBytes = statSync(file).size;
  }, 120_000);

  it('report.json is under 5x the synthetic file and parses back to the report data', () => {
    const bytes = Buffer.byteLength(json);
    expect(syntheticBytes).toBeGreaterThan(100_000);
    expect(bytes, `report.json ${bytes} B for a ${syntheticBytes} B synthetic file`).toBeLessThan(5 * syntheticBytes);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(data)));
    // an array of numbers takes one line
    expect(json).toMatch(/"real": \[[0-9.e-]+(, [0-9.e-]+)+\]/);
  });

  it('keeps what a privacy officer reads: every column fate and histogram, the worst pairs, and says what it cut', () => {
    expect(data.columns).toHaveLength(COLS);
    expect(data.fidelity.histograms).toHaveLength(COLS);
    const total = (COLS * (COLS - 1)) / 2;
    expect(data.evaluation.quality.pairs).toHaveLength(MAX_PAIR_DETAIL);
    expect(data.evaluation.quality.pairsTotal).toBe(total);
    const paths = data.limits.map((l) => l.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'evaluation.quality.pairs',
        'evaluation.metrics.contingency_similarity.details.pairs',
        'evaluation.metrics.correlation_similarity.details.pairs',
        'fidelity.correlations.columns',
        'fidelity.cramersV.columns',
        'report.html histograms',
      ]),
    );
    expect(data.limits.find((l) => l.path === 'fidelity.cramersV.columns')).toMatchObject({ kept: MAX_MATRIX_COLUMNS, total: COLS / 2 });
    expect(data.limits.find((l) => l.path === 'report.html histograms')).toMatchObject({ kept: MAX_HTML_HISTOGRAMS, total: COLS });
  });

  it(`report.html plots the ${MAX_HTML_HISTOGRAMS} worst columns, lists the others and the cuts, and stays under 5x the synthetic file`, () => {
    const page = renderReportHtml(data);
    expect(Buffer.byteLength(page)).toBeLessThan(5 * syntheticBytes);
    expect((page.match(/<figure class="fig hist /g) ?? []).length).toBe(MAX_HTML_HISTOGRAMS);
    expect(page).toContain('Columns not plotted (worst first)');
    expect(page).toContain('What the report lists only in part');
    // the plotted ones are the worst: the best plotted score is no better than any unplotted one
    const plotted = data.fidelity.histograms.slice(0, MAX_HTML_HISTOGRAMS).map((h) => h.score ?? 1);
    const rest = data.fidelity.histograms.slice(MAX_HTML_HISTOGRAMS).map((h) => h.score ?? 1);
    expect(Math.max(...plotted)).toBeLessThanOrEqual(Math.min(...rest));
  });
});
