import { describe, expect, it } from 'vitest';
import { jsonSchemaFor, parseGenerated, schemaViolation, DEFAULT_TEXT_MAX_LENGTH } from '../../src/text/jsonSchemaFor.js';
import { SchemaError } from '../../src/errors.js';
import type { ColumnSpec } from '../../src/metadata/Metadata.js';

const col = (text?: ColumnSpec['text']): ColumnSpec => ({ name: 'note', type: 'text', action: 'keep', nullable: true, text });

describe('jsonSchemaFor', () => {
  it('plain text: {text: string ≤ maxLength}, required', () => {
    const vs = jsonSchemaFor(col({ maxLength: 80 }));
    expect(vs).toEqual({
      kind: 'text',
      maxLength: 80,
      schema: { type: 'object', properties: { text: { type: 'string', maxLength: 80 } }, required: ['text'] },
    });
    expect(jsonSchemaFor(col()).maxLength).toBe(DEFAULT_TEXT_MAX_LENGTH);
  });

  it('rejects a maxLength that is not a positive integer', () => {
    expect(() => jsonSchemaFor(col({ maxLength: 0 }))).toThrow(SchemaError);
    expect(() => jsonSchemaFor(col({ maxLength: 2.5 }))).toThrow(/positive integer/);
  });

  it('a declared object schema (argument or text.jsonSchema) is used as is', () => {
    const schema = { type: 'object', properties: { summary: { type: 'string', maxLength: 40 }, severity: { enum: ['low', 'high'] } }, required: ['summary', 'severity'] };
    expect(jsonSchemaFor(col(), schema)).toEqual({ kind: 'object', schema });
    expect(jsonSchemaFor(col({ jsonSchema: schema } as never)).kind).toBe('object');
  });

  it('refuses declared schemas that are not objects or use unsupported keywords', () => {
    expect(() => jsonSchemaFor(col(), { type: 'string' })).toThrow(/top level must be/);
    expect(() => jsonSchemaFor(col(), { type: 'object', properties: { a: { $ref: '#/$defs/x' } } })).toThrow(/unsupported keyword "\$ref"/);
    expect(() => jsonSchemaFor(col(), { type: 'object', properties: { a: { type: 'date' } } })).toThrow(/unknown type/);
  });
});

describe('parseGenerated / schemaViolation', () => {
  const vs = jsonSchemaFor(col({ maxLength: 10 }));
  it('accepts valid output and returns the string as the cell', () => {
    expect(parseGenerated('{ "text": "Fine." }', vs)).toEqual({ ok: true, value: { text: 'Fine.' }, cell: 'Fine.' });
  });
  it('rejects output cut short, too long, or of the wrong shape', () => {
    expect(parseGenerated('{ "text": "Fine', vs).ok).toBe(false);
    expect(parseGenerated('{ "text": "01234567890" }', vs)).toMatchObject({ ok: false, reason: expect.stringMatching(/longer than 10/) });
    expect(parseGenerated('{ "txt": "a" }', vs)).toMatchObject({ ok: false, reason: expect.stringMatching(/text is missing/) });
    expect(parseGenerated('{ "text": 3 }', vs).ok).toBe(false);
  });
  it('counts characters as code points', () => {
    expect(parseGenerated(JSON.stringify({ text: '😀'.repeat(10) }), vs).ok).toBe(true);
  });
  it('object schemas: enum, nested, arrays; the cell is compact JSON', () => {
    const o = jsonSchemaFor(col(), {
      type: 'object',
      properties: { sev: { enum: ['low', 'high'] }, tags: { type: 'array', items: { type: 'string' }, maxItems: 2 } },
      required: ['sev'],
    });
    expect(parseGenerated('{"sev": "low", "tags": ["a"]}', o)).toMatchObject({ ok: true, cell: '{"sev":"low","tags":["a"]}' });
    expect(schemaViolation({ sev: 'mid' }, o.schema)).toMatch(/one of/);
    expect(schemaViolation({ sev: 'low', tags: ['a', 'b', 'c'] }, o.schema)).toMatch(/more than 2/);
    expect(schemaViolation({ sev: 'low', extra: 1 }, o.schema)).toMatch(/not allowed/);
  });
});
