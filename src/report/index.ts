/** The report: versioned JSON data (buildReportData), a self-contained HTML page (renderReportHtml), both written by writeReport. */
export { buildReportData, normalisePrivacy, type BuildReportInput, type PrivacySection } from './buildReport.js';
export { renderReportHtml } from './renderHtml.js';
export { writeReport, type WrittenReport } from './writeReport.js';
export { esc } from './html.js';
export * from './types.js';
