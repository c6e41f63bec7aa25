/**
 * The JSON schema a generated value must follow, the grammar node-llama-cpp constrains decoding
 * with, and the check every value passes before it goes into the table (grammar-constrained
 * decoding can still be cut short by `maxTokens`, so nothing is trusted unchecked).
 *
 * Two kinds:
 * - 'text' (default): `{type:'object', properties:{text:{type:'string', maxLength}}, required:['text']}`;
 *   the cell is the string.
 * - 'object': a user-declared object schema for structured text (e.g. `{diagnosis, severity}`);
 *   the cell is the value as compact JSON. Only the subset node-llama-cpp turns into a grammar is
 *   accepted (type, const, enum, oneOf, properties, required, additionalProperties, items,
 *   prefixItems, min/maxItems, min/maxLength, format, description); `$ref` is refused.
 */
import type { ColumnSpec } from '../metadata/Metadata.js';
import { SchemaError } from '../errors.js';
import * as msg from '../messages.js';

export const DEFAULT_TEXT_MAX_LENGTH = 200;

/** A JSON schema as a plain object (the subset described above). */
export type JsonSchema = { readonly [key: string]: unknown };

export interface TextValueSchema {
  kind: 'text' | 'object';
  /** The schema given to `createGrammarForJsonSchema`. Always an object schema. */
  schema: JsonSchema;
  /** Longest string for kind 'text' (characters). */
  maxLength?: number;
}

/** The column's declared object schema, if any: `text.jsonSchema` (an extension of TextColumnOptions). */
export function declaredJsonSchema(column: ColumnSpec): JsonSchema | undefined {
  const t = column.text as { jsonSchema?: unknown } | undefined;
  return t?.jsonSchema === undefined ? undefined : (t.jsonSchema as JsonSchema);
}

/**
 * The value schema for a text column.
 *
 * @param declared an object schema overriding the column's own (`text.jsonSchema`)
 * @throws SchemaError when maxLength is not a positive integer or the declared schema is not a supported object schema
 * @example jsonSchemaFor({name:'note', type:'text', action:'keep', nullable:true, text:{maxLength:80}}).schema
 *   // {type:'object', properties:{text:{type:'string', maxLength:80}}, required:['text']}
 */
export function jsonSchemaFor(column: ColumnSpec, declared?: JsonSchema): TextValueSchema {
  const user = declared ?? declaredJsonSchema(column);
  if (user !== undefined) {
    const problems: string[] = [];
    if (typeof user !== 'object' || user === null || Array.isArray(user) || user.type !== 'object') {
      problems.push('the top level must be {"type": "object", ...}');
    } else checkSupported(user, '$', problems);
    if (problems.length) {
      throw new SchemaError(msg.unusableJsonSchema(column.name, problems.slice(0, 10).join('; ')), {
        location: { column: column.name },
        hint: msg.HINT_OBJECT_SCHEMA,
      });
    }
    return { kind: 'object', schema: user };
  }
  const maxLength = column.text?.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new SchemaError(msg.textMaxLengthInvalid(column.name, maxLength), {
      location: { column: column.name },
    });
  }
  return {
    kind: 'text',
    schema: { type: 'object', properties: { text: { type: 'string', maxLength } }, required: ['text'] },
    maxLength,
  };
}

const SUPPORTED = new Set([
  'type', 'const', 'enum', 'oneOf', 'properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties',
  'items', 'prefixItems', 'minItems', 'maxItems', 'minLength', 'maxLength', 'format', 'description',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

function checkSupported(s: unknown, path: string, problems: string[]): void {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) {
    problems.push(`${path} is not a schema object`);
    return;
  }
  const o = s as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!SUPPORTED.has(k)) problems.push(`${path}: unsupported keyword "${k}"`);
  if (o.type !== undefined) {
    const ts = Array.isArray(o.type) ? o.type : [o.type];
    for (const t of ts) if (typeof t !== 'string' || !TYPES.has(t)) problems.push(`${path}: unknown type ${JSON.stringify(t)}`);
  }
  if (o.properties !== undefined) {
    if (typeof o.properties !== 'object' || o.properties === null) problems.push(`${path}.properties must be an object`);
    else for (const [k, v] of Object.entries(o.properties)) checkSupported(v, `${path}.${k}`, problems);
  }
  if (o.items !== undefined) checkSupported(o.items, `${path}[]`, problems);
  if (Array.isArray(o.prefixItems)) o.prefixItems.forEach((v, i) => checkSupported(v, `${path}[${i}]`, problems));
  if (Array.isArray(o.oneOf)) o.oneOf.forEach((v, i) => checkSupported(v, `${path}.oneOf[${i}]`, problems));
  if (typeof o.additionalProperties === 'object' && o.additionalProperties !== null) checkSupported(o.additionalProperties, `${path}.*`, problems);
}

/**
 * The first way `value` breaks `schema`, or null when it conforms (the subset above).
 */
export function schemaViolation(value: unknown, schema: JsonSchema, path = '$'): string | null {
  const s = schema as Record<string, any>;
  if ('const' in s && value !== s.const) return `${path} must be ${JSON.stringify(s.const)}`;
  if (Array.isArray(s.enum) && !s.enum.includes(value as never)) return `${path} must be one of ${JSON.stringify(s.enum)}`;
  if (Array.isArray(s.oneOf)) {
    if (!s.oneOf.some((sub: JsonSchema) => schemaViolation(value, sub, path) === null)) return `${path} matches none of oneOf`;
  }
  if (s.type !== undefined) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => hasType(value, t))) return `${path} must be of type ${types.join('|')}`;
  }
  if (typeof value === 'string') {
    const n = [...value].length;
    if (typeof s.maxLength === 'number' && n > s.maxLength) return `${path} is longer than ${s.maxLength} characters`;
    if (typeof s.minLength === 'number' && n < s.minLength) return `${path} is shorter than ${s.minLength} characters`;
  }
  if (Array.isArray(value)) {
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return `${path} has more than ${s.maxItems} items`;
    if (typeof s.minItems === 'number' && value.length < s.minItems) return `${path} has fewer than ${s.minItems} items`;
    for (let i = 0; i < value.length; i++) {
      const sub = Array.isArray(s.prefixItems) && i < s.prefixItems.length ? s.prefixItems[i] : s.items;
      if (sub) {
        const v = schemaViolation(value[i], sub, `${path}[${i}]`);
        if (v) return v;
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    const props: Record<string, JsonSchema> = s.properties ?? {};
    for (const k of s.required ?? []) if (!(k in o)) return `${path}.${k} is missing`;
    for (const [k, v] of Object.entries(o)) {
      if (props[k]) {
        const bad = schemaViolation(v, props[k]!, `${path}.${k}`);
        if (bad) return bad;
      } else if (s.additionalProperties === false || (s.additionalProperties === undefined && s.properties)) {
        return `${path}.${k} is not allowed`;
      } else if (typeof s.additionalProperties === 'object') {
        const bad = schemaViolation(v, s.additionalProperties, `${path}.${k}`);
        if (bad) return bad;
      }
    }
  }
  return null;
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    default: return false;
  }
}

export type ParsedValue = { ok: true; value: unknown; cell: string } | { ok: false; reason: string };

/**
 * Parses a model's raw output and checks it against the schema. The cell is the string (kind
 * 'text') or the value as compact JSON (kind 'object').
 */
export function parseGenerated(raw: string, vs: TextValueSchema): ParsedValue {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { ok: false, reason: `not JSON (${(e as Error).message})` };
  }
  const bad = schemaViolation(value, vs.schema);
  if (bad) return { ok: false, reason: bad };
  return { ok: true, value, cell: cellOf(value, vs) };
}

/** The table cell for a schema-valid value. */
export function cellOf(value: unknown, vs: TextValueSchema): string {
  return vs.kind === 'text' ? (value as { text: string }).text : JSON.stringify(value);
}
