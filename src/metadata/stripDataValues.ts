import type { ColumnSpec } from './Metadata.js';

/**
 * Columns not modelled (dropped, text, id) keep only their structure in a model's schema: name,
 * type, action, the PII kinds that flagged it (not the share of values that matched), and what the
 * user declared public.
 */
export function stripDataValues(c: ColumnSpec): ColumnSpec {
  const out: ColumnSpec = { name: c.name, type: c.type, action: c.action, nullable: true };
  if (c.pii?.length) out.pii = c.pii.map((p) => ({ kind: p.kind, evidence: p.evidence }));
  if (c.public) Object.assign(out, { public: true, categories: c.categories, min: c.min, max: c.max, decimals: c.decimals });
  if (c.format) out.format = c.format;
  if (c.description) out.description = c.description;
  if (c.text) out.text = c.text;
  return out;
}
