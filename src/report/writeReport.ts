/**
 * writeReport(): report.json (the ReportData, pretty-printed by reportJson) and report.html
 * (self-contained) in `dir`, each written atomically (temp file beside it, then rename), so a reader never
 * sees half a report.
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
  const json = reportJson(data);
  const page = renderReportHtml(data);
  await fs.mkdir(dir, { recursive: true });
  const files = { json: path.join(dir, 'report.json'), html: path.join(dir, 'report.html') };
  await writeFileAtomic(files.json, json);
  await writeFileAtomic(files.html, page);
  return files;
}

/**
 * JSON indented by two spaces like JSON.stringify(x, null, 2), except that an array of numbers, strings,
 * booleans and nulls stays on one line: a histogram's 20 shares take one line instead of 20 (the indented
 * form was more than half whitespace). JSON.parse gives back what JSON.stringify would.
 */
export function reportJson(x: unknown): string {
  const INDENT = '  ';
  const leaf = (v: unknown): string => JSON.stringify(v) ?? 'null';
  const rec = (v: unknown, pad: string): string => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON: () => unknown }).toJSON();
    if (v === null || typeof v !== 'object') return leaf(v);
    const inner = pad + INDENT;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      if (v.every((e) => e === null || typeof e !== 'object')) return `[${v.map((e) => (typeof e === 'function' ? 'null' : leaf(e))).join(', ')}]`;
      return `[\n${v.map((e) => inner + (e === undefined || typeof e === 'function' ? 'null' : rec(e, inner))).join(',\n')}\n${pad}]`;
    }
    const entries = Object.entries(v).filter(([, e]) => e !== undefined && typeof e !== 'function');
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, e]) => `${inner}${JSON.stringify(k)}: ${rec(e, inner)}`).join(',\n')}\n${pad}}`;
  };
  return rec(x, '') + '\n';
}
