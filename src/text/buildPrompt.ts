/**
 * The prompt for one text value of one synthetic row. A pure function: no model, no I/O.
 *
 * It is made of
 *  (a) the column's description and instructions (written by the user in the schema),
 *  (b) the row's other *synthetic* structured values (never text or identifier columns, so no real
 *      text and no identifier reaches the model),
 *  (c) few-shot examples: the ones the user wrote in the schema (`text.examples`), or, only when
 *      the caller passes `allowRealExamples: true`, examples the caller drew from the real data;
 *      those are flagged in `caveats` because real text then reaches the model,
 *  (d) negative instructions: the column's `mustNotContain` and a standing "no names, ids,
 *      addresses, phone numbers or e-mail addresses".
 *
 * Three renderings of the same content: `system` + `user` for chat models, `completion` for base
 * models (no chat template), which ends where the JSON value should begin.
 */
import type { ColumnSpec, Metadata } from '../metadata/Metadata.js';
import type { Cell } from '../table/Table.js';
import { LlmError } from '../errors.js';
import { isIdentifierColumn } from './leakGuard.js';
import * as msg from '../messages.js';

export interface BuildPromptInput {
  /** The text column being written. */
  column: ColumnSpec;
  /** The schema (to know which of the row's columns are structured, and how to print them). */
  metadata: Metadata;
  /** The synthetic row, by column name. Text and identifier columns in it are ignored. */
  row: Readonly<Record<string, Cell>>;
  /** Longest value, in characters, to ask for. */
  maxLength: number;
  /** 'object' when the value is a user-declared JSON object rather than `{"text": ...}`. */
  valueKind?: 'text' | 'object';
  /** Examples drawn from the REAL data by the caller. Used only with `allowRealExamples: true`. */
  realExamples?: readonly string[];
  allowRealExamples?: boolean;
  /** At most this many examples go into the prompt (default 5). */
  maxExamples?: number;
}

export interface PromptExample {
  text: string;
  source: 'schema' | 'real';
}

export interface BuiltPrompt {
  /** Role, task, rules and examples, for a chat model's system message. */
  system: string;
  /** The record and the request, for the chat model's user message. */
  user: string;
  /** Everything as one text for a base model, ending where the JSON value begins. */
  completion: string;
  /** The structured values the prompt shows, in schema order. */
  context: { column: string; value: string }[];
  examples: PromptExample[];
  /** True when real-data examples were put into the prompt. */
  usesRealExamples: boolean;
  /** Privacy caveats about this prompt, for the report. */
  caveats: string[];
  /**
   * Texts the prompt itself supplies from synthetic values or the user's own schema (not real
   * examples): the leak guard does not count their words as rare-word leaks.
   */
  suppliedTexts: string[];
}

/** The standing negative instruction. */
export const NO_IDENTIFIERS_RULE =
  'Do not include names of people, identifiers (patient, account, record or id numbers), addresses, phone numbers or e-mail addresses.';

export const REAL_EXAMPLES_CAVEAT =
  'real text from the private table was shown to the model as examples (allowRealExamples); the output may echo it, and the leak guard only catches rare words and identifier values';

const MAX_VALUE_CHARS = 120;

/** Columns whose synthetic values may go into a prompt: kept, structured, not identifiers. */
export function contextColumns(metadata: Metadata): ColumnSpec[] {
  return metadata.columns.filter((c) => c.action === 'keep' && c.type !== 'text' && c.type !== 'id' && !isIdentifierColumn(c.name, c));
}

/** A cell as prompt text, or null when missing. */
export function formatValue(v: Cell, spec: ColumnSpec): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    if (spec.type === 'datetime') {
      const iso = new Date(v).toISOString();
      return spec.format === 'datetime' ? iso.replace('.000Z', 'Z') : iso.slice(0, 10);
    }
    if (spec.decimals !== undefined && spec.decimals >= 0 && spec.decimals <= 20) return v.toFixed(spec.decimals);
    return String(Number(v.toPrecision(6)));
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  const s = v.replace(/\s+/g, ' ').trim();
  if (!s) return null;
  return s.length > MAX_VALUE_CHARS ? s.slice(0, MAX_VALUE_CHARS - 1) + '…' : s;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function quoteList(xs: readonly string[]): string {
  return xs.map((x) => JSON.stringify(oneLine(x))).join(', ');
}

/**
 * Builds the prompt for one row.
 *
 * @throws LlmError (E_LLM) when real examples are passed without `allowRealExamples: true`
 * @example buildPrompt({column, metadata, row: {age: 54, ward: 'cardiology'}, maxLength: 120}).user
 *   // "Record:\n- age: 54\n- ward: cardiology\nWrite the \"note\" for this record ..."
 */
export function buildPrompt(input: BuildPromptInput): BuiltPrompt {
  const { column, metadata, row, maxLength } = input;
  const kind = input.valueKind ?? 'text';
  const opts = column.text ?? {};
  const caveats: string[] = [];
  const supplied: string[] = [];

  if (input.realExamples?.length && input.allowRealExamples !== true) {
    throw new LlmError(msg.realExamplesRefused(column.name), {
      location: { column: column.name },
      hint: msg.HINT_SCHEMA_EXAMPLES,
    });
  }

  // (b) the synthetic structured values
  const context: { column: string; value: string }[] = [];
  for (const c of contextColumns(metadata)) {
    if (!(c.name in row)) continue;
    const v = formatValue(row[c.name]!, c);
    if (v === null) continue;
    context.push({ column: c.name, value: v });
    supplied.push(c.name, v);
  }

  // (c) examples
  const max = input.maxExamples ?? 5;
  const examples: PromptExample[] = [];
  for (const e of opts.examples ?? []) if (examples.length < max && oneLine(e)) examples.push({ text: oneLine(e), source: 'schema' });
  let usesReal = false;
  if (input.allowRealExamples === true && input.realExamples?.length) {
    for (const e of input.realExamples) {
      if (examples.length >= max) break;
      if (!oneLine(e)) continue;
      examples.push({ text: oneLine(e).slice(0, maxLength), source: 'real' });
      usesReal = true;
    }
    if (usesReal) caveats.push(`column "${column.name}": ${REAL_EXAMPLES_CAVEAT}`);
  }
  for (const e of examples) if (e.source === 'schema') supplied.push(e.text);

  // (a) description and instructions
  const what = column.description ? oneLine(column.description) : undefined;
  if (what) supplied.push(what);
  if (opts.instructions) supplied.push(opts.instructions);
  supplied.push(column.name);

  // (d) negative instructions
  const rules: string[] = [NO_IDENTIFIERS_RULE];
  if (opts.mustNotContain?.length) rules.push(`Never use these words or phrases: ${quoteList(opts.mustNotContain)}.`);
  rules.push(kind === 'text' ? `Keep it under ${maxLength} characters.` : 'Answer with the JSON object only.');

  const task = `You write the "${column.name}" field of one record in a synthetic (made-up) table.` + (what ? ` The field is: ${what}.` : '');
  const sysLines = [task];
  if (opts.instructions) sysLines.push(oneLine(opts.instructions));
  sysLines.push('Base it only on the record\'s values given to you.');
  sysLines.push(...rules);
  sysLines.push(kind === 'text' ? 'Answer as JSON: {"text": "..."}.' : 'Answer as a JSON object following the given schema.');
  if (examples.length) {
    sysLines.push('Examples of good values:');
    for (const e of examples) sysLines.push(`- ${exampleJson(e.text, kind)}`);
  }
  const system = sysLines.join('\n');

  const recordLines = context.length ? context.map((c) => `- ${c.column}: ${c.value}`) : ['- (no other values)'];
  const user = ['Record:', ...recordLines, `Write the "${column.name}" for this record.`].join('\n');

  const completion = [system, '', 'Record:', ...recordLines, `${column.name} (JSON):`].join('\n');

  return { system, user, completion, context, examples, usesRealExamples: usesReal, caveats, suppliedTexts: supplied };
}

function exampleJson(text: string, kind: 'text' | 'object'): string {
  if (kind === 'object') return text;
  return JSON.stringify({ text });
}
