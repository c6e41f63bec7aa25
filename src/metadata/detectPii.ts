/**
 * Flags likely direct identifiers / PII by column name and by value patterns.
 * Heuristics, not guarantees: the schema is for the user to confirm.
 */
import type { PiiFlag, PiiKind } from './Metadata.js';

const NAME_HINTS: [RegExp, PiiKind][] = [
  [/e-?mail/i, 'email'],
  [/phone|mobile|fax|tel(ephone)?\b/i, 'phone'],
  [/\b(ssn|social.?security|national.?id|nin|passport|tax.?id|nhs.?(no|number))\b/i, 'national_id'],
  [/iban|account.?(no|number)/i, 'iban'],
  [/card.?(no|num)|credit.?card|\bpan\b/i, 'card_number'],
  [/^(first|last|full|given|family|sur|patient|customer|client|person)?[_ .-]?name$|surname/i, 'person_name'],
  [/address|street|zip|postcode|postal/i, 'street_address'],
  [/\bip(_?addr(ess)?)?\b/i, 'ip_address'],
  [/(^|[_ .-])(id|uuid|guid|mrn|record.?(no|number))$|^id$/i, 'identifier'],
  // a person's or a case's number ("patient_nbr", "member_no", "encounter number"), not a count ("number_inpatient")
  [/(^|[_ .-])(patient|person|member|customer|client|subject|case|encounter|visit|admission|employee|user)[_ .-]?(nbr|no|num|number|key)$/i, 'identifier'],
];

const VALUE_PATTERNS: [RegExp, PiiKind][] = [
  [/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i, 'email'],
  [/^\d{3}-\d{2}-\d{4}$/, 'national_id'],
  [/^[A-Z]{2}\d{2}[A-Z0-9 ]{11,30}$/, 'iban'],
  [/^(?:\d[ -]?){13,19}$/, 'card_number'],
  [/^\+?\(?\d{1,4}\)?[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}$/, 'phone'],
  [/^\d{1,5}\s+([A-Z][a-z]+\s?){1,4}(St|Street|Ave|Avenue|Rd|Road|Blvd|Lane|Ln|Dr|Drive|Way|Court|Ct|Pl|Place)\.?$/i, 'street_address'],
  [/^(\d{1,3}\.){3}\d{1,3}$/, 'ip_address'],
  [/^[A-Z][a-z]+(\s[A-Z]\.)?\s[A-Z][a-z]+(-[A-Z][a-z]+)?$/, 'person_name'],
];

export function piiFromName(name: string): PiiFlag[] {
  const out: PiiFlag[] = [];
  for (const [re, kind] of NAME_HINTS) if (re.test(name)) out.push({ kind, evidence: 'name' });
  return out;
}

/** Pattern matches over a sample of non-missing string values; flags a kind when >= 50% match. */
export function piiFromValues(values: readonly string[]): PiiFlag[] {
  if (!values.length) return [];
  const out: PiiFlag[] = [];
  for (const [re, kind] of VALUE_PATTERNS) {
    let hits = 0;
    for (const v of values) if (re.test(v)) hits++;
    const rate = hits / values.length;
    if (rate >= 0.5) out.push({ kind, evidence: 'values', matchRate: Math.round(rate * 1000) / 1000 });
  }
  return out;
}

/** Kinds that identify a person directly: dropped by default. */
export const DIRECT_IDENTIFIER_KINDS: ReadonlySet<PiiKind> = new Set([
  'email', 'phone', 'national_id', 'iban', 'card_number', 'person_name', 'street_address', 'ip_address', 'identifier',
]);
