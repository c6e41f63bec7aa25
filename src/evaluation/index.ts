/** Public API of the evaluation. */
export { evaluate, evaluateAsync } from './evaluate.js';
export { METRICS, metricDescriptor } from './metrics/index.js';
export { THRESHOLDS } from './verdicts.js';
export { formatSummary } from './summaryText.js';
export * from './types.js';
