/**
 * One error base class with a stable `code`, and subclasses per area.
 *
 * `exitCode` is what the CLI exits with: 2 for bad input the user can fix, 1 for internal failures.
 * Messages say what went wrong, where (file, row, column), and what to do.
 */
export type ErrorCode =
  | 'E_INPUT'
  | 'E_FILE_NOT_FOUND'
  | 'E_CSV'
  | 'E_EMPTY_TABLE'
  | 'E_SCHEMA'
  | 'E_COLUMN'
  | 'E_VALUE'
  | 'E_MODEL'
  | 'E_MODEL_VERSION'
  | 'E_PRIVACY'
  | 'E_BUDGET'
  | 'E_EVALUATION'
  | 'E_OUTPUT_EXISTS'
  | 'E_OUTPUT'
  | 'E_LLM'
  | 'E_NETWORK_BLOCKED'
  | 'E_CANCELLED'
  | 'E_INTERNAL';

export interface ErrorLocation {
  file?: string;
  row?: number; // 1-based data row (header excluded)
  column?: string;
}

export class PrivsynthError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly location: ErrorLocation;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, opts: { location?: ErrorLocation; hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = opts.exitCode ?? 2;
    this.location = opts.location ?? {};
    this.hint = opts.hint;
  }

  /** The full user-facing text: message, location, and what to do. */
  describe(): string {
    const where: string[] = [];
    if (this.location.file) where.push(`file ${this.location.file}`);
    if (this.location.row !== undefined) where.push(`row ${this.location.row}`);
    if (this.location.column !== undefined) where.push(`column "${this.location.column}"`);
    let s = `${this.code}: ${this.message}`;
    if (where.length && !this.message.includes(where[0]!)) s += ` (${where.join(', ')})`;
    if (this.hint) s += `\n  hint: ${this.hint}`;
    return s;
  }
}

/** Bad input data: files, CSV content, values. Exit code 2. */
export class InputError extends PrivsynthError {}
/** A schema that is malformed or does not match the data. Exit code 2. */
export class SchemaError extends PrivsynthError {}
/** A model directory that is missing, damaged, or from another version. Exit code 2. */
export class ModelError extends PrivsynthError {}
/** Privacy parameters or budget problems. Exit code 2. */
export class PrivacyError extends PrivsynthError {}
/** Evaluation inputs that cannot be compared. Exit code 2. */
export class EvaluationError extends PrivsynthError {}
/** The LLM runtime or model could not be used. Exit code 2. */
export class LlmError extends PrivsynthError {}
/** The user interrupted a long job. Exit code 130 as shells expect. */
export class CancelledError extends PrivsynthError {
  constructor(message = 'cancelled by the user; no output was written') {
    super('E_CANCELLED', message, { exitCode: 130 });
  }
}
/** A bug in privsynth. Exit code 1. */
export class InternalError extends PrivsynthError {
  constructor(message: string, cause?: unknown) {
    super('E_INTERNAL', message, { exitCode: 1, cause });
  }
}

/** Several problems found at once (e.g. schema validation collects all before throwing). */
export class MultiError extends PrivsynthError {
  readonly problems: PrivsynthError[];
  constructor(problems: PrivsynthError[], summary?: string) {
    const first = problems[0]!;
    super(first.code, summary ?? `${problems.length} problem(s):\n` + problems.map((p) => '  - ' + p.describe().replace(/\n/g, '\n    ')).join('\n'), {
      exitCode: Math.max(...problems.map((p) => p.exitCode)),
    });
    this.problems = problems;
  }
  override describe(): string {
    return this.message;
  }
}
