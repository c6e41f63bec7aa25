/**
 * One error base class with a stable `code`, and subclasses per area.
 *
 * `exitCode` is what the CLI exits with: 2 for bad input the user can fix, 1 for internal failures.
 * Messages say what went wrong, where (file, row, column), and what to do.
 *
 * Codes are spelled here only: each class below carries its code, so a call site picks the class
 * (`new BudgetError(message, { hint })`) and never writes the code string.
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

  constructor(code: ErrorCode, message: string, opts: PrivsynthErrorOptions = {}) {
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

/** What every error constructor but the base one takes after the message. */
export interface PrivsynthErrorOptions {
  location?: ErrorLocation;
  hint?: string;
  exitCode?: number;
  cause?: unknown;
}

/**
 * A PrivsynthError whose class carries its code (`static code`), so a call site names the class and never
 * spells the code: `throw new PrivacyError('epsilon must be positive')` has code E_PRIVACY. A subclass that
 * declares its own `static code` gets that one (`BudgetError` is a PrivacyError with code E_BUDGET).
 */
export abstract class CodedError extends PrivsynthError {
  static readonly code: ErrorCode;
  constructor(message: string, opts: PrivsynthErrorOptions = {}) {
    super((new.target as unknown as { code: ErrorCode }).code, message, opts);
  }
}

/** Bad input data: files, CSV content, values. E_INPUT, exit code 2. */
export class InputError extends CodedError {
  static override readonly code: ErrorCode = 'E_INPUT';
}
/** An input file that does not exist. E_FILE_NOT_FOUND. */
export class FileNotFoundError extends InputError {
  static override readonly code: ErrorCode = 'E_FILE_NOT_FOUND';
}
/** CSV text that cannot be parsed (encoding, quoting, header, ragged rows). E_CSV. */
export class CsvError extends InputError {
  static override readonly code: ErrorCode = 'E_CSV';
}
/** A table with no data rows. E_EMPTY_TABLE. */
export class EmptyTableError extends InputError {
  static override readonly code: ErrorCode = 'E_EMPTY_TABLE';
}
/** A column that is missing, unknown or unusable. E_COLUMN. */
export class ColumnError extends InputError {
  static override readonly code: ErrorCode = 'E_COLUMN';
}
/** A cell or option value that is out of range or of the wrong kind. E_VALUE. */
export class ValueError extends InputError {
  static override readonly code: ErrorCode = 'E_VALUE';
}
/** A value the schema declares (bound, category, constraint) that a transformer cannot use. E_SCHEMA, an InputError. */
export class SchemaValueError extends InputError {
  static override readonly code: ErrorCode = 'E_SCHEMA';
}
/** A schema that is malformed or does not match the data. E_SCHEMA, exit code 2. */
export class SchemaError extends CodedError {
  static override readonly code: ErrorCode = 'E_SCHEMA';
}
/** A kept column with nothing to learn (entirely empty, or one value in every row). E_COLUMN, a SchemaError. */
export class SchemaColumnError extends SchemaError {
  static override readonly code: ErrorCode = 'E_COLUMN';
}
/** A model directory that is missing, damaged, or from another version. E_MODEL, exit code 2. */
export class ModelError extends CodedError {
  static override readonly code: ErrorCode = 'E_MODEL';
}
/** Fitted state (model, encoder, transformer) of another format version. E_MODEL_VERSION. */
export class ModelVersionError extends ModelError {
  static override readonly code: ErrorCode = 'E_MODEL_VERSION';
}
/** Privacy parameters or budget problems. E_PRIVACY, exit code 2. */
export class PrivacyError extends CodedError {
  static override readonly code: ErrorCode = 'E_PRIVACY';
}
/** A privacy budget that is too small, exceeded, or gives no meaningful protection. E_BUDGET, a PrivacyError. */
export class BudgetError extends PrivacyError {
  static override readonly code: ErrorCode = 'E_BUDGET';
}
/** A privacy ledger or accountant state of another format, version or mechanism. E_MODEL_VERSION, a PrivacyError. */
export class PrivacyStateVersionError extends PrivacyError {
  static override readonly code: ErrorCode = 'E_MODEL_VERSION';
}
/** Evaluation inputs that cannot be compared. E_EVALUATION, exit code 2. */
export class EvaluationError extends CodedError {
  static override readonly code: ErrorCode = 'E_EVALUATION';
}
/** The LLM runtime or model could not be used. E_LLM, exit code 2. */
export class LlmError extends CodedError {
  static override readonly code: ErrorCode = 'E_LLM';
}
/** An output file or directory that exists and may not be replaced. E_OUTPUT_EXISTS, exit code 2. */
export class OutputExistsError extends CodedError {
  static override readonly code: ErrorCode = 'E_OUTPUT_EXISTS';
}
/** An output location that cannot be written (no parent directory, not a directory, ...). E_OUTPUT, exit code 2. */
export class OutputError extends CodedError {
  static override readonly code: ErrorCode = 'E_OUTPUT';
}
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
