/**
 * writeReport(): report.json (the ReportData, pretty-printed) and report.html (self-contained) in `dir`,
 * each written atomically (temp file beside it, then rename), so a reader never sees half a report.
 */
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import { renderReportHtml } from './renderHtml.js';
import type { ReportData } from './types.js';

export interface WrittenReport {
  json: string;
  html: string;
}

/**
 * Write report.json and report.html into `dir` (created if needed); replaces existing reports.
 * The HTML is rendered before anything is written, so a rendering error leaves `dir` untouched.
 */
export async function writeReport(dir: string, data: ReportData): Promise<WrittenReport> {
  const json = JSON.stringify(data, null, 2) + '\n';
  const page = renderReportHtml(data);
  await fs.mkdir(dir, { recursive: true });
  const files = { json: path.join(dir, 'report.json'), html: path.join(dir, 'report.html') };
  await writeFileAtomic(files.json, json);
  await writeFileAtomic(files.html, page);
  return files;
}
