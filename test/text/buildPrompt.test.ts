import { describe, expect, it } from 'vitest';
import { buildPrompt, contextColumns, formatValue, NO_IDENTIFIERS_RULE } from '../../src/text/buildPrompt.js';
import { LlmError } from '../../src/errors.js';
import { findColumn } from '../../src/metadata/Metadata.js';
import { hospitalMetadata, PLANTED_NAME } from '../fixtures/hospital.js';

const md = hospitalMetadata();
const note = findColumn(md, 'note')!;
const row = { age: 47, sex: 'F', ward: 'oncology' };

function allText(p: ReturnType<typeof buildPrompt>): string {
  return [p.system, p.user, p.completion].join('\n');
}

describe('buildPrompt', () => {
  it("contains the row's synthetic values, the description and instructions, in every rendering", () => {
    const p = buildPrompt({ column: note, metadata: md, row, maxLength: 60 });
    for (const s of [p.user, p.completion]) {
      expect(s).toContain('- age: 47');
      expect(s).toContain('- sex: F');
      expect(s).toContain('- ward: oncology');
    }
    for (const s of [p.system, p.completion]) {
      expect(s).toContain('a short discharge note');
      expect(s).toContain('One sentence about how the stay went.');
      expect(s).toContain('"note"');
    }
    expect(p.context).toEqual([
      { column: 'age', value: '47' },
      { column: 'sex', value: 'F' },
      { column: 'ward', value: 'oncology' },
    ]);
  });

  it('states the negative instructions: mustNotContain, no names/ids/addresses, the length', () => {
    const p = buildPrompt({ column: note, metadata: md, row, maxLength: 60 });
    expect(p.system).toContain(NO_IDENTIFIERS_RULE);
    expect(NO_IDENTIFIERS_RULE).toMatch(/names/);
    expect(NO_IDENTIFIERS_RULE).toMatch(/addresses/);
    expect(NO_IDENTIFIERS_RULE).toMatch(/id numbers/);
    expect(p.system).toContain('Never use these words or phrases: "guaranteed cure".');
    expect(p.system).toContain('under 60 characters');
    expect(p.completion.trimEnd().endsWith('note (JSON):')).toBe(true);
  });

  it('uses the schema examples (as JSON values) and marks them as not real', () => {
    const p = buildPrompt({ column: note, metadata: md, row, maxLength: 60 });
    expect(p.examples).toEqual([{ text: 'Recovered well after a short stay.', source: 'schema' }]);
    expect(p.system).toContain('{"text":"Recovered well after a short stay."}');
    expect(p.usesRealExamples).toBe(false);
    expect(p.caveats).toEqual([]);
  });

  it('never shows text, identifier or dropped-PII columns of the row, even when the caller passes them', () => {
    const leaky = { ...row, name: PLANTED_NAME, patient_id: 'P-1017', note: 'real note: Kikuchi disease', email: 'z.q@example.org' };
    const p = buildPrompt({ column: note, metadata: md, row: leaky, maxLength: 60 });
    const text = allText(p);
    expect(text).not.toContain('Zebulon');
    expect(text).not.toContain('P-1017');
    expect(text).not.toContain('Kikuchi');
    expect(text).not.toContain('example.org'); // not in the schema: ignored
    expect(contextColumns(md).map((c) => c.name)).toEqual(['age', 'sex', 'ward']);
  });

  it('refuses real examples unless allowRealExamples is true', () => {
    const real = [`${PLANTED_NAME} developed Kikuchi disease.`];
    let err: unknown;
    try {
      buildPrompt({ column: note, metadata: md, row, maxLength: 60, realExamples: real });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).code).toBe('E_LLM');
    expect((err as LlmError).message).toMatch(/allowRealExamples/);
    expect(() => buildPrompt({ column: note, metadata: md, row, maxLength: 60, realExamples: real, allowRealExamples: false })).toThrow(LlmError);
  });

  it('with allowRealExamples: true includes them, flags a privacy caveat, and does not exempt their words from the leak guard', () => {
    const real = [`${PLANTED_NAME} developed Kikuchi disease.`];
    const p = buildPrompt({ column: note, metadata: md, row, maxLength: 60, realExamples: real, allowRealExamples: true });
    expect(p.system).toContain('Kikuchi');
    expect(p.usesRealExamples).toBe(true);
    expect(p.examples.map((e) => e.source)).toEqual(['schema', 'real']);
    expect(p.caveats.join(' ')).toMatch(/real text from the private table/);
    expect(p.suppliedTexts.join(' ')).not.toContain('Kikuchi');
    expect(p.suppliedTexts).toContain('oncology');
  });

  it('formats values: datetimes as dates, decimals, booleans, long strings cut, missing skipped', () => {
    expect(formatValue(Date.UTC(2024, 2, 5), { name: 'd', type: 'datetime', action: 'keep', nullable: true, format: 'date' })).toBe('2024-03-05');
    expect(formatValue(1.23456, { name: 'x', type: 'numeric', action: 'keep', nullable: true, decimals: 2 })).toBe('1.23');
    expect(formatValue(1 / 3, { name: 'x', type: 'numeric', action: 'keep', nullable: true })).toBe('0.333333');
    expect(formatValue(true, { name: 'b', type: 'boolean', action: 'keep', nullable: true })).toBe('yes');
    expect(formatValue('a\n  b', { name: 'c', type: 'categorical', action: 'keep', nullable: true })).toBe('a b');
    expect(formatValue('x'.repeat(500), { name: 'c', type: 'categorical', action: 'keep', nullable: true })!.length).toBe(120);
    const p = buildPrompt({ column: note, metadata: md, row: { age: null, sex: 'M', ward: '' }, maxLength: 60 });
    expect(p.context).toEqual([{ column: 'sex', value: 'M' }]);
  });

  it('is pure: same input, same prompt', () => {
    const a = buildPrompt({ column: note, metadata: md, row, maxLength: 60 });
    const b = buildPrompt({ column: note, metadata: md, row, maxLength: 60 });
    expect(a).toEqual(b);
  });
});
