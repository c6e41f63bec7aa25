/**
 * Property: any JSON document given to `validateMetadata` either comes back as a well-formed
 * Metadata or is refused with SchemaError / MultiError (of SchemaErrors) — never a TypeError from a
 * hostile value (e.g. an object whose "toString" is not a function), never prototype pollution.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MultiError, SchemaError } from '../../src/errors.js';
import { validateMetadata } from '../../src/metadata/validateMetadata.js';
import { COLUMN_TYPES, SCHEMA_KIND, SCHEMA_VERSION } from '../../src/metadata/Metadata.js';

const SEED = 777;

/** Build JSON text from entries so keys such as "__proto__" become own properties, as JSON.parse makes them. */
function objectText(entries: [string, string][]): string {
  return '{' + entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',') + '}';
}
const jsonText = (a: fc.Arbitrary<unknown>): fc.Arbitrary<string> => a.map((v) => JSON.stringify(v) ?? 'null');

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'toJSON', 'hasOwnProperty'];
const anyValueText = fc.oneof(
  jsonText(fc.jsonValue({ maxDepth: 2 })),
  fc.constantFrom('{"toString":1}', '{"valueOf":null,"toString":null}', '{"__proto__":{"polluted":true}}', '[{"toString":{}}]', '1e308', '-1e308', '-0', '""', '"2020-01-01"', '[]', '{}'),
);
const columnText = fc
  .array(
    fc.tuple(
      fc.constantFrom('name', 'type', 'action', 'categories', 'min', 'max', 'decimals', 'format', 'public', 'nullable', 'missingRate', 'pii', 'text', 'description', ...HOSTILE_KEYS),
      fc.oneof(
        { weight: 2, arbitrary: anyValueText },
        { weight: 2, arbitrary: jsonText(fc.constantFrom(...COLUMN_TYPES, 'keep', 'drop', 'surrogate', 'date', 'datetime', 'x', 'age', 'age', '', 0, 2, -1, 1.5, true, ['a', 'b'], ['a', 'b', 'c'], [1, 2])) },
      ),
    ),
    { maxLength: 8 },
  )
  .map(objectText);
const schemaText = fc.oneof(
  { weight: 1, arbitrary: jsonText(fc.jsonValue({ maxDepth: 4 })) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        kind: fc.oneof(jsonText(fc.constant(SCHEMA_KIND)), anyValueText),
        version: fc.oneof(jsonText(fc.constant(SCHEMA_VERSION)), anyValueText),
        columns: fc.oneof({ weight: 5, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: columnText }, { weight: 1, arbitrary: anyValueText }), { maxLength: 6 }).map((cs) => `[${cs.join(',')}]`) }, { weight: 1, arbitrary: anyValueText }),
        missingValues: anyValueText,
        trim: anyValueText,
        extra: fc.constantFrom(...HOSTILE_KEYS),
      })
      .chain((r) =>
        fc
          .subarray(['kind', 'version', 'columns', 'missingValues', 'trim', 'extra'] as const, { minLength: 0 })
          .map((keys) => objectText(keys.map((k) => (k === 'extra' ? [r.extra, '{"polluted":true}'] : [k, r[k]])))),
      ),
  },
);

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
});

describe('validateMetadata on arbitrary JSON', () => {
  it('returns a well-formed Metadata or throws SchemaError / MultiError', () => {
    let accepted = 0;
    fc.assert(
      fc.property(schemaText, (text) => {
        const doc: unknown = JSON.parse(text);
        let md;
        try {
          md = validateMetadata(doc, 'fuzz.json');
        } catch (e) {
          if (e instanceof MultiError) {
            expect(e.problems.length).toBeGreaterThan(1);
            for (const p of e.problems) expect(p).toBeInstanceOf(SchemaError);
          } else if (!(e instanceof SchemaError)) {
            throw new Error(`validateMetadata threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message} for ${text}`, { cause: e });
          }
          expect((e as SchemaError).exitCode).toBe(2);
          expect(() => (e as SchemaError).describe()).not.toThrow();
          return;
        }
        accepted++;
        expect(md.kind).toBe(SCHEMA_KIND);
        expect(md.version).toBe(SCHEMA_VERSION);
        expect(typeof md.trim).toBe('boolean');
        for (const v of md.missingValues) expect(typeof v).toBe('string');
        const names = new Set<string>();
        for (const c of md.columns) {
          expect(typeof c.name).toBe('string');
          expect(c.name).not.toBe('');
          expect(names.has(c.name)).toBe(false);
          names.add(c.name);
          expect(COLUMN_TYPES).toContain(c.type);
          expect(['keep', 'drop', 'surrogate']).toContain(c.action);
          expect(typeof c.nullable).toBe('boolean');
          if (c.categories !== undefined) for (const x of c.categories) expect(typeof x).toBe('string');
          if (c.decimals !== undefined) expect(Number.isSafeInteger(c.decimals) && c.decimals >= 0).toBe(true);
          if ((c.type === 'numeric' || c.type === 'integer') && c.min !== undefined) expect(Number.isFinite(c.min)).toBe(true);
        }
        expect(() => JSON.stringify(md)).not.toThrow();
      }),
      { seed: SEED, numRuns: 4000 },
    );
    expect(accepted, 'the generator also produces valid schemas').toBeGreaterThan(20);
  });
});
