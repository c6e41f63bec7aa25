/**
 * The report in a real browser: Debian's chromium (/usr/bin/chromium) driven by playwright-core opens
 * report.html from disk and we check that it loads nothing, logs no error, fires no dialog (the hostile
 * category values and column name stay text), and that every plot renders with a non-zero size.
 * Saves full-page screenshots and the pages themselves to test-artifacts/ (gitignored) for a human to look at.
 * Skipped with a reason without chromium; the Adult case is skipped with a reason without the data.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { writeReport } from '../../src/report/writeReport.js';
import type { ReportData } from '../../src/report/types.js';
import { ROOT } from '../helpers.js';
import { ADULT_PRESENT, ADULT_SKIP_REASON, HOSTILE, NOT_DP_SECTION, adultReport, expectedPlots, smallReport } from '../fixtures/report.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const CHROMIUM_SKIP = `${CHROMIUM} is absent (install Debian's chromium: apt-get install -y chromium; .ci/run does it in CI)`;
const ARTIFACTS = path.join(ROOT, 'test-artifacts');

interface PageCheck {
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
  plots: { kind: string; width: number; height: number }[];
  handlers: string[];
  scripts: number;
  /** Visible text (innerText) and all text including SVG <title> tooltips (textContent). */
  text: string;
  allText: string;
}

async function openReport(browser: Browser, data: ReportData, screenshot: string): Promise<PageCheck> {
  const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-report-browser-'));
  try {
    const files = await writeReport(dir, data);
    const url = pathToFileURL(files.html).href;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const out: PageCheck = { consoleErrors: [], requests: [], dialogs: [], plots: [], handlers: [], scripts: 0, text: '', allText: '' };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') out.consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => out.consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => out.requests.push(r.url()));
    page.on('dialog', (d) => {
      out.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(300); // let any (unexpected) deferred handler fire
    const info = await page.evaluate(() => {
      const plots = [...document.querySelectorAll('svg[data-plot]')].map((s) => {
        const r = s.getBoundingClientRect();
        return { kind: s.getAttribute('data-plot') ?? '', width: r.width, height: r.height };
      });
      const handlers: string[] = [];
      for (const el of document.querySelectorAll('*')) for (const a of el.getAttributeNames()) if (a.toLowerCase().startsWith('on')) handlers.push(`${el.tagName} ${a}`);
      return { plots, handlers, scripts: document.scripts.length, text: document.body.innerText, allText: document.body.textContent ?? '' };
    });
    Object.assign(out, info);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, screenshot), fullPage: true });
    copyFileSync(files.html, path.join(ARTIFACTS, screenshot.replace(/\.png$/, '.html')));
    await context.close();
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function counts(plots: { kind: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of plots) out[p.kind] = (out[p.kind] ?? 0) + 1;
  return out;
}

function withoutZeros(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v > 0));
}

function expectCleanPage(c: PageCheck, data: ReportData, fileName: string): void {
  expect(c.consoleErrors).toEqual([]);
  expect(c.dialogs).toEqual([]);
  expect(c.handlers).toEqual([]);
  expect(c.scripts).toBe(0);
  // Only the report file itself is requested.
  expect(c.requests).toHaveLength(1);
  expect(c.requests[0]).toMatch(new RegExp(`^file://.*/${fileName}$`));
  expect(counts(c.plots)).toEqual(withoutZeros(expectedPlots(data)));
  for (const p of c.plots) {
    expect(p.width, `${p.kind} width`).toBeGreaterThan(50);
    expect(p.height, `${p.kind} height`).toBeGreaterThan(50);
  }
  // The hostile values show as text: whole in tooltips, at least their start on screen (long labels are shortened).
  for (const v of HOSTILE) {
    expect(c.allText).toContain(v);
    expect(c.text).toContain(v.slice(0, 12));
  }
}

describe.skipIf(!HAS_CHROMIUM)(`report in chromium (${HAS_CHROMIUM ? 'present' : CHROMIUM_SKIP})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('fixture report (DP and not DP): no request, no console error, no dialog, plots rendered', async () => {
    const dp = smallReport();
    expectCleanPage(await openReport(browser, dp.data, 'report-fixture.png'), dp.data, 'report.html');
    const notDp = smallReport(NOT_DP_SECTION);
    const c = await openReport(browser, notDp.data, 'report-fixture-notdp.png');
    expectCleanPage(c, notDp.data, 'report.html');
    expect(c.text).toContain('NOT differentially private');
  });

  it.skipIf(!ADULT_PRESENT)(`Adult report renders offline and saves test-artifacts/report.png${ADULT_PRESENT ? '' : ` (skipped: ${ADULT_SKIP_REASON})`}`, async () => {
    const { data } = await adultReport();
    const c = await openReport(browser, data, 'report.png');
    expectCleanPage(c, data, 'report.html');
    expect(c.plots.length).toBeGreaterThanOrEqual(15 + 6 + 5);
    expect(existsSync(path.join(ARTIFACTS, 'report.png'))).toBe(true);
  }, 180_000);
});
